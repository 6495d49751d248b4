"""Least privilege: the functions may call what the store calls, on this table only."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import botocore.session
import pytest

from infra.stages import STAGES
from tests.support.package import ROOT, BuiltPackage

from .app_modules import ADMIN_ONLY_DYNAMODB_ACTIONS, LAMBDA_DYNAMODB_ACTIONS, STORE_SOURCES

pytestmark = pytest.mark.package

TABLE_ARN = {"Fn::GetAtt": ["DirectoryTable", "Arn"]}


def _is_client(node: ast.AST) -> bool:
    """`self._client`, read."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "_client"
        and isinstance(node.ctx, ast.Load)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    )


def client_methods(source: str) -> set[str]:
    """The boto3 client methods `self._client.<method>(...)` calls in the source.

    A paginator counts as the operation it pages. Any other use of `self._client`
    (an alias, getattr, passing it on) fails: calls made through it would escape the check.
    """
    tree = ast.parse(source)
    methods: set[str] = set()
    calls_on_client = 0
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and _is_client(node.func.value)
        ):
            calls_on_client += 1
            method = node.func.attr
            if method == "get_paginator":
                (operation,) = node.args
                assert isinstance(operation, ast.Constant) and isinstance(operation.value, str)
                method = operation.value
            methods.add(method)
    reads = sum(1 for node in ast.walk(tree) if _is_client(node))
    if reads != calls_on_client:
        raise AssertionError("self._client is used other than as self._client.<method>(...)")
    return methods


def iam_action(method: str) -> str:
    return "dynamodb:" + "".join(part.capitalize() for part in method.split("_"))


DYNAMODB_OPERATIONS = set(botocore.session.get_session().get_service_model("dynamodb").operation_names)


def test_the_lambda_actions_are_exactly_the_stores_calls() -> None:
    called = {
        iam_action(m) for source in STORE_SOURCES for m in client_methods(source.read_text(encoding="utf-8"))
    }
    assert {a.removeprefix("dynamodb:") for a in called} <= DYNAMODB_OPERATIONS
    # the parser sees today's calls, lifecycle included
    assert {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:CreateTable"} <= called
    assert set(LAMBDA_DYNAMODB_ACTIONS) == called - set(ADMIN_ONLY_DYNAMODB_ACTIONS)
    assert not set(LAMBDA_DYNAMODB_ACTIONS) & set(ADMIN_ONLY_DYNAMODB_ACTIONS)


def test_the_call_reader_follows_paginators_and_refuses_aliases() -> None:
    paged = "def f(self):\n    self._client.get_paginator('scan')\n    self._client.batch_write_item()\n"
    assert {iam_action(m) for m in client_methods(paged)} == {"dynamodb:Scan", "dynamodb:BatchWriteItem"}
    with pytest.raises(AssertionError, match="other than"):
        client_methods("def f(self):\n    client = self._client\n    client.scan()\n")


def _statements(built: BuiltPackage, role_id: str) -> list[dict[str, Any]]:
    (policy,) = built.resources[role_id]["Properties"]["Policies"]
    statements: list[dict[str, Any]] = policy["PolicyDocument"]["Statement"]
    return statements


def _role_ids(built: BuiltPackage) -> dict[str, str]:
    return {
        function_id: function["Properties"]["Role"]["Fn::GetAtt"][0]
        for function_id, function in built.of_type("AWS::Serverless::Function").items()
    }


def test_each_functions_role_may_use_this_table_and_its_own_logs_only(stage_package: BuiltPackage) -> None:
    for function_id, role_id in _role_ids(stage_package).items():
        statements = _statements(stage_package, role_id)
        assert all(s["Effect"] == "Allow" for s in statements)
        dynamodb = [s for s in statements if any(a.startswith("dynamodb:") for a in s["Action"])]
        assert dynamodb == [
            {"Effect": "Allow", "Action": list(LAMBDA_DYNAMODB_ACTIONS), "Resource": TABLE_ARN}
        ]
        (logs,) = [s for s in statements if s not in dynamodb]
        assert sorted(logs["Action"]) == ["logs:CreateLogStream", "logs:PutLogEvents"]
        assert logs["Resource"] == [{"Fn::GetAtt": [f"{function_id}LogGroup", "Arn"]}]
        assert "*" not in json.dumps(statements)


def test_the_role_keeps_no_statement_of_the_policy_file(stage_package: BuiltPackage) -> None:
    for role_id in _role_ids(stage_package).values():
        (policy,) = stage_package.resources[role_id]["Properties"]["Policies"]
        assert policy["PolicyName"] == f"{role_id}Policy"


def _chalice_config() -> dict[str, Any]:
    config: dict[str, Any] = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    return config


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_policy_files_for_chalice_deploy_agree_with_the_template(stage: str) -> None:
    """`chalice package` reads them and the merge replaces them; `chalice deploy` would use them."""
    config = _chalice_config()
    assert config["autogen_policy"] is False
    stage_config = config["stages"][stage]
    table_name = stage_config["environment_variables"]["GK_TABLE_NAME"]
    policy = json.loads(Path(ROOT / ".chalice" / stage_config["iam_policy_file"]).read_text(encoding="utf-8"))
    (dynamodb,) = [s for s in policy["Statement"] if any(a.startswith("dynamodb:") for a in s["Action"])]
    assert sorted(dynamodb["Action"]) == sorted(LAMBDA_DYNAMODB_ACTIONS)
    assert dynamodb["Resource"] == f"arn:aws:dynamodb:*:*:table/{table_name}"
