"""Which table and endpoint a command uses: options › environment › make run's .gk-local.json."""

from __future__ import annotations

from pathlib import Path

import pytest
from botocore.exceptions import ProfileNotFound

from admin.connection import (
    ConnectionProblem,
    LocalRun,
    Options,
    dynamodb_client,
    is_loopback,
    read_local_service,
    resolve,
    session_for,
)

LOCAL = LocalRun("http://127.0.0.1:8123", "gk-directory-local")


def test_the_local_service_needs_no_settings() -> None:
    found = resolve(Options(), {}, LOCAL)
    assert (found.table, found.endpoint_url, found.local) == ("gk-directory-local", LOCAL.endpoint, LOCAL)
    assert found.loopback


def test_options_beat_the_environment_which_beats_the_local_file() -> None:
    env = {
        "GK_TABLE_NAME": "from-env",
        "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:9",
        "AWS_REGION": "eu-west-1",
    }
    options = Options(table="from-option", endpoint_url="http://localhost:7", region="us-east-1")
    found = resolve(options, env, LOCAL)
    assert (found.table, found.endpoint_url, found.region, found.local) == (
        "from-option", "http://localhost:7", "us-east-1", None
    )
    found = resolve(Options(), env, LOCAL)
    assert (found.table, found.endpoint_url, found.region, found.local) == (
        "from-env", "http://127.0.0.1:9", "eu-west-1", None
    )
    assert resolve(Options(), {"AWS_DEFAULT_REGION": "eu-west-3"}, LOCAL).region == "eu-west-3"


def test_the_local_file_comes_as_a_pair_or_not_at_all() -> None:
    # A table named for AWS never lands on the local emulator …
    prod = resolve(Options(table="gk-directory-prod", region="eu-central-1"), {}, LOCAL)
    assert (prod.endpoint_url, prod.local) == (None, None)
    assert not prod.loopback
    # … and another emulator never gets the local table's name.
    with pytest.raises(ConnectionProblem, match="no table"):
        resolve(Options(endpoint_url="http://127.0.0.1:9999"), {}, LOCAL)
    # The local endpoint named explicitly still goes with its table.
    assert resolve(Options(endpoint_url=LOCAL.endpoint), {}, LOCAL).table == LOCAL.table


def test_no_table_anywhere_is_a_clear_error() -> None:
    with pytest.raises(ConnectionProblem, match=r"--table.*GK_TABLE_NAME.*make run"):
        resolve(Options(), {"GK_TABLE_NAME": "  "}, None)
    with pytest.raises(ConnectionProblem, match="table name"):
        resolve(Options(table="no spaces please"), {}, None)
    with pytest.raises(ConnectionProblem, match="endpoint"):
        resolve(Options(table="t-1", endpoint_url="127.0.0.1:8000"), {}, None)


def test_the_local_file_is_read_tolerantly(tmp_path: Path) -> None:
    path = tmp_path / ".gk-local.json"
    assert read_local_service(path) is None
    path.write_text("{not json", encoding="utf-8")
    assert read_local_service(path) is None
    path.write_text('{"endpoint": "http://127.0.0.1:8123"}', encoding="utf-8")
    assert read_local_service(path) is None
    path.write_text('{"endpoint": "http://127.0.0.1:8123", "table": "gk-directory-local"}', encoding="utf-8")
    assert read_local_service(path) == LOCAL
    assert LOCAL.api_url == "http://127.0.0.1:8000"
    path.write_text('{"endpoint": "e", "table": "t", "api": "http://127.0.0.1:8001/"}', encoding="utf-8")
    found = read_local_service(path)
    assert found is not None and found.api_url == "http://127.0.0.1:8001"


@pytest.mark.parametrize(
    ("endpoint", "loopback"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost:8000", True),
        ("http://[::1]:8000", True),
        ("http://127.0.0.2:8000", True),
        ("https://dynamodb.eu-central-1.amazonaws.com", False),
        ("http://10.0.0.5:8000", False),
        (None, False),
    ],
)
def test_loopback_endpoints(endpoint: str | None, loopback: bool) -> None:
    assert is_loopback(endpoint) is loopback


def test_an_emulator_on_loopback_gets_dummy_credentials_never_the_operators(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAOPERATORSOWN")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "operators-own-secret")
    local = resolve(Options(), {}, LOCAL)
    credentials = session_for(local).get_credentials()
    assert credentials is not None and credentials.access_key == "local"
    client = dynamodb_client(local)
    assert (client.meta.endpoint_url, client.meta.region_name) == (LOCAL.endpoint, "eu-central-1")

    aws = resolve(Options(table="gk-directory-prod", region="eu-west-1"), {}, None)
    credentials = session_for(aws).get_credentials()
    assert credentials is not None and credentials.access_key == "AKIAOPERATORSOWN"
    client = dynamodb_client(aws)
    assert client.meta.region_name == "eu-west-1"
    assert client.meta.endpoint_url == "https://dynamodb.eu-west-1.amazonaws.com"


def test_an_unknown_profile_is_named() -> None:
    with pytest.raises(ProfileNotFound, match="no-such-profile"):
        session_for(resolve(Options(table="t-1", profile="no-such-profile"), {}, None))
