"""Members' pseudonyms, for the keys that stand for them in the read models.

The read models never hold a pseudonym (they are published as they are). A page that names
members looks up, once per process, the first event of each member it shows: a key always
stands for the same pseudonym, since the member's id is made from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

import sqlite_utils
from flask import current_app

from web import store

KEY = "ssa_pseudonyms"
# Keys looked up per query: well under SQLite's limit on parameters.
CHUNK = 500


def names(db: sqlite_utils.Database, keys: Iterable[str | None]) -> dict[str, str]:
    """The pseudonym of each member key among `keys` (other keys are left out)."""
    known: dict[str, str] = current_app.extensions.setdefault(KEY, {})
    wanted = {k for k in keys if k}
    missing = sorted(k for k in wanted if k not in known)
    if missing:
        events = store.registry().repository.event_store
        for start in range(0, len(missing), CHUNK):
            chunk = missing[start : start + CHUNK]
            marks = ", ".join("?" * len(chunk))
            found = db.execute(
                "SELECT subject, aggregate_id FROM aggregates "  # noqa: S608
                f"WHERE aggregate = 'member' AND subject IN ({marks})",
                chunk,
            ).fetchall()
            for key, aggregate_id in found:
                first = next(iter(events.get(UUID(aggregate_id), limit=1)), None)
                pseudonym = getattr(first, "pseudonym", None)
                if isinstance(pseudonym, str):
                    known[key] = pseudonym
    return {k: known[k] for k in wanted if k in known}
