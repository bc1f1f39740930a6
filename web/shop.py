"""Shops and producers: apply, amend, withdraw, and see where they stand and why."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import ValidationError

from registry.declaration import Declaration
from registry.errors import RegistryError
from registry.roles import Role
from registry.views import place_view
from web import caisses, enrolment, store
from web.access import actor, role_required
from web.declaration_form import ROWS, SPECS, field_errors, read_form, translated, values_from
from web.i18n import lang
from web.safety import text

bp = Blueprint("shop", __name__)

# Which form field a refusal of the registry belongs to.
ERROR_FIELDS = {
    "already_applied": "siret",
    "invalid_siret": "siret",
    "siret_mismatch": "siret",
    "unknown_caisse": "caisse",
    "caisse_mismatch": "caisse",
    "margin_not_collected": "kind",
}


def _own(siret: str) -> str:
    """The place's SIRET if the logged-in account speaks for it, else 403."""
    place = store.registry().place(siret)
    if place.siret not in current_user.sirets:
        abort(403)
    return place.siret


def _form_context(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    registry = store.registry()
    caisses = registry.caisses()
    return {
        "specs": SPECS,
        "rows": ROWS,
        "values": values,
        "errors": errors,
        "caisses": caisses,
        "quartiers": sorted({q for c in caisses for q in c.quartiers}),
        "t": translated,
    }


def _submit(siret: str | None) -> tuple[Any, dict[str, Any], dict[str, str]]:
    """Validate the posted declaration, then apply or amend; nothing is stored if refused."""
    submission = read_form(request.form)
    try:
        declaration = Declaration.model_validate(submission.data)
    except ValidationError as exc:
        return None, submission.values, field_errors(exc, submission)
    except RegistryError as exc:
        return None, submission.values, {"kind": exc.message(lang())}
    registry = store.registry()
    try:
        if siret is None:
            place = enrolment.apply_place(
                registry, store.accounts(), declaration, current_user.login, actor()
            )
        else:
            place = registry.amend(siret, declaration, actor())
    except RegistryError as exc:
        return None, submission.values, {ERROR_FIELDS.get(exc.code, "kind"): exc.message(lang())}
    return place, submission.values, {}


@bp.get("/mon-lieu")
@role_required(Role.PLACE)
def index() -> ResponseReturnValue:
    """The places this account speaks for: status, why, and what is missing."""
    registry = store.registry()
    places = [place_view(registry.place(s), detail=True) for s in current_user.sirets]
    return render_template("shop/index.html", places=places)


@bp.route("/candidater", methods=["GET", "POST"])
@role_required(Role.PLACE)
def apply() -> ResponseReturnValue:
    """Apply with the declaration form; it is evaluated at once."""
    home = caisses.home()
    values: dict[str, Any] = {"caisse": home.slug if home is not None else ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        place, values, errors = _submit(None)
        if place is not None:
            flash(_("Candidature déposée et évaluée : %(status)s.", status=_status(place)), "info")
            return redirect(url_for("places.show", siret=place.siret))
    context = _form_context(values, errors)
    return render_template("shop/form.html", mode="apply", **context), (400 if errors else 200)


@bp.route("/lieux/<siret>/modifier", methods=["GET", "POST"])
@role_required(Role.PLACE)
def amend(siret: str) -> ResponseReturnValue:
    """Amend the declaration; it is evaluated again."""
    siret = _own(siret)
    values = values_from(store.registry().place(siret).declaration)
    errors: dict[str, str] = {}
    if request.method == "POST":
        place, values, errors = _submit(siret)
        if place is not None:
            flash(
                _("Déclaration modifiée et réévaluée : %(status)s.", status=_status(place)), "info"
            )
            return redirect(url_for("places.show", siret=siret))
    context = _form_context(values, errors)
    return render_template("shop/form.html", mode="amend", siret=siret, **context), (
        400 if errors else 200
    )


@bp.route("/lieux/<siret>/retirer", methods=["GET", "POST"])
@role_required(Role.PLACE)
def withdraw(siret: str) -> ResponseReturnValue:
    """Withdraw the application (or leave the scheme), with a reason."""
    siret = _own(siret)
    place = store.registry().place(siret)
    reason = _("Retrait à la demande du lieu")
    errors: dict[str, str] = {}
    if request.method == "POST":
        reason = text("reason")
        if not reason:
            errors["reason"] = _("Indiquez le motif du retrait.")
        else:
            try:
                store.registry().withdraw(siret, reason, actor())
            except RegistryError as exc:
                errors["reason"] = exc.message(lang())
            else:
                flash(_("La candidature est retirée."), "info")
                return redirect(url_for("places.show", siret=siret))
    return render_template(
        "shop/withdraw.html", place=place_view(place), reason=reason, errors=errors
    ), (400 if errors else 200)


def _status(place: Any) -> str:
    from web.labels import label

    return label(place.status.value)
