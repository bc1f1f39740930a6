"""Soutien aux commerces engagés, version 1. Published: never edit, add a version 2."""

from __future__ import annotations

import sys
from datetime import date

from pydantic import Field

from policies.base import Finding, Outcome, Params, Policy, missing_facts
from policies.declaration import Declaration, LegalForm

NOT_INDEPENDENT = {LegalForm.FRANCHISE, LegalForm.CHAINE}
SOCIAL_FORMS = {LegalForm.COOPERATIVE, LegalForm.ASSOCIATION}

NAMES: dict[LegalForm, tuple[str, str]] = {
    LegalForm.INDEPENDANT: ("indépendant", "independent"),
    LegalForm.FRANCHISE: ("franchise", "franchise"),
    LegalForm.CHAINE: ("chaîne", "chain"),
    LegalForm.COOPERATIVE: ("coopérative", "cooperative"),
    LegalForm.ASSOCIATION: ("association", "association"),
    LegalForm.EXPLOITATION_AGRICOLE: ("exploitation agricole", "farm"),
}


class EngagedCommerceParams(Params):
    require_independent: bool = Field(default=True)
    require_social_economy: bool = Field(default=False)


def evaluate(declaration: Declaration, params: EngagedCommerceParams, on: date) -> Finding:
    """Independence from franchises and chains, and social economy (ESS, coop, association)."""
    business = declaration.business
    form = business.legal_form
    if form is None:
        return missing_facts("business.legal_form")
    independent = form not in NOT_INDEPENDENT
    social = True if form in SOCIAL_FORMS else business.ess
    independence_ok = independent or not params.require_independent
    if social is None and params.require_social_economy and independence_ok:
        return missing_facts("business.ess")
    met = independence_ok and (bool(social) or not params.require_social_economy)
    level = int(independent) + int(bool(social))
    fr, en = _explain(form, independent, social, params)
    return Finding(
        outcome=Outcome.MET if met else Outcome.NOT_MET,
        level=level,
        max_level=2,
        facts={
            "legal_form": str(form),
            "ess": business.ess,
            "independent": independent,
            "social_economy": social,
            "require_independent": params.require_independent,
            "require_social_economy": params.require_social_economy,
        },
        explanation_fr=f"{fr} ({'rempli' if met else 'non rempli'}), niveau {level} sur 2.",
        explanation_en=f"{en} ({'met' if met else 'not met'}), level {level} of 2.",
    )


def _explain(
    form: LegalForm, independent: bool, social: bool | None, p: EngagedCommerceParams
) -> tuple[str, str]:
    if form in SOCIAL_FORMS:
        ess = ("économie sociale et solidaire par sa forme", "social economy by its form")
    elif social:
        ess = ("entreprise de l'ESS", "social economy (ESS) business")
    elif social is None:
        ess = ("statut ESS non déclaré", "ESS status not declared")
    else:
        ess = ("hors ESS", "not ESS")
    if independent:
        indep = ("activité indépendante", "independent business")
    else:
        indep = ("franchise ou chaîne, donc pas indépendant", "franchise or chain, not independent")
    needs = []
    if p.require_independent:
        needs.append(("l'indépendance", "independence"))
    if p.require_social_economy:
        needs.append(("l'ESS", "social economy"))
    rule_fr = f"la grille exige {' et '.join(n for n, _ in needs)}" if needs else "rien n'est exigé"
    rule_en = (
        f"the criteria require {' and '.join(n for _, n in needs)}" if needs else "none required"
    )
    return (
        f"Forme déclarée « {NAMES[form][0]} » : {indep[0]}, {ess[0]} ; {rule_fr}",
        f"Declared form '{NAMES[form][1]}': {indep[1]}, {ess[1]}; {rule_en}",
    )


POLICY = Policy(
    name="engaged_commerce",
    version=1,
    title_fr="Soutien aux commerces engagés",
    title_en="Support for engaged shops",
    doc_fr="Le lieu est indépendant (ni franchise ni chaîne) et relève de l'économie sociale et "
    "solidaire : entreprise de l'ESS, coopérative ou association. Chaque qualité donne un "
    "niveau ; les paramètres disent lesquelles sont exigées.",
    doc_en="The place is independent (neither a franchise nor a chain) and belongs to the "
    "social and solidarity economy: an ESS business, a cooperative or an association. Each "
    "quality gives one level; the parameters say which are required.",
    param_docs={
        "require_independent": "Exiger un commerce indépendant (ni franchise ni chaîne)",
        "require_social_economy": "Exiger l'ESS : statut ESS, coopérative ou association",
    },
    params_model=EngagedCommerceParams,
    evaluate=evaluate,
    module=sys.modules[__name__],
)
