"""Questions evaluators ask, answered from the read models: the registry as of any moment."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlite_utils

from policies.criteria import CriteriaVersion, in_force
from registry.clock import local_date, paris
from registry.config import Settings
from registry.readmodels.common import utc
from registry.readmodels.runner import catch_up, views_path

# Each place's latest row at a moment: the index on (siret, seq) is walked from the newest row
# back to the first one old enough, rather than every row of the place read to take a MAX.
_LATEST = """
JOIN status_changes s ON s.siret = p.siret AND s.seq =
     (SELECT seq FROM status_changes WHERE siret = p.siret AND valid_from <= :at
      ORDER BY seq DESC LIMIT 1)
JOIN declarations d ON d.siret = p.siret AND d.seq =
     (SELECT seq FROM declarations WHERE siret = p.siret AND valid_from <= :at
      ORDER BY seq DESC LIMIT 1)
"""
_WHERE = """
WHERE p.applied_at <= :at AND (:caisse IS NULL OR p.caisse = :caisse)
  AND (:siret IS NULL OR p.siret = :siret)
  AND (:parts IS NULL OR p.rowid % :parts = :part)
ORDER BY p.applied_at, p.siret
"""

AS_OF_SQL = (
    """
SELECT p.siret, p.caisse, d.name, d.kind, d.quartier, d.street, d.postcode, d.city,
       d.peasant_share, s.status, s.status_fr, s.status_en, s.reason, s.decision,
       s.valid_from AS since, s.criteria_version AS approved_under, s.coverage_rate,
       e.criteria_version AS evaluated_under, e.verdict, e.score, e.summary_fr, e.summary_en,
       e.at AS evaluated_at, e.seq AS evaluation_seq, d.declaration
FROM places p"""
    + _LATEST
    + """LEFT JOIN evaluations e ON e.siret = p.siret AND e.seq =
     (SELECT seq FROM evaluations WHERE siret = p.siret AND at <= :at
      ORDER BY seq DESC LIMIT 1)"""
    + _WHERE
)

# The same places with only what a re-evaluation needs: status and declaration.
DECLARED_AS_OF_SQL = (
    """
SELECT p.siret, p.applied_at, d.name, d.kind, d.quartier, s.status, s.status_fr,
       s.valid_from AS since, s.coverage_rate, d.declaration
FROM places p"""
    + _LATEST
    + _WHERE
)

PLACE_FIELDS = (
    "siret",
    "caisse",
    "name",
    "kind",
    "quartier",
    "postcode",
    "status",
    "status_fr",
    "status_en",
    "reason",
    "decision",
    "since",
    "approved_under",
    "coverage_rate",
)


@contextmanager
def views(settings: Settings, up_to_date: bool = True) -> Iterator[sqlite_utils.Database]:
    """The read models, brought up to date first unless told otherwise; closed after."""
    if up_to_date:
        catch_up(settings)
    conn = sqlite3.connect(views_path(settings))
    try:
        yield sqlite_utils.Database(conn, execute_plugins=False)
    finally:
        conn.close()


def local(moment: str | None) -> str | None:
    """A stored UTC moment shown in Paris time."""
    return paris(datetime.fromisoformat(moment)).isoformat() if moment else None


def rows(db: sqlite_utils.Database, sql: str, params: Any = None) -> list[dict[str, Any]]:
    """Rows of a query as dicts."""
    cursor = db.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def criteria_as_of(db: sqlite_utils.Database, caisse: str, at: datetime) -> dict[str, Any] | None:
    """The criteria version in force at a moment, among those published by then."""
    published = rows(
        db,
        "SELECT version, title, effective_from, published_at, decision, document "
        "FROM criteria_versions WHERE caisse = ? AND published_at <= ? ORDER BY position",
        [caisse, utc(at)],
    )
    versions = [CriteriaVersion.model_validate_json(r["document"]) for r in published]
    current = in_force(versions, local_date(at))
    if current is None:
        return None
    row = next(r for r in published if r["version"] == current.version)
    return {
        "version": current.version,
        "title": current.title,
        "effective_from": current.effective_from.isoformat(),
        "published_at": local(row["published_at"]),
        "decision": row["decision"],
        "threshold": current.threshold,
        "criteria": [c.key for c in current.criteria],
    }


def caisses_as_of(db: sqlite_utils.Database, at: datetime) -> list[str]:
    """The caisses registered by a moment."""
    found = db.execute(
        "SELECT slug FROM caisses WHERE registered_at <= ? ORDER BY registered_at", [utc(at)]
    )
    return [r[0] for r in found.fetchall()]


def places_as_of(
    db: sqlite_utils.Database,
    at: datetime,
    caisse: str | None = None,
    siret: str | None = None,
    evaluations: bool = True,
    part: tuple[int, int] | None = None,
) -> list[dict[str, Any]]:
    """Every place that had applied by a moment, as it stood then (declarations included).

    Without `evaluations`, only the status and the declaration: what a re-evaluation needs.
    With `part` (k, n), only the k-th of n disjoint parts of the places, for n processes.
    """
    sql = AS_OF_SQL if evaluations else DECLARED_AS_OF_SQL
    part_of, parts = part if part is not None else (None, None)
    params = {"at": utc(at), "caisse": caisse, "siret": siret, "part": part_of, "parts": parts}
    return rows(db, sql, params)


def count_as_of(db: sqlite_utils.Database, at: datetime, caisse: str | None = None) -> int:
    """How many places had applied by a moment."""
    return int(
        db.execute(
            "SELECT COUNT(*) FROM places WHERE applied_at <= ? AND (? IS NULL OR caisse = ?)",
            [utc(at), caisse, caisse],
        ).fetchone()[0]
    )


def replay_as_of(
    db: sqlite_utils.Database, at: datetime, caisse: str | None = None
) -> dict[str, Any]:
    """The registry at a moment: criteria in force and every place's status, with reasons."""
    slugs = [c for c in caisses_as_of(db, at) if caisse is None or c == caisse]
    criteria = {slug: criteria_as_of(db, slug, at) for slug in slugs}
    found = [_place(r) for r in places_as_of(db, at, caisse)]
    return {
        "as_of": paris(at).isoformat(),
        "caisses": slugs,
        "criteria": criteria,
        "counts": dict(sorted(Counter(p["status"] for p in found).items())),
        "places": found,
    }


