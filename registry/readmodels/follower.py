"""One process's read models: one registry, one view and one projection, kept up to date.

Every process that reads the read models (the web server, a CLI command) owns one `Follower`.
It applies the stored events after the view's tracking position, in order, each batch in one
transaction of the view's SQLite file with its tracking row. Several processes may follow one
store: the view's write lock and its tracking position decide which of them applies an event,
and a batch that another process applied first is dropped and read again after theirs.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

from eventsourcing.persistence import (
    InfrastructureFactory,
    IntegrityError,
    OperationalError,
    Tracking,
)
from eventsourcing.utils import Environment

from registry.application import Registry
from registry.config import Settings
from registry.errors import RegistryError
from registry.readmodels import errors as _errors  # noqa: F401  (registers the messages)
from registry.readmodels.projection import RegistryProjection
from registry.readmodels.view import CatchUpView, ReadModelView

log = logging.getLogger(__name__)

# Notifications read from the store and applied in one transaction.
BATCH = 1000
# A read waits this long at most for the read models to reach the store's last event.
READ_TIMEOUT = 5.0


class Follower:
    """The read models of one process, following the event store of `app`."""

    def __init__(
        self,
        app: Registry,
        env: dict[str, str],
        view_class: type[ReadModelView] = CatchUpView,
        interval: float = 0.2,
    ) -> None:
        self.app = app
        self.name = app.name
        self.interval = interval
        self.read_timeout = READ_TIMEOUT
        self.env, self.view_class = env, view_class
        self.topics = frozenset(RegistryProjection.topics)
        self._applying = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self.generation = 0
        self._open()

    def _open(self) -> None:
        factory = InfrastructureFactory[ReadModelView].construct(
            env=Environment(RegistryProjection.name, self.env)
        )
        view = factory.tracking_recorder(self.view_class)
        assert isinstance(view, ReadModelView)
        self.view = view
        self.path = Path(view.datastore.pool.db_name)
        self.file = _identity(self.path)
        self.projection = RegistryProjection(view)
        self.position = view.max_tracking_id(self.name) or 0
        self.generation += 1

    def replaced(self) -> bool:
        """Reopen the views file if `rebuild` swapped a fresh one in; whether it did."""
        if _identity(self.path) == self.file:
            return False
        with self._applying:
            if _identity(self.path) == self.file:
                return False
            self.view.close()
            self._open()
        return True

    def tracked(self) -> int:
        """The last event applied to the view, by this process or another."""
        self.position = max(self.position, self.view.max_tracking_id(self.name) or 0)
        return self.position

    def step(self, limit: int = BATCH, timeout: float = -1) -> int:
        """Apply the next stored events after the view's position; how many were applied.

        Zero when there is nothing new, when another process applied them first (their
        batch stands, this one is rolled back whole), or when `timeout` passed while another
        thread of this process was applying.
        """
        if not self._applying.acquire(timeout=timeout):
            return 0
        try:
            start = self.tracked()
            batch = self.app.recorder.select_notifications(start, limit, inclusive_of_start=False)
            if not batch:
                return 0
            decode, process, view = (
                self.app.mapper.to_domain_event,
                self.projection.process_event,
                self.view,
            )
            try:
                for notification in batch:
                    tracking = Tracking(self.name, notification.id)
                    if notification.topic in self.topics:
                        process(decode(notification), tracking)
                    else:
                        # Not projected, but seen: the position covers every stored event.
                        view.begin_event(tracking)
                        view.end_event(tracking)
                view.flush()
            except IntegrityError:
                view.rollback()
                return 0
            self.position = batch[-1].id
            return len(batch)
        finally:
            self._applying.release()

    def catch_up(self, target: int | None = None, timeout: float = 3600.0) -> int:
        """Apply events until the view reaches `target` (the store's last by default)."""
        last = self.app.recorder.max_notification_id() or 0
        target = last if target is None else target
        deadline = time.monotonic() + timeout
        applied = 0
        while self.tracked() < target:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"read models at {self.position}, not {target}")
            applied += self.step(timeout=remaining)
        return applied

    def up_to_date(self, timeout: float | None = None) -> int:
        """Wait until the view holds every event stored before this call; its position.

        A refusal `views_behind` after `timeout` (`read_timeout` by default): the caller
        answers 503, never stale data.
        """
        timeout = self.read_timeout if timeout is None else timeout
        try:
            self.replaced()
            target = self.app.recorder.max_notification_id() or 0
            if self.position >= target:
                return self.position
            self.catch_up(target, timeout)
        except TimeoutError:
            raise RegistryError("views_behind", position=self.position, target=target) from None
        except (OperationalError, sqlite3.OperationalError) as exc:
            raise RegistryError("store_unavailable", details=str(exc)) from exc
        return self.position

    def start(self) -> None:
        """Follow the store in a thread, so that reads seldom wait."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="read-models", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                self.replaced()
                while not self._stopped.is_set() and self.step(timeout=self.interval):
                    pass
            except (sqlite3.Error, RegistryError, OSError) as exc:
                log.warning("read models: %s", exc)
            except Exception:
                log.exception("read models: an event could not be applied")

    def close(self, timeout: float = 5.0) -> None:
        """Stop following, commit what is complete, close the view (not the registry).

        A thread stuck on a store that no longer answers is left to end with the process.
        """
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._applying.acquire(timeout=timeout):
            try:
                self.view.close()
            finally:
                self._applying.release()


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file a path names now (device and inode), or None if there is none."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


def open_follower(
    settings: Settings,
    app: Registry,
    views: Path | None = None,
    view_class: type[ReadModelView] = CatchUpView,
) -> Follower:
    """A follower of `app`'s store writing the views file of `settings` (or `views`)."""
    from registry.readmodels.runner import runner_env

    settings.data.mkdir(parents=True, exist_ok=True)
    return Follower(app, runner_env(settings, views), view_class)
