"""Exports: every read model in CSV and JSON, the event log, a Datasette-ready SQLite file.

An export is written to a hidden folder beside the target and renamed only when complete, so
a half-written export never looks like a finished one.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import sqlite_utils

from registry.application import Registry
from registry.clock import local_date
from registry.config import Settings
from registry.errors import RegistryError
from registry.readmodels.columns import Table, View
from registry.readmodels.common import PUBLIC_ACTOR_ROLES, actor_key, pseudonymise, utc
from registry.readmodels.dictionary import APPROVED_COLUMNS, datasette_metadata, markdown
from registry.readmodels.governance import pseudonymise_tally
from registry.readmodels.indicators import indicators
from registry.readmodels.queries import local, places_as_of, views
from registry.readmodels.runner import views_path
from registry.readmodels.schema import TABLES, VIEWS


def export(settings: Settings, target: Path, at: datetime, caisse: str | None = None) -> Path:
    """Write a complete export to `target`, which must not exist or be empty.

    With `caisse`, every table, view, event, indicator and the approved list hold only that
    caisse's rows.
    """
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise RegistryError("export_exists", path=str(target))
    if caisse is not None:
        _check_caisse(settings, caisse)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as exc:
        raise RegistryError("export_not_writable", path=str(target), details=exc.strerror) from None
    try:
        with views(settings) as db:
            _tables(db, work, caisse)
            _approved(db, work, at, caisse)
            _write_json(work / "indicateurs.json", indicators(db, at, caisse))
            caisses = {
                r[0]: r[1] for r in db.execute("SELECT aggregate_id, caisse FROM aggregates")
            }
        _standalone(views_path(settings), work / "registre.sqlite3")
        if caisse is not None:
            _only(work / "registre.sqlite3", caisse)
        _write_json(work / "metadata.json", datasette_metadata())
        (work / "dictionnaire.md").write_text(markdown(), encoding="utf-8")
        _events(settings, work / "events.jsonl", caisses, caisse)
        if target.exists():
            target.rmdir()
        os.replace(work, target)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise RegistryError("export_not_writable", path=str(target), details=exc.strerror) from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def approved_filename(at: datetime) -> str:
    """The plain list's file name for a date."""
    return f"conventionnes-{local_date(at).isoformat()}.csv"


def _check_caisse(settings: Settings, caisse: str) -> None:
    """Refuse a caisse the registry does not hold."""
    with views(settings) as db:
        slugs = [r[0] for r in db.execute("SELECT slug FROM caisses ORDER BY registered_at")]
    if caisse not in slugs:
        raise RegistryError("unknown_caisse", caisse=caisse, known=", ".join(slugs) or "aucune")


def caisse_condition(name: str, columns: Iterable[str]) -> str:
    """The SQL condition keeping one caisse's rows (`:caisse`) of a read-model table or view.

    A row belongs to a caisse through its own caisse column, or through its place's SIRET.
    """
    names = set(columns)
    if name == "caisses":
        return "slug = :caisse"
    if "caisse" in names:
        return "caisse = :caisse"
    if "siret" in names:
        return "siret IN (SELECT siret FROM places WHERE caisse = :caisse)"
    raise ValueError(f"the read model {name} has no link to a caisse")


def _selections() -> list[tuple[str, str]]:
    """Every table and view, with the condition keeping one caisse's rows."""
    models: list[Table | View] = [*TABLES, *VIEWS]
    return [(m.name, caisse_condition(m.name, (c.name for c in m.columns))) for m in models]


def _tables(db: sqlite_utils.Database, work: Path, caisse: str | None) -> None:
    (work / "csv").mkdir()
    (work / "json").mkdir()
    for name, condition in _selections():
        if caisse is None:
            cursor = db.execute(f'SELECT * FROM "{name}"')  # noqa: S608
        else:
            sql = f'SELECT * FROM "{name}" WHERE {condition}'  # noqa: S608
            cursor = db.execute(sql, {"caisse": caisse})
        columns = [d[0] for d in cursor.description]
        with (
            open(work / "csv" / f"{name}.csv", "w", encoding="utf-8", newline="") as csv_file,
            open(work / "json" / f"{name}.json", "w", encoding="utf-8") as json_file,
        ):
            writer = csv.writer(csv_file)
            writer.writerow(columns)
            json_file.write("[")
            for n, row in enumerate(_fetch(cursor)):
                writer.writerow(row)
                json_file.write(",\n" if n else "\n")
                json_file.write(
                    json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False)
                )
            json_file.write("\n]\n")


