"""The deployment package, built once per session and per stage, offline.

Each stage is packaged exactly as `make package` does (infra.package.build_package)
into a temporary directory. A missing tool (chalice, cfn-lint, moto) fails these
tests; nothing here skips.
"""

from __future__ import annotations

import json

import pytest

from infra.package import build_package
from tests.support.package import ROOT, BuiltPackage

STAGES = ["dev", "prod"]


def _build(stage: str, tmp_path_factory: pytest.TempPathFactory) -> BuiltPackage:
    package = build_package(stage, tmp_path_factory.mktemp(f"package-{stage}") / "package", ROOT)
    return BuiltPackage(stage, package, json.loads(package.template.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def prod_package(tmp_path_factory: pytest.TempPathFactory) -> BuiltPackage:
    return _build("prod", tmp_path_factory)


@pytest.fixture(scope="session")
def dev_package(tmp_path_factory: pytest.TempPathFactory) -> BuiltPackage:
    return _build("dev", tmp_path_factory)


@pytest.fixture(params=STAGES)
def stage_package(request: pytest.FixtureRequest) -> BuiltPackage:
    """Each deployed stage's package in turn."""
    built: BuiltPackage = request.getfixturevalue(f"{request.param}_package")
    return built
