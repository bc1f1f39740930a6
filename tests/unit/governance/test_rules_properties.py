"""Properties: the outcome depends on each member's last vote, never on the order of votes."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from registry.governance.rules import Ballot, Choice, Mode, Terms, decide, last_votes

MEMBERS = [f"membre-{i}" for i in range(7)]
OPTIONS = ["expérimentateurs", "sociétaires", "convives", "adhérents", "affiliés"]

TERMS = st.builds(
    Terms,
    quorum=st.sampled_from([Fraction(0), Fraction(1, 3), Fraction(1, 2)]),
    majority=st.sampled_from(["simple", "qualified"]),
    threshold=st.sampled_from([Fraction(3, 5), Fraction(2, 3)]),
    abstentions=st.sampled_from(["excluded", "counted"]),
    ballot=st.sampled_from(["single", "ranked"]),
)


def ballots_for(mode: Mode, ballot: str) -> st.SearchStrategy[Ballot]:
    """Valid ballots in a mode."""
    if mode is Mode.POLL:
        size = 1 if ballot == "single" else len(OPTIONS)
        ranking = st.lists(st.sampled_from(OPTIONS), min_size=1, max_size=size, unique=True)
        return st.one_of(
            ranking.map(lambda r: Ballot(Choice.OPTIONS, tuple(r))), st.just(Ballot(Choice.ABSTAIN))
        )
    plain = {
        Mode.CONSENSUS: [Choice.FOR, Choice.ABSTAIN],
        Mode.CONSENT: [Choice.FOR, Choice.ABSTAIN],
        Mode.MAJORITY: [Choice.FOR, Choice.AGAINST, Choice.ABSTAIN],
    }[mode]
    reasoned = {Mode.CONSENSUS: [Choice.BLOCK], Mode.CONSENT: [Choice.OBJECT]}.get(mode, [])
    return st.one_of(
        st.sampled_from(plain).map(Ballot),
        st.sampled_from(reasoned or plain).map(lambda c: Ballot(c, reason="motif")),
    )


@st.composite
def histories(draw: st.DrawFn) -> tuple[Mode, Terms, list[tuple[str, Ballot]], list[int]]:
    """A mode, terms, votes in the order cast, and another interleaving of the same votes."""
    mode = draw(st.sampled_from(list(Mode)))
    terms = draw(TERMS)
    cast = draw(
        st.lists(st.tuples(st.sampled_from(MEMBERS), ballots_for(mode, terms.ballot)), max_size=20)
    )
    # Members' votes may interleave in any order; each member's own votes keep theirs.
    keys = draw(st.lists(st.integers(0, 100), min_size=len(cast), max_size=len(cast)))
    return mode, terms, cast, keys


def interleave(cast: list[tuple[str, Ballot]], keys: list[int]) -> list[tuple[str, Ballot]]:
    """Reorder votes across members while each member's own sequence stays in order."""
    per_member: dict[str, list[Ballot]] = {}
    for member, ballot in cast:
        per_member.setdefault(member, []).append(ballot)
    order = sorted(range(len(cast)), key=lambda i: (keys[i], i))
    members = [cast[i][0] for i in order]
    result = []
    for member in members:
        result.append((member, per_member[member].pop(0)))
    return result


@given(histories(), st.integers(0, 12))
def test_the_order_of_votes_does_not_change_the_outcome(
    history: tuple[Mode, Terms, list[tuple[str, Ballot]], list[int]], extra: int
) -> None:
    mode, terms, cast, keys = history
    electorate = len(MEMBERS) + extra
    first = decide(mode, terms, electorate, last_votes(cast), options=OPTIONS)
    second = decide(mode, terms, electorate, last_votes(interleave(cast, keys)), options=OPTIONS)
    assert first == second


@given(histories(), st.randoms(use_true_random=False))
def test_only_each_members_last_vote_counts(
    history: tuple[Mode, Terms, list[tuple[str, Ballot]], list[int]], rnd: random.Random
) -> None:
    mode, terms, cast, _ = history
    final = list(last_votes(cast).items())
    rnd.shuffle(final)
    full = decide(mode, terms, len(MEMBERS), last_votes(cast), options=OPTIONS)
    only_last = decide(mode, terms, len(MEMBERS), dict(final), options=OPTIONS)
    assert full == only_last


@given(histories())
def test_option_order_does_not_change_a_poll(
    history: tuple[Mode, Terms, list[tuple[str, Ballot]], list[int]],
) -> None:
    _, terms, cast, _ = history
    polled = [(m, b) for m, b in cast if b.choice in (Choice.OPTIONS, Choice.ABSTAIN)]
    standing = last_votes(polled)
    forward = decide(Mode.POLL, terms, len(MEMBERS), standing, options=OPTIONS)
    backward = decide(Mode.POLL, terms, len(MEMBERS), standing, options=OPTIONS[::-1])
    assert forward == backward
