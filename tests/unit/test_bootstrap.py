from __future__ import annotations

import pytest

from chalicelib.bootstrap import ConfigError, settings_from


def test_defaults() -> None:
    settings = settings_from({"GK_TABLE_NAME": "gk-directory-prod"})
    assert settings.refresh_seconds == 30
    assert settings.cache_max_age == 60
    assert settings.public_base_url == ""


def test_base_url_loses_its_trailing_slash() -> None:
    env = {"GK_TABLE_NAME": "t-1", "GK_PUBLIC_BASE_URL": "https://api.example.org/api/"}
    assert settings_from(env).public_base_url == "https://api.example.org/api"


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"GK_TABLE_NAME": "bad name!"},
        {"GK_TABLE_NAME": "t-1", "GK_REFRESH_SECONDS": "soon"},
        {"GK_TABLE_NAME": "t-1", "GK_REFRESH_SECONDS": "-1"},
        {"GK_TABLE_NAME": "t-1", "GK_PUBLIC_BASE_URL": "ftp://x"},
    ],
)
def test_bad_settings_fail_loudly(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        settings_from(env)
