"""Who is logged in, and which roles may use a route."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, g, request
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from registry.accounts import Account
from registry.roles import Actor, Role
from registry.services.rights import check_actor
from web import caisses, store

F = TypeVar("F", bound=Callable[..., Any])

login_manager = LoginManager()
login_manager.login_view = "account.login"
login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"


def init_app(app: Flask) -> None:
    """Attach Flask-Login and the role helpers for templates."""
    login_manager.init_app(app)
    app.jinja_env.globals.update(has_role=has_role, Role=Role)


@login_manager.user_loader
def _load(login: str) -> Account | None:
    return store.accounts().get(login)


def has_role(*roles: Role) -> bool:
    """Whether the logged-in account has one of these roles."""
    return bool(current_user.is_authenticated and current_user.role in roles)


def role_required(*roles: Role) -> Callable[[F], F]:
    """Let only accounts with one of these roles through: others are sent to log in, or 403."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            still_acting(current_user)
            return view(*args, **kwargs)

        wrapper.roles = roles  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def account() -> Account:
    """The account behind the request: its API token, or the logged-in session."""
    return g.get("api_account") or current_user  # type: ignore[no-any-return]


def actor() -> Actor:
    """The account as an actor of the registry's events (its member pseudonym if it has one),
    acting for its caisse: the registry refuses a target of another caisse."""
    who = account()
    try:
        mine = caisses.account_caisse(who)
    except caisses.Refusal as exc:
        # An account of no known caisse acts nowhere: 403 `no_caisse` (the API's own handler).
        if g.get("api_account") is not None:
            raise
        if exc.status == 404:
            abort(404)
        caisses.refuse(exc.message)
    return Actor(who.actor_id, who.role, mine.slug)


def still_acting(who: Account) -> None:
    """Refuse a facilitator account whose person left or no longer holds the role (the
    registry's RegistryError, answered 403): a departed facilitator keeps no power."""
    if who.role is not Role.FACILITATOR:
        return
    mine = caisses.of_account(who)
    if mine is not None:
        check_actor(store.registry(), mine.slug, Actor(who.actor_id, who.role, mine.slug))


def client_key(login: str) -> str:
    """The key failed logins are counted under: the address and the login tried."""
    return f"{request.remote_addr or '?'}|{login.strip().lower()}"
