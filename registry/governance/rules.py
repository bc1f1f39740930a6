"""Decision rules: from each member's last vote to a tally and an outcome. Pure.

Same votes, same terms, same electorate in: same result out, whatever the order the votes
were cast in. Only each member's last vote counts. Ranked polls are decided by instant-runoff:
a tie for last place is broken by the earlier rounds, then by how many ballots rank the option
at all; options still tied go out together. A tie that would eliminate every remaining option
is reported as a tie, never broken by chance or by the order of the options.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Any


class Mode(StrEnum):
    """How a proposal is decided, declared when it opens."""

    CONSENSUS = "consensus"
    CONSENT = "consent"
    MAJORITY = "majority"
    POLL = "poll"


class Choice(StrEnum):
    """What one vote says."""

    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"
    BLOCK = "block"
    OBJECT = "object"
    OPTIONS = "options"


class Outcome(StrEnum):
    """How a closed proposal ended."""

    ADOPTED = "adopted"
    REJECTED = "rejected"
    NO_QUORUM = "no_quorum"
    CHOSEN = "chosen"
    TIE = "tie"


MODE_LABELS: dict[Mode, tuple[str, str]] = {
    Mode.CONSENSUS: ("consensus", "consensus"),
    Mode.CONSENT: ("consentement", "consent"),
    Mode.MAJORITY: ("vote à la majorité", "majority vote"),
    Mode.POLL: ("sondage", "poll"),
}

CHOICE_LABELS: dict[Choice, tuple[str, str]] = {
    Choice.FOR: ("pour", "for"),
    Choice.AGAINST: ("contre", "against"),
    Choice.ABSTAIN: ("abstention", "abstain"),
    Choice.BLOCK: ("blocage", "block"),
    Choice.OBJECT: ("objection", "objection"),
    Choice.OPTIONS: ("choix", "choice"),
}

OUTCOME_LABELS: dict[Outcome, tuple[str, str]] = {
    Outcome.ADOPTED: ("adoptée", "adopted"),
    Outcome.REJECTED: ("rejetée", "rejected"),
    Outcome.NO_QUORUM: ("quorum non atteint", "quorum not reached"),
    Outcome.CHOSEN: ("option choisie", "option chosen"),
    Outcome.TIE: ("égalité", "tie"),
}

# Which choices each mode accepts: consensus has no "against" (one blocks, with a reason),
# consent no "against" either (one objects, with a reason).
ALLOWED_CHOICES: dict[Mode, frozenset[Choice]] = {
    Mode.CONSENSUS: frozenset({Choice.FOR, Choice.ABSTAIN, Choice.BLOCK}),
    Mode.CONSENT: frozenset({Choice.FOR, Choice.ABSTAIN, Choice.OBJECT}),
    Mode.MAJORITY: frozenset({Choice.FOR, Choice.AGAINST, Choice.ABSTAIN}),
    Mode.POLL: frozenset({Choice.OPTIONS, Choice.ABSTAIN}),
}

REASONED = frozenset({Choice.BLOCK, Choice.OBJECT})


@dataclass(frozen=True)
class Terms:
    """The charter's terms for one proposal, fixed when it opened."""

    quorum: Fraction = Fraction(0)
    majority: str = "simple"
    threshold: Fraction = Fraction(2, 3)
    abstentions: str = "excluded"
    ballot: str = "single"


@dataclass(frozen=True)
class Ballot:
    """One member's vote."""

    choice: Choice
    options: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Meeting:
    """The tally of an in-person meeting, recorded by a facilitator."""

    present: int
    for_: int = 0
    against: int = 0
    abstain: int = 0
    blocks: tuple[str, ...] = ()
    objections: tuple[str, ...] = ()
    options: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    """A tally, the outcome it gives, and why in French and English."""

    outcome: Outcome
    tally: dict[str, Any]
    explanation_fr: str
    explanation_en: str
    winner: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "outcome": str(self.outcome),
            "winner": self.winner,
            "tally": self.tally,
            "explanation_fr": self.explanation_fr,
            "explanation_en": self.explanation_en,
        }


def last_votes(votes: Iterable[tuple[str, Ballot]]) -> dict[str, Ballot]:
    """Each member's standing vote: the last one cast (votes in the order they were cast)."""
    standing: dict[str, Ballot] = {}
    for member, ballot in votes:
        standing[member] = ballot
    return dict(sorted(standing.items()))


