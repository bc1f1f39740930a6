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


def member_changed(view: ReadModelView, key: str, e: Any) -> None:
    """Roles, training or departure of a member."""
    if isinstance(e, Member.RolesChanged):
        view.execute("UPDATE members SET roles = ? WHERE member = ?", [dumps(sorted(e.roles)), key])
    elif isinstance(e, Member.TrainingRecorded):
        view.execute(
            "UPDATE members SET trainings = trainings + 1, trained_on = "
            "CASE WHEN trained_on IS NULL OR trained_on > ? THEN ? ELSE trained_on END "
            "WHERE member = ?",
            [e.on, e.on, key],
        )
    elif isinstance(e, Member.MemberLeft):
        view.execute(
            "UPDATE members SET active = 0, left_at = ? WHERE member = ?",
            [utc(e.timestamp), key],
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


def proposal_changed(view: ReadModelView, subject: Subject, pid: str, e: Any) -> None:
    """Amendments, meetings, withdrawal, closing and enactment; votes are timeline rows."""
    at = utc(e.timestamp)
    if isinstance(e, Proposal.VoteCast):
        return
    if isinstance(e, Proposal.ProposalAmended):
        view.execute(
            "UPDATE proposals SET title = ?, amendments = amendments + 1 WHERE proposal = ?",
            [e.title, pid],
        )
    elif isinstance(e, Proposal.MeetingVoteRecorded):
        view.execute("UPDATE proposals SET meetings = meetings + 1 WHERE proposal = ?", [pid])
    elif isinstance(e, Proposal.ProposalWithdrawn):
        view.execute(
            "UPDATE proposals SET state = 'withdrawn', closed_at = ? WHERE proposal = ?",
            [at, pid],
        )
    elif isinstance(e, Proposal.ProposalClosed):
        _closed(view, subject, pid, e, at)
    elif isinstance(e, Proposal.DecisionEnacted):
        view.execute(
            "UPDATE proposals SET enacted_at = ?, effect = ? WHERE proposal = ?",
            [at, dumps(e.effect), pid],
        )


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
