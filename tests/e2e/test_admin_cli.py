"""The admin command line end to end: click's CliRunner against moto over HTTP.

Each test gets a fresh table; the commands reach it with ``--endpoint-url`` and ``--table``
exactly as an operator reaches an emulator. People and numbers are synthetic (Faker, fixed
seed) except the one published contact of data/directory.json.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result

from admin.cli import cli
from admin.connection import LocalRun
from admin.context import Backend
from admin.formats import read_path, write_csv, write_json
from admin.stored import StoredDirectory
from chalicelib import bootstrap
from chalicelib.auth.tokens import Tokens, token_hash
from chalicelib.domain import entries
from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.errors import StoreUnavailable, Unauthenticated
from chalicelib.storage.store import DirectoryStore
from chalicelib.storage.tokens import TokenStore
from chalicelib.write import importer
from chalicelib.write.reference import load_reference
from chalicelib.write.writer import DirectoryWriter, content_of
from tests.support.editing import HIERONIMUS, STEINFURT, STEINFURT_OFFICE, call
from tests.support.emulators import Api, configure_service, make_store
from tests.support.synthetic import Synthetic

SHIPPED = importer.DEFAULT_DIRECTORY
REFERENCE = load_reference(importer.DEFAULT_REFERENCE)
TOKEN = re.compile(r"gk_[A-Za-z0-9_-]{43}")


@dataclass
class Admin:
    """`python -m admin …` against one table of the emulator."""

    endpoint: str
    store: DirectoryStore
    backend: Backend = field(default_factory=lambda: Backend(environ={}, local_service=lambda: None))

    @property
    def table(self) -> str:
        return self.store.table_name

    def __call__(self, *args: str, input: str | None = None, backend: Backend | None = None,
                 expect: int = 0) -> Result:
        result = CliRunner().invoke(
            cli,
            [*args, "--endpoint-url", self.endpoint, "--table", self.table],
            obj=backend or self.backend,
            input=input,
        )
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code == expect, result.output
        return result

    def snapshot(self) -> tuple[int, list[StoredDocument]]:
        """The revision and every item: to show that nothing was written."""
        return self.store.revision(), sorted(self.store.load_documents(), key=lambda d: d.municipality_id)

    def stored(self) -> StoredDirectory:
        return StoredDirectory.of(self.store.load_documents())


@pytest.fixture
def admin(moto_endpoint: str) -> Iterator[Admin]:
    store = make_store(moto_endpoint)
    yield Admin(moto_endpoint, store)
    store.delete_table()


@pytest.fixture(params=["moto", pytest.param("dynalite", marks=pytest.mark.dynalite)])
def loaded_on_each(request: pytest.FixtureRequest) -> Iterator[Admin]:
    """The shipped directory on each emulator: what must hold on DynamoDB holds on both."""
    endpoint = request.getfixturevalue(f"{request.param}_endpoint")
    store = make_store(endpoint)
    admin = Admin(endpoint, store)
    admin("import", str(SHIPPED))
    yield admin
    store.delete_table()


@pytest.fixture
def loaded(admin: Admin) -> Admin:
    """The table holding the shipped directory, imported through the command line."""
    result = admin("import", str(SHIPPED))
    assert "37 added, 0 changed, 0 unchanged, 0 removed" in result.output
    return admin


def _token(result: Result) -> str:
    found: set[str] = set(TOKEN.findall(result.output))
    assert len(found) == 1
    return found.pop()


def _later(**delta: float) -> Backend:
    """The command line's clock, moved ahead."""
    moved = timedelta(**delta)
    return Backend(environ={}, local_service=lambda: None, clock=lambda: datetime.now(UTC) + moved)


def _file_records(path: Path) -> list[dict[str, Any]]:
    """What an import of the file stores, in the export's form (without revisions)."""
    municipalities = importer.read_directory(path, REFERENCE)
    return StoredDirectory({m.id: content_of(m) for m in municipalities}).records()


