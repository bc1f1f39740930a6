"""Small request helpers: safe redirects and reading form text."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request


def safe_next(default: str) -> str:
    """The ?next= target if it stays on this site, else the default."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return default
    return target


def text(name: str) -> str:
    """A form field's text, trimmed."""
    return request.form.get(name, "").strip()
