"""Keep the read models: eventsourcing's ProjectionRunner follows and catches up; a rebuild
replays the same projection from the first event into a fresh file."""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from uuid import UUID

from eventsourcing.persistence import (
    ApplicationRecorder,
    InfrastructureFactory,
    Notification,
    Subscription,
    Tracking,
)
from eventsourcing.projection import ProjectionRunner
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import Environment, get_topic

from registry.application import Registry
from registry.config import Settings
from registry.errors import RegistryError
from registry.readmodels import errors as _errors  # noqa: F401  (registers the messages)
from registry.readmodels.follower import Follower, open_follower
from registry.readmodels.projection import TIMELINE_ONLY, RegistryProjection
from registry.readmodels.view import CatchUpView, ReadModelView, RebuildView, WriterError

VIEWS_FILE = "views.sqlite3"
# Notifications read from the store at a time when rebuilding.
REPLAY_BATCH = 1000
# Allocations between two collections of the youngest generation, when rebuilding.
REPLAY_GC_THRESHOLD = 100_000
Progress = Callable[[int, int], None]
Runner = ProjectionRunner[Registry, ReadModelView]


class PollingSubscription(Subscription[SQLiteApplicationRecorder]):
    """A subscription to a SQLite event store, which cannot notify: it polls instead."""

    interval = 0.2
    limit = 500

    def __init__(
        self, recorder: SQLiteApplicationRecorder, gt: int | None = None, topics: Sequence[str] = ()
    ) -> None:
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        self.recorder, self.position, self.topics = recorder, gt or 0, tuple(topics)
        self.stopped = threading.Event()
        self.pending: deque[Notification] = deque()

    def stop(self) -> None:
        """Stop polling; the iteration ends."""
        super().stop()
        self.stopped.set()

    def __next__(self) -> Notification:
        while not self.pending:
            if self.stopped.is_set():
                raise StopIteration
            found = self.recorder.select_notifications(
                self.position, self.limit, topics=self.topics, inclusive_of_start=False
            )
            if found:
                self.pending.extend(found)
                self.position = found[-1].id
            else:
                self.stopped.wait(self.interval)
        if self.stopped.is_set():
            raise StopIteration
        return self.pending.popleft()


class SubscribableSQLiteRecorder(SQLiteApplicationRecorder):
    """The SQLite application recorder, with polling subscriptions."""

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        """Follow the events recorded after `gt`."""
        return PollingSubscription(recorder=self, gt=gt, topics=topics)


def views_path(settings: Settings) -> Path:
    """Where the read models live, whatever the event store."""
    return settings.data / VIEWS_FILE


def runner_env(settings: Settings, views: Path | None = None) -> dict[str, str]:
    """The event store's environment plus the view's, which is always a SQLite file."""
    env = dict(settings.event_store_env())
    if not settings.database_url:
        env["APPLICATION_RECORDER_TOPIC"] = get_topic(SubscribableSQLiteRecorder)
    prefix = RegistryProjection.name.upper()
    env[f"{prefix}_PERSISTENCE_MODULE"] = "eventsourcing.sqlite"
    env[f"{prefix}_SQLITE_DBNAME"] = str(views or views_path(settings))
    env[f"{prefix}_SQLITE_LOCK_TIMEOUT"] = "30"
    return env


def follow(
    settings: Settings, views: Path | None = None, view_class: type[ReadModelView] = ReadModelView
) -> Runner:
    """A started ProjectionRunner keeping the read models up to date until it is closed.

    With the default view each event commits on its own; with `CatchUpView` events commit in
    batches, and the caller flushes.
    """
    if not settings.database_url:
        _check_store(settings)
    settings.data.mkdir(parents=True, exist_ok=True)
    runner: Runner = ProjectionRunner(
        application_class=Registry,
        projection_class=RegistryProjection,
        view_class=view_class,
        env=runner_env(settings, views),
    )
    return runner.__enter__()


def close(runner: Runner) -> None:
    """Stop the runner, commit what is complete, and close the view's database."""
    try:
        runner.__exit__(None, None, None)
    finally:
        runner.view.close()


def catch_up(
    settings: Settings,
    progress: Progress | None = None,
    views: Path | None = None,
    timeout: float = 3600.0,
    view_class: type[ReadModelView] = CatchUpView,
) -> int:
    """Bring the read models up to the last stored event; the number of events applied.

    If another process (the web interface, another command) applies some of the same events
    first, this one's batch is dropped whole and it goes on after theirs.
    """
    if not settings.database_url:
        _check_store(settings)
    app = Registry(env=settings.event_store_env())
    try:
        follower = open_follower(settings, app, views, view_class)
        try:
            return _follow_to_end(follower, progress, timeout)
        finally:
            follower.close()
    finally:
        app.close()