def quorum_needed(quorum: Fraction, electorate: int) -> int:
    """How many must take part for the quorum to be reached."""
    return -(-quorum.numerator * electorate // quorum.denominator)


def decide(
    mode: Mode,
    terms: Terms,
    electorate: int,
    ballots: Mapping[str, Ballot],
    meetings: Sequence[Meeting] = (),
    options: Sequence[str] = (),
) -> Result:
    """The tally and outcome of a proposal from its standing votes."""
    participants = len(ballots) + sum(m.present for m in meetings)
    electorate = max(electorate, participants)
    needed = max(quorum_needed(terms.quorum, electorate), 1)
    base: dict[str, Any] = {
        "electorate": electorate,
        "participants": participants,
        "quorum": str(terms.quorum),
        "quorum_needed": needed,
        "quorum_met": participants >= needed,
    }
    if mode is Mode.POLL:
        result = _poll(terms, ballots, meetings, options, base)
    elif mode is Mode.MAJORITY:
        result = _majority(terms, ballots, meetings, base)
    else:
        result = _no_standing_refusal(mode, ballots, meetings, base)
    if participants < needed:
        return Result(
            Outcome.NO_QUORUM,
            result.tally,
            f"Quorum non atteint : {participants} participation(s) sur {electorate}, "
            f"il en fallait {needed}.",
            f"Quorum not reached: {participants} took part out of {electorate}, "
            f"{needed} were needed.",
        )
    return result


def _count(ballots: Mapping[str, Ballot], choice: Choice) -> int:
    return sum(1 for b in ballots.values() if b.choice is choice)


def _majority(
    terms: Terms, ballots: Mapping[str, Ballot], meetings: Sequence[Meeting], base: dict[str, Any]
) -> Result:
    pro = _count(ballots, Choice.FOR) + sum(m.for_ for m in meetings)
    con = _count(ballots, Choice.AGAINST) + sum(m.against for m in meetings)
    abstain = _count(ballots, Choice.ABSTAIN) + sum(m.abstain for m in meetings)
    counted = pro + con + (abstain if terms.abstentions == "counted" else 0)
    tally = {
        **base,
        "for": pro,
        "against": con,
        "abstain": abstain,
        "counted": counted,
        "majority": terms.majority,
        "threshold": "1/2" if terms.majority == "simple" else str(terms.threshold),
        "abstentions": terms.abstentions,
    }
    if terms.majority == "simple":
        adopted = 2 * pro > counted
        rule_fr, rule_en = "plus de la moitié", "more than half"
    else:
        adopted = counted > 0 and Fraction(pro, counted) >= terms.threshold
        rule_fr, rule_en = f"au moins {terms.threshold}", f"at least {terms.threshold}"
    counted_fr = " (abstentions comptées)" if terms.abstentions == "counted" else ""
    counted_en = " (abstentions counted)" if terms.abstentions == "counted" else ""
    head_fr = f"{pro} pour, {con} contre, {abstain} abstention(s) ; il faut {rule_fr} des "
    head_fr += f"{counted} voix{counted_fr}"
    head_en = f"{pro} for, {con} against, {abstain} abstaining; {rule_en} of the "
    head_en += f"{counted} votes{counted_en} is needed"
    if adopted:
        return Result(Outcome.ADOPTED, tally, f"Adoptée : {head_fr}.", f"Adopted: {head_en}.")
    tie_fr = " Égalité : elle ne suffit pas." if counted and 2 * pro == counted else ""
    tie_en = " A tie is not enough." if counted and 2 * pro == counted else ""
    return Result(
        Outcome.REJECTED, tally, f"Rejetée : {head_fr}.{tie_fr}", f"Rejected: {head_en}.{tie_en}"
    )


def _no_standing_refusal(
    mode: Mode, ballots: Mapping[str, Ballot], meetings: Sequence[Meeting], base: dict[str, Any]
) -> Result:
    """Consensus (nobody blocks) and consent (no reasoned objection stands)."""
    refusal = Choice.BLOCK if mode is Mode.CONSENSUS else Choice.OBJECT
    standing = [
        {"member": member, "reason": b.reason}
        for member, b in sorted(ballots.items())
        if b.choice is refusal
    ]
    for m in meetings:
        reasons = m.blocks if mode is Mode.CONSENSUS else m.objections
        standing.extend({"member": "réunion", "reason": r} for r in reasons)
    pro = _count(ballots, Choice.FOR) + sum(m.for_ for m in meetings)
    abstain = _count(ballots, Choice.ABSTAIN) + sum(m.abstain for m in meetings)
    key = "blocks" if mode is Mode.CONSENSUS else "objections"
    tally = {**base, "for": pro, "abstain": abstain, key: standing}
    if mode is Mode.CONSENSUS:
        if standing:
            return Result(
                Outcome.REJECTED,
                tally,
                f"Pas de consensus : {len(standing)} blocage(s) — "
                + " ; ".join(s["reason"] for s in standing),
                f"No consensus: {len(standing)} block(s) — "
                + "; ".join(s["reason"] for s in standing),
            )
        if pro == 0:
            return Result(
                Outcome.REJECTED,
                tally,
                "Pas de consensus : personne ne s'est prononcé pour.",
                "No consensus: nobody agreed.",
            )
        return Result(
            Outcome.ADOPTED,
            tally,
            f"Consensus : {pro} pour, {abstain} en retrait, aucun blocage.",
            f"Consensus: {pro} for, {abstain} standing aside, no block.",
        )
    if standing:
        return Result(
            Outcome.REJECTED,
            tally,
            f"Pas de consentement : {len(standing)} objection(s) maintenue(s) — "
            + " ; ".join(s["reason"] for s in standing),
            f"No consent: {len(standing)} objection(s) still stand — "
            + "; ".join(s["reason"] for s in standing),
        )
    return Result(
        Outcome.ADOPTED,
        tally,
        f"Consentement : aucune objection ne subsiste ({pro} pour, {abstain} abstention(s)).",
        f"Consent: no objection stands ({pro} for, {abstain} abstaining).",
    )


def _poll(
    terms: Terms,
    ballots: Mapping[str, Ballot],
    meetings: Sequence[Meeting],
    options: Sequence[str],
    base: dict[str, Any],
) -> Result:
    names = sorted(set(options))
    rankings = [b.options for _, b in sorted(ballots.items()) if b.choice is Choice.OPTIONS]
    extra: dict[str, int] = dict.fromkeys(names, 0)
    for m in meetings:
        for name, n in m.options.items():
            extra[name] = extra.get(name, 0) + n
    abstain = _count(ballots, Choice.ABSTAIN) + sum(m.abstain for m in meetings)
    if terms.ballot == "ranked":
        rounds = _instant_runoff(names, rankings, extra)
    else:
        first = dict(extra)
        for ranking in rankings:
            first[ranking[0]] = first.get(ranking[0], 0) + 1
        rounds = [first]
    last = rounds[-1]
    top = max(last.values(), default=0)
    leaders = sorted(o for o, n in last.items() if n == top)
    tally = {**base, "ballot": terms.ballot, "abstain": abstain, "counts": rounds[0]}
    if terms.ballot == "ranked":
        tally["rounds"] = rounds
        tally["method"] = "instant-runoff"
    if top == 0 or len(leaders) > 1:
        tally["tied"] = leaders
        listed = ", ".join(leaders)
        return Result(
            Outcome.TIE,
            tally,
            f"Égalité entre {listed} ({top} voix chacune) : aucune option ne l'emporte.",
            f"Tie between {listed} ({top} votes each): no option wins.",
        )
    winner = leaders[0]
    via_fr = f" après {len(rounds)} tour(s) de décompte" if terms.ballot == "ranked" else ""
    via_en = f" after {len(rounds)} counting round(s)" if terms.ballot == "ranked" else ""
    return Result(
        Outcome.CHOSEN,
        tally,
        f"« {winner} » l'emporte avec {top} voix{via_fr}.",
        f"'{winner}' wins with {top} votes{via_en}.",
        winner,
    )


def _instant_runoff(
    names: list[str], rankings: list[tuple[str, ...]], extra: Mapping[str, int]
) -> list[dict[str, int]]:
    """Counting rounds until an option holds a majority of the ballots still counting."""
    remaining = set(names) | {o for r in rankings for o in r} | set(extra)
    rounds: list[dict[str, int]] = []
    while remaining:
        # Meeting tallies are first choices only: they stay with their option while it runs.
        counts = {o: extra.get(o, 0) for o in remaining}
        for ranking in rankings:
            choice = next((o for o in ranking if o in remaining), None)
            if choice is not None:
                counts[choice] += 1
        ordered = dict(sorted(counts.items()))
        rounds.append(ordered)
        total = sum(ordered.values())
        top = max(ordered.values())
        if 2 * top > total or len(ordered) == 1:
            break
        low = min(ordered.values())
        losers = {o for o, n in ordered.items() if n == low}
        if losers == remaining:
            break
        remaining -= _last_place(losers, rounds, rankings)
    return rounds


def _last_place(
    tied: set[str], rounds: list[dict[str, int]], rankings: list[tuple[str, ...]]
) -> set[str]:
    """The options tied for last that go out: fewest earlier votes, then fewest mentions."""
    for earlier in reversed(rounds[:-1]):
        low = min(earlier.get(o, 0) for o in tied)
        tied = {o for o in tied if earlier.get(o, 0) == low}
    mentions = {o: sum(1 for r in rankings if o in r) for o in tied}
    fewest = min(mentions.values())
    return {o for o in tied if mentions[o] == fewest}
