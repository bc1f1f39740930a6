"""The public directory of approved places, on screen and on paper."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from registry.clock import local_date, now
from registry.declaration import PlaceKind
from registry.domain.places import Status
from registry.views import place_view
from web import caisses, store

bp = Blueprint("directory", __name__, url_prefix="/annuaire")


def home() -> ResponseReturnValue:
    """The home page: what the registry is, and where to go."""
    registry = store.registry()
    initialised = registry.is_initialised()
    places = registry.places() if initialised else []
    approved = sum(1 for p in places if p.status is Status.APPROVED)
    caisses = registry.caisses() if initialised else []
    return render_template(
        "directory/home.html",
        initialised=initialised,
        approved=approved,
        total=len(places),
        caisses=caisses,
    )


def approved_places(kind: str = "", quartier: str = "", caisse: str = "") -> list[dict[str, Any]]:
    """Approved places with their declaration, filtered, by quartier then name."""
    views = []
    for place in store.registry().places(caisse or None):
        if place.status is not Status.APPROVED:
            continue
        view = place_view(place)
        if kind and view["kind"] != kind:
            continue
        if quartier and (view["quartier"] or "") != quartier:
            continue
        view["declaration"] = place.declaration
        views.append(view)
    return sorted(views, key=lambda v: ((v["quartier"] or "~").casefold(), v["name"].casefold()))


def _filters() -> dict[str, Any]:
    """The filters asked for: kind, quartier, and the caisse (the visitor's by default; every
    caisse with `?caisse=toutes`)."""
    known = caisses.known()
    shown = caisses.chosen(allow_all=True)
    within = [shown] if shown is not None else known
    return {
        "kinds": [k.value for k in PlaceKind],
        "quartiers": sorted({q for c in within for q in c.quartiers}),
        "caisses": known,
        "every_caisse": caisses.ALL,
        "shown": shown,
        "kind": request.args.get("type", ""),
        "quartier": request.args.get("quartier", ""),
        "caisse": shown.slug if shown is not None else caisses.ALL,
    }


def _slug(filters: dict[str, Any]) -> str:
    shown = filters["shown"]
    return shown.slug if shown is not None else ""


@bp.get("/")
def index() -> ResponseReturnValue:
    """Approved places, filtered by kind and quartier."""
    filters = _filters()
    places = approved_places(filters["kind"], filters["quartier"], _slug(filters))
    return render_template("directory/index.html", places=places, **filters)


@bp.get("/imprimer")
def printable() -> ResponseReturnValue:
    """The same list laid out for paper."""
    filters = _filters()
    places = approved_places(filters["kind"], filters["quartier"], _slug(filters))
    return render_template(
        "directory/print.html", places=places, today=local_date(now()), **filters
    )
