"""The merge covers every function chalice emits — an authorizer's too — and refuses
templates it was not written for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infra.stages import STAGES
from infra.template import TemplateError, build_merge_template
from tests.support.package import BuiltPackage

pytestmark = pytest.mark.package

def test_the_authorizer_gets_the_same_treatment_as_the_api_handler(prod_package: BuiltPackage) -> None:
    # app.py registers the token authorizer (routes/authorizer.py): chalice emits it as a function.
    resources = json.loads(prod_package.package.template.read_text(encoding="utf-8"))["Resources"]
    functions = {rid: r for rid, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
    assert sorted(functions) == ["APIHandler", "TokenAuthorizer"]
    for function_id, function in functions.items():
        properties = function["Properties"]
        assert properties["Environment"]["Variables"]["GK_TABLE_NAME"] == {"Ref": "DirectoryTable"}
        assert properties["FunctionName"] == f"gk-directory-prod-{function_id}"
        role_id = properties["Role"]["Fn::GetAtt"][0]
        (policy,) = resources[role_id]["Properties"]["Policies"]
        assert policy["PolicyName"] == f"{role_id}Policy"
        for suffix in ("LogGroup", "ErrorsAlarm", "ThrottlesAlarm"):
            assert f"{function_id}{suffix}" in resources
    # two functions, two roles: chalice gives each function its own when autogen_policy is false
    assert len({f["Properties"]["Role"]["Fn::GetAtt"][0] for f in functions.values()}) == 2


def _chalice_template(built: BuiltPackage) -> dict[str, Any]:
    """What chalice emitted in step 1, before the merge."""
    template: dict[str, Any] = json.loads(built.package.chalice_template.read_text(encoding="utf-8"))
    return template


def test_the_merge_is_reproducible_from_chalices_part(prod_package: BuiltPackage) -> None:
    merge = json.loads(prod_package.package.merge_template.read_text(encoding="utf-8"))
    assert build_merge_template(_chalice_template(prod_package), STAGES["prod"]) == merge


def test_refuses_a_merged_template(prod_package: BuiltPackage) -> None:
    with pytest.raises(TemplateError, match="without --merge-template"):
        build_merge_template(prod_package.template, STAGES["prod"])


def test_refuses_another_stages_package(prod_package: BuiltPackage) -> None:
    with pytest.raises(TemplateError, match="chalice packaged stage 'prod'"):
        build_merge_template(_chalice_template(prod_package), STAGES["dev"])


def test_refuses_a_function_with_a_role_from_elsewhere(prod_package: BuiltPackage) -> None:
    template = _chalice_template(prod_package)
    template["Resources"]["APIHandler"]["Properties"]["Role"] = "arn:aws:iam::123456789012:role/broad"
    with pytest.raises(TemplateError, match="pre-created role"):
        build_merge_template(template, STAGES["prod"])


def test_refuses_a_stage_without_a_table_name(prod_package: BuiltPackage) -> None:
    template = _chalice_template(prod_package)
    del template["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]["GK_TABLE_NAME"]
    with pytest.raises(TemplateError, match="GK_TABLE_NAME"):
        build_merge_template(template, STAGES["prod"])


def test_the_command_line_prints_the_merge(prod_package: BuiltPackage, tmp_path: Path) -> None:
    from infra.template import main

    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "sam.json").write_text(json.dumps(_chalice_template(prod_package)))
    assert (
        main(["--stage", "prod", "--package-dir", str(plain), "--output", str(tmp_path / "merge.json")]) == 0
    )
    merge = json.loads((tmp_path / "merge.json").read_text(encoding="utf-8"))
    assert merge == json.loads(prod_package.package.merge_template.read_text(encoding="utf-8"))


def test_refuses_to_merge_over_a_resource_chalice_made(prod_package: BuiltPackage) -> None:
    template = _chalice_template(prod_package)
    template["Resources"]["DirectoryTable"] = {"Type": "AWS::DynamoDB::Table", "Properties": {}}
    with pytest.raises(TemplateError, match=r"already has \['DirectoryTable'\]"):
        build_merge_template(template, STAGES["prod"])
