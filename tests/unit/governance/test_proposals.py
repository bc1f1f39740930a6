"""A proposal's own rules: declared mode, open window, valid and non-repeated votes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from registry.errors import RegistryError
from registry.governance.charter import Kind, KindRule, default_charter
from registry.governance.proposals import Proposal, State
from registry.governance.rules import Ballot, Choice, Mode, Outcome
from registry.roles import Actor, Role

OPENED = datetime(2025, 2, 10, 18, tzinfo=UTC)
DEADLINE = OPENED + timedelta(days=14)
DURING = OPENED + timedelta(days=1)
AFTER = DEADLINE + timedelta(minutes=1)
FACILITATOR = Actor("animatrice", Role.FACILITATOR)
ANA = Actor("ana", Role.MEMBER)
BEA = Actor("bea", Role.MEMBER)
NAMES = [
    "expérimentateurs",
    "habitant-cotisants",
    "mangeur.euses",
    "sociétaires",
    "convives",
    "adhérents",
    "affiliés",
]


def opened(
    mode: Mode = Mode.CONSENT,
    kind: Kind = Kind.QUESTION,
    payload: dict[str, Any] | None = None,
    ballot: str = "single",
    rule: KindRule | None = None,
) -> Proposal:
    return Proposal.open(
        "paris-14e",
        kind,
        mode,
        "Réunions le samedi matin ?",
        "Les réunions en soirée découragent d'autres profils.",
        payload if payload is not None else {},
        1,
        rule or default_charter().rule(kind),
        ballot,
        DEADLINE,
        {},
        FACILITATOR,
        OPENED,
    )


def refusal(call: Any) -> str:
    with pytest.raises(RegistryError) as info:
        call()
    return info.value.code


def test_a_mode_the_charter_does_not_allow_is_refused() -> None:
    rule = default_charter().rule(Kind.CHARTER)
    assert refusal(lambda: opened(Mode.MAJORITY, Kind.CHARTER, {"charter": {}}, rule=rule)) == (
        "mode_not_allowed"
    )


@pytest.mark.parametrize(
    ("kind", "mode", "payload", "code"),
    [
        (Kind.QUESTION, Mode.POLL, {"options": ["seule"]}, "poll_needs_options"),
        (Kind.QUESTION, Mode.POLL, {"options": ["a", "a"]}, "poll_needs_options"),
        (Kind.QUESTION, Mode.MAJORITY, {"options": ["a", "b"]}, "options_need_poll"),
        (Kind.PLACE, Mode.CONSENT, {"siret": "1"}, "invalid_place_decision"),
        (Kind.CRITERIA, Mode.CONSENT, {}, "invalid_criteria"),
    ],
)
def test_a_payload_must_fit_its_kind_and_mode(
    kind: Kind, mode: Mode, payload: dict[str, Any], code: str
) -> None:
    assert refusal(lambda: opened(mode, kind, payload)) == code


@pytest.mark.parametrize(
    ("mode", "ballot", "code"),
    [
        (Mode.CONSENSUS, Ballot(Choice.AGAINST), "choice_not_allowed"),
        (Mode.CONSENT, Ballot(Choice.BLOCK, reason="x"), "choice_not_allowed"),
        (Mode.MAJORITY, Ballot(Choice.OBJECT, reason="x"), "choice_not_allowed"),
        (Mode.CONSENSUS, Ballot(Choice.BLOCK), "reason_required"),
        (Mode.CONSENT, Ballot(Choice.OBJECT, reason="  "), "reason_required"),
    ],
)
def test_a_vote_must_fit_the_declared_mode(mode: Mode, ballot: Ballot, code: str) -> None:
    proposal = opened(mode)
    assert refusal(lambda: proposal.cast(ballot, ANA, DURING)) == code
    assert proposal.votes == []


@pytest.mark.parametrize(
    ("ballot", "options", "code"),
    [
        ("single", ("convives", "adhérents"), "single_choice_only"),
        ("single", ("bénéficiaires",), "unknown_option"),
        ("ranked", ("convives", "convives"), "option_repeated"),
        ("ranked", (), "unknown_option"),
    ],
)
def test_poll_ballots_name_known_options(ballot: str, options: tuple[str, ...], code: str) -> None:
    proposal = opened(Mode.POLL, payload={"options": NAMES}, ballot=ballot)
    vote = Ballot(Choice.OPTIONS, options)
    assert refusal(lambda: proposal.cast(vote, ANA, DURING)) == code


def test_a_late_vote_is_refused_even_before_closing() -> None:
    proposal = opened()
    assert refusal(lambda: proposal.cast(Ballot(Choice.FOR), ANA, AFTER)) == "vote_late"


def test_a_vote_after_closing_is_refused() -> None:
    proposal = opened()
    proposal.cast(Ballot(Choice.FOR), ANA, DURING)
    proposal.close(proposal.compute(2), ["ana", "bea"], FACILITATOR, DURING)
    assert proposal.state is State.CLOSED
    assert refusal(lambda: proposal.cast(Ballot(Choice.FOR), BEA, DURING)) == "proposal_closed"


def test_a_repeated_vote_is_refused_but_a_change_is_a_new_event() -> None:
    proposal = opened(Mode.MAJORITY)
    proposal.cast(Ballot(Choice.FOR), ANA, DURING)
    assert refusal(lambda: proposal.cast(Ballot(Choice.FOR), ANA, DURING)) == "vote_repeated"
    proposal.cast(Ballot(Choice.AGAINST), ANA, DURING)
    assert [v["choice"] for v in proposal.votes] == ["for", "against"]
    assert proposal.ballots() == {"ana": Ballot(Choice.AGAINST)}


def test_after_an_amendment_a_member_may_confirm_the_same_vote() -> None:
    proposal = opened(Mode.MAJORITY)
    proposal.cast(Ballot(Choice.FOR), ANA, DURING)
    proposal.amend(None, "Texte précisé.", None, "précision", None, FACILITATOR, DURING)
    proposal.cast(Ballot(Choice.FOR), ANA, DURING)
    assert [v["amendment"] for v in proposal.votes] == [0, 1]


def test_an_objection_is_lifted_by_its_author() -> None:
    proposal = opened(Mode.CONSENT)
    assert refusal(lambda: proposal.lift("d'accord", ANA, DURING)) == "nothing_to_lift"
    proposal.cast(Ballot(Choice.OBJECT, reason="pas de transition"), ANA, DURING)
    proposal.amend(
        None, "Avec 90 jours de transition.", None, "transition", None, FACILITATOR, DURING
    )
    proposal.lift("la transition répond à mon objection", ANA, DURING)
    assert proposal.compute(2).outcome is Outcome.ADOPTED
    assert proposal.votes[-1]["lifts"] is True


def test_only_the_author_or_a_facilitator_amends_or_withdraws() -> None:
    proposal = opened()
    assert (
        refusal(lambda: proposal.amend("Autre", None, None, "x", None, BEA, DURING)) == "not_author"
    )
    assert refusal(lambda: proposal.withdraw("doublon", BEA, DURING)) == "not_author"
    proposal.withdraw("doublon", FACILITATOR, DURING)
    assert proposal.state is State.WITHDRAWN
    assert refusal(lambda: proposal.cast(Ballot(Choice.FOR), ANA, DURING)) == "proposal_withdrawn"


def test_an_amendment_cannot_drop_poll_options() -> None:
    proposal = opened(Mode.POLL, payload={"options": NAMES})
    fewer = {"options": NAMES[1:]}
    code = refusal(lambda: proposal.amend(None, None, fewer, "x", None, FACILITATOR, DURING))
    assert code == "options_removed"
    more = {"options": [*NAMES, "membres"]}
    proposal.amend(None, None, more, "option ajoutée en réunion", None, FACILITATOR, DURING)
    assert proposal.payload == more


def test_only_a_facilitator_closes_before_the_deadline() -> None:
    proposal = opened()
    result = proposal.compute(1)
    assert refusal(lambda: proposal.close(result, [], ANA, DURING)) == "close_before_deadline"
    proposal.close(result, [], Actor.system(), AFTER)
    assert proposal.result is not None
    assert proposal.result["cause"] == "deadline"


MEETING_REFUSALS = [
    (Mode.MAJORITY, 3, {"for": 3, "against": 1}, "meeting_tally_invalid"),
    (Mode.MAJORITY, 3, {"blocks": ["non"]}, "meeting_tally_invalid"),
    (Mode.CONSENT, 3, {"objections": [" "]}, "reason_required"),
    (Mode.MAJORITY, 3, {"for": -1}, "meeting_tally_invalid"),
]


@pytest.mark.parametrize(("mode", "present", "tally", "code"), MEETING_REFUSALS)
def test_a_meeting_tally_must_be_coherent(
    mode: Mode, present: int, tally: dict[str, Any], code: str
) -> None:
    proposal = opened(mode)
    call = lambda: proposal.record_meeting(  # noqa: E731
        "CR 2025-02-15", date(2025, 2, 15), present, tally, FACILITATOR, DURING
    )
    assert refusal(call) == code


def test_a_meeting_tally_is_recorded_by_a_facilitator_and_corrected_by_the_same_minutes() -> None:
    proposal = opened(Mode.MAJORITY)
    day = date(2025, 2, 15)
    code = refusal(lambda: proposal.record_meeting("CR", day, 5, {"for": 3}, ANA, DURING))
    assert code == "facilitator_only"
    proposal.record_meeting("CR", day, 5, {"for": 3}, FACILITATOR, DURING)
    proposal.record_meeting("CR", day, 5, {"for": 2, "against": 3}, FACILITATOR, DURING)
    assert len(proposal.meetings) == 1
    assert proposal.compute(8).outcome is Outcome.REJECTED
