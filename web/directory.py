"""The public directory of approved places, on screen and on paper, from the read models."""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue

from registry.clock import local_date, now
from registry.declaration import PlaceKind
from registry.domain.places import Status
from registry.readmodels import listing
from registry.readmodels.listing import PlaceFilter
from web import caisses, store

bp = Blueprint("directory", __name__, url_prefix="/annuaire")


def home() -> ResponseReturnValue:
    """The home page: what the registry is, and where to go."""
    initialised = store.registry().is_initialised()
    with store.read_models() as db:
        counts = listing.counts(db)
    return render_template(
        "directory/home.html",
        initialised=initialised,
        approved=counts["by_status"].get(str(Status.APPROVED), 0),
        total=counts["total"],
        by_caisse=counts["by_caisse"],
        caisses=caisses.known() if initialised else [],
    )


def approved_filter(
    kind: str = "", quartier: str = "", caisse: str = "", q: str = ""
) -> PlaceFilter:
    """Approved places of a kind, quartier and caisse (any when empty), named with `q`."""
    return PlaceFilter(
        caisse=caisse or None, status=str(Status.APPROVED), kind=kind, quartier=quartier, q=q
    )


def approved_places(
    kind: str = "",
    quartier: str = "",
    caisse: str = "",
    q: str = "",
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Approved places with their declaration, filtered, by quartier then name."""
    with store.read_models() as db:
        return listing.places(
            db,
            approved_filter(kind, quartier, caisse, q),
            order="quartier",
            limit=limit,
            offset=offset,
            declarations=True,
        )


def page_number(total: int) -> tuple[int, int]:
    """The page asked for by `?page=` (clamped; anything else is the first) and the page count."""
    size = current_app.config["PAGE_SIZE"]
    pages = max(1, math.ceil(total / size))
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        page = 1
    return min(max(page, 1), pages), pages


def link_args(**kept: str) -> dict[str, str]:
    """The query arguments page links keep: the filters that are set."""
    return {k: v for k, v in kept.items() if v}


def _filters() -> dict[str, Any]:
    """The filters asked for: kind, quartier, words of the name, and the caisse (the visitor's
    by default; every caisse with `?caisse=toutes`)."""
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
        "q": request.args.get("q", "").strip(),
        "caisse": shown.slug if shown is not None else caisses.ALL,
    }


def _slug(filters: dict[str, Any]) -> str:
    shown = filters["shown"]
    return shown.slug if shown is not None else ""


@bp.get("/")
def index() -> ResponseReturnValue:
    """Approved places, filtered by kind, quartier and name, a page at a time."""
    filters = _filters()
    found = approved_filter(filters["kind"], filters["quartier"], _slug(filters), filters["q"])
    with store.read_models() as db:
        total = listing.count(db, found)
        page, pages = page_number(total)
        size = current_app.config["PAGE_SIZE"]
        places = listing.places(
            db, found, "quartier", limit=size, offset=(page - 1) * size, declarations=True
        )
    args = link_args(
        type=filters["kind"],
        quartier=filters["quartier"],
        q=filters["q"],
        caisse=request.args.get("caisse", ""),
    )
    return render_template(
        "directory/index.html",
        places=places,
        total=total,
        page=page,
        pages=pages,
        args=args,
        **filters,
    )


@bp.get("/imprimer")
def printable() -> ResponseReturnValue:
    """The same list laid out for paper, every page at once."""
    filters = _filters()
    places = approved_places(filters["kind"], filters["quartier"], _slug(filters), filters["q"])
    return render_template(
        "directory/print.html", places=places, today=local_date(now()), **filters
    )
