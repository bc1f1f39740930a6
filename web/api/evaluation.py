"""API routes for evaluators: replay at a date, what-if, exports."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request

from registry.clock import local_date, now, parse_day
from registry.domain.places import Status
from registry.roles import Role
from registry.views import place_view
from web import store
from web.api.base import ApiError, endpoint, read_caisse, read_slug
from web.api.models import ExportOut, ReplayOut, WhatIfOut
from web.evaluation import READERS, export_rows, replay_at

EVERY = (
    "caisse (défaut : celle du compte du jeton, sinon la première) ; « toutes » pour toutes "
    "les caisses"
)


def _slug_or_every() -> str | None:
    found = read_caisse(allow_all=True)
    return found.slug if found is not None else None


def _day() -> date:
    raw = request.args.get("date", "").strip()
    return parse_day(raw) if raw else local_date(now())


@endpoint(
    "GET",
    "/replay",
    "Le registre tel qu'il était à la fin d'un jour",
    ReplayOut,
    roles=READERS,
    query={"date": "AAAA-MM-JJ (défaut : aujourd'hui)", "caisse": EVERY},
    tag="évaluation",
)
def replay() -> Any:
    """Places and criteria of a caisse, or of every caisse, as they stood at the end of a day."""
    day = _day()
    found = replay_at(day, _slug_or_every())
    return {
        "date": found["day"].isoformat(),
        "criteria_in_force": {
            c["caisse"].slug: _version_name(c["criteria"]) for c in found["caisses"]
        },
        "places": found["places"],
    }


def _version_name(criteria: Any) -> str | None:
    if criteria is None:
        return None
    return str(criteria["version"] if isinstance(criteria, dict) else criteria.version)


@endpoint(
    "GET",
    "/what-if",
    "Les lieux actifs évalués sous une version de critères",
    WhatIfOut,
    roles=READERS,
    query={
        "version": "version de critères",
        "date": "AAAA-MM-JJ",
        "caisse": "caisse (défaut : celle du compte du jeton, sinon la première)",
    },
    tag="évaluation",
)
def what_if() -> Any:
    """Every active place of a caisse under a chosen version, without recording anything."""
    registry = store.registry()
    version = request.args.get("version", "")
    if not version:
        raise ApiError(400, "version_required", "Indiquez la version de critères (?version=).")
    day = _day()
    caisse = read_slug()
    rows = []
    for place in registry.places(caisse):
        if place.status in (Status.PENDING, Status.APPROVED, Status.SUSPENDED):
            result = registry.evaluate_place(place.siret, version, day)
            rows.append({"place": place_view(place), "result": result})
    return {"version": version, "date": day.isoformat(), "rows": rows}


@endpoint(
    "GET",
    "/exports/approved",
    "Les lieux conventionnés à une date",
    ExportOut,
    roles=(*READERS, Role.PARTICIPANT, Role.MEMBER),
    query={"date": "AAAA-MM-JJ", "caisse": EVERY},
    tag="évaluation",
)
def approved() -> Any:
    """Approved places of a caisse, or of every caisse, at a date, flat."""
    day = _day()
    caisse = _slug_or_every()
    return {"date": day.isoformat(), "caisse": caisse, "places": export_rows(day, caisse)}
