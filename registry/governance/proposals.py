"""A proposal: opened in a declared mode, amended, voted on, closed with a computed outcome."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate

from registry.clock import now, paris
from registry.errors import RegistryError
from registry.governance.charter import Kind, KindRule
from registry.governance.checks import check_meeting, check_options, check_payload
from registry.governance.ids import proposal_id
from registry.governance.rules import (
    ALLOWED_CHOICES,
    CHOICE_LABELS,
    MODE_LABELS,
    REASONED,
    Ballot,
    Choice,
    Meeting,
    Mode,
    Outcome,
    Result,
    decide,
    last_votes,
)
from registry.roles import Actor, Role


class State(StrEnum):
    """Where a proposal stands."""

    OPEN = "open"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


STATE_LABELS: dict[State, tuple[str, str]] = {
    State.OPEN: ("ouverte", "open"),
    State.CLOSED: ("close", "closed"),
    State.WITHDRAWN: ("retirée", "withdrawn"),
}


class Proposal(Aggregate):
    """A question put to a deciding body, under the charter in force when it opened."""

    class Event(Aggregate.Event):
        actor: str
        role: str

    class ProposalOpened(Aggregate.Created):
        caisse: str
        kind: str
        mode: str
        title: str
        text: str
        payload: dict[str, Any]
        charter_version: int
        rule: dict[str, Any]
        ballot: str
        deadline: datetime
        impact: dict[str, Any]
        actor: str
        role: str

    class ProposalAmended(Event):
        number: int
        title: str
        text: str
        payload: dict[str, Any]
        note: str
        impact: dict[str, Any]

        def apply(self, proposal: Proposal) -> None:
            proposal.title = self.title
            proposal.text = self.text
            proposal.payload = self.payload
            proposal.impact = self.impact
            proposal.amendments.append(
                {"number": self.number, "note": self.note, "at": self.timestamp, "by": self.actor}
            )

    class VoteCast(Event):
        choice: str
        options: list[str]
        grounds: str
        amendment: int

        def apply(self, proposal: Proposal) -> None:
            proposal.votes.append(
                {
                    "member": self.actor,
                    "role": self.role,
                    "choice": self.choice,
                    "options": list(self.options),
                    "reason": self.grounds,
                    "amendment": self.amendment,
                    "at": self.timestamp,
                    "lifts": isinstance(self, Proposal.ObjectionLifted),
                }
            )

    class ObjectionLifted(VoteCast):
        """A block or objection withdrawn by its author, who now agrees."""

    class MeetingVoteRecorded(Event):
        minutes: str
        held_on: str
        present: int
        tally: dict[str, Any]

        def apply(self, proposal: Proposal) -> None:
            proposal.meetings[self.minutes] = {
                "minutes": self.minutes,
                "held_on": self.held_on,
                "present": self.present,
                "tally": self.tally,
                "at": self.timestamp,
                "by": self.actor,
            }

    class ProposalWithdrawn(Event):
        grounds: str

        def apply(self, proposal: Proposal) -> None:
            proposal.state = State.WITHDRAWN
            proposal.closed_at = self.timestamp
            proposal.close_reason = self.grounds

    class ProposalClosed(Event):
        outcome: str
        winner: str | None
        tally: dict[str, Any]
        electorate: list[str]
        explanation_fr: str
        explanation_en: str
        cause: str

        def apply(self, proposal: Proposal) -> None:
            proposal.state = State.CLOSED
            proposal.closed_at = self.timestamp
            proposal.outcome = Outcome(self.outcome)
            proposal.result = {
                "outcome": self.outcome,
                "winner": self.winner,
                "tally": self.tally,
                "electorate": list(self.electorate),
                "explanation_fr": self.explanation_fr,
                "explanation_en": self.explanation_en,
                "cause": self.cause,
            }

    class DecisionEnacted(Event):
        effect: dict[str, Any]

        def apply(self, proposal: Proposal) -> None:
            proposal.effect = {"applied": True, **self.effect}

    class EnactmentImpossible(Event):
        """Adopted, but its effect could no longer be applied when it closed."""

        code: str
        message_fr: str
        message_en: str

        def apply(self, proposal: Proposal) -> None:
            proposal.effect = {
                "applied": False,
                "code": self.code,
                "summary_fr": f"Effet impossible : {self.message_fr}",
                "summary_en": f"Effect impossible: {self.message_en}",
            }

    def __init__(
        self,
        caisse: str,
        kind: str,
        mode: str,
        title: str,
        text: str,
        payload: dict[str, Any],
        charter_version: int,
        rule: dict[str, Any],
        ballot: str,
        deadline: datetime,
        impact: dict[str, Any],
        actor: str,
        role: str,
    ) -> None:
        self.caisse = caisse
        self.kind = Kind(kind)
        self.mode = Mode(mode)
        self.title = title
        self.text = text
        self.payload = payload
        self.charter_version = charter_version
        self.rule = KindRule.model_validate(rule)
        self.ballot = ballot
        self.deadline = deadline
        self.impact = impact
        self.proposer = actor
        self.state = State.OPEN
        self.votes: list[dict[str, Any]] = []
        self.amendments: list[dict[str, Any]] = []
        self.meetings: dict[str, dict[str, Any]] = {}
        self.outcome: Outcome | None = None
        self.result: dict[str, Any] | None = None
        self.closed_at: datetime | None = None
        self.close_reason = ""
        self.effect: dict[str, Any] | None = None

    @classmethod
    def open(
        cls,
        caisse: str,
        kind: Kind,
        mode: Mode,
        title: str,
        text: str,
        payload: dict[str, Any],
        charter_version: int,
        rule: KindRule,
        ballot: str,
        deadline: datetime,
        impact: dict[str, Any],
        by: Actor,
        at: datetime,
    ) -> Proposal:
        """A new proposal; its mode is fixed from now on."""
        if mode not in rule.modes:
            allowed = ", ".join(MODE_LABELS[m][0] for m in rule.modes)
            raise RegistryError(
                "mode_not_allowed", mode=MODE_LABELS[mode][0], kind=kind.value, allowed=allowed
            )
        if not title.strip():
            raise RegistryError("title_required")
        check_payload(kind, mode, payload)
        return cls._create(
            cls.ProposalOpened,
            id=proposal_id(caisse, title, at),
            timestamp=at,
            caisse=caisse,
            kind=str(kind),
            mode=str(mode),
            title=title.strip(),
            text=text.strip(),
            payload=payload,
            charter_version=charter_version,
            rule=rule.model_dump(mode="json"),
            ballot=ballot if mode is Mode.POLL else "single",
            deadline=deadline,
            impact=impact,
            actor=by.id,
            role=str(by.role),
        )

    # Commands ---------------------------------------------------------------

    def amend(
        self,
        title: str | None,
        text: str | None,
        payload: dict[str, Any] | None,
        note: str,
        impact: dict[str, Any] | None,
        by: Actor,
        at: datetime | None = None,
    ) -> None:
        """Amend the text or payload while the vote is open; earlier votes stay, marked."""
        self.check_open(at)
        self._check_author(by)
        if not note.strip():
            raise RegistryError("amendment_note_required")
        new_payload = payload if payload is not None else self.payload
        check_payload(self.kind, self.mode, new_payload)
        if self.kind is Kind.QUESTION:
            dropped = set(self.payload.get("options", [])) - set(new_payload.get("options", []))
            if dropped:
                raise RegistryError("options_removed", options=", ".join(sorted(dropped)))
        new_title = (title or self.title).strip()
        new_text = (text if text is not None else self.text).strip()
        if (new_title, new_text, new_payload) == (self.title, self.text, self.payload):
            raise RegistryError("amendment_empty")
        self._trigger(
            self.ProposalAmended,
            by,
            at,
            number=len(self.amendments) + 1,
            title=new_title,
            text=new_text,
            payload=new_payload,
            note=note.strip(),
            impact=impact if impact is not None else self.impact,
        )

    def cast(self, ballot: Ballot, by: Actor, at: datetime | None = None) -> None:
        """A member's vote; it replaces their earlier one."""
        self.check_open(at)
        self._check_ballot(ballot)
        standing = self.standing_votes().get(by.id)
        if (
            standing is not None
            and standing["amendment"] == len(self.amendments)
            and self._same(standing, ballot)
        ):
            raise RegistryError("vote_repeated", pseudonym=by.id)
        self._trigger(
            self.VoteCast,
            by,
            at,
            choice=str(ballot.choice),
            options=list(ballot.options),
            grounds=ballot.reason.strip(),
            amendment=len(self.amendments),
        )

    def lift(self, note: str, by: Actor, at: datetime | None = None) -> None:
        """The author of a block or objection lifts it and now agrees."""
        self.check_open(at)
        standing = self.standing_votes().get(by.id)
        if standing is None or standing["choice"] not in (Choice.BLOCK, Choice.OBJECT):
            raise RegistryError("nothing_to_lift", pseudonym=by.id)
        self._trigger(
            self.ObjectionLifted,
            by,
            at,
            choice=str(Choice.FOR),
            options=[],
            grounds=note.strip(),
            amendment=len(self.amendments),
        )

    def record_meeting(
        self,
        minutes: str,
        held_on: date,
        present: int,
        tally: dict[str, Any],
        by: Actor,
        at: datetime | None = None,
    ) -> None:
        """A facilitator records the tally of an in-person vote; same minutes replace it."""
        if by.role is not Role.FACILITATOR:
            raise RegistryError("facilitator_only", action="enregistrer un vote en réunion")
        self.check_open(at)
        if held_on > self.deadline.date():
            raise RegistryError("vote_late", deadline=_moment(self.deadline))
        if not minutes.strip():
            raise RegistryError("minutes_required")
        check_meeting(self.mode, self.ballot, present, tally, self.payload.get("options", []))
        self._trigger(
            self.MeetingVoteRecorded,
            by,
            at,
            minutes=minutes.strip(),
            held_on=held_on.isoformat(),
            present=present,
            tally=tally,
        )

    def withdraw(self, reason: str, by: Actor, at: datetime | None = None) -> None:
        """The proposer or a facilitator withdraws the proposal."""
        self._check_state()
        self._check_author(by)
        if not reason.strip():
            raise RegistryError("reason_required", action="retirer la proposition")
        self._trigger(self.ProposalWithdrawn, by, at, grounds=reason.strip())

    def close(
        self, result: Result, electorate: list[str], by: Actor, at: datetime | None = None
    ) -> None:
        """Close with the computed outcome: at the deadline, or earlier by a facilitator."""
        self._check_state()
        moment = at or now()
        early = moment < self.deadline
        if early and by.role is not Role.FACILITATOR:
            raise RegistryError("close_before_deadline", deadline=_moment(self.deadline))
        self._trigger(
            self.ProposalClosed,
            by,
            moment,
            outcome=str(result.outcome),
            winner=result.winner,
            tally=result.tally,
            electorate=sorted(electorate),
            explanation_fr=result.explanation_fr,
            explanation_en=result.explanation_en,
            cause="facilitator" if early else "deadline",
        )

    def enact(self, effect: dict[str, Any], by: Actor, at: datetime | None = None) -> None:
        """Record what the adopted proposal changed elsewhere."""
        if self.outcome is not Outcome.ADOPTED or self.effect is not None:
            raise RegistryError("not_enactable", title=self.title)
        self._trigger(self.DecisionEnacted, by, at, effect=effect)

    def record_impossible(
        self, refusal: RegistryError, by: Actor, at: datetime | None = None
    ) -> None:
        """Record why an adopted proposal's effect could not be applied."""
        if self.outcome is not Outcome.ADOPTED or self.effect is not None:
            raise RegistryError("not_enactable", title=self.title)
        self._trigger(
            self.EnactmentImpossible,
            by,
            at,
            code=refusal.code,
            message_fr=refusal.message("fr"),
            message_en=refusal.message("en"),
        )

    # Queries ----------------------------------------------------------------

    def standing_votes(self) -> dict[str, dict[str, Any]]:
        """Each member's last vote."""
        standing: dict[str, dict[str, Any]] = {}
        for vote in self.votes:
            standing[vote["member"]] = vote
        return standing

    def ballots(self) -> dict[str, Ballot]:
        """Each member's last vote, as the rules read it."""
        return last_votes(
            (v["member"], Ballot(Choice(v["choice"]), tuple(v["options"]), v["reason"]))
            for v in self.votes
        )

    def meeting_tallies(self) -> list[Meeting]:
        """The in-person tallies, one per set of minutes."""
        result = []
        for _, m in sorted(self.meetings.items()):
            t = m["tally"]
            result.append(
                Meeting(
                    present=int(m["present"]),
                    for_=int(t.get("for", 0)),
                    against=int(t.get("against", 0)),
                    abstain=int(t.get("abstain", 0)),
                    blocks=tuple(t.get("blocks", [])),
                    objections=tuple(t.get("objections", [])),
                    options=dict(t.get("options", {})),
                )
            )
        return result

    def compute(self, electorate: int) -> Result:
        """The tally and outcome now, under the terms fixed at opening."""
        return decide(
            self.mode,
            self.rule.terms(self.ballot),
            electorate,
            self.ballots(),
            self.meeting_tallies(),
            self.payload.get("options", []),
        )

    @property
    def short_id(self) -> str:
        """The first eight characters of the id, enough to name it on a command line."""
        return self.id.hex[:8]

    # Checks -----------------------------------------------------------------

    def _check_state(self) -> None:
        if self.state is State.CLOSED:
            raise RegistryError("proposal_closed", title=self.title)
        if self.state is State.WITHDRAWN:
            raise RegistryError("proposal_withdrawn", title=self.title)

    def check_open(self, at: datetime | None) -> None:
        self._check_state()
        if (at or now()) > self.deadline:
            raise RegistryError("vote_late", deadline=_moment(self.deadline))

    def _check_author(self, by: Actor) -> None:
        if by.id != self.proposer and by.role is not Role.FACILITATOR:
            raise RegistryError("not_author", actor=by.id, proposer=self.proposer)

    def _check_ballot(self, ballot: Ballot) -> None:
        allowed = ALLOWED_CHOICES[self.mode]
        if ballot.choice not in allowed:
            labels = ", ".join(CHOICE_LABELS[c][0] for c in sorted(allowed))
            raise RegistryError(
                "choice_not_allowed",
                choice=CHOICE_LABELS[ballot.choice][0],
                mode=MODE_LABELS[self.mode][0],
                allowed=labels,
            )
        if ballot.choice in REASONED and not ballot.reason.strip():
            raise RegistryError("reason_required", action=CHOICE_LABELS[ballot.choice][0])
        if ballot.choice is Choice.OPTIONS:
            check_options(ballot.options, self.payload.get("options", []), self.ballot)

    @staticmethod
    def _same(standing: dict[str, Any], ballot: Ballot) -> bool:
        return (
            standing["choice"] == ballot.choice
            and tuple(standing["options"]) == ballot.options
            and standing["reason"] == ballot.reason.strip()
        )

    def _trigger(
        self, event_class: type[Any], by: Actor, at: datetime | None, **fields: Any
    ) -> None:
        self.trigger_event(event_class, timestamp=at, actor=by.id, role=str(by.role), **fields)


def _moment(moment: datetime) -> str:
    return paris(moment).strftime("%Y-%m-%d %H:%M")
