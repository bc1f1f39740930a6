"""A caisse commune: a registry may host several, one per neighbourhood."""

from __future__ import annotations

from datetime import datetime

from eventsourcing.domain import Aggregate

from registry.ids import caisse_id
from registry.roles import Actor


class Caisse(Aggregate):
    """A caisse commune and the area it serves."""

    class Registered(Aggregate.Created):
        slug: str
        name: str
        area: str
        quartiers: list[str]
        actor: str
        role: str

    def __init__(
        self, slug: str, name: str, area: str, quartiers: list[str], actor: str, role: str
    ) -> None:
        self.slug = slug
        self.name = name
        self.area = area
        self.quartiers = list(quartiers)

    @classmethod
    def register(
        cls,
        slug: str,
        name: str,
        area: str,
        quartiers: list[str],
        by: Actor,
        at: datetime | None = None,
    ) -> Caisse:
        """A new caisse; its id derives from its slug."""
        return cls._create(
            cls.Registered,
            id=caisse_id(slug),
            timestamp=at,
            slug=slug,
            name=name,
            area=area,
            quartiers=list(quartiers),
            actor=by.id,
            role=str(by.role),
        )


DEFAULT_CAISSE = {
    "slug": "paris-14e",
    "name": "Caisse commune alimentaire Paris 14e",
    "area": "Paris 14e arrondissement (75014)",
    "quartiers": ["Montparnasse", "Parc-de-Montsouris", "Petit-Montrouge", "Plaisance"],
}
