"""The engine: versions checked before publishing, and criterion results combined into a verdict."""

from __future__ import annotations

from typing import Any

import pytest

from policies.base import Outcome
from policies.criteria import CriteriaVersion, CriterionSpec
from policies.engine import CriterionResult, Verdict, check_version, combine, evaluate
from policies.errors import CodedError
from policies.seed import SEED_VERSIONS

from .policy_support import ON, declaration

V2024 = SEED_VERSIONS[0]


def version(*criteria: CriterionSpec, **changes: Any) -> CriteriaVersion:
    """A small criteria version around the given criteria."""
    return CriteriaVersion(
        version="essai-1", title="Essai", effective_from=ON, criteria=criteria, **changes
    )


def result(
    key: str,
    outcome: Outcome = Outcome.MET,
    level: int | None = None,
    max_level: int | None = None,
    required: bool = False,
    weight: float = 1.0,
) -> CriterionResult:
    """A criterion result as a policy would have given it."""
    return CriterionResult(
        outcome=outcome,
        level=level,
        max_level=max_level,
        explanation_fr="…",
        explanation_en="…",
        key=key,
        policy="peasant_agriculture@1",
        required=required,
        weight=weight,
    )


def test_a_version_naming_an_unknown_policy_is_refused() -> None:
    unknown = version(CriterionSpec(key="bio", policy="organic_label@1"))
    with pytest.raises(CodedError) as refused:
        check_version(unknown)
    assert refused.value.code == "unknown_policy"
    assert "proximity@1" in refused.value.message("fr")


@pytest.mark.parametrize(
    ("policy", "params"),
    [
        ("peasant_agriculture@1", {"min_share": 150}),
        ("peasant_agriculture@1", {"tiers": [90, 50]}),
        ("proximity@1", {"postcodes": ["75014"], "radius_km": -1}),
        ("proximity@1", {"postcodes": ["750"]}),
        ("proximity@1", {"radius_km": 2.5}),
        ("proximity@1", {"outline": [[2.3, 48.8], [2.4, 48.8]]}),
        ("proximity@1", {"postcodes": ["75014"], "tiers_km": [0.5, 1.5]}),
        ("engaged_commerce@1", {"require_independent": "souvent"}),
        ("chosen_food@1", {"min_categories": 0}),
        ("chosen_food@1", {"tiers": [6, 4]}),
        ("chosen_food@1", {"not_counted": ["tabac"]}),
        ("accessibility@1", {"evening_hour": "12:00"}),
        ("accessibility@1", {"min_evenings": 8}),
        ("fair_pay@1", {"min_commitments": 5}),
        ("fair_pay@1", {"required": ["dividends"]}),
        ("fair_pay@1", {"unknown_parameter": 1}),
    ],
)
def test_a_version_with_parameters_out_of_range_is_refused(
    policy: str, params: dict[str, Any]
) -> None:
    with pytest.raises(CodedError) as refused:
        check_version(version(CriterionSpec(key="critere", policy=policy, params=params)))
    assert refused.value.code == "invalid_parameters"


def test_a_checked_version_carries_the_fingerprint_of_each_policy_it_uses() -> None:
    checked = check_version(V2024)
    assert set(checked.fingerprints) == {spec.policy for spec in V2024.criteria}
    assert all(fp.startswith("sha256:") for fp in checked.fingerprints.values())


def test_a_version_whose_policy_code_changed_since_publication_is_refused() -> None:
    stale = check_version(V2024).model_copy(
        update={"fingerprints": {"proximity@1": "sha256:" + "0" * 64}}
    )
    with pytest.raises(CodedError) as refused:
        evaluate(declaration(), stale, ON)
    assert refused.value.code == "policy_changed"


def test_a_required_criterion_not_met_refuses_the_place_whatever_the_score() -> None:
    results = (
        result("paysanne", Outcome.NOT_MET, 0, 3, required=True),
        result("commerce", Outcome.MET, 2, 2),
    )
    evaluation = combine(V2024, results, ON)
    assert evaluation.verdict is Verdict.REFUSED
    assert evaluation.score == 1.0
    assert evaluation.coverage_rate == 0
    assert "paysanne" in evaluation.summary_fr


@pytest.mark.parametrize("required", [True, False])
def test_a_criterion_sent_to_the_collective_sends_the_place_there_too(required: bool) -> None:
    results = (
        result("paysanne", Outcome.MET, 3, 3, required=True),
        result("accessibilite", Outcome.TO_COLLECTIVE, required=required),
        result("commerce", Outcome.MET, 2, 2),
    )
    evaluation = combine(V2024, results, ON)
    assert evaluation.verdict is Verdict.TO_COLLECTIVE
    assert "accessibilite" in evaluation.summary_fr


def test_a_required_refusal_wins_over_a_pending_criterion() -> None:
    results = (
        result("paysanne", Outcome.NOT_MET, 0, 3, required=True),
        result("accessibilite", Outcome.TO_COLLECTIVE),
    )
    assert combine(V2024, results, ON).verdict is Verdict.REFUSED


def test_a_weighted_score_below_the_threshold_refuses_the_place() -> None:
    results = (
        result("paysanne", Outcome.MET, 1, 3, required=True),
        result("commerce", Outcome.MET, 1, 2, weight=1),
        result("choix", Outcome.NOT_MET, 0, 3, weight=1),
    )
    evaluation = combine(V2024, results, ON)
    assert evaluation.score == 0.25
    assert evaluation.verdict is Verdict.REFUSED
    assert "sous le seuil de 50 %" in evaluation.summary_fr


@pytest.mark.parametrize(
    ("level", "score", "rate"),
    [(5, 0.5, 60), (6, 0.6, 60), (7, 0.7, 80), (8, 0.8, 80), (9, 0.9, 100), (10, 1.0, 100)],
)
def test_the_weighted_score_picks_one_of_the_three_coverage_rates(
    level: int, score: float, rate: float
) -> None:
    results = (
        result("paysanne", Outcome.MET, 1, 3, required=True),
        result("grille", Outcome.MET, level, 10),
    )
    evaluation = combine(V2024, results, ON)
    assert evaluation.verdict is Verdict.APPROVED
    assert (evaluation.score, evaluation.coverage_rate) == (score, rate)
