"""The governance part of the demo history: waves, training, the seed's naming poll, proposals.

Pseudonyms and votes are demonstration data; the questions come from the workshop of
3 June 2024 (naming the participants, who decides the conventionnement, training first).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from policies.criteria import CriteriaVersion
from registry.clock import PARIS, local_date, now
from registry.domain.places import Status
from registry.governance.charter import Body, Kind, default_charter
from registry.governance.rules import Mode
from registry.governance.service import Governance
from registry.roles import Actor, Role

if TYPE_CHECKING:
    from registry.application import Registry

CAISSE = "paris-14e"
# The demo is written by the server's own command line, which founds the collective.
FACILITATOR = Actor("animatrice-camille", Role.FACILITATOR, trusted=True)
SYSTEM = Actor.system()

# The seed's seven names for the participants, in the order of the minutes.
PARTICIPANT_NAMES = [
    "expérimentateurs",
    "habitant-cotisants",
    "mangeur.euses",
    "sociétaires",
    "convives",
    "adhérents",
    "affiliés",
]

WAVE_1 = [
    ("Zélie", [Role.MEMBER]),
    ("Moussa", [Role.MEMBER, Role.PARTICIPANT]),
    ("Odile", [Role.MEMBER]),
    ("Karim", [Role.MEMBER]),
    ("Thanh", [Role.MEMBER]),
    ("Hélène-B", [Role.MEMBER]),
    ("Bastien", [Role.MEMBER]),
    ("animatrice-camille", [Role.FACILITATOR]),
    ("nutritionniste-cps", [Role.OBSERVER]),
    ("labo-evaluation", [Role.EVALUATOR]),
]
WAVE_2 = ["Aïssata", "Loïc", "Fatou", "Jean-Marc", "Inès", "Samir"]


def at(day: str, hour: int = 19, minute: int = 0) -> datetime:
    """A Paris moment of the demo history."""
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=PARIS)


def _gov(app: Registry) -> Governance:
    assert isinstance(app, Governance)
    return app


def _votes(app: Registry, pid: Any, start: datetime, votes: list[tuple[str, str, Any]]) -> None:
    """Votes cast in the daytime, three a day: (pseudonym, choice, reason or options)."""
    gov = _gov(app)
    for i, (who, choice, extra) in enumerate(votes):
        moment = start + timedelta(days=i // 3, hours=4 * (i % 3))
        if choice == "options":
            gov.cast_vote(pid, who, choice, options=extra, at=moment)
        else:
            gov.cast_vote(pid, who, choice, reason=extra or "", at=moment)


def foundation(app: Registry) -> None:
    """July 2024 to January 2025: charter, two waves, training, poll, first decisions."""
    gov = _gov(app)
    gov.found_charter(CAISSE, FACILITATOR, default_charter(CAISSE), at("2024-07-16", 19, 30))
    for pseudonym, roles in WAVE_1:
        gov.join_member(CAISSE, pseudonym, roles, 1, FACILITATOR, at("2024-07-16", 20))
    _naming_poll(app)
    for who in ["Zélie", "Moussa", "Odile", "Karim", "Thanh"]:
        gov.record_training(
            CAISSE,
            who,
            "Filières et distribution alimentaire",
            date(2024, 9, 21),
            FACILITATOR,
            at("2024-09-21", 18),
        )
    for who in ["Hélène-B", "Bastien", "Zélie"]:
        gov.record_training(
            CAISSE,
            who,
            "Visite de la Ferme du Hurepoix",
            date(2024, 10, 12),
            FACILITATOR,
            at("2024-10-12", 17),
        )
    _saturday_meetings(app)
    _biocoop_decision(app)
    _charter_changes(app)


def _naming_poll(app: Registry) -> None:
    gov = _gov(app)
    poll = gov.propose_question(
        CAISSE,
        "Comment appeler les participants de l'expérimentation ?",
        "Propositions de l'atelier du 3 juin 2024 (« Propositions dénomination des "
        "participants ») ; « interdire le terme bénéficiaire ». Classez les noms par préférence.",
        FACILITATOR,
        PARTICIPANT_NAMES,
        Mode.POLL,
        "ranked",
        at("2024-07-16", 21),
    )
    _votes(
        app,
        poll.id,
        at("2024-07-17", 9),
        [
            ("Zélie", "options", ["expérimentateurs", "sociétaires"]),
            ("Moussa", "options", ["habitant-cotisants", "expérimentateurs"]),
            ("Odile", "options", ["affiliés", "sociétaires", "expérimentateurs"]),
            ("Karim", "options", ["expérimentateurs"]),
            ("Thanh", "options", ["sociétaires", "expérimentateurs"]),
            ("Hélène-B", "options", ["sociétaires", "convives"]),
            ("Bastien", "options", ["mangeur.euses", "convives", "expérimentateurs"]),
        ],
    )
    gov.close_due_proposals(SYSTEM, at("2024-07-30", 21, 5))


def _saturday_meetings(app: Registry) -> None:
    gov = _gov(app)
    question = gov.propose_question(
        CAISSE,
        "Réunions du collectif le samedi matin plutôt qu'en soirée ?",
        "« Les méthodes de travail du collectif ne sont pas très attrayantes et peuvent "
        "décourager d'autres profils (en soirée, en intérieur) » (atelier du 3 juin 2024).",
        Actor("Hélène-B", Role.MEMBER),
        mode=Mode.MAJORITY,
        at=at("2024-10-01", 20),
    )
    _votes(
        app,
        question.id,
        at("2024-10-02", 9),
        [
            ("Hélène-B", "for", ""),
            ("Bastien", "for", ""),
            ("Zélie", "for", ""),
            ("Moussa", "against", ""),
            ("Thanh", "for", ""),
            ("Karim", "abstain", ""),
        ],
    )
    gov.close_due_proposals(SYSTEM, at("2024-10-15", 20, 5))


def _biocoop_decision(app: Registry) -> None:
    gov = _gov(app)
    siret = "81400077400012"  # Biocoop Gaîté
    place = app.place(siret)
    if place.status is not Status.APPROVED:
        return
    decision = gov.propose_decision(
        siret,
        "withdraw_approval",
        "Enseigne d'un réseau national : le collectif veut d'abord soutenir les commerces "
        "indépendants.",
        Actor("Odile", Role.MEMBER),
        f"Déconventionner {place.name} ?",
        Mode.MAJORITY,
        at("2024-11-18", 20),
    )
    _votes(
        app,
        decision.id,
        at("2024-11-19", 9),
        [
            ("Odile", "for", ""),
            ("Karim", "for", ""),
            ("Zélie", "against", ""),
            ("Thanh", "against", ""),
            ("Moussa", "against", ""),
            ("Bastien", "abstain", ""),
        ],
    )
    gov.close_due_proposals(SYSTEM, at("2024-12-02", 20, 5))


def _charter_changes(app: Registry) -> None:
    """The seed's open question: the collective, or all participants, decide the criteria."""
    gov = _gov(app)
    base = default_charter(CAISSE)
    rules = dict(base.rules)
    criteria_rule = rules[Kind.CRITERIA]
    rules[Kind.CRITERIA] = criteria_rule.model_copy(
        update={"body": Body.PARTICIPANTS, "quorum": "1/3"}
    )
    first = base.model_copy(update={"title": "Les expérimentateurs formés révisent les critères"})
    first = first.model_copy(update={"rules": rules})
    moussa = Actor("Moussa", Role.MEMBER)
    text = (
        "« Il faut que les personnes qui intègrent le panel puissent également changer les "
        "règles du jeu » (atelier du 3 juin 2024). Les révisions de critères seraient "
        "décidées par tous les expérimentateurs formés, et plus seulement par le collectif."
    )
    blocked = gov.propose_charter(
        CAISSE,
        first,
        "Les expérimentateurs révisent les critères",
        text,
        moussa,
        at("2024-12-02", 20, 30),
    )
    _votes(
        app,
        blocked.id,
        at("2024-12-03", 9),
        [
            ("Moussa", "for", ""),
            ("Zélie", "for", ""),
            (
                "Odile",
                "block",
                "Les expérimentateurs ne sont ni recrutés ni formés : le "
                "collectif pose d'abord les bases, puis la règle change avec la deuxième vague.",
            ),
            ("Thanh", "for", ""),
        ],
    )
    gov.close_due_proposals(SYSTEM, at("2024-12-23", 20, 35))

    for pseudonym in WAVE_2:
        gov.join_member(CAISSE, pseudonym, [Role.PARTICIPANT], 2, FACILITATOR, at("2025-01-15"))
    second = gov.propose_charter(
        CAISSE,
        first,
        "Les expérimentateurs formés révisent les critères (2e vague)",
        text + " La deuxième vague a rejoint l'expérimentation le 15 janvier 2025.",
        moussa,
        at("2025-01-16", 20),
    )
    _votes(
        app,
        second.id,
        at("2025-01-17", 9),
        [
            ("Moussa", "for", ""),
            (
                "Odile",
                "block",
                "Un quorum d'un tiers, c'est trop peu : une minorité pourrait "
                "changer les critères de tout le monde.",
            ),
            ("Zélie", "for", ""),
        ],
    )
    rules[Kind.CRITERIA] = criteria_rule.model_copy(update={"body": Body.PARTICIPANTS})
    amended = first.model_copy(update={"rules": rules})
    gov.amend_proposal(
        second.id,
        "Quorum porté à la moitié des expérimentateurs formés.",
        moussa,
        payload={"charter": amended.model_dump(mode="json")},
        at=at("2025-01-20", 21),
    )
    gov.lift_objection(second.id, "Odile", "Avec la moitié, d'accord.", at("2025-01-21", 9))
    for who in ["Aïssata", "Loïc", "Fatou", "Jean-Marc", "Inès"]:
        gov.record_training(
            CAISSE,
            who,
            "Filières et distribution alimentaire (2e vague)",
            date(2025, 1, 25),
            FACILITATOR,
            at("2025-01-25", 12),
        )
    _votes(
        app,
        second.id,
        at("2025-01-22", 9),
        [("Karim", "for", ""), ("Thanh", "abstain", ""), ("Bastien", "for", "")],
    )
    gov.close_due_proposals(SYSTEM, at("2025-02-06", 20, 5))


