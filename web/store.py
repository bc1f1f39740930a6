"""The registry application and the accounts, opened once per web app."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils
from flask import Flask, current_app

from registry.application import Registry
from registry.config import Settings
from web.accounts import Accounts

KEY = "ssa_registry"


def init_app(app: Flask) -> None:
    """Open the registry on the configured store, and the accounts beside it (same PostgreSQL
    database, or the accounts file next to the SQLite events)."""
    settings: Settings = app.config["REGISTRY_SETTINGS"]
    if not settings.database_url:
        settings.data.mkdir(parents=True, exist_ok=True)
    app.extensions[KEY] = registry_class()(env=settings.event_store_env())
    app.extensions["ssa_accounts"] = Accounts.for_settings(settings)


def registry_class() -> type[Registry]:
    """The registry application with its governance verbs."""
    from registry.governance import Governance

    if issubclass(Registry, Governance):
        return Registry
    # Until the application class carries the governance mixin itself.
    return type("Registry", (Governance, Registry), {})


def close(app: Flask) -> None:
    """Close the registry's and the accounts' connections when the app stops serving."""
    registry = app.extensions.pop(KEY, None)
    if registry is not None:
        registry.close()
    accounts = app.extensions.pop("ssa_accounts", None)
    if accounts is not None:
        accounts.close()


def registry() -> Registry:
    """The current app's registry."""
    return current_app.extensions[KEY]  # type: ignore[no-any-return]


def accounts() -> Accounts:
    """The current app's accounts."""
    return current_app.extensions["ssa_accounts"]  # type: ignore[no-any-return]


def registry_of(app: Flask) -> Registry:
    """An app's registry, outside a request."""
    return app.extensions[KEY]  # type: ignore[no-any-return]


def accounts_of(app: Flask) -> Accounts:
    """An app's accounts, outside a request."""
    return app.extensions["ssa_accounts"]  # type: ignore[no-any-return]


@contextmanager
def read_models() -> Iterator[sqlite_utils.Database]:
    """The read models, up to date with every event this process stored (read your writes)."""
    from registry.readmodels import queries

    with queries.views(current_app.config["REGISTRY_SETTINGS"]) as db:
        yield db
