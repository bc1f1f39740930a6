"""Soutien à l'agriculture paysanne, version 1. Published: never edit, add a version 2."""

from __future__ import annotations

import sys
from datetime import date

from pydantic import Field, model_validator

from policies.base import Finding, Outcome, Params, Policy, missing_facts
from policies.declaration import Declaration, Label, PlaceKind

PEASANT_LABELS = {Label.AB, Label.NATURE_ET_PROGRES, Label.DEMETER, Label.EN_CONVERSION}


class PeasantParams(Params):
    min_share: float = Field(default=50, ge=0, le=100)
    tiers: tuple[float, ...] = Field(default=(50, 70, 90), min_length=1, max_length=5)
    max_farm_area_ha: float = Field(default=100, gt=0, le=10000)

    @model_validator(mode="after")
    def _tiers_increase(self) -> PeasantParams:
        if list(self.tiers) != sorted(set(self.tiers)) or any(not 0 <= t <= 100 for t in self.tiers):
            raise ValueError("les paliers doivent croître strictement, entre 0 et 100")
        return self


def evaluate(declaration: Declaration, params: PeasantParams, on: date) -> Finding:
    """Share of supply from peasant or labelled farms; for producers, their own farm."""
    if declaration.kind is PlaceKind.PRODUCTEUR and declaration.farm is not None:
        return _producer(declaration, params)
    supply = declaration.supply
    shares = [s for s in (supply.peasant_share, supply.labelled_share) if s is not None]
    if not shares:
        return missing_facts("supply.peasant_share", "supply.labelled_share")
    share = max(shares)
    level = sum(1 for t in params.tiers if share >= t)
    met = share >= params.min_share
    facts = {"share": share, "min_share": params.min_share, "tiers": list(params.tiers)}
    verb_fr = "atteint" if met else "n'atteint pas"
    verb_en = "reaches" if met else "does not reach"
    return Finding(
        outcome=Outcome.MET if met else Outcome.NOT_MET,
        level=level,
        max_level=len(params.tiers),
        facts=facts,
        explanation_fr=f"{share:g} % de l'approvisionnement vient de fermes paysannes ou "
        f"labellisées ; le seuil est de {params.min_share:g} % ({verb_fr}), "
        f"palier {level} sur {len(params.tiers)}.",
        explanation_en=f"{share:g}% of supply comes from peasant or labelled farms; "
        f"the threshold is {params.min_share:g}% ({verb_en}), tier {level} of "
        f"{len(params.tiers)}.",
    )


def _producer(declaration: Declaration, params: PeasantParams) -> Finding:
    farm = declaration.farm
    assert farm is not None
    labels = sorted(str(label) for label in set(farm.labels) & PEASANT_LABELS)
    small = farm.area_ha <= params.max_farm_area_ha
    reasons_fr, reasons_en = [], []
    points = 0
    if labels:
        points += 1
        reasons_fr.append(f"labels {', '.join(labels)}")
        reasons_en.append(f"labels {', '.join(labels)}")
    if farm.peasant_charter:
        points += 1
        reasons_fr.append("charte de l'agriculture paysanne")
        reasons_en.append("peasant agriculture charter")
    if farm.independent:
        points += 1
        reasons_fr.append("indépendante de l'agro-industrie")
        reasons_en.append("independent from agro-industry")
    met = small and points >= 1
    size_fr = f"{farm.area_ha:g} ha (plafond {params.max_farm_area_ha:g} ha)"
    size_en = f"{farm.area_ha:g} ha (cap {params.max_farm_area_ha:g} ha)"
    found_fr = ", ".join(reasons_fr) or "aucun label, charte ni indépendance déclarés"
    found_en = ", ".join(reasons_en) or "no label, charter or independence declared"
    return Finding(
        outcome=Outcome.MET if met else Outcome.NOT_MET,
        level=points if small else 0,
        max_level=3,
        facts={
            "area_ha": farm.area_ha,
            "max_farm_area_ha": params.max_farm_area_ha,
            "labels": labels,
            "peasant_charter": farm.peasant_charter,
            "independent": farm.independent,
        },
        explanation_fr=f"Ferme de {size_fr} : {found_fr}.",
        explanation_en=f"Farm of {size_en}: {found_en}.",
    )


POLICY = Policy(
    name="peasant_agriculture",
    version=1,
    title_fr="Soutien à l'agriculture paysanne",
    title_en="Support for peasant agriculture",
    doc_fr="Pour un commerce : part de l'approvisionnement venant de fermes paysannes ou "
    "labellisées (AB, Nature & Progrès, Demeter, en conversion), la plus haute des deux parts "
    "déclarées. Rempli au-delà du seuil ; les paliers donnent le niveau. Pour un producteur : "
    "sa ferme ne dépasse pas la surface plafond et a au moins un label, adhère à la charte de "
    "l'agriculture paysanne ou est indépendante de l'agro-industrie.",
    doc_en="For a shop: share of supply from peasant or labelled farms (AB, Nature & Progrès, "
    "Demeter, in conversion), the higher of the two declared shares. Met above the threshold; "
    "tiers give the level. For a producer: the farm is within the area cap and has a label, "
    "the peasant charter or independence from agro-industry.",
    param_docs={
        "min_share": "Part minimale (%) de l'approvisionnement paysan ou labellisé",
        "tiers": "Paliers (%) qui donnent le niveau, par exemple 50, 70, 90",
        "max_farm_area_ha": "Surface maximale (ha) d'une ferme paysanne",
    },
    params_model=PeasantParams,
    evaluate=evaluate,
    module=sys.modules[__name__],
)
