"""Governance through the application, on SQLite and PostgreSQL: proposal to re-evaluated places."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from policies.criteria import CriteriaVersion
from policies.seed import first_version
from registry.bootstrap import initialise
from registry.cli.governance import GovernedRegistry
from registry.clock import PARIS
from registry.config import Settings
from registry.declaration import parse_declaration
from registry.domain.places import Status
from registry.errors import RegistryError
from registry.governance.charter import Kind, default_charter
from registry.governance.proposals import Proposal, State
from registry.governance.rules import Mode, Outcome
from registry.readmodels.queries import views
from registry.roles import Actor, Role
from tests.helpers import make_siret, shop

FACILITATOR = Actor("animatrice", Role.FACILITATOR)
SYSTEM = Actor.system()
T0 = datetime(2025, 1, 6, 10, tzinfo=PARIS)
TRAINED = date(2025, 1, 7)
OPENED = datetime(2025, 1, 8, 10, tzinfo=PARIS)
DURING = OPENED + timedelta(days=2)
CLOSING = OPENED + timedelta(days=14, minutes=5)
STRONG = make_siret(1)  # 66 % peasant supply: approved under both versions
BORDERLINE = make_siret(2)  # 55 %: approved under 2024-1, not under a 60 % threshold
WEAK = make_siret(3)  # 45 %: refused under 2024-1, approved by nothing here


@pytest.fixture
def gov(settings: Settings) -> Iterator[GovernedRegistry]:
    """A registry with governance, three places and five members, at the start of 2025."""
    settings.data.mkdir(parents=True, exist_ok=True)
    app = GovernedRegistry(env=settings.event_store_env())
    initialise(app, FACILITATOR, T0)
    for n, share in ((1, 66), (2, 55), (3, 45)):
        supply = {**shop()["supply"], "peasant_share": share}
        declaration = parse_declaration(
            shop(siret=make_siret(n), name=f"Épicerie {n}", supply=supply)
        )
        app.apply(declaration, Actor(declaration.siret, Role.PLACE), T0)
    # The registry itself enrols the first facilitator, who then enrols the others.
    app.join_member("paris-14e", FACILITATOR.id, [Role.FACILITATOR], 1, SYSTEM, T0)
    for pseudonym, roles in [
        ("ana", [Role.MEMBER]),
        ("bea", [Role.MEMBER]),
        ("cyd", [Role.MEMBER, Role.PARTICIPANT]),
        ("dan", [Role.PARTICIPANT]),
        ("eve", [Role.OBSERVER]),
        ("fay", [Role.MEMBER]),
    ]:
        app.join_member("paris-14e", pseudonym, roles, 1, FACILITATOR, T0)
    for pseudonym in ("ana", "bea", "cyd", "dan"):
        app.record_training("paris-14e", pseudonym, "Filières", TRAINED, FACILITATOR, T0)
    yield app
    app.close()


def revision(
    name: str = "2025-t", effective: date | None = None, **changes: Any
) -> CriteriaVersion:
    """The first seed version with a 60 % peasant threshold."""
    base = first_version()
    criteria = tuple(
        c.model_copy(update={"params": {**c.params, "min_share": 60, "tiers": [60, 75, 90]}})
        if c.key == "agriculture_paysanne"
        else c
        for c in base.criteria
    )
    return base.model_copy(
        update={
            "version": name,
            "title": "Part paysanne portée à 60 %",
            "effective_from": effective or CLOSING.date(),
            "criteria": criteria,
            "fingerprints": {},
            **changes,
        }
    )


def refused(call: Callable[[], Any]) -> str:
    with pytest.raises(RegistryError) as info:
        call()
    return info.value.code


def test_a_criteria_revision_goes_from_proposal_to_re_evaluated_places(
    gov: GovernedRegistry,
) -> None:
    assert gov.place(BORDERLINE).status is Status.APPROVED
    proposal = gov.propose_criteria(revision(), "60 %", "", Actor("ana", Role.MEMBER), at=OPENED)
    assert proposal.mode is Mode.CONSENT
    assert [p["siret"] for p in proposal.impact["losses"]] == [BORDERLINE]
    why = proposal.impact["losses"][0]["why"]
    assert [(w["key"], w["before"], w["after"]) for w in why][0] == (
        "agriculture_paysanne",
        "met",
        "not_met",
    )

    pid = proposal.id
    gov.cast_vote(pid, "ana", "for", at=DURING)
    gov.cast_vote(pid, "bea", "object", "Prévenir les lieux d'abord", at=DURING)
    gov.amend_proposal(
        pid,
        "Rencontre des lieux ajoutée",
        FACILITATOR,
        text="Avec rencontre.",
        at=DURING + timedelta(hours=1),
    )
    gov.lift_objection(pid, "bea", "La rencontre me suffit", DURING + timedelta(hours=2))
    gov.cast_vote(pid, "cyd", "for", at=DURING + timedelta(hours=3))
    closed = gov.close_due_proposals(at=CLOSING)

    assert [p.id for p in closed] == [pid]
    done = gov.proposal(pid)
    assert done.outcome is Outcome.ADOPTED
    assert done.effect is not None
    assert done.effect["published_version"] == "2025-t"
    assert BORDERLINE in done.effect["reevaluated"]
    criteria = gov.criteria_set("paris-14e")
    assert criteria.published_on["2025-t"] == CLOSING
    assert gov.criteria_in_force("paris-14e", CLOSING.date()).version == "2025-t"
    place = gov.place(BORDERLINE)
    assert place.status is Status.DECONVENTIONNE
    assert place.evaluation is not None
    assert place.evaluation["criteria_version"] == "2025-t"
    assert gov.place(STRONG).status is Status.APPROVED
    assert gov.place(STRONG).approved_under == "2025-t"
    names = [type(e).__name__ for e in gov.repository.event_store.get(pid)]
    assert names == [
        "ProposalOpened",
        "VoteCast",
        "VoteCast",
        "ProposalAmended",
        "ObjectionLifted",
        "VoteCast",
        "ProposalClosed",
        "DecisionEnacted",
    ]
    published = list(gov.repository.event_store.get(criteria.id))[-1]
    assert published.decision == f"proposition {pid}"


def test_votes_cast_before_an_amendment_are_kept_and_marked(gov: GovernedRegistry) -> None:
    proposal = gov.propose_criteria(revision(), "60 %", "", FACILITATOR, at=OPENED)
    gov.cast_vote(proposal.id, "ana", "for", at=DURING)
    amended = revision(transition_days=30)
    payload = {"version": amended.model_dump(mode="json")}
    gov.amend_proposal(
        proposal.id,
        "Transition de 30 jours",
        FACILITATOR,
        payload=payload,
        at=DURING + timedelta(hours=1),
    )
    p = gov.proposal(proposal.id)
    assert p.votes[0]["amendment"] == 0
    assert len(p.amendments) == 1
    assert p.payload["version"]["transition_days"] == 30
    assert (
        p.impact["losses"][0]["approved_until"] == (CLOSING.date() + timedelta(days=30)).isoformat()
    )
    assert p.ballots()["ana"].choice == "for"


def test_an_objection_raised_after_an_amendment_rejects_the_revision(gov: GovernedRegistry) -> None:
    proposal = gov.propose_criteria(revision(), "60 %", "", FACILITATOR, at=OPENED)
    for who in ("ana", "bea", "cyd"):
        gov.cast_vote(proposal.id, who, "for", at=DURING)
    gov.amend_proposal(
        proposal.id,
        "Sans transition",
        FACILITATOR,
        text="Sans transition.",
        at=DURING + timedelta(hours=1),
    )
    gov.cast_vote(
        proposal.id, "cyd", "object", "Il faut une transition", at=DURING + timedelta(hours=2)
    )
    done = gov.close_proposal(proposal.id, SYSTEM, CLOSING)
    assert done.outcome is Outcome.REJECTED
    assert done.effect is None
    assert "2025-t" not in gov.criteria_set("paris-14e").published_on
    assert gov.place(BORDERLINE).status is Status.APPROVED


VOTE_REFUSALS = [
    ("observer", "eve", "for", DURING, "not_eligible"),
    ("participant outside the collective", "dan", "for", DURING, "not_eligible"),
    ("untrained member", "fay", "for", DURING, "untrained"),
    ("unknown member", "zoe", "for", DURING, "member_not_found"),
    ("late vote", "ana", "for", OPENED + timedelta(days=15), "vote_late"),
    ("against in consent", "ana", "against", DURING, "choice_not_allowed"),
    ("objection without a reason", "ana", "object", DURING, "reason_required"),
]


@pytest.mark.parametrize(
    ("who", "choice", "moment", "code"),
    [c[1:] for c in VOTE_REFUSALS],
    ids=[c[0] for c in VOTE_REFUSALS],
)
def test_invalid_votes_are_refused_and_nothing_is_stored(
    gov: GovernedRegistry, who: str, choice: str, moment: datetime, code: str
) -> None:
    proposal = gov.propose_criteria(revision(), "60 %", "", FACILITATOR, at=OPENED)
    assert refused(lambda: gov.cast_vote(proposal.id, who, choice, at=moment)) == code
    assert gov.proposal(proposal.id).version == proposal.version


def test_repeated_votes_and_votes_after_closing_are_refused(gov: GovernedRegistry) -> None:
    proposal = gov.propose_criteria(revision(), "60 %", "", FACILITATOR, at=OPENED)
    gov.cast_vote(proposal.id, "ana", "for", at=DURING)
    assert refused(lambda: gov.cast_vote(proposal.id, "ana", "for", at=DURING)) == "vote_repeated"
    gov.close_proposal(proposal.id, FACILITATOR, DURING)
    code = refused(lambda: gov.cast_vote(proposal.id, "bea", "for", at=DURING))
    assert code == "proposal_closed"
    assert (
        refused(lambda: gov.close_proposal(proposal.id, FACILITATOR, DURING)) == "proposal_closed"
    )


def test_the_charter_in_force_at_opening_decides_even_if_it_changes_meanwhile(
    gov: GovernedRegistry,
) -> None:
    decision = gov.propose_decision(
        STRONG, "suspend", "Allocation refusée en caisse", FACILITATOR, at=OPENED
    )
    gov.cast_vote(decision.id, "ana", "for", at=DURING)
    relaxed = default_charter()
    rules = dict(relaxed.rules)
    rules[Kind.PLACE] = rules[Kind.PLACE].model_copy(
        update={"quorum": "0", "modes": (Mode.MAJORITY,)}
    )
    change = gov.propose_charter(
        "paris-14e",
        relaxed.model_copy(update={"rules": rules, "title": "v2"}),
        "v2",
        "",
        FACILITATOR,
        at=OPENED,
    )
    for who in ("ana", "bea", "cyd", "fay"):
        gov.cast_vote(change.id, who, "for", at=DURING)
    gov.close_proposal(change.id, FACILITATOR, DURING + timedelta(hours=1))
    assert gov.charter("paris-14e").number == 2
    assert gov.charter_in_force("paris-14e").rule(Kind.PLACE).quorum == "0"

    done = gov.close_proposal(decision.id, SYSTEM, CLOSING)
    assert done.charter_version == 1
    assert done.mode is Mode.CONSENT
    assert done.outcome is Outcome.NO_QUORUM
    assert done.result is not None
    assert done.result["tally"]["quorum"] == "1/2"
    assert gov.place(STRONG).status is Status.APPROVED


def test_an_adopted_place_decision_changes_its_status_citing_the_proposal(
    gov: GovernedRegistry,
) -> None:
    decision = gov.propose_decision(
        STRONG, "suspend", "Allocation refusée en caisse", Actor("bea", Role.MEMBER), at=OPENED
    )
    for who in ("ana", "bea", "cyd"):
        gov.cast_vote(decision.id, who, "for", at=DURING)
    gov.close_proposal(decision.id, SYSTEM, CLOSING)
    place = gov.place(STRONG)
    assert place.status is Status.SUSPENDED
    assert place.status_decision == f"proposition {decision.id}"
    assert place.status_reason == "Allocation refusée en caisse"


def test_a_majority_place_decision_can_miss_its_quorum(gov: GovernedRegistry) -> None:
    decision = gov.propose_decision(
        STRONG, "withdraw_approval", "Réseau national", FACILITATOR, mode=Mode.MAJORITY, at=OPENED
    )
    gov.cast_vote(decision.id, "ana", "for", at=DURING)
    done = gov.close_proposal(decision.id, SYSTEM, CLOSING)
    assert done.outcome is Outcome.NO_QUORUM
    assert done.result is not None
    assert done.result["electorate"] == ["ana", "bea", "cyd"]
    assert gov.place(STRONG).status is Status.APPROVED


def test_proposals_that_could_not_take_effect_are_refused_at_opening(gov: GovernedRegistry) -> None:
    def suspend_refused_place() -> Any:
        return gov.propose_decision(WEAK, "suspend", "x", FACILITATOR, at=OPENED)

    def republish() -> Any:
        return gov.propose_criteria(first_version(), "t", "", FACILITATOR, at=OPENED)

    def charter_by_consent() -> Any:
        payload = {"charter": default_charter().model_dump(mode="json")}
        return gov.open_proposal(
            "paris-14e", Kind.CHARTER, "t", "", payload, FACILITATOR, Mode.CONSENT, at=OPENED
        )

    def proposed_by_an_observer() -> Any:
        return gov.propose_criteria(revision(), "t", "", Actor("eve", Role.OBSERVER), at=OPENED)

    assert refused(suspend_refused_place) == "illegal_transition"
    assert refused(republish) == "criteria_version_exists"
    assert refused(charter_by_consent) == "mode_not_allowed"
    assert refused(proposed_by_an_observer) == "cannot_propose"
    assert gov.proposals() == []


def test_a_revision_whose_version_was_published_meanwhile_closes_without_effect(
    gov: GovernedRegistry,
) -> None:
    proposal = gov.propose_criteria(revision(), "60 %", "", FACILITATOR, at=OPENED)
    for who in ("ana", "bea"):
        gov.cast_vote(proposal.id, who, "for", at=DURING)
    gov.publish_criteria(revision(), "assemblée", FACILITATOR, DURING)
    later = gov.propose_question("paris-14e", "Q", "", FACILITATOR, mode=Mode.CONSENT, at=OPENED)
    gov.cast_vote(later.id, "ana", "for", at=DURING)
    closed = gov.close_due_proposals(at=CLOSING)
    assert [p.id for p in closed] == [proposal.id, later.id]
    done = gov.proposal(proposal.id)
    assert done.outcome is Outcome.ADOPTED
    assert done.effect is not None
    assert done.effect["applied"] is False
    assert done.effect["code"] == "criteria_version_exists"
    names = [type(e).__name__ for e in gov.repository.event_store.get(proposal.id)]
    assert names[-2:] == ["ProposalClosed", "EnactmentImpossible"]


def test_an_effect_that_could_not_be_applied_reaches_the_read_models(
    gov: GovernedRegistry, settings: Settings
) -> None:
    proposal = gov.propose_criteria(revision(), "60 %", "", FACILITATOR, at=OPENED)
    for who in ("ana", "bea"):
        gov.cast_vote(proposal.id, who, "for", at=DURING)
    gov.publish_criteria(revision(), "assemblée", FACILITATOR, DURING)
    gov.close_due_proposals(at=CLOSING)
    with views(settings) as db:
        row = db.execute(
            "SELECT state, outcome, enacted_at, effect FROM proposals WHERE proposal = ?",
            [str(proposal.id)],
        ).fetchone()
        last = db.execute(
            "SELECT event, title_fr, detail_fr FROM timeline WHERE aggregate_id = ? "
            "ORDER BY seq DESC LIMIT 1",
            [str(proposal.id)],
        ).fetchone()
    assert row[:3] == ("closed", "adopted", None)
    effect = json.loads(row[3])
    assert effect["applied"] is False and effect["code"] == "criteria_version_exists"
    assert effect["message_fr"] == gov.proposal(proposal.id).effect["summary_fr"].split(" : ", 1)[1]
    assert last[:2] == ("EnactmentImpossible", "Effet impossible") and last[2]


def test_the_seeds_naming_poll_is_decided_by_ranked_choice(gov: GovernedRegistry) -> None:
    names = [
        "expérimentateurs",
        "habitant-cotisants",
        "mangeur.euses",
        "sociétaires",
        "convives",
        "adhérents",
        "affiliés",
    ]
    poll = gov.propose_question(
        "paris-14e", "Nom des participants", "", FACILITATOR, names, ballot="ranked", at=OPENED
    )
    assert poll.mode is Mode.POLL
    assert poll.rule.body == "participants"
    gov.cast_vote(poll.id, "dan", "options", options=["sociétaires", "convives"], at=DURING)
    gov.cast_vote(poll.id, "ana", "options", options=["convives"], at=DURING)
    gov.cast_vote(poll.id, "bea", "options", options=["affiliés", "convives"], at=DURING)
    gov.cast_vote(poll.id, "cyd", "options", options=["sociétaires"], at=DURING)
    gov.cast_vote(poll.id, "fay", "options", options=["convives"], at=DURING)
    code = refused(
        lambda: gov.cast_vote(poll.id, "eve", "options", options=["convives"], at=DURING)
    )
    assert code == "not_eligible"
    done = gov.close_proposal(poll.id, SYSTEM, CLOSING)
    assert done.outcome is Outcome.CHOSEN
    assert done.result is not None
    assert done.result["winner"] == "convives"
    assert done.result["tally"]["method"] == "instant-runoff"


def test_a_meeting_vote_counts_with_its_minutes(gov: GovernedRegistry) -> None:
    question = gov.propose_question(
        "paris-14e", "Réunions le samedi ?", "", FACILITATOR, mode=Mode.MAJORITY, at=OPENED
    )
    gov.cast_vote(question.id, "ana", "against", at=DURING)
    gov.record_meeting_vote(
        question.id,
        "CR du 10/01/2025",
        date(2025, 1, 10),
        5,
        {"for": 4, "against": 1},
        FACILITATOR,
        DURING,
    )
    done = gov.close_proposal(question.id, SYSTEM, CLOSING)
    assert done.outcome is Outcome.ADOPTED
    assert done.result is not None
    assert done.result["tally"]["for"] == 4
    assert done.result["tally"]["participants"] == 6


def test_a_withdrawn_proposal_takes_no_more_votes(gov: GovernedRegistry) -> None:
    question = gov.propose_question(
        "paris-14e", "Doublon", "", Actor("ana", Role.MEMBER), mode=Mode.CONSENT, at=OPENED
    )
    code = refused(lambda: gov.withdraw_proposal(question.id, "doublon", Actor("bea", Role.MEMBER)))
    assert code == "not_author"
    gov.withdraw_proposal(question.id, "doublon", Actor("ana", Role.MEMBER), DURING)
    assert refused(lambda: gov.cast_vote(question.id, "bea", "for", at=DURING)) == (
        "proposal_withdrawn"
    )
    assert gov.close_due_proposals(at=CLOSING) == []


def test_proposals_are_found_by_the_start_of_their_id(gov: GovernedRegistry) -> None:
    proposal = gov.propose_question("paris-14e", "Q", "", FACILITATOR, mode=Mode.CONSENT, at=OPENED)
    assert gov.proposal(proposal.short_id).id == proposal.id
    assert gov.proposal(str(proposal.id)).id == proposal.id
    assert refused(lambda: gov.proposal("zz")) == "proposal_not_found"
    assert isinstance(gov.proposal(proposal.id), Proposal)


def test_facilitators_manage_members_and_members_may_leave_themselves(
    gov: GovernedRegistry,
) -> None:
    ana = Actor("ana", Role.MEMBER)
    assert refused(lambda: gov.join_member("paris-14e", "gus", [Role.MEMBER], 2, ana)) == (
        "facilitator_only"
    )
    assert refused(lambda: gov.record_training("paris-14e", "fay", "x", TRAINED, ana)) == (
        "facilitator_only"
    )
    assert refused(lambda: gov.leave_member("paris-14e", "bea", "x", ana)) == "facilitator_only"
    assert refused(lambda: gov.join_member("paris-14e", "ANA", [Role.MEMBER], 2, FACILITATOR)) == (
        "member_exists"
    )
    gov.leave_member("paris-14e", "ana", "Déménagement", ana, DURING)
    assert not gov.member("paris-14e", "ana").active
    proposal = gov.propose_question("paris-14e", "Q", "", FACILITATOR, mode=Mode.CONSENT, at=OPENED)
    assert refused(lambda: gov.cast_vote(proposal.id, "ana", "for", at=DURING)) == "member_left"


# One transaction per decision: all of it stored, or nothing ----------------------------------


def adopted_revision(gov: GovernedRegistry) -> Any:
    """A criteria revision, in force at closing, that three members approve."""
    proposal = gov.propose_criteria(revision(), "60 %", "", Actor("ana", Role.MEMBER), at=OPENED)
    for n, who in enumerate(("ana", "bea", "cyd")):
        gov.cast_vote(proposal.id, who, "for", at=DURING + timedelta(hours=n))
    return proposal


def stored(gov: GovernedRegistry) -> int:
    return gov.recorder.max_notification_id() or 0


def test_closing_stores_the_outcome_the_version_and_the_places_in_one_notification_run(
    gov: GovernedRegistry,
) -> None:
    proposal = adopted_revision(gov)
    before = stored(gov)
    gov.close_proposal(proposal.id, Actor.system(), CLOSING)
    written = gov.recorder.select_notifications(before + 1, 100)
    # Closed, enacted, the version published, two places re-evaluated (one withdrawn too).
    ids = {n.originator_id for n in written}
    assert ids == {
        proposal.id,
        gov.criteria_set("paris-14e").id,
        gov.place(STRONG).id,
        gov.place(BORDERLINE).id,
    }
    assert gov.proposal(proposal.id).effect["reevaluated"] == [STRONG, BORDERLINE]


def test_a_conflict_on_one_place_while_closing_stores_nothing_of_the_decision(
    gov: GovernedRegistry, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    proposal = adopted_revision(gov)
    other = GovernedRegistry(env=settings.event_store_env())
    reevaluated = gov.reevaluated

    def then_someone_suspends(*args: Any, **kwargs: Any) -> Any:
        places = reevaluated(*args, **kwargs)
        # Another process changes one of these places before the decision is saved.
        other.decide(BORDERLINE, "suspend", "Signalement", "réunion", Actor.system())
        return places

    monkeypatch.setattr(gov, "reevaluated", then_someone_suspends)
    borderline = gov.place(BORDERLINE).version
    try:
        before = stored(gov)
        with pytest.raises(RegistryError) as refused:
            gov.close_proposal(proposal.id, Actor.system(), CLOSING)
        assert refused.value.code == "concurrent_change"
        # Only the other process's suspension was stored: not the close, not the version.
        assert stored(gov) == before + 1
        assert gov.proposal(proposal.id).state is State.OPEN
        assert "2025-t" not in gov.criteria_set("paris-14e").published_on
        assert gov.place(BORDERLINE).version == borderline + 1
        assert gov.place(STRONG).approved_under != "2025-t"
    finally:
        other.close()
    # Tried again, the decision goes through whole.
    monkeypatch.undo()
    gov.close_proposal(proposal.id, Actor.system(), CLOSING)
    assert gov.proposal(proposal.id).effect is not None
    assert "2025-t" in gov.criteria_set("paris-14e").published_on


def test_a_failing_store_keeps_nothing_of_an_adopted_place_decision(
    gov: GovernedRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = Actor("ana", Role.MEMBER)
    proposal = gov.propose_decision(BORDERLINE, "suspend", "Allocation refusée", ana, at=OPENED)
    for n, who in enumerate(("ana", "bea", "cyd")):
        gov.cast_vote(proposal.id, who, "for", at=DURING + timedelta(hours=n))
    status = gov.place(BORDERLINE).status
    saves: list[tuple[Any, ...]] = []

    def refuse(*aggregates: Any, **kwargs: Any) -> Any:
        saves.append(aggregates)
        raise OSError("disque plein")

    monkeypatch.setattr(gov.recorder, "insert_events", refuse)
    before = stored(gov)
    with pytest.raises(OSError):
        gov.close_proposal(proposal.id, Actor.system(), CLOSING)
    # One write was tried, holding the decision and its effect on the place.
    [(events, *_)] = saves
    assert {e.originator_id for e in events} == {proposal.id, gov.place(BORDERLINE).id}
    monkeypatch.undo()
    assert stored(gov) == before
    assert gov.proposal(proposal.id).state is State.OPEN
    assert gov.place(BORDERLINE).status is status
