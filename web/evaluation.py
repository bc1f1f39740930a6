"""Evaluators: the registry as it stood at a date, what-if under any version, exports."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from flask.typing import ResponseReturnValue

from registry.clock import local_date, now, parse_day, parse_moment
from registry.domain.places import Place, Status
from registry.errors import RegistryError
from registry.roles import Role
from registry.views import place_view
from web import caisses, store
from web.access import role_required
from web.i18n import lang

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")

READERS = (Role.EVALUATOR, Role.OBSERVER, Role.FACILITATOR)
EXPORT_COLUMNS = (
    "siret",
    "name",
    "kind",
    "quartier",
    "street",
    "postcode",
    "city",
    "coverage_rate",
    "approved_under",
    "since",
)


def _day(name: str, errors: dict[str, str]) -> date:
    raw = request.args.get(name, "").strip()
    if not raw:
        return local_date(now())
    try:
        return parse_day(raw)
    except RegistryError as exc:
        errors[name] = exc.message(lang())
        return local_date(now())


@bp.get("/")
@role_required(*READERS)
def index() -> ResponseReturnValue:
    """What an evaluator can do here."""
    caisses.chosen()
    return render_template("evaluation/index.html")


def _caisse() -> str:
    """The caisse evaluated: `?caisse=`, else the evaluator's, else the first."""
    return caisses.chosen_or_404().slug


def replay_at(day: date, caisse: str | None = None) -> dict[str, Any]:
    """Every place (of one caisse if given) and the criteria in force as they stood at the end
    of a day.

    Read from the read models (views.sqlite3) when the registry has them, else rebuilt from
    each place's events.
    """
    try:
        from registry.readmodels import api as readmodels
    except ImportError:
        return replay_from_events(day, caisse)
    registry = store.registry()
    found = readmodels.replay_as_of(current_app.config["REGISTRY_SETTINGS"], _end_of(day), caisse)
    caisses = [
        {"caisse": registry.caisse(slug), "criteria": found["criteria"].get(slug)}
        for slug in found["caisses"]
    ]
    places = sorted(found["places"], key=lambda v: str(v["name"]).casefold())
    approved = [p for p in places if p["status"] == Status.APPROVED.value]
    return {"day": day, "caisses": caisses, "places": places, "approved": approved}


def _end_of(day: date) -> datetime:
    return parse_moment(day.isoformat())


def replay_from_events(day: date, caisse: str | None = None) -> dict[str, Any]:
    """The same, rebuilt from each place's and criteria set's own events."""
    registry = store.registry()
    moment = _end_of(day)
    found = []
    for each in registry.caisses():
        if caisse is not None and each.slug != caisse:
            continue
        criteria = registry.criteria_set(each.slug, moment).in_force(day, moment)
        found.append({"caisse": each, "criteria": criteria})
    places = []
    for place_id in registry.ids_of(Place.Applied):
        place = registry.repository.get(place_id)
        if caisse is not None and place.caisse != caisse:
            continue
        then = registry.place_at(place.siret, moment)
        if then is not None:
            places.append(place_view(then, detail=True))
    places.sort(key=lambda v: v["name"].casefold())
    approved = [p for p in places if p["status"] == Status.APPROVED.value]
    return {"day": day, "caisses": found, "places": places, "approved": approved}


@bp.get("/rejouer")
@role_required(*READERS)
def replay() -> ResponseReturnValue:
    """The registry as it stood at the end of a chosen day, and the rules then in force."""
    errors: dict[str, str] = {}
    day = _day("date", errors)
    caisse = _caisse()
    return render_template(
        "evaluation/replay.html",
        errors=errors,
        raw=request.args.get("date", ""),
        **replay_at(day, caisse),
    )


