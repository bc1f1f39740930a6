"""Helpers shared by the projection's handlers: moments, JSON, pseudonyms, aggregate lookups."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

import sqlite_utils

from registry.governance.ids import member_id

# Roles whose actor ids are people's pseudonyms: replaced by a stable key in every read model.
PUBLIC_ACTOR_ROLES = frozenset({"lieu", "systeme"})


@lru_cache(maxsize=64)
def utc(moment: datetime) -> str:
    """A moment as a sortable UTC ISO 8601 string, always with microseconds."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def dumps(value: Any) -> str:
    """Compact, stable JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def pseudonymise(aggregate_id: UUID) -> str:
    """The stable key that stands for a member in the read models and exports."""
    return "m-" + hashlib.sha256(f"ssa-membre:{aggregate_id}".encode()).hexdigest()[:12]


def actor_key(actor: str | None, role: str | None, caisse: str | None) -> str | None:
    """An event's actor as shown in the read models: places and the registry by name."""
    if not actor or (role in PUBLIC_ACTOR_ROLES):
        return actor
    return _member_key(caisse or "", actor)


@lru_cache(maxsize=65_536)
def _member_key(caisse: str, pseudonym: str) -> str:
    return pseudonymise(member_id(caisse, pseudonym))


@dataclass(frozen=True)
class Subject:
    """What an event is about, for the timeline."""

    aggregate: str
    caisse: str | None
    subject: str | None
    label: str | None = None
    id: str | None = None


class Aggregates:
    """The `aggregates` table, with a cache: what each aggregate id is about."""

    def __init__(self) -> None:
        self._cache: dict[UUID, Subject] = {}

    def add(
        self, db: sqlite_utils.Database, aggregate_id: UUID, subject: Subject, at: str
    ) -> Subject:
        """Record a new aggregate."""
        subject = replace(subject, id=str(aggregate_id))
        db.execute(
            "INSERT INTO aggregates (aggregate_id, aggregate, caisse, subject, label, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [str(aggregate_id), subject.aggregate, subject.caisse, subject.subject]
            + [subject.label, at],
        )
        self._remember(aggregate_id, subject)
        return subject

    def get(self, db: sqlite_utils.Database, aggregate_id: UUID) -> Subject:
        """What an aggregate is about; an unknown id gives an empty subject."""
        found = self._cache.get(aggregate_id)
        if found is not None:
            return found
        row = db.execute(
            "SELECT aggregate, caisse, subject, label FROM aggregates WHERE aggregate_id = ?",
            [str(aggregate_id)],
        ).fetchone()
        subject = (
            Subject(row[0], row[1], row[2], row[3], str(aggregate_id))
            if row
            else Subject("", None, None)
        )
        if row:
            self._remember(aggregate_id, subject)
        return subject

    def relabel(
        self, db: sqlite_utils.Database, aggregate_id: UUID, subject: Subject, label: str
    ) -> Subject:
        """A new name or title for an aggregate."""
        db.execute(
            "UPDATE aggregates SET label = ? WHERE aggregate_id = ?", [label, str(aggregate_id)]
        )
        renamed = replace(subject, label=label)
        self._remember(aggregate_id, renamed)
        return renamed

    def forget(self) -> None:
        """Drop the cache (after a rolled-back transaction)."""
        self._cache.clear()

    def _remember(self, aggregate_id: UUID, subject: Subject) -> None:
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[aggregate_id] = subject
