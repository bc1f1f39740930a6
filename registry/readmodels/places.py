"""How place events change the `places`, `declarations`, `status_intervals` and `evaluations`.

Status changes mirror `Place`'s own apply() methods, event for event.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from registry.domain.places import STATUS_LABELS, Place, Status
from registry.readmodels.common import Aggregates, Subject, dumps, utc

_DECLARED = ("name", "kind", "quartier", "street", "postcode", "city", "peasant_share")


def declared(declaration: dict[str, Any]) -> list[Any]:
    """The declared columns shared by `places` and `declarations`, in order."""
    address = declaration.get("address") or {}
    supply = declaration.get("supply") or {}
    return [
        declaration.get("name"),
        declaration.get("kind"),
        declaration.get("quartier"),
        address.get("street"),
        address.get("postcode"),
        address.get("city"),
        supply.get("peasant_share"),
    ]


def applied(db: sqlite_utils.Database, aggregates: Aggregates, e: Place.Applied) -> Subject:
    """A new application: a place, its first declaration, a pending status."""
    decl = e.declaration
    siret, caisse, at = str(decl["siret"]), str(decl["caisse"]), utc(e.timestamp)
    coordinates = decl.get("coordinates") or {}
    subject = Subject("place", caisse, siret, str(decl.get("name")))
    aggregates.add(db, e.originator_id, subject, at)
    db.execute(
        "INSERT INTO places (siret, caisse, name, kind, quartier, street, postcode, city, "
        "peasant_share, lat, lon, coverage_rate, applied_at, declaration_seq, events) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0.0, ?, ?, 0)",
        [siret, caisse, *declared(decl), coordinates.get("lat"), coordinates.get("lon"), at]
        + [e.originator_version],
    )
    _new_declaration(db, siret, e.originator_version, at, decl)
    _set_status(db, siret, e, Status.PENDING, "Candidature déposée", "candidature", None, 0.0, at)
    return subject


def amended(db: sqlite_utils.Database, siret: str, e: Place.DeclarationAmended) -> None:
    """A new declaration; a refused or withdrawn approval becomes a new application."""
    decl, at = e.declaration, utc(e.timestamp)
    status, seq, approved_under, rate = _current(db, siret)
    coordinates = decl.get("coordinates") or {}
    db.execute(
        "UPDATE places SET name = ?, kind = ?, quartier = ?, street = ?, postcode = ?, "
        "city = ?, peasant_share = ?, lat = ?, lon = ?, declaration_seq = ? WHERE siret = ?",
        [*declared(decl), coordinates.get("lat"), coordinates.get("lon")]
        + [e.originator_version, siret],
    )
    db.execute(
        "UPDATE declarations SET valid_to = ? WHERE siret = ? AND valid_to IS NULL", [at, siret]
    )
    _new_declaration(db, siret, e.originator_version, at, decl)
    if status in (Status.REFUSED, Status.DECONVENTIONNE):
        reason = "Nouvelle candidature après modification"
        decision = getattr(e, "decision", "candidature")
        _set_status(db, siret, e, Status.PENDING, reason, decision, approved_under, rate, at)


def evaluated(db: sqlite_utils.Database, siret: str, e: Place.Evaluated) -> None:
    """An evaluation: kept whole, and the place's latest verdict and summary."""
    ev, at = e.evaluation, utc(e.timestamp)
    results = ev.get("results") or []
    missing = dumps(sorted({m for r in results for m in r.get("missing") or ()}))
    row = db.execute("SELECT declaration_seq FROM places WHERE siret = ?", [siret]).fetchone()
    values = [ev.get("criteria_version"), ev.get("verdict"), ev.get("score")]
    values += [ev.get("summary_fr"), ev.get("summary_en"), missing]
    db.execute(
        "INSERT INTO evaluations (siret, seq, at, on_date, criteria_version, verdict, score, "
        "summary_fr, summary_en, missing, trigger, coverage_rate, declaration_seq, results) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [siret, e.originator_version, at, str(ev.get("on")), *values, e.trigger]
        + [ev.get("coverage_rate"), row[0] if row else None, dumps(results)],
    )
    db.execute(
        "UPDATE places SET criteria_version = ?, verdict = ?, score = ?, summary_fr = ?, "
        "summary_en = ?, missing = ?, evaluated_at = ? WHERE siret = ?",
        [*values, at, siret],
    )


def decided(db: sqlite_utils.Database, siret: str, e: Place.Decided) -> None:
    """A status change for a reason, as Place applies it."""
    _, _, approved_under, rate = _current(db, siret)
    at = utc(e.timestamp)
    if isinstance(e, Place.Approved | Place.Renewed):
        status, approved_under, rate = Status.APPROVED, e.criteria_version, e.coverage_rate
    elif isinstance(e, Place.ApprovalWithdrawn):
        status, rate = Status.DECONVENTIONNE, 0.0
    else:
        status = _DECIDED[type(e).__name__]
    _set_status(db, siret, e, status, e.reason, e.decision, approved_under, rate, at)


def touched(db: sqlite_utils.Database, siret: str, at: str) -> None:
    """Count an event of the place."""
    db.execute(
        "UPDATE places SET events = events + 1, last_event_at = ? WHERE siret = ?", [at, siret]
    )


_DECIDED = {
    "Refused": Status.REFUSED,
    "Suspended": Status.SUSPENDED,
    "Withdrawn": Status.WITHDRAWN,
}


def _current(db: sqlite_utils.Database, siret: str) -> tuple[Status, int, str | None, float]:
    row = db.execute(
        "SELECT status, status_seq, approved_under, coverage_rate FROM places WHERE siret = ?",
        [siret],
    ).fetchone()
    return Status(row[0]), int(row[1]), row[2], float(row[3] or 0.0)


def _new_declaration(
    db: sqlite_utils.Database, siret: str, seq: int, at: str, decl: dict[str, Any]
) -> None:
    db.execute(
        "INSERT INTO declarations (siret, seq, valid_from, name, kind, quartier, street, "
        "postcode, city, peasant_share, declaration) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [siret, seq, at, *declared(decl), dumps(decl)],
    )


def _set_status(
    db: sqlite_utils.Database,
    siret: str,
    e: Any,
    status: Status,
    reason: str,
    decision: str,
    approved_under: str | None,
    rate: float,
    at: str,
) -> None:
    fr, en = STATUS_LABELS[status]
    db.execute(
        "UPDATE status_intervals SET valid_to = ? WHERE siret = ? AND seq = "
        "(SELECT status_seq FROM places WHERE siret = ?)",
        [at, siret, siret],
    )
    db.execute(
        "INSERT INTO status_intervals (siret, seq, status, status_fr, status_en, reason, "
        "decision, criteria_version, coverage_rate, valid_from, event) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [siret, e.originator_version, str(status), fr, en, reason, decision, approved_under]
        + [rate, at, type(e).__name__],
    )
    db.execute(
        "UPDATE places SET status = ?, status_fr = ?, status_en = ?, reason = ?, decision = ?, "
        "since = ?, status_seq = ?, approved_under = ?, coverage_rate = ? WHERE siret = ?",
        [str(status), fr, en, reason, decision, at, e.originator_version, approved_under, rate]
        + [siret],
    )
