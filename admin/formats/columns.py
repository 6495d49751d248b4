"""The table formats' columns, documented once.

``COLUMNS`` drives the CSV and XLSX writers and readers, the XLSX's explanation sheet
("Spalten") and the column table in ``admin/README.md`` (``columns_markdown``), so a column
cannot be added in one place and forgotten in another.

One row per contact; an office without contacts gets one office row (contact columns empty);
a municipality without offices gets one municipality row. Municipality columns repeat on
every row of that municipality, office columns on every row of that office; a cell left empty
there means "as the other rows say" (only filled cells must agree).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# How a cell is written and read:
#   text         a string; single-line except office_address_note
#   ags          an official key (AGS), 5 or 8 digits; digits Excel stripped of leading zeros are padded back
#   postal_code  5 digits, padded back like an AGS
#   phone        a string; a cell Excel turned into a number is an error (its leading 0 or + is lost)
#   float, int   numbers
#   date         ISO 8601, possibly reduced: 2019, 2019-05, 2019-05-22; read also as German
#                dates are written: 22.05.2019, 05.2019
#   bool         written "ja"/"nein"; read: ja/nein, true/false, yes/no, wahr/falsch, 1/0
#   words        a list written space-separated (its items never contain whitespace)
#   lines        a list written one item per line (its items are single-line by the models' rules)
#   json         a JSON array in one cell
#   url          text; read without a scheme (www.example.org) it gets https://
ColumnKind = Literal[
    "text", "ags", "postal_code", "phone", "float", "int", "date", "bool", "words", "lines", "json", "url"
]
Level = Literal["municipality", "office", "contact"]

NUMERIC_KINDS = frozenset({"float", "int"})


@dataclass(frozen=True)
class Column:
    """One column: its header, where its value lives in a record, and what it means."""

    name: str
    path: tuple[str, ...]  # keys from the municipality record; "*" stands for a list position
    kind: ColumnKind
    en: str
    de: str
    example: str  # the format, with an example where one is not personal data

    @property
    def pointer(self) -> str:
        """The JSON-pointer-ish path, e.g. ``/offices/*/contacts/*/phone``."""
        return "/" + "/".join(self.path)

    @property
    def level(self) -> Level:
        if self.path[0] != "offices":
            return "municipality"
        return "contact" if "contacts" in self.path else "office"

    @property
    def local(self) -> tuple[str, ...]:
        """The path inside the column's own entity (municipality, office or contact)."""
        if self.level == "municipality":
            return self.path
        if self.level == "office":
            return self.path[2:]
        return self.path[4:]


def _m(name: str, path: str, kind: ColumnKind, en: str, de: str, example: str) -> Column:
    return Column(name, tuple(path.split("/")), kind, en, de, example)


def _o(name: str, path: str, kind: ColumnKind, en: str, de: str, example: str) -> Column:
    return Column(name, ("offices", "*", *path.split("/")), kind, en, de, example)


def _c(name: str, path: str, kind: ColumnKind, en: str, de: str, example: str) -> Column:
    return Column(name, ("offices", "*", "contacts", "*", *path.split("/")), kind, en, de, example)


_PHONE = "national (0251 …) or international (+49 251 …); kept as text / als Text"
_URL = "https://…"