@bp.get("/simulation")
@role_required(*READERS)
def what_if() -> ResponseReturnValue:
    """Every active place evaluated under a chosen criteria version, side by side with today."""
    registry = store.registry()
    errors: dict[str, str] = {}
    day = _day("date", errors)
    caisse = _caisse()
    versions = registry.criteria_set(caisse).versions()
    chosen = request.args.get("version") or (versions[-1].version if versions else "")
    rows = []
    if chosen:
        try:
            registry.criteria_set(caisse).get(chosen)
        except RegistryError as exc:
            errors["version"] = exc.message(lang())
    if chosen and not errors:
        for place in registry.places(caisse):
            if place.status not in (Status.PENDING, Status.APPROVED, Status.SUSPENDED):
                continue
            result = registry.evaluate_place(place.siret, chosen, day)
            rows.append({"place": place_view(place), "result": result.model_dump(mode="json")})
    changed = sum(
        1
        for r in rows
        if (r["result"]["verdict"] == "approved") != (r["place"]["status"] == "conventionne")
    )
    return render_template(
        "evaluation/what_if.html",
        versions=versions,
        chosen=chosen,
        day=day,
        raw=request.args.get("date", ""),
        rows=rows,
        changed=changed,
        errors=errors,
    )


def export_rows(day: date, caisse: str | None = None) -> list[dict[str, Any]]:
    """The approved places (of one caisse if given) at the end of a day, flat, for payment
    systems and analysis."""
    rows = []
    for view in replay_from_events(day, caisse)["approved"]:
        address = view["declaration"].get("address") or {}
        rows.append(
            {
                "siret": view["siret"],
                "name": view["name"],
                "kind": view["kind"],
                "quartier": view["quartier"] or "",
                "street": address.get("street", ""),
                "postcode": address.get("postcode", ""),
                "city": address.get("city", ""),
                "coverage_rate": view["coverage_rate"],
                "approved_under": view["approved_under"] or "",
                "since": view["since"],
            }
        )
    return rows


@bp.get("/exports")
@role_required(*READERS)
def exports() -> ResponseReturnValue:
    """The downloads on offer."""
    return render_template(
        "evaluation/exports.html", today=local_date(now()), caisse=caisses.chosen_or_404()
    )


@bp.get("/exports/lieux-conventionnes.<fmt>")
@role_required(*READERS)
def export(fmt: str) -> ResponseReturnValue:
    """Approved places at a date, as CSV or JSON."""
    errors: dict[str, str] = {}
    day = _day("date", errors)
    if errors:
        return Response(json.dumps(errors, ensure_ascii=False), 400, mimetype="application/json")
    caisse = _caisse()
    rows = export_rows(day, caisse)
    name = f"lieux-conventionnes-{day.isoformat()}"
    if caisses.several():
        name = f"lieux-conventionnes-{caisse}-{day.isoformat()}"
    if fmt == "json":
        body = json.dumps(
            {"date": day.isoformat(), "caisse": caisse, "places": rows},
            ensure_ascii=False,
            indent=2,
        )
        return Response(
            body,
            mimetype="application/json",
            headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
        )
    if fmt != "csv":
        return Response("", 404)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@bp.get("/exports/export-complet.zip")
@role_required(*READERS)
def full_export() -> ResponseReturnValue:
    """The read models' complete export at a date (tables in CSV, JSON, SQLite, a dictionary):
    of the chosen caisse when the registry holds several, of all of them with `?caisse=toutes`.
    """
    from registry.readmodels import api as readmodels

    errors: dict[str, str] = {}
    day = _day("date", errors)
    if errors:
        return Response(json.dumps(errors, ensure_ascii=False), 400, mimetype="application/json")
    chosen = caisses.chosen(allow_all=True)
    caisse = chosen.slug if chosen is not None and caisses.several() else None
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as work:
        target = Path(work) / "export"
        settings = current_app.config["REGISTRY_SETTINGS"]
        readmodels.export(settings, target, _end_of(day), caisse)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(target.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(target).as_posix())
    name = f"registre-export-{day.isoformat()}.zip"
    if caisse is not None:
        name = f"registre-export-{caisse}-{day.isoformat()}.zip"
    return Response(
        buffer.getvalue(),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
