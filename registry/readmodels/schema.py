"""Every read-model table and view, created with sqlite-utils: the data dictionary's source."""

from __future__ import annotations

import sqlite_utils

from registry.readmodels.columns import (
    CAISSE,
    DECLARED,
    SIRET,
    STATUS,
    UTC_EN,
    UTC_FR,
    Column,
    Table,
    View,
    col,
)
from registry.readmodels.tables import PLACE_TABLES
from registry.readmodels.tables_governance import GOVERNANCE_TABLES

TABLES: tuple[Table, ...] = PLACE_TABLES + GOVERNANCE_TABLES
BY_NAME = {t.name: t for t in TABLES}
FTS_COLUMNS = BY_NAME["timeline"].search


def _columns(table: str, *names: str) -> tuple[Column, ...]:
    found = {c.name: c for c in BY_NAME[table].columns}
    return tuple(found[n] for n in names)


_CHANGE = _columns("status_changes", "criteria_version", "coverage_rate", "valid_from", "event")
_EVALUATED = _columns(
    "evaluations", "verdict", "score", "summary_fr", "summary_en", "missing", "outcomes"
)

VIEWS: tuple[View, ...] = (
    View(
        "status_intervals",
        "L'historique des statuts en intervalles : de quand à quand chaque lieu a eu quel "
        "statut, et pourquoi.",
        "Status history as intervals: from when to when each place had which status, and why.",
        (
            SIRET,
            col("seq", int, "Numéro de l'événement qui ouvre l'intervalle", "Opening event"),
            *STATUS,
            *_CHANGE[:3],
            col(
                "valid_to",
                str,
                f"Fin {UTC_FR}, vide si toujours en cours",
                f"To {UTC_EN}, empty while current",
            ),
            _CHANGE[3],
        ),
        """
        SELECT siret, seq, status, status_fr, status_en, reason, decision, criteria_version,
               coverage_rate, valid_from,
               LEAD(valid_from) OVER (PARTITION BY siret ORDER BY seq) AS valid_to, event
        FROM status_changes
        """,
    ),
    View(
        "place_status",
        "Chaque lieu, son statut actuel et pourquoi, et sa dernière évaluation.",
        "Every place, its current status and why, and its latest evaluation.",
        (
            SIRET,
            CAISSE,
            *DECLARED,
            *STATUS,
            col("since", str, f"Statut depuis {UTC_FR}", f"Status since {UTC_EN}"),
            col(
                "approved_under",
                str,
                "Version de critères du dernier conventionnement",
                "Criteria version of the latest approval",
            ),
            _CHANGE[1],
            col(
                "criteria_version",
                str,
                "Version de critères de la dernière évaluation",
                "Criteria version of the latest evaluation",
            ),
            *_EVALUATED,
            col("evaluated_at", str, f"Dernière évaluation {UTC_FR}", f"Evaluated {UTC_EN}"),
        ),
        """
        SELECT p.siret, p.caisse, p.name, p.kind, p.quartier, p.street, p.postcode, p.city,
               p.peasant_share, s.status, s.status_fr, s.status_en, s.reason, s.decision,
               s.valid_from AS since, s.criteria_version AS approved_under, s.coverage_rate,
               e.criteria_version, e.verdict, e.score, e.summary_fr, e.summary_en, e.missing,
               e.outcomes, e.at AS evaluated_at
        FROM places p
        JOIN status_changes s ON s.siret = p.siret
             AND s.seq = (SELECT MAX(seq) FROM status_changes WHERE siret = p.siret)
        LEFT JOIN evaluations e ON e.siret = p.siret
             AND e.seq = (SELECT MAX(seq) FROM evaluations WHERE siret = p.siret)
        """,
    ),
)


# The directory's order, places without a quartier last; an index on the same expressions
# gives its pages without sorting.
QUARTIER_ORDER = "COALESCE(p.quartier, '') = '', lower(p.quartier), p.sort_name, p.siret"
EXPRESSION_INDEXES = (
    "CREATE INDEX IF NOT EXISTS idx_places_directory ON places (caisse, status, "
    "COALESCE(quartier, '') = '', lower(quartier), sort_name, siret)",
    "CREATE INDEX IF NOT EXISTS idx_places_directory_all ON places (status, "
    "COALESCE(quartier, '') = '', lower(quartier), sort_name, siret)",
)


def create_all(db: sqlite_utils.Database) -> None:
    """Create every missing table, index, full-text index and view."""
    for table in TABLES:
        if db[table.name].exists():
            _add_columns(db, table)
            continue
        db[table.name].create(  # type: ignore[union-attr]
            {c.name: c.type for c in table.columns},
            pk=table.pk[0] if len(table.pk) == 1 else table.pk,
        )
        for columns in table.indexes:
            db[table.name].create_index(columns)  # type: ignore[union-attr]
        if table.search:
            db[table.name].enable_fts(table.search)  # type: ignore[union-attr]
    for view in VIEWS:
        db.create_view(view.name, " ".join(view.sql.split()), ignore=True)
    for sql in EXPRESSION_INDEXES:
        db.execute(sql)


# Columns added to a table after views files were first written, and how to fill them from
# the other tables, so that such a file needs no rebuild.
BACKFILL: dict[str, dict[str, str]] = {
    "places": {
        "status_seq": "(SELECT MAX(seq) FROM status_changes s WHERE s.siret = places.siret)",
        "status": "(SELECT status FROM status_changes s WHERE s.siret = places.siret "
        "ORDER BY seq DESC LIMIT 1)",
    },
}


def _add_columns(db: sqlite_utils.Database, table: Table) -> None:
    """Add the columns a table gained since the file was written, filled in, and its indexes."""
    existing = {c.name for c in db[table.name].columns}
    missing = [c for c in table.columns if c.name not in existing]
    fill = BACKFILL.get(table.name, {})
    for column in missing:
        db[table.name].add_column(column.name, column.type)  # type: ignore[union-attr]
        if column.name in fill:
            db.execute(f"UPDATE {table.name} SET {column.name} = {fill[column.name]}")  # noqa: S608
    if table.name == "places" and "sort_name" in {c.name for c in missing}:
        for siret, name in db.execute("SELECT siret, name FROM places").fetchall():
            db.execute(
                "UPDATE places SET sort_name = ? WHERE siret = ?",
                [str(name or "").casefold(), siret],
            )
    for columns in table.indexes:
        db[table.name].create_index(columns, if_not_exists=True)  # type: ignore[union-attr]
    if db.conn.in_transaction:
        db.conn.commit()
