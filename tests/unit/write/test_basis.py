"""Newer edits an import would revert, and the entries it keeps: pure, on hand-built documents."""

from __future__ import annotations

import copy

from chalicelib.domain.entries import Json
from chalicelib.write.basis import Basis, EntryKey, NewerEdit, keep_absent, newer_edits


def _stored() -> Json:
    return {
        "id": "05566", "name": "Kreis Steinfurt", "revision": 3, "created_revision": 1,
        "updated_at": "2026-01-01T00:00:00.000+00:00", "updated_by": "import",
        "offices": [
            {"id": "ki", "name": "KI", "revision": 1, "created_revision": 1,
             "contacts": [
                 {"id": "c-a", "function": "Leitung", "revision": 7, "created_revision": 1,
                  "updated_at": "2026-02-02T10:00:00.000+00:00", "updated_by": "KI Steinfurt"},
                 {"id": "c-b", "function": "Beratung", "revision": 1, "created_revision": 1},
             ]},
            {"id": "jc", "name": "Jobcenter", "revision": 9, "created_revision": 9},
        ],
        "tombstones": [{"kind": "contact", "id": "c-gone", "deleted_at": "2026-03-03", "public": True,
                        "revision": 8}],
    }


def _file() -> Json:
    return {"id": "05566", "name": "Kreis Steinfurt",
            "offices": [{"id": "ki", "name": "KI", "contacts": [{"id": "c-a", "function": "Leitung alt"},
                                                               {"id": "c-b", "function": "Beratung"}]}]}


def _basis(**given: int | None) -> Basis:
    entries: dict[EntryKey, int | None] = {
        ("05566", "municipality", "05566"): 3, ("05566", "office", "ki"): 1,
        ("05566", "contact", "c-a"): 1, ("05566", "contact", "c-b"): 1,
    }
    entries.update({("05566", "contact", k): v for k, v in given.items()})
    return Basis(5, entries)


def test_an_entry_the_file_changes_that_was_edited_since_is_named_with_who_and_when() -> None:
    found = newer_edits({"05566": _stored()}, [_file()], _basis(), prune=False)
    assert found == [NewerEdit("05566", "contact", "c-a", "changed", 7, "2026-02-02T10:00:00.000+00:00",
                               "KI Steinfurt")]
    assert str(found[0]) == ("contact 05566/c-a: changed since the export "
                             "(revision 7, at 2026-02-02T10:00:00.000+00:00, by KI Steinfurt)")


def test_an_entry_edited_on_the_current_version_or_left_as_stored_is_no_conflict() -> None:
    basis = _basis(**{"c-a": 7})
    assert newer_edits({"05566": _stored()}, [_file()], basis, prune=False) == []
    same = copy.deepcopy(_file())
    same["offices"][0]["contacts"][0]["function"] = "Leitung"
    assert newer_edits({"05566": _stored()}, [same], Basis(), prune=False) == []


def test_a_hand_made_file_may_add_but_not_change_existing_entries() -> None:
    found = newer_edits({"05566": _stored()}, [_file()], Basis(), prune=False)
    assert [(e.entry_id, e.why) for e in found] == [("c-a", "unversioned")]
    fresh = {"id": "05566904", "offices": [{"id": "neu", "name": "Neu"}]}
    assert newer_edits({"05566": _stored()}, [fresh], Basis(), prune=False) == []


def test_an_entry_deleted_since_the_export_is_not_brought_back() -> None:
    file = _file()
    file["offices"][0]["contacts"].append({"id": "c-gone", "function": "x"})
    basis = _basis(**{"c-a": 7, "c-gone": 2})
    assert [(e.entry_id, e.why, e.revision) for e in newer_edits({"05566": _stored()}, [file], basis,
                                                                  prune=False)] == [("c-gone", "deleted", 8)]


def test_pruning_an_entry_created_or_changed_after_the_export_is_a_conflict() -> None:
    basis = _basis(**{"c-a": 7})
    found = newer_edits({"05566": _stored()}, [_file()], basis, prune=True)
    assert [(e.kind, e.entry_id, e.why) for e in found] == [("office", "jc", "pruned")]
    assert newer_edits({"05566": _stored()}, [_file()], basis, prune=False) == []
    other = {"05111": {"id": "05111", "revision": 6, "created_revision": 1}}
    assert [e.why for e in newer_edits(other, [], Basis(5), prune=True)] == ["pruned"]
    assert newer_edits(other, [], Basis(6), prune=True) == []


def test_absent_offices_and_contacts_are_kept_and_moved_contacts_stay_where_the_file_puts_them() -> None:
    file = {"id": "05566", "offices": [{"id": "ki", "name": "KI", "contacts": [{"id": "c-b"}]},
                                       {"id": "neu", "name": "Neu", "contacts": [{"id": "c-a"}]}]}
    kept = keep_absent(_stored(), file)
    assert [(o["id"], [c["id"] for c in o.get("contacts", [])]) for o in kept["offices"]] == [
        ("ki", ["c-b"]), ("neu", ["c-a"]), ("jc", []),
    ]
    assert "revision" not in kept["offices"][2]
    assert keep_absent(None, file) == file
