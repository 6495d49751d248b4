"""The package Lambda loads: compiled bytecode for every module, and no boto3 of its own."""

from __future__ import annotations

import importlib.util
import sys
import zipfile

import pytest

from infra.bytecode import RuntimeMismatch, runtime_of
from tests.support.package import BuiltPackage

pytestmark = pytest.mark.package


def _names(built: BuiltPackage) -> set[str]:
    with zipfile.ZipFile(built.package.zip) as archive:
        return set(archive.namelist())


def test_every_module_has_unchecked_hash_bytecode_for_the_runtime(prod_package: BuiltPackage) -> None:
    names = _names(prod_package)
    tag = sys.implementation.cache_tag
    sources = [n for n in names if n.endswith(".py")]
    missing = [
        n
        for n in sources
        if f"{n.rsplit('/', 1)[0] + '/' if '/' in n else ''}__pycache__/{n.rsplit('/', 1)[-1][:-3]}.{tag}.pyc"
        not in names
    ]
    assert len(sources) > 100 and missing == []
    with zipfile.ZipFile(prod_package.package.zip) as archive:
        header = archive.read(f"chalicelib/__pycache__/bootstrap.{tag}.pyc")[:8]
    assert header[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(header[4:8], "little") == 0b01  # hash-based, never checked against the source
    assert runtime_of(prod_package.template) == f"python{sys.version_info.major}.{sys.version_info.minor}"


def test_boto3_comes_from_the_runtime_not_the_package(prod_package: BuiltPackage) -> None:
    tops = {name.split("/", 1)[0] for name in _names(prod_package)}
    assert not {"boto3", "botocore", "s3transfer"} & tops


def test_a_template_with_two_runtimes_is_refused() -> None:
    functions = {
        f"F{i}": {"Type": "AWS::Serverless::Function", "Properties": {"Runtime": runtime}}
        for i, runtime in enumerate(("python3.11", "python3.12"))
    }
    with pytest.raises(RuntimeMismatch):
        runtime_of({"Resources": functions})
