"""The template `chalice package --merge-template` merges into chalice's SAM template.

It adds what chalice does not make — the DynamoDB table, the functions' log groups,
alarms, gateway responses in the API's error envelope, stage throttling — and
overrides what chalice makes too loosely: each function's role policy (only the
store's DynamoDB actions, only on this table) and its GK_TABLE_NAME (a Ref to the
table instead of the name in .chalice/config.json).

Why the merge is generated from chalice's own output (`chalice package` once
without a merge, then this, then once more with it; infra/package.py runs all three):
chalice names the resources itself — ``APIHandler`` and its role ``ApiHandlerRole``
today; every ``@app.authorizer`` adds a function and a role of its own
(``TokenAuthorizer``, ``TokenAuthorizerRole``); ``autogen_policy`` would share one
``DefaultRole`` — and chalice's merge is a plain deep merge: a key for a resource
chalice did not emit creates a half resource that fails at deploy time, and a
function nobody listed keeps chalice's broad policy silently. Reading which
``AWS::Serverless::Function`` resources chalice produced, and which role each one
uses, makes the merge cover exactly those, now and after the next function is added.
Post-processing sam.json ourselves would do the same without chalice's merge, but
`--merge-template` is chalice's documented extension point and keeps sam.json
chalice's own output. `verify_merged` checks the final template afterwards.

Gateway responses go into the API definition (``x-amazon-apigateway-gateway-responses``,
what SAM's ``GatewayResponses`` property generates), not into separate
``AWS::ApiGateway::GatewayResponse`` resources: SAM re-imports the definition body on
every deployment and drops gateway responses that are not part of it
(aws/serverless-application-model#390, #623), and a separate resource is not part of
any deployment until the API is deployed again.

Run: ``python -m infra.template --stage prod --package-dir build/package`` prints the
merge template for the chalice package in build/package (made without a merge).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import project
from .stages import StageSettings, stage_settings

Template = dict[str, Any]

TABLE_ID = "DirectoryTable"
ALARM_TOPIC_PARAMETER = "AlarmTopicArn"
HAS_ALARM_TOPIC = "HasAlarmTopic"
API_5XX_ALARM_ID = "Api5xxAlarm"
# The optional CDN in front of the API (docs/deploy.md, "Load model"): off unless a
# deployment passes EnableCdn=true; a parameter, so one template serves both choices.
CDN_PARAMETER = "EnableCdn"
HAS_CDN = "HasCdn"
CDN_CACHE_POLICY_ID = "CdnCachePolicy"
CDN_DISTRIBUTION_ID = "CdnDistribution"
FUNCTION_TYPE = "AWS::Serverless::Function"
API_TYPE = "AWS::Serverless::Api"
ALARM_PERIOD_SECONDS = 300
MAX_FUNCTION_NAME_LENGTH = 64


class TemplateError(ValueError):
    """chalice's template is not of the shape this merge was written for."""


# -- what chalice emitted -----------------------------------------------------------


@dataclass(frozen=True)
class ChaliceApp:
    """The facts of chalice's template the merge depends on."""

    app_name: str
    stage: str
    table_name: str
    # function logical id -> the logical id of the role it runs as
    function_roles: dict[str, str]
    # function logical id -> DependsOn chalice gave it (kept when we add ours)
    function_depends_on: dict[str, list[str]]
    api_id: str
    api_title: str
    api_stage_name: str
    resource_ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def roles(self) -> dict[str, list[str]]:
        """Role logical id -> the functions running as it (autogen_policy shares one)."""
        roles: dict[str, list[str]] = {}
        for function_id, role_id in sorted(self.function_roles.items()):
            roles.setdefault(role_id, []).append(function_id)
        return roles

    def function_name(self, function_id: str) -> str:
        return f"{self.app_name}-{self.stage}-{function_id}"


def _chalice_tag(properties: Mapping[str, Any]) -> dict[str, str]:
    """chalice tags each function ``version=1.34.0:stage=prod:app=gk-directory``."""
    tag = str(properties.get("Tags", {}).get("aws-chalice", ""))
    return dict(part.split("=", 1) for part in tag.split(":") if "=" in part)


