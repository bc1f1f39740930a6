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
from web import caisses, store
from web.access import account, actor
from web.api.base import (
    ApiError,
    acting_caisse,
    body_json,
    check_caisse,
    endpoint,
    message,
    parse,
    read_caisse,
    read_slug,
)
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
from web.members import listing as member_listing
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


def _proposal(proposal_id: str) -> Any:
    """A proposal to act on: of the token account's caisse, else a 403 `other_caisse` (for
    verbs that take an actor, the registry itself refuses another caisse's proposal)."""
    proposal = proposal_or_404(proposal_id)
    check_caisse(proposal.caisse)
    return proposal


def _member(pseudonym: str) -> Any:
    """A member of the token account's caisse; a member of another caisse only is a 403
    `other_caisse`."""
    return caisses.member_in(acting_caisse(), pseudonym, lambda other: check_caisse(other.slug))


CAISSE_QUERY = {
    "caisse": "caisse (défaut : celle du compte du jeton, sinon la première)",
}


@endpoint(
    "GET",
    "/proposals",
    "Les propositions, ouvertes d'abord",
    ProposalOut,
    many=True,
    query={"caisse": f"{CAISSE_QUERY['caisse']} ; « toutes » pour toutes les caisses"},
    tag="gouvernance",
)
def list_proposals() -> Any:
    """Every proposal of a caisse, or of every caisse."""
    found = read_caisse(allow_all=True)
    return summaries(found.slug if found is not None else None)


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
    registry = store.registry()
    check_caisse(registry.caisse(data.version.caisse).slug)
    proposal = registry.propose_criteria(
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
        acting_caisse().slug,
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
    proposal = _proposal(proposal_id)
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
    query=CAISSE_QUERY,
    tag="membres",
)
def list_members() -> Any:
    """Every member of a caisse."""
    return member_listing(read_slug()).items


@endpoint(
    "POST",
    "/members",
    "Ajouter un membre à une vague de la caisse du compte du jeton",
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
    caisse = acting_caisse().slug
    login = _checked_login(data.login, data.password)
    member = registry.join_member(caisse, data.pseudonym, roles, data.wave, actor())
    if login:
        main_role = next(r for r in ACCOUNT_PRIORITY if r in roles)
        store.accounts().create(
            login,
            data.password or "",
            main_role,
            member.pseudonym,
            (),
            member.pseudonym,
            member.caisse,
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
    query=CAISSE_QUERY,
    tag="membres",
)
def get_member(pseudonym: str) -> Any:
    """One member of a caisse."""
    return member_view(store.registry().member(read_slug(), pseudonym))


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
        _member(pseudonym).caisse, pseudonym, parse_roles(data.roles), data.reason, actor()
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
    caisse = _member(pseudonym).caisse
    return member_view(store.registry().leave_member(caisse, pseudonym, data.reason, actor()))


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
    member = _member(pseudonym)
    accounts = store.accounts()
    held = accounts.by_pseudonym(
        member.pseudonym, caisses.account_caisses(caisses.account_caisse())
    )
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
    caisse = _member(pseudonym).caisse
    member = store.registry().record_training(caisse, pseudonym, data.session, data.on, actor())
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
    registry = store.registry()
    check_caisse(registry.place(data.siret).caisse)
    proposal = registry.propose_decision(
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
    proposal = _proposal(proposal_id)
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
