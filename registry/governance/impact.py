"""Impact preview: which places a criteria revision would approve or no longer approve, and why."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from policies.criteria import CriteriaVersion
from policies.engine import Evaluation, Verdict, check_version, evaluate
from registry.domain.places import STATUS_LABELS, Status
from registry.errors import RegistryError

if TYPE_CHECKING:
    from registry.application import Registry

SKIPPED = frozenset({Status.WITHDRAWN})
REEVALUATED = frozenset({Status.PENDING, Status.APPROVED, Status.SUSPENDED})


def impact(
    app: Registry, caisse: str, proposed: CriteriaVersion, on: date | None = None
) -> dict[str, Any]:
    """Each place's current declaration under the version in force and under the proposed one."""
    checked = check_version(proposed)
    if checked.caisse != caisse:
        raise RegistryError(
            "invalid_criteria", details=f"la version est pour la caisse {checked.caisse}"
        )
    day = on or checked.effective_from
    try:
        current: CriteriaVersion | None = app.criteria_in_force(caisse, day)
    except RegistryError:
        current = None
    gains: list[dict[str, Any]] = []
    losses: list[dict[str, Any]] = []
    rates: list[dict[str, Any]] = []
    unchanged = 0
    for place in app.places(caisse):
        if place.status in SKIPPED:
            continue
        declaration = place.parsed_declaration()
        after = evaluate(declaration, checked, day)
        before = evaluate(declaration, current, day) if current is not None else None
        was = before is not None and before.verdict is Verdict.APPROVED
        will = after.verdict is Verdict.APPROVED
        entry = _entry(place.siret, place.name, place.status, before, after)
        if will and not was:
            # A refused or de-approved place is not re-evaluated: it must apply again.
            entry["reapply"] = place.status not in REEVALUATED
            gains.append(entry)
        elif was and not will:
            if place.status is Status.APPROVED and checked.transition_days:
                end = checked.effective_from + timedelta(days=checked.transition_days)
                entry["approved_until"] = end.isoformat()
            losses.append(entry)
        elif was and will and before is not None and before.coverage_rate != after.coverage_rate:
            rates.append(entry)
        else:
            unchanged += 1
    return {
        "caisse": caisse,
        "on": day.isoformat(),
        "current_version": current.version if current is not None else None,
        "proposed_version": checked.version,
        "effective_from": checked.effective_from.isoformat(),
        "transition_days": checked.transition_days,
        "gains": gains,
        "losses": losses,
        "rate_changes": rates,
        "unchanged": unchanged,
    }


def _entry(
    siret: str, name: str, status: Status, before: Evaluation | None, after: Evaluation
) -> dict[str, Any]:
    return {
        "siret": siret,
        "name": name,
        "status": str(status),
        "status_fr": STATUS_LABELS[status][0],
        "before": _verdict(before),
        "after": _verdict(after),
        "why": _changed_criteria(before, after),
    }


def _verdict(evaluation: Evaluation | None) -> dict[str, Any] | None:
    if evaluation is None:
        return None
    return {
        "verdict": str(evaluation.verdict),
        "score": evaluation.score,
        "coverage_rate": evaluation.coverage_rate,
        "summary_fr": evaluation.summary_fr,
        "summary_en": evaluation.summary_en,
    }


def _changed_criteria(before: Evaluation | None, after: Evaluation) -> list[dict[str, Any]]:
    """The criteria whose outcome or level differs between the two versions."""
    old = {r.key: r for r in before.results} if before is not None else {}
    changed = []
    for result in after.results:
        previous = old.pop(result.key, None)
        if previous is not None and (previous.outcome, previous.level, previous.required) == (
            result.outcome,
            result.level,
            result.required,
        ):
            continue
        changed.append(
            {
                "key": result.key,
                "before": str(previous.outcome) if previous is not None else None,
                "after": str(result.outcome),
                "required": result.required,
                "explanation_fr": result.explanation_fr,
                "explanation_en": result.explanation_en,
            }
        )
    for key, previous in sorted(old.items()):
        changed.append(
            {
                "key": key,
                "before": str(previous.outcome),
                "after": None,
                "required": previous.required,
                "explanation_fr": "Critère retiré par la révision.",
                "explanation_en": "Criterion removed by the revision.",
            }
        )
    return changed
