"""A place's public page: status, each criterion explained, and its history as a timeline."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from registry.domain.places import Status
from registry.history import describe
from registry.views import place_view
from web import store

bp = Blueprint("places", __name__, url_prefix="/lieux")


@bp.get("/")
def index() -> ResponseReturnValue:
    """Every place that ever applied, with its status (the directory shows approved ones)."""
    status = request.args.get("statut", "")
    views = [place_view(p) for p in store.registry().places()]
    if status:
        views = [v for v in views if v["status"] == status]
    views.sort(key=lambda v: v["name"].casefold())
    return render_template(
        "places/index.html", places=views, status=status, statuses=[s.value for s in Status]
    )


@bp.get("/<siret>")
def show(siret: str) -> ResponseReturnValue:
    """One place: where it stands and why, criterion by criterion, and everything that happened."""
    registry = store.registry()
    place = registry.place(siret)
    view = place_view(place, detail=True)
    timeline = [describe(e) for e in registry.history(place.siret)]
    return render_template("places/show.html", place=view, timeline=timeline)
