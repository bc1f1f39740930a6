"""Rémunération juste et conditions de travail, version 1. Published: never edit."""

from __future__ import annotations

import sys
from datetime import date
from typing import Literal

from pydantic import Field

from policies.base import Finding, Outcome, Params, Policy, missing_facts
from policies.declaration import Declaration, PlaceKind

Commitment = Literal[
    "fair_prices_to_producers", "multi_year_contracts", "living_wage", "permanent_contracts"
]
# Commitments towards suppliers, then towards employees, with their French and English names.
TO_SUPPLIERS: dict[str, tuple[str, str]] = {
    "fair_prices_to_producers": ("prix rémunérateurs aux producteurs", "fair prices to producers"),
    "multi_year_contracts": ("contrats pluriannuels", "multi-year contracts"),
}
TO_WORKERS: dict[str, tuple[str, str]] = {
    "living_wage": ("salaires au-dessus du minimum légal", "wages above the legal minimum"),
    "permanent_contracts": ("part de CDI suffisante", "enough permanent contracts"),
}
FACT_NAMES = {
    "fair_prices_to_producers": "commitments.fair_prices_to_producers",
    "multi_year_contracts": "commitments.multi_year_contracts",
    "living_wage": "commitments.living_wage",
    "permanent_contracts": "commitments.permanent_contracts_share",
}


class FairPayParams(Params):
    min_commitments: int = Field(default=2, ge=0, le=4)
    min_permanent_share: float = Field(default=50, ge=0, le=100)
    required: tuple[Commitment, ...] = Field(default=(), max_length=4)


def evaluate(declaration: Declaration, params: FairPayParams, on: date) -> Finding:
    """Commitments to fair prices, multi-year contracts, living wages and permanent contracts."""
    c = declaration.commitments
    share = c.permanent_contracts_share
    honoured: dict[str, bool | None] = {
        "fair_prices_to_producers": c.fair_prices_to_producers,
        "multi_year_contracts": c.multi_year_contracts,
        "living_wage": c.living_wage,
        "permanent_contracts": None if share is None else share >= params.min_permanent_share,
    }
    # A producer sells its own produce; a place without employees has no wages to commit to.
    applicable = dict(TO_SUPPLIERS) if declaration.kind is not PlaceKind.PRODUCTEUR else {}
    if declaration.business.employees != 0:
        applicable.update(TO_WORKERS)
    if not applicable:
        return _not_applicable(declaration)
    needed = min(params.min_commitments, len(applicable))
    required = [key for key in params.required if key in applicable]
    count = sum(1 for key in applicable if honoured[key])
    unknown = [key for key in applicable if honoured[key] is None]
    met = count >= needed and all(honoured[key] for key in required)
    could_be_met = count + len(unknown) >= needed and all(
        honoured[key] is not False for key in required
    )
    if not met and could_be_met:
        return missing_facts(*(FACT_NAMES[key] for key in unknown))
    fr, en = _explain(applicable, honoured, count, needed, share, params, met)
    return Finding(
        outcome=Outcome.MET if met else Outcome.NOT_MET,
        level=count,
        max_level=len(applicable),
        facts={
            "commitments": {key: honoured[key] for key in applicable},
            "permanent_contracts_share": share,
            "employees": declaration.business.employees,
            "min_commitments": needed,
            "min_permanent_share": params.min_permanent_share,
            "required": required,
        },
        explanation_fr=fr,
        explanation_en=en,
    )


def _not_applicable(declaration: Declaration) -> Finding:
    return Finding(
        outcome=Outcome.MET,
        facts={"kind": str(declaration.kind), "employees": declaration.business.employees},
        explanation_fr="Critère sans objet : producteur sans salariés.",
        explanation_en="Not applicable: a producer without employees.",
    )


def _explain(
    applicable: dict[str, tuple[str, str]],
    honoured: dict[str, bool | None],
    count: int,
    needed: int,
    share: float | None,
    p: FairPayParams,
    met: bool,
) -> tuple[str, str]:
    yes_fr = ", ".join(fr for key, (fr, _) in applicable.items() if honoured[key]) or "aucun"
    yes_en = ", ".join(en for key, (_, en) in applicable.items() if honoured[key]) or "none"
    cdi_fr = cdi_en = ""
    if "permanent_contracts" in applicable and share is not None:
        cdi_fr = f" ; {share:g} % de CDI pour un seuil de {p.min_permanent_share:g} %"
        cdi_en = f"; {share:g}% permanent contracts against a {p.min_permanent_share:g}% threshold"
    required = [applicable[key] for key in p.required if key in applicable]
    required_fr = f" ; exigés : {', '.join(fr for fr, _ in required)}" if required else ""
    required_en = f"; required: {', '.join(en for _, en in required)}" if required else ""
    s = "s" if count > 1 else ""
    return (
        f"{count} engagement{s} tenu{s} sur {len(applicable)} ({yes_fr}), il en faut {needed}"
        f"{cdi_fr}{required_fr} ; {'rempli' if met else 'non rempli'}.",
        f"{count} of {len(applicable)} commitments kept ({yes_en}), {needed} needed"
        f"{cdi_en}{required_en}; {'met' if met else 'not met'}.",
    )


POLICY = Policy(
    name="fair_pay",
    version=1,
    title_fr="Rémunération juste et conditions de travail",
    title_en="Fair pay and working conditions",
    doc_fr="Engagements déclarés envers les producteurs (prix rémunérateurs, contrats "
    "pluriannuels) et les salariés (salaires au-dessus du minimum légal, part de CDI au moins "
    "égale au seuil). Rempli à partir du nombre minimal d'engagements tenus, et si les "
    "engagements exigés le sont ; chaque engagement donne un niveau. Les engagements envers "
    "les salariés sont sans objet sans salarié, ceux envers les producteurs pour un producteur.",
    doc_en="Declared commitments to producers (fair prices, multi-year contracts) and to "
    "employees (wages above the legal minimum, a share of permanent contracts at or above the "
    "threshold). Met from the minimum number of commitments kept, provided the required ones "
    "are; each commitment gives one level. Commitments to employees do not apply without "
    "employees, nor those to producers for a producer.",
    param_docs={
        "min_commitments": "Nombre minimal d'engagements tenus (ramené au nombre applicable)",
        "min_permanent_share": "Part minimale (%) de salariés en CDI pour tenir cet engagement",
        "required": "Engagements exigés parmi fair_prices_to_producers, multi_year_contracts, "
        "living_wage, permanent_contracts",
    },
    params_model=FairPayParams,
    evaluate=evaluate,
    module=sys.modules[__name__],
)