def _follow_to_end(follower: Follower, progress: Progress | None, timeout: float) -> int:
    start = follower.tracked()
    target = follower.app.recorder.max_notification_id() or 0
    deadline = time.monotonic() + timeout
    total, reported = max(target - start, 0), time.monotonic()
    while follower.tracked() < target:
        if time.monotonic() > deadline:
            raise TimeoutError(f"read models at {follower.position}, not {target}")
        follower.step()
        if progress is not None and time.monotonic() - reported > 1.0:
            progress(follower.position - start, total)
            reported = time.monotonic()
    if progress is not None and total:
        progress(total, total)
    return max(follower.position - start, 0)


def rebuild(settings: Settings, progress: Progress | None = None) -> int:
    """Rebuild every read model from the first event, then swap it in; events applied.

    The projection is the one the runner drives, fed here in batches read from the store: a
    writer process commits each batch with its tracking row while the next is projected.
    """
    if not settings.database_url:
        _check_store(settings)
    final = views_path(settings)
    fresh = final.with_name(final.name + ".rebuild")
    _remove(fresh)
    settings.data.mkdir(parents=True, exist_ok=True)
    try:
        count = _replay(settings, fresh, progress)
    except (WriterError, sqlite3.Error, OSError) as exc:
        _remove(fresh)
        raise RegistryError("rebuild_failed", details=str(exc), path=final) from exc
    except BaseException:
        _remove(fresh)
        raise
    _remove(final)
    os.replace(fresh, final)
    return count


def _replay(settings: Settings, fresh: Path, progress: Progress | None) -> int:
    env = runner_env(settings, fresh)
    app = Registry(env=env)
    try:
        factory = InfrastructureFactory[ReadModelView].construct(
            env=Environment(RegistryProjection.name, env)
        )
        view = factory.tracking_recorder(RebuildView)
        assert isinstance(view, RebuildView)
        # What is alive now outlives the replay: the collector need not scan it again and
        # again; the replay's own objects are freed as they go, cycles are rare.
        thresholds = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(REPLAY_GC_THRESHOLD, *thresholds[1:])
        try:
            view.decode_with(env)
            count = _project(app, RegistryProjection(view), progress, view.has_room)
        except BaseException:
            view.discard()
            raise
        finally:
            gc.set_threshold(*thresholds)
            gc.unfreeze()
        view.close()
    finally:
        app.close()
    return count


def _project(
    app: Registry,
    projection: RegistryProjection,
    progress: Progress | None,
    room: Callable[[], bool] | None = None,
) -> int:
    """Apply every stored event after the last tracked.

    While `room()` says the view's writer keeps up, timeline-only events are handed to it
    encoded, for it to decode and write: the work is shared between two processes.
    """
    recorder, decode, name = app.recorder, app.mapper.to_domain_event, app.name
    process, defer, topics = projection.process_event, projection.defer, projection.topics
    start = projection.view.max_tracking_id(name) or 0
    target = _last_relevant(app, start)
    position, reported = start, time.monotonic()
    while position < target:
        batch = recorder.select_notifications(
            position, REPLAY_BATCH, stop=target, topics=topics, inclusive_of_start=False
        )
        if not batch:
            break
        deferred = TIMELINE_ONLY if room is not None and room() else frozenset()
        for notification in batch:
            if notification.topic in deferred and isinstance(notification.originator_id, UUID):
                defer(notification, Tracking(name, notification.id))
            else:
                process(decode(notification), Tracking(name, notification.id))
        position = batch[-1].id
        if progress is not None and time.monotonic() - reported > 1.0:
            progress(position - start, target - start)
            reported = time.monotonic()
    if progress is not None:
        progress(target - start, target - start)
    return position - start


def _last_relevant(app: Registry, after: int) -> int:
    """The id of the last stored event the projection takes, or `after` if there is none."""
    last = app.recorder.max_notification_id() or 0
    window = 1000
    while last > after:
        low = max(last - window, after)
        found = app.recorder.select_notifications(
            low, window + 1, stop=last, topics=RegistryProjection.topics, inclusive_of_start=False
        )
        if found:
            return found[-1].id
        last, window = low, window * 4
    return after


def _check_store(settings: Settings) -> None:
    if not settings.events_path.exists():
        raise RegistryError("store_missing", location=settings.location)


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        target = path.with_name(path.name + suffix)
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
