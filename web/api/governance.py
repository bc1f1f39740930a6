"""API routes for proposals, votes and members."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from registry.accounts import LOGIN, MIN_PASSWORD, AccountError
from registry.errors import RegistryError
from registry.governance.members import parse_roles
from registry.governance.rules import Mode
from registry.governance.views import member_view
from registry.roles import Role
from web import store
from web.access import account, actor
from web.api.base import ApiError, body_json, endpoint, message, parse
from web.api.models import (
    CriteriaProposalIn,
    ImpactIn,
    LeaveIn,
    MeetingIn,
    MemberIn,
    MemberOut,
    NoteIn,
    PlaceDecisionIn,
    ProposalDetailOut,
    ProposalOut,
    QuestionIn,
    RolesIn,
    TemporaryPasswordOut,
    TrainingIn,
    VoteIn,
)
from web.members import ACCOUNT_PRIORITY
from web.proposals import _amendments as amendments_of
from web.proposals import _charter_changes as charter_changes_of
from web.proposals import _detail as detail_of
from web.proposals import proposal_or_404, summaries

PROPOSERS = (Role.MEMBER, Role.PARTICIPANT, Role.FACILITATOR)
VOTERS = (Role.MEMBER, Role.PARTICIPANT)


def _mode(value: str | None) -> Mode | None:
    if value is None:
        return None
    try:
        return Mode(value)
    except ValueError:
        raise ApiError(400, "unknown_mode", f"Mode inconnu : « {value} ».") from None


def _detail(proposal_id: str) -> dict[str, Any]:
    """A proposal as its page shows it: with each amendment and the votes cast before it, and
    for a charter change, what it changes."""
    proposal = proposal_or_404(proposal_id)
    view = detail_of(proposal)
    changes = charter_changes_of(proposal)
    return {
        **view,
        "amendments": amendments_of(view),
        "charter_changes": None if changes is None else [asdict(c) for c in changes],
    }


def _caisse() -> str:
    return str(store.registry().caisses()[0].slug)


@endpoint(
    "GET",
    "/proposals",
    "Les propositions, ouvertes d'abord",
    ProposalOut,
    many=True,
    tag="gouvernance",
)
def list_proposals() -> Any:
    """Every proposal."""
    return summaries()


@endpoint(
    "GET",
    "/proposals/{proposal_id}",
    "Une proposition, ses votes et objections",
    ProposalDetailOut,
    tag="gouvernance",
)
def get_proposal(proposal_id: str) -> Any:
    """One proposal in detail."""
    return _detail(proposal_id)


@endpoint(
    "POST",
    "/proposals/impact",
    "L'effet d'une version de critères, sans rien ouvrir",
    None,
    body=ImpactIn,
    roles=PROPOSERS,
    tag="gouvernance",
)
def impact() -> Any:
    """Which places a version would approve or no longer approve."""
    data = parse(ImpactIn, body_json(), "invalid_criteria")
    return store.registry().preview_impact(data.version.caisse, data.version)


@endpoint(
    "POST",
    "/proposals/criteria",
    "Proposer une révision des critères",
    ProposalDetailOut,
    body=CriteriaProposalIn,
    roles=PROPOSERS,
    status=201,
    tag="gouvernance",
)
def propose_criteria() -> Any:
    """Open a criteria revision in the declared mode."""
    data = parse(CriteriaProposalIn, body_json(), "invalid_criteria")
    proposal = store.registry().propose_criteria(
        data.version, data.title, data.text, actor(), _mode(data.mode)
    )
    return _detail(str(proposal.id))


@endpoint(
    "POST",
    "/proposals/questions",
    "Poser une question ou ouvrir un sondage",
    ProposalDetailOut,
    body=QuestionIn,
    roles=PROPOSERS,
    status=201,
    tag="gouvernance",
)
def propose_question() -> Any:
    """Open a question, or a poll when options are given."""
    data = parse(QuestionIn, body_json())
    registry = store.registry()
    proposal = registry.propose_question(
        registry.caisses()[0].slug,
        data.title,
        data.text,
        actor(),
        data.options,
        _mode(data.mode),
        data.ballot,
    )
    return _detail(str(proposal.id))


@endpoint(
    "POST",
    "/proposals/{proposal_id}/votes",
    "Voter (le dernier vote compte)",
    ProposalDetailOut,
    body=VoteIn,
    roles=VOTERS,
    tag="gouvernance",
)
def vote(proposal_id: str) -> Any:
    """Cast the account's vote."""
    data = parse(VoteIn, body_json())
    proposal = proposal_or_404(proposal_id)
    store.registry().cast_vote(
        proposal.id, account().actor_id, data.choice, data.reason, data.options
    )
    return _detail(proposal_id)


