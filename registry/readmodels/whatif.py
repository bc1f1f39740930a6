"""What-if: every place re-evaluated under another criteria version, published or draft.

A reform in OpenFisca's sense: the same cases (the declarations held at a moment) run under
modified rules, beside what actually happened, with each criterion's explanation.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from pydantic import field_validator, model_validator

from policies.base import Outcome
from policies.criteria import CriteriaVersion, parse_criteria_version
from policies.engine import Judgement, Verdict, check_version, prepare
from registry.clock import local_date, paris
from registry.declaration import Declaration
from registry.domain.places import Status
from registry.errors import RegistryError
from registry.readmodels.queries import criteria_as_of, local, places_as_of, rows


class StoredDeclaration(Declaration):
    """A declaration read back from the store, checked when it was recorded.

    The margin scan and the SIRET checksum are not repeated; every field is still validated.
    """

    @model_validator(mode="before")
    @classmethod
    def _refuse_margin(cls, data: Any) -> Any:
        return data

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
    evaluate = prepare(version)
    gains: list[dict[str, Any]] = []
    losses: list[dict[str, Any]] = []
    review: list[dict[str, Any]] = []
    rates: list[dict[str, Any]] = []
    unchanged = 0
    considered = 0
    for row in places_as_of(db, at, version.caisse):
        if row["status"] in SKIPPED:
            continue
        considered += 1
        declaration = StoredDeclaration.model_validate_json(row["declaration"])
        result = evaluate.judge(declaration, on)
        holding = row["status"] in HOLDING
        if result.verdict is Verdict.TO_COLLECTIVE:
            review.append(_entry(row, result))
        elif result.verdict is Verdict.APPROVED and not holding:
            gains.append(_entry(row, result))
        elif result.verdict is Verdict.REFUSED and holding:
            losses.append(_entry(row, result))
        elif holding and result.coverage_rate != row["coverage_rate"]:
            rates.append(_entry(row, result))
        else:
            unchanged += 1
    in_force = criteria_as_of(db, version.caisse, at)
    return {
        "caisse": version.caisse,
        "criteria_version": version.version,
        "draft": draft,
        "as_of": paris(at).isoformat(),
        "on": on.isoformat(),
        "in_force": in_force["version"] if in_force else None,
        "places": considered,
        "gains": gains,
        "losses": losses,
        "to_collective": review,
        "rate_changes": rates,
        "unchanged": unchanged,
    }


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
