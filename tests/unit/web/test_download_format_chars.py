"""Download names carry no invisible format characters: no bidi tricks such as 'Rechnung\\u202efdp.exe'."""

from __future__ import annotations

import sys
import unicodedata
from urllib.parse import unquote

import pytest

from chalicelib.web.downloads import content_disposition

FORMAT_CHARACTERS = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]


def names_of(header: str) -> tuple[str, str]:
    ascii_name = header.split('filename="', 1)[1].split('"', 1)[0]
    utf8_name = unquote(header.split("filename*=UTF-8''", 1)[1])
    return ascii_name, utf8_name


def test_a_right_to_left_override_cannot_disguise_the_extension() -> None:
    ascii_name, utf8_name = names_of(content_disposition("Rechnung\u202efdp.exe_Anna"))
    assert utf8_name == "Rechnungfdp.exe_Anna.vcf"
    assert ascii_name == "Rechnungfdp.exe_Anna.vcf"


@pytest.mark.parametrize(
    "control",
    [
        "\u200e",
        "\u200f",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u061c",
        "\u200b",
        "\u2060",
        "\ufeff",
        "\U000e0001",
    ],
)
def test_bidi_and_other_format_characters_are_dropped(control: str) -> None:
    for name in names_of(content_disposition(f"Müller{control}_Jörg")):
        assert not any(unicodedata.category(c) == "Cf" for c in name), name
        assert name.endswith(".vcf")


def test_no_format_character_survives() -> None:
    stem = "Name" + "".join(FORMAT_CHARACTERS) + "Family"
    ascii_name, utf8_name = names_of(content_disposition(stem))
    assert utf8_name == "NameFamily.vcf"
    assert ascii_name == "NameFamily.vcf"


def test_a_name_of_format_characters_only_falls_back() -> None:
    assert names_of(content_disposition("\u202e\u200f")) == ("vcard.vcf", "vcard.vcf")
