"""Health checks for a supervisor or a load balancer: no login, no session, no caisse."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from web import store
from web.security import csrf

bp = Blueprint("health", __name__)
csrf.exempt(bp)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """The process answers; the store is not read."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """The event store and the read models answer: 200, else 503 with a stable code."""
    failed = store.ready()
    if failed is None:
        return jsonify({"status": "ok"})
    return jsonify({"status": "unavailable", "code": "store_unavailable", "detail": failed}), 503
