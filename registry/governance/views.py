"""JSON-ready views of members, the charter and proposals. Members appear by pseudonym only."""

from __future__ import annotations

from typing import Any

from registry.clock import paris
from registry.governance.charter import BODY_LABELS, KIND_LABELS, Charter, Kind
from registry.governance.members import Member
from registry.governance.proposals import STATE_LABELS, Proposal, State
from registry.governance.rules import (
    CHOICE_LABELS,
    MODE_LABELS,
    OUTCOME_LABELS,
    Choice,
    Mode,
    Outcome,
    Result,
)
from registry.history import TITLES, describe
from registry.roles import ROLE_LABELS, Role

GOVERNANCE_TITLES: dict[str, tuple[str, str]] = {
    "MemberJoined": ("Membre arrivé", "Member joined"),
    "RolesChanged": ("Rôles modifiés", "Roles changed"),
    "TrainingRecorded": ("Formation suivie", "Training attended"),
    "MemberLeft": ("Membre parti", "Member left"),
    "CharterStarted": ("Charte ouverte", "Charter opened"),
    "CharterVersionAdopted": ("Version de charte adoptée", "Charter version adopted"),
    "ProposalOpened": ("Proposition ouverte", "Proposal opened"),
    "ProposalAmended": ("Proposition amendée", "Proposal amended"),
    "VoteCast": ("Vote", "Vote"),
    "ObjectionLifted": ("Objection levée", "Objection lifted"),
    "MeetingVoteRecorded": ("Vote en réunion enregistré", "Meeting vote recorded"),
    "ProposalWithdrawn": ("Proposition retirée", "Proposal withdrawn"),
    "ProposalClosed": ("Proposition close", "Proposal closed"),
    "DecisionEnacted": ("Décision appliquée", "Decision enacted"),
    "EnactmentImpossible": ("Effet impossible", "Effect impossible"),
}
TITLES.update(GOVERNANCE_TITLES)


def _at(moment: Any) -> str | None:
    return paris(moment).isoformat() if moment is not None else None


def member_view(member: Member) -> dict[str, Any]:
    """A member as anyone may see them: pseudonym, roles, wave, training."""
    return {
        "pseudonym": member.pseudonym,
        "caisse": member.caisse,
        "roles": list(member.roles),
        "roles_fr": [ROLE_LABELS[Role(r)][0] for r in member.roles],
        "roles_en": [ROLE_LABELS[Role(r)][1] for r in member.roles],
        "wave": member.wave,
        "joined": _at(member.created_on),
        "trainings": list(member.trainings),
        "active": member.active,
    }


def charter_view(charter: Charter) -> dict[str, Any]:
    """The charter in force, and when each version was adopted by which decision."""
    terms = charter.current()
    rules = {}
    for kind, rule in terms.rules.items():
        rules[str(kind)] = {
            **rule.model_dump(mode="json"),
            "kind_fr": KIND_LABELS[kind][0],
            "body_fr": BODY_LABELS[rule.body][0],
            "modes_fr": [MODE_LABELS[m][0] for m in rule.modes],
        }
    return {
        "caisse": charter.caisse,
        "version": charter.number,
        "title": terms.title,
        "notes": terms.notes,
        "rules": rules,
        "history": [
            {"version": i + 1, "adopted_on": _at(at), "decision": decision}
            for i, (at, decision) in enumerate(
                zip(charter.adopted_on, charter.decisions, strict=True)
            )
        ],
    }


def proposal_summary(proposal: Proposal, result: Result | None = None) -> dict[str, Any]:
    """Kind, mode, status, tally and outcome; a provisional tally while the vote is open."""
    kind_fr, kind_en = KIND_LABELS[Kind(proposal.kind)]
    mode_fr, mode_en = MODE_LABELS[Mode(proposal.mode)]
    state_fr, state_en = STATE_LABELS[proposal.state]
    view: dict[str, Any] = {
        "id": str(proposal.id),
        "short_id": proposal.short_id,
        "caisse": proposal.caisse,
        "kind": str(proposal.kind),
        "kind_fr": kind_fr,
        "kind_en": kind_en,
        "mode": str(proposal.mode),
        "mode_fr": mode_fr,
        "mode_en": mode_en,
        "ballot": proposal.ballot,
        "title": proposal.title,
        "proposer": proposal.proposer,
        "status": str(proposal.state),
        "status_fr": state_fr,
        "status_en": state_en,
        "opened": _at(proposal.created_on),
        "deadline": _at(proposal.deadline),
        "closed": _at(proposal.closed_at),
        "charter_version": proposal.charter_version,
        "body": str(proposal.rule.body),
        "body_fr": BODY_LABELS[proposal.rule.body][0],
        "amendments": len(proposal.amendments),
        "outcome": None,
        "outcome_fr": None,
        "winner": None,
        "tally": None,
        "explanation_fr": proposal.close_reason or None,
        "explanation_en": proposal.close_reason or None,
        "provisional": False,
    }
    recorded = proposal.result
    if recorded is not None:
        outcome = Outcome(recorded["outcome"])
        view.update(
            outcome=str(outcome),
            outcome_fr=OUTCOME_LABELS[outcome][0],
            winner=recorded["winner"],
            tally=recorded["tally"],
            explanation_fr=recorded["explanation_fr"],
            explanation_en=recorded["explanation_en"],
        )
    elif proposal.state is State.OPEN and result is not None:
        view.update(
            tally=result.tally,
            explanation_fr=f"Si le vote se terminait maintenant : {result.explanation_fr}",
            explanation_en=f"If voting ended now: {result.explanation_en}",
            provisional=True,
        )
    return view