def read_chalice_template(template: Mapping[str, Any]) -> ChaliceApp:
    resources: Mapping[str, Any] = template.get("Resources", {})
    functions = {rid: r for rid, r in resources.items() if r.get("Type") == FUNCTION_TYPE}
    if not functions:
        raise TemplateError(f"chalice's template has no {FUNCTION_TYPE}")
    function_roles: dict[str, str] = {}
    tags: set[tuple[str, str]] = set()
    table_names: set[str] = set()
    for function_id, function in functions.items():
        properties = function.get("Properties", {})
        role = properties.get("Role")
        if not (isinstance(role, dict) and list(role) == ["Fn::GetAtt"] and role["Fn::GetAtt"][1] == "Arn"):
            raise TemplateError(
                f"{function_id} does not run as a role of this template ({role!r}): "
                "a pre-created role (manage_iam_role false) cannot get the least-privilege policy"
            )
        role_id = role["Fn::GetAtt"][0]
        if resources.get(role_id, {}).get("Type") != "AWS::IAM::Role":
            raise TemplateError(f"{function_id}'s role {role_id} is not an AWS::IAM::Role of this template")
        function_roles[function_id] = role_id
        tag = _chalice_tag(properties)
        tags.add((tag.get("app", ""), tag.get("stage", "")))
        variables = properties.get("Environment", {}).get("Variables", {})
        table_name = variables.get(project.TABLE_NAME_VARIABLE, "")
        if not isinstance(table_name, str):
            raise TemplateError(
                f"{function_id}'s {project.TABLE_NAME_VARIABLE} is {table_name!r}, not a name: generate "
                "the merge from a package made without --merge-template"
            )
        table_names.add(table_name)
    if len(tags) != 1 or "" in next(iter(tags)):
        raise TemplateError(f"functions carry no single aws-chalice app and stage tag: {sorted(tags)}")
    app_name, stage = next(iter(tags))
    if len(table_names) != 1 or "" in table_names:
        raise TemplateError(
            f"every function needs the same {project.TABLE_NAME_VARIABLE} for stage {stage} "
            f"in .chalice/config.json (it names the table); found {sorted(table_names)}"
        )
    apis = [rid for rid, r in resources.items() if r.get("Type") == API_TYPE]
    if len(apis) != 1:
        raise TemplateError(f"expected one {API_TYPE}, found {apis}")
    api_properties = resources[apis[0]]["Properties"]
    return ChaliceApp(
        app_name=app_name,
        stage=stage,
        table_name=next(iter(table_names)),
        function_roles=function_roles,
        function_depends_on={
            fid: _as_list(functions[fid].get("DependsOn"))
            for fid in functions
            if "DependsOn" in functions[fid]
        },
        api_id=apis[0],
        api_title=str(api_properties["DefinitionBody"]["info"]["title"]),
        api_stage_name=str(api_properties["StageName"]),
        resource_ids=frozenset(resources),
    )


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


# -- gateway responses ----------------------------------------------------------------


@dataclass(frozen=True)
class GatewayAnswer:
    """An error API Gateway answers itself, in the envelope the application uses."""

    code: str
    message: str
    # None keeps the status API Gateway chose (DEFAULT_4XX and DEFAULT_5XX cover several).
    status: int | None
    headers: Mapping[str, str] = field(default_factory=dict)


GATEWAY_ANSWERS: dict[str, GatewayAnswer] = {
    # An unknown path, or a method the path does not have (API Gateway's own 403).
    "MISSING_AUTHENTICATION_TOKEN": GatewayAnswer(
        project.NOT_FOUND_CODE, "No such resource: check the path and the method.", 404
    ),
    "UNAUTHORIZED": GatewayAnswer(
        project.UNAUTHENTICATED_CODE,
        "A valid bearer token is required.",
        401,
        {"WWW-Authenticate": 'Bearer realm="gk-directory"'},
    ),
    "ACCESS_DENIED": GatewayAnswer(project.FORBIDDEN_CODE, "This token may not do that.", 403),
    "THROTTLED": GatewayAnswer("throttled", "Too many requests; retry shortly.", 429, {"Retry-After": "1"}),
    "REQUEST_TOO_LARGE": GatewayAnswer(project.PAYLOAD_TOO_LARGE_CODE, "The request is too large.", 413),
    "DEFAULT_4XX": GatewayAnswer("bad_request", "The request was rejected.", None),
    "DEFAULT_5XX": GatewayAnswer(
        project.INTERNAL_ERROR_CODE, "The directory could not answer; try again later.", None
    ),
}


