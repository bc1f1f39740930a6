"""Decision rules, table-driven over the edge cases the collective will meet."""

from __future__ import annotations

from fractions import Fraction

import pytest

from registry.governance.rules import (
    Ballot,
    Choice,
    Meeting,
    Mode,
    Outcome,
    Terms,
    decide,
    last_votes,
    quorum_needed,
)

FOR = Ballot(Choice.FOR)
AGAINST = Ballot(Choice.AGAINST)
ABSTAIN = Ballot(Choice.ABSTAIN)
HALF = Terms(quorum=Fraction(1, 2))
NONE = Terms()
QUALIFIED = Terms(majority="qualified", threshold=Fraction(2, 3))
COUNTED = Terms(abstentions="counted")
RANKED = Terms(ballot="ranked")


def block(reason: str = "pas prêt") -> Ballot:
    return Ballot(Choice.BLOCK, reason=reason)


def objection(reason: str = "risque pour les petits commerces") -> Ballot:
    return Ballot(Choice.OBJECT, reason=reason)


def pick(*options: str) -> Ballot:
    return Ballot(Choice.OPTIONS, options=options)


def votes(*ballots: Ballot) -> dict[str, Ballot]:
    return {f"m{i:02d}": b for i, b in enumerate(ballots)}


MAJORITY_CASES = [
    ("simple majority", NONE, 10, votes(FOR, FOR, FOR, AGAINST), Outcome.ADOPTED),
    ("a tie is not a majority", NONE, 10, votes(FOR, FOR, AGAINST, AGAINST), Outcome.REJECTED),
    ("tie with abstentions excluded", NONE, 5, votes(FOR, AGAINST, ABSTAIN), Outcome.REJECTED),
    ("abstentions excluded", NONE, 6, votes(FOR, FOR, AGAINST, *[ABSTAIN] * 3), Outcome.ADOPTED),
    ("abstentions counted", COUNTED, 6, votes(FOR, FOR, AGAINST, *[ABSTAIN] * 3), Outcome.REJECTED),
    (
        "qualified reached at 2/3",
        QUALIFIED,
        6,
        votes(*[FOR] * 4, AGAINST, AGAINST),
        Outcome.ADOPTED,
    ),
    ("qualified missed", QUALIFIED, 6, votes(*[FOR] * 3, AGAINST, AGAINST), Outcome.REJECTED),
    ("quorum missed", HALF, 10, votes(FOR, FOR, FOR, FOR), Outcome.NO_QUORUM),
    ("quorum just met", HALF, 10, votes(*[FOR] * 4, AGAINST), Outcome.ADOPTED),
    ("abstentions count for quorum", HALF, 4, votes(FOR, ABSTAIN), Outcome.ADOPTED),
    ("only abstentions", NONE, 4, votes(ABSTAIN, ABSTAIN), Outcome.REJECTED),
    ("nobody voted", NONE, 4, {}, Outcome.NO_QUORUM),
    ("electorate of zero", HALF, 0, {}, Outcome.NO_QUORUM),
]


@pytest.mark.parametrize(
    ("terms", "electorate", "ballots", "expected"),
    [c[1:] for c in MAJORITY_CASES],
    ids=[c[0] for c in MAJORITY_CASES],
)
def test_majority_votes_follow_the_charter_terms(
    terms: Terms, electorate: int, ballots: dict[str, Ballot], expected: Outcome
) -> None:
    assert decide(Mode.MAJORITY, terms, electorate, ballots).outcome is expected


CONSENSUS_CASES = [
    ("everyone agrees", votes(FOR, FOR, FOR), Outcome.ADOPTED),
    ("standing aside does not block", votes(FOR, ABSTAIN, ABSTAIN), Outcome.ADOPTED),
    ("a single block stops it", votes(FOR, FOR, FOR, block()), Outcome.REJECTED),
    ("nobody agreed", votes(ABSTAIN, ABSTAIN), Outcome.REJECTED),
    ("quorum missed", votes(FOR), Outcome.NO_QUORUM),
]


