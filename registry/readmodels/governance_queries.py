"""Proposals and members by page, from the read models: what the lists show, in SQL.

Members appear by key; the caller puts pseudonyms on the keys it shows (`member_keys`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from registry.governance.charter import KIND_LABELS, Kind
from registry.governance.proposals import STATE_LABELS, State
from registry.governance.rules import MODE_LABELS, OUTCOME_LABELS, Mode, Outcome
from registry.readmodels.queries import local, rows
from registry.roles import ROLE_LABELS, Role


@dataclass
class Listing:
    """One page of a list, how many items in all, and the member keys it names."""

    items: list[dict[str, Any]]
    total: int
    page: int
    pages: int
    member_keys: set[str] = field(default_factory=set)


def _bounds(total: int, number: int, size: int | None) -> tuple[int, int, int, int]:
    """Page number, page count, LIMIT and OFFSET; no size is every item on one page."""
    if size is None:
        return 1, 1, -1, 0
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    return number, pages, size, (number - 1) * size


PROPOSALS_SQL = """
SELECT p.proposal, p.caisse, p.kind, p.title, p.mode, p.ballot, p.state, p.opened_at,
       p.deadline, p.closed_at, p.amendments, p.outcome, p.winner, p.tally,
       p.explanation_fr, p.explanation_en,
       (SELECT o.actor FROM timeline o WHERE o.subject = p.proposal
          AND o.event = 'ProposalOpened' LIMIT 1) AS proposer,
       (SELECT w.detail_fr FROM timeline w WHERE w.subject = p.proposal
          AND w.event = 'ProposalWithdrawn' LIMIT 1) AS grounds
