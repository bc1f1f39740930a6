"""Opening proposals: a criteria revision (impact shown before opening), a question or poll,
or a decision on a place."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from policies.catalogue import CATALOGUE
from registry.clock import local_date, now
from registry.errors import RegistryError
from registry.governance.charter import Kind
from registry.governance.effects import check_criteria_revision
from registry.governance.rules import MODE_LABELS, Mode
from registry.roles import Role
from registry.views import place_view
from web import caisses, preview, store
from web.access import actor, role_required
from web.i18n import lang
from web.revision_form import initial_values, merged_params, read, registry_error_field
from web.safety import text

bp = Blueprint("proposing", __name__, url_prefix="/propositions")

PROPOSERS = (Role.MEMBER, Role.PARTICIPANT, Role.FACILITATOR)
PLACE_ACTIONS = ("approve", "refuse", "suspend", "withdraw_approval")


def _caisse() -> str:
    """The proposer's own caisse: the only one they propose in."""
    return caisses.own().slug


def _modes(kind: Kind) -> list[tuple[str, str]]:
    rule = store.registry().charter_in_force(_caisse()).rule(kind)
    pick = 1 if lang() == "en" else 0
    return [(m.value, MODE_LABELS[m][pick]) for m in rule.modes]


@bp.route("/nouvelle-revision", methods=["GET", "POST"])
@role_required(*PROPOSERS)
def revision() -> ResponseReturnValue:
    """Propose a criteria revision; see its impact on every place before opening it."""
    registry = store.registry()
    caisse = _caisse()
    base = registry.criteria_in_force(caisse, local_date(now()))
    values = initial_values(base)
    values["mode"] = _modes(Kind.CRITERIA)[0][0]
    errors: dict[str, str] = {}
    impact = None
    previewed = ""
    notice = ""
    if request.method == "POST":
        form = read(request.form, base)
        values, errors = form.values, form.errors
        values["mode"] = text("mode")
        if values["mode"] not in {m for m, _label in _modes(Kind.CRITERIA)}:
            errors["mode"] = _("Choisissez un mode de décision permis par la charte.")
        if form.version is not None and not errors:
            try:
                checked = check_criteria_revision(registry, caisse, form.version)
                impact = registry.preview_impact(caisse, checked)
                previewed = preview.fingerprint(checked)
                if request.form.get("action") == "open":
                    if preview.confirmed(previewed):
                        proposal = registry.propose_criteria(
                            checked, text("title"), text("text"), actor(), Mode(values["mode"])
                        )
                        flash(_("La proposition est ouverte au vote."), "info")
                        return redirect(url_for("proposals.show", proposal_id=str(proposal.id)))
                    notice = _(
                        "La version proposée a changé depuis l'aperçu : relisez son effet sur "
                        "les lieux, puis ouvrez le vote."
                    )
            except RegistryError as exc:
                errors[registry_error_field(exc, base)] = exc.message(lang())
                impact = None
                previewed = ""
    return render_template(
        "proposals/revision.html",
        base=base,
        values=values,
        errors=errors,
        impact=impact,
        previewed=previewed,
        notice=notice,
        modes=_modes(Kind.CRITERIA),
        policies=sorted(CATALOGUE.items()),
        used={c.policy for c in base.criteria},
        merged_params=merged_params,
    ), (400 if errors else 200)


@bp.route("/nouvelle", methods=["GET", "POST"])
@role_required(*PROPOSERS)
def new() -> ResponseReturnValue:
    """Open a question (a poll when it lists options) or a decision on a place."""
    registry = store.registry()
    values: dict[str, Any] = {
        "kind": Kind.QUESTION.value,
        "mode": "",
        "title": "",
        "text": "",
        "options": "",
        "ballot": "single",
        "siret": "",
        "action": "",
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {k: text(k) for k in values}
        if not values["title"] and values["kind"] == Kind.QUESTION.value:
            errors["title"] = _("Le titre est obligatoire.")
        if not values["text"]:
            errors["text"] = _("Expliquez la proposition en quelques phrases.")
        if not errors:
            try:
                proposal = _open(values)
            except RegistryError as exc:
                errors[_field(exc.code)] = exc.message(lang())
            else:
                flash(_("La proposition est ouverte au vote."), "info")
                return redirect(url_for("proposals.show", proposal_id=str(proposal.id)))
    places = sorted((place_view(p) for p in registry.places(_caisse())), key=lambda v: v["name"])
    return render_template(
        "proposals/new.html",
        values=values,
        errors=errors,
        question_modes=_modes(Kind.QUESTION),
        place_modes=_modes(Kind.PLACE),
        places=places,
        actions=PLACE_ACTIONS,
    ), (400 if errors else 200)


def _open(values: dict[str, Any]) -> Any:
    registry = store.registry()
    mode = Mode(values["mode"]) if values["mode"] in {m.value for m in Mode} else None
    if values["kind"] == Kind.PLACE.value:
        if values["siret"]:
            try:
                place = registry.place(values["siret"])
            except RegistryError:
                pass  # the registry says why, next to the field
            else:
                caisses.check_own(
                    place.caisse,
                    _(
                        "%(name)s relève d'une autre caisse que la vôtre : seuls ses membres "
                        "peuvent proposer une décision sur ce lieu.",
                        name=place.name,
                    ),
                )
        return registry.propose_decision(
            values["siret"],
            values["action"],
            values["text"],
            actor(),
            title=values["title"] or None,
            mode=mode,
        )
    options = [o.strip() for o in values["options"].splitlines() if o.strip()]
    ballot = "ranked" if values["ballot"] == "ranked" else None
    return registry.propose_question(
        _caisse(), values["title"], values["text"], actor(), options, mode, ballot
    )


def _field(code: str) -> str:
    return {
        "mode_not_allowed": "mode",
        "poll_needs_options": "options",
        "options_need_poll": "options",
        "poll_only_for_questions": "mode",
        "invalid_place_decision": "action",
        "unknown_action": "action",
        "illegal_transition": "action",
        "reason_required": "text",
        "place_not_found": "siret",
        "invalid_siret": "siret",
        "title_required": "title",
        "proposal_exists": "title",
    }.get(code, "kind")
