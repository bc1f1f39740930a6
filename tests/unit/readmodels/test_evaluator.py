"""What-if evaluates each place exactly as the registry's engine does."""

from __future__ import annotations

import json
from datetime import date

import pytest

from policies.engine import CriterionResult, Evaluation, check_version, evaluate, prepare
from policies.seed import SEED_VERSIONS
from registry.declaration import parse_declaration
from registry.demo_places import all_declarations
from registry.readmodels.whatif import Evaluator, StoredDeclaration, is_draft_path


@pytest.mark.parametrize("version", SEED_VERSIONS, ids=lambda v: v.version)
def test_the_whatif_evaluator_gives_the_engines_result_for_every_demo_place(
    version: object,
) -> None:
    checked = check_version(version)  # type: ignore[arg-type]
    fast = Evaluator(checked)
    day = date(2025, 6, 1)
    for raw in all_declarations():
        declaration = parse_declaration(raw)
        assert fast(declaration, day) == evaluate(declaration, checked, day)


@pytest.mark.parametrize("version", SEED_VERSIONS, ids=lambda v: v.version)
def test_a_constructed_evaluation_is_exactly_what_validating_it_gives(version: object) -> None:
    """The engine builds evaluations without validating them again: they must be valid as is."""
    checked = check_version(version)  # type: ignore[arg-type]
    day = date(2025, 6, 1)
    for raw in all_declarations():
        evaluation = evaluate(parse_declaration(raw), checked, day)
        validated = Evaluation.model_validate(evaluation.model_dump())
        assert validated == evaluation
        assert validated.model_dump_json() == evaluation.model_dump_json()
        assert [type(r) for r in evaluation.results] == [CriterionResult] * len(checked.criteria)


def test_a_criteria_argument_is_a_file_when_it_looks_like_one() -> None:
    assert is_draft_path("projet.json") and is_draft_path("drafts/v3")
    assert not is_draft_path("2025-1")


def test_a_stored_declaration_reads_back_exactly_as_it_was_validated() -> None:
    for raw in all_declarations():
        declaration = parse_declaration(raw)
        stored = StoredDeclaration.model_validate_json(declaration.model_dump_json())
        assert stored.model_dump() == declaration.model_dump()


@pytest.mark.parametrize("version", SEED_VERSIONS, ids=lambda v: v.version)
def test_the_recorded_form_is_the_models_json_form_key_for_key(version: object) -> None:
    checked = check_version(version)  # type: ignore[arg-type]
    prepared = prepare(checked)
    day = date(2025, 6, 1)
    for raw in all_declarations():
        judgement = prepared.judge(parse_declaration(raw), day)
        recorded = judgement.recorded()
        expected = judgement.evaluation().model_dump(mode="json")
        assert json.dumps(recorded) == json.dumps(expected)
        assert Evaluation.model_validate(recorded) == judgement.evaluation()
