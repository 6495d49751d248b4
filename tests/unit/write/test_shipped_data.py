"""data/: the shipped directory holds exactly the sourced participants, traceably, and nothing invented."""

from __future__ import annotations

import csv
import re

from admin.formats import read_csv, read_json, read_xlsx, write_csv, write_json, write_xlsx
from chalicelib.write import importer as loader
from chalicelib.write.reference import load_reference

DATA = loader.DATA_DIR
REFERENCE = load_reference(loader.DEFAULT_REFERENCE)
SEED = (DATA / "kreis-steinfurt-gemeinsam-klappts.txt").read_text(encoding="utf-8")


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def records() -> list[dict[str, object]]:
    return read_json(loader.DEFAULT_DIRECTORY.read_bytes()).records


def test_every_sourced_participant_and_no_other() -> None:
    table = {r["ags"]: r["participant_confirmed"] for r in rows("nrw_kommunen.csv")}
    shipped = {m.id: m for m in loader.read_directory(loader.DEFAULT_DIRECTORY, REFERENCE)}
    assert set(shipped) == {ags for ags, status in table.items() if status in ("yes", "yes-via-kreis")}
    assert sum(status == "yes" for status in table.values()) == 27
    for ags, municipality in shipped.items():
        assert municipality.participation.status == "confirmed"
        if table[ags] == "yes-via-kreis":
            # their office is their Kreis's: none of their own, and the Kreis is in the directory
            assert municipality.participation.via == ags[:5]
            assert municipality.offices == []
            assert shipped[ags[:5]].kind in ("Kreis", "StädteRegion")
        else:
            assert municipality.participation.via is None


def test_every_participation_source_is_in_the_research_files() -> None:
    research = "\n".join((DATA / name).read_text(encoding="utf-8") for name in
                         ("nrw_kommunen.csv", "participation_evidence.csv", "round2_evidence.csv"))
    for record in records():
        participation = record["participation"]
        assert isinstance(participation, dict)
        urls = list(participation["sources"])
        urls += [m["source"] for m in participation.get("milestones", []) if "source" in m]
        for url in urls:
            assert url in research, (record["id"], url)


def test_the_one_contact_person_is_the_seed_pages() -> None:
    people = [
        (m["id"], o["id"], c)
        for m in records() for o in m.get("offices", []) for c in o.get("contacts", [])  # type: ignore[attr-defined]
    ]
    assert len(people) == 1
    municipality_id, office_id, person = people[0]
    assert (municipality_id, office_id) == ("05566", "ki-kreis-steinfurt")
    assert person == {
        "id": "c-6b1f0d2e9a4c4f7e8d3b5a1c2e4f6a8b",
        "given_name": "Stephanie",
        "family_name": "Hieronimus",
        "function": "Kommunales Integrationszentrum",
        "phone": "02551 69-2743",
        "fax": "02551 69-92743",
        "email": "stephanie.hieronimus@kreis-steinfurt.de",
        "topics": ["Integration"],
        "public": True,
    }
    for value in ("Stephanie Hieronimus", "02551 69-2743", "02551 69-92743", person["email"]):
        assert value in SEED


def test_no_phone_numbers_or_mail_beyond_the_seed_page() -> None:
    text = loader.DEFAULT_DIRECTORY.read_text(encoding="utf-8")
    assert re.findall(r'"(?:phone|fax)": "([^"]*)"', text) == ["02551 69-2743", "02551 69-92743"]
    assert re.findall(r'"email": "([^"]*)"', text) == ["stephanie.hieronimus@kreis-steinfurt.de"]


def test_the_file_is_in_the_written_form_and_survives_every_table_format() -> None:
    data = loader.DEFAULT_DIRECTORY.read_bytes()
    shipped = records()
    assert write_json(shipped) == data
    assert read_csv(write_csv(shipped)).records == shipped
    assert read_xlsx(write_xlsx(shipped)).records == shipped

