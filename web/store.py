"""The registry application, its read models and the accounts, opened once per web app."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils
from flask import Flask, current_app

from registry.application import Registry
from registry.config import Settings
from registry.readmodels.follower import Follower, open_follower
from web.accounts import Accounts

KEY = "ssa_registry"
VIEWS = "ssa_read_models"
# Opening a PostgreSQL store creates its tables and functions if missing: two servers starting
# at the same moment may collide there, and the later one tries again.
OPEN_ATTEMPTS = 3
# A readiness probe answers within this many seconds, whatever the store does.
READY_TIMEOUT = 2.0


class ReadModels:
    """A process's read models: the follower that keeps them, and a reading connection per
    thread, each opened once."""

    def __init__(self, follower: Follower) -> None:
        self.follower = follower
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="readyz")
        self._checking: Future[str | None] | None = None

    def database(self) -> sqlite_utils.Database:
        """This thread's reading connection to the views file."""
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        generation = self.follower.generation
        if db is not None and getattr(self._local, "generation", None) != generation:
            db.conn.close()  # a file `rebuild` swapped out
            db = None
        if db is None:
            conn = sqlite3.connect(self.follower.path, check_same_thread=False, timeout=10)
            conn.execute("PRAGMA query_only=ON")
            with self._lock:
                self._opened.append(conn)
            db = sqlite_utils.Database(conn, execute_plugins=False)
            self._local.db, self._local.generation = db, generation
        return db

    def check(self, registry: Registry) -> Future[str | None]:
        """A readiness check of the store and the views, run apart from the request; the
        one still running if there is one."""
        with self._lock:
            if self._checking is None or self._checking.done():
                self._checking = self._checker.submit(_check, registry, self)
            return self._checking

    def close(self) -> None:
        """Stop following and close every connection."""
        try:
            self._checker.shutdown(wait=False)
            self.follower.close()
        finally:
            with self._lock:
                for conn in self._opened:
                    conn.close()
                self._opened.clear()


def init_app(app: Flask) -> None:
    """Open the registry on the configured store, follow it into the read models, and open the
    accounts beside it (same PostgreSQL database, or the accounts file next to the SQLite
    events)."""
    settings: Settings = app.config["REGISTRY_SETTINGS"]
    if not settings.database_url:
        settings.data.mkdir(parents=True, exist_ok=True)
    registry = _open(settings)
    app.extensions[KEY] = registry
    try:
        models = ReadModels(open_follower(settings, registry))
    except BaseException:
        registry.close()
        raise
    app.extensions[VIEWS] = models
    if app.config.get("READ_MODELS_FOLLOW", True):
        models.follower.start()
    app.extensions["ssa_accounts"] = Accounts.for_settings(settings)


def _open(settings: Settings) -> Registry:
    for attempt in range(OPEN_ATTEMPTS):
        try:
            return registry_class()(env=settings.event_store_env())
        except Exception:
            if not settings.database_url or attempt == OPEN_ATTEMPTS - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


def registry_class() -> type[Registry]:
    """The registry application with its governance verbs."""
    from registry.governance import Governance

    if issubclass(Registry, Governance):
        return Registry
    # Until the application class carries the governance mixin itself.
    return type("Registry", (Governance, Registry), {})


def close(app: Flask) -> None:
    """Stop following the store, and close the registry's and the accounts' connections when
    the app stops serving."""
    models = app.extensions.pop(VIEWS, None)
    try:
        if models is not None:
            models.close()
    finally:
        registry = app.extensions.pop(KEY, None)
        try:
            if registry is not None:
                registry.close()
        finally:
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


def models_of(app: Flask) -> ReadModels:
    """An app's read models, outside a request."""
    return app.extensions[VIEWS]  # type: ignore[no-any-return]


def views_path() -> Path:
    """The current app's views file."""
    return models_of(current_app).follower.path


@contextmanager
def read_models() -> Iterator[sqlite_utils.Database]:
    """The read models, holding at least every event stored before this call (read your
    writes, whichever process wrote); a `views_behind` refusal (503) if they cannot catch up
    within a few seconds."""
    models = models_of(current_app)
    models.follower.up_to_date()
    yield models.database()


def read_models_position() -> int:
    """The read models' position once they hold every event stored before this call (a
    `views_behind` refusal, 503, if they cannot catch up within a few seconds)."""
    return models_of(current_app).follower.up_to_date()


def ready(timeout: float = READY_TIMEOUT) -> str | None:
    """None when the event store and the read models answer within `timeout`; else what
    failed. A check still waiting on a store that does not answer is not started again."""
    models = models_of(current_app)
    future = models.check(registry_of(current_app))
    try:
        return future.result(timeout)
    except FutureTimeout:
        return f"no answer within {timeout:g} s"


def _check(registry: Registry, models: ReadModels) -> str | None:
    try:
        registry.recorder.max_notification_id()
    except Exception as exc:  # any driver's error: the store does not answer
        return f"event store: {type(exc).__name__}"
    try:
        models.database().execute("SELECT COUNT(*) FROM tracking").fetchone()
    except Exception as exc:
        return f"read models: {type(exc).__name__}"
    return None
