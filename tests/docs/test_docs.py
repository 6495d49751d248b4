"""The docs say only true things: paths that exist, links that land, commands that parse,
make targets the Makefile has, and the benchmark figures bench/results.json holds.

Documentation: README.md and every guide in docs/ (and admin/README.md, the admin package's map).
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted([ROOT / "README.md", ROOT / "admin" / "README.md", *(ROOT / "docs").glob("*.md")])
DOC_IDS = [str(p.relative_to(ROOT)) for p in DOCS]

# Made by running things, not kept in the repository.
GENERATED = ("build/", ".venv/", "node_modules/", "test-artifacts/", ".gk-local.json", ".pytest_cache/")
CODE_SUFFIXES = {".py", ".json", ".md", ".js", ".html", ".css", ".toml", ".txt", ".png", ".svg", ".xlsx"}
FENCE = re.compile(r"^```([\w-]*)\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _top_level() -> set[str]:
    return {p.name for p in ROOT.iterdir() if not p.name.startswith(".git")}


def _chalicelib_packages() -> set[str]:
    return {p.name for p in (ROOT / "chalicelib").iterdir() if p.is_dir()}


def _path_like(token: str) -> str | None:
    """The repository path a code span names, or None when it names none (a URL, a MIME type …)."""
    token = token.split()[0].rstrip(":,;.") if token.split() else ""
    if not token or "/" not in token or "://" in token or token.startswith(("/", "~", "-", "$", "@")):
        return None
    if any(mark in token for mark in "<>…*{}$=?#|'\"()[]"):
        return None
    first = token.split("/")[0]
    suffix = Path(token).suffix
    if first in _top_level() | _chalicelib_packages() or token.endswith("/") or suffix in CODE_SUFFIXES:
        return token
    return None


def _paths(text: str) -> set[str]:
    spans = [m.group(1) for m in INLINE.finditer(text)]
    for block in _shell_blocks(text):  # other blocks draw trees or show output, with relative names
        spans.extend(block.split())
    return {p for p in (_path_like(span) for span in spans) if p is not None}


def _exists(path: str, here: Path = ROOT) -> bool:
    """At the root, beside the document, or inside chalicelib/ (the guides name its modules so)."""
    if path.startswith(GENERATED):
        return True
    return any((base / path).exists() for base in (ROOT, here, ROOT / "chalicelib"))


@pytest.mark.parametrize("doc", DOCS, ids=DOC_IDS)
def test_every_repository_path_named_exists(doc: Path) -> None:
    missing = sorted(p for p in _paths(_text(doc)) if not _exists(p, doc.parent))
    assert missing == []


def test_the_path_check_catches_the_old_mistakes() -> None:
    # the paths issue 18 found wrong, as the docs wrote them
    for wrong in ("chalicelib/keys.py", "chalicelib/storage_actions.py", "scripts/"):
        assert _path_like(wrong) == wrong and not _exists(wrong)
    assert _path_like("application/json") is None and _path_like("https://example.org/a.js") is None


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    text = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LN")
    return text.replace(" ", "-")


def anchors(doc: Path) -> set[str]:
    without_code = FENCE.sub("", _text(doc))
    found: set[str] = set()
    for match in re.finditer(r"^#{1,6}\s+(.+?)\s*$", without_code, re.M):
        base = slug(match.group(1))
        name, n = base, 0
        while name in found:
            n += 1
            name = f"{base}-{n}"
        found.add(name)
    return found


@pytest.mark.parametrize("doc", DOCS, ids=DOC_IDS)
def test_every_link_lands(doc: Path) -> None:
    broken = []
    for match in LINK.finditer(FENCE.sub("", _text(doc))):
        target = match.group(1)
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (doc.parent / file_part).resolve() if file_part else doc
        lands = linked.exists() and not (anchor and linked.suffix == ".md" and anchor not in anchors(linked))
        if not lands:
            broken.append(target)
    assert broken == []


def _shell_blocks(text: str) -> list[str]:
    return [m.group(2) for m in FENCE.finditer(text) if m.group(1) in ("sh", "bash", "shell")]


@pytest.mark.parametrize("doc", DOCS, ids=DOC_IDS)
def test_shell_blocks_parse(doc: Path) -> None:
    for block in _shell_blocks(_text(doc)):
        parsed = subprocess.run(["bash", "-n"], input=block, capture_output=True, text=True, check=False)
        assert parsed.returncode == 0, f"{parsed.stderr}\n{block}"


def _make_targets() -> set[str]:
    makefile = _text(ROOT / "Makefile")
    return {m.group(1) for m in re.finditer(r"^([a-z][\w-]*)\s*:(?!=)", makefile, re.M)}


def _named_targets(text: str) -> set[str]:
    code = [m.group(1) for m in INLINE.finditer(text)] + [m.group(2) for m in FENCE.finditer(text)]
    named: set[str] = set()
    for span in code:
        for match in re.finditer(r"(?:^|[\s;&|(])make\s+((?:-\w+\s+|[A-Z_]+=\S*\s+)*)([a-z][\w-]*)", span):
            named.add(match.group(2))
    return named


@pytest.mark.parametrize("doc", DOCS, ids=DOC_IDS)
def test_every_make_target_named_exists(doc: Path) -> None:
    assert _named_targets(_text(doc)) - _make_targets() == set()


def test_the_target_check_sees_targets() -> None:
    assert {"run", "test", "deploy", "admin"} <= _make_targets()
    assert _named_targets("`PORT=8080 make run` and `make -s admin ARGS=x` or `make nosuch`") == {
        "run", "admin", "nosuch"
    }


_FIGURE_ROW = re.compile(r"^\|\s*`(\w+)`\s*\|[^|]*\|\s*([-\d.,]+)\s*(?:ms|MB|µs|s)?\s*\|", re.M)


def _figures() -> dict[str, float]:
    results = json.loads(_text(ROOT / "bench" / "results.json"))
    return {k: float(v) for k, v in results.items() if isinstance(v, int | float)}


def test_benchmark_figures_are_those_of_bench_results() -> None:
    figures = _figures()
    shown = {m.group(1): m.group(2) for m in _FIGURE_ROW.finditer(_text(ROOT / "docs" / "benchmarks.md"))}
    assert shown, "docs/benchmarks.md has no figure table"
    wrong = []
    for key, text in shown.items():
        assert key in figures, f"{key}: not in bench/results.json"
        number = text.replace(",", "")
        decimals = len(number.partition(".")[2])
        if abs(float(number) - figures[key]) > 0.5 * 10**-decimals + 1e-9:
            wrong.append((key, text, figures[key]))
    assert wrong == []


@pytest.mark.parametrize("doc", sorted((ROOT / "docs").glob("*.md")), ids=lambda p: p.name)
def test_a_guide_longer_than_a_screen_has_a_contents_list(doc: Path) -> None:
    text = _text(doc)
    prose = FENCE.sub("", text)
    if len(prose.splitlines()) > 80:
        assert "**Contents:**" in text or "**Inhalt:**" in text


def test_the_editing_page_guide_is_german_first_and_each_language_links_the_other() -> None:
    german, english = ROOT / "docs" / "editing-page.de.md", ROOT / "docs" / "editing-page.md"
    assert "(editing-page.md)" in _text(german) and "(editing-page.de.md)" in _text(english)
    readme = _text(ROOT / "README.md")
    assert readme.index("docs/editing-page.de.md") < readme.index("docs/editing-page.md")
    # a translation, not a summary: the same code spans in both
    assert set(INLINE.findall(_text(german))) >= set(INLINE.findall(_text(english)))


def test_the_readme_is_a_five_minute_read() -> None:
    readme = _text(ROOT / "README.md")
    assert len(readme.split()) < 1000
    for guide in ("embedding.md", "editing-page.de.md", "admin.md", "deploy.md", "api.md", "design.md",
                  "benchmarks.md"):
        assert f"(docs/{guide})" in readme


_SAVED_RUN_KEYS = (
    "detail_73_vs_bare", "cold_first_request_vs_bare", "cold_10k_vs_73", "worst_request_10k_ms"
)


def test_the_readme_speed_table_ends_with_the_saved_run() -> None:
    """The README's three runs: the last is the one bench/results.json holds, figure for figure."""
    section = _text(ROOT / "README.md").partition("## Speed")[2].partition("\n## ")[0]
    rows = [line for line in section.splitlines() if re.match(r"^\|\s*\d+\s*\|", line)]
    assert len(rows) == 3, "three consecutive runs"
    cells = [cell.strip() for cell in rows[-1].strip("|").split("|")]
    figures = _figures()
    for key, cell in zip(_SAVED_RUN_KEYS, cells[1:], strict=False):
        number = cell.removesuffix(" ms")
        decimals = len(number.partition(".")[2])
        assert abs(float(number) - figures[key]) <= 0.5 * 10**-decimals + 1e-9, (key, cell)
