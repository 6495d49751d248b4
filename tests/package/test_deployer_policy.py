"""infra/deployer-policy.json covers what the deploy does; docs/deploy.md prices what the template makes.

Every resource type the built template holds needs its create/update/delete actions; the
`aws cloudformation package`/`deploy` commands need the stack, change-set and bucket actions.
"""

from __future__ import annotations

import json
from fnmatch import fnmatchcase

import pytest

from tests.support.package import ROOT, BuiltPackage

POLICY = ROOT / "infra" / "deployer-policy.json"

# What CloudFormation calls, with the deployer's credentials, to create, update and delete each type.
NEEDED_FOR_TYPE = {
    "AWS::Serverless::Function": ["lambda:CreateFunction", "lambda:UpdateFunctionCode",
                                  "lambda:UpdateFunctionConfiguration", "lambda:DeleteFunction",
                                  "lambda:GetFunction", "lambda:TagResource", "iam:PassRole"],
    "AWS::Lambda::Permission": ["lambda:AddPermission", "lambda:RemovePermission"],
    "AWS::IAM::Role": ["iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:PutRolePolicy",
                       "iam:DeleteRolePolicy", "iam:PassRole"],
    "AWS::Serverless::Api": ["apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:GET",
                             "apigateway:DELETE"],
    "AWS::DynamoDB::Table": ["dynamodb:CreateTable", "dynamodb:DescribeTable", "dynamodb:UpdateTable",
                             "dynamodb:DeleteTable", "dynamodb:UpdateContinuousBackups"],
    "AWS::Logs::LogGroup": ["logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:DeleteLogGroup"],
    "AWS::CloudWatch::Alarm": ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms"],
    # EnableCdn=true only, but the deployer who turns it on must not need new permissions.
    "AWS::CloudFront::CachePolicy": ["cloudfront:CreateCachePolicy", "cloudfront:UpdateCachePolicy",
                                     "cloudfront:GetCachePolicy", "cloudfront:DeleteCachePolicy"],
    "AWS::CloudFront::Distribution": ["cloudfront:CreateDistribution", "cloudfront:UpdateDistribution",
                                      "cloudfront:GetDistribution", "cloudfront:GetDistributionConfig",
                                      "cloudfront:DeleteDistribution", "cloudfront:TagResource"],
}
NEEDED_BY_THE_COMMANDS = [
    "cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:DescribeChangeSet",
    "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents",
    "cloudformation:GetTemplateSummary",
    "cloudformation:DeleteStack", "s3:CreateBucket", "s3:PutObject", "s3:GetObject", "s3:ListBucket",
]


def _allowed() -> list[str]:
    policy = json.loads(POLICY.read_text(encoding="utf-8"))
    assert policy["Version"] == "2012-10-17"
    actions: list[str] = []
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow" and statement["Resource"]
        listed = statement["Action"]
        actions.extend([listed] if isinstance(listed, str) else listed)
    return actions


def _covered(action: str, allowed: list[str]) -> bool:
    return any(fnmatchcase(action.lower(), pattern.lower()) for pattern in allowed)


def test_the_deployer_policy_covers_every_resource_of_the_template(prod_package: BuiltPackage) -> None:
    allowed = _allowed()
    types = {resource["Type"] for resource in prod_package.template["Resources"].values()}
    unknown = types - NEEDED_FOR_TYPE.keys() - {"AWS::Serverless::Function"}
    assert unknown == set(), "a new resource type: add the actions it needs here and to the policy"
    needed = [a for t in types for a in NEEDED_FOR_TYPE[t]] + NEEDED_BY_THE_COMMANDS
    assert [a for a in needed if not _covered(a, allowed)] == []


def test_the_cost_table_prices_every_alarm_the_template_makes(prod_package: BuiltPackage) -> None:
    alarms = [r for r in prod_package.template["Resources"].values() if r["Type"] == "AWS::CloudWatch::Alarm"]
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    row = next(line for line in guide.splitlines() if line.startswith("| CloudWatch alarms |"))
    count = int(row.split("|")[3].strip().split(":")[0])
    assert count == len(alarms)
    assert float(row.split("|")[4]) == pytest.approx(0.10 * len(alarms))
