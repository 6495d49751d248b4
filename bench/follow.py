"""A warm container following writes at scale, in a process of its own (for its peak RSS).

Run by bench/run.py against a table the bench filled: it loads the directory through
the Lambda handler, serves a round of reads, then repeatedly writes one municipality
(as another container would) and times how long this container takes to learn of it
and serve it — GET /municipalities/{id} right after the revision moved, catch-up
included. Prints one JSON line: the catch-up median, how the container followed
(catch-ups vs full loads) and its peak resident set size.

    python -m bench.follow <endpoint> <table> <writes>
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from typing import Any


def main(argv: list[str]) -> int:
    endpoint, table, writes = argv[0], argv[1], int(argv[2])
    os.environ.update(AWS_ENDPOINT_URL_DYNAMODB=endpoint, GK_TABLE_NAME=table, GK_REFRESH_SECONDS="30")
    from app import app
    from bench.run import event, handler_call
    from chalicelib import bootstrap

    started = time.perf_counter()
    handler_call(app, event("/municipalities", query={"q": "münster"}))()
    load_seconds = time.perf_counter() - started
    peaks = {"after_load": _peak_mb()}
    snapshot = bootstrap.directory().current().snapshot
    for path, resource_path, parameters in (
        ("/municipalities", None, None),
        (
            "/municipalities/05566/peers",
            "/municipalities/{municipality_id}/peers",
            {"municipality_id": "05566"},
        ),
        ("/municipalities/05566", "/municipalities/{municipality_id}", {"municipality_id": "05566"}),
    ):
        handler_call(app, event(path, resource_path, path_parameters=parameters))()

    peaks["after_reads"] = _peak_mb()
    from chalicelib.write.writer import DirectoryWriter
    from tests.support.synthetic import Synthetic

    peaks["write_side_imported"] = _peak_mb()

    writer = DirectoryWriter(bootstrap.store())
    synthetic = Synthetic(seed=4711)
    targets = [entry.id for entry in snapshot.municipalities if entry.id.startswith("059")][:writes]
    samples: list[float] = []
    directory = bootstrap.directory()
    for municipality_id in targets:
        version = bootstrap.store().get_document(municipality_id).version
        writer.replace(synthetic.model(id=municipality_id, contacts=2), version)  # another container's write
        directory.invalidate()  # as if this container's refresh interval had passed
        detail = handler_call(
            app,
            event(
                f"/municipalities/{municipality_id}",
                "/municipalities/{municipality_id}",
                path_parameters={"municipality_id": municipality_id},
            ),
        )
        start = time.perf_counter()
        response: Any = detail()
        samples.append(time.perf_counter() - start)
        served = json.loads(response["body"])
        if served["version"] != version + 1:  # the write (its stamp keeps the version)
            raise RuntimeError(f"{municipality_id} served at version {served['version']}, not {version + 1}")
    peaks["after_writes"] = _peak_mb()
    print(
        json.dumps(
            {
                "catch_up_median_ms": statistics.median(samples) * 1000,
                "catch_up_max_ms": max(samples) * 1000,
                "writes": len(samples),
                "catch_ups": directory.catch_ups,
                "full_loads": directory.full_loads,
                "load_s": load_seconds,
                "peak_rss_mb": peaks["after_writes"],
                "peak_rss_by_phase_mb": {phase: round(mb, 1) for phase, mb in peaks.items()},
                "municipalities": len(directory.current(check=False).snapshot.municipalities),
            }
        )
    )
    return 0


def _peak_mb() -> float:
    """This process's peak resident set size (VmHWM), in MiB.

    Not getrusage's ru_maxrss: Linux carries that across exec, so a child started by
    a large parent would report the parent's size at fork.
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: the best there is


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