@endpoint(
    "POST",
    "/proposals/{proposal_id}/close",
    "Clore le vote",
    ProposalDetailOut,
    roles=(Role.FACILITATOR,),
    tag="gouvernance",
)
def close(proposal_id: str) -> Any:
    """Close now; the outcome follows the terms fixed at opening."""
    store.registry().close_proposal(proposal_or_404(proposal_id).id, actor())
    return _detail(proposal_id)


@endpoint(
    "POST",
    "/proposals/{proposal_id}/meetings",
    "Enregistrer un vote en réunion",
    ProposalDetailOut,
    body=MeetingIn,
    roles=(Role.FACILITATOR,),
    tag="gouvernance",
)
def meeting(proposal_id: str) -> Any:
    """Record the tally of an in-person vote."""
    data = parse(MeetingIn, body_json())
    store.registry().record_meeting_vote(
        proposal_or_404(proposal_id).id,
        data.minutes,
        data.held_on,
        data.present,
        data.tally,
        actor(),
    )
    return _detail(proposal_id)


@endpoint(
    "GET",
    "/members",
    "Les membres, par pseudonyme",
    MemberOut,
    many=True,
    roles=(Role.FACILITATOR, Role.EVALUATOR, Role.OBSERVER),
    tag="membres",
)
def list_members() -> Any:
    """Every member of the first caisse."""
    registry = store.registry()
    return [member_view(m) for m in registry.members(registry.caisses()[0].slug)]


@endpoint(
    "POST",
    "/members",
    "Ajouter un membre à une vague",
    MemberOut,
    body=MemberIn,
    roles=(Role.FACILITATOR,),
    status=201,
    tag="membres",
)
def join() -> Any:
    """A new member joins a wave; an account is opened for them when a login is given."""
    data = parse(MemberIn, body_json())
    registry = store.registry()
    roles = parse_roles(data.roles)
    login = _checked_login(data.login, data.password)
    member = registry.join_member(_caisse(), data.pseudonym, roles, data.wave, actor())
    if login:
        main_role = next(r for r in ACCOUNT_PRIORITY if r in roles)
        store.accounts().create(
            login, data.password or "", main_role, member.pseudonym, (), member.pseudonym
        )
    return member_view(member)


def _checked_login(login: str | None, password: str | None) -> str:
    """The login of the account to open with a new member ('' for none), checked before the
    member is recorded, so that a refused account stores nothing."""
    login = (login or "").strip().lower()
    if bool(login) != bool(password):
        raise ApiError(400, "account_incomplete", message("account_incomplete"))
    if not login:
        return ""
    if not LOGIN.match(login):
        raise AccountError("invalid_login")
    if len(password or "") < MIN_PASSWORD:
        raise AccountError("weak_password", min=MIN_PASSWORD)
    if store.accounts().get(login) is not None:
        raise AccountError("login_taken", login=login)
    return login


@endpoint(
    "GET",
    "/members/{pseudonym}",
    "Un membre : rôles, vague, formations",
    MemberOut,
    roles=(Role.FACILITATOR, Role.EVALUATOR, Role.OBSERVER),
    tag="membres",
)
def get_member(pseudonym: str) -> Any:
    """One member of the first caisse."""
    return member_view(store.registry().member(_caisse(), pseudonym))


