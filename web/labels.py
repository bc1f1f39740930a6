"""Plain-word labels for the codes the registry stores, French first (English in the catalogue)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

LABELS: dict[str, Any] = {
    # Kinds of places
    "commerce": _l("commerce"),
    "epicerie_solidaire": _l("épicerie solidaire"),
    "marche": _l("marché"),
    "cooperative": _l("coopérative"),
    "amap": _l("AMAP"),
    "producteur": _l("producteur"),
    "restaurant": _l("restaurant"),
    # Food categories
    "fruits_legumes": _l("fruits et légumes"),
    "pain_cereales": _l("pain et céréales"),
    "produits_laitiers": _l("produits laitiers"),
    "oeufs": _l("œufs"),
    "viande": _l("viande"),
    "poisson": _l("poisson"),
    "epicerie_seche": _l("épicerie sèche"),
    "legumineuses": _l("légumineuses"),
    "boissons": _l("boissons"),
    "plats_prepares": _l("plats préparés"),
    "hygiene": _l("hygiène"),
    # Labels
    "AB": _l("AB (agriculture biologique)"),
    "Nature & Progrès": _l("Nature & Progrès"),
    "Demeter": _l("Demeter"),
    "en conversion": _l("en conversion"),
    "HVE": _l("HVE"),
    # Legal forms
    "independant": _l("indépendant"),
    "franchise": _l("franchise"),
    "chaine": _l("chaîne"),
    "association": _l("association"),
    "exploitation_agricole": _l("exploitation agricole"),
    # Payment means
    "especes": _l("espèces"),
    "carte": _l("carte bancaire"),
    "cheque": _l("chèque"),
    "monnaie_locale": _l("monnaie locale"),
    "allocation_ssa": _l("allocation de la caisse commune"),
    "titre_papier": _l("titre papier"),
    # Days
    "lundi": _l("lundi"),
    "mardi": _l("mardi"),
    "mercredi": _l("mercredi"),
    "jeudi": _l("jeudi"),
    "vendredi": _l("vendredi"),
    "samedi": _l("samedi"),
    "dimanche": _l("dimanche"),
    # Statuses
    "candidature": _l("candidature en cours"),
    "conventionne": _l("conventionné"),
    "refuse": _l("refusé"),
    "suspendu": _l("suspendu"),
    "retire": _l("candidature retirée"),
    "deconventionne": _l("déconventionné"),
    # Criterion outcomes and verdicts
    "met": _l("rempli"),
    "not_met": _l("non rempli"),
    "to_collective": _l("à examiner par le collectif"),
    "approved": _l("conventionnable"),
    "refused": _l("non conventionnable"),
    # Proposals: outcomes, choices, modes, states, kinds
    "adopted": _l("adoptée"),
    "rejected": _l("rejetée"),
    "no_quorum": _l("quorum non atteint"),
    "chosen": _l("option choisie"),
    "tie": _l("égalité"),
    "for": _l("pour"),
    "against": _l("contre"),
    "abstain": _l("abstention"),
    "block": _l("blocage"),
    "object": _l("objection"),
    "options": _l("choix"),
    "consensus": _l("consensus"),
    "consent": _l("consentement"),
    "majority": _l("vote à la majorité"),
    "poll": _l("sondage"),
    "open": _l("ouverte"),
    "closed": _l("close"),
    "withdrawn": _l("retirée"),
    "criteria_revision": _l("révision des critères"),
    "place_decision": _l("décision sur un lieu"),
    "charter_change": _l("modification de la charte"),
    "question": _l("question ou sondage"),
    "standing": _l("maintenue"),
    "lifted": _l("levée"),
    "replaced": _l("remplacée par un autre vote"),
    "approve": _l("conventionner"),
    "suspend": _l("suspendre"),
    "withdraw_approval": _l("déconventionner"),
    "renew": _l("renouveler"),
    # Criteria decisions
    "automatic": _l("le registre applique le résultat"),
    "collective": _l("le collectif décide de chaque lieu"),
    # Roles
    "lieu": _l("commerce ou producteur"),
    "membre": _l("membre du collectif"),
    "participant": _l("expérimentateur"),
    "observateur": _l("observateur ou expert"),
    "evaluateur": _l("évaluateur"),
    "animateur": _l("animateur"),
    "systeme": _l("le registre"),
}


def label(code: Any) -> str:
    """The plain-word label of a stored code, or the code itself."""
    if code is None:
        return "—"
    found = LABELS.get(str(code))
    return str(found) if found is not None else str(code).replace("_", " ")