def _stamped(records: list[dict[str, Any]], revision: int) -> list[dict[str, Any]]:
    """Records as an export writes them after one import at ``revision``: every entry carries it."""
    stamped = copy.deepcopy(records)
    for record in stamped:
        record["revision"] = revision
        for office in record.get("offices", []):
            office["revision"] = revision
            for contact in office.get("contacts", []):
                contact["revision"] = revision
    return stamped


# -- tokens ---------------------------------------------------------------------------------


def _listed(listing: str) -> dict[str, dict[str, str]]:
    """label → its row, from `tokens list` (columns are two or more spaces apart)."""
    rows = [re.split(r"\s{2,}", line.strip()) for line in listing.splitlines()]
    assert rows[0] == ["id", "label", "scope", "created (UTC)", "expires", "last used", "state"]
    return {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def _states(listing: str) -> dict[str, str]:
    return {label: row["state"] for label, row in _listed(listing).items()}


def test_a_token_is_shown_once_listed_without_secrets_and_refused_once_revoked(admin: Admin) -> None:
    made = admin(
        "tokens", "create", "--scope", "municipality:05566", "--label", "KI Kreis Steinfurt",
        "--expires", "12h", "--api-url", "https://verzeichnis.example.org/",
    )
    token = _token(made)
    assert f"\n    {token}\n" in made.output
    assert f"editing page: https://verzeichnis.example.org/edit#token={token}\n" in made.output
    other = _token(admin("tokens", "create", "--scope", "admin", "--label", "Büro der Initiative"))

    listed = admin("tokens", "list").output
    assert "municipality:05566" in listed
    for secret in (token, token_hash(token), other, token_hash(other), "gk_"):
        assert secret not in listed
    assert _states(listed) == {"KI Kreis Steinfurt": "live", "Büro der Initiative": "live"}

    tokens_of = Tokens(TokenStore(admin.store._client, admin.table))
    assert tokens_of.verify(token).scope == "municipality:05566"
    revoked = admin("tokens", "revoke", "KI Kreis Steinfurt")
    assert "revoked token" in revoked.output and token not in revoked.output
    with pytest.raises(Unauthenticated):
        tokens_of.verify(token)
    assert tokens_of.verify(other).scope == "admin"
    assert _states(admin("tokens", "list").output) == {
        "KI Kreis Steinfurt": "revoked", "Büro der Initiative": "live"
    }
    rows = _listed(admin("tokens", "list").output)
    assert rows["Büro der Initiative"]["last used"] != "-"  # verified above
    assert rows["Büro der Initiative"]["expires"] == "-"
    assert rows["KI Kreis Steinfurt"]["scope"] == "municipality:05566"

    admin("tokens", "create", "--scope", "admin", "--label", "kurz", "--expires", "1h")
    assert _states(admin("tokens", "list", backend=_later(hours=13)).output) == {
        "KI Kreis Steinfurt": "revoked", "Büro der Initiative": "live", "kurz": "expired"
    }


def test_token_mistakes_are_refused(admin: Admin) -> None:
    def create(scope: str, *more: str, expect: int = 0) -> str:
        return admin("tokens", "create", "--scope", scope, "--label", "x", *more, expect=expect).output

    assert "'admin' or 'municipality:<AGS>'" in create("root", expect=2)
    assert "reference table" in create("municipality:05999", expect=2)
    assert "12h, 90d or 2w" in create("admin", "--expires", "soon", expect=2)
    assert "12h, 90d or 2w" in create("admin", "--expires", "0d", expect=2)
    assert "the API's base URL" in create("admin", "--api-url", "verzeichnis.example.org", expect=2)
    create("admin")
    assert "has this label already" in create("admin", expect=1)
    assert "no live token" in admin("tokens", "revoke", "niemand", expect=1).output
    # A municipality the directory does not hold (yet) gets a token, and a note.
    assert "not in the directory (yet)" in create("municipality:05913", "--label", "Dortmund")


# -- the "done when" path -------------------------------------------------------------------


def _set_contact_phone(path: Path, contact_id: str, phone: str) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["Verzeichnis"]
    header = [cell.value for cell in sheet[1]]
    id_column, phone_column = header.index("contact_id") + 1, header.index("contact_phone") + 1
    rows = [row for row in range(2, sheet.max_row + 1) if sheet.cell(row, id_column).value == contact_id]
    assert len(rows) == 1
    sheet.cell(rows[0], phone_column).value = phone
    book.save(path)


def test_done_when_token_export_edit_dry_run_import_api_and_nothing_the_second_time(
    loaded: Admin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = loaded
    token = _token(admin("tokens", "create", "--scope", f"municipality:{STEINFURT}", "--label", "KI"))
    sheet = tmp_path / "verzeichnis.xlsx"
    exported = admin("export", "--format", "xlsx", "-o", str(sheet))
    assert "exported 37 municipalities, 2 contacts" in exported.output
    _set_contact_phone(sheet, HIERONIMUS, "+49 2551 69-2799")  # made-up digits

    before = admin.snapshot()
    dry = admin("import", str(sheet), "--dry-run")
    changes = [line.strip() for line in dry.output.splitlines() if line.startswith("  ")]
    assert changes == [f"changed contact {STEINFURT}/{STEINFURT_OFFICE}/{HIERONIMUS}: phone"]
    assert "0 added, 1 changed, 0 removed." in dry.output
    assert admin.snapshot() == before

    done = admin("import", str(sheet))
    assert "0 added, 1 changed, 36 unchanged, 0 removed municipalities; revision 2" in done.output

    from chalice.test import Client

    from app import app

    configure_service(monkeypatch, admin.endpoint, admin.table)
    with Client(app, stage_name="test") as client:
        api = Api(client, admin.store, DirectoryWriter(admin.store), admin.endpoint)
        public = call(api, "GET", f"/contacts/{HIERONIMUS}")
        assert public.status == 200 and public.body["phone"] == "+492551692799"
        editable = call(api, "GET", f"/contacts/{HIERONIMUS}", bearer=token)
        assert editable.status == 200 and editable.body["updated_by"] == "import"
    bootstrap.reset()

    again = admin("import", str(sheet))
    assert "0 added, 0 changed, 37 unchanged, 0 removed municipalities; nothing to write" in again.output
    assert "0 added, 0 changed, 0 removed." in admin("import", str(sheet), "--dry-run").output


# -- a large file with one bad row --------------------------------------------------------


def _five_hundred_rows() -> list[dict[str, Any]]:
    """50 real Kreise and kreisfreie Städte, each with one office of 10 synthetic contacts: 500 rows."""
    synthetic = Synthetic(seed=500)
    keys = sorted(k for k in REFERENCE if len(k) == 5)[:50]
    return [
        {
            "id": key,
            "participation": {"status": "reported"},
            "offices": [{"id": f"ki-syn-{key}", "name": "Kommunales Integrationszentrum (synthetisch)",
                         "contacts": [synthetic.contact() for _ in range(10)]}],
        }
        for key in keys
    ]


def test_one_bad_row_among_500_writes_nothing_and_names_the_row_not_the_value(
    loaded: Admin, tmp_path: Path
) -> None:
    admin = loaded
    records = _five_hundred_rows()
    broken: dict[str, str] = records[23]["offices"][0]["contacts"][7]
    broken["phone"] = "Telefon folgt"
    path = tmp_path / "gross.csv"
    path.write_bytes(write_csv(records))
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == 1 + 500
    bad_row = 1 + next(i for i, row in enumerate(rows) if broken["id"] in row)  # the header is row 1

    before = admin.snapshot()
    failed = admin("import", str(path), "--overwrite-newer", expect=1)
    assert failed.stderr.splitlines()[0].startswith(f"  row {bad_row}, contact_phone: ")
    assert "gross.csv: 1 error; nothing was written." in failed.stderr
    for personal in ("Telefon folgt", broken["given_name"], broken["family_name"], broken["email"]):
        assert personal not in failed.output
    assert admin.snapshot() == before

    records = _five_hundred_rows()
    path.write_bytes(write_csv(records))
    # A file made by hand that changes stored municipalities: each is a conflict until told.
    refused = admin("import", str(path), expect=1)
    assert "municipality 05111: exists, and the file does not say which version" in refused.stderr
    assert admin.snapshot() == before
    done = admin("import", str(path), "--overwrite-newer")
    assert "50 municipalities, 50 offices, 500 contacts — valid." in done.output
    assert "writing 50 municipalities" in done.output  # the progress bar (its label, off a terminal)
    shipped = {m["id"] for m in json.loads(SHIPPED.read_text(encoding="utf-8"))["municipalities"]}
    replaced = len({r["id"] for r in records} & shipped)
    assert f"{50 - replaced} added, {replaced} changed, 0 unchanged" in done.output
    again = admin("import", str(path))
    assert "0 added, 0 changed, 50 unchanged" in again.output


# -- round trips ------------------------------------------------------------------------------


def _seed(tmp_path: Path) -> Path:
    """The shipped directory and three synthetic Kommunen of Kreis Steinfurt: private contacts,
    notes over two lines, text Excel would take for a formula."""
    synthetic = Synthetic(seed=2019)
    document = json.loads(SHIPPED.read_text(encoding="utf-8"))
    for number in (901, 902, 903):
        record = synthetic.municipality(id=f"05566{number}", kind="Gemeinde", contacts=3)
        record["regierungsbezirk"] = "Münster"
        record["offices"][0]["contacts"][1]["public"] = False
        record["offices"][0]["address"]["note"] = "Eingang über den Hof;\n2. OG, „Raum 3“"
        record["offices"][0]["contacts"][2]["function"] = "=Koordination, \"THM\""
        document["municipalities"].append(record)
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_an_export_imports_back_to_an_identical_directory(
    admin: Admin, moto_endpoint: str, tmp_path: Path, fmt: str
) -> None:
    seed = _seed(tmp_path)
    assert "40 added" in admin("import", str(seed)).output
    first = tmp_path / f"first.{fmt}"
    admin("export", "-o", str(first))
    assert read_path(first).records == _stamped(_file_records(seed), 1)
    assert read_path(first).revision == 1

    fresh = Admin(moto_endpoint, DirectoryStore(admin.store._client, f"gk-test-{uuid.uuid4().hex[:12]}"))
    try:
        created = fresh("import", str(first), "--create-table")
        assert "40 added, 0 changed, 0 unchanged, 0 removed" in created.output
        second = tmp_path / f"second.{fmt}"
        fresh("export", "--format", fmt, "-o", str(second))
        if fmt == "xlsx":  # the workbook's own metadata carries a time
            assert read_path(second).records == read_path(first).records
        else:
            assert second.read_bytes() == first.read_bytes()
    finally:
        fresh.store.delete_table()

    assert "0 added, 0 changed, 40 unchanged, 0 removed" in admin("import", str(first)).output


def test_export_to_standard_output_and_public_only(loaded: Admin, tmp_path: Path) -> None:
    admin = loaded
    exported = json.loads(admin("export").stdout)["municipalities"]
    shipped_contacts = [c["id"] for m in _file_records(SHIPPED) for o in m.get("offices", [])
                        for c in o.get("contacts", [])]
    assert HIERONIMUS in shipped_contacts
    assert [c["id"] for m in exported for o in m.get("offices", []) for c in o.get("contacts", [])] == (
        shipped_contacts)
    assert admin("export").stdout.encode("utf-8") == write_json(_stamped(_file_records(SHIPPED), 1), 1)

    private = copy.deepcopy(json.loads(SHIPPED.read_text(encoding="utf-8")))
    office = next(m for m in private["municipalities"] if m["id"] == STEINFURT)["offices"][0]
    office["contacts"][0]["public"] = False
    path = tmp_path / "privat.json"
    path.write_text(json.dumps(private, ensure_ascii=False), encoding="utf-8")
    admin("import", str(path), "--overwrite-newer")  # made by hand: it changes a stored contact
    assert HIERONIMUS in admin("export", "--format", "csv").stdout
    shared = admin("export", "--format", "csv", "--public-only")
    assert HIERONIMUS not in shared.stdout and "Hieronimus" not in shared.stdout
    assert "1 public contact" in shared.stderr  # Kreis Heinsberg's (round 3)
    assert "--format says csv" in admin("export", "--format", "csv", "-o", str(tmp_path / "x.json"),
                                        expect=2).output


# -- newer edits -----------------------------------------------------------------------------------


def _with_office(admin: Admin, tmp_path: Path, office_id: str) -> None:
    """Another import adds an office to Kreis Steinfurt (a file that lists only Steinfurt)."""
    document = json.loads(SHIPPED.read_text(encoding="utf-8"))
    steinfurt = next(m for m in document["municipalities"] if m["id"] == STEINFURT)
    steinfurt["offices"].append({"id": office_id, "name": "Jobcenter Kreis Steinfurt (synthetisch)"})
    path = tmp_path / "zusatz.json"
    path.write_text(json.dumps({"municipalities": [steinfurt]}, ensure_ascii=False), encoding="utf-8")
    assert "0 added, 1 changed" in admin("import", str(path)).output


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_earlier_export_never_removes_an_office_added_since_unless_prune_is_told_and_allowed(
    loaded_on_each: Admin, tmp_path: Path, fmt: str
) -> None:
    admin = loaded_on_each
    earlier = tmp_path / f"frueher.{fmt}"
    admin("export", "-o", str(earlier))
    _with_office(admin, tmp_path, "jc-e2e-steinfurt")

    dry = admin("import", str(earlier), "--dry-run")
    assert "No changes." in dry.output and "conflict" not in dry.output
    assert "0 added, 0 changed, 37 unchanged, 0 removed" in admin("import", str(earlier)).output
    offices = [o["id"] for o in admin.stored().contents()[STEINFURT]["offices"]]
    assert offices == [STEINFURT_OFFICE, "jc-e2e-steinfurt"]

    before = admin.snapshot()
    refused = admin("import", str(earlier), "--prune", "--yes", expect=1)
    assert f"office {STEINFURT}/jc-e2e-steinfurt: changed since the export; --prune would remove it" in (
        refused.stderr
    )
    assert admin.snapshot() == before
    admin("import", str(earlier), "--prune", "--yes", "--overwrite-newer")
    assert [o["id"] for o in admin.stored().contents()[STEINFURT]["offices"]] == [STEINFURT_OFFICE]


def test_overwrite_newer_writes_the_file_over_an_api_edit_and_names_it_first(
    loaded: Admin, tmp_path: Path
) -> None:
    admin = loaded
    earlier = tmp_path / "frueher.json"
    admin("export", "-o", str(earlier))
    changed = json.loads(SHIPPED.read_text(encoding="utf-8"))
    steinfurt = next(m for m in changed["municipalities"] if m["id"] == STEINFURT)
    steinfurt["offices"][0]["contacts"][0]["function"] = "Koordination (synthetisch)"
    later = tmp_path / "spaeter.json"
    later.write_text(json.dumps({"municipalities": [steinfurt]}, ensure_ascii=False), encoding="utf-8")
    admin("import", str(later), "--overwrite-newer", backend=_later(minutes=1))

    dry = admin("import", str(earlier), "--dry-run", "--overwrite-newer")
    assert f"The import would overwrite 1 newer edit:\n  conflict: contact {STEINFURT}/" in dry.output
    assert "by import)" in dry.output
    done = admin("import", str(earlier), "--overwrite-newer")
    assert "0 added, 1 changed, 36 unchanged" in done.output
    contact = admin.stored().contents()[STEINFURT]["offices"][0]["contacts"][0]
    assert contact["function"] == "Kommunales Integrationszentrum"


def test_a_file_made_by_hand_adds_new_entries_but_every_existing_entry_it_changes_is_a_conflict(
    loaded: Admin, tmp_path: Path
) -> None:
    admin = loaded
    synthetic = Synthetic(seed=16)
    document = json.loads(SHIPPED.read_text(encoding="utf-8"))
    steinfurt = next(m for m in document["municipalities"] if m["id"] == STEINFURT)
    steinfurt["offices"][0]["contacts"].append(synthetic.contact())  # a new person: no conflict
    new = synthetic.municipality(id="05566904", kind="Gemeinde", contacts=1)
    new["regierungsbezirk"] = "Münster"
    path = tmp_path / "hand.json"
    path.write_text(json.dumps({"municipalities": [steinfurt, new]}, ensure_ascii=False), encoding="utf-8")
    dry = admin("import", str(path), "--dry-run").output
    assert "2 added, 0 changed, 0 removed." in dry and "conflict" not in dry  # a contact and a Kommune
    assert "1 added, 1 changed" in admin("import", str(path)).output

    steinfurt["offices"][0]["name"] = "KI Steinfurt (synthetisch)"  # an existing entry, changed by hand
    path.write_text(json.dumps({"municipalities": [steinfurt]}, ensure_ascii=False), encoding="utf-8")
    before = admin.snapshot()
    refused = admin("import", str(path), expect=1)
    assert (f"office {STEINFURT}/{STEINFURT_OFFICE}: exists, and the file does not say which version it was "
            "taken from") in refused.stderr
    assert admin.snapshot() == before


# -- prune ----------------------------------------------------------------------------------------


def test_prune_asks_first_shows_in_the_dry_run_and_leaves_tombstones(loaded: Admin, tmp_path: Path) -> None:
    admin = loaded
    document = json.loads(SHIPPED.read_text(encoding="utf-8"))
    document["municipalities"] = [m for m in document["municipalities"] if m["id"] not in ("05111", "05112")]
    path = tmp_path / "kuerzer.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    assert "0 added, 0 changed, 35 unchanged, 0 removed" in admin("import", str(path)).output
    dry = admin("import", str(path), "--prune", "--dry-run")
    assert "  removed municipality 05111\n  removed municipality 05112\n" in dry.output
    assert "0 added, 0 changed, 2 removed." in dry.output

    before = admin.snapshot()
    refused = admin("import", str(path), "--prune", input="n\n", expect=1)
    assert "--prune removes 2 municipalities not in the file (05111, 05112)" in refused.output
    assert admin.snapshot() == before

    done = admin("import", str(path), "--prune", input="y\n")
    assert "0 added, 0 changed, 35 unchanged, 2 removed municipalities" in done.output
    documents = admin.stored().documents
    assert documents["05112"]["deleted"] is True
    assert {t["kind"] for t in documents["05112"]["tombstones"]} == {"municipality", "office"}
    assert "Duisburg" not in json.dumps(documents["05112"])
    assert "05112" not in {r["id"] for r in admin.stored().records()}
    assert "0 removed" in admin("import", str(path), "--prune", "--yes").output


# -- interrupted imports and settle ---------------------------------------------------------------


class FailingStore(DirectoryStore):
    """DynamoDB failing midway through an import: at the n-th item write, or at the revision."""

    def __init__(self, client: Any, table_name: str, *, fail_at: str, after: int = 0) -> None:
        super().__init__(client, table_name)
        self.fail_at, self.after, self.puts = fail_at, after, 0

    def put_document(self, doc: StoredDocument, *, expected_version: int | None) -> None:
        self.puts += 1
        if self.fail_at == "put" and self.puts == self.after:
            raise StoreUnavailable("DynamoDB PutItem failed", {"aws_error": "InternalServerError"})
        super().put_document(doc, expected_version=expected_version)

    def bump_revision(self, municipality_ids: Sequence[str] | None = None) -> int:
        if self.fail_at == "bump":
            raise StoreUnavailable("DynamoDB UpdateItem failed", {"aws_error": "InternalServerError"})
        return super().bump_revision(municipality_ids)


def _failing(fail_at: str, after: int = 0) -> Backend:
    return Backend(
        environ={},
        local_service=lambda: None,
        directory_store=lambda client, table: FailingStore(client, table, fail_at=fail_at, after=after),
    )


@pytest.mark.parametrize(("fail_at", "written"), [("put", 11), ("bump", 37)])
def test_an_interrupted_import_completes_when_run_again(admin: Admin, fail_at: str, written: int) -> None:
    failed = admin("import", str(SHIPPED), backend=_failing(fail_at, after=written + 1), expect=1)
    assert "import interrupted" in failed.output and "run the same import again" in failed.output
    assert "InternalServerError" in failed.output
    stored = admin.stored()
    assert len(stored.documents) == len(stored.pending()) == written
    assert "It would also complete the writes an interrupted run left pending in" in admin(
        "import", str(SHIPPED), "--dry-run"
    ).output

    again = admin("import", str(SHIPPED))
    assert "0 unchanged, 0 removed municipalities; revision 1" in again.output
    stored = admin.stored()
    assert stored.pending() == {}
    assert not any(entries.is_pending(doc) for doc in stored.documents.values())
    assert stored.records() == _file_records(SHIPPED)
    assert "0 added, 0 changed, 37 unchanged" in admin("import", str(SHIPPED)).output


def test_settle_stamps_what_a_dead_writer_left_pending_after_the_grace(admin: Admin) -> None:
    assert "nothing pending" in admin("settle").output
    admin("import", str(SHIPPED), backend=_failing("bump"), expect=1)
    assert len(admin.stored().pending()) == 37

    now = admin("settle").output
    assert "left 05111: pending since" in now and "0 of 37 pending municipalities settled" in now
    settled = admin("settle", backend=_later(minutes=2))
    assert "settled 05566 (pending since" in settled.output
    assert "37 of 37 pending municipalities settled" in settled.output
    assert admin.stored().pending() == {}
    assert admin.store.revision() == 37  # one per municipality, as a reader's settle_if_abandoned does
    assert "0 added, 0 changed, 37 unchanged" in admin("import", str(SHIPPED)).output


# -- settings --------------------------------------------------------------------------------------


def test_the_local_service_needs_no_settings_and_signs_in_locally(admin: Admin) -> None:
    local = Backend(environ={}, local_service=lambda: LocalRun(admin.endpoint, admin.table))
    runner = CliRunner()
    imported = runner.invoke(cli, ["import", str(SHIPPED)], obj=local)
    assert imported.exit_code == 0, imported.output
    made = runner.invoke(cli, ["tokens", "create", "--scope", "admin", "--label", "lokal"], obj=local)
    token = _token(made)
    assert f"Sign-in link for the editing page: http://127.0.0.1:8000/edit#token={token}" in made.output
    # Pointed elsewhere, the local defaults do not apply: no link unless --api-url says where.
    elsewhere = admin("tokens", "create", "--scope", "admin", "--label", "anderswo", backend=local)
    assert "Sign-in link" not in elsewhere.output


def test_a_missing_table_or_an_unreachable_endpoint_is_said_plainly(admin: Admin, tmp_path: Path) -> None:
    missing = Admin(admin.endpoint, DirectoryStore(admin.store._client, "gk-test-missing"))
    assert "no such table (create it with `import --create-table`" in missing("export", expect=1).output
    assert "no such table" in missing("import", str(SHIPPED), expect=1).output
    gone = Backend(environ={}, local_service=lambda: LocalRun("http://127.0.0.1:9", "gk-directory-local"))
    result = CliRunner().invoke(cli, ["settle"], obj=gone)
    assert result.exit_code == 1
    assert "cannot reach DynamoDB" in result.output and "is `make run` still running?" in result.output