def criteria_revision(app: Registry, version: CriteriaVersion, moment: datetime) -> None:
    """The demo's criteria revision: an objection, an amendment, the objection lifted."""
    gov = _gov(app)
    if not gov.members(CAISSE):
        foundation(app)
    zelie = Actor("Zélie", Role.MEMBER)
    revision = gov.propose_criteria(version, version.title, version.notes, zelie, at=moment)
    _votes(
        app,
        revision.id,
        moment + timedelta(hours=14),
        [
            ("Zélie", "for", ""),
            (
                "Aïssata",
                "object",
                "Deux soirs jusqu'à 19h30 : les petits commerces sans "
                "salarié·e ne pourront pas suivre sans accompagnement.",
            ),
            ("Moussa", "for", ""),
            ("Loïc", "for", ""),
        ],
    )
    gov.amend_proposal(
        revision.id,
        "Les commerces concernés seront rencontrés avant le 1er mars ; revue après six mois.",
        zelie,
        text=version.notes + " Le collectif rencontrera les commerces concernés avant "
        "l'entrée en vigueur, et la révision sera réexaminée après six mois.",
        at=moment + timedelta(days=3),
    )
    gov.lift_objection(
        revision.id,
        "Aïssata",
        "La rencontre et la revue répondent à mon objection.",
        moment + timedelta(days=4),
    )
    gov.record_meeting_vote(
        revision.id,
        "Compte rendu de l'assemblée du 17 février 2025, Maison des associations",
        local_date(moment + timedelta(days=7)),
        4,
        {"for": 3, "abstain": 1},
        FACILITATOR,
        moment + timedelta(days=7, hours=3),
    )
    _votes(
        app,
        revision.id,
        moment + timedelta(days=5, hours=14),
        [
            ("Fatou", "for", ""),
            ("Karim", "for", ""),
            ("Jean-Marc", "abstain", ""),
            ("Thanh", "for", ""),
        ],
    )
    gov.close_due_proposals(SYSTEM, moment + timedelta(days=14, minutes=5))


