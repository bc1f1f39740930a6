"""What-if: every place re-evaluated under another criteria version, published or draft.

A reform in OpenFisca's sense: the same cases (the declarations held at a moment) run under
modified rules, beside what actually happened, with each criterion's explanation.
"""

from __future__ import annotations

import heapq
import json
import multiprocessing
import os
import sqlite3
import sys
import threading
from datetime import date, datetime
from multiprocessing.connection import Connection
from operator import itemgetter
from pathlib import Path
from typing import Any

import sqlite_utils
from pydantic import ModelWrapValidatorHandler, field_validator, model_validator

from policies.base import Outcome
from policies.criteria import CriteriaVersion, parse_criteria_version
from policies.declaration import Declaration
from policies.engine import Judgement, Prepared, Verdict, check_version, prepare
from registry.clock import local_date, paris
from registry.domain.places import Status
from registry.errors import RegistryError
from registry.readmodels.queries import count_as_of, criteria_as_of, local, places_as_of, rows


class StoredDeclaration(Declaration):
    """A declaration read back from the store, checked when it was recorded.

    The margin scan and the SIRET checksum are not repeated; every field is still validated.
    """

    @model_validator(mode="wrap")
    @classmethod
    def _refuse_margin(cls, data: Any, handler: ModelWrapValidatorHandler[Declaration]) -> Any:
        return handler(data)

    @field_validator("siret", mode="before")
    @classmethod
    def _valid_siret(cls, value: Any) -> str:
        return str(value)


HOLDING = frozenset({Status.APPROVED.value, Status.SUSPENDED.value})
SKIPPED = frozenset({Status.WITHDRAWN.value})


def is_draft_path(ref: str) -> bool:
    """Whether a --criteria value names a file rather than a published version."""
    return ref.endswith(".json") or "/" in ref or Path(ref).is_file()


def resolve(db: sqlite_utils.Database, ref: str, caisse: str | None = None) -> CriteriaVersion:
    """A published version by name, or a draft version from a JSON file; checked."""
    if is_draft_path(ref):
        path = Path(ref)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise RegistryError("file_not_found", path=ref) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RegistryError("invalid_json", path=ref, details=str(exc)) from None
        return check_version(parse_criteria_version(data))
    found = rows(
        db,
        "SELECT document FROM criteria_versions WHERE version = ? "
        "AND (? IS NULL OR caisse = ?) ORDER BY caisse",
        [ref, caisse, caisse],
    )
    if not found:
        known = db.execute(
            "SELECT group_concat(version, ', ') FROM criteria_versions "
            "WHERE ? IS NULL OR caisse = ?",
            [caisse, caisse],
        ).fetchone()[0]
        raise RegistryError("criteria_version_not_found", version=ref, known=known or "aucune")
    return check_version(CriteriaVersion.model_validate_json(found[0]["document"]))


def whatif(
    db: sqlite_utils.Database, version: CriteriaVersion, at: datetime, draft: bool = False
) -> dict[str, Any]:
    """Who would gain or lose approval if `version` applied at `at`, and why."""
    on = local_date(at)
    changes = judged(db, at, version.caisse, prepare(version), on)
    found: dict[str, list[dict[str, Any]]] = {GAIN: [], LOSS: [], REVIEW: [], RATE: []}
    unchanged = 0
    for change, entry in changes:
        if entry is None:
            unchanged += 1
        else:
            found[change].append(entry)
    in_force = criteria_as_of(db, version.caisse, at)
    return {
        "caisse": version.caisse,
        "criteria_version": version.version,
        "draft": draft,
        "as_of": paris(at).isoformat(),
        "on": on.isoformat(),
        "in_force": in_force["version"] if in_force else None,
        "places": len(changes),
        "gains": found[GAIN],
        "losses": found[LOSS],
        "to_collective": found[REVIEW],
        "rate_changes": found[RATE],
        "unchanged": unchanged,
    }


# What a place's re-evaluation changes; an unchanged place needs no entry.
GAIN, LOSS, REVIEW, RATE, SAME = "gain", "loss", "review", "rate", "same"
Change = tuple[str, dict[str, Any] | None]

# Below this many places a second process costs more than it saves.
PARALLEL_FROM = 2000


