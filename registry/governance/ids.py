"""Deterministic ids of governance aggregates."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from registry.ids import NAMESPACE


def pseudonym_key(pseudonym: str) -> str:
    """The form of a pseudonym that must be unique: trimmed, case-folded."""
    return pseudonym.strip().casefold()


def member_id(caisse: str, pseudonym: str) -> UUID:
    """The one id a pseudonym can have in a caisse."""
    return uuid5(NAMESPACE, f"member:{caisse}:{pseudonym_key(pseudonym)}")


def charter_id(caisse: str) -> UUID:
    """The id of a caisse's charter."""
    return uuid5(NAMESPACE, f"charter:{caisse}")


def proposal_id(caisse: str, title: str, opened: datetime) -> UUID:
    """A proposal's id, from its caisse, title and opening moment (so a demo replays alike)."""
    return uuid5(NAMESPACE, f"proposal:{caisse}:{opened.isoformat()}:{title.strip()}")
