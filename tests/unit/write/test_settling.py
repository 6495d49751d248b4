"""Reading and writing meet in explicit steps: the Directory never calls the write side."""

from __future__ import annotations

import json

from chalicelib.domain.directory import Directory
from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.links import Links
from chalicelib.write.settling import Owners, Settling
from tests.support.synthetic import Synthetic

AT = "2026-01-01T00:00:00.000+00:00"


class Source:
    """One municipality, its write pending until `stamp()`; revision and documents on demand."""

    def __init__(self) -> None:
        model = Synthetic(seed=21).model()
        self.doc = json.loads(model.model_dump_json(exclude={"version"}))
        self.doc["pending"] = {"after": 1, "since": AT}
        self.municipality_id = model.id
        self.revision_value = 1
        self.loads = 0

    def revision(self) -> int:
        return self.revision_value

    def load_documents(self) -> list[StoredDocument]:
        self.loads += 1
        return [StoredDocument(self.municipality_id, 1, json.dumps(self.doc))]

    def stamp(self, municipality_id: str) -> bool:
        if "pending" not in self.doc:
            return False
        del self.doc["pending"]
        self.revision_value += 1
        return True


def test_the_directory_alone_serves_a_pending_write_and_never_settles_it() -> None:
    source = Source()
    directory = Directory(source, Links(""), refresh_seconds=0)
    assert source.municipality_id in directory.current().snapshot.pending
    assert source.municipality_id in directory.current().snapshot.pending  # no callback stamped it


def test_the_settling_step_stamps_once_per_snapshot_and_reads_the_result() -> None:
    source = Source()
    asked: list[str] = []

    def settle_if_abandoned(municipality_id: str) -> bool:
        asked.append(municipality_id)
        return False  # the writer is still alive: nothing to settle yet

    directory = Directory(source, Links(""), refresh_seconds=3600)
    reader = Settling(directory, settle_if_abandoned)
    first = reader.current()
    reader.current()
    assert asked == [source.municipality_id]  # once for this snapshot, not per request

    settling = Settling(directory, source.stamp)
    settled = settling.current()
    assert settled.snapshot.pending == {}
    assert settled.snapshot.revision == 2 > first.snapshot.revision


def test_the_owner_lookup_asks_again_on_a_miss() -> None:
    source = Source()
    source.stamp(source.municipality_id)
    directory = Directory(source, Links(""), refresh_seconds=3600)
    owners = Owners(directory)
    office_id = source.doc["offices"][0]["id"]
    assert owners.owner(office_id) == source.municipality_id
    # Another container adds an office: this one learns of it on its first miss.
    source.doc["offices"].append({**source.doc["offices"][0], "id": "office-new", "contacts": []})
    source.revision_value += 1
    assert owners.owner("office-new") == source.municipality_id
