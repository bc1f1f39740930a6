"""Logging in and out, signing up as a place, the account page and its API token."""

from __future__ import annotations

import math

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from registry.roles import Role
from web import caisses, store
from web.access import client_key
from web.accounts import AccountError
from web.i18n import lang
from web.safety import safe_next, text

bp = Blueprint("account", __name__)

HOMES = {
    Role.PLACE: "shop.index",
    Role.MEMBER: "proposals.index",
    Role.PARTICIPANT: "proposals.index",
    Role.FACILITATOR: "members.index",
    Role.EVALUATOR: "evaluation.index",
    Role.OBSERVER: "evaluation.index",
}


@bp.route("/connexion", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """The login form; failed attempts are counted and a key is locked out for a while."""
    if request.method == "GET":
        return render_template("account/login.html", login="", errors={})
    login_name = text("login")
    password = request.form.get("password", "")
    key = client_key(login_name)
    accounts = store.accounts()
    wait = accounts.locked_for(key)
    if wait > 0:
        minutes = max(1, math.ceil(wait / 60))
        message = _("Trop d'essais : réessayez dans %(n)s minute(s).", n=minutes)
        return render_template(
            "account/login.html", login=login_name, errors={"password": message}
        ), 429
    account = accounts.authenticate(login_name, password) if login_name and password else None
    if account is None:
        accounts.record_failure(
            key,
            current_app.config["LOGIN_MAX_FAILURES"],
            current_app.config["LOGIN_LOCKOUT_SECONDS"],
        )
        errors = {"password": _("Identifiant ou mot de passe incorrect.")}
        if not login_name:
            errors = {"login": _("Indiquez votre identifiant.")}
        return render_template("account/login.html", login=login_name, errors=errors), 400
    accounts.clear_failures(key)
    login_user(account)
    flash(_("Bienvenue, %(name)s.", name=account.display_name), "info")
    return redirect(safe_next(url_for(HOMES.get(account.role, "index"))))


@bp.post("/deconnexion")
def logout() -> ResponseReturnValue:
    """Log out."""
    logout_user()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("index"))


@bp.route("/inscription", methods=["GET", "POST"])
def signup() -> ResponseReturnValue:
    """A shop or producer creates its account, to apply and follow its application."""
    values = {"login": "", "display_name": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {"login": text("login").lower(), "display_name": text("display_name")}
        password = request.form.get("password", "")
        if not values["display_name"]:
            errors["display_name"] = _("Indiquez le nom du lieu ou de la ferme.")
        if password != request.form.get("password2", ""):
            errors["password2"] = _("Les deux mots de passe ne sont pas identiques.")
        if not errors:
            try:
                account = store.accounts().create(
                    values["login"], password, Role.PLACE, values["display_name"]
                )
            except AccountError as exc:
                field = {"weak_password": "password"}.get(exc.code, "login")
                errors[field] = exc.message(lang())
            else:
                login_user(account)
                flash(_("Compte créé. Vous pouvez déposer votre candidature."), "info")
                return redirect(url_for("shop.apply"))
    status = 400 if errors else 200
    return render_template("account/signup.html", values=values, errors=errors), status


@bp.route("/compte", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    """The account: role, places, password change and API token."""
    token = None
    errors: dict[str, str] = {}
    accounts = store.accounts()
    if request.method == "POST":
        action = request.form.get("action")
        if action == "token":
            token = accounts.issue_token(current_user.login)
        elif action == "revoke":
            accounts.revoke_token(current_user.login)
            flash(_("Le jeton d'API est révoqué."), "info")
        elif action == "delete":
            if accounts.authenticate(current_user.login, request.form.get("confirm", "")) is None:
                errors["confirm"] = _("Mot de passe actuel incorrect.")
            else:
                login = current_user.login
                logout_user()
                accounts.delete(login)
                flash(_("Votre compte est supprimé. Votre histoire publique reste."), "info")
                return redirect(url_for("index"))
        elif action == "password":
            if accounts.authenticate(current_user.login, request.form.get("current", "")) is None:
                errors["current"] = _("Mot de passe actuel incorrect.")
            else:
                try:
                    accounts.set_password(current_user.login, request.form.get("new", ""))
                except AccountError as exc:
                    errors["new"] = exc.message(lang())
                else:
                    flash(_("Mot de passe changé."), "info")
    account = accounts.get(current_user.login)
    caisse = None
    if account is not None and (account.role is not Role.PLACE or account.sirets):
        caisse = caisses.of_account(account)
    return render_template(
        "account/index.html", account=account, caisse=caisse, token=token, errors=errors
    ), (400 if errors else 200)
