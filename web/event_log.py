"""Every stored event in plain words, read once and then followed as the log grows."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from registry.application import Registry
from registry.history import describe
from web import store

CATEGORIES = ("lieux", "criteres", "gouvernance", "autres")


@dataclass
class EventLog:
    """The described events so far, and where reading stopped."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    last_id: int = 0
    subjects: dict[Any, dict[str, str]] = field(default_factory=dict)
    caisses: dict[Any, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refresh(self, registry: Registry) -> list[dict[str, Any]]:
        """Read the events stored since the last call; return every entry, oldest first."""
        with self.lock:
            while True:
                batch = registry.recorder.select_notifications(self.last_id + 1, 500)
                if not batch:
                    break
                for notification in batch:
                    event = registry.mapper.to_domain_event(notification)
                    self.entries.append(self._entry(notification.id, notification.topic, event))
                self.last_id = batch[-1].id
            return list(self.entries)

    def _entry(self, number: int, topic: str, event: Any) -> dict[str, Any]:
        entry = describe(event)
        entry["number"] = number
        entry["category"] = _category(topic)
        subject = self._subject(topic, event)
        entry.update(subject)
        entry["caisse"] = self._caisse(event)
        entry["haystack"] = " ".join(
            str(entry.get(k) or "")
            for k in (
                "title_fr",
                "title_en",
                "detail_fr",
                "detail_en",
                "actor",
                "decision",
                "subject_name",
                "siret",
            )
        ).casefold()
        return entry

    def _caisse(self, event: Any) -> str:
        """The caisse an event's aggregate belongs to, said by its first event ('' if none)."""
        known = self.caisses.get(event.originator_id)
        if known is not None:
            return known
        declaration = getattr(event, "declaration", None)
        slug = getattr(event, "caisse", None)
        if slug is None and isinstance(declaration, dict):
            slug = declaration.get("caisse")
        if slug is None and hasattr(event, "slug") and hasattr(event, "quartiers"):
            slug = event.slug
        if slug is None:
            return ""
        self.caisses[event.originator_id] = str(slug)
        return str(slug)

    def _subject(self, topic: str, event: Any) -> dict[str, str]:
        known = self.subjects.get(event.originator_id)
        if known is not None:
            return known
        subject: dict[str, str] = {}
        declaration = getattr(event, "declaration", None)
        if isinstance(declaration, dict) and "siret" in declaration:
            subject = {"siret": str(declaration["siret"]), "subject_name": str(declaration["name"])}
        elif hasattr(event, "slug") and hasattr(event, "quartiers"):
            subject = {"subject_name": str(event.name)}
        elif hasattr(event, "caisse") and "criteria_sets" in topic:
            subject = {"subject_name": f"critères {event.caisse}"}
        elif hasattr(event, "pseudonym"):
            subject = {"subject_name": str(event.pseudonym)}
        elif hasattr(event, "title") and "governance" in topic:
            subject = {"subject_name": str(event.title), "proposal": str(event.originator_id)}
        if subject:
            self.subjects[event.originator_id] = subject
        return subject


def _category(topic: str) -> str:
    if "domain.places" in topic:
        return "lieux"
    if "criteria_sets" in topic or "domain.caisses" in topic:
        return "criteres"
    if "governance" in topic:
        return "gouvernance"
    return "autres"


def entries() -> list[dict[str, Any]]:
    """Every event described, oldest first."""
    log: EventLog = current_app.extensions.setdefault("ssa_event_log", EventLog())
    return log.refresh(store.registry())