COLUMNS: tuple[Column, ...] = (
    # -- municipality: repeated on every row of the municipality ------------------------------
    _m("id", "id", "ags",
       "Official municipality key (AGS): 5 digits for a Kreis or kreisfreie Stadt, 8 for a "
       "kreisangehörige Kommune. Required on every row.",
       "Amtlicher Gemeindeschlüssel (AGS): 5 Ziffern für Kreis oder kreisfreie Stadt, 8 für eine "
       "kreisangehörige Kommune. In jeder Zeile Pflicht.",
       "05566 (Kreis Steinfurt), 05566076 (Stadt Rheine)"),
    _m("name", "name", "text",
       "Official name; may be left empty, the reference table fills it in.",
       "Amtlicher Name; darf leer bleiben, die Referenztabelle ergänzt ihn.",
       "Kreis Steinfurt"),
    _m("kind", "kind", "text",
       "Kind of municipality; may be left empty (reference table).",
       "Art der Kommune; darf leer bleiben (Referenztabelle).",
       "kreisfreie Stadt | Kreis | StädteRegion | kreisangehörige Stadt | Gemeinde"),
    _m("regierungsbezirk", "regierungsbezirk", "text",
       "Regierungsbezirk; may be left empty (reference table).",
       "Regierungsbezirk; darf leer bleiben (Referenztabelle).",
       "Arnsberg | Detmold | Düsseldorf | Köln | Münster"),
    _m("seat", "seat", "text", "Seat of the administration.", "Verwaltungssitz.", "Steinfurt"),
    _m("lat", "coordinates/lat", "float",
       "Latitude of the centre point (WGS84, decimal degrees).",
       "Breitengrad des Mittelpunkts (WGS84, Dezimalgrad).",
       "52.125169"),
    _m("lon", "coordinates/lon", "float",
       "Longitude of the centre point (WGS84, decimal degrees).",
       "Längengrad des Mittelpunkts (WGS84, Dezimalgrad).",
       "7.395195"),
    _m("population", "population/count", "int", "Population (whole number).", "Einwohnerzahl (ganze Zahl).",
       "448220"),
    _m("population_as_of", "population/as_of", "date", "Date of the population figure.",
       "Stichtag der Einwohnerzahl.", "2019-12-31"),
    _m("website", "website", "url", "Website of the municipality.", "Website der Kommune.", _URL),
    _m("participation_status", "participation/status", "text",
       "confirmed: a public source names the municipality as a participant; "
       "reported: reported by the initiative's operators.",
       "confirmed: eine öffentliche Quelle nennt die Kommune als Teilnehmerin; "
       "reported: von den Betreibern der Initiative gemeldet.",
       "confirmed | reported"),
    _m("participation_since", "participation/since", "date",
       "Participating since (year, month or day).",
       "Teilnahme seit (Jahr, Monat oder Tag).",
       "2019 | 2019-05 | 2019-05-22"),
    _m("participation_via", "participation/via", "ags",
       "AGS of the Kreis whose coordinating office serves this kreisangehörige Kommune; "
       "empty if it has its own.",
       "AGS des Kreises, dessen geschäftsführende Stelle diese kreisangehörige Kommune betreut; "
       "leer bei eigener Stelle.",
       "05374"),
    _m("participation_sources", "participation/sources", "words",
       "Public sources on the participation: URLs separated by spaces.",
       "Öffentliche Quellen zur Teilnahme: URLs, durch Leerzeichen getrennt.",
       "https://… https://…"),
    _m("participation_milestones", "participation/milestones", "json",
       "Milestones as a JSON array in this one cell; each {kind, date, label, source}; kind: "
       "expression_of_interest, starter_workshop, alliance_founded, joined, funding, other.",
       "Meilensteine als JSON-Array in dieser einen Zelle; je {kind, date, label, source}; kind: "
       "expression_of_interest, starter_workshop, alliance_founded, joined, funding, other.",
       '[{"kind": "starter_workshop", "date": "2019-02-20", "label": "STARTER-Workshop"}]'),
    _m("revision", "revision", "int",
       "Written by the export: the directory revision of the municipality's last change. Leave it as "
       "it is; the import refuses to overwrite a municipality changed since. Empty for a new one.",
       "Vom Export geschrieben: die Verzeichnis-Revision der letzten Änderung der Kommune. Nicht ändern; "
       "der Import überschreibt keine seither geänderte Kommune. Leer für eine neue.",
       "12"),
    _m("exported_revision", "exported_revision", "int",
       "Written by the export on every row: the directory revision the file was taken at. Leave it as it is.",
       "Vom Export in jede Zeile geschrieben: die Verzeichnis-Revision, bei der die Datei entnommen wurde. "
       "Nicht ändern.",
       "40"),
    # -- office: repeated on every contact row of the office -----------------------------------
    _o("office_id", "id", "text",
       "Office id: letters, digits, - and _ (3–64). Required when the row has an office or contact.",
       "Kennung der Stelle: Buchstaben, Ziffern, - und _ (3–64). Pflicht, wenn die Zeile eine Stelle "
       "oder Person enthält.",
       "ki-kreis-steinfurt"),
    _o("office_name", "name", "text", "Name of the office.", "Name der Stelle.",
       "Kommunales Integrationszentrum Kreis Steinfurt"),
    _o("office_role", "role", "text", "Role in the initiative.", "Rolle in der Initiative.",
       "geschäftsführende Stelle"),
    _o("office_street", "address/street", "text", "Street and number.", "Straße und Hausnummer.",
       "Alter Markt 23"),
    _o("office_postal_code", "address/postal_code", "postal_code", "Postal code (5 digits).",
       "Postleitzahl (5 Ziffern).", "47051"),
    _o("office_locality", "address/locality", "text", "Town; required if the office has an address.",
       "Ort; Pflicht, wenn die Stelle eine Adresse hat.", "Duisburg"),
    _o("office_region", "address/region", "text", "Region; empty means Nordrhein-Westfalen.",
       "Bundesland; leer heißt Nordrhein-Westfalen.", "Nordrhein-Westfalen"),
    _o("office_country", "address/country", "text", "Country code (ISO 3166, 2 letters); empty means DE.",
       "Ländercode (ISO 3166, 2 Buchstaben); leer heißt DE.", "DE"),
    _o("office_address_note", "address/note", "text", "Note on the address; may span several lines.",
       "Hinweis zur Adresse; darf mehrzeilig sein.", "Eingang über den Hof"),
    _o("office_phone", "phone", "phone", "Office phone.", "Telefon der Stelle.", _PHONE),
    _o("office_fax", "fax", "phone", "Office fax.", "Fax der Stelle.", _PHONE),
    _o("office_email", "email", "text", "Office e-mail.", "E-Mail der Stelle.", "name@example.org"),
    _o("office_website", "website", "url", "Office website.", "Website der Stelle.", _URL),
    _o("office_revision", "revision", "int",
       "Written by the export: the revision of the office's last change. Leave it; empty for a new office.",
       "Vom Export geschrieben: die Revision der letzten Änderung der Stelle. Nicht ändern; leer für eine "
       "neue.",
       "12"),
    # -- contact: one row per contact person ----------------------------------------------------
    _c("contact_id", "id", "text",
       "Contact id; empty for a new contact (one is assigned on import).",
       "Kennung der Person; leer für eine neue Person (wird beim Import vergeben).",
       "c-…"),
    _c("contact_title", "title", "text", "Academic title.", "Akademischer Titel.", "Dr."),
    _c("contact_given_name", "given_name", "text", "Given name.", "Vorname.", ""),
    _c("contact_family_name", "family_name", "text", "Family name.", "Nachname.", ""),
    _c("contact_function", "function", "text", "Function.", "Funktion.", "Kommunales Integrationszentrum"),
    _c("contact_phone", "phone", "phone", "Phone.", "Telefon.", _PHONE),
    _c("contact_fax", "fax", "phone", "Fax.", "Fax.", _PHONE),
    _c("contact_email", "email", "text", "E-mail.", "E-Mail.", "name@example.org"),
    _c("contact_languages", "languages", "words",
       "Languages spoken: BCP 47 tags separated by spaces.",
       "Gesprochene Sprachen: BCP-47-Kürzel, durch Leerzeichen getrennt.",
       "de en ar fa-AF"),
    _c("contact_topics", "topics", "lines",
       "Topics, one per line (Alt+Enter in Excel); a topic is one line by the models' rules, "
       "so a line break never occurs inside one.",
       "Themen, eines pro Zeile (Alt+Eingabe in Excel); ein Thema ist nach den Regeln der Modelle "
       "einzeilig, ein Zeilenumbruch kommt darin nie vor.",
       "Integration⏎Arbeit"),
    _c("contact_public", "public", "bool",
       "Shown publicly? Written ja/nein; read also: true/false, yes/no, wahr/falsch, 1/0. "
       "Empty means nein.",
       "Öffentlich sichtbar? Geschrieben ja/nein; gelesen auch: true/false, yes/no, wahr/falsch, 1/0. "
       "Leer heißt nein.",
       "ja | nein"),
    _c("contact_revision", "revision", "int",
       "Written by the export: the revision of the contact's last change. Leave it; empty for a new person.",
       "Vom Export geschrieben: die Revision der letzten Änderung der Person. Nicht ändern; leer für eine "
       "neue.",
       "12"),
)

