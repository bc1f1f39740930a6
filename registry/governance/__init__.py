"""Governance: members, waves and training, a versioned charter, proposals and votes."""

from __future__ import annotations

from registry.governance import errors as _errors  # noqa: F401  (registers the messages)
from registry.governance.charter import Body, CharterTerms, Kind, KindRule, default_charter
from registry.governance.rules import Choice, Mode, Outcome
from registry.governance.service import Governance

__all__ = [
    "Body",
    "CharterTerms",
    "Choice",
    "Governance",
    "Kind",
    "KindRule",
    "Mode",
    "Outcome",
    "default_charter",
]