def proposal_detail(proposal: Proposal, result: Result | None, events: list[Any]) -> dict[str, Any]:
    """Everything about a proposal: text, payload, every vote, amendment, objection, effect."""
    view = proposal_summary(proposal, result)
    current = len(proposal.amendments)
    standing = proposal.standing_votes()
    votes = []
    for vote in proposal.votes:
        choice = Choice(vote["choice"])
        votes.append(
            {
                "member": vote["member"],
                "role": vote["role"],
                "choice": str(choice),
                "choice_fr": "objection levée" if vote["lifts"] else CHOICE_LABELS[choice][0],
                "options": vote["options"],
                "reason": vote["reason"],
                "at": _at(vote["at"]),
                "on_amendment": vote["amendment"],
                "before_latest_amendment": vote["amendment"] < current,
                "counts": standing[vote["member"]] is vote,
            }
        )
    view.update(
        text=proposal.text,
        payload=proposal.payload,
        rule=proposal.rule.model_dump(mode="json"),
        impact=proposal.impact or None,
        amendments=[{**a, "at": _at(a["at"])} for a in proposal.amendments],
        votes=votes,
        objections=_objections(proposal),
        meetings=[{**m, "at": _at(m["at"])} for _, m in sorted(proposal.meetings.items())],
        electorate=(proposal.result or {}).get("electorate"),
        effect=proposal.effect,
        history=[describe_event(e) for e in events],
    )
    return view


def _objections(proposal: Proposal) -> list[dict[str, Any]]:
    """Every block or objection raised, and whether it still stands or was lifted."""
    raised: list[dict[str, Any]] = []
    open_by_member: dict[str, dict[str, Any]] = {}
    for vote in proposal.votes:
        member = vote["member"]
        previous = open_by_member.pop(member, None)
        if previous is not None:
            previous["status"] = "lifted" if vote["lifts"] else "replaced"
            previous["lifted_at"] = _at(vote["at"])
            previous["note"] = vote["reason"]
        if vote["choice"] in (Choice.BLOCK, Choice.OBJECT):
            entry = {
                "member": member,
                "kind": vote["choice"],
                "reason": vote["reason"],
                "at": _at(vote["at"]),
                "on_amendment": vote["amendment"],
                "status": "standing",
            }
            raised.append(entry)
            open_by_member[member] = entry
    return raised


def describe_event(event: Any) -> dict[str, Any]:
    """A JSON-ready description of a governance event, with its details in plain words."""
    view = describe(event)
    name = view["event"]
    fr, en = "", ""
    if name == "ProposalOpened":
        mode_fr, mode_en = MODE_LABELS[Mode(event.mode)]
        fr = f"« {event.title} » — {mode_fr}, charte v{event.charter_version}"
        en = f"'{event.title}' — {mode_en}, charter v{event.charter_version}"
    elif name == "ProposalAmended":
        fr = en = f"#{event.number} : {event.note}"
    elif name in ("VoteCast", "ObjectionLifted"):
        choice = Choice(event.choice)
        label_fr = ", ".join(event.options) or CHOICE_LABELS[choice][0]
        label_en = ", ".join(event.options) or CHOICE_LABELS[choice][1]
        grounds = f" — {event.grounds}" if event.grounds else ""
        fr = f"{event.actor} : {label_fr}{grounds}"
        en = f"{event.actor}: {label_en}{grounds}"
    elif name == "MeetingVoteRecorded":
        fr = f"Réunion du {event.held_on}, {event.present} présent(e)s — {event.minutes}"
        en = f"Meeting of {event.held_on}, {event.present} present — {event.minutes}"
    elif name == "ProposalClosed":
        fr, en = event.explanation_fr, event.explanation_en
    elif name == "DecisionEnacted":
        fr, en = event.effect.get("summary_fr", ""), event.effect.get("summary_en", "")
    elif name == "EnactmentImpossible":
        fr, en = event.message_fr, event.message_en
    elif name in ("ProposalWithdrawn", "MemberLeft", "RolesChanged"):
        fr = en = event.grounds
    elif name == "TrainingRecorded":
        fr = en = f"{event.session} ({event.on})"
    if fr:
        view.update(detail_fr=fr, detail_en=en)
    return view
