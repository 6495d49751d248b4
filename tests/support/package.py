"""The built deployment package as tests/package sees it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.package import Package

ROOT = Path(__file__).resolve().parents[2]


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
