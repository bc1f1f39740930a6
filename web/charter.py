"""The charter: who decides which kind of question, in which mode, and how it changed; members
propose a change, seeing what it changes before opening the vote."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from registry.errors import RegistryError
from registry.governance.charter import Kind
from registry.governance.proposals import State
from registry.governance.rules import MODE_LABELS, Mode
from registry.governance.views import charter_view
from registry.roles import Role
from web import caisses, charter_form, preview, store
from web.access import actor, role_required
from web.i18n import lang
from web.safety import text

bp = Blueprint("charter", __name__, url_prefix="/charte")

PROPOSERS = (Role.MEMBER, Role.PARTICIPANT, Role.FACILITATOR)


def _caisse() -> str:
    """The caisse whose charter a member proposes to change: their own."""
    return caisses.own().slug


@bp.get("/")
def index() -> ResponseReturnValue:
    """The charter in force, every version adopted, and the changes put to the vote."""
    registry = store.registry()
    caisse = caisses.chosen_or_404().slug
    charter = registry.charter(caisse)
    pending = [
        p for p in registry.proposals(caisse) if p.kind is Kind.CHARTER and p.state is State.OPEN
    ]
    return render_template(
        "charter/index.html",
        charter=charter_view(charter),
        pending=pending,
        may_propose=_may_propose(caisse),
    )


def _may_propose(caisse: str) -> bool:
    """Whether the signed-in person may propose a change to this caisse's charter."""
    account = caisses.signed_in()
    if account is None or account.role not in PROPOSERS:
        return False
    mine = caisses.of_account(account)
    return mine is not None and mine.slug == caisse


def proposal_modes() -> list[tuple[str, str]]:
    """The modes the charter in force permits for a charter change, the default first."""
    rule = store.registry().charter_in_force(_caisse()).rule(Kind.CHARTER)
    pick = 1 if lang() == "en" else 0
    return [(m.value, MODE_LABELS[m][pick]) for m in rule.modes]


@bp.route("/proposer", methods=["GET", "POST"])
@role_required(*PROPOSERS)
def propose() -> ResponseReturnValue:
    """Propose a new charter version: start from the one in force, see what changes, open."""
    registry = store.registry()
    caisse = _caisse()
    charter = registry.charter(caisse)
    base = charter.current()
    modes = proposal_modes()
    values: dict[str, Any] = {
        **charter_form.initial_values(base),
        "title": "",
        "text": "",
        "mode": modes[0][0],
    }
    errors: dict[str, str] = {}
    changes: list[charter_form.Change] | None = None
    previewed = ""
    notice = ""
    if request.method == "POST":
        form = charter_form.read(request.form, base)
        values, errors = form.values, form.errors
        values.update(title=text("title"), text=text("text"), mode=text("mode"))
        if not values["title"]:
            errors["title"] = _("Le titre est obligatoire.")
        if not values["text"]:
            errors["text"] = _("Expliquez pourquoi changer la charte.")
        if values["mode"] not in {m for m, _label in modes}:
            errors["mode"] = _("Choisissez un mode de décision permis par la charte.")
        terms = form.terms
        if terms is not None and terms == base:
            errors["charter"] = _(
                "La charte proposée est celle en vigueur : changez au moins une règle."
            )
        if terms is not None and not errors:
            changes = charter_form.changes(base, terms)
            previewed = preview.fingerprint(terms)
            if request.form.get("action") == "open":
                if preview.confirmed(previewed):
                    try:
                        proposal = registry.open_proposal(
                            caisse,
                            Kind.CHARTER,
                            values["title"],
                            values["text"],
                            {"charter": terms.model_dump(mode="json")},
                            actor(),
                            Mode(values["mode"]),
                        )
                    except RegistryError as exc:
                        errors[_error_field(exc.code)] = exc.message(lang())
                        changes = None
                    else:
                        flash(_("La proposition est ouverte au vote."), "info")
                        return redirect(url_for("proposals.show", proposal_id=str(proposal.id)))
                else:
                    notice = _(
                        "La charte proposée a changé depuis l'aperçu : relisez ce qui change, "
                        "puis ouvrez le vote."
                    )
    return render_template(
        "charter/propose.html",
        charter=charter_view(charter),
        rule=base.rule(Kind.CHARTER),
        values=values,
        errors=errors,
        modes=modes,
        changes=changes,
        previewed=previewed,
        notice=notice,
        kinds=charter_form.kinds(),
        modes_for=charter_form.modes_for,
        choices=charter_form.choices(),
    ), (400 if errors else 200)


def _error_field(code: str) -> str:
    return {
        "mode_not_allowed": "mode",
        "title_required": "title",
        "proposal_exists": "title",
        "invalid_charter": "charter",
    }.get(code, "charter")
