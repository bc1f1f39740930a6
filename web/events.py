"""The full event history: paginated, filtered and searchable, from the read models."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue

from registry.clock import parse_day
from registry.errors import RegistryError
from registry.readmodels import timeline
from web import caisses, pseudonyms, store
from web.i18n import lang

bp = Blueprint("events", __name__, url_prefix="/historique")

CATEGORIES = tuple(timeline.CATEGORIES)


@bp.get("/")
def index() -> ResponseReturnValue:
    """Events, newest first, by page, with filters by kind, dates and words."""
    category = request.args.get("categorie", "")
    words = request.args.get("q", "").strip()
    start, end = request.args.get("du", "").strip(), request.args.get("au", "").strip()
    errors: dict[str, str] = {}
    days: dict[str, date | None] = {}
    for name, value in (("du", start), ("au", end)):
        days[name] = None
        if value:
            try:
                days[name] = parse_day(value)
            except RegistryError as exc:
                errors[name] = exc.message("fr")
    caisse = caisses.chosen(allow_all=True)
    filters = timeline.Filters(
        caisse=caisse.slug if caisse is not None and caisses.several() else None,
        category=category if category in timeline.CATEGORIES else None,
        start=days["du"],
        end=days["au"],
        words=words,
    )
    try:
        found = page_of(filters, _page_number())
    except RegistryError as exc:  # words the full-text index cannot read
        errors["q"] = exc.message(lang())
        found = timeline.Page([], 0, 1, 1)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "events/index.html",
        events=found.events,
        total=found.total,
        page=found.page,
        pages=found.pages,
        args=args,
        categories=CATEGORIES,
        category=category,
        words=words,
        start=start,
        end=end,
        errors=errors,
    )


def _page_number() -> int:
    try:
        return int(request.args.get("page", "1"))
    except ValueError:
        return 1


def page_of(filters: timeline.Filters, number: int) -> timeline.Page:
    """A page of the history, members named by pseudonym (RegistryError `bad_search`).

    A member's pseudonym among the words finds their events and what they did.
    """
    slugs = [filters.caisse] if filters.caisse else [c.slug for c in caisses.known()]
    with store.read_models() as db:
        filters = timeline.with_members(db, filters, slugs)
        found = timeline.page(db, filters, number, current_app.config["PAGE_SIZE"])
        named = pseudonyms.names(db, found.members)
    for event in found.events:
        _name(event, named)
    return found


def _name(event: dict[str, Any], named: dict[str, str]) -> None:
    if event["actor"] in named:
        event["actor"] = named[event["actor"]]
    member = event.get("member")
    if member is not None:
        event["subject_name"] = named.get(member, member)
