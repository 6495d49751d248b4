"""The template's table, created by CloudFormation (moto), passes the store's contract.

moto's CloudFormation does not run the AWS::Serverless-2016-10-31 transform (and the
functions' code is a local zip it could not fetch), so each stack holds the table
resource alone, copied verbatim from the prod template. The store's contract suite
(tests/contract/test_store.py) runs here unchanged: its test functions
are collected into this module, and `backend_store` below gives each a fresh table
made that way.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from tests.support.package import BuiltPackage

from .app_modules import DirectoryStore, store_contract

pytestmark = pytest.mark.package

REGION = "eu-central-1"

# The contract suite, collected again here with this module's `backend_store`.
globals().update({name: test for name, test in vars(store_contract).items() if name.startswith("test_")})


def _create_table_stack(endpoint: str, table_resource: dict[str, Any]) -> str:
    cloudformation = boto3.client("cloudformation", endpoint_url=endpoint, region_name=REGION)
    stack_name = f"gk-table-{uuid.uuid4().hex[:12]}"
    cloudformation.create_stack(
        StackName=stack_name, TemplateBody=json.dumps({"Resources": {"DirectoryTable": table_resource}})
    )
    cloudformation.get_waiter("stack_create_complete").wait(
        StackName=stack_name, WaiterConfig={"Delay": 1, "MaxAttempts": 30}
    )
    return stack_name


@pytest.fixture
def cloudformation_table(moto_endpoint: str, prod_package: BuiltPackage) -> Iterator[str]:
    """A table created by a CloudFormation stack from the prod template's resource."""
    cloudformation = boto3.client("cloudformation", endpoint_url=moto_endpoint, region_name=REGION)
    dynamodb = boto3.client("dynamodb", endpoint_url=moto_endpoint, region_name=REGION)
    stack_name = _create_table_stack(moto_endpoint, prod_package.resources["DirectoryTable"])
    (resource,) = cloudformation.describe_stack_resources(StackName=stack_name)["StackResources"]
    table_name = resource["PhysicalResourceId"]
    yield table_name
    # DeletionPolicy Retain keeps the table when its stack goes; deletion protection
    # must then be switched off by hand — as an operator would have to.
    cloudformation.delete_stack(StackName=stack_name)
    dynamodb.update_table(TableName=table_name, DeletionProtectionEnabled=False)
    dynamodb.delete_table(TableName=table_name)


@pytest.fixture
def backend_store(moto_endpoint: str, cloudformation_table: str) -> DirectoryStore:
    client = boto3.client("dynamodb", endpoint_url=moto_endpoint, region_name=REGION)
    return DirectoryStore(client, cloudformation_table)


def test_the_stack_made_the_table_the_template_describes(
    moto_endpoint: str, cloudformation_table: str
) -> None:
    dynamodb = boto3.client("dynamodb", endpoint_url=moto_endpoint, region_name=REGION)
    table = dynamodb.describe_table(TableName=cloudformation_table)["Table"]
    assert table["TableName"] == "gk-directory-prod"
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table.get("DeletionProtectionEnabled") is True
    # SSE is not checked here: moto reads the API's "Enabled", not CloudFormation's
    # "SSEEnabled" (test_template.py checks the property).
    assert sorted((k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]) == [
        ("pk", "HASH"),
        ("sk", "RANGE"),
    ]


def test_deletion_protection_refuses_a_delete(moto_endpoint: str, cloudformation_table: str) -> None:
    dynamodb = boto3.client("dynamodb", endpoint_url=moto_endpoint, region_name=REGION)
    with pytest.raises(dynamodb.exceptions.ClientError, match="DeletionProtectionEnabled"):
        dynamodb.delete_table(TableName=cloudformation_table)


@pytest.mark.parametrize("enabled", ["true", "false"])
def test_the_cdn_variant_of_the_template_creates_on_cloudformation(
    moto_endpoint: str, prod_package: BuiltPackage, enabled: str
) -> None:
    """The CDN's resources with the template's own parameter and condition, created by moto's
    CloudFormation with the CDN on and off. moto does not model CloudFront (it stands a blank
    placeholder in for the distribution and its cache policy), so what is checked here is that
    the parameter, condition and resources form a stack in both settings; the resources' own
    properties are cfn-lint's (test_template.py). The API they front is SAM's, which moto
    cannot make: a stand-in domain takes its place, and a topic keeps the stack non-empty."""
    template = prod_package.template
    resources = json.loads(
        json.dumps({k: prod_package.resources[k] for k in ("CdnCachePolicy", "CdnDistribution")})
    )
    resources["CdnDistribution"]["Properties"]["DistributionConfig"]["Origins"][0]["DomainName"] = (
        "api.example.org"
    )
    body = {
        "Parameters": {"EnableCdn": template["Parameters"]["EnableCdn"]},
        "Conditions": {"HasCdn": template["Conditions"]["HasCdn"]},
        "Resources": {**resources, "Topic": {"Type": "AWS::SNS::Topic"}},
    }
    cloudformation = boto3.client("cloudformation", endpoint_url=moto_endpoint, region_name=REGION)
    stack_name = f"gk-cdn-{uuid.uuid4().hex[:12]}"
    cloudformation.create_stack(
        StackName=stack_name,
        TemplateBody=json.dumps(body),
        Parameters=[{"ParameterKey": "EnableCdn", "ParameterValue": enabled}],
    )
    cloudformation.get_waiter("stack_create_complete").wait(
        StackName=stack_name, WaiterConfig={"Delay": 1, "MaxAttempts": 30}
    )
    (stack,) = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    cloudformation.delete_stack(StackName=stack_name)
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert stack["Parameters"] == [{"ParameterKey": "EnableCdn", "ParameterValue": enabled}]
