"""Helpers shared by the projection's handlers: moments, JSON, pseudonyms, aggregate lookups."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from uuid import UUID

from registry.governance.ids import member_id

if TYPE_CHECKING:
    from registry.readmodels.view import ReadModelView

# Roles whose actor ids are people's pseudonyms: replaced by a stable key in every read model.
PUBLIC_ACTOR_ROLES = frozenset({"lieu", "systeme"})


def utc(moment: datetime) -> str:
    """A moment as a sortable UTC ISO 8601 string, always with microseconds."""
    global _last
    last = _last  # read once: another thread may replace it
    if last[0] is moment:
        return last[1]
    if moment.tzinfo is UTC:
        text = _UTC_FORMAT % (
            moment.year,
            moment.month,
            moment.day,
            moment.hour,
            moment.minute,
            moment.second,
            moment.microsecond,
        )
    else:
        text = moment.astimezone(UTC).isoformat(timespec="microseconds")
    _last = (moment, text)
    return text


# What isoformat(timespec="microseconds") gives for a moment in UTC, without its overhead.
_UTC_FORMAT = "%04d-%02d-%02dT%02d:%02d:%02d.%06d+00:00"
# The last moment converted (and kept alive): an event's rows convert the same one again.
_last: tuple[datetime | None, str] = (None, "")


_SORTED = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
_ORDERED = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(value: Any) -> str:
    """Compact, stable JSON (an encoder made once, not one per call)."""
    return _SORTED.encode(value)


def compact(value: Any) -> str:
    """Compact JSON, keys in their order."""
    return _ORDERED.encode(value)


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

    # Entries kept between batches at most; within a batch the cache holds unwritten rows.
    limit = 200_000

    def __init__(self, view: ReadModelView) -> None:
        self.view = view
        self._cache: dict[UUID, Subject] = {}
        view.on_rollback.append(self.forget)
        view.on_commit.append(self._trim)

    def add(self, aggregate_id: UUID, subject: Subject, at: str) -> Subject:
        """Record a new aggregate."""
        key = str(aggregate_id)
        subject = replace(subject, id=key)
        self.view.execute(
            "INSERT INTO aggregates (aggregate_id, aggregate, caisse, subject, label, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [key, subject.aggregate, subject.caisse, subject.subject, subject.label, at],
        )
        self._cache[aggregate_id] = subject
        return subject

    def get(self, aggregate_id: UUID) -> Subject:
        """What an aggregate is about; an unknown id gives an empty subject."""
        found = self._cache.get(aggregate_id)
        if found is not None:
            return found
        row = self.view.query(
            "SELECT aggregate, caisse, subject, label FROM aggregates WHERE aggregate_id = ?",
            [str(aggregate_id)],
        )
        if not row:
            return Subject("", None, None)
        subject = Subject(row[0], row[1], row[2], row[3], str(aggregate_id))
        self._cache[aggregate_id] = subject
        return subject

    def relabel(self, aggregate_id: UUID, subject: Subject, label: str) -> Subject:
        """A new name or title for an aggregate."""
        self.view.execute(
            "UPDATE aggregates SET label = ? WHERE aggregate_id = ?", [label, str(aggregate_id)]
        )
        renamed = replace(subject, label=label)
        self._cache[aggregate_id] = renamed
        return renamed

    def forget(self) -> None:
        """Drop the cache (after a rolled-back transaction)."""
        self._cache.clear()

    def _trim(self) -> None:
        # Only between batches: within one, the cache holds rows not yet written.
        if len(self._cache) > self.limit:
            self._cache.clear()
