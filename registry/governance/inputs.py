"""Reading proposals' contents from JSON files: criteria versions, charters, meeting tallies."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from policies.criteria import CriteriaVersion, parse_criteria_version
from registry.errors import RegistryError
from registry.governance.charter import CharterTerms, KindRule, parse_charter


def read_json(path: Path) -> Any:
    """A JSON file's content, or a RegistryError saying what is wrong with it."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError("file_not_found", path=str(path)) from None
    except (OSError, ValueError) as exc:
        raise RegistryError("invalid_json", path=str(path), details=str(exc)) from None


def criteria_file(
    path: Path, effective_from: date | None = None, transition_days: int | None = None
) -> CriteriaVersion:
    """A criteria version from a file, with its date and transition period overridden if given."""
    raw = read_json(path)
    if isinstance(raw, dict):
        if effective_from is not None:
            raw["effective_from"] = effective_from.isoformat()
        if transition_days is not None:
            raw["transition_days"] = transition_days
    return parse_criteria_version(raw)


def charter_terms(raw: Any) -> CharterTerms:
    """Charter terms from raw data, accepting the output of 'charter --json'."""
    if isinstance(raw, dict) and isinstance(raw.get("rules"), dict):
        fields = set(KindRule.model_fields)
        rules = {
            kind: {k: v for k, v in rule.items() if k in fields} if isinstance(rule, dict) else rule
            for kind, rule in raw["rules"].items()
        }
        raw = {"title": raw.get("title"), "rules": rules, "notes": raw.get("notes", "")}
    return parse_charter(raw)


def option_counts(items: tuple[str, ...] | list[str]) -> dict[str, int]:
    """Meeting counts per option from 'NAME=N' items."""
    counts: dict[str, int] = {}
    for item in items:
        name, _, n = item.rpartition("=")
        if not name.strip() or not n.strip().isdigit():
            raise RegistryError("meeting_tally_invalid", details=f"« {item} » : attendu NOM=N")
        counts[name.strip()] = int(n)
    return counts
