"""The engine's fast forms are exactly its validated ones; what-if reads stored declarations."""

from __future__ import annotations

import json
from datetime import date

import pytest

from policies.engine import Evaluation, check_version, prepare
from policies.seed import SEED_VERSIONS
from registry.declaration import parse_declaration
from registry.demo_places import all_declarations
from registry.readmodels.whatif import StoredDeclaration, is_draft_path


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
