"""A caisse's criteria set: every published version, none ever edited."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from eventsourcing.domain import Aggregate

from policies.criteria import CriteriaVersion, in_force
from registry.errors import RegistryError
from registry.ids import criteria_set_id
from registry.roles import Actor


class CriteriaSet(Aggregate):
    """The versions of a caisse's criteria, in publication order."""

    class Started(Aggregate.Created):
        caisse: str

    class VersionPublished(Aggregate.Event):
        version: dict[str, Any]
        decision: str
        actor: str
        role: str

        def apply(self, criteria: CriteriaSet) -> None:
            criteria.published.append(self.version)
            criteria.published_on[str(self.version["version"])] = self.timestamp

    def __init__(self, caisse: str) -> None:
        self.caisse = caisse
        self.published: list[dict[str, Any]] = []
        self.published_on: dict[str, datetime] = {}

    @classmethod
    def start(cls, caisse: str, at: datetime | None = None) -> CriteriaSet:
        """An empty criteria set for a caisse."""
        return cls._create(cls.Started, id=criteria_set_id(caisse), timestamp=at, caisse=caisse)

    def publish(
        self, version: CriteriaVersion, decision: str, by: Actor, at: datetime | None = None
    ) -> None:
        """Publish a checked version; a version name is published once and never changes."""
        if version.caisse != self.caisse:
            raise RegistryError(
                "invalid_criteria",
                details=f"la version est pour la caisse {version.caisse}, pas {self.caisse}",
            )
        if version.version in self.published_on:
            raise RegistryError("criteria_version_exists", version=version.version)
        self.trigger_event(
            self.VersionPublished,
            timestamp=at,
            version=version.model_dump(mode="json"),
            decision=decision,
            actor=by.id,
            role=str(by.role),
        )

    def versions(self, published_by: datetime | None = None) -> list[CriteriaVersion]:
        """Published versions, optionally only those published by a moment."""
        # Parsed once per aggregate instance: versions never change once published.
        parsed: list[CriteriaVersion] = self.__dict__.setdefault("_parsed", [])
        for raw in self.published[len(parsed) :]:
            parsed.append(CriteriaVersion.model_validate(raw))
        return [
            v
            for v in parsed
            if published_by is None or self.published_on[v.version] <= published_by
        ]

    def get(self, name: str) -> CriteriaVersion:
        """A published version by name."""
        for v in self.versions():
            if v.version == name:
                return v
        known = ", ".join(str(v["version"]) for v in self.published) or "aucune"
        raise RegistryError("criteria_version_not_found", version=name, known=known)

    def in_force(self, on: date, published_by: datetime | None = None) -> CriteriaVersion | None:
        """The version in force on a date, among those published by a moment."""
        # Remembered per instance until another version is published: every command asks.
        key = (len(self.published), on, published_by)
        known: dict[Any, CriteriaVersion | None] = self.__dict__.setdefault("_in_force", {})
        if key not in known:
            if len(known) >= 64:
                known.clear()
            known[key] = in_force(self.versions(published_by), on)
        return known[key]
