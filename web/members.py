"""Facilitators manage members, waves and training."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from registry.roles import Role
from web import store
from web.access import role_required

bp = Blueprint("members", __name__, url_prefix="/membres")


@bp.get("/")
@role_required(Role.FACILITATOR)
def index() -> ResponseReturnValue:
    """Members by wave, with their roles and training."""
    accounts = store.accounts().all()
    return render_template("members/index.html", accounts=accounts, members=[])
