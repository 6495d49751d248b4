"""The OpenAPI coverage check at the end of the run: the requests of test_openapi_responses.py
must reach every operation of the committed document.

It can only judge a run in which that whole module ran and passed: with -k, -m or a node id
that picks some of its tests, after -x stopped early, or when one of them failed or skipped,
the check says why it did not judge instead of failing. REACHED lives in this process, so the
check is for runs without pytest-xdist (the project does not use it).
"""

from __future__ import annotations

from typing import ClassVar

import pytest

from tests.support.openapi import REACHED, unreached_operations

MODULE = "test_openapi_responses.py"


def _in_module(nodeid: str) -> bool:
    return nodeid.split("::", 1)[0].endswith(f"/{MODULE}")


class _Outcomes:
    deselected = False
    passed: ClassVar[set[str]] = set()
    unsound: ClassVar[set[str]] = set()  # failed or skipped in some phase


def pytest_deselected(items: list[pytest.Item]) -> None:
    if any(_in_module(item.nodeid) for item in items):
        _Outcomes.deselected = True


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not _in_module(report.nodeid):
        return
    if report.failed or report.skipped:
        _Outcomes.unsound.add(report.nodeid)
    elif report.when == "call":
        _Outcomes.passed.add(report.nodeid)


def _why_not_judged(session: pytest.Session) -> str | None:
    """None when the whole module ran and passed, else why the coverage cannot be judged."""
    items = [item for item in session.items if _in_module(item.nodeid)]
    if not items:
        return "it did not run"
    if _Outcomes.deselected or any(f"{MODULE}::" in arg for arg in session.config.args):
        return "only some of its tests were selected"
    if _Outcomes.unsound:
        return "some of its tests failed or skipped"
    if {item.nodeid for item in items} - _Outcomes.passed:
        return "the run stopped before all of its tests ran"
    return None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    why = _why_not_judged(session)
    if why is not None:
        if why != "it did not run" and reporter is not None:
            reporter.write("\n")
            reporter.write_sep("-", "OpenAPI coverage")
            reporter.write_line(f"not checked: {why} ({MODULE}).")
        return
    missing = unreached_operations(REACHED)
    if not missing and reporter is not None:
        reporter.write("\n")
        reporter.write_sep("-", "OpenAPI coverage")
        reporter.write_line(f"{MODULE} reached every documented operation.")
    if missing:
        if reporter is not None:
            reporter.write("\n")
            reporter.write_sep("-", "OpenAPI coverage", red=True)
            reporter.write_line(
                f"{MODULE} reached no response of "
                + ", ".join(f"{method} {path}" for path, method in sorted(missing)),
                red=True,
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
