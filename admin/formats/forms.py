"""What a cell of each column should hold, said to a municipal clerk: the form, with an example.

Every refusal of a sheet's cell ends with this (``expected``), in German and English, so the
message says what to write instead — never what was written (values are personal data).
"""

from __future__ import annotations

from chalicelib.domain.vocabulary import KINDS, REGIERUNGSBEZIRKE

from .columns import COLUMNS_BY_NAME

_DATE = ("a date: 2019, 2019-05, 2019-05-22, 05.2019 or 22.05.2019",
         "ein Datum: 2019, 05.2019, 22.05.2019, 2019-05 oder 2019-05-22")
_PHONE = ("a phone number entered as text, e.g. 02551 69-2998 or +49 2551 69-2998",
          "eine Telefonnummer, als Text eingegeben, z. B. 02551 69-2998 oder +49 2551 69-2998")
_EMAIL = ("an e-mail address, e.g. ki@kreis-steinfurt.de", "eine E-Mail-Adresse, z. B. ki@kreis-steinfurt.de")
_WEBSITE = ("a web address, e.g. www.kreis-steinfurt.de or https://www.kreis-steinfurt.de",
            "eine Webadresse, z. B. www.kreis-steinfurt.de oder https://www.kreis-steinfurt.de")
_AGS = ("an official municipality key (AGS) of 5 or 8 digits, e.g. 05566",
        "ein Amtlicher Gemeindeschlüssel (AGS) mit 5 oder 8 Ziffern, z. B. 05566")

FORMS: dict[str, tuple[str, str]] = {
    "id": _AGS,
    "participation_via": _AGS,
    "kind": ("empty, or one of: " + ", ".join(KINDS), "leer oder eine von: " + ", ".join(KINDS)),
    "regierungsbezirk": ("empty, or one of: " + ", ".join(REGIERUNGSBEZIRKE),
                         "leer oder einer von: " + ", ".join(REGIERUNGSBEZIRKE)),
    "lat": ("decimal degrees north (WGS84) in NRW, e.g. 52.125169",
            "Dezimalgrad Nord (WGS84) in NRW, z. B. 52,125169"),
    "lon": ("decimal degrees east (WGS84) in NRW, e.g. 7.395195",
            "Dezimalgrad Ost (WGS84) in NRW, z. B. 7,395195"),
    "population": ("a whole number without separators, e.g. 448220",
                   "eine ganze Zahl ohne Trennzeichen, z. B. 448220"),
    "population_as_of": _DATE,
    "participation_since": _DATE,
    "website": _WEBSITE,
    "office_website": _WEBSITE,
    "participation_status": ("confirmed or reported", "confirmed oder reported"),
    "office_postal_code": ("5 digits, entered as text, e.g. 48565",
                           "5 Ziffern, als Text eingegeben, z. B. 48565"),
    "office_phone": _PHONE,
    "office_fax": _PHONE,
    "contact_phone": _PHONE,
    "contact_fax": _PHONE,
    "office_email": _EMAIL,
    "contact_email": _EMAIL,
    "contact_public": ("ja or nein", "ja oder nein"),
    "contact_languages": ("language codes separated by spaces, e.g. de en ar",
                          "Sprachkürzel, durch Leerzeichen getrennt, z. B. de en ar"),
}


def expected(column: str) -> tuple[str, str]:
    """(English, German) "expected …" for a column of the sheet, or for several ("lat, lon")."""
    names = [name.strip() for name in column.split(",")]
    en, de = [], []
    for name in names:
        if name in FORMS:
            form_en, form_de = FORMS[name]
        elif name in COLUMNS_BY_NAME:
            known = COLUMNS_BY_NAME[name]
            form_en, form_de = known.en.rstrip("."), known.de.rstrip(".")
            if known.example and "…" not in known.example:
                form_en, form_de = f"{form_en}, e.g. {known.example}", f"{form_de}, z. B. {known.example}"
        else:
            continue
        prefix = f"{name}: " if len(names) > 1 else ""
        en.append(prefix + form_en)
        de.append(prefix + form_de)
    if not en:
        return "", ""
    return "expected " + "; ".join(en), "erwartet: " + "; ".join(de)


def advised(column: str, problem_en: str, problem_de: str) -> tuple[str, str]:
    """A problem with the column's expected form appended: (English, German)."""
    form_en, form_de = expected(column)
    if not form_en:
        return problem_en, problem_de
    return f"{problem_en} — {form_en}", f"{problem_de} — {form_de}"
