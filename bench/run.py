"""`make bench`: speed as ratios against a baseline measured in the same run.

Every request goes through the Lambda handler (`app(event, context)`) with an
API Gateway proxy event, beside a bare Chalice route that returns a constant —
so the ratios say what our code costs on top of Chalice, on whatever machine
runs this. Figures go to bench/results.json and are printed as a table.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chalice import Chalice

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
SEARCH_QUERY = "münster"
BROAD_QUERY = "kreis"

TARGETS = {
    "search_73_vs_bare": ("<=", 3.0),
    "detail_73_vs_bare": ("<=", 1.2),
    "search_10k_median_ms": ("<=", 3.0),
    "import_app_vs_chalice_boto3": ("<=", 1.25),
    "ddb_calls_per_warm_request": ("<=", 0),
    "vcard_vs_bare": ("<=", 2.0),
    "vcards_all_median_ms": ("<=", 10.0),
}


def event(
    path: str,
    resource: str | None = None,
    query: dict[str, str] | None = None,
    path_parameters: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An API Gateway REST proxy event, as Lambda receives it."""
    resource = resource or path
    return {
        "resource": resource,
        "path": path,
        "httpMethod": "GET",
        "headers": {"Host": "bench.local", "Accept": "*/*"},
        "multiValueHeaders": {},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": path_parameters,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": "GET",
            "stage": "api",
            "path": "/api" + path,
        },
        "body": None,
        "isBase64Encoded": False,
    }


def median_seconds(call: Callable[[], Any], runs: int, warmup: int = 50) -> float:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def bare_app() -> Chalice:
    bare = Chalice(app_name="bare")

    @bare.route("/")
    def index() -> dict[str, str]:
        return {"hello": "world"}

    return bare


def handler_call(app: Chalice, evt: dict[str, Any], expect: int = 200) -> Callable[[], Any]:
    def call() -> Any:
        response = app(evt, None)
        if response["statusCode"] != expect:
            raise RuntimeError(f"{evt['path']} answered {response['statusCode']}: {response['body'][:200]}")
        return response

    return call


