"""The one SAM template `make package` produces: valid, and holding what production needs."""

from __future__ import annotations

import json

import pytest
from cfnlint.api import lint

from infra import project
from infra.stages import STAGES
from infra.template import GATEWAY_ANSWERS
from tests.support.package import BuiltPackage

pytestmark = pytest.mark.package

REGION = "eu-central-1"


def test_cfn_lint_finds_nothing(stage_package: BuiltPackage) -> None:
    # cfn-lint validates the SAM resources against SAM's schemas and the rest against
    # CloudFormation's, errors and warnings alike.
    matches = lint(stage_package.package.template.read_text(encoding="utf-8"), regions=[REGION])
    assert [str(match) for match in matches] == []


def test_cfn_lint_sees_the_template(prod_package: BuiltPackage) -> None:
    """A guard against a lint that passes because it checked nothing."""
    template = json.loads(json.dumps(prod_package.template))
    template["Resources"]["DirectoryTable"]["Properties"]["BillingMode"] = "CHEAP"
    template["Resources"]["RestAPI"]["Properties"]["MethodSettings"][0]["Bogus"] = 1
    rules = {match.rule.id for match in lint(json.dumps(template), regions=[REGION])}
    assert {"E3030", "E3002"} <= rules


def test_one_template_with_chalices_resources_and_ours(stage_package: BuiltPackage) -> None:
    assert sorted(p.name for p in stage_package.package.directory.iterdir()) == ["deployment.zip", "sam.json"]
    assert stage_package.template["Transform"] == "AWS::Serverless-2016-10-31"
    types = {r["Type"] for r in stage_package.resources.values()}
    assert {"AWS::Serverless::Api", "AWS::Serverless::Function", "AWS::DynamoDB::Table"} <= types


def test_table_follows_the_key_layout(stage_package: BuiltPackage) -> None:
    (table,) = stage_package.of_type("AWS::DynamoDB::Table").values()
    properties = table["Properties"]
    for key in ("AttributeDefinitions", "KeySchema", "BillingMode"):
        assert properties[key] == project.TABLE_DEFINITION[key]
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["SSESpecification"] == {"SSEEnabled": True}
    assert properties["TableName"] == f"gk-directory-{stage_package.stage}"


def test_prod_table_survives_stack_deletion_and_replacement(prod_package: BuiltPackage) -> None:
    table = prod_package.resources["DirectoryTable"]
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"
    assert table["Properties"]["DeletionProtectionEnabled"] is True


def test_dev_table_goes_with_its_stack(dev_package: BuiltPackage) -> None:
    table = dev_package.resources["DirectoryTable"]
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Delete"
    assert table["Properties"]["DeletionProtectionEnabled"] is False


def test_every_function_reads_the_table_name_from_the_table(stage_package: BuiltPackage) -> None:
    functions = stage_package.of_type("AWS::Serverless::Function")
    assert functions
    for function in functions.values():
        variables = function["Properties"]["Environment"]["Variables"]
        assert variables[project.TABLE_NAME_VARIABLE] == {"Ref": "DirectoryTable"}
        assert variables["GK_REFRESH_SECONDS"] == "30"  # the rest of config.json's stage stays


def _definition(built: BuiltPackage) -> dict[str, object]:
    (api,) = built.of_type("AWS::Serverless::Api").values()
    definition: dict[str, object] = api["Properties"]["DefinitionBody"]
    return definition


EXPECTED_GATEWAY_ANSWERS = {
    "MISSING_AUTHENTICATION_TOKEN": ("404", "not_found"),
    "UNAUTHORIZED": ("401", "unauthenticated"),
    "ACCESS_DENIED": ("403", "forbidden"),
    "THROTTLED": ("429", "throttled"),
    "REQUEST_TOO_LARGE": ("413", "payload_too_large"),
    "DEFAULT_4XX": (None, "bad_request"),
    "DEFAULT_5XX": (None, "internal_error"),
}


@pytest.mark.parametrize("response_type", sorted(EXPECTED_GATEWAY_ANSWERS))
def test_gateway_answers_in_the_error_envelope_with_cors(
    prod_package: BuiltPackage, response_type: str
) -> None:
    responses = _definition(prod_package)["x-amazon-apigateway-gateway-responses"]
    assert isinstance(responses, dict)
    response = responses[response_type]
    status, code = EXPECTED_GATEWAY_ANSWERS[response_type]
    assert response.get("statusCode") == status
    envelope = json.loads(response["responseTemplates"]["application/json"])
    assert envelope == {"error": {"code": code, "message": envelope["error"]["message"], "details": {}}}
    assert envelope["error"]["message"]
    headers = response["responseParameters"]
    assert headers["gatewayresponse.header.Access-Control-Allow-Origin"] == "'*'"
    assert headers["gatewayresponse.header.Content-Type"].startswith("'application/json")
    # Static header values are single-quoted; anything else would be read as a request parameter.
    assert all(value.startswith("'") and value.endswith("'") for value in headers.values())


def test_unauthorized_names_the_bearer_scheme(prod_package: BuiltPackage) -> None:
    responses = _definition(prod_package)["x-amazon-apigateway-gateway-responses"]
    assert isinstance(responses, dict)
    assert (
        responses["UNAUTHORIZED"]["responseParameters"]["gatewayresponse.header.WWW-Authenticate"]
        == "'Bearer realm=\"gk-directory\"'"
    )


