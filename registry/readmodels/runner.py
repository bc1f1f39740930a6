"""Keep the read models: eventsourcing's ProjectionRunner follows and catches up; a rebuild
replays the same projection from the first event into a fresh file."""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from uuid import UUID

from eventsourcing.persistence import (
    ApplicationRecorder,
    InfrastructureFactory,
    IntegrityError,
    ListenNotifySubscription,
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
from registry.readmodels.projection import TIMELINE_ONLY, RegistryProjection
from registry.readmodels.view import CatchUpView, ReadModelView, RebuildView, WriterError

VIEWS_FILE = "views.sqlite3"
# Notifications read from the store at a time when rebuilding.
REPLAY_BATCH = 1000
# Allocations between two collections of the youngest generation, when rebuilding.
REPLAY_GC_THRESHOLD = 100_000
Progress = Callable[[int, int], None]
Runner = ProjectionRunner[Registry, ReadModelView]


class PollingSubscription(ListenNotifySubscription[SQLiteApplicationRecorder]):
    """A subscription to a SQLite event store, which cannot notify: it polls instead."""

    interval = 0.2

    def _loop_on_pull(self) -> None:
        try:
            self._pull()
            while not self._has_been_stopped:
                self._has_been_notified.wait(timeout=self.interval)
                self._pull()
        except BaseException as exc:
            if self._thread_error is None:
                self._thread_error = exc
            self.stop()


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

    If another process (the web interface, another command) applied some of the same events
    first, this one's batch is refused whole and it starts again after theirs.
    """
    for attempt in range(3):
        try:
            return _catch_up(settings, progress, views, timeout, view_class)
        except IntegrityError:
            if attempt == 2:
                raise
    return 0


def _catch_up(
    settings: Settings,
    progress: Progress | None,
    views: Path | None,
    timeout: float,
    view_class: type[ReadModelView],
) -> int:
    runner = follow(settings, views, view_class)
    try:
        start = runner.view.max_tracking_id(runner.app_name) or 0
        target = _last_relevant(runner.app, start)
        if target > start:
            _wait(runner, target, start, progress, timeout)
        done = runner.view.max_tracking_id(runner.app_name) or 0
    finally:
        close(runner)
    return max(done - start, 0)


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


def _wait(
    runner: Runner, target: int, start: int, progress: Progress | None, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    total = max(target - start, 0)
    while True:
        try:
            runner.wait(target, timeout=1.0)
        except TimeoutError:
            if time.monotonic() > deadline:
                raise
            # Group commit: whatever is complete becomes durable, at least once a second.
            runner.view.flush()
            if progress is not None:
                done = (runner.view.max_tracking_id(runner.app_name) or start) - start
                progress(done, total)
            continue
        if progress is not None:
            progress(total, total)
        return


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
