"""API routes for places, criteria and the event log."""

from __future__ import annotations

import math
from typing import Any

from flask import current_app, request

from registry.declaration import Declaration
from registry.history import describe
from registry.readmodels import listing
from registry.readmodels.listing import PlaceFilter
from registry.roles import Role
from registry.views import place_view
from web import caisses, store
from web.access import account, actor
from web.api.base import (
    MESSAGES,
    ApiError,
    body_json,
    check_caisse,
    endpoint,
    message,
    parse,
    read_caisse,
    read_slug,
)
from web.api.models import (
    CriteriaOut,
    CriteriaVersionOut,
    DecisionIn,
    EventOut,
    EventPageOut,
    PlaceAccountOut,
    PlaceDetailOut,
    PlaceOut,
    PlaceTemporaryPasswordOut,
    WithdrawIn,
)
from web.criteria_diff import changes


def _filter() -> str | None:
    """The caisse a list is narrowed to by `?caisse=slug` (an unknown one is a 404), or None
    for every caisse when none is asked for."""
    if request.args.get("caisse", "").strip() in ("", caisses.ALL):
        return None
    found = read_caisse()
    return found.slug if found is not None else None


def _own(siret: str) -> str:
    place = store.registry().place(siret)
    if place.siret not in store.accounts().get(account().login).sirets:  # type: ignore[union-attr]
        raise ApiError(403, "not_your_place", "Ce compte ne parle pas pour ce lieu.")
    return place.siret


MESSAGES["invalid_paging"] = (
    "« {name} » doit être un nombre entier entre {low} et {high} (reçu : « {raw} »).",
    "'{name}' must be a whole number between {low} and {high} (got '{raw}').",
)

# Places a list answers at most, unless `limit` asks for fewer or more.
LIST_LIMIT = 1000
LIST_LIMIT_MAX = 10_000


@endpoint(
    "GET",
    "/places",
    "Les lieux et leur statut",
    PlaceOut,
    many=True,
    tag="lieux",
    query={
        "status": "statut (ex. conventionne)",
        "kind": "type de lieu",
        "quartier": "quartier",
        "caisse": "caisse (défaut : toutes)",
        "q": "mots du nom du lieu",
        "limit": f"nombre de lieux au plus (défaut {LIST_LIMIT}, au plus {LIST_LIMIT_MAX})",
        "offset": "lieux à sauter, dans l'ordre des candidatures (défaut 0)",
    },
)
def list_places() -> Any:
    """Places, filtered, in application order, a page at a time."""
    args = request.args
    found = PlaceFilter(
        caisse=_filter(),
        status=args.get("status", ""),
        kind=args.get("kind", ""),
        quartier=args.get("quartier", ""),
        q=args.get("q", ""),
    )
    limit = _bounded("limit", LIST_LIMIT, 1, LIST_LIMIT_MAX)
    offset = _bounded("offset", 0, 0, None)
    with store.read_models() as db:
        return listing.places(db, found, "applied", limit=limit, offset=offset)


def _bounded(name: str, default: int, low: int, high: int | None) -> int:
    """An integer query argument within bounds; else a 400 `invalid_paging`."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if value < low or (high is not None and value > high):
        shown = high if high is not None else "∞"
        found = message("invalid_paging", name=name, low=low, high=shown, raw=raw)
        raise ApiError(400, "invalid_paging", found)
    return value


@endpoint(
    "GET",
    "/places/{siret}",
    "Un lieu, son évaluation et ce qui manque",
    PlaceDetailOut,
    tag="lieux",
)
def get_place(siret: str) -> Any:
    """One place in detail."""
    from web.places import place_detail

    return place_detail(siret)


@endpoint(
    "GET", "/places/{siret}/history", "L'histoire d'un lieu", EventOut, many=True, tag="lieux"
)
def place_history(siret: str) -> Any:
    """Every event of a place."""
    return [describe(e) for e in store.registry().history(siret)]


@endpoint(
    "POST",
    "/places",
    "Déposer une candidature (évaluée aussitôt)",
    PlaceDetailOut,
    body=Declaration,
    roles=(Role.PLACE,),
    status=201,
    tag="lieux",
)
def apply() -> Any:
    """Apply; the account then speaks for the place."""
    declaration = parse(Declaration, body_json(), "invalid_declaration")
    place = store.registry().apply(declaration, actor())
    store.accounts().add_siret(account().login, place.siret)
    return place_view(place, detail=True)


@endpoint(
    "PUT",
    "/places/{siret}",
    "Modifier la déclaration d'un lieu",
    PlaceDetailOut,
    body=Declaration,
    roles=(Role.PLACE,),
    tag="lieux",
)
def amend(siret: str) -> Any:
    """Amend a declaration of one's own place."""
    siret = _own(siret)
    declaration = parse(Declaration, body_json(), "invalid_declaration")
    return place_view(store.registry().amend(siret, declaration, actor()), detail=True)


