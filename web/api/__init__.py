"""The JSON API under /api/, described at /api/openapi.json."""

from __future__ import annotations

from web.api import (  # noqa: F401  (register routes)
    account,
    amending,
    charter,
    evaluation,
    governance,
    openapi,
    places,
)
from web.api.base import bp

__all__ = ["bp"]
