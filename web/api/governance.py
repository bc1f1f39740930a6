"""API routes for proposals and votes."""

from __future__ import annotations
