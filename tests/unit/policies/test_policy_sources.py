"""What the policy sources may contain: no margin anywhere, and nothing impure."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

import policies
from policies.catalogue import CATALOGUE

ALL_SOURCES = sorted(Path(policies.__file__).parent.glob("*.py"))
# The declaration model and the policies' error catalogue refuse a declared margin, so they
# name it; no other module of the policies may.
REFUSING_MARGIN = {"declaration.py", "errors.py"}
SOURCES = [path for path in ALL_SOURCES if path.name not in REFUSING_MARGIN]
# Modules a published policy may import: the standard library's pure parts, its own
# declaration and base, and the two geometry libraries. No I/O, clock or randomness.
ALLOWED_IMPORTS = {
    "__future__",
    "sys",
    "datetime",
    "functools",
    "typing",
    "pydantic",
    "shapely",
    "pyproj",
    "policies.base",
    "policies.declaration",
}
IMPURE_CALLS = {"today", "now", "utcnow", "open", "random", "getenv", "environ"}


def words_in(source: str) -> list[str]:
    """Every identifier, attribute, string and comment of a Python source."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            found.append(node.id)
        elif isinstance(node, ast.Attribute):
            found.append(node.attr)
        elif isinstance(node, ast.arg | ast.keyword) and node.arg:
            found.append(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.append(node.name)
        elif isinstance(node, ast.alias):
            found.extend(filter(None, (node.name, node.asname)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append(node.value)
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    found.extend(token.string for token in tokens if token.type == tokenize.COMMENT)
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_no_policy_source_names_a_margin_anywhere(path: Path) -> None:
    offending = [w for w in words_in(path.read_text(encoding="utf-8")) if "marg" in w.lower()]
    assert offending == []


def test_only_the_modules_that_refuse_a_margin_name_one() -> None:
    naming = {
        path.name
        for path in ALL_SOURCES
        if any("marg" in w.lower() for w in words_in(path.read_text(encoding="utf-8")))
    }
    assert naming == REFUSING_MARGIN


def test_the_scan_sees_a_margin_in_a_name_a_string_an_argument_and_a_comment() -> None:
    source = 'x.taux_de_marge = "Marge"  # margin\ndef f(gross_margin: int) -> None: ...\n'
    found = {w for w in words_in(source) if "marg" in w.lower()}
    assert found == {"taux_de_marge", "Marge", "# margin", "gross_margin"}


@pytest.mark.parametrize("ref", sorted(CATALOGUE))
def test_a_published_policy_imports_only_pure_modules_and_never_reads_a_clock(ref: str) -> None:
    tree = ast.parse(Path(CATALOGUE[ref].module.__file__ or "").read_text(encoding="utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= ALLOWED_IMPORTS
    called = {
        node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    }
    assert not called & IMPURE_CALLS


def imported_names(source: str) -> set[str]:
    """Every module an import statement names, wherever it stands (a function body too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", ALL_SOURCES, ids=lambda path: path.name)
def test_no_policies_module_imports_the_registry_or_the_web(path: Path) -> None:
    imported = imported_names(path.read_text(encoding="utf-8"))
    ours = {name for name in imported if name.partition(".")[0] in {"registry", "web"}}
    assert ours == set()


def test_the_import_scan_sees_a_registry_import_at_the_top_and_inside_a_function() -> None:
    source = "import web.app\ndef f() -> None:\n    from registry.errors import RegistryError\n"
    assert imported_names(source) == {"web.app", "registry.errors"}
