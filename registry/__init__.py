"""Event-sourced conventionnement registry for a caisse commune alimentaire."""

from __future__ import annotations

__version__ = "0.1.0"