def _approved(db: sqlite_utils.Database, work: Path, at: datetime, caisse: str | None) -> None:
    with open(work / approved_filename(at), "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([c[0] for c in APPROVED_COLUMNS])
        for p in places_as_of(db, at, caisse):
            if p["status"] != "conventionne":
                continue
            writer.writerow(
                [
                    p["siret"],
                    p["name"],
                    p["kind"],
                    p["street"],
                    p["postcode"],
                    p["city"],
                    p["quartier"],
                    f"{p['coverage_rate']:g}",
                    p["approved_under"],
                    p["caisse"],
                    local(p["since"]),
                ]
            )


def _standalone(source: Path, destination: Path) -> None:
    """A copy of the views without the tracking table, views made tables, for Datasette."""
    origin = sqlite3.connect(source)
    copy = sqlite3.connect(destination)
    try:
        origin.backup(copy)
        copy.execute("DROP TABLE IF EXISTS tracking")
        for view in VIEWS:
            copy.execute(f'CREATE TABLE "_{view.name}" AS SELECT * FROM "{view.name}"')
            copy.execute(f'DROP VIEW "{view.name}"')
            copy.execute(f'ALTER TABLE "_{view.name}" RENAME TO "{view.name}"')
        copy.commit()
        copy.execute("PRAGMA journal_mode=DELETE")
        copy.execute("VACUUM")
    finally:
        copy.close()
        origin.close()


def _only(database: Path, caisse: str) -> None:
    """Delete the other caisses' rows from a standalone copy, rebuild the timeline's full-text
    index from what is left, and compact the file so nothing deleted stays in it."""
    conn = sqlite3.connect(database)
    try:
        for name, condition in _selections():
            conn.execute(
                f'DELETE FROM "{name}" WHERE ({condition}) IS NOT 1',  # noqa: S608
                {"caisse": caisse},
            )
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'timeline_fts'").fetchone():
            conn.execute("INSERT INTO timeline_fts (timeline_fts) VALUES ('rebuild')")
        conn.commit()
        conn.execute("VACUUM")
    finally:
        conn.close()


def _events(
    settings: Settings, path: Path, caisses: dict[str, str], only: str | None = None
) -> None:
    app = Registry(env=settings.event_store_env())
    try:
        with open(path, "w", encoding="utf-8") as out:
            start = 1
            while batch := app.recorder.select_notifications(start, 1000):
                for notification in batch:
                    event = app.mapper.to_domain_event(notification)
                    data = dict(vars(event))
                    caisse = caisses.get(str(event.originator_id))
                    if only is not None and caisse != only:
                        continue
                    record = {
                        "seq": notification.id,
                        "aggregate_id": str(data.pop("originator_id")),
                        "version": data.pop("originator_version"),
                        "topic": notification.topic,
                        "event": type(event).__name__,
                        "at": utc(data.pop("timestamp")),
                        "data": _pseudonymised(data, event, caisse),
                    }
                    out.write(json.dumps(record, ensure_ascii=False, default=_plain) + "\n")
                start = batch[-1].id + 1
    finally:
        app.close()


def _pseudonymised(data: dict[str, Any], event: Any, caisse: str | None) -> dict[str, Any]:
    """An event's data with every member's pseudonym replaced by their key."""
    if data.get("actor") and data.get("role") not in PUBLIC_ACTOR_ROLES:
        data["actor"] = actor_key(data["actor"], data.get("role"), caisse)
    if "pseudonym" in data:
        data["pseudonym"] = pseudonymise(event.originator_id)
    if isinstance(data.get("electorate"), list):
        data["electorate"] = [actor_key(m, "membre", caisse) for m in data["electorate"]]
    if "tally" in data:
        data["tally"] = pseudonymise_tally(data["tally"], caisse)
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc(value)
    if isinstance(value, date | UUID):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def _fetch(cursor: sqlite3.Cursor) -> Iterator[tuple[Any, ...]]:
    while chunk := cursor.fetchmany(2000):
        yield from chunk


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