def classify(places: list[dict[str, Any]], evaluate: Prepared, on: date) -> list[Change]:
    """Each place's change under `evaluate`, with its entry when it has one."""
    changes: list[Change] = []
    for row in places:
        declaration = StoredDeclaration.model_validate_json(row["declaration"])
        result = evaluate.judge(declaration, on)
        holding = row["status"] in HOLDING
        if result.verdict is Verdict.TO_COLLECTIVE:
            changes.append((REVIEW, _entry(row, result)))
        elif result.verdict is Verdict.APPROVED and not holding:
            changes.append((GAIN, _entry(row, result)))
        elif result.verdict is Verdict.REFUSED and holding:
            changes.append((LOSS, _entry(row, result)))
        elif holding and result.coverage_rate != row["coverage_rate"]:
            changes.append((RATE, _entry(row, result)))
        else:
            changes.append((SAME, None))
    return changes


def judged(
    db: sqlite_utils.Database, at: datetime, caisse: str, evaluate: Prepared, on: date
) -> list[Change]:
    """Each place's change at `at`, in application order; half of them in a forked process
    when there are many.

    Re-evaluating is pure and each place independent, so two cores share the wait: each
    process reads and judges its own part of the places, and the two parts are merged back
    in order. Forking is only safe in a process with a single thread (a web server has
    several) and with the read models in a file: elsewhere, or if the second process fails,
    every place is judged here, with the same result.
    """
    path = _file_of(db)
    if path is None or not _can_fork() or count_as_of(db, at, caisse) < PARALLEL_FROM:
        return [change for _, change in _judge_part(db, at, caisse, evaluate, on, None)]
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_judge_part_into, args=(sender, path, at, caisse, evaluate, on), daemon=True
    )
    child.start()
    sender.close()
    try:
        mine = _judge_part(db, at, caisse, evaluate, on, (0, 2))
        try:
            theirs: list[Keyed] = receiver.recv()
        except EOFError:  # the second process failed: its part is judged here
            theirs = _judge_part(db, at, caisse, evaluate, on, (1, 2))
    finally:
        receiver.close()
        child.join()
    return [change for _, change in heapq.merge(mine, theirs, key=itemgetter(0))]


# A change with the place's position in application order.
Keyed = tuple[tuple[str, str], Change]


def _judge_part(
    db: sqlite_utils.Database,
    at: datetime,
    caisse: str,
    evaluate: Prepared,
    on: date,
    part: tuple[int, int] | None,
) -> list[Keyed]:
    found = places_as_of(db, at, caisse, evaluations=False, part=part)
    places = [row for row in found if row["status"] not in SKIPPED]
    changes = classify(places, evaluate, on)
    return [((r["applied_at"], r["siret"]), c) for r, c in zip(places, changes, strict=True)]


def _judge_part_into(
    sender: Connection, path: str, at: datetime, caisse: str, evaluate: Prepared, on: date
) -> None:
    try:
        # A connection of its own: one opened before the fork is not used across it.
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            keyed = _judge_part(sqlite_utils.Database(conn), at, caisse, evaluate, on, (1, 2))
        finally:
            conn.close()
    except Exception as exc:  # noqa: BLE001  (the first process judges this part instead)
        print(
            f"Et si : le second processus a échoué ({exc}) ; sa moitié des lieux est "
            "réévaluée par le premier.",
            file=sys.stderr,
        )
        sender.close()
        return
    sender.send(keyed)
    sender.close()


def _file_of(db: sqlite_utils.Database) -> str | None:
    """The file of the main database, or None for one in memory."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return str(file) if file else None
    return None


def _can_fork() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and len(os.sched_getaffinity(0)) > 1
    )


def _entry(row: dict[str, Any], result: Judgement) -> dict[str, Any]:
    unmet = [
        {
            "key": spec.key,
            "outcome": str(finding.outcome),
            "required": spec.required,
            "explanation_fr": finding.explanation_fr,
            "explanation_en": finding.explanation_en,
        }
        for spec, finding in result.findings
        if finding.outcome is not Outcome.MET
    ]
    return {
        "siret": row["siret"],
        "name": row["name"],
        "kind": row["kind"],
        "quartier": row["quartier"],
        "status": row["status"],
        "status_fr": row["status_fr"],
        "since": local(row["since"]),
        "coverage_rate": row["coverage_rate"],
        "verdict": str(result.verdict),
        "score": result.score,
        "would_coverage_rate": result.coverage_rate,
        "summary_fr": result.summary_fr,
        "summary_en": result.summary_en,
        "criteria_not_met": unmet,
    }
