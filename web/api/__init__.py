"""The JSON API under /api/, described at /api/openapi.json."""

from __future__ import annotations

from web.api import evaluation, governance, openapi, places  # noqa: F401  (register routes)
from web.api.base import bp

__all__ = ["bp"]
