"""Amending an open proposal: a note saying what changes and why, a new title or text, and for
a criteria revision, a charter change or a poll, new contents. Votes already cast stay, marked
as cast before the amendment."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from policies.catalogue import CATALOGUE
from policies.criteria import CriteriaVersion, parse_criteria_version
from registry.errors import RegistryError
from registry.governance.charter import CharterTerms, Kind, parse_charter
from registry.governance.effects import check_criteria_revision
from registry.governance.proposals import Proposal
from registry.roles import Role
from web import charter_form, preview, revision_form, store
from web.access import actor
from web.i18n import lang
from web.safety import text


@dataclass
class Amendment:
    """The form of an amendment: what was typed, what it would record, what to show first."""

    proposal: Proposal
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    version: CriteriaVersion | None = None
    terms: CharterTerms | None = None
    options: list[str] = field(default_factory=list)
    start: dict[str, Any] = field(default_factory=dict)
    payload: dict[str, Any] | None = None
    impact: dict[str, Any] | None = None
    changes: list[charter_form.Change] | None = None
    previewed: str = ""
    notice: str = ""


def may_amend(proposal: Proposal) -> bool:
    """Whether the account may amend the proposal: its author, or a facilitator."""
    who = actor()
    return who.role is Role.FACILITATOR or who.id == proposal.proposer


def _start(proposal: Proposal) -> Amendment:
    """The form filled from the proposal as it stands."""
    form = Amendment(proposal, {})
    if proposal.kind is Kind.CRITERIA:
        form.version = parse_criteria_version(proposal.payload["version"])
        form.start = revision_form.version_values(form.version)
    elif proposal.kind is Kind.CHARTER:
        form.terms = parse_charter(proposal.payload["charter"])
        form.start = charter_form.initial_values(form.terms)
    elif proposal.payload.get("options"):
        form.options = [str(o) for o in proposal.payload["options"]]
        form.start = {"options": "\n".join(form.options)}
    form.values = {**form.start, "note": "", "title": proposal.title, "text": proposal.text}
    return form


def page(proposal: Proposal) -> ResponseReturnValue:
    """The amendment form; on a post, record it or say what stops it."""
    if not may_amend(proposal):
        message = _(
            "Seul l'auteur de la proposition (%(p)s) ou un animateur peut l'amender.",
            p=proposal.proposer,
        )
        return render_template("errors/error.html", title=_("Accès refusé"), message=message), 403
    try:
        proposal.check_open(None)
    except RegistryError as exc:
        flash(exc.message(lang()), "error")
        return redirect(url_for("proposals.show", proposal_id=str(proposal.id)))
    form = _start(proposal)
    if request.method == "POST":
        _read(form)
        if not form.errors and _ready(form):
            try:
                store.registry().amend_proposal(
                    proposal.id,
                    form.values["note"],
                    actor(),
                    form.values["title"],
                    form.values["text"],
                    form.payload,
                )
            except RegistryError as exc:
                form.errors[_field(exc, form)] = exc.message(lang())
                form.impact = form.changes = None
            else:
                flash(
                    _("L'amendement est enregistré. Les votes déjà exprimés restent, marqués."),
                    "info",
                )
                return redirect(url_for("proposals.show", proposal_id=str(proposal.id)))
    return _render(form)


def _read(form: Amendment) -> None:
    """Read the posted form into `form`: its values, errors and what it would record."""
    proposal, values, errors = form.proposal, form.values, form.errors
    if form.version is not None:
        revision = revision_form.read(request.form, form.version)
        values.update(revision.values)
        if revision_form.version_changed(revision.values, form.start):
            errors.update(revision.errors)
            if revision.version is not None and not errors:
                _criteria(form, form.version, revision.version)
    elif form.terms is not None:
        charter = charter_form.read(request.form, form.terms)
        values.update(charter.values)
        errors.update(charter.errors)
        if charter.terms is not None and charter.terms != form.terms:
            form.payload = {"charter": charter.terms.model_dump(mode="json")}
            form.changes = charter_form.changes(form.terms, charter.terms)
            form.previewed = preview.fingerprint(charter.terms)
    elif form.options:
        values["options"] = request.form.get("options", "").strip()
        options = list(dict.fromkeys(o.strip() for o in values["options"].splitlines()))
        options = [o for o in options if o]
        dropped = [o for o in form.options if o not in options]
        if dropped:
            errors["options"] = _(
                "Une option déjà soumise au vote ne peut pas être retirée : %(o)s.",
                o=", ".join(dropped),
            )
        elif options != form.options:
            form.payload = {**proposal.payload, "options": options}
    values.update(note=text("note"), title=text("title"), text=text("text"))
    if not values["note"]:
        errors["note"] = _("Dites ce que l'amendement change, et pourquoi.")
    if not values["title"]:
        errors["title"] = _("Le titre est obligatoire.")
    unchanged = (values["title"], values["text"]) == (proposal.title, proposal.text)
    if not errors and form.payload is None and unchanged:
        errors["amendment"] = _(
            "L'amendement ne change rien : modifiez le titre, le texte ou le contenu."
        )


def _criteria(form: Amendment, base: CriteriaVersion, version: CriteriaVersion) -> None:
    """The amended version, checked as a revision, and its impact on every place."""
    registry = store.registry()
    try:
        checked = check_criteria_revision(registry, form.proposal.caisse, version)
        form.impact = registry.preview_impact(form.proposal.caisse, checked)
    except RegistryError as exc:
        form.errors[revision_form.registry_error_field(exc, base)] = exc.message(lang())
        return
    form.payload = {"version": version.model_dump(mode="json")}
    form.previewed = preview.fingerprint(form.payload)


def _ready(form: Amendment) -> bool:
    """Whether to record now: a new version or charter is recorded only as it was shown."""
    if form.previewed == "":
        return True
    if request.form.get("action") != "record":
        return False
    if not preview.confirmed(form.previewed):
        form.notice = _(
            "Le contenu a changé depuis l'aperçu : relisez ce qui change, puis enregistrez."
        )
        return False
    return True


def _field(exc: RegistryError, form: Amendment) -> str:
    if exc.code == "amendment_note_required":
        return "note"
    if exc.code == "options_removed":
        return "options"
    if exc.code in ("title_required", "proposal_exists"):
        return "title"
    if form.version is not None and exc.code not in ("amendment_empty", "concurrent_change"):
        return revision_form.registry_error_field(exc, form.version)
    return "amendment"


def _render(form: Amendment) -> ResponseReturnValue:
    proposal = form.proposal
    context: dict[str, Any] = {}
    if form.version is not None:
        context.update(
            base=form.version,
            policies=sorted(CATALOGUE.items()),
            merged_params=revision_form.merged_params,
        )
    if form.terms is not None:
        context.update(
            kinds=charter_form.kinds(),
            modes_for=charter_form.modes_for,
            choices=charter_form.choices(),
        )
    return render_template(
        "proposals/amend.html",
        p=proposal,
        kind=str(proposal.kind),
        votes=len(proposal.standing_votes()),
        values=form.values,
        errors=form.errors,
        impact=form.impact,
        changes=form.changes,
        previewed=form.previewed,
        notice=form.notice,
        poll=bool(form.options),
        **context,
    ), (400 if form.errors else 200)