OUTING = "Quel jour pour la visite de ferme d'automne ?"


def later(app: Registry, today: datetime | None = None) -> list[str]:
    """After the year of places: a place decision by consent, a single-choice poll, one open."""
    gov = _gov(app)
    summary = [f"{len(gov.members(CAISSE))} membres, {len(gov.proposals(CAISSE))} propositions"]
    if any(p.title == OUTING for p in gov.proposals(CAISSE)):
        return summary  # written already: the demo history is written once
    if not gov.members(CAISSE):
        foundation(app)
    _grains_suspension(app)
    outing = gov.propose_question(
        CAISSE,
        OUTING,
        "Visite ouverte aux deux vagues ; transport organisé depuis la place de Catalogne.",
        FACILITATOR,
        ["samedi 11 octobre", "dimanche 12 octobre", "samedi 18 octobre"],
        at=at("2025-09-15", 20),
    )
    _votes(
        app,
        outing.id,
        at("2025-09-16", 9),
        [
            ("Aïssata", "options", ["samedi 11 octobre"]),
            ("Loïc", "options", ["samedi 18 octobre"]),
            ("Fatou", "options", ["samedi 11 octobre"]),
            ("Samir", "options", ["dimanche 12 octobre"]),
            ("Zélie", "options", ["samedi 11 octobre"]),
        ],
    )
    gov.close_due_proposals(SYSTEM, at("2025-09-29", 20, 5))
    _open_revision(app, today or now())
    return [f"{len(gov.members(CAISSE))} membres, {len(gov.proposals(CAISSE))} propositions"]