def gateway_response_headers(answer: GatewayAnswer) -> dict[str, str]:
    """The headers of one gateway response: the API's CORS headers, JSON, and its own."""
    return {
        **project.CORS_HEADERS,
        "Content-Type": project.JSON_TYPE,
        "X-Content-Type-Options": "nosniff",  # as on every answer the app makes (web/security.py)
        **answer.headers,
    }


def gateway_responses() -> Template:
    """The ``x-amazon-apigateway-gateway-responses`` extension of the API definition."""
    responses: Template = {}
    for response_type, answer in GATEWAY_ANSWERS.items():
        envelope = {"error": {"code": answer.code, "message": answer.message, "details": {}}}
        response: Template = {
            # Static values are quoted; unquoted ones would name request parameters.
            "responseParameters": {
                f"gatewayresponse.header.{name}": f"'{value}'"
                for name, value in gateway_response_headers(answer).items()
            },
            "responseTemplates": {"application/json": json.dumps(envelope, separators=(",", ":"))},
        }
        if answer.status is not None:
            response["statusCode"] = str(answer.status)
        responses[response_type] = response
    return responses


# -- the merge template ---------------------------------------------------------------


def _table(app: ChaliceApp, settings: StageSettings) -> Template:
    policy = "Retain" if settings.protect_data else "Delete"
    definition = project.TABLE_DEFINITION
    return {
        "Type": "AWS::DynamoDB::Table",
        "DeletionPolicy": policy,
        "UpdateReplacePolicy": policy,
        "Properties": {
            # The stage's name from .chalice/config.json: the admin CLI, the policy files
            # for `chalice deploy` and the README all use it.
            "TableName": app.table_name,
            "AttributeDefinitions": definition["AttributeDefinitions"],
            "KeySchema": definition["KeySchema"],
            "BillingMode": definition["BillingMode"],
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "SSESpecification": {"SSEEnabled": True},
            "DeletionProtectionEnabled": settings.protect_data,
        },
    }


def _log_group_id(function_id: str) -> str:
    return f"{function_id}LogGroup"


def _role_policy(role_id: str, function_ids: Sequence[str]) -> Template:
    return {
        "PolicyName": f"{role_id}Policy",
        "PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": list(project.LAMBDA_DYNAMODB_ACTIONS),
                    "Resource": {"Fn::GetAtt": [TABLE_ID, "Arn"]},
                },
                {
                    # The log groups exist before the functions (DependsOn), so no
                    # logs:CreateLogGroup: a function cannot make a group without retention.
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": [{"Fn::GetAtt": [_log_group_id(fid), "Arn"]} for fid in function_ids],
                },
            ],
        },
    }


def _alarm_actions() -> Template:
    return {"Fn::If": [HAS_ALARM_TOPIC, [{"Ref": ALARM_TOPIC_PARAMETER}], {"Ref": "AWS::NoValue"}]}


def _alarm(
    name: str, description: str, namespace: str, metric: str, dimensions: Mapping[str, Any], threshold: int
) -> Template:
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmName": name,
            "AlarmDescription": description,
            "Namespace": namespace,
            "MetricName": metric,
            "Dimensions": [{"Name": key, "Value": value} for key, value in dimensions.items()],
            "Statistic": "Sum",
            "Period": ALARM_PERIOD_SECONDS,
            "EvaluationPeriods": 1,
            "Threshold": threshold,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            # No traffic is no failure: most five-minute windows see no request at all.
            "TreatMissingData": "notBreaching",
            "AlarmActions": _alarm_actions(),
            "OKActions": _alarm_actions(),
        },
    }


def api_name(app: ChaliceApp) -> str:
    """The REST API's name, and the ApiName its CloudWatch metrics carry.

    chalice titles the API with the app name in every stage; with the stage in it,
    dev's and prod's metrics (both on API stage "api") stay apart in one account.
    """
    return f"{app.api_title}-{app.stage}"


