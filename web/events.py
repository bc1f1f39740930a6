"""The full event history: paginated, filtered and searchable."""

from __future__ import annotations

import math

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from registry.clock import parse_day
from registry.errors import RegistryError
from web import caisses
from web.event_log import CATEGORIES, entries

bp = Blueprint("events", __name__, url_prefix="/historique")


@bp.get("/")
def index() -> ResponseReturnValue:
    """Events, newest first, by page, with filters by kind, dates and words."""
    from flask import current_app

    category = request.args.get("categorie", "")
    words = request.args.get("q", "").strip()
    start, end = request.args.get("du", "").strip(), request.args.get("au", "").strip()
    errors: dict[str, str] = {}
    found = entries()
    caisse = caisses.chosen(allow_all=True)
    if caisse is not None and caisses.several():
        found = [e for e in found if e["caisse"] in ("", caisse.slug)]
    if category in CATEGORIES:
        found = [e for e in found if e["category"] == category]
    for name, value, keep in (("du", start, lambda d, e: e >= d), ("au", end, lambda d, e: e <= d)):
        if not value:
            continue
        try:
            day = parse_day(value).isoformat()
        except RegistryError as exc:
            errors[name] = exc.message("fr")
            continue
        found = [e for e in found if keep(day, e["at"][:10])]
    if words:
        needle = words.casefold()
        found = [e for e in found if needle in e["haystack"]]
    found.reverse()
    size = current_app.config["PAGE_SIZE"]
    pages = max(1, math.ceil(len(found) / size))
    try:
        page = min(max(1, int(request.args.get("page", "1"))), pages)
    except ValueError:
        page = 1
    shown = found[(page - 1) * size : page * size]
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "events/index.html",
        events=shown,
        total=len(found),
        page=page,
        pages=pages,
        args=args,
        categories=CATEGORIES,
        category=category,
        words=words,
        start=start,
        end=end,
        errors=errors,
    )