def _grains_suspension(app: Registry) -> None:
    gov = _gov(app)
    siret = "81400119400012"  # Coopérative Les Grains de Montrouge
    if app.place(siret).status is not Status.APPROVED:
        return
    decision = gov.propose_decision(
        siret,
        "suspend",
        "Déménagement hors du 14e annoncé pour octobre : suspendu en attendant la nouvelle "
        "adresse, qui sera évaluée sur le critère de proximité.",
        FACILITATOR,
        at=at("2025-09-08", 20),
    )
    _votes(
        app,
        decision.id,
        at("2025-09-09", 9),
        [
            ("Bastien", "for", ""),
            ("Moussa", "for", ""),
            ("Odile", "for", ""),
            ("Karim", "abstain", ""),
            ("Thanh", "for", ""),
            ("Hélène-B", "for", ""),
            ("Zélie", "for", ""),
        ],
    )
    gov.close_due_proposals(SYSTEM, at("2025-09-22", 20, 5))


def _open_revision(app: Registry, today: datetime) -> None:
    """A revision still open: its impact shows before most have voted."""
    gov = _gov(app)
    current = app.criteria_in_force(CAISSE, local_date(today))
    changes: dict[str, dict[str, Any]] = {
        "agriculture_paysanne": {"min_share": 55, "tiers": [55, 75, 90]},
        "proximite": {"producer_max_km": 120, "producer_tiers_km": [120, 80, 40]},
    }
    criteria = tuple(
        c.model_copy(update={"params": {**c.params, **changes.get(c.key, {})}})
        for c in current.criteria
    )
    effective = local_date(today) + timedelta(days=60)
    version = current.model_copy(
        update={
            "version": f"{effective.year}-r{effective.month:02d}",
            "title": "Part paysanne à 55 %, producteurs à 120 km au plus",
            "effective_from": effective,
            "criteria": criteria,
            "transition_days": 90,
            "fingerprints": {},
            "notes": "Revue promise en février 2025 : le seuil de 60 % écartait des lieux "
            "solidaires ; en contrepartie, un circuit plus court pour les producteurs.",
        }
    )
    opened = today - timedelta(days=3)
    aissata = Actor("Aïssata", Role.PARTICIPANT)
    revision = gov.propose_criteria(version, version.title, version.notes, aissata, at=opened)
    _votes(
        app,
        revision.id,
        opened + timedelta(hours=12),
        [
            ("Aïssata", "for", ""),
            (
                "Odile",
                "object",
                "La Chèvrerie du Perche perdrait son conventionnement : garder les producteurs "
                "déjà partenaires au-delà de 120 km.",
            ),
            ("Loïc", "for", ""),
        ],
    )
