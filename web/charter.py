"""The charter: who decides which kind of question, in which mode, and how it changed."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from registry.governance.views import charter_view
from web import store

bp = Blueprint("charter", __name__, url_prefix="/charte")


@bp.get("/")
def index() -> ResponseReturnValue:
    """The charter in force and every version adopted."""
    registry = store.registry()
    charter = registry.charter(registry.caisses()[0].slug)
    return render_template("charter/index.html", charter=charter_view(charter))