COLUMNS_BY_NAME: dict[str, Column] = {column.name: column for column in COLUMNS}

# Fields the store keeps for itself: not editable in a file, so the table formats leave them
# out and ``diff`` ignores them. (``revision`` is the store's too, but files carry it: it says
# which version of each entry the file was taken from; see ``chalicelib/write/basis.py``.)
STORE_FIELDS = frozenset({"updated_at", "version"})
# The municipality-level column that carries the file's directory revision on every row.
EXPORTED_REVISION = "exported_revision"

_INDEX = re.compile(r"^\d+$")


def column_at(pointer: str) -> Column | None:
    """The column holding a field, from a concrete pointer inside one municipality record.

    ``/offices/1/contacts/0/phone`` → ``contact_phone``; ``/participation/milestones/2/label`` →
    ``participation_milestones`` (the longest column path that is a prefix). Lets an importer
    turn a validation error's location into a column name.
    """
    parts = tuple("*" if _INDEX.match(p) else p for p in pointer.strip("/").split("/") if p)
    best: Column | None = None
    for column in COLUMNS:
        if parts[: len(column.path)] == column.path and (best is None or len(column.path) > len(best.path)):
            best = column
    return best


def columns_markdown() -> str:
    """The column table for ``admin/README.md``."""
    lines = [
        "| column | path | meaning | Bedeutung | format / example |",
        "|---|---|---|---|---|",
    ]
    for column in COLUMNS:
        cells = [f"`{column.name}`", f"`{column.pointer}`", column.en, column.de, column.example]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"