@pytest.mark.parametrize(
    ("ballots", "expected"), [c[1:] for c in CONSENSUS_CASES], ids=[c[0] for c in CONSENSUS_CASES]
)
def test_consensus_is_adopted_only_if_nobody_blocks(
    ballots: dict[str, Ballot], expected: Outcome
) -> None:
    assert decide(Mode.CONSENSUS, HALF, 4, ballots).outcome is expected


CONSENT_CASES = [
    ("no objection", votes(FOR, FOR), Outcome.ADOPTED),
    ("abstaining is consenting", votes(ABSTAIN, ABSTAIN), Outcome.ADOPTED),
    ("an objection stands", votes(FOR, FOR, objection()), Outcome.REJECTED),
    ("quorum missed", votes(FOR), Outcome.NO_QUORUM),
]


@pytest.mark.parametrize(
    ("ballots", "expected"), [c[1:] for c in CONSENT_CASES], ids=[c[0] for c in CONSENT_CASES]
)
def test_consent_is_adopted_unless_a_reasoned_objection_stands(
    ballots: dict[str, Ballot], expected: Outcome
) -> None:
    assert decide(Mode.CONSENT, HALF, 4, ballots).outcome is expected


# Sequences of (member, ballot) in the order they were cast: only each one's last counts.
SEQUENCE_CASES = [
    (
        "block lifted",
        Mode.CONSENSUS,
        [("ana", FOR), ("bea", block()), ("bea", FOR)],
        Outcome.ADOPTED,
    ),
    (
        "block raised after agreeing",
        Mode.CONSENSUS,
        [("ana", FOR), ("bea", FOR), ("bea", block("le texte amendé exclut les AMAP"))],
        Outcome.REJECTED,
    ),
    (
        "objection lifted after an amendment",
        Mode.CONSENT,
        [("ana", objection()), ("bea", FOR), ("ana", FOR)],
        Outcome.ADOPTED,
    ),
    (
        "objection raised after an amendment",
        Mode.CONSENT,
        [("ana", FOR), ("bea", FOR), ("ana", objection("l'amendement supprime la transition"))],
        Outcome.REJECTED,
    ),
    (
        "a changed vote replaces the earlier one",
        Mode.MAJORITY,
        [("ana", FOR), ("bea", AGAINST), ("cyd", AGAINST), ("cyd", FOR)],
        Outcome.ADOPTED,
    ),
]


@pytest.mark.parametrize(
    ("mode", "sequence", "expected"),
    [c[1:] for c in SEQUENCE_CASES],
    ids=[c[0] for c in SEQUENCE_CASES],
)
def test_only_each_members_last_vote_counts(
    mode: Mode, sequence: list[tuple[str, Ballot]], expected: Outcome
) -> None:
    assert decide(mode, NONE, 3, last_votes(sequence)).outcome is expected


def test_a_standing_objection_is_reported_with_its_reason() -> None:
    result = decide(Mode.CONSENT, NONE, 3, {"ana": objection("pas de transition")})
    assert result.tally["objections"] == [{"member": "ana", "reason": "pas de transition"}]
    assert "pas de transition" in result.explanation_fr


def test_a_simple_majority_tie_says_why_it_fails() -> None:
    result = decide(Mode.MAJORITY, NONE, 2, votes(FOR, AGAINST))
    assert "Égalité" in result.explanation_fr
    assert "tie" in result.explanation_en


@pytest.mark.parametrize(
    ("quorum", "electorate", "needed"),
    [(Fraction(1, 2), 10, 5), (Fraction(1, 2), 11, 6), (Fraction(1, 3), 7, 3), (Fraction(0), 9, 0)],
)
def test_quorum_rounds_up(quorum: Fraction, electorate: int, needed: int) -> None:
    assert quorum_needed(quorum, electorate) == needed