@endpoint(
    "POST",
    "/places/{siret}/withdraw",
    "Retirer sa candidature",
    PlaceDetailOut,
    body=WithdrawIn,
    roles=(Role.PLACE,),
    tag="lieux",
)
def withdraw(siret: str) -> Any:
    """Withdraw one's own place."""
    siret = _own(siret)
    data = parse(WithdrawIn, body_json())
    return place_view(store.registry().withdraw(siret, data.reason, actor()), detail=True)


@endpoint(
    "POST",
    "/places/{siret}/decisions",
    "Enregistrer une décision du collectif",
    PlaceDetailOut,
    body=DecisionIn,
    roles=(Role.FACILITATOR,),
    tag="lieux",
)
def decide(siret: str) -> Any:
    """A facilitator records the collective's decision on a place."""
    data = parse(DecisionIn, body_json())
    # The registry refuses a place of another caisse (403 `other_caisse`).
    place = store.registry().decide(siret, data.action, data.reason, data.decision, actor())
    return place_view(place, detail=True)


def _caisse_place(siret: str) -> Any:
    """A place of the token account's caisse: an unknown one is a 404 `place_not_found`, one of
    another caisse a 403 `other_caisse`."""
    place = store.registry().place(siret)
    check_caisse(place.caisse)
    return place


@endpoint(
    "GET",
    "/places/{siret}/accounts",
    "Les comptes qui parlent pour un lieu (identifiant et nom)",
    PlaceAccountOut,
    many=True,
    roles=(Role.FACILITATOR,),
    tag="lieux",
)
def place_accounts(siret: str) -> Any:
    """The accounts that speak for a place of the facilitator's caisse, by login."""
    place = _caisse_place(siret)
    return [
        {"login": a.login, "display_name": a.display_name}
        for a in store.accounts().for_siret(place.siret)
    ]


@endpoint(
    "POST",
    "/places/{siret}/accounts/{login}/password",
    "Créer un mot de passe provisoire pour un compte du lieu (affiché une fois ; le jeton "
    "d'API du compte est révoqué)",
    PlaceTemporaryPasswordOut,
    roles=(Role.FACILITATOR,),
    tag="lieux",
    no_store=True,
)
def place_account_password(siret: str, login: str) -> Any:
    """A temporary password for a place account that lost its own, to hand over in person."""
    place = _caisse_place(siret)
    accounts = store.accounts()
    login = login.strip().lower()
    if login not in {a.login for a in accounts.for_siret(place.siret)}:
        raise ApiError(
            400, "not_place_account", message("not_place_account", login=login, name=place.name)
        )
    temporary = accounts.reset_password(login)
    return {
        "siret": place.siret,
        "login": login,
        "temporary_password": temporary,
        "token_revoked": True,
    }


@endpoint(
    "GET",
    "/criteria",
    "Les versions de critères et celle en vigueur",
    CriteriaOut,
    query={"caisse": "caisse (défaut : celle du compte du jeton, sinon la première)"},
    tag="critères",
)
def criteria() -> Any:
    """Every version of a caisse's criteria."""
    from registry.clock import local_date, now

    registry = store.registry()
    slug = read_slug()
    criteria_set = registry.criteria_set(slug)
    current = criteria_set.in_force(local_date(now()))
    return {
        "caisse": slug,
        "in_force": current.version if current else None,
        "versions": criteria_set.versions(),
    }


@endpoint(
    "GET",
    "/criteria/{version}",
    "Une version de critères et ce qui a changé",
    CriteriaVersionOut,
    query={"caisse": "caisse (défaut : celle du compte du jeton, sinon la première)"},
    tag="critères",
)
def criteria_version(version: str) -> Any:
    """One version, and what changed since the one before."""
    registry = store.registry()
    slug = read_slug()
    versions = registry.criteria_set(slug).versions()
    shown = registry.criteria_set(slug).get(version)
    index = [v.version for v in versions].index(version)
    previous = versions[index - 1] if index else None
    found = [c.__dict__ for c in changes(previous, shown)] if previous else []
    return {
        "version": shown,
        "previous": previous.version if previous else None,
        "changes": found,
    }


@endpoint(
    "GET",
    "/events",
    "Le journal des événements, du plus récent au plus ancien",
    EventPageOut,
    query={
        "page": "page (1 par défaut)",
        "category": "lieux, criteres, gouvernance ou autres",
        "q": "mots cherchés",
        "caisse": "caisse (défaut : toutes)",
    },
    tag="historique",
)
def events() -> Any:
    """The event log by page."""
    from web.event_log import entries

    found = entries()
    caisse = _filter()
    if caisse is not None:
        found = [e for e in found if e["caisse"] in ("", caisse)]
    category = request.args.get("category")
    if category:
        found = [e for e in found if e["category"] == category]
    words = request.args.get("q", "").strip().casefold()
    if words:
        found = [e for e in found if words in e["haystack"]]
    found = list(reversed(found))
    size = current_app.config["PAGE_SIZE"]
    pages = max(1, math.ceil(len(found) / size))
    try:
        page = min(max(1, int(request.args.get("page", "1"))), pages)
    except ValueError:
        raise ApiError(400, "invalid_page", "Numéro de page invalide.") from None
    return {
        "total": len(found),
        "page": page,
        "pages": pages,
        "events": found[(page - 1) * size : page * size],
    }
