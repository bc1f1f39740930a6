"""What is recorded is what was shown: a page that previews something before recording it (the
impact of a criteria version, what a charter change changes) carries the fingerprint of what it
showed in its form; a post whose fields no longer match that fingerprint shows the new preview
again and records nothing."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import request
from pydantic import BaseModel

FIELD = "previewed"


def fingerprint(data: Any) -> str:
    """A short digest of what was previewed (charter terms, a criteria version)."""
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def confirmed(shown: str) -> bool:
    """Whether the posted form says it was sent from a preview of exactly `shown`."""
    return bool(shown) and request.form.get(FIELD, "") == shown
