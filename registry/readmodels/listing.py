"""Places as pages and the API list them: filtered, searched, sorted and paged in SQL."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from registry.application import Registry
from registry.declaration import field_label
from registry.ids import place_id
from registry.readmodels.queries import local, rows
from registry.readmodels.schema import QUARTIER_ORDER

_COLUMNS = """
SELECT p.siret, p.name, p.kind, p.caisse, p.quartier, p.postcode, s.status, s.status_fr,
       s.status_en, s.reason, s.decision, s.valid_from AS since,
       s.criteria_version AS approved_under, s.coverage_rate{extra}
FROM places p JOIN status_changes s ON s.siret = p.siret AND s.seq = p.status_seq{join}
"""
_DECLARATION = (
    ", d.declaration",
    " JOIN declarations d ON d.siret = p.siret AND d.seq = p.declaration_seq",
)
ORDERS = {
    "applied": "p.rowid",
    "name": "p.sort_name, p.siret",
    "quartier": QUARTIER_ORDER,
}


@dataclass(frozen=True)
class PlaceFilter:
    """Which places a list shows; empty values do not filter."""

    caisse: str | None = None
    status: str = ""
    kind: str = ""
    quartier: str = ""
    q: str = ""

    def where(self) -> tuple[str, dict[str, Any]]:
        """The WHERE clause and its parameters."""
        clauses, params = [], {}
        for name in ("caisse", "status", "kind", "quartier"):
            value = getattr(self, name)
            if value:
                clauses.append(f"p.{name} = :{name}")
                params[name] = value
        words = self.q.strip().casefold()
        if words:
            escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append("p.sort_name LIKE :q ESCAPE '\\'")
            params["q"] = f"%{escaped}%"
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def count(db: sqlite_utils.Database, found: PlaceFilter) -> int:
    """How many places the filter keeps."""
    where, params = found.where()
    return int(db.execute(f"SELECT COUNT(*) FROM places p{where}", params).fetchone()[0])  # noqa: S608


def places(
    db: sqlite_utils.Database,
    found: PlaceFilter,
    order: str = "name",
    limit: int | None = None,
    offset: int = 0,
    declarations: bool = False,
) -> list[dict[str, Any]]:
    """The places the filter keeps, in `order` (of application, by name, or by quartier then
    name), paged.

    Each as the registry's place view (the API's keys); with `declarations`, its current
    declaration too.
    """
    extra, join = _DECLARATION if declarations else ("", "")
    where, params = found.where()
    sql = _COLUMNS.format(extra=extra, join=join) + where + f" ORDER BY {ORDERS[order]}"
    if limit is not None:
        sql += " LIMIT :limit OFFSET :offset"
        params.update(limit=limit, offset=max(offset, 0))
    shown = rows(db, sql, params)
    for row in shown:
        row["since"] = local(row["since"])
        if declarations:
            row["declaration"] = json.loads(row["declaration"])
    return shown


def place(db: sqlite_utils.Database, siret: str) -> dict[str, Any] | None:
    """One place's view, with its declaration, or None."""
    sql = _COLUMNS.format(extra=_DECLARATION[0], join=_DECLARATION[1]) + " WHERE p.siret = ?"
    found = rows(db, sql, [siret])
    if not found:
        return None
    row = found[0]
    row["since"] = local(row["since"])
    row["declaration"] = json.loads(row["declaration"])
    return row


def counts(db: sqlite_utils.Database) -> dict[str, Any]:
    """Places per caisse and per status, for the home page."""
    found = db.execute("SELECT caisse, status, COUNT(*) FROM places GROUP BY caisse, status")
    by_caisse: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for caisse, status, n in found.fetchall():
        by_caisse[caisse] = by_caisse.get(caisse, 0) + n
        by_status[status] = by_status.get(status, 0) + n
    return {"total": sum(by_caisse.values()), "by_caisse": by_caisse, "by_status": by_status}


def caisses(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every caisse, in registration order, quartiers as a list."""
    found = rows(
        db, "SELECT slug, name, area, quartiers FROM caisses ORDER BY registered_at, rowid"
    )
    for row in found:
        row["quartiers"] = json.loads(row["quartiers"] or "[]")
    return found


def caisse_of(db: sqlite_utils.Database, sirets: list[str]) -> str | None:
    """The caisse of the first of these places that is registered."""
    for siret in sirets:
        found = db.execute("SELECT caisse FROM places WHERE siret = ?", [siret]).fetchone()
        if found is not None:
            return str(found[0])
    return None


def detail(db: sqlite_utils.Database, app: Registry, siret: str) -> dict[str, Any] | None:
    """One place in detail, as the registry's detailed place view: its status and declaration
    from the read models, each criterion's result and explanation from the one evaluation
    event they name."""
    found = place(db, siret)
    if found is None:
        return None
    seq = db.execute("SELECT MAX(seq) FROM evaluations WHERE siret = ?", [siret]).fetchone()[0]
    evaluation: dict[str, Any] | None = None
    if seq is not None:
        for event in app.repository.event_store.get(place_id(siret), gt=seq - 1, lte=seq):
            evaluation = getattr(event, "evaluation", None)
    found["evaluation"] = evaluation
    found["missing"] = sorted(
        {m for r in (evaluation or {}).get("results", []) for m in r.get("missing", [])}
    )
    found["missing_fr"] = [field_label(m) for m in found["missing"]]
    return found
