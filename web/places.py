"""A place's public page: status, each criterion explained, and its history as a timeline."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

from registry.domain.places import Status
from registry.history import describe
from registry.readmodels import listing
from registry.readmodels.listing import PlaceFilter
from registry.roles import Role
from web import caisses, store
from web.directory import link_args, page_number

bp = Blueprint("places", __name__, url_prefix="/lieux")


@bp.get("/")
def index() -> ResponseReturnValue:
    """Every place that ever applied to the chosen caisse (the visitor's by default; every caisse
    with `?caisse=toutes`), with its status (the directory shows approved ones), filtered by
    status and name, a page at a time."""
    status = request.args.get("statut", "")
    words = request.args.get("q", "").strip()
    shown = caisses.chosen(allow_all=True)
    found = PlaceFilter(caisse=shown.slug if shown else None, status=status, q=words)
    with store.read_models() as db:
        total = listing.count(db, found)
        page, pages = page_number(total)
        size = current_app.config["PAGE_SIZE"]
        views = listing.places(db, found, limit=size, offset=(page - 1) * size)
    args = link_args(statut=status, q=words, caisse=request.args.get("caisse", ""))
    return render_template(
        "places/index.html",
        places=views,
        total=total,
        page=page,
        pages=pages,
        args=args,
        status=status,
        q=words,
        statuses=[s.value for s in Status],
    )


@bp.get("/<siret>")
def show(siret: str) -> ResponseReturnValue:
    """One place: where it stands and why, criterion by criterion, and everything that happened."""
    registry = store.registry()
    view = place_detail(siret)
    # The place's own events: the read models' timeline names members by a pseudonymous key,
    # and this page shows who acted.
    timeline = [describe(e) for e in registry.history(view["siret"])]
    return render_template(
        "places/show.html", place=view, timeline=timeline, may_decide=_may_decide(view["caisse"])
    )


def place_detail(siret: str) -> dict[str, Any]:
    """A place's detailed view from the read models; the registry's own refusal (invalid or
    unknown SIRET) when they do not hold it."""
    registry = store.registry()
    with store.read_models() as db:
        view = listing.detail(db, registry, siret)
        if view is None:
            # The registry reads the SIRET as it is meant (spaces, say) or refuses it.
            view = listing.detail(db, registry, registry.place(siret).siret)
    if view is None:
        abort(404)
    return view


def _may_decide(caisse: str) -> bool:
    """Whether the signed-in person is a facilitator of this caisse: they record its decisions
    and look after its places' accounts."""
    account = caisses.signed_in()
    if account is None or account.role is not Role.FACILITATOR:
        return False
    mine = caisses.of_account(account)
    return mine is not None and mine.slug == caisse
