"""Proposals: follow them (everyone), propose and vote (members), open and close (facilitators)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from web import store

bp = Blueprint("proposals", __name__, url_prefix="/propositions")


def governance_ready() -> bool:
    """Whether the registry has its governance verbs."""
    return hasattr(store.registry(), "proposals")


@bp.get("/")
def index() -> ResponseReturnValue:
    """Every proposal, open ones first."""
    if not governance_ready():
        return render_template("proposals/index.html", open_=[], closed=[], ready=False)
    abort(404)


@bp.get("/<proposal_id>")
def show(proposal_id: str) -> ResponseReturnValue:
    """One proposal."""
    abort(404)
