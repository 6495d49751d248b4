"""One name per thing, one thing per name, across chalicelib."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

CHALICELIB = Path(__file__).resolve().parents[2] / "chalicelib"
# Modules below routes/ share a name only when one layer serves the other's thing:
# domain/errors.py defines the errors, web/errors.py maps them to HTTP; storage/tokens.py
# stores what auth/tokens.py makes and checks; storage/packs.py stores the bytes whose format
# domain/packs.py defines. (routes/ are named after their resource.)
SAME_THING_PER_LAYER = {"errors", "tokens", "packs"}


def _bindings(tree: ast.Module) -> list[tuple[str, ast.stmt]]:
    found: list[tuple[str, ast.stmt]] = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef):
            found.append((node.name, node))
        elif isinstance(node, ast.Assign):
            found += [(target.id, node) for target in node.targets if isinstance(target, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            found.append((node.target.id, node))
    return found


def _modules() -> list[Path]:
    return sorted(CHALICELIB.rglob("*.py"))


def test_no_module_binds_a_name_twice() -> None:
    twice = []
    for path in _modules():
        seen: set[str] = set()
        for name, _ in _bindings(ast.parse(path.read_text(encoding="utf-8"))):
            if name in seen:
                twice.append(f"{path.relative_to(CHALICELIB)}: {name}")
            seen.add(name)
    assert twice == []


def test_every_class_and_type_alias_is_defined_once() -> None:
    where: dict[str, list[str]] = defaultdict(list)
    for path in _modules():
        for name, node in _bindings(ast.parse(path.read_text(encoding="utf-8"))):
            # Classes and type aliases (Json, EntryKind …); CONSTANTS may repeat per module.
            if isinstance(node, ast.FunctionDef) or not name[0].isupper() or name.isupper():
                continue
            where[name].append(str(path.relative_to(CHALICELIB)))
    assert {name: paths for name, paths in where.items() if len(paths) > 1} == {}


def test_modules_below_the_routes_are_named_for_one_job() -> None:
    stems: dict[str, list[str]] = defaultdict(list)
    for path in _modules():
        layer = path.relative_to(CHALICELIB).parts[0]
        if path.stem != "__init__" and layer not in ("routes", "assets") and path.parent != CHALICELIB:
            stems[path.stem].append(layer)
    shared = {stem: layers for stem, layers in stems.items() if len(layers) > 1}
    assert set(shared) <= SAME_THING_PER_LAYER, shared
