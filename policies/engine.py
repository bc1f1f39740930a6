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


class Prepared:
    """A criteria version ready to run: fingerprints checked and parameters parsed once."""

    def __init__(self, version: CriteriaVersion) -> None:
        verify_fingerprints(version)
        self.version = version
        self.steps: list[tuple[Any, Policy, Params]] = [
            (spec, get_policy(spec.policy), get_policy(spec.policy).parse_params(spec.params))
            for spec in version.criteria
        ]

    def evaluate(self, declaration: Declaration, on: date) -> Evaluation:
        """Evaluate one declaration on a date. Pure."""
        rows = [
            {
                **policy.run(declaration, params, on).__dict__,
                "key": spec.key,
                "policy": spec.policy,
                "required": spec.required,
                "weight": spec.weight,
            }
            for spec, policy, params in self.steps
        ]
        # One validation of the whole evaluation, rather than one per criterion result.
        return Evaluation.model_validate(_combined(self.version, rows, on))


def prepare(version: CriteriaVersion) -> Prepared:
    """Check a version once, to evaluate many declarations under it."""
    return Prepared(version)


def evaluate(declaration: Declaration, version: CriteriaVersion, on: date) -> Evaluation:
    """Evaluate a declaration under a criteria version on a date. Pure."""
    return Prepared(version).evaluate(declaration, on)


def _credit(row: dict[str, Any]) -> float:
    """A weighted criterion earns its level's share of its weight when met, nothing otherwise."""
    if row["outcome"] is not Outcome.MET:
        return 0.0
    if row["level"] is not None and row["max_level"]:
        return float(row["level"] / row["max_level"])
    return 1.0


def combine(version: CriteriaVersion, results: tuple[CriterionResult, ...], on: date) -> Evaluation:
    """Combine criterion results the way the version says."""
    rows = [r.model_dump() for r in results]
    return Evaluation.model_validate(_combined(version, rows, on))


def _combined(version: CriteriaVersion, rows: list[dict[str, Any]], on: date) -> dict[str, Any]:
    weighted = [r for r in rows if not r["required"] and r["weight"] > 0]
    total_weight = sum(r["weight"] for r in weighted)
    score = sum(r["weight"] * _credit(r) for r in weighted) / total_weight if total_weight else 1.0
    score = round(min(max(score, 0.0), 1.0), 4)
    failed = [r["key"] for r in rows if r["required"] and r["outcome"] is Outcome.NOT_MET]
    pending = [r["key"] for r in rows if r["outcome"] is Outcome.TO_COLLECTIVE]
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
    return {
        "caisse": version.caisse,
        "criteria_version": version.version,
        "on": on,
        "fingerprints": dict(version.fingerprints),
        "results": rows,
        "score": score,
        "verdict": verdict,
        "coverage_rate": rate,
        "summary_fr": summary_fr,
        "summary_en": summary_en,
    }


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