def import_ratio(runs: int = 9) -> tuple[float, float, float]:
    """Median wall time of `import app` vs `import chalice, boto3`, each in a fresh interpreter."""
    probe = "import time; t = time.perf_counter(); import {}; print(time.perf_counter() - t)"

    def once(module: str) -> float:
        out = subprocess.run(
            [sys.executable, "-c", probe.format(module)], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return float(out.stdout.strip())

    ours, baseline = [], []
    for _ in range(runs):  # interleaved, so drift hits both alike
        ours.append(once("app"))
        baseline.append(once("chalice, boto3"))
    return (
        statistics.median(ours) / statistics.median(baseline),
        statistics.median(ours),
        statistics.median(baseline),
    )


def directory_of(count: int, contacts: int, seed: int) -> list[Any]:
    from tests.support.synthetic import Synthetic

    synthetic = Synthetic(seed=seed)
    return [synthetic.model(contacts=contacts) for _ in range(count)]


def main() -> int:
    from chalicelib import bootstrap
    from chalicelib.write import importer
    from chalicelib.write.reference import load_reference
    from chalicelib.write.writer import DirectoryWriter
    from devtools.emulator import MotoServer, use_local_credentials

    results: dict[str, float] = {}
    notes: dict[str, Any] = {}
    use_local_credentials()
    moto = MotoServer().start()
    os.environ.update(
        AWS_ENDPOINT_URL_DYNAMODB=moto.endpoint, GK_TABLE_NAME="gk-bench", GK_REFRESH_SECONDS="30"
    )
    bootstrap.reset()
    try:
        store = bootstrap.store()
        store.create_table()
        writer = DirectoryWriter(store)
        # 73 municipalities as in the initiative: the shipped ones plus synthetic ones,
        # every synthetic one with 5 contacts.
        reference = load_reference(importer.DEFAULT_REFERENCE)
        shipped = importer.read_directory(importer.DEFAULT_DIRECTORY, reference)
        writer.import_all([*shipped, *directory_of(73 - len(shipped), 5, seed=73)])

        from app import app

        bare = bare_app()
        bare_call = handler_call(bare, event("/"))
        search_call = handler_call(app, event("/municipalities", query={"q": SEARCH_QUERY}))
        detail_call = handler_call(
            app,
            event(
                "/municipalities/05566",
                "/municipalities/{municipality_id}",
                path_parameters={"municipality_id": "05566"},
            ),
        )
        search_call()  # cold: loads the snapshot

        calls: Counter[str] = Counter()
        client = bootstrap.store()._client  # the app's own client: every DynamoDB call it makes
        client.meta.events.register("before-call.dynamodb", lambda model, **_: calls.update([model.name]))

        runs, blocks = 3000, 3
        # Alternate baseline and subject in blocks so machine noise lands on both.
        bare_s, search_s, detail_s = [], [], []
        for _ in range(blocks):
            bare_s.append(median_seconds(bare_call, runs))
            search_s.append(median_seconds(search_call, runs))
            detail_s.append(median_seconds(detail_call, runs))
        bare_median = statistics.median(bare_s)
        results["search_73_vs_bare"] = statistics.median(search_s) / bare_median
        results["detail_73_vs_bare"] = statistics.median(detail_s) / bare_median
        app_requests = blocks * 2 * (runs + 50)  # median_seconds adds 50 warm-up calls
        results["ddb_calls_per_warm_request"] = sum(calls.values()) / app_requests
        notes["bare_route_median_us"] = round(bare_median * 1e6, 1)
        notes["search_73_median_us"] = round(statistics.median(search_s) * 1e6, 1)
        notes["detail_73_median_us"] = round(statistics.median(detail_s) * 1e6, 1)

        vcard_figures(app, bare_call, bare_median, results, notes)

        big = [*shipped, *directory_of(10_000 - len(shipped), 2, seed=10_000)]
        results["search_10k_median_ms"], notes["snapshot_10k_load_s"], notes["search_10k_matches"] = (
            search_at_scale(app, big, notes)
        )

        ratio, ours, baseline = import_ratio()
        results["import_app_vs_chalice_boto3"] = ratio
        notes["import_app_ms"] = round(ours * 1000, 1)
        notes["import_chalice_boto3_ms"] = round(baseline * 1000, 1)
    finally:
        moto.stop()
        bootstrap.reset()

    report(results, notes)
    return 0


def vcard_figures(
    app: Chalice,
    bare_call: Callable[[], Any],
    bare_median: float,
    results: dict[str, float],
    notes: dict[str, Any],
) -> None:
    from chalicelib import bootstrap

    snapshot = bootstrap.directory().current().snapshot
    contact_id = next(iter(snapshot.contacts))
    vcard_call = handler_call(
        app,
        event(
            f"/contacts/{contact_id}/vcard",
            "/contacts/{contact_id}/vcard",
            path_parameters={"contact_id": contact_id},
        ),
    )
    all_call = handler_call(app, event("/vcards"))
    results["vcard_vs_bare"] = median_seconds(vcard_call, 3000) / median_seconds(bare_call, 3000)
    results["vcards_all_median_ms"] = median_seconds(all_call, 200) * 1000
    notes["vcards_all_contacts"] = len(snapshot.contacts)
    from chalicelib.cards.render import render_directory_uncached

    notes["vcards_all_uncached_ms"] = round(
        median_seconds(lambda: render_directory_uncached(snapshot), 20, warmup=2) * 1000, 2
    )


def search_at_scale(
    app: Chalice, municipalities: list[Any], notes: dict[str, Any]
) -> tuple[float, float, int]:
    """The same search over a table of 10,000 municipalities, loaded like any other."""
    from chalicelib import bootstrap
    from chalicelib.write.writer import DirectoryWriter

    os.environ["GK_TABLE_NAME"] = "gk-bench-10k"
    bootstrap.reset()
    bootstrap.store().create_table()
    DirectoryWriter(bootstrap.store()).import_all(municipalities)
    start = time.perf_counter()
    bootstrap.directory().current()
    load = time.perf_counter() - start
    call = handler_call(app, event("/municipalities", query={"q": SEARCH_QUERY}))
    total = json.loads(call()["body"])["total"]
    # For the record: a query that matches a fifth of the directory (sorting dominates).
    broad = handler_call(app, event("/municipalities", query={"q": BROAD_QUERY}))
    notes["search_10k_broad_matches"] = json.loads(broad()["body"])["total"]
    notes["search_10k_broad_median_ms"] = round(median_seconds(broad, 100) * 1000, 3)
    return median_seconds(call, 500) * 1000, round(load, 2), total


def report(results: dict[str, float], notes: dict[str, Any]) -> None:
    rounded = {k: round(v, 3) for k, v in results.items()}
    RESULTS.write_text(json.dumps({**rounded, "notes": notes}, indent=2, ensure_ascii=False) + "\n")
    print(f"{'figure':<32}{'value':>10}  {'target':>8}  ok")
    for key, value in rounded.items():
        op, target = TARGETS[key]
        ok = value <= target
        print(f"{key:<32}{value:>10}  {op}{target:>6}  {'yes' if ok else 'MISSED'}")
    for key, value in notes.items():
        print(f"  {key}: {value}")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