def build_merge_template(chalice_template: Mapping[str, Any], settings: StageSettings) -> Template:
    """The merge template for the chalice package whose template is given."""
    app = read_chalice_template(chalice_template)
    if app.stage != settings.name:
        raise TemplateError(f"chalice packaged stage {app.stage!r}, the merge is for {settings.name!r}")
    resources: Template = {TABLE_ID: _table(app, settings)}

    for function_id in sorted(app.function_roles):
        function_name = app.function_name(function_id)
        if len(function_name) > MAX_FUNCTION_NAME_LENGTH:
            raise TemplateError(f"function name {function_name!r} is longer than 64 characters")
        log_group_id = _log_group_id(function_id)
        resources[function_id] = {
            # A fixed name lets the log group (and the role's log permission) exist before
            # the function without a dependency cycle, and names the function in the console.
            "DependsOn": sorted({*app.function_depends_on.get(function_id, []), log_group_id}),
            "Properties": {
                "FunctionName": function_name,
                "Environment": {"Variables": {project.TABLE_NAME_VARIABLE: {"Ref": TABLE_ID}}},
            },
        }
        resources[log_group_id] = {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {
                "LogGroupName": f"/aws/lambda/{function_name}",
                "RetentionInDays": settings.log_retention_days,
            },
        }
        dimensions = {"FunctionName": {"Ref": function_id}}
        resources[f"{function_id}ErrorsAlarm"] = _alarm(
            f"{function_name}-errors",
            f"{function_id} raised unhandled errors (each one is a bug: domain errors are answered).",
            "AWS/Lambda",
            "Errors",
            dimensions,
            1,
        )
        resources[f"{function_id}ThrottlesAlarm"] = _alarm(
            f"{function_name}-throttles",
            f"{function_id} was throttled: the account's or the function's concurrency ran out.",
            "AWS/Lambda",
            "Throttles",
            dimensions,
            1,
        )

    for role_id, function_ids in app.roles.items():
        # A list replaces chalice's list whole: the policy file's statements are gone.
        resources[role_id] = {"Properties": {"Policies": [_role_policy(role_id, function_ids)]}}

    resources[app.api_id] = {
        "Properties": {
            "DefinitionBody": {
                "info": {"title": api_name(app)},
                "x-amazon-apigateway-gateway-responses": gateway_responses(),
            },
            "MethodSettings": [
                {
                    "ResourcePath": "/*",
                    "HttpMethod": "*",
                    "ThrottlingRateLimit": settings.throttle_rate_limit,
                    "ThrottlingBurstLimit": settings.throttle_burst_limit,
                }
            ],
        }
    }
    resources[API_5XX_ALARM_ID] = _alarm(
        f"{api_name(app)}-5xx",
        "The API answered 5xx: the functions fail, time out, or the directory is unavailable.",
        "AWS/ApiGateway",
        "5XXError",
        {"ApiName": api_name(app), "Stage": app.api_stage_name},
        settings.api_5xx_alarm_threshold,
    )

    resources.update(cdn_resources(app))

    added = {rid for rid, resource in resources.items() if "Type" in resource}
    clashes = sorted(added & app.resource_ids)
    if clashes:
        raise TemplateError(
            f"chalice's template already has {clashes}: generate the merge from a package "
            "made without --merge-template"
        )
    return {
        "Parameters": {
            ALARM_TOPIC_PARAMETER: {
                "Type": "String",
                "Default": "",
                "Description": "SNS topic ARN the alarms notify; empty: alarms without actions.",
            },
            CDN_PARAMETER: {
                "Type": "String",
                "Default": "false",
                "AllowedValues": ["true", "false"],
                "Description": "Put a CloudFront distribution in front of the API (docs/deploy.md).",
            },
        },
        "Conditions": {
            HAS_ALARM_TOPIC: {"Fn::Not": [{"Fn::Equals": [{"Ref": ALARM_TOPIC_PARAMETER}, ""]}]},
            HAS_CDN: {"Fn::Equals": [{"Ref": CDN_PARAMETER}, "true"]},
        },
        "Resources": resources,
        "Outputs": {
            "TableName": {"Value": {"Ref": TABLE_ID}},
            "TableArn": {"Value": {"Fn::GetAtt": [TABLE_ID, "Arn"]}},
            "CdnDomainName": {
                "Condition": HAS_CDN,
                "Value": {"Fn::GetAtt": [CDN_DISTRIBUTION_ID, "DomainName"]},
            },
        },
    }