def place_as_of(db: sqlite_utils.Database, siret: str, at: datetime) -> dict[str, Any] | None:
    """One place at a moment, with its declaration and every criterion's result then."""
    for row in places_as_of(db, at, siret=siret):
        place = _place(row)
        place["declaration"] = json.loads(row["declaration"])
        evaluation = rows(
            db,
            "SELECT seq, outcomes, missing FROM evaluations WHERE siret = ? AND at <= ? "
            "ORDER BY seq DESC LIMIT 1",
            [siret, utc(at)],
        )
        if evaluation and place["evaluation"] is not None:
            place["evaluation"]["seq"] = evaluation[0]["seq"]
            place["evaluation"]["outcomes"] = json.loads(evaluation[0]["outcomes"])
            place["missing"] = json.loads(evaluation[0]["missing"])
        return place
    return None


def status(db: sqlite_utils.Database, siret: str) -> dict[str, Any] | None:
    """A place's current status and why, by SIRET."""
    found = rows(db, "SELECT * FROM place_status WHERE siret = ?", [siret])
    return found[0] if found else None


def search_timeline(
    db: sqlite_utils.Database, query: str, limit: int = 50, caisse: str | None = None
) -> list[dict[str, Any]]:
    """Events matching words, best match first; dates in Paris time."""
    if not query.strip():
        return []
    table = db.table("timeline")
    found = table.search(
        query,
        limit=limit,
        quote=True,
        where="caisse = :caisse" if caisse else None,
        where_args={"caisse": caisse} if caisse else None,
    )
    return [{**r, "at": local(r["at"])} for r in found]


def timeline(
    db: sqlite_utils.Database, subject: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """The latest events, optionally about one subject (SIRET, version…); newest first."""
    found = rows(
        db,
        "SELECT * FROM timeline WHERE (:subject IS NULL OR subject = :subject) "
        "ORDER BY seq DESC LIMIT :limit",
        {"subject": subject, "limit": limit},
    )
    return [{**r, "at": local(r["at"])} for r in found]


def _place(row: dict[str, Any]) -> dict[str, Any]:
    place = {k: row[k] for k in PLACE_FIELDS}
    place["since"] = local(row["since"])
    place["evaluation"] = (
        {
            "criteria_version": row["evaluated_under"],
            "verdict": row["verdict"],
            "score": row["score"],
            "summary_fr": row["summary_fr"],
            "summary_en": row["summary_en"],
            "at": local(row["evaluated_at"]),
        }
        if row["evaluated_under"]
        else None
    )
    return place
