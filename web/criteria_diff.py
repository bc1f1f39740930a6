"""What changed between two criteria versions, in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from policies.criteria import CriteriaVersion


@dataclass(frozen=True)
class Change:
    """One difference: what (a criterion key or a setting), how, from what to what."""

    subject: str
    kind: str  # "added", "removed", "changed"
    field: str = ""
    before: Any = None
    after: Any = None


SETTINGS = ("threshold", "decision", "transition_days", "effective_from")


def changes(before: CriteriaVersion, after: CriteriaVersion) -> list[Change]:
    """Criteria added, removed or re-parameterised, and settings changed, between versions."""
    found: list[Change] = []
    old = {c.key: c for c in before.criteria}
    new = {c.key: c for c in after.criteria}
    for key in new.keys() - old.keys():
        found.append(Change(key, "added", after=new[key].policy))
    for key in old.keys() - new.keys():
        found.append(Change(key, "removed", before=old[key].policy))
    for key in sorted(old.keys() & new.keys()):
        a, b = old[key], new[key]
        for name in ("policy", "required", "weight"):
            if getattr(a, name) != getattr(b, name):
                found.append(Change(key, "changed", name, getattr(a, name), getattr(b, name)))
        params = sorted(set(a.params) | set(b.params))
        for name in params:
            if a.params.get(name) != b.params.get(name):
                found.append(
                    Change(key, "changed", f"params.{name}", a.params.get(name), b.params.get(name))
                )
    for name in SETTINGS:
        if getattr(before, name) != getattr(after, name):
            found.append(Change("", "changed", name, getattr(before, name), getattr(after, name)))
    if before.coverage != after.coverage:
        found.append(
            Change("", "changed", "coverage", _tiers(before), _tiers(after)),
        )
    order = {"added": 0, "removed": 1, "changed": 2}
    return sorted(found, key=lambda c: (order[c.kind], c.subject, c.field))


def _tiers(version: CriteriaVersion) -> str:
    return ", ".join(f"≥ {t.min_score:g} → {t.rate:g} %" for t in version.coverage)