FROM proposals p
WHERE (:caisse IS NULL OR p.caisse = :caisse)
ORDER BY p.state != 'open', p.opened_at DESC, p.proposal
LIMIT :limit OFFSET :offset
"""


def proposals(
    db: sqlite_utils.Database, caisse: str | None, number: int = 1, size: int | None = None
) -> Listing:
    """Proposals (of one caisse if given), open ones first, newest first within each group.

    Open ones carry no tally here: it depends on today's electorate (see `provisional`).
    """
    total = int(
        db.execute(
            "SELECT COUNT(*) FROM proposals WHERE (:caisse IS NULL OR caisse = :caisse)",
            {"caisse": caisse},
        ).fetchone()[0]
    )
    number, pages, limit, offset = _bounds(total, number, size)
    found = rows(db, PROPOSALS_SQL, {"caisse": caisse, "limit": limit, "offset": offset})
    items = [proposal_summary(r) for r in found]
    keys = {i["proposer"] for i in items if i["proposer"]}
    for item in items:
        keys |= tally_keys(item["tally"])
    return Listing(items, total, number, pages, keys)


def proposal_summary(row: dict[str, Any]) -> dict[str, Any]:
    """A proposal as lists show it (the keys of `registry.governance.views.proposal_summary`)."""
    state = State(row["state"])
    kind_fr, kind_en = KIND_LABELS[Kind(row["kind"])]
    mode_fr, mode_en = MODE_LABELS[Mode(row["mode"])]
    state_fr, state_en = STATE_LABELS[state]
    view: dict[str, Any] = {
        "id": row["proposal"],
        "short_id": row["proposal"].replace("-", "")[:8],
        "caisse": row["caisse"],
        "kind": row["kind"],
        "kind_fr": kind_fr,
        "kind_en": kind_en,
        "mode": row["mode"],
        "mode_fr": mode_fr,
        "mode_en": mode_en,
        "ballot": row["ballot"],
        "title": row["title"],
        "proposer": row["proposer"],
        "status": str(state),
        "status_fr": state_fr,
        "status_en": state_en,
        "opened": local(row["opened_at"]),
        "deadline": local(row["deadline"]),
        "closed": local(row["closed_at"]),
        "amendments": row["amendments"],
        "outcome": None,
        "outcome_fr": None,
        "winner": None,
        "tally": None,
        "explanation_fr": row["grounds"] or None,
        "explanation_en": row["grounds"] or None,
        "provisional": False,
    }
    if row["outcome"] is not None:
        outcome = Outcome(row["outcome"])
        view.update(
            outcome=str(outcome),
            outcome_fr=OUTCOME_LABELS[outcome][0],
            winner=row["winner"],
            tally=json.loads(row["tally"]) if row["tally"] else None,
            explanation_fr=row["explanation_fr"],
            explanation_en=row["explanation_en"],
        )
    return view


def tally_keys(value: Any) -> set[str]:
    """The member keys a pseudonymised tally names."""
    if isinstance(value, dict):
        found = {v for k, v in value.items() if k == "member" and isinstance(v, str)}
        for v in value.values():
            found |= tally_keys(v)
        return found
    if isinstance(value, list):
        return set().union(*(tally_keys(v) for v in value)) if value else set()
    return set()


def named_tally(value: Any, names: dict[str, str]) -> Any:
    """A pseudonymised tally with each known member key replaced by its pseudonym."""
    if isinstance(value, dict):
        return {
            k: (names.get(v, v) if k == "member" and isinstance(v, str) else named_tally(v, names))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [named_tally(v, names) for v in value]
    return value


MEMBERS_SQL = """
SELECT member, caisse, roles, wave, joined_at, active, trainings
FROM members WHERE caisse = :caisse
ORDER BY wave, joined_at, member
LIMIT :limit OFFSET :offset
"""


def members(
    db: sqlite_utils.Database, caisse: str, number: int = 1, size: int | None = None
) -> Listing:
    """A caisse's members by wave, in joining order, with their trainings; by key."""
    total = int(db.execute("SELECT COUNT(*) FROM members WHERE caisse = ?", [caisse]).fetchone()[0])
    number, pages, limit, offset = _bounds(total, number, size)
    found = rows(db, MEMBERS_SQL, {"caisse": caisse, "limit": limit, "offset": offset})
    trainings = _trainings(db, [r["member"] for r in found if r["trainings"]])
    items = []
    for r in found:
        roles = json.loads(r["roles"])
        items.append(
            {
                "member": r["member"],
                "caisse": r["caisse"],
                "roles": roles,
                "roles_fr": [ROLE_LABELS[Role(x)][0] for x in roles],
                "roles_en": [ROLE_LABELS[Role(x)][1] for x in roles],
                "wave": r["wave"],
                "joined": local(r["joined_at"]),
                "trainings": trainings.get(r["member"], []),
                "active": bool(r["active"]),
            }
        )
    return Listing(items, total, number, pages, {i["member"] for i in items})


def waves(db: sqlite_utils.Database, caisse: str) -> dict[int, tuple[int, int]]:
    """Each wave of a caisse: how many members, how many of them trained."""
    found = db.execute(
        "SELECT wave, COUNT(*), SUM(trainings > 0) FROM members WHERE caisse = ? "
        "GROUP BY wave ORDER BY wave",
        [caisse],
    )
    return {int(w): (int(n), int(t or 0)) for w, n, t in found.fetchall()}


def _trainings(db: sqlite_utils.Database, keys: list[str]) -> dict[str, list[dict[str, str]]]:
    """Each member's trainings, in the order recorded, from their timeline rows.

    A training's row says `session (YYYY-MM-DD)` (the projection's `_governance_detail`).
    """
    found: dict[str, list[dict[str, str]]] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        cursor = db.execute(
            "SELECT subject, detail_fr FROM timeline "  # noqa: S608
            f"WHERE subject IN ({marks}) AND event = 'TrainingRecorded' ORDER BY seq",
            chunk,
        )
        for key, detail in cursor.fetchall():
            session, _, on = str(detail).rpartition(" (")
            found.setdefault(key, []).append({"session": session, "on": on.rstrip(")")})
    return found
