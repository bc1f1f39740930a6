"""Each policy against its table of cases in cases/*.json, in the manner of OpenFisca's tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policies.catalogue import CATALOGUE

from .policy_support import CASES, declaration, run

CASE_KEYS = {
    "description",
    "declaration",
    "params",
    "outcome",
    "level",
    "missing",
    "explanation_fr",
}
TABLES = sorted(path for path in CASES.glob("*.json") if path.name != "base_declaration.json")


def _table(path: Path) -> dict[str, Any]:
    table: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return table


def _cases() -> Iterator[Any]:
    for path in TABLES:
        table = _table(path)
        for case in table["cases"]:
            params = {**table["params"], **case.get("params", {})}
            yield pytest.param(
                table["policy"], case, params, id=f"{path.stem}: {case['description']}"
            )


def test_every_policy_in_the_catalogue_has_a_table_of_cases() -> None:
    assert {_table(path)["policy"] for path in TABLES} == set(CATALOGUE)


@pytest.mark.parametrize("path", TABLES, ids=lambda path: path.stem)
def test_every_case_says_what_it_checks_with_known_keys_only(path: Path) -> None:
    for case in _table(path)["cases"]:
        assert set(case) <= CASE_KEYS, case["description"]
        assert {"description", "declaration", "outcome", "level", "explanation_fr"} <= set(case)


@pytest.mark.parametrize(("ref", "case", "params"), list(_cases()))
def test_a_policy_finds_what_its_case_expects(
    ref: str, case: dict[str, Any], params: dict[str, Any]
) -> None:
    finding = run(ref, declaration(case["declaration"]), params)
    assert finding.outcome == case["outcome"], finding.explanation_fr
    assert finding.level == case["level"], finding.explanation_fr
    assert finding.missing == tuple(case.get("missing", ()))
    assert case["explanation_fr"] in finding.explanation_fr
    assert finding.explanation_en
    if finding.level is not None:
        assert finding.max_level is not None and 0 <= finding.level <= finding.max_level
    json.dumps(finding.facts)  # facts are stored in events, so they must be plain JSON