# Meetings: a facilitator records the tally of an in-person vote.
MEETING_CASES = [
    (
        "meeting votes add to online ones",
        Mode.MAJORITY,
        Meeting(6, for_=3, against=1),
        Outcome.ADOPTED,
    ),
    (
        "a block at the meeting",
        Mode.CONSENSUS,
        Meeting(6, for_=3, blocks=("non",)),
        Outcome.REJECTED,
    ),
    ("meeting attendance meets the quorum", Mode.CONSENT, Meeting(6, for_=6), Outcome.ADOPTED),
    ("an objection at the meeting", Mode.CONSENT, Meeting(6, objections=("x",)), Outcome.REJECTED),
]


@pytest.mark.parametrize(
    ("mode", "meeting", "expected"),
    [c[1:] for c in MEETING_CASES],
    ids=[c[0] for c in MEETING_CASES],
)
def test_meeting_tallies_count_with_the_online_votes(
    mode: Mode, meeting: Meeting, expected: Outcome
) -> None:
    online = {"ana": FOR}
    assert decide(mode, HALF, 12, online, [meeting]).outcome is expected


NAMES = ["expérimentateurs", "habitant-cotisants", "mangeur.euses", "sociétaires"]
POLL_CASES = [
    (
        "plurality",
        NONE,
        votes(pick("sociétaires"), pick("sociétaires"), pick("convives")),
        "sociétaires",
    ),
    ("single-choice tie", NONE, votes(pick("sociétaires"), pick("convives")), None),
    ("abstentions do not pick", NONE, votes(pick("convives"), ABSTAIN, ABSTAIN), "convives"),
    (
        "ranked: majority in the first round",
        RANKED,
        votes(pick("convives", "adhérents"), pick("convives"), pick("adhérents")),
        "convives",
    ),
    (
        "ranked: the last option's ballots move on",
        RANKED,
        votes(
            pick("convives"),
            pick("convives"),
            pick("adhérents"),
            pick("adhérents"),
            pick("affiliés", "adhérents"),
        ),
        "adhérents",
    ),
    (
        "ranked: options tied for last go out together",
        RANKED,
        votes(
            *[pick("convives")] * 3,
            *[pick("adhérents")] * 2,
            pick("affiliés", "adhérents"),
            pick("sociétaires", "adhérents"),
        ),
        "adhérents",
    ),
    ("ranked: a full tie stays a tie", RANKED, votes(pick("convives"), pick("adhérents")), None),
]


@pytest.mark.parametrize(
    ("terms", "ballots", "winner"), [c[1:] for c in POLL_CASES], ids=[c[0] for c in POLL_CASES]
)
def test_polls_choose_an_option_or_report_a_tie(
    terms: Terms, ballots: dict[str, Ballot], winner: str | None
) -> None:
    options = [*NAMES, "convives", "adhérents", "affiliés"]
    result = decide(Mode.POLL, terms, 10, ballots, options=options)
    assert result.winner == winner
    assert result.outcome is (Outcome.CHOSEN if winner else Outcome.TIE)


def test_a_ranked_poll_keeps_every_counting_round() -> None:
    ballots = votes(pick("a"), pick("a"), pick("b"), pick("b"), pick("c", "b"))
    result = decide(Mode.POLL, RANKED, 5, ballots, options=["a", "b", "c"])
    assert result.tally["method"] == "instant-runoff"
    assert result.tally["rounds"] == [{"a": 2, "b": 2, "c": 1}, {"a": 2, "b": 3}]


def test_meeting_tallies_count_in_a_single_choice_poll() -> None:
    meeting = Meeting(5, options={"convives": 4})
    result = decide(
        Mode.POLL, NONE, 20, votes(pick("sociétaires")), [meeting], ["convives", "sociétaires"]
    )
    assert result.winner == "convives"
    assert result.tally["participants"] == 6


def test_a_tie_for_last_place_goes_to_the_option_fewer_ballots_rank() -> None:
    ballots = {
        "ana": pick("convives"),
        "bea": pick("affiliés", "convives"),
        "cyd": pick("sociétaires"),
        "dan": pick("sociétaires", "convives"),
    }
    result = decide(Mode.POLL, RANKED, 4, ballots, options=["affiliés", "convives", "sociétaires"])
    assert result.tally["rounds"][-1] == {"convives": 2, "sociétaires": 2}
    assert result.outcome is Outcome.TIE
