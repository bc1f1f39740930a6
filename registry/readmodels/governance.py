"""How governance events change `members`, `charter_versions` and `proposals`.

People appear only through pseudonymous keys: a member's pseudonym never reaches a table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from registry.governance.charter import Charter
from registry.governance.members import Member
from registry.governance.proposals import Proposal
from registry.readmodels.common import (
    Aggregates,
    Subject,
    actor_key,
    dumps,
    pseudonymise,
    utc,
)

if TYPE_CHECKING:
    from registry.readmodels.view import ReadModelView


def joined(aggregates: Aggregates, e: Member.MemberJoined) -> Subject:
    """A new member, under a pseudonymous key."""
    key = pseudonymise(e.originator_id)
    at = utc(e.timestamp)
    aggregates.view.execute(
        "INSERT INTO members (member, caisse, roles, wave, joined_at, active, trainings) "
        "VALUES (?, ?, ?, ?, ?, 1, 0)",
        [key, e.caisse, dumps(sorted(e.roles)), e.wave, at],
    )
    return aggregates.add(e.originator_id, Subject("member", e.caisse, key), at)


def roles_changed(view: ReadModelView, key: str, e: Member.RolesChanged) -> None:
    """A member's new roles."""
    view.execute("UPDATE members SET roles = ? WHERE member = ?", [dumps(sorted(e.roles)), key])


def trained(view: ReadModelView, key: str, e: Member.TrainingRecorded) -> None:
    """A training session a member attended; the first date is kept."""
    view.execute(
        "UPDATE members SET trainings = trainings + 1, trained_on = "
        "CASE WHEN trained_on IS NULL OR trained_on > ? THEN ? ELSE trained_on END "
        "WHERE member = ?",
        [e.on, e.on, key],
    )


def left(view: ReadModelView, key: str, e: Member.MemberLeft) -> None:
    """A member's departure."""
    view.execute(
        "UPDATE members SET active = 0, left_at = ? WHERE member = ?", [utc(e.timestamp), key]
    )


def charter_started(aggregates: Aggregates, e: Charter.CharterStarted) -> Subject:
    """A caisse's charter."""
    subject = Subject("charter", e.caisse, e.caisse, "charte")
    return aggregates.add(e.originator_id, subject, utc(e.timestamp))


def charter_adopted(
    view: ReadModelView, caisse: str | None, e: Charter.CharterVersionAdopted
) -> None:
    """A new version of the charter."""
    view.execute(
        "INSERT INTO charter_versions (caisse, number, title, adopted_at, decision, terms) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [caisse, e.number, e.terms.get("title"), utc(e.timestamp), e.decision, dumps(e.terms)],
    )


def opened(aggregates: Aggregates, e: Proposal.ProposalOpened) -> Subject:
    """A new proposal, its mode fixed."""
    at = utc(e.timestamp)
    aggregates.view.execute(
        "INSERT INTO proposals (proposal, caisse, kind, title, mode, ballot, state, opened_at, "
        "deadline, amendments, meetings) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, 0, 0)",
        [str(e.originator_id), e.caisse, e.kind, e.title, e.mode, e.ballot, at, utc(e.deadline)],
    )
    subject = Subject("proposal", e.caisse, str(e.originator_id), e.title)
    return aggregates.add(e.originator_id, subject, at)


def amended(view: ReadModelView, pid: str, e: Proposal.ProposalAmended) -> None:
    """An amendment: the proposal's new title."""
    view.execute(
        "UPDATE proposals SET title = ?, amendments = amendments + 1 WHERE proposal = ?",
        [e.title, pid],
    )


def meeting(view: ReadModelView, pid: str) -> None:
    """A meeting's tally recorded."""
    view.execute("UPDATE proposals SET meetings = meetings + 1 WHERE proposal = ?", [pid])


def withdrawn(view: ReadModelView, pid: str, e: Proposal.ProposalWithdrawn) -> None:
    """A proposal withdrawn before its end."""
    view.execute(
        "UPDATE proposals SET state = 'withdrawn', closed_at = ? WHERE proposal = ?",
        [utc(e.timestamp), pid],
    )


def enacted(view: ReadModelView, pid: str, e: Proposal.DecisionEnacted) -> None:
    """What an adopted proposal changed."""
    view.execute(
        "UPDATE proposals SET enacted_at = ?, effect = ? WHERE proposal = ?",
        [utc(e.timestamp), dumps(e.effect), pid],
    )


def enactment_impossible(view: ReadModelView, pid: str, e: Proposal.EnactmentImpossible) -> None:
    """An adopted proposal whose effect could no longer be applied: why, in its effect."""
    effect = {
        "applied": False,
        "code": e.code,
        "message_fr": e.message_fr,
        "message_en": e.message_en,
    }
    view.execute("UPDATE proposals SET effect = ? WHERE proposal = ?", [dumps(effect), pid])


def closed(view: ReadModelView, subject: Subject, pid: str, e: Proposal.ProposalClosed) -> None:
    """A proposal closed: its outcome, tally (pseudonymised) and participation."""
    _closed(view, subject, pid, e, utc(e.timestamp))


def _closed(
    view: ReadModelView, subject: Subject, pid: str, e: Proposal.ProposalClosed, at: str
) -> None:
    tally = pseudonymise_tally(e.tally, subject.caisse)
    electorate = len(e.electorate)
    participants = int(e.tally.get("participants", 0) or 0)
    counted = int(e.tally.get("electorate", electorate) or electorate)
    participation = participants / counted if counted else None
    view.execute(
        "UPDATE proposals SET state = 'closed', closed_at = :at, outcome = :outcome, "
        "winner = :winner, cause = :cause, explanation_fr = :fr, explanation_en = :en, "
        "tally = :tally, electorate = :electorate, participants = :participants, "
        "participation = :participation WHERE proposal = :p",
        {
            "at": at,
            "outcome": e.outcome,
            "winner": e.winner,
            "cause": e.cause,
            "fr": e.explanation_fr,
            "en": e.explanation_en,
            "tally": dumps(tally),
            "electorate": counted,
            "participants": participants,
            "participation": participation,
            "p": pid,
        },
    )


def pseudonymise_tally(value: Any, caisse: str | None) -> Any:
    """The tally with every member's pseudonym replaced by its key."""
    if isinstance(value, dict):
        return {
            k: (
                actor_key(v, "membre", caisse)
                if k == "member" and isinstance(v, str) and v != "réunion"
                else pseudonymise_tally(v, caisse)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [pseudonymise_tally(v, caisse) for v in value]
    return value
