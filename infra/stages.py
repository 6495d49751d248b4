"""What differs between the deployed stages, in one place.

The directory's traffic is small and bursty — widgets on some 73 municipal sites,
tens of thousands of requests a month — so the throttles are far above what real
readers need and far below what would run up a bill or starve DynamoDB if a page
or a script loops. Lambda settings (memory, timeout, environment) stay in
.chalice/config.json, where chalice reads them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StageSettings:
    name: str
    # Deletion protection on the table, and DeletionPolicy/UpdateReplacePolicy Retain:
    # neither a stack delete nor a replacing update can drop the data.
    protect_data: bool
    # API Gateway stage throttling, applied to every method ("/*" "*"): steady
    # requests per second and the bucket that absorbs bursts above it.
    throttle_rate_limit: float
    throttle_burst_limit: int
    log_retention_days: int
    # API 5XXError responses per five minutes that raise the alarm. The API serves a
    # stale snapshot rather than fail, so a few 5xx already mean something is wrong.
    api_5xx_alarm_threshold: int


STAGES: dict[str, StageSettings] = {
    "dev": StageSettings(
        name="dev",
        protect_data=False,
        throttle_rate_limit=10,
        throttle_burst_limit=20,
        log_retention_days=14,
        api_5xx_alarm_threshold=5,
    ),
    "prod": StageSettings(
        name="prod",
        protect_data=True,
        throttle_rate_limit=50,
        throttle_burst_limit=100,
        log_retention_days=90,
        api_5xx_alarm_threshold=3,
    ),
}


def stage_settings(name: str) -> StageSettings:
    try:
        return STAGES[name]
    except KeyError:
        raise ValueError(f"no deployment settings for stage {name!r}; known: {', '.join(STAGES)}") from None
