"""The public directory of approved places, on screen and on paper."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from registry.clock import local_date, now
from registry.declaration import PlaceKind
from registry.domain.places import Status
from registry.views import place_view
from web import store

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
    registry = store.registry()
    caisses = registry.caisses() if registry.is_initialised() else []
    quartiers = sorted({q for c in caisses for q in c.quartiers})
    return {
        "kinds": [k.value for k in PlaceKind],
        "quartiers": quartiers,
        "caisses": caisses,
        "kind": request.args.get("type", ""),
        "quartier": request.args.get("quartier", ""),
        "caisse": request.args.get("caisse", ""),
    }


@bp.get("/")
def index() -> ResponseReturnValue:
    """Approved places, filtered by kind and quartier."""
    filters = _filters()
    places = approved_places(filters["kind"], filters["quartier"], filters["caisse"])
    return render_template("directory/index.html", places=places, **filters)


@bp.get("/imprimer")
def printable() -> ResponseReturnValue:
    """The same list laid out for paper."""
    filters = _filters()
    places = approved_places(filters["kind"], filters["quartier"], filters["caisse"])
    return render_template(
        "directory/print.html", places=places, today=local_date(now()), **filters
    )