def cdn_resources(app: ChaliceApp) -> Template:
    """A CloudFront distribution before the API, made only when EnableCdn is true.

    Its cache policy caches only what the API allows: TTLs come from the response's
    Cache-Control (default 0, so a response without one is not kept), revalidation by
    ETag passes through, and `Authorization` is part of the cache key — a request with
    a token never gets a response cached for anyone else, and the API answers every
    such request `private, no-store`, which CloudFront does not store at all.
    """
    origin = {"Fn::Sub": f"${{{app.api_id}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}"}
    return {
        CDN_CACHE_POLICY_ID: {
            "Type": "AWS::CloudFront::CachePolicy",
            "Condition": HAS_CDN,
            "Properties": {
                "CachePolicyConfig": {
                    "Name": {"Fn::Sub": "${AWS::StackName}-api"},
                    "Comment": "Honours the API's Cache-Control; Authorization keys the cache.",
                    "MinTTL": 0,
                    "DefaultTTL": 0,
                    "MaxTTL": 86400,
                    "ParametersInCacheKeyAndForwardedToOrigin": {
                        "EnableAcceptEncodingGzip": True,
                        "EnableAcceptEncodingBrotli": True,
                        "HeadersConfig": {
                            "HeaderBehavior": "whitelist",
                            "Headers": ["Authorization", "Accept"],
                        },
                        "QueryStringsConfig": {"QueryStringBehavior": "all"},
                        "CookiesConfig": {"CookieBehavior": "none"},
                    },
                }
            },
        },
        CDN_DISTRIBUTION_ID: {
            "Type": "AWS::CloudFront::Distribution",
            "Condition": HAS_CDN,
            "Properties": {
                "DistributionConfig": {
                    "Enabled": True,
                    "Comment": {"Fn::Sub": "${AWS::StackName}: the directory API"},
                    "HttpVersion": "http2and3",
                    "PriceClass": "PriceClass_100",
                    "Origins": [
                        {
                            "Id": "api",
                            "DomainName": origin,
                            "OriginPath": f"/{app.api_stage_name}",
                            "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"},
                        }
                    ],
                    "DefaultCacheBehavior": {
                        "TargetOriginId": "api",
                        "ViewerProtocolPolicy": "redirect-to-https",
                        "AllowedMethods": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
                        "CachedMethods": ["GET", "HEAD"],
                        "CachePolicyId": {"Ref": CDN_CACHE_POLICY_ID},
                        "Compress": True,
                    },
                }
            },
        },
    }


def verify_merged(template: Mapping[str, Any]) -> None:
    """Fail unless every function in the final template got the merge's overrides."""
    resources: Mapping[str, Any] = template["Resources"]
    if TABLE_ID not in resources:
        raise TemplateError(f"the packaged template has no {TABLE_ID}: was the merge applied?")
    for function_id, function in resources.items():
        if function.get("Type") != FUNCTION_TYPE:
            continue
        properties = function["Properties"]
        variables = properties.get("Environment", {}).get("Variables", {})
        if (
            variables.get(project.TABLE_NAME_VARIABLE) != {"Ref": TABLE_ID}
            or "FunctionName" not in properties
        ):
            raise TemplateError(f"{function_id} was not covered by the merge template")
        role_id = properties["Role"]["Fn::GetAtt"][0]
        policies = resources[role_id]["Properties"]["Policies"]
        if [p["PolicyName"] for p in policies] != [f"{role_id}Policy"]:
            raise TemplateError(f"{role_id} keeps policies the merge did not write")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.template", description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", required=True)
    parser.add_argument(
        "--package-dir", type=Path, required=True, help="a `chalice package` output made without a merge"
    )
    parser.add_argument("--output", type=Path, help="where to write the merge template (default: stdout)")
    args = parser.parse_args(argv)
    chalice_template = json.loads((args.package_dir / "sam.json").read_text(encoding="utf-8"))
    try:
        merge = build_merge_template(chalice_template, stage_settings(args.stage))
    except ValueError as exc:
        parser.exit(2, f"{parser.prog}: {exc}\n")
    text = json.dumps(merge, indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
