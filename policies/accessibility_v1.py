"""Accessibilité et ouverture à tous, version 1. Published: never edit, add a version 2."""

from __future__ import annotations

import sys
from datetime import date, time

from pydantic import Field

from policies.base import Finding, Outcome, Params, Policy, missing_facts
from policies.declaration import Declaration, PaymentMeans, Weekday

DAYS = tuple(Weekday)
WEEKEND = {Weekday.SAMEDI, Weekday.DIMANCHE}
# (key, French, English) of each quality, in the order explanations list them.
QUALITIES = (
    ("evening", "ouvert en soirée", "open in the evening"),
    ("weekend", "ouvert le week-end", "open at weekends"),
    ("step_free", "accès de plain-pied", "step-free access"),
    ("allocation", "accepte l'allocation", "accepts the allocation"),
)

FACT_NAMES = {
    "evening": "opening_hours",
    "weekend": "opening_hours",
    "step_free": "accessibility.step_free",
    "allocation": "accessibility.accepts_allocation",
}


class AccessibilityParams(Params):
    evening_hour: time = Field(default=time(19, 0), ge=time(16, 0), le=time(23, 59))
    min_evenings: int = Field(default=1, ge=1, le=7)
    require_evening: bool = True
    require_weekend: bool = False
    require_step_free: bool = False
    require_allocation: bool = True


def evaluate(declaration: Declaration, params: AccessibilityParams, on: date) -> Finding:
    """Evening and weekend opening, step-free access and acceptance of the allocation."""
    slots = declaration.opening_hours
    late = {s.day for s in slots if s.closes >= params.evening_hour}
    evenings = [str(day) for day in DAYS if day in late]
    access = declaration.accessibility
    allocation = (
        access.accepts_allocation or PaymentMeans.ALLOCATION_SSA in declaration.payment_means
    )
    found: dict[str, bool | None] = {
        "evening": len(evenings) >= params.min_evenings if slots else None,
        "weekend": any(s.day in WEEKEND for s in slots) if slots else None,
        "step_free": access.step_free,
        "allocation": True if allocation else access.accepts_allocation,
    }
    required = {
        "evening": params.require_evening,
        "weekend": params.require_weekend,
        "step_free": params.require_step_free,
        "allocation": params.require_allocation,
    }
    missing = [key for key, need in required.items() if need and found[key] is None]
    failed = [key for key, need in required.items() if need and found[key] is False]
    if missing and not failed:
        return missing_facts(*dict.fromkeys(FACT_NAMES[key] for key in missing))
    level = sum(1 for value in found.values() if value)
    met = not failed
    hour = params.evening_hour.strftime("%H:%M")
    fr, en = _explain(found, required, evenings, params, hour, level, met)
    return Finding(
        outcome=Outcome.MET if met else Outcome.NOT_MET,
        level=level,
        max_level=len(QUALITIES),
        facts={
            **found,
            "evening_days": evenings,
            "evening_hour": hour,
            "min_evenings": params.min_evenings,
            "required": [key for key, need in required.items() if need],
        },
        explanation_fr=fr,
        explanation_en=en,
    )


def _explain(
    found: dict[str, bool | None],
    required: dict[str, bool],
    evenings: list[str],
    p: AccessibilityParams,
    hour: str,
    level: int,
    met: bool,
) -> tuple[str, str]:
    yes_fr = ", ".join(fr for key, fr, _ in QUALITIES if found[key]) or "rien"
    yes_en = ", ".join(en for key, _, en in QUALITIES if found[key]) or "nothing"
    no_fr = ", ".join(
        fr + (" (exigé)" if required[key] else "") for key, fr, _ in QUALITIES if not found[key]
    )
    no_en = ", ".join(
        en + (" (required)" if required[key] else "") for key, _, en in QUALITIES if not found[key]
    )
    top = len(QUALITIES)
    s = "s" if len(evenings) > 1 else ""
    return (
        f"Fermeture à {hour.replace(':', 'h')} ou plus tard : {len(evenings)} jour{s}, il en "
        f"faut {p.min_evenings} ; présent : {yes_fr} ; absent ou non déclaré : {no_fr or 'rien'}"
        f" ; {'rempli' if met else 'non rempli'}, niveau {level} sur {top}.",
        f"Closing at {hour} or later: {len(evenings)} day{'' if len(evenings) == 1 else 's'}, "
        f"{p.min_evenings} needed; "
        f"present: {yes_en}; absent or undeclared: {no_en or 'nothing'}; "
        f"{'met' if met else 'not met'}, level {level} of {top}.",
    )


POLICY = Policy(
    name="accessibility",
    version=1,
    title_fr="Accessibilité et ouverture à toutes et tous",
    title_en="Accessibility and openness to all",
    doc_fr="Le lieu est ouvert en soirée (fermeture à l'heure dite ou plus tard, un nombre "
    "minimal de jours), le week-end, accessible de plain-pied et accepte l'allocation de la "
    "caisse (déclarée, ou « allocation_ssa » parmi les moyens de paiement). Chaque qualité "
    "donne un niveau ; les paramètres disent lesquelles sont exigées.",
    doc_en="The place opens in the evening (closing at the given hour or later, on a minimum "
    "number of days), at weekends, has step-free access and accepts the caisse's allocation "
    "(declared, or 'allocation_ssa' among payment means). Each quality gives one level; the "
    "parameters say which are required.",
    param_docs={
        "evening_hour": "Heure de fermeture (HH:MM) à partir de laquelle un jour compte comme "
        "ouverture en soirée",
        "min_evenings": "Nombre minimal de jours d'ouverture en soirée",
        "require_evening": "Exiger l'ouverture en soirée",
        "require_weekend": "Exiger l'ouverture le samedi ou le dimanche",
        "require_step_free": "Exiger un accès de plain-pied",
        "require_allocation": "Exiger que le lieu accepte l'allocation de la caisse",
    },
    params_model=AccessibilityParams,
    evaluate=evaluate,
    module=sys.modules[__name__],
)
