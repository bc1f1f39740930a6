"""The web interface: a Flask app factory, one blueprint per feature."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from registry.config import Settings


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the web app over the registry's store (settings from the environment by default)."""
    app = Flask(__name__)
    config = dict(test_config or {})
    settings = config.get("REGISTRY_SETTINGS") or Settings()
    app.config.from_mapping(
        REGISTRY_SETTINGS=settings,
        BABEL_DEFAULT_LOCALE="fr",
        BABEL_DEFAULT_TIMEZONE="Europe/Paris",
        BABEL_TRANSLATION_DIRECTORIES="translations",
        LANGUAGES=("fr", "en"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=True,
        LOGIN_MAX_FAILURES=5,
        LOGIN_LOCKOUT_SECONDS=15 * 60,
        PAGE_SIZE=50,
        PAGE_CACHE_SIZE=settings.page_cache,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
    )
    app.config.from_mapping(config)
    if "SESSION_COOKIE_SECURE" not in config:
        app.config["SESSION_COOKIE_SECURE"] = not app.config.get("TESTING", False)
    app.config.setdefault("REMEMBER_COOKIE_SECURE", app.config["SESSION_COOKIE_SECURE"])

    from web import access, caisses, i18n, page_cache, security, store

    security.init_app(app)
    i18n.init_app(app)
    store.init_app(app)
    page_cache.init_app(app)
    access.init_app(app)
    caisses.init_app(app)

    from web import (
        account,
        api,
        charter,
        criteria,
        decisions,
        directory,
        errors,
        evaluation,
        events,
        health,
        indicators,
        members,
        places,
        proposals,
        proposing,
        shop,
    )

    errors.init_app(app)
    for module in (
        directory,
        places,
        criteria,
        events,
        account,
        shop,
        proposals,
        proposing,
        charter,
        members,
        decisions,
        evaluation,
        indicators,
        health,
        api,
    ):
        app.register_blueprint(module.bp)
    app.add_url_rule("/", endpoint="index", view_func=directory.home)
    return app
