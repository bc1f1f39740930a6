"""Deterministic ids for unique business keys, so each key can exist only once."""

from __future__ import annotations

from uuid import UUID, uuid5

NAMESPACE = UUID("6f1c3c0e-5b7a-4c61-9a43-2b1f0d3e8a14")


def place_id(siret: str) -> UUID:
    """The one id a SIRET can have."""
    return uuid5(NAMESPACE, f"place:{siret}")


def caisse_id(slug: str) -> UUID:
    """The one id a caisse slug can have."""
    return uuid5(NAMESPACE, f"caisse:{slug}")


def criteria_set_id(caisse: str) -> UUID:
    """The id of a caisse's criteria set."""
    return uuid5(NAMESPACE, f"criteria:{caisse}")
