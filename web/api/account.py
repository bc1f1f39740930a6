"""API routes for the account holding the token."""

from __future__ import annotations

from typing import Any

from registry.roles import Role
from web import caisses, store
from web.access import account
from web.api.base import endpoint
from web.api.models import AccountOut, TokenOut

ANY_ROLE = tuple(r for r in Role if r is not Role.SYSTEM)


def _view(login: str) -> dict[str, Any]:
    held = store.accounts().get(login) or account()
    caisse = caisses.of_account(held)
    return {
        "login": held.login,
        "role": str(held.role),
        "display_name": held.display_name,
        "pseudonym": held.pseudonym,
        "sirets": list(held.sirets),
        "has_token": held.has_token,
        "caisse": caisse.slug if caisse is not None else None,
    }


@endpoint(
    "GET", "/account", "Le compte qui tient ce jeton", AccountOut, roles=ANY_ROLE, tag="compte"
)
def me() -> Any:
    """Who the token acts as: login, role, pseudonym, places, caisse."""
    return _view(account().login)


@endpoint(
    "DELETE",
    "/account/token",
    "Révoquer ce jeton d'API",
    AccountOut,
    roles=ANY_ROLE,
    tag="compte",
)
def revoke() -> Any:
    """Forget the account's API token; a new one is issued on the page « Mon compte »."""
    login = account().login
    store.accounts().revoke_token(login)
    return _view(login)


@endpoint(
    "POST",
    "/account/token",
    "Remplacer ce jeton d'API par un nouveau (affiché une fois)",
    TokenOut,
    roles=ANY_ROLE,
    status=201,
    tag="compte",
    no_store=True,
)
def rotate() -> Any:
    """A new token for the account; the one used for this request stops working."""
    return {"token": store.accounts().issue_token(account().login)}
