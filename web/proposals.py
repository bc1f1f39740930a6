"""Proposals: everyone follows them; members propose and vote; facilitators close and record
in-person votes."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from registry.errors import RegistryError
from registry.governance.charter import Kind, parse_charter
from registry.governance.proposals import Proposal, State
from registry.governance.rules import ALLOWED_CHOICES, REASONED, Choice, Mode
from registry.governance.views import proposal_detail, proposal_summary
from registry.readmodels import governance_queries
from registry.readmodels.governance_queries import Listing
from registry.roles import Role
from web import amending, caisses, charter_form, pseudonyms, store
from web.access import account, actor, has_role, role_required
from web.i18n import lang
from web.safety import text

bp = Blueprint("proposals", __name__, url_prefix="/propositions")

VOTERS = (Role.MEMBER, Role.PARTICIPANT)
PROPOSERS = (Role.MEMBER, Role.PARTICIPANT, Role.FACILITATOR)


def proposal_or_404(proposal_id: str) -> Any:
    """A proposal by its id, or 404 (an unknown id is the registry's proposal_not_found)."""
    try:
        key = UUID(proposal_id)
    except ValueError:
        abort(404)
    proposal = store.registry().proposal(key)
    if not isinstance(proposal, Proposal):  # the id of another kind of aggregate
        abort(404)
    return proposal


def summaries(caisse: str | None = None) -> list[dict[str, Any]]:
    """Every proposal (of one caisse if given), open ones first, newest first within each
    group."""
    return listing(caisse).items


def listing(caisse: str | None, number: int = 1, size: int | None = None) -> Listing:
    """A page of proposals from the read models, members named by pseudonym.

    Only the open proposals shown are loaded, for their provisional tally: it depends on
    who may vote today.
    """
    with store.read_models() as db:
        found = governance_queries.proposals(db, caisse, number, size)
        names = pseudonyms.names(db, found.member_keys)
    registry = store.registry()
    for item in found.items:
        if item["status"] == State.OPEN.value:
            proposal = registry.proposal(UUID(item["id"]))
            item.update(proposal_summary(proposal, registry.current_result(proposal)))
            continue
        item["proposer"] = names.get(item["proposer"], item["proposer"])
        item["tally"] = governance_queries.named_tally(item["tally"], names)
    return found


@bp.get("/")
def index() -> ResponseReturnValue:
    """Every proposal of a caisse with its mode, deadline, tally and outcome."""
    caisse = caisses.chosen()
    try:
        number = int(request.args.get("page", "1"))
    except ValueError:
        number = 1
    found = listing(
        caisse.slug if caisse is not None else None, number, current_app.config["PAGE_SIZE"]
    )
    open_ = [v for v in found.items if v["status"] == State.OPEN.value]
    closed = [v for v in found.items if v["status"] != State.OPEN.value]
    return render_template(
        "proposals/index.html",
        open_=open_,
        closed=closed,
        page=found.page,
        pages=found.pages,
        args={k: v for k, v in request.args.items() if k != "page" and v},
        may_propose=caisse is not None and _acts_in(caisse.slug, PROPOSERS),
    )


def _acts_in(caisse: str, roles: tuple[Role, ...]) -> bool:
    """Whether the signed-in person has one of these roles and belongs to this caisse."""
    if not has_role(*roles):
        return False
    mine = caisses.of_account(account())
    return mine is not None and mine.slug == caisse


def _own(proposal: Any) -> None:
    """Refuse (403) to act on a proposal of another caisse than the signed-in person's."""
    caisses.check_own(
        proposal.caisse,
        _(
            "Cette proposition est celle d'une autre caisse (%(other)s) : seuls ses membres et "
            "son animation peuvent y voter, l'amender, la retirer ou la clore.",
            other=_caisse_name(proposal.caisse),
        ),
    )


def _caisse_name(slug: str) -> str:
    found = caisses.by_slug(slug)
    return found.name if found is not None else slug


def _detail(proposal: Any) -> dict[str, Any]:
    registry = store.registry()
    result = registry.current_result(proposal) if proposal.state is State.OPEN else None
    events = list(registry.repository.event_store.get(proposal.id))
    return proposal_detail(proposal, result, events)


def _my_vote(view: dict[str, Any]) -> dict[str, Any] | None:
    if not current_user.is_authenticated:
        return None
    mine = [v for v in view["votes"] if v["member"] == current_user.actor_id]
    return mine[-1] if mine else None


@bp.get("/<proposal_id>")
def show(proposal_id: str) -> ResponseReturnValue:
    """One proposal: text, mode, deadline, tally, objections, outcome, impact, votes, history."""
    return _render_show(proposal_or_404(proposal_id), {}, {})


def _amendments(view: dict[str, Any]) -> list[dict[str, Any]]:
    """Each amendment, with the counted votes cast before it."""
    counted = [v for v in view["votes"] if v["counts"]]
    return [
        {**a, "earlier": [v["member"] for v in counted if v["on_amendment"] < a["number"]]}
        for a in view["amendments"]
    ]


def _charter_changes(proposal: Any) -> list[charter_form.Change] | None:
    """What a charter change changes in the charter version it was opened under."""
    if proposal.kind is not Kind.CHARTER:
        return None
    charter = store.registry().charter(proposal.caisse)
    before = charter.terms_of(proposal.charter_version)
    return charter_form.changes(before, parse_charter(proposal.payload["charter"]))


def _render_show(proposal: Any, values: dict[str, Any], errors: dict[str, str]) -> Any:
    view = _detail(proposal)
    is_open = proposal.state is State.OPEN
    mine = _acts_in(proposal.caisse, (*PROPOSERS, *VOTERS))
    mode = Mode(proposal.mode)
    choices = [c for c in Choice if c in ALLOWED_CHOICES[mode] and c is not Choice.OPTIONS]
    status = 400 if errors else 200
    return render_template(
        "proposals/show.html",
        p=view,
        choices=choices,
        reasoned=[c.value for c in REASONED],
        options=proposal.payload.get("options", []),
        ballot=proposal.ballot,
        is_open=is_open,
        caisse=caisses.by_slug(proposal.caisse),
        own_caisse=mine,
        can_vote=mine and has_role(*VOTERS),
        can_amend=is_open and mine and has_role(*PROPOSERS) and amending.may_amend(proposal),
        amendments=_amendments(view),
        charter_changes=_charter_changes(proposal),
        my_vote=_my_vote(view),
        values=values,
        errors=errors,
        today=date.today().isoformat(),
    ), status


@bp.post("/<proposal_id>/vote")
@role_required(*VOTERS)
def vote(proposal_id: str) -> ResponseReturnValue:
    """Vote in the declared mode; a block or an objection needs a reason."""
    proposal = proposal_or_404(proposal_id)
    _own(proposal)
    values = {"choice": text("choice"), "reason": text("reason")}
    options = [o for o in request.form.getlist("options") if o]
    errors: dict[str, str] = {}
    if not values["choice"]:
        errors["choice"] = _("Choisissez votre réponse.")
    elif values["choice"] in {c.value for c in REASONED} and not values["reason"]:
        errors["reason"] = _("Un blocage ou une objection doit dire pourquoi.")
    if not errors:
        try:
            store.registry().cast_vote(
                proposal.id, account().actor_id, values["choice"], values["reason"], options
            )
        except RegistryError as exc:
            field = "reason" if exc.code == "reason_required" else "choice"
            errors[field] = exc.message(lang())
        else:
            flash(_("Votre vote est enregistré."), "info")
            return redirect(url_for("proposals.show", proposal_id=proposal_id))
    return _render_show(proposal, values, errors)


@bp.route("/<proposal_id>/amender", methods=["GET", "POST"])
@role_required(*PROPOSERS)
def amend(proposal_id: str) -> ResponseReturnValue:
    """Amend an open proposal (its author or a facilitator): a note, a new title or text, new
    contents; votes already cast stay, marked as cast before the amendment."""
    proposal = proposal_or_404(proposal_id)
    _own(proposal)
    return amending.page(proposal)


@bp.post("/<proposal_id>/lever")
@role_required(*VOTERS)
def lift(proposal_id: str) -> ResponseReturnValue:
    """Lift one's block or objection."""
    proposal = proposal_or_404(proposal_id)
    _own(proposal)
    note = text("note")
    try:
        store.registry().lift_objection(proposal.id, account().actor_id, note)
    except RegistryError as exc:
        return _render_show(proposal, {"note": note}, {"note": exc.message(lang())})
    flash(_("Votre objection est levée."), "info")
    return redirect(url_for("proposals.show", proposal_id=proposal_id))


@bp.post("/<proposal_id>/clore")
@role_required(Role.FACILITATOR)
def close(proposal_id: str) -> ResponseReturnValue:
    """Close the vote now; the outcome follows the terms fixed at opening."""
    proposal = proposal_or_404(proposal_id)
    _own(proposal)
    try:
        store.registry().close_proposal(proposal.id, actor())
    except RegistryError as exc:
        return _render_show(proposal, {}, {"close": exc.message(lang())})
    flash(_("La proposition est close."), "info")
    return redirect(url_for("proposals.show", proposal_id=proposal_id))


@bp.post("/<proposal_id>/retirer")
@role_required(*PROPOSERS)
def withdraw(proposal_id: str) -> ResponseReturnValue:
    """The proposer or a facilitator withdraws an open proposal."""
    proposal = proposal_or_404(proposal_id)
    _own(proposal)
    reason = text("withdraw_reason")
    if not reason:
        return _render_show(
            proposal, {}, {"withdraw_reason": _("Indiquez pourquoi la proposition est retirée.")}
        )
    try:
        store.registry().withdraw_proposal(proposal.id, reason, actor())
    except RegistryError as exc:
        return _render_show(
            proposal, {"withdraw_reason": reason}, {"withdraw_reason": exc.message(lang())}
        )
    flash(_("La proposition est retirée."), "info")
    return redirect(url_for("proposals.show", proposal_id=proposal_id))


def _count(name: str, errors: dict[str, str]) -> int:
    raw = text(name) or "0"
    if not raw.isdigit():
        errors[name] = _("Un nombre entier, 0 ou plus.")
        return 0
    return int(raw)


@bp.post("/<proposal_id>/reunion")
@role_required(Role.FACILITATOR)
def meeting(proposal_id: str) -> ResponseReturnValue:
    """Record the tally of an in-person vote, citing its minutes."""
    proposal = proposal_or_404(proposal_id)
    _own(proposal)
    names = ("minutes", "held_on", "present", "for", "against", "abstain", "blocks", "objections")
    values: dict[str, Any] = {n: text(f"m_{n}") for n in names}
    errors: dict[str, str] = {}
    if not values["minutes"]:
        errors["m_minutes"] = _("Citez le compte rendu de la réunion.")
    try:
        held_on = date.fromisoformat(values["held_on"])
    except ValueError:
        errors["m_held_on"] = _("Date invalide : AAAA-MM-JJ.")
        held_on = date.today()
    present = _count("m_present", errors)
    tally: dict[str, Any] = {}
    for key in ("for", "against", "abstain"):
        n = _count(f"m_{key}", errors)
        if n:
            tally[key] = n
    for key in ("blocks", "objections"):
        reasons = [r.strip() for r in values[key].splitlines() if r.strip()]
        if reasons:
            tally[key] = reasons
    options = {}
    for i, option in enumerate(proposal.payload.get("options", [])):
        n = _count(f"m_option_{i}", errors)
        values[f"option_{i}"] = str(n)
        if n:
            options[option] = n
    if options:
        tally["options"] = options
    if not errors:
        try:
            store.registry().record_meeting_vote(
                proposal.id, values["minutes"], held_on, present, tally, actor()
            )
        except RegistryError as exc:
            errors["m_present"] = exc.message(lang())
        else:
            flash(_("Le vote en réunion est enregistré."), "info")
            return redirect(url_for("proposals.show", proposal_id=proposal_id))
    return _render_show(proposal, {f"m_{k}": v for k, v in values.items()}, errors)
