"""Helpers for the policy tests: a valid base declaration, merged with partial ones."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from policies.base import Finding
from policies.declaration import Declaration, parse_declaration
from policies.engine import get_policy

CASES = Path(__file__).parent / "cases"
BASE: dict[str, Any] = json.loads((CASES / "base_declaration.json").read_text(encoding="utf-8"))
ON = date(2025, 4, 1)


def merged(base: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """base with patch laid over it: nested objects merge, anything else replaces."""
    out = dict(base)
    for key, value in patch.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def declaration(patch: Mapping[str, Any] | None = None) -> Declaration:
    """The base declaration, changed by a partial one."""
    return parse_declaration(merged(BASE, patch or {}))


def run(ref: str, subject: Declaration, params: Mapping[str, Any] | None = None) -> Finding:
    """One policy's finding for a declaration, with parameters checked as in a version."""
    policy = get_policy(ref)
    return policy.run(subject, policy.parse_params(params or {}), ON)
