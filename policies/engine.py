"""Evaluate a declaration under a criteria version, and check versions before publishing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import to_jsonable_python

from policies.base import Finding, Outcome, Params, Policy
from policies.catalogue import CATALOGUE
from policies.criteria import CriteriaVersion, CriterionSpec
from policies.declaration import Declaration, describe_errors
from policies.errors import CodedError
from policies.fingerprints import succeeded_by


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
    """The policy for 'name@version', or a CodedError listing what exists."""
    try:
        return CATALOGUE[ref]
    except KeyError:
        raise CodedError("unknown_policy", policy=ref, known=", ".join(sorted(CATALOGUE))) from None


def check_version(version: CriteriaVersion) -> CriteriaVersion:
    """Validate every criterion's policy and parameters; return the version with fingerprints."""
    fingerprints: dict[str, str] = {}
    for spec in version.criteria:
        policy = get_policy(spec.policy)
        try:
            policy.parse_params(spec.params)
        except ValidationError as exc:
            raise CodedError(
                "invalid_parameters",
                policy=f"{spec.key} ({spec.policy})",
                details=describe_errors(exc),
            ) from None
        fingerprints[spec.policy] = policy.fingerprint
    stale = {
        ref: fp
        for ref, fp in version.fingerprints.items()
        if not succeeded_by(ref, fp, fingerprints.get(ref, ""))
    }
    if version.fingerprints and stale:
        ref = next(iter(stale))
        raise CodedError(
            "policy_changed", policy=ref, expected=stale[ref], actual=fingerprints.get(ref, "—")
        )
    return version.model_copy(update={"fingerprints": fingerprints})


def verify_fingerprints(version: CriteriaVersion) -> None:
    """Refuse to run a published version whose policies' code has changed since."""
    for ref, expected in version.fingerprints.items():
        actual = get_policy(ref).fingerprint
        if not succeeded_by(ref, expected, actual):
            raise CodedError("policy_changed", policy=ref, expected=expected, actual=actual)


@dataclass(frozen=True, slots=True)
class Judgement:
    """A verdict and the findings behind it: an Evaluation before it is built as one.

    Cheap to make, for questions over many places (what-if) that need the verdict of every
    place but the whole evaluation of only a few.
    """

    version: CriteriaVersion
    on: date
    findings: tuple[tuple[CriterionSpec, Finding], ...]
    score: float
    verdict: Verdict
    coverage_rate: float
    summary_fr: str
    summary_en: str

    def recorded(self) -> dict[str, Any]:
        """The evaluation as an Evaluated event records it: `evaluation().model_dump(mode="json")`,
        written out directly, key for key and in the same order."""
        return {
            "caisse": self.version.caisse,
            "criteria_version": self.version.version,
            "on": self.on.isoformat(),
            "fingerprints": dict(self.version.fingerprints),
            "results": [
                {
                    "outcome": finding.outcome.value,
                    "level": finding.level,
                    "max_level": finding.max_level,
                    "facts": to_jsonable_python(finding.facts),
                    "missing": list(finding.missing),
                    "explanation_fr": finding.explanation_fr,
                    "explanation_en": finding.explanation_en,
                    "key": spec.key,
                    "policy": spec.policy,
                    "required": spec.required,
                    "weight": spec.weight,
                }
                for spec, finding in self.findings
            ],
            "score": self.score,
            "verdict": self.verdict.value,
            "coverage_rate": self.coverage_rate,
            "summary_fr": self.summary_fr,
            "summary_en": self.summary_en,
        }

    def evaluation(self) -> Evaluation:
        """The whole evaluation, as a model."""
        results = tuple(
            # A policy returns a validated Finding; tying it to its criterion adds fields
            # taken from the checked version, so nothing needs validating again.
            CriterionResult.model_construct(
                **finding.__dict__,
                key=spec.key,
                policy=spec.policy,
                required=spec.required,
                weight=spec.weight,
            )
            for spec, finding in self.findings
        )
        # Built from validated parts by the rules of `judge`: constructed, not validated again.
        return Evaluation.model_construct(
            caisse=self.version.caisse,
            criteria_version=self.version.version,
            on=self.on,
            fingerprints=dict(self.version.fingerprints),
            results=results,
            score=self.score,
            verdict=self.verdict,
            coverage_rate=self.coverage_rate,
            summary_fr=self.summary_fr,
            summary_en=self.summary_en,
        )


class Prepared:
    """A criteria version ready to run: fingerprints checked and parameters parsed once."""

    def __init__(self, version: CriteriaVersion) -> None:
        verify_fingerprints(version)
        self.version = version
        self.steps: list[tuple[CriterionSpec, Policy, Params]] = [
            (spec, get_policy(spec.policy), get_policy(spec.policy).parse_params(spec.params))
            for spec in version.criteria
        ]

    def judge(self, declaration: Declaration, on: date) -> Judgement:
        """Every criterion's finding and the verdict for one declaration on a date. Pure."""
        findings = tuple(
            (spec, policy.run(declaration, params, on)) for spec, policy, params in self.steps
        )
        return judge(self.version, findings, on)

    def evaluate(self, declaration: Declaration, on: date) -> Evaluation:
        """Evaluate one declaration on a date. Pure."""
        return self.judge(declaration, on).evaluation()

    __call__ = evaluate


def prepare(version: CriteriaVersion) -> Prepared:
    """Check a version once, to evaluate many declarations under it."""
    return Prepared(version)


def evaluate(declaration: Declaration, version: CriteriaVersion, on: date) -> Evaluation:
    """Evaluate a declaration under a criteria version on a date. Pure."""
    return Prepared(version).evaluate(declaration, on)


def _credit(finding: Finding) -> float:
    """A weighted criterion earns its level's share of its weight when met, nothing otherwise."""
    if finding.outcome is not Outcome.MET:
        return 0.0
    if finding.level is not None and finding.max_level:
        return float(finding.level / finding.max_level)
    return 1.0


def judge(
    version: CriteriaVersion, findings: tuple[tuple[CriterionSpec, Finding], ...], on: date
) -> Judgement:
    """Combine each criterion's finding the way the version says."""
    weighted = [(s, f) for s, f in findings if not s.required and s.weight > 0]
    total_weight = sum(s.weight for s, _ in weighted)
    score = sum(s.weight * _credit(f) for s, f in weighted) / total_weight if total_weight else 1.0
    score = round(min(max(score, 0.0), 1.0), 4)
    failed = [s.key for s, f in findings if s.required and f.outcome is Outcome.NOT_MET]
    pending = [s.key for s, f in findings if f.outcome is Outcome.TO_COLLECTIVE]
    if failed:
        verdict = Verdict.REFUSED
    elif pending:
        verdict = Verdict.TO_COLLECTIVE
    elif score < version.threshold:
        verdict = Verdict.REFUSED
    else:
        verdict = Verdict.APPROVED
    rate = float(version.coverage_rate(score)) if verdict is Verdict.APPROVED else 0.0
    summary_fr, summary_en = _summaries(version, verdict, score, failed, pending, rate)
    return Judgement(version, on, findings, score, verdict, rate, summary_fr, summary_en)


def combine(version: CriteriaVersion, results: tuple[CriterionResult, ...], on: date) -> Evaluation:
    """Combine criterion results the way the version says."""
    findings = tuple(
        (
            CriterionSpec.model_construct(
                key=r.key, policy=r.policy, required=r.required, weight=r.weight
            ),
            Finding.model_construct(**{name: getattr(r, name) for name in Finding.model_fields}),
        )
        for r in results
    )
    return judge(version, findings, on).evaluation()


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
