"""Evaluate a declaration under a criteria version, and check versions before publishing."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from policies.base import Finding, Outcome, Params, Policy
from policies.catalogue import CATALOGUE
from policies.criteria import CriteriaVersion
from registry.declaration import Declaration, describe_errors
from registry.errors import RegistryError


class Verdict(StrEnum):
    """What the criteria say of a place as a whole."""

    APPROVED = "approved"
    REFUSED = "refused"
    TO_COLLECTIVE = "to_collective"


VERDICT_LABELS: dict[Verdict, tuple[str, str]] = {
    Verdict.APPROVED: ("conventionnable", "can be approved"),
    Verdict.REFUSED: ("non conventionnable", "cannot be approved"),
    Verdict.TO_COLLECTIVE: ("à examiner par le collectif", "to be decided by the collective"),
}


class CriterionResult(Finding):
    """A finding tied to its criterion in a version."""

    key: str
    policy: str
    required: bool
    weight: float


class Evaluation(BaseModel):
    """Every criterion's result and the verdict, as recorded in an Evaluated event."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    caisse: str
    criteria_version: str
    on: date
    fingerprints: dict[str, str]
    results: tuple[CriterionResult, ...]
    score: float = Field(ge=0, le=1)
    verdict: Verdict
    coverage_rate: float
    summary_fr: str
    summary_en: str


def get_policy(ref: str) -> Policy:
    """The policy for 'name@version', or a RegistryError listing what exists."""
    try:
        return CATALOGUE[ref]
    except KeyError:
        raise RegistryError(
            "unknown_policy", policy=ref, known=", ".join(sorted(CATALOGUE))
        ) from None


def check_version(version: CriteriaVersion) -> CriteriaVersion:
    """Validate every criterion's policy and parameters; return the version with fingerprints."""
    fingerprints: dict[str, str] = {}
    for spec in version.criteria:
        policy = get_policy(spec.policy)
        try:
            policy.parse_params(spec.params)
        except ValidationError as exc:
            raise RegistryError(
                "invalid_parameters",
                policy=f"{spec.key} ({spec.policy})",
                details=describe_errors(exc),
            ) from None
        fingerprints[spec.policy] = policy.fingerprint
    stale = {ref: fp for ref, fp in version.fingerprints.items() if fingerprints.get(ref) != fp}
    if version.fingerprints and stale:
        ref = next(iter(stale))
        raise RegistryError(
            "policy_changed", policy=ref, expected=stale[ref], actual=fingerprints.get(ref, "—")
        )
    return version.model_copy(update={"fingerprints": fingerprints})


def verify_fingerprints(version: CriteriaVersion) -> None:
    """Refuse to run a published version whose policies' code has changed since."""
    for ref, expected in version.fingerprints.items():
        actual = get_policy(ref).fingerprint
        if actual != expected:
            raise RegistryError("policy_changed", policy=ref, expected=expected, actual=actual)


def evaluate(declaration: Declaration, version: CriteriaVersion, on: date) -> Evaluation:
    """Evaluate a declaration under a criteria version on a date. Pure."""
    verify_fingerprints(version)
    results = []
    for spec in version.criteria:
        policy = get_policy(spec.policy)
        params: Params = policy.parse_params(spec.params)
        finding = policy.run(declaration, params, on)
        results.append(
            CriterionResult(
                **finding.model_dump(),
                key=spec.key,
                policy=spec.policy,
                required=spec.required,
                weight=spec.weight,
            )
        )
    return combine(version, tuple(results), on)


def _credit(result: Finding) -> float:
    if result.outcome is Outcome.MET:
        if result.level is not None and result.max_level:
            return result.level / result.max_level
        return 1.0
    if result.level is not None and result.max_level:
        return result.level / result.max_level
    return 0.0


def combine(version: CriteriaVersion, results: tuple[CriterionResult, ...], on: date) -> Evaluation:
    """Combine criterion results the way the version says."""
    required = [r for r in results if r.required]
    weighted = [r for r in results if not r.required and r.weight > 0]
    total_weight = sum(r.weight for r in weighted)
    score = sum(r.weight * _credit(r) for r in weighted) / total_weight if total_weight else 1.0
    score = round(min(max(score, 0.0), 1.0), 4)
    failed = [r.key for r in required if r.outcome is Outcome.NOT_MET]
    pending = [r.key for r in results if r.outcome is Outcome.TO_COLLECTIVE]
    if failed:
        verdict = Verdict.REFUSED
    elif pending:
        verdict = Verdict.TO_COLLECTIVE
    elif score < version.threshold:
        verdict = Verdict.REFUSED
    else:
        verdict = Verdict.APPROVED
    rate = version.coverage_rate(score) if verdict is Verdict.APPROVED else 0.0
    summary_fr, summary_en = _summaries(version, verdict, score, failed, pending, rate)
    return Evaluation(
        caisse=version.caisse,
        criteria_version=version.version,
        on=on,
        fingerprints=dict(version.fingerprints),
        results=results,
        score=score,
        verdict=verdict,
        coverage_rate=rate,
        summary_fr=summary_fr,
        summary_en=summary_en,
    )


def _summaries(
    version: CriteriaVersion,
    verdict: Verdict,
    score: float,
    failed: list[str],
    pending: list[str],
    rate: float,
) -> tuple[str, str]:
    head_fr = f"Critères {version.version}"
    head_en = f"Criteria {version.version}"
    pct = round(score * 100)
    threshold = round(version.threshold * 100)
    if failed:
        listed = ", ".join(failed)
        return (
            f"{head_fr} : critère obligatoire non rempli ({listed}).",
            f"{head_en}: required criterion not met ({listed}).",
        )
    if pending:
        listed = ", ".join(pending)
        return (
            f"{head_fr} : le collectif doit examiner {listed}.",
            f"{head_en}: the collective must examine {listed}.",
        )
    if verdict is Verdict.REFUSED:
        return (
            f"{head_fr} : score pondéré {pct} %, sous le seuil de {threshold} %.",
            f"{head_en}: weighted score {pct}%, below the {threshold}% threshold.",
        )
    return (
        f"{head_fr} : tous les critères obligatoires sont remplis, score pondéré {pct} % "
        f"(seuil {threshold} %), prise en charge {rate:g} %.",
        f"{head_en}: every required criterion is met, weighted score {pct}% "
        f"(threshold {threshold}%), coverage {rate:g}%.",
    )


def evaluation_from_dict(data: dict[str, Any]) -> Evaluation:
    """Rebuild a stored evaluation."""
    return Evaluation.model_validate(data)