@endpoint(
    "POST",
    "/members/{pseudonym}/roles",
    "Changer les rôles d'un membre",
    MemberOut,
    body=RolesIn,
    roles=(Role.FACILITATOR,),
    tag="membres",
)
def set_roles(pseudonym: str) -> Any:
    """Replace a member's roles, saying why."""
    data = parse(RolesIn, body_json())
    member = store.registry().set_roles(
        _caisse(), pseudonym, parse_roles(data.roles), data.reason, actor()
    )
    return member_view(member)


@endpoint(
    "POST",
    "/members/{pseudonym}/leave",
    "Enregistrer le départ d'un membre",
    MemberOut,
    body=LeaveIn,
    roles=(Role.FACILITATOR,),
    tag="membres",
)
def leave(pseudonym: str) -> Any:
    """A member leaves; their past votes stay in the history."""
    data = parse(LeaveIn, body_json())
    return member_view(store.registry().leave_member(_caisse(), pseudonym, data.reason, actor()))


@endpoint(
    "POST",
    "/members/{pseudonym}/password",
    "Créer un mot de passe provisoire (affiché une fois ; le jeton d'API du membre est révoqué)",
    TemporaryPasswordOut,
    roles=(Role.FACILITATOR,),
    tag="membres",
    no_store=True,
)
def reset_password(pseudonym: str) -> Any:
    """A temporary password for a member who lost theirs, to hand over in person."""
    member = store.registry().member(_caisse(), pseudonym)
    accounts = store.accounts()
    held = accounts.by_pseudonym(member.pseudonym)
    if held is None:
        raise ApiError(404, "no_account", message("no_account", pseudonym=member.pseudonym))
    if not member.active:
        raise RegistryError("member_left", pseudonym=member.pseudonym)
    temporary = accounts.reset_password(held.login)
    return {
        "pseudonym": member.pseudonym,
        "login": held.login,
        "temporary_password": temporary,
        "token_revoked": True,
    }


@endpoint(
    "POST",
    "/members/{pseudonym}/trainings",
    "Enregistrer une formation",
    MemberOut,
    body=TrainingIn,
    roles=(Role.FACILITATOR,),
    tag="membres",
)
def training(pseudonym: str) -> Any:
    """Record a training session a member attended."""
    data = parse(TrainingIn, body_json())
    member = store.registry().record_training(_caisse(), pseudonym, data.session, data.on, actor())
    return member_view(member)


@endpoint(
    "POST",
    "/proposals/decisions",
    "Proposer une décision sur un lieu",
    ProposalDetailOut,
    body=PlaceDecisionIn,
    roles=PROPOSERS,
    status=201,
    tag="gouvernance",
)
def propose_decision() -> Any:
    """Put a decision on a place to the vote."""
    data = parse(PlaceDecisionIn, body_json())
    proposal = store.registry().propose_decision(
        data.siret, data.action, data.reason, actor(), data.title, _mode(data.mode)
    )
    return _detail(str(proposal.id))


@endpoint(
    "POST",
    "/proposals/{proposal_id}/lift",
    "Lever son blocage ou son objection",
    ProposalDetailOut,
    body=NoteIn,
    roles=VOTERS,
    tag="gouvernance",
)
def lift(proposal_id: str) -> Any:
    """Lift the account's block or objection."""
    data = parse(NoteIn, body_json())
    proposal = proposal_or_404(proposal_id)
    store.registry().lift_objection(proposal.id, account().actor_id, data.note)
    return _detail(proposal_id)


@endpoint(
    "POST",
    "/proposals/{proposal_id}/withdraw",
    "Retirer une proposition ouverte",
    ProposalDetailOut,
    body=NoteIn,
    roles=PROPOSERS,
    tag="gouvernance",
)
def withdraw(proposal_id: str) -> Any:
    """The proposer or a facilitator withdraws an open proposal."""
    data = parse(NoteIn, body_json())
    store.registry().withdraw_proposal(proposal_or_404(proposal_id).id, data.note, actor())
    return _detail(proposal_id)
