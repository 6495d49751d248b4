"""Writes under load (issue 21.6): 32 concurrent writers, on moto's server over HTTP.

Each writer adds a contact through the editing API's own code (bootstrap's Editor,
the write protocol with its retries), either all to one municipality — every write
races for the same item, and a lost race is retried — or each to a municipality of
its own. Per write: its latency from call to answer. Conflicts are counted where
DynamoDB refuses a conditional put (ConditionalCheckFailed); failures are writes
that raised, and must be 0.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

WRITERS = 32
ROUNDS = 3


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _round(
    write: Callable[[str, dict[str, Any]], object], offices: list[str], bodies: list[dict[str, Any]]
) -> tuple[list[float], list[str]]:
    """All writers at once (released by a barrier): each write's seconds, and what failed."""
    start = threading.Barrier(len(offices))
    lock = threading.Lock()
    samples: list[float] = []
    failures: list[str] = []

    def writer(office_id: str, body: dict[str, Any]) -> None:
        start.wait()
        began = time.perf_counter()
        try:
            write(office_id, body)
        except Exception as exc:  # a failure is a figure, not a crash
            with lock:
                failures.append(type(exc).__name__)
            return
        took = time.perf_counter() - began
        with lock:
            samples.append(took)

    threads = [threading.Thread(target=writer, args=pair) for pair in zip(offices, bodies, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, failures


def measure(office_ids_of: dict[str, list[str]], seed: int = 2106) -> dict[str, Any]:
    """{scenario: {p50_ms, p99_ms, conflicts_retried, failures, writes}} for both scenarios."""
    from chalicelib import bootstrap
    from chalicelib.domain.edits import Preconditions
    from chalicelib.domain.principal import Principal
    from tests.support.synthetic import Synthetic

    admin = Principal("t-bench", "bench writers", "admin")
    anyway = Preconditions("*")
    editor = bootstrap.editor()
    conflicts: Counter[str] = Counter()

    def refused(http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if (
            parsed.get("Error", {}).get("Code") == "ConditionalCheckFailedException"
            and model.name == "PutItem"
        ):
            conflicts.update(["put"])

    bootstrap.client().meta.events.register("after-call.dynamodb", refused)
    synthetic = Synthetic(seed=seed)
    municipalities = sorted(office_ids_of)
    scenarios = {
        "one_municipality": [office_ids_of[municipalities[0]][0]] * WRITERS,
        "many_municipalities": [office_ids_of[m][0] for m in municipalities[1 : WRITERS + 1]],
    }
    results: dict[str, Any] = {}
    for name, offices in scenarios.items():
        if len(offices) < WRITERS:
            raise RuntimeError(f"{name}: only {len(offices)} municipalities to write to")
        samples: list[float] = []
        failures: list[str] = []
        conflicts.clear()
        for _ in range(ROUNDS):
            bodies = [{k: v for k, v in synthetic.contact().items() if k != "id"} for _ in offices]
            took, failed = _round(
                lambda office, body: editor.add_contact(admin, office, body, anyway), offices, bodies
            )
            samples += took
            failures += failed
        results[name] = {
            "p50_ms": statistics.median(samples) * 1000 if samples else float("nan"),
            "p99_ms": percentile(samples, 0.99) * 1000 if samples else float("nan"),
            "conflicts_retried": conflicts["put"],
            "failures": len(failures),
            "failure_kinds": sorted(set(failures)),
            "writes": len(samples) + len(failures),
        }
    bootstrap.client().meta.events.unregister("after-call.dynamodb", refused)
    return results
