"""The deployment package, built once per session and per stage, offline.

Each stage is packaged exactly as `make package` does (infra.package.build_package)
into a temporary directory. A missing tool (chalice, cfn-lint, moto) fails these
tests; nothing here skips.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from infra.package import Package, build_package

ROOT = Path(__file__).resolve().parents[2]
STAGES = ["dev", "prod"]


@dataclass(frozen=True)
class BuiltPackage:
    stage: str
    package: Package
    template: dict[str, Any]

    @property
    def resources(self) -> dict[str, Any]:
        resources: dict[str, Any] = self.template["Resources"]
        return resources

    def of_type(self, resource_type: str) -> dict[str, Any]:
        return {rid: r for rid, r in self.resources.items() if r["Type"] == resource_type}


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
