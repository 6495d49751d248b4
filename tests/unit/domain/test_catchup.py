"""Catching up by parts gives the snapshot a full load would build (pure: no DynamoDB)."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from chalicelib.domain.catchup import LogEntry, catch_up, changed_since
from chalicelib.domain.documents import StoredDocument
from chalicelib.domain.parts import part_of
from chalicelib.domain.snapshot import Snapshot
from tests.support.change_table import LINKS, Table
from tests.support.snapshot_state import state_of

# Which living municipality a write touches: an index, taken modulo the living ones, so a
# failing run shrinks towards the first.
PICK = st.integers(min_value=0, max_value=2**16)
CONTACTS = st.integers(min_value=0, max_value=3)


class CatchingUp(RuleBasedStateMachine):
    """Any interleaving of writes and catch-ups leaves the snapshot a full load would build."""

    table: Table
    snapshot: Snapshot

    @initialize(seed=st.integers(min_value=0, max_value=2**16), writes=st.integers(min_value=1, max_value=25))
    def start(self, seed: int, writes: int) -> None:
        self.table = Table(seed)  # the seed only varies the synthetic names and numbers
        for _ in range(writes):  # the first write creates: there is always someone to write to
            self.table.write_random()
        self.snapshot = self.table.full()

    def _pick(self, pick: int) -> str:
        living = self.table.living()
        return living[pick % len(living)]

    def _has_others(self) -> bool:
        return len(self.table.living()) > 1

    @rule(contacts=CONTACTS)
    def create(self, contacts: int) -> None:
        self.table.create(contacts)

    @rule(pick=PICK, contacts=CONTACTS, keep_name=st.booleans())
    def replace(self, pick: int, contacts: int, keep_name: bool) -> None:
        self.table.replace(self._pick(pick), contacts, keep_name=keep_name)

    @precondition(_has_others)  # the last one stays, so every write rule has someone to write to
    @rule(pick=PICK)
    def delete(self, pick: int) -> None:
        self.table.delete(self._pick(pick))

    @rule(pick=PICK)
    def write_pending(self, pick: int) -> None:
        self.table.write_pending(self._pick(pick))

    @rule(marker_says=st.booleans())
    def catch_up(self, marker_says: bool) -> None:
        table = self.table
        latest = None
        if marker_says and table.log and table.log[-1].revision == table.revision:
            latest = table.log[-1].municipality_ids
            table.log.pop()  # the marker alone says what the newest revision wrote
        caught_up = catch_up(self.snapshot, table.revision, table, latest)
        assert caught_up is not None
        assert state_of(caught_up) == state_of(table.full())
        self.snapshot = caught_up

    @invariant()
    def never_ahead_of_the_table(self) -> None:
        assert self.snapshot.revision <= self.table.revision


# Each example is a whole run of up to 50 writes and catch-ups, so half as many runs as the
# profile gives other tests: 25 in dev (the hand-seeded version had 24), 250 in ci.
CatchingUp.TestCase.settings = settings(
    max_examples=max(10, settings().max_examples // 2), deadline=None, stateful_step_count=50
)
test_catching_up_after_any_writes_equals_a_full_load = CatchingUp.TestCase


def test_the_snapshot_caught_up_from_is_left_as_it_was() -> None:
    table = Table(99)
    for _ in range(20):
        table.write_random()
    before = table.full()
    kept = state_of(before)
    for _ in range(10):
        table.write_random()
    assert catch_up(before, table.revision, table) is not None
    assert state_of(before) == kept


def test_a_revision_without_a_log_entry_means_a_full_load() -> None:
    table = Table(7)
    for _ in range(10):
        table.write_random()
    snapshot = table.full()
    table.write_random()
    table.write_random(logged=False)  # the writer died between the marker and the log
    table.write_random()
    assert catch_up(snapshot, table.revision, table) is None


def test_changed_since_needs_every_revision_in_the_range() -> None:
    log = [LogEntry(3, ("a",)), LogEntry(4, ("b", "c")), LogEntry(6, ("a",))]
    assert changed_since(log, 2, 4) == {"a", "b", "c"}
    assert changed_since(log, 2, 6) is None
    assert changed_since(log, 4, 4) == set()


def test_an_unreadable_document_leaves_the_snapshot_as_a_full_load_would() -> None:
    table = Table(3)
    for _ in range(5):
        table.write_random()
    snapshot = table.full()
    victim = next(iter(snapshot.by_id))
    table.revision += 1
    table.documents[victim] = StoredDocument(victim, 99, "{broken")
    table.log.append(LogEntry(table.revision, (victim,)))
    caught_up = catch_up(snapshot, table.revision, table)
    assert caught_up is not None and victim not in caught_up.by_id
    assert state_of(caught_up) == state_of(table.full())
    assert part_of(table.documents[victim], LINKS) is None
