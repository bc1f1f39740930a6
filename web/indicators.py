"""Indicators defined before measuring, and their charts, from the read models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template
from flask.typing import ResponseReturnValue

from registry.roles import Role
from web import caisses
from web.access import role_required
from web.i18n import lang

bp = Blueprint("indicators", __name__, url_prefix="/evaluation/indicateurs")

READERS = (Role.EVALUATOR, Role.OBSERVER, Role.FACILITATOR)


def _data(at: datetime | None = None) -> dict[str, Any]:
    """The indicators of the caisse asked for (`?caisse=`), else the reader's, else the first."""
    from registry.readmodels import api as readmodels

    caisse = caisses.chosen_or_404()
    return readmodels.indicators(current_app.config["REGISTRY_SETTINGS"], at, caisse.slug)


def chart_titles() -> dict[str, str]:
    """Each chart's title in the visitor's language."""
    from registry.readmodels.charts import TITLES

    return {name: en if lang() == "en" else fr for name, (fr, en) in TITLES.items()}


@bp.get("/")
@role_required(*READERS)
def index() -> ResponseReturnValue:
    """What is measured and how (said before measuring), then each chart."""
    data = _data()
    return render_template(
        "evaluation/indicators.html", definitions=data["definitions"], charts=chart_titles()
    )


@bp.get("/<name>.png")
@role_required(*READERS)
def chart(name: str) -> ResponseReturnValue:
    """One chart as a PNG image."""
    from registry.readmodels.charts import chart as draw

    if name not in chart_titles():
        abort(404)
    return Response(draw(name, _data(), "png", lang()), mimetype="image/png")
