"""The IAM actions the Lambda functions need on the table: the store's calls, nothing more.

infra/ builds the functions' role policy from this list, on the table's ARN only.
tests/package/test_policy.py reads every ``self._client.<method>(`` call in store.py
and fails when this list and those calls disagree, so a new store call cannot ship
without its permission, nor a permission outlive its call.
"""

from __future__ import annotations

LAMBDA_DYNAMODB_ACTIONS: tuple[str, ...] = (
    "dynamodb:BatchGetItem",
    "dynamodb:DeleteItem",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
)

# The store's table lifecycle (local runs, tests, the admin CLI's first import):
# an operator's credentials do these, never a Lambda function.
ADMIN_ONLY_DYNAMODB_ACTIONS: tuple[str, ...] = (
    "dynamodb:CreateTable",
    "dynamodb:DeleteTable",
    "dynamodb:DescribeTable",
)
