"""JSON-ready views of aggregates, shared by the CLI, the web UI and the API."""

from __future__ import annotations

from typing import Any

from policies.criteria import CriteriaVersion
from policies.declaration import field_label
from registry.clock import paris
from registry.domain.places import STATUS_LABELS, Place


def place_view(place: Place, detail: bool = False) -> dict[str, Any]:
    """A place's status and why."""
    fr, en = STATUS_LABELS[place.status]
    view: dict[str, Any] = {
        "siret": place.siret,
        "name": place.name,
        "kind": place.kind,
        "caisse": place.caisse,
        "quartier": place.declaration.get("quartier"),
        "postcode": (place.declaration.get("address") or {}).get("postcode"),
        "status": str(place.status),
        "status_fr": fr,
        "status_en": en,
        "reason": place.status_reason,
        "decision": place.status_decision,
        "since": paris(place.status_since).isoformat(),
        "approved_under": place.approved_under,
        "coverage_rate": place.coverage_rate,
    }
    if detail:
        evaluation = place.evaluation
        view["declaration"] = place.declaration
        view["evaluation"] = evaluation
        view["missing"] = sorted(
            {m for r in (evaluation or {}).get("results", []) for m in r.get("missing", [])}
        )
        view["missing_fr"] = [field_label(m) for m in view["missing"]]
    return view


def criteria_view(version: CriteriaVersion, published_on: Any = None) -> dict[str, Any]:
    """A criteria version as published."""
    data = version.model_dump(mode="json")
    if published_on is not None:
        data["published_on"] = paris(published_on).isoformat()
    return data
