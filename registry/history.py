"""Plain-language descriptions of events, for histories and timelines."""

from __future__ import annotations

from typing import Any

from registry.clock import paris
from registry.domain.places import STATUS_LABELS, Status

TITLES: dict[str, tuple[str, str]] = {
    "Applied": ("Candidature déposée", "Application submitted"),
    "DeclarationAmended": ("Déclaration modifiée", "Declaration amended"),
    "Evaluated": ("Évaluation", "Evaluation"),
    "Approved": ("Conventionné", "Approved"),
    "Refused": ("Candidature refusée", "Application refused"),
    "Suspended": ("Conventionnement suspendu", "Approval suspended"),
    "Withdrawn": ("Candidature retirée par le lieu", "Withdrawn by the place"),
    "ApprovalWithdrawn": ("Déconventionné", "Approval withdrawn"),
    "Renewed": ("Conventionnement renouvelé", "Approval renewed"),
    "Registered": ("Caisse créée", "Caisse created"),
    "Started": ("Grille de critères ouverte", "Criteria set opened"),
    "VersionPublished": ("Version de critères publiée", "Criteria version published"),
}


def event_name(event: Any) -> str:
    """The event's class name, such as 'Approved'."""
    return type(event).__name__


def describe(event: Any) -> dict[str, Any]:
    """A JSON-ready description of one event."""
    name = event_name(event)
    title_fr, title_en, detail_fr, detail_en = texts(event)
    return {
        "event": name,
        "version": event.originator_version,
        "at": paris(event.timestamp).isoformat(),
        "actor": getattr(event, "actor", None),
        "role": getattr(event, "role", None),
        "title_fr": title_fr,
        "title_en": title_en,
        "detail_fr": detail_fr,
        "detail_en": detail_en,
        "decision": getattr(event, "decision", None),
    }


def texts(event: Any) -> tuple[str, str, str, str]:
    """An event's title and detail, in French then English."""
    name = event_name(event)
    title_fr, title_en = TITLES.get(name, (name, name))
    detail_fr, detail_en = _details(name, event)
    return title_fr, title_en, detail_fr, detail_en


def _details(name: str, event: Any) -> tuple[str, str]:
    if name == "Evaluated":
        ev = event.evaluation
        return f"{ev['summary_fr']} ({event.trigger})", ev["summary_en"]
    if name in ("Applied", "DeclarationAmended"):
        decl = event.declaration
        return f"{decl['name']} ({decl['kind']})", f"{decl['name']} ({decl['kind']})"
    if name == "VersionPublished":
        v = event.version
        return (
            f"Version {v['version']} « {v['title']} », en vigueur le {v['effective_from']}",
            f"Version {v['version']} '{v['title']}', effective {v['effective_from']}",
        )
    if hasattr(event, "reason"):
        decision = getattr(event, "decision", None)
        if decision is None:
            return str(event.reason), str(event.reason)
        return f"{event.reason} — décision : {decision}", f"{event.reason} — decision: {decision}"
    return "", ""


def status_label(status: Status, lang: str = "fr") -> str:
    """A status in plain words."""
    fr, en = STATUS_LABELS[status]
    return en if lang.startswith("en") else fr
