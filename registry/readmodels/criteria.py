"""Caisses and criteria versions, and what changed from one version to the next."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from registry.domain.caisses import Caisse
from registry.domain.criteria_sets import CriteriaSet
from registry.readmodels.common import dumps, utc

if TYPE_CHECKING:
    from registry.readmodels.view import ReadModelView

Change = tuple[str, str, Any, Any, str, str]


def registered(view: ReadModelView, e: Caisse.Registered) -> None:
    """A new caisse."""
    view.execute(
        "INSERT INTO caisses (slug, name, area, quartiers, registered_at) VALUES (?, ?, ?, ?, ?)",
        [e.slug, e.name, e.area, dumps(list(e.quartiers)), utc(e.timestamp)],
    )


class Versions:
    """Criteria versions as published, with each caisse's latest one kept in memory."""

    def __init__(self, view: ReadModelView) -> None:
        self.view = view
        # caisse → (version, document as stored, position), or None before the first.
        self._latest: dict[str, tuple[str, str, int] | None] = {}
        view.on_rollback.append(self._latest.clear)

    def latest(self, caisse: str) -> tuple[str, str, int] | None:
        """The caisse's latest version: its name, its stored document and its position."""
        if caisse in self._latest:
            return self._latest[caisse]
        row = self.view.query(
            "SELECT version, document, position FROM criteria_versions WHERE caisse = ? "
            "ORDER BY position DESC LIMIT 1",
            [caisse],
        )
        found = (row[0], row[1], row[2]) if row else None
        self._latest[caisse] = found
        return found

    def published(self, caisse: str, e: CriteriaSet.VersionPublished) -> None:
        """A new criteria version and its changes from the previous one."""
        view = self.view
        doc, at = e.version, utc(e.timestamp)
        previous = self.latest(caisse)
        before = json.loads(previous[1]) if previous else None
        changes = diff(before, doc)
        if previous is None:
            summary_fr, summary_en = "Première version.", "First version."
        elif not changes:
            summary_fr, summary_en = "Aucun changement de règle.", "No rule changed."
        else:
            summary_fr = " ; ".join(c[4] for c in changes) + "."
            summary_en = "; ".join(c[5] for c in changes) + "."
        version, document = str(doc["version"]), dumps(doc)
        position = (previous[2] if previous else 0) + 1
        view.execute(
            "INSERT INTO criteria_versions (caisse, version, position, title, effective_from, "
            "published_at, decision, decision_mode, threshold, transition_days, criteria, "
            "previous_version, changes, changes_fr, changes_en, document) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                caisse,
                version,
                position,
                doc.get("title"),
                str(doc.get("effective_from")),
                at,
                e.decision,
                doc.get("decision"),
                doc.get("threshold"),
                doc.get("transition_days"),
                dumps([c["key"] for c in doc.get("criteria", [])]),
                previous[0] if previous else None,
                len(changes),
                summary_fr,
                summary_en,
                document,
            ],
        )
        self._latest[caisse] = (version, document, position)
        for n, (criterion, change, old, new, fr, en) in enumerate(changes, start=1):
            view.execute(
                "INSERT INTO criteria_changes (caisse, version, n, previous_version, "
                "published_at, criterion, change, before, after, description_fr, description_en) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [caisse, version, n, previous[0] if previous else None, at, criterion, change]
                + [_json(old), _json(new), fr, en],
            )


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> list[Change]:
    """Every rule that differs between two versions, described in French and English."""
    if before is None:
        return []
    changes: list[Change] = []
    old = {c["key"]: c for c in before.get("criteria", [])}
    new = {c["key"]: c for c in after.get("criteria", [])}
    for key, spec in new.items():
        if key not in old:
            need = _need(spec)
            changes.append(
                (
                    key,
                    "added",
                    None,
                    spec,
                    f"critère « {key} » ajouté ({spec['policy']}, {need[0]})",
                    f"criterion '{key}' added ({spec['policy']}, {need[1]})",
                )
            )
            continue
        changes.extend(_criterion_changes(key, old[key], spec))
    for key, spec in old.items():
        if key not in new:
            changes.append(
                (
                    key,
                    "removed",
                    spec,
                    None,
                    f"critère « {key} » retiré",
                    f"criterion '{key}' removed",
                )
            )
    for name, fr, en in _VERSION_FIELDS:
        if before.get(name) != after.get(name):
            a, b = before.get(name), after.get(name)
            changes.append(
                (
                    "",
                    name,
                    a,
                    b,
                    f"{fr} : {_show(a)} → {_show(b)}",
                    f"{en}: {_show(a)} → {_show(b)}",
                )
            )
    return changes


_VERSION_FIELDS = (
    ("threshold", "seuil de score pondéré", "weighted score threshold"),
    ("coverage", "paliers de prise en charge", "coverage tiers"),
    ("decision", "mode de décision", "decision mode"),
    ("transition_days", "délai de transition (jours)", "transition (days)"),
)


def _criterion_changes(key: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    if old.get("policy") != new.get("policy"):
        changes.append(
            (
                key,
                "policy",
                old.get("policy"),
                new.get("policy"),
                f"« {key} » : politique {old.get('policy')} → {new.get('policy')}",
                f"'{key}': policy {old.get('policy')} → {new.get('policy')}",
            )
        )
    a, b = old.get("params") or {}, new.get("params") or {}
    if a != b:
        names = sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))
        listed = ", ".join(f"{n} {_show(a.get(n))} → {_show(b.get(n))}" for n in names)
        changes.append((key, "params", a, b, f"« {key} » : {listed}", f"'{key}': {listed}"))
    if old.get("required") != new.get("required"):
        o, n = _need(old), _need(new)
        changes.append(
            (
                key,
                "required",
                old.get("required"),
                new.get("required"),
                f"« {key} » : {o[0]} → {n[0]}",
                f"'{key}': {o[1]} → {n[1]}",
            )
        )
    elif not new.get("required") and old.get("weight") != new.get("weight"):
        changes.append(
            (
                key,
                "weight",
                old.get("weight"),
                new.get("weight"),
                f"« {key} » : poids {_show(old.get('weight'))} → {_show(new.get('weight'))}",
                f"'{key}': weight {_show(old.get('weight'))} → {_show(new.get('weight'))}",
            )
        )
    return changes


def _need(spec: dict[str, Any]) -> tuple[str, str]:
    if spec.get("required", True):
        return "obligatoire", "required"
    weight = _show(spec.get("weight", 1))
    return f"pondéré ×{weight}", f"weighted ×{weight}"


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _json(value: Any) -> str | None:
    return None if value is None else dumps(value)