def test_every_gateway_answer_is_checked() -> None:
    assert set(GATEWAY_ANSWERS) == set(EXPECTED_GATEWAY_ANSWERS)


def test_the_api_is_regional(stage_package: BuiltPackage) -> None:
    """Its custom domain's certificate and all its traffic stay in the stack's region."""
    (api,) = stage_package.of_type("AWS::Serverless::Api").values()
    assert api["Properties"]["EndpointConfiguration"] == "REGIONAL"


def test_stage_throttling_comes_from_the_stage_settings(stage_package: BuiltPackage) -> None:
    (api,) = stage_package.of_type("AWS::Serverless::Api").values()
    settings = STAGES[stage_package.stage]
    assert api["Properties"]["MethodSettings"] == [
        {
            "ResourcePath": "/*",
            "HttpMethod": "*",
            "ThrottlingRateLimit": settings.throttle_rate_limit,
            "ThrottlingBurstLimit": settings.throttle_burst_limit,
        }
    ]
    assert STAGES["prod"].throttle_rate_limit > 0 and STAGES["prod"].throttle_burst_limit > 0


def test_alarms_on_api_5xx_and_each_functions_errors_and_throttles(stage_package: BuiltPackage) -> None:
    alarms = [a["Properties"] for a in stage_package.of_type("AWS::CloudWatch::Alarm").values()]
    watched = sorted(
        (p["Namespace"], p["MetricName"], json.dumps({d["Name"]: d["Value"] for d in p["Dimensions"]}))
        for p in alarms
    )
    api_dimensions = {"ApiName": f"gk-directory-{stage_package.stage}", "Stage": "api"}
    expected = [("AWS/ApiGateway", "5XXError", json.dumps(api_dimensions))]
    for function_id in stage_package.of_type("AWS::Serverless::Function"):
        dimensions = json.dumps({"FunctionName": {"Ref": function_id}})
        expected += [("AWS/Lambda", "Errors", dimensions), ("AWS/Lambda", "Throttles", dimensions)]
    assert watched == sorted(expected)
    # The metric's ApiName is the API's name, which the definition's title sets.
    assert _definition(stage_package)["info"]["title"] == api_dimensions["ApiName"]  # type: ignore[index]
    for properties in alarms:
        assert properties["Statistic"] == "Sum"
        assert properties["TreatMissingData"] == "notBreaching"
        assert properties["AlarmActions"] == {
            "Fn::If": ["HasAlarmTopic", [{"Ref": "AlarmTopicArn"}], {"Ref": "AWS::NoValue"}]
        }
    assert stage_package.template["Parameters"]["AlarmTopicArn"]["Default"] == ""


def test_a_log_group_with_retention_per_function(stage_package: BuiltPackage) -> None:
    log_groups = {
        r["Properties"]["LogGroupName"]: r["Properties"]["RetentionInDays"]
        for r in stage_package.of_type("AWS::Logs::LogGroup").values()
    }
    functions = stage_package.of_type("AWS::Serverless::Function")
    expected_days = {"dev": 14, "prod": 90}[stage_package.stage]
    assert log_groups == {
        f"/aws/lambda/{f['Properties']['FunctionName']}": expected_days for f in functions.values()
    }
    for function_id, function in functions.items():
        assert f"{function_id}LogGroup" in function["DependsOn"]  # the group exists before any log line


def test_the_cdn_is_off_unless_asked_for(stage_package: BuiltPackage) -> None:
    template = stage_package.template
    assert template["Parameters"]["EnableCdn"]["Default"] == "false"
    assert template["Conditions"]["HasCdn"] == {"Fn::Equals": [{"Ref": "EnableCdn"}, "true"]}
    for resource_id in ("CdnCachePolicy", "CdnDistribution"):
        assert stage_package.resources[resource_id]["Condition"] == "HasCdn"


def test_the_cdn_caches_what_the_api_allows_and_never_across_tokens(prod_package: BuiltPackage) -> None:
    policy = prod_package.resources["CdnCachePolicy"]["Properties"]["CachePolicyConfig"]
    assert (policy["MinTTL"], policy["DefaultTTL"]) == (0, 0)  # the API's Cache-Control decides
    keyed = policy["ParametersInCacheKeyAndForwardedToOrigin"]
    assert "Authorization" in keyed["HeadersConfig"]["Headers"]
    assert keyed["QueryStringsConfig"]["QueryStringBehavior"] == "all"
    behaviour = prod_package.resources["CdnDistribution"]["Properties"]["DistributionConfig"][
        "DefaultCacheBehavior"
    ]
    assert behaviour["CachedMethods"] == ["GET", "HEAD"]
    assert behaviour["CachePolicyId"] == {"Ref": "CdnCachePolicy"}


@pytest.mark.parametrize("enabled", ["true", "false"])
def test_cfn_lint_passes_with_the_cdn_on_and_off(prod_package: BuiltPackage, enabled: str) -> None:
    template = json.loads(json.dumps(prod_package.template))
    template["Parameters"]["EnableCdn"]["Default"] = enabled
    assert [str(match) for match in lint(json.dumps(template), regions=[REGION])] == []
