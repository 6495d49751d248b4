"""State that outlives a request is owned by bootstrap and forgotten by one reset()."""

from __future__ import annotations

import ast
from pathlib import Path

from chalicelib import bootstrap

ROOT = Path(__file__).resolve().parents[2]
# Classes whose instances hold directory data across requests.
LONG_LIVED = {"SnapshotMemo", "CardCache", "Directory", "Editor", "Settling", "DirectoryStore", "Tokens"}


def _module_level_instances(path: Path) -> list[str]:
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in LONG_LIVED:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {value.func.id}")
    return found


def test_no_module_but_bootstrap_holds_a_long_lived_cache() -> None:
    modules = sorted((ROOT / "chalicelib").rglob("*.py"))
    found = [hit for path in modules for hit in _module_level_instances(path)]
    assert found == []


def test_reset_forgets_every_cache() -> None:
    responses, cards = bootstrap.responses(), bootstrap.cards()
    assert bootstrap.responses() is responses and bootstrap.cards() is cards  # one per container
    bootstrap.reset()
    assert bootstrap.responses() is not responses
    assert bootstrap.cards() is not cards


def test_the_bench_sizes_caches_through_bootstrap_not_a_route_module() -> None:
    tree = ast.parse((ROOT / "bench" / "run.py").read_text(encoding="utf-8"))
    imported = {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(name.startswith("chalicelib.routes") for name in imported), imported
