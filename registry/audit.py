"""Checks an evaluator runs: stored evaluations re-run identically, and a digest of history."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from policies.declaration import Declaration
from policies.engine import evaluate
from registry.application import Registry
from registry.domain.places import Place
from registry.errors import RegistryError


@dataclass
class AuditReport:
    """What the audit found."""

    evaluations: int = 0
    mismatches: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    events: int = 0
    digest: str = ""

    @property
    def ok(self) -> bool:
        """True when every stored evaluation re-ran identically."""
        return not self.mismatches and not self.refused

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "ok": self.ok,
            "evaluations": self.evaluations,
            "mismatches": self.mismatches,
            "refused": self.refused,
            "events": self.events,
            "digest": self.digest,
        }


def rerun_evaluations(app: Registry, report: AuditReport) -> None:
    """Re-run every stored evaluation with the declaration and criteria of its time."""
    for place in app.places():
        declaration: dict[str, Any] | None = None
        for event in app.repository.event_store.get(place.id):
            if isinstance(event, Place.Applied | Place.DeclarationAmended):
                declaration = event.declaration
            if isinstance(event, Place.Evaluated) and declaration is not None:
                report.evaluations += 1
                _check(app, place, declaration, event, report)


def _check(
    app: Registry,
    place: Place,
    declaration: dict[str, Any],
    event: Place.Evaluated,
    report: AuditReport,
) -> None:
    stored = event.evaluation
    where = {"siret": place.siret, "version": event.originator_version}
    try:
        criteria = app.criteria_set(place.caisse).get(str(stored["criteria_version"]))
        again = evaluate(
            Declaration.model_validate(declaration), criteria, date.fromisoformat(stored["on"])
        )
    except RegistryError as exc:
        report.refused.append({**where, "code": exc.code, "message": exc.message()})
        return
    if again.model_dump(mode="json") != stored:
        report.mismatches.append({**where, "criteria_version": stored["criteria_version"]})


def history_digest(app: Registry, report: AuditReport) -> None:
    """A SHA-256 chained over every stored event, in log order: note it, compare it later."""
    chain = hashlib.sha256()
    start = 1
    while True:
        batch = app.recorder.select_notifications(start, 1000)
        if not batch:
            break
        for n in batch:
            chain.update(f"{n.id}|{n.originator_id}|{n.originator_version}|{n.topic}|".encode())
            chain.update(hashlib.sha256(n.state).digest())
            report.events += 1
        start = batch[-1].id + 1
    report.digest = "sha256:" + chain.hexdigest()


def audit(app: Registry) -> AuditReport:
    """Run every check."""
    report = AuditReport()
    rerun_evaluations(app, report)
    history_digest(app, report)
    return report
