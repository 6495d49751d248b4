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
    assert sum(status == "yes" for status in table.values()) == 28  # round 3: Stadt Eschweiler
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
                         ("nrw_kommunen.csv", "participation_evidence.csv", "round2_evidence.csv",
                          "round3_evidence.csv"))
    for record in records():
        participation = record["participation"]
        assert isinstance(participation, dict)
        urls = list(participation["sources"])
        urls += [m["source"] for m in participation.get("milestones", []) if "source" in m]
        for url in urls:
            assert url in research, (record["id"], url)


def _people() -> dict[tuple[str, str], dict[str, object]]:
    return {
        (str(m["id"]), str(o["id"])): c
        for m in records() for o in m.get("offices", []) for c in o.get("contacts", [])  # type: ignore[attr-defined]
    }


def test_the_contact_persons_are_the_published_ones() -> None:
    people = _people()
    assert set(people) == {("05566", "ki-kreis-steinfurt"), ("05370", "ki-kreis-heinsberg")}
    hieronimus = people[("05566", "ki-kreis-steinfurt")]
    assert hieronimus == {
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
    for value in ("Stephanie Hieronimus", "02551 69-2743", "02551 69-92743", str(hieronimus["email"])):
        assert value in SEED


def test_kreis_heinsbergs_contact_is_the_one_its_portal_publishes() -> None:
    """Round 3: name, role, phone and e-mail as the research records them from the official page."""
    klever = _people()[("05370", "ki-kreis-heinsberg")]
    assert klever["given_name"] == "Marco" and klever["family_name"] == "Klever"
    evidence = next(r for r in rows("round3_evidence.csv") if r["ags"] == "05370")
    note = evidence["evidence_note"]
    assert "Marco Klever, Geschäftsführende Stelle" in note
    assert klever["function"] == "Geschäftsführende Stelle"
    assert str(klever["phone"]).replace(" ", "/", 1) in note  # 02452/13-4215
    assert f"{klever['email']} " in note
    assert "fax" not in klever and "topics" not in klever


def test_eschweiler_takes_part_in_its_own_right_and_the_leads_stay_out() -> None:
    shipped = {str(m["id"]): m for m in records()}
    eschweiler = shipped["05334012"]["participation"]
    assert isinstance(eschweiler, dict) and "via" not in eschweiler
    assert "https://rat.eschweiler.de/bi/vo0050.php?__kvonr=7271" in eschweiler["sources"]
    # only indirect evidence: leads for the report, not participants
    assert "05962" not in shipped and "05970" not in shipped


def test_no_phone_numbers_or_mail_beyond_the_published_pages() -> None:
    text = loader.DEFAULT_DIRECTORY.read_text(encoding="utf-8")
    numbers = re.findall(r'"(?:phone|fax)": "([^"]*)"', text)
    assert numbers == ["02452 13-4215", "02551 69-2743", "02551 69-92743"]
    assert re.findall(r'"email": "([^"]*)"', text) == [
        "marco.klever@kreis-heinsberg.de", "stephanie.hieronimus@kreis-steinfurt.de"]


def test_the_file_is_in_the_written_form_and_survives_every_table_format() -> None:
    data = loader.DEFAULT_DIRECTORY.read_bytes()
    shipped = records()
    assert write_json(shipped) == data
    assert read_csv(write_csv(shipped)).records == shipped
    assert read_xlsx(write_xlsx(shipped)).records == shipped

