"""Facilitators record the collective's decisions on places, citing the meeting or proposal,
and give a place account whose password was lost a temporary one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry.domain.places import ALLOWED, Place, Status
from registry.errors import RegistryError
from registry.roles import Role
from registry.views import place_view
from web import caisses, store
from web.access import actor, role_required
from web.accounts import Account
from web.i18n import lang
from web.safety import text

bp = Blueprint("decisions", __name__, url_prefix="/decisions")

ACTIONS = {
    "approve": _l("Conventionner"),
    "refuse": _l("Refuser"),
    "suspend": _l("Suspendre"),
    "renew": _l("Renouveler ou lever la suspension"),
    "withdraw_approval": _l("Déconventionner"),
}


@bp.get("/")
@role_required(Role.FACILITATOR)
def index() -> ResponseReturnValue:
    """Places waiting for the collective first, then every place a decision can apply to."""
    caisse = caisses.own()
    views = [place_view(p, detail=True) for p in store.registry().places(caisse.slug)]
    waiting = [v for v in views if v["status"] == Status.PENDING.value]
    others = [v for v in views if v["status"] != Status.PENDING.value]
    return render_template("decisions/index.html", waiting=waiting, others=others)


@bp.route("/<siret>", methods=["GET", "POST"])
@role_required(Role.FACILITATOR)
def decide(siret: str) -> ResponseReturnValue:
    """Record a decision on one place: the action, why, and which decision it applies; or give
    one of the place's accounts a temporary password, its API token revoked."""
    registry = store.registry()
    place = registry.place(siret)
    caisses.check_own(
        place.caisse,
        _(
            "%(name)s relève d'une autre caisse que la vôtre : seule son animation y inscrit "
            "les décisions.",
            name=place.name,
        ),
    )
    allowed = [a for a in ACTIONS if place.status in ALLOWED[a]]
    values = {"action": allowed[0] if allowed else "", "reason": "", "decision": ""}
    errors: dict[str, str] = {}
    accounts = store.accounts().for_siret(place.siret)
    if request.method == "POST" and "password_for" in request.form:
        login = text("password_for").lower()
        account = next((a for a in accounts if a.login == login), None)
        if account is None:
            errors["password"] = _(
                "Aucun compte « %(login)s » ne parle pour %(name)s : choisissez l'un des comptes "
                "du lieu.",
                login=login,
                name=place.name,
            )
        else:
            # Shown once, on this page only: never put in a flash message or a log.
            temporary = store.accounts().reset_password(account.login)
            # Every page but static files is sent no-store (web/security.py).
            return _page(place, allowed, values, {}, accounts, (account.login, temporary))
    elif request.method == "POST":
        values = {"action": text("action"), "reason": text("reason"), "decision": text("decision")}
        if values["action"] not in allowed:
            errors["action"] = _("Choisissez une action possible pour ce lieu.")
        if not values["reason"]:
            errors["reason"] = _("Indiquez le motif de la décision.")
        if not values["decision"]:
            errors["decision"] = _("Indiquez la réunion ou la proposition qui a décidé.")
        if not errors:
            try:
                registry.decide(
                    place.siret, values["action"], values["reason"], values["decision"], actor()
                )
            except RegistryError as exc:
                errors["action"] = exc.message(lang())
            else:
                flash(_("Décision enregistrée."), "info")
                return redirect(url_for("places.show", siret=place.siret))
    return _page(place, allowed, values, errors, accounts), (400 if errors else 200)


def _page(
    place: Place,
    allowed: list[str],
    values: dict[str, str],
    errors: dict[str, str],
    accounts: list[Account],
    temporary: tuple[str, str] | None = None,
) -> str:
    """The decision page: the place, the decisions it allows, and its accounts."""
    return render_template(
        "decisions/decide.html",
        place=place_view(place, detail=True),
        allowed=[(a, ACTIONS[a]) for a in allowed],
        values=values,
        errors=errors,
        accounts=accounts,
        temporary=temporary,
    )
