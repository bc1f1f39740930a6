"""Accès à une alimentation choisie, version 1. Published: never edit, add a version 2."""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from policies.base import Finding, Outcome, Params, Policy, missing_facts
from policies.declaration import Declaration, PlaceKind, ProductCategory

NAMES: dict[ProductCategory, tuple[str, str]] = {
    ProductCategory.FRUITS_LEGUMES: ("fruits et légumes", "fruit and vegetables"),
    ProductCategory.PAIN_CEREALES: ("pain et céréales", "bread and cereals"),
    ProductCategory.PRODUITS_LAITIERS: ("produits laitiers", "dairy"),
    ProductCategory.OEUFS: ("œufs", "eggs"),
    ProductCategory.VIANDE: ("viande", "meat"),
    ProductCategory.POISSON: ("poisson", "fish"),
    ProductCategory.EPICERIE_SECHE: ("épicerie sèche", "dry groceries"),
    ProductCategory.LEGUMINEUSES: ("légumineuses", "pulses"),
    ProductCategory.BOISSONS: ("boissons", "drinks"),
    ProductCategory.PLATS_PREPARES: ("plats préparés", "ready meals"),
    ProductCategory.HYGIENE: ("hygiène", "hygiene"),
}
Count = Annotated[int, Field(ge=1, le=len(ProductCategory))]


class ChosenFoodParams(Params):
    min_categories: Count = 4
    tiers: tuple[Count, ...] = Field(default=(4, 6, 8), min_length=1, max_length=5)
    not_counted: tuple[ProductCategory, ...] = Field(default=(ProductCategory.HYGIENE,))
    producers_exempt: bool = True

    @model_validator(mode="after")
    def _tiers_increase(self) -> ChosenFoodParams:
        if list(self.tiers) != sorted(set(self.tiers)):
            raise ValueError("les paliers doivent croître strictement")
        return self


def evaluate(declaration: Declaration, params: ChosenFoodParams, on: date) -> Finding:
    """How many distinct food categories the place offers, against a minimum and tiers."""
    if declaration.kind is PlaceKind.PRODUCTEUR and params.producers_exempt:
        return Finding(
            outcome=Outcome.MET,
            facts={"kind": str(declaration.kind), "producers_exempt": True},
            explanation_fr="Critère sans objet pour un producteur, qui vend sa propre production.",
            explanation_en="Not applicable to a producer, who sells its own produce.",
        )
    if not declaration.product_categories:
        return missing_facts("product_categories")
    offered = set(declaration.product_categories) - set(params.not_counted)
    counted = [c for c in ProductCategory if c in offered]
    count = len(counted)
    met = count >= params.min_categories
    level = sum(1 for t in params.tiers if count >= t)
    tiers = len(params.tiers)
    verb_fr = "atteint" if met else "n'atteint pas"
    verb_en = "reaches" if met else "does not reach"
    s = "s" if count > 1 else ""
    listed_fr = ", ".join(NAMES[c][0] for c in counted) or "aucune"
    listed_en = ", ".join(NAMES[c][1] for c in counted) or "none"
    return Finding(
        outcome=Outcome.MET if met else Outcome.NOT_MET,
        level=level,
        max_level=tiers,
        facts={
            "categories": [str(c) for c in counted],
            "count": count,
            "min_categories": params.min_categories,
            "tiers": list(params.tiers),
            "not_counted": [str(c) for c in params.not_counted],
        },
        explanation_fr=f"{count} catégorie{s} d'aliments proposée{s} ({listed_fr}) ; le minimum "
        f"est de {params.min_categories} ({verb_fr}), palier {level} sur {tiers}.",
        explanation_en=f"{count} food categor{'y' if count == 1 else 'ies'} offered ({listed_en}); "
        f"the minimum is {params.min_categories} ({verb_en}), tier {level} of {tiers}.",
    )


POLICY = Policy(
    name="chosen_food",
    version=1,
    title_fr="Accès à une alimentation choisie",
    title_en="Access to chosen food",
    doc_fr="Le lieu propose assez de catégories d'aliments différentes (fruits et légumes, pain "
    "et céréales, produits laitiers…) pour que chacun y choisisse son alimentation. Rempli à "
    "partir du minimum ; les paliers donnent le niveau. Certaines catégories, comme l'hygiène, "
    "peuvent ne pas compter. Un producteur peut en être dispensé.",
    doc_en="The place offers enough distinct food categories (fruit and vegetables, bread and "
    "cereals, dairy…) for everyone to choose their food. Met from the minimum; tiers give the "
    "level. Some categories, such as hygiene, may not count. Producers may be exempt.",
    param_docs={
        "min_categories": "Nombre minimal de catégories d'aliments différentes",
        "tiers": "Paliers (nombre de catégories) qui donnent le niveau, par exemple 4, 6, 8",
        "not_counted": "Catégories qui ne comptent pas, par exemple hygiene",
        "producers_exempt": "Les producteurs, qui vendent leur propre production, sont dispensés",
    },
    params_model=ChosenFoodParams,
    evaluate=evaluate,
    module=sys.modules[__name__],
)
