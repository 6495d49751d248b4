"""The garbage collector during a Lambda cold start: held until the first answer is out.

A cold start creates ~10⁵ objects that live as long as the container — modules, boto3's
client, the snapshot — and next to no garbage, yet the collector runs dozens of times
meanwhile, each pass walking everything created so far: ~10 ms of a ~215 ms cold start
(`make bench`, cold_first_request_vs_bare). app.py holds it before anything is
imported; the edge (edge.py) releases it after the first answer, first freezing what is
alive, as the directory does after every load (domain/directory.py), so later passes
never walk it.

Only in Lambda (AWS_LAMBDA_FUNCTION_NAME set, as its runtime sets it): a test run or
`make run` imports the app without answering at once, and keeps its collector.
"""

from __future__ import annotations

import gc
import os

_held = [False]


def hold_until_first_answer() -> None:
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME") and gc.isenabled():
        gc.disable()
        _held[0] = True


def release() -> None:
    """After an answer: the collector back on if it was held (cheap to call on every answer)."""
    if _held[0]:
        _held[0] = False
        gc.freeze()
        gc.enable()
