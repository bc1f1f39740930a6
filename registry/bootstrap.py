"""A new store: the default caisse and its first criteria version."""

from __future__ import annotations

from datetime import datetime

from registry.application import Registry
from registry.domain.caisses import DEFAULT_CAISSE, Caisse
from registry.roles import Actor


def initialise(app: Registry, by: Actor, at: datetime | None = None) -> Caisse:
    """Create the default caisse, Paris 14e, with the seed's first criteria version."""
    from policies.seed import first_version

    return app.register_caisse(
        DEFAULT_CAISSE["slug"],  # type: ignore[arg-type]
        DEFAULT_CAISSE["name"],  # type: ignore[arg-type]
        DEFAULT_CAISSE["area"],  # type: ignore[arg-type]
        DEFAULT_CAISSE["quartiers"],  # type: ignore[arg-type]
        first_version(str(DEFAULT_CAISSE["slug"])),
        by,
        at,
    )
