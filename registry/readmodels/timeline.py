"""The timeline of every event, read by page: filters and full-text search done in SQL."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlite_utils

from registry.clock import PARIS
from registry.errors import RegistryError
from registry.readmodels import errors as _errors  # noqa: F401  (registers the messages)
from registry.readmodels.common import actor_key, utc
from registry.readmodels.queries import local

# What each category of the history holds, by the timeline's `aggregate` column.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "lieux": ("place",),
    "criteres": ("criteria", "caisse"),
    "gouvernance": ("member", "charter", "proposal"),
    "autres": (),
}
_KNOWN = tuple(a for kinds in CATEGORIES.values() for a in kinds)
_CATEGORY_SQL = (
    "CASE "
    + " ".join(
        f"WHEN t.aggregate IN ({', '.join(repr(a) for a in kinds)}) THEN '{name}'"
        for name, kinds in CATEGORIES.items()
        if kinds
    )
    + " ELSE 'autres' END"
)
COLUMNS = (
    "t.seq, t.at, t.caisse, t.aggregate, t.aggregate_id, t.version, t.subject, t.label, t.event, "
    "t.title_fr, t.title_en, t.detail_fr, t.detail_en, t.actor, t.role, t.decision, "
    f"{_CATEGORY_SQL} AS category"
)


@dataclass(frozen=True)
class Filters:
    """What the history is narrowed to; every part optional."""

    caisse: str | None = None
    category: str | None = None
    start: date | None = None
    end: date | None = None
    words: str = ""
    # Member keys: their own events and what they did.
    people: tuple[str, ...] = ()


@dataclass
class Page:
    """One page of events, newest first, and how many match in all."""

    events: list[dict[str, Any]]
    total: int
    page: int
    pages: int
    members: set[str] = field(default_factory=set)


def match_query(words: str) -> str:
    """Words as a full-text query that cannot be misread: each word quoted, all required.

    `"`, `*`, `-`, `OR`, `NEAR`, parentheses… are then plain text to look for.
    """
    return " ".join('"' + w.replace('"', '""') + '"' for w in words.split())


def with_members(db: sqlite_utils.Database, filters: Filters, caisses: list[str]) -> Filters:
    """The filters with each word that is a member's pseudonym (in one of `caisses`) taken
    as that member: the read models know members by key only, never by pseudonym."""
    words: list[str] = []
    people: list[str] = []
    for word in filters.words.split():
        keys = [k for k in (actor_key(word, "membre", c) for c in caisses) if k]
        marks = ", ".join("?" * len(keys))
        sql = f"SELECT subject FROM aggregates WHERE aggregate = 'member' AND subject IN ({marks})"  # noqa: S608
        found = db.execute(sql, keys).fetchall() if keys else []
        people.extend(str(r[0]) for r in found)
        if not found:
            words.append(word)
    if not people:
        return filters
    return replace(filters, words=" ".join(words), people=tuple(people))


def _where(filters: Filters) -> tuple[str, dict[str, Any]]:
    parts: list[str] = []
    params: dict[str, Any] = {}
    if filters.caisse is not None:
        # Events of no caisse (none today) belong to every caisse's history.
        parts.append("(t.caisse = :caisse OR t.caisse IS NULL OR t.caisse = '')")
        params["caisse"] = filters.caisse
    if filters.category in CATEGORIES:
        kinds = CATEGORIES[filters.category] if filters.category != "autres" else _KNOWN
        names = [f":k{n}" for n in range(len(kinds))]
        params.update({f"k{n}": k for n, k in enumerate(kinds)})
        negate = "NOT " if filters.category == "autres" else ""
        parts.append(f"t.aggregate {negate}IN ({', '.join(names)})")
    if filters.start is not None:
        parts.append("t.at >= :start")
        params["start"] = _midnight(filters.start)
    if filters.end is not None:
        parts.append("t.at < :end")
        params["end"] = _midnight(filters.end + timedelta(days=1))
    if filters.people:
        names = [f":m{n}" for n in range(len(filters.people))]
        params.update({f"m{n}": k for n, k in enumerate(filters.people)})
        marks = ", ".join(names)
        parts.append(
            f"(t.actor IN ({marks}) OR (t.aggregate = 'member' AND t.subject IN ({marks})))"
        )
    if filters.words.strip():
        parts.append("t.seq IN (SELECT rowid FROM timeline_fts WHERE timeline_fts MATCH :match)")
        params["match"] = match_query(filters.words)
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def _midnight(day: date) -> str:
    """The start of a day in Paris, as the timeline stores moments (UTC)."""
    return utc(datetime.combine(day, time(), PARIS))


def page(db: sqlite_utils.Database, filters: Filters, number: int, size: int) -> Page:
    """A page of matching events, newest first; a page past the last gives the last.

    A search the full-text index cannot read is a RegistryError `bad_search`.
    """
    where, params = _where(filters)
    try:
        total = int(db.execute(f"SELECT COUNT(*) FROM timeline t{where}", params).fetchone()[0])  # noqa: S608
        pages = max(1, -(-total // size))
        number = min(max(1, number), pages)
        cursor = db.execute(
            f"SELECT {COLUMNS} FROM timeline t{where} ORDER BY t.seq DESC "  # noqa: S608
            "LIMIT :limit OFFSET :offset",
            {**params, "limit": size, "offset": (number - 1) * size},
        )
    except sqlite3.OperationalError as exc:
        if "match" not in params:
            raise
        raise RegistryError("bad_search", words=filters.words) from exc
    names = [d[0] for d in cursor.description]
    events = [entry(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
    members = {e["actor"] for e in events if _is_member_key(e["actor"])}
    members |= {e["member"] for e in events if e.get("member")}
    return Page(events, total, number, pages, members)


def entry(row: dict[str, Any]) -> dict[str, Any]:
    """A timeline row as the history shows it: its number, what it is about, in plain words.

    A member's events name them by key (`member`); the caller may put a name on it.
    """
    aggregate = row["aggregate"]
    found: dict[str, Any] = {
        "number": row["seq"],
        "event": row["event"],
        "version": row["version"],
        "at": local(row["at"]),
        "caisse": row["caisse"] or "",
        "category": row["category"],
        "actor": row["actor"],
        "role": row["role"],
        "title_fr": row["title_fr"],
        "title_en": row["title_en"],
        "detail_fr": row["detail_fr"] or "",
        "detail_en": row["detail_en"] or "",
        "decision": row["decision"],
        "siret": None,
        "subject_name": None,
    }
    if aggregate == "place":
        found.update(siret=row["subject"], subject_name=row["label"])
    elif aggregate == "proposal":
        found.update(proposal=row["aggregate_id"], subject_name=row["label"])
    elif aggregate == "caisse":
        found["subject_name"] = row["label"]
    elif aggregate == "criteria":
        found["subject_name"] = f"critères {row['caisse']}"
    elif aggregate == "member":
        found.update(member=row["subject"], subject_name=row["subject"])
    return found


def _is_member_key(actor: str | None) -> bool:
    return bool(actor) and str(actor).startswith("m-")
