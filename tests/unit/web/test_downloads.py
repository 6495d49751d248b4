"""Download names: Content-Disposition with an ASCII fallback and the exact UTF-8 name."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from chalicelib.web import downloads


@pytest.mark.parametrize(
    ("stem", "ascii_name", "utf8_name"),
    [
        ("Hieronimus_Stephanie", "Hieronimus_Stephanie.vcf", "Hieronimus_Stephanie.vcf"),
        ("Müller-Lüdenscheidt_Jörg", "Mueller-Luedenscheidt_Joerg.vcf", "Müller-Lüdenscheidt_Jörg.vcf"),
        ("Kreis Düren", "Kreis_Dueren.vcf", "Kreis_Düren.vcf"),
        ('a"; filename=evil.exe\r\nX: y', "a_filename_evil.exe_X_y.vcf", "a_;_filename=evil.exe_X_y.vcf"),
        ("محمد_Şahin", "Sahin.vcf", "محمد_Şahin.vcf"),
        ("../..", "vcard.vcf", "vcard.vcf"),
    ],
)
def test_content_disposition_names_the_file_safely(stem: str, ascii_name: str, utf8_name: str) -> None:
    header = downloads.content_disposition(stem)
    assert header.isascii() and "\r" not in header and "\n" not in header
    disposition, plain, extended = header.split("; ")
    assert disposition == "attachment"
    assert plain == f'filename="{ascii_name}"'
    assert extended.startswith("filename*=UTF-8''")
    assert unquote(extended.removeprefix("filename*=UTF-8''"), errors="strict") == utf8_name
