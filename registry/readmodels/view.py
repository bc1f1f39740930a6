"""The read-model database: a tracking recorder whose tables live in the same SQLite file.

Each event's table writes and the tracking row that records it commit in one transaction, so
an event is applied exactly once and a crash resumes after the last committed event. Several
events may share one transaction (a batch) when catching up; the guarantee is the same.

A rebuild into a fresh file hands each complete batch to a writer process, which commits its
rows and its tracking row in one transaction while the next batch is being projected.
"""

from __future__ import annotations

import marshal
import multiprocessing
import pickle
import queue
import sqlite3
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any
from uuid import UUID

import sqlite_utils
from eventsourcing.persistence import IntegrityError, Notification, OperationalError, Tracking
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from registry.readmodels.schema import FTS_COLUMNS, create_all

_FTS_SYNC = (
    "INSERT INTO timeline_fts (rowid, {cols}) SELECT seq, {cols} FROM timeline "
    "WHERE seq BETWEEN ? AND ?"
).format(cols=", ".join(f'"{c}"' for c in FTS_COLUMNS))

# Tries at creating the tables, when other processes create them at the same moment.
CREATE_ATTEMPTS = 5

# Writes in the order they were made: runs of one statement, each with its parameter rows.
Runs = list[tuple[str, list[Any]]]


def wrap(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """A sqlite-utils handle on an open connection, changing none of its settings."""
    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


class WriterError(RuntimeError):
    """The writer process failed: its open batch was rolled back, nothing after it is applied."""


class ReadModelView(SQLiteTrackingRecorder):
    """Read-model tables and the tracking table in one SQLite file.

    An event is applied between `begin_event` and `end_event` (or `abort_event`): its writes go
    through `execute` (in order) and `append` (rows of append-only tables, written with the
    batch), its reads through `query`.
    """

    # Events per transaction at most; `flush()` commits a smaller batch at any time.
    batch_size = 1
    # A throw-away build (a rebuild beside the live views) need not survive a power cut.
    durable = True

    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.on_rollback: list[Callable[[], None]] = []
        self.on_commit: list[Callable[[], None]] = []
        self._lock = threading.RLock()
        self._writer: sqlite3.Connection | None = None
        self._open = False
        self._rows: dict[str, list[Sequence[Any]]] = {}
        self._last: int | None = None
        self._tracking: Tracking | None = None
        self._first_seq = 0
        self._pending = 0

    def create_table(self) -> None:
        """The tracking table, then every missing read-model table, index and view.

        Another process may create the same tables at the same moment: whoever comes second
        finds them there on its next attempt.
        """
        for attempt in range(CREATE_ATTEMPTS):
            try:
                super().create_table()
                break
            except (IntegrityError, OperationalError, sqlite3.Error):
                if attempt == CREATE_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        conn = connect(
            self.datastore.pool.db_name,
            self.datastore.pool.lock_timeout or 30,
            durable=self.durable,
        )
        try:
            for attempt in range(CREATE_ATTEMPTS):
                try:
                    create_all(wrap(conn))
                    break
                except sqlite3.OperationalError:
                    if attempt == CREATE_ATTEMPTS - 1:
                        raise
                    time.sleep(0.05 * (attempt + 1))
        finally:
            conn.close()

    def begin_event(self, tracking: Tracking) -> None:
        """Start applying one event; `end_event` or `abort_event` must follow."""
        self._lock.acquire()
        try:
            if not self._open:
                self._begin(tracking.application_name)
            if self._last is not None and tracking.notification_id <= self._last:
                self.rollback()
                msg = (
                    f"event {tracking.notification_id} of {tracking.application_name} "
                    f"is already applied (up to {self._last})"
                )
                raise IntegrityError(msg)
        except BaseException:
            self._lock.release()
            raise

    def end_event(self, tracking: Tracking) -> None:
        """The event is applied: its tracking commits with its batch."""
        try:
            if self._tracking is None:
                self._first_seq = tracking.notification_id
            self._tracking = tracking
            self._last = tracking.notification_id
            self._pending += 1
            if self._pending >= self.batch_size:
                self.flush()
        finally:
            self._lock.release()

    def abort_event(self) -> None:
        """The event failed: the open batch is abandoned, none of its events count."""
        try:
            self.rollback()
        finally:
            self._lock.release()

    @contextmanager
    def event(self, tracking: Tracking) -> Iterator[ReadModelView]:
        """Apply one event; its tracking commits with its writes, or nothing does."""
        self.begin_event(tracking)
        try:
            yield self
        except BaseException:
            self.abort_event()
            raise
        self.end_event(tracking)

    def execute(self, sql: str, params: Any) -> None:
        """A write of the current event, made in order with its other writes."""
        assert self._writer is not None
        self._writer.execute(sql, params)

    def query(self, sql: str, params: Any) -> Any:
        """The first row a read gives, seeing every earlier `execute`."""
        assert self._writer is not None
        return self._writer.execute(sql, params).fetchone()

    def defer(self, notification: Notification, subject: Any) -> None:
        """Only a view that decodes events itself takes them encoded."""
        raise NotImplementedError

    def append(self, sql: str, row: Sequence[Any]) -> None:
        """A row for an append-only table, inserted with its batch, in the same transaction."""
        rows = self._rows.get(sql)
        if rows is None:
            self._rows[sql] = [row]
        else:
            rows.append(row)

    def flush(self) -> None:
        """Commit the open transaction with the tracking row of its last event; thread-safe."""
        with self._lock:
            if not self._open:
                return
            assert self._writer is not None
            conn = self._writer
            try:
                for sql, rows in self._rows.items():
                    conn.executemany(sql, rows)
                if self._tracking is not None:
                    conn.execute(_FTS_SYNC, [self._first_seq, self._tracking.notification_id])
                    self._track(conn, self._tracking)
                conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise
            self._release()
            for done in self.on_commit:
                done()

    def rollback(self) -> None:
        """Abandon the open transaction: none of its events count as applied."""
        with self._lock:
            if self._writer is not None and self._writer.in_transaction:
                self._writer.execute("ROLLBACK")
            self._release()
            for forget in self.on_rollback:
                forget()

    def close(self) -> None:
        """Commit what is complete and close the database."""
        with self._lock:
            self.flush()
            if self._writer is not None:
                if not self.durable:
                    self._writer.execute("PRAGMA synchronous=FULL")
                    self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self._writer.close()
                self._writer = None
        self.datastore.close()

    def _begin(self, application_name: str) -> None:
        if self._open:
            return
        writer = self._connect()
        writer.execute("BEGIN IMMEDIATE")
        try:
            found = writer.execute(self.select_max_tracking_id_statement, [application_name])
            self._last = found.fetchone()[0]
        except BaseException:
            writer.execute("ROLLBACK")
            raise
        self._open = True

    def _track(self, conn: sqlite3.Connection, tracking: Tracking) -> None:
        """The tracking row, in the open transaction: refused if it does not move forward."""
        found = conn.execute(
            self.insert_tracking_statement,
            {
                "application_name": tracking.application_name,
                "notification_id": tracking.notification_id,
            },
        ).fetchall()
        if self.datastore.single_row_tracking and not found:
            msg = f"tracking of {tracking.application_name} not moved to {tracking.notification_id}"
            raise IntegrityError(msg)

    def _connect(self) -> sqlite3.Connection:
        # The pool's connections keep a single prepared statement; this writer keeps many.
        if self._writer is None:
            self._writer = connect(
                self.datastore.pool.db_name,
                self.datastore.pool.lock_timeout or 30,
                durable=self.durable,
            )
        return self._writer

    def _release(self) -> None:
        self._open = False
        self._rows = {}
        self._last = None
        self._tracking = None
        self._pending = 0
        self._first_seq = 0


def connect(path: str, timeout: float, *, durable: bool) -> sqlite3.Connection:
    """A connection that writes the read models, keeping many prepared statements."""
    conn = sqlite3.connect(
        path,
        isolation_level=None,
        check_same_thread=False,
        cached_statements=256,
        timeout=timeout,
    )
    conn.execute("PRAGMA journal_mode=WAL")
    if durable:
        # After a power cut the views resume from the last synced commit.
        conn.execute("PRAGMA synchronous=NORMAL")
    else:
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA wal_autocheckpoint=10000")
    conn.execute("PRAGMA cache_size=-65536")
    return conn


class CatchUpView(ReadModelView):
    """The view when catching up: many events per transaction."""

    batch_size = 5000


class RebuildView(CatchUpView):
    """The view of a rebuild into a fresh file, written by a separate process.

    Writes are kept in order and handed over with the batch; a complete batch goes to the
    writer process, which commits it with its tracking row in one transaction while this
    process projects the next one. Reads wait until every batch handed over is committed;
    what the open batch wrote must be known from memory. The file is synced when complete.

    Events that only add a timeline row may be handed over still encoded (`defer`), with
    their subject: the writer decodes them and writes their rows with their batch.
    """

    durable = False

    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self._runs: Runs = []
        self._deferred: list[tuple[Any, ...]] = []
        self._decoding: dict[str, str] | None = None
        self._sent: int | None = None
        self._unsynced = False  # batches handed over since the writer last confirmed
        self._started = False
        self._process: _WriterProcess | None = None
        self._reader: sqlite3.Connection | None = None

    def execute(self, sql: str, params: Any) -> None:
        """A write, queued in order with the batch."""
        runs = self._runs
        if runs and runs[-1][0] == sql:
            runs[-1][1].append(params)
        else:
            runs.append((sql, [params]))

    def decode_with(self, env: dict[str, str]) -> None:
        """Let the writer decode deferred events with an application built from `env`.

        The writer starts now, so that it is ready when the first batch is.
        """
        with self._lock:
            self._decoding = dict(env)
            if self._process is None:
                self._writer_process()
            else:
                self._process.send(("decoder", self._decoding))

    def has_room(self) -> bool:
        """Whether the writer keeps up, so that it can decode deferred events too."""
        return self._decoding is not None and (self._process is None or self._process.backlog() < 2)

    def defer(self, notification: Notification, subject: Any) -> None:
        """A timeline-only event, left encoded: the writer decodes it and writes its row."""
        origin = notification.originator_id
        self._deferred.append(
            (
                notification.id,
                origin.bytes if isinstance(origin, UUID) else origin,
                notification.originator_version,
                notification.topic,
                notification.state,
                (subject.aggregate, subject.caisse, subject.subject, subject.label, subject.id),
            )
        )

    def query(self, sql: str, params: Any) -> Any:
        """A read of what every batch handed over has committed."""
        if self._process is not None and self._unsynced:
            self._process.sync()
            self._unsynced = False
        if self._reader is None:
            self._reader = sqlite3.connect(
                self.datastore.pool.db_name, isolation_level=None, check_same_thread=False
            )
        return self._reader.execute(sql, params).fetchone()

    def flush(self) -> None:
        """Hand the complete batch to the writer process; it commits it with its tracking."""
        with self._lock:
            if not self._open:
                return
            tracking = self._tracking
            if tracking is not None:
                self._writer_process().send(
                    (
                        "batch",
                        self._runs,
                        self._rows,
                        self._deferred,
                        self._first_seq,
                        tracking.application_name,
                        tracking.notification_id,
                    )
                )
                self._sent = tracking.notification_id
                self._unsynced = True
            self._release()
            for done in self.on_commit:
                done()

    def rollback(self) -> None:
        """Abandon the open batch; batches handed over before it stay applied."""
        with self._lock:
            self._release()
            for forget in self.on_rollback:
                forget()

    def wait_written(self) -> None:
        """Block until every batch handed over is committed."""
        with self._lock:
            if self._process is not None:
                self._process.sync()
                self._unsynced = False

    def close(self) -> None:
        """Commit what is complete, sync the file and close it."""
        try:
            with self._lock:
                self.flush()
                if self._process is not None:
                    self._process.close()
        finally:
            self.discard()

    def discard(self) -> None:
        """Stop writing, committing nothing more, and close the file."""
        with self._lock:
            self._release()
            if self._process is not None:
                self._process.stop()
                self._process = None
            if self._reader is not None:
                self._reader.close()
                self._reader = None
            self.datastore.close()

    def _begin(self, application_name: str) -> None:
        if self._open:
            return
        if not self._started:
            self._sent = self.max_tracking_id(application_name)
            self._started = True
        self._last = self._sent
        self._open = True

    def _release(self) -> None:
        super()._release()
        self._runs = []
        self._deferred = []

    def _writer_process(self) -> _WriterProcess:
        if self._process is None:
            self._process = _WriterProcess(
                self.datastore.pool.db_name,
                self.datastore.pool.lock_timeout or 30,
                self.insert_tracking_statement,
                single_row=self.datastore.single_row_tracking,
            )
            if self._decoding is not None:
                self._process.send(("decoder", self._decoding))
        return self._process


# A fresh interpreter, whatever threads this process runs: nothing is inherited half-held.
_CONTEXT = multiprocessing.get_context("spawn")


class _WriterProcess:
    """The writer process, fed batches through a pipe by a thread; it answers syncs and errors.

    The thread lets the projection run a few batches ahead of the writer.
    """

    ahead = 4

    def __init__(self, path: str, timeout: float, tracking_sql: str, *, single_row: bool) -> None:
        self._pipe, theirs = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(
            target=serve,
            args=(theirs, path, timeout, tracking_sql, single_row),
            name="view-writer",
            daemon=True,
        )
        self.process.start()
        theirs.close()
        self._failed: WriterError | None = None
        self._broken = False
        self._closed = False
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=self.ahead)
        self._sender = threading.Thread(target=self._send_all, name="view-writer", daemon=True)
        self._sender.start()

    def send(self, message: tuple[Any, ...]) -> None:
        """Hand a message over; waits only while the writer is several batches behind."""
        if self._failed is not None:
            raise self._failed
        if self._broken:
            self._receive()
            raise self._lost()
        self._queue.put(pack(message))

    def backlog(self) -> int:
        """Messages handed over and not yet written to the pipe."""
        return self._queue.qsize()

    def sync(self) -> None:
        """Wait until every batch handed over is committed."""
        self.send(("sync",))
        self._receive()

    def close(self) -> None:
        """Sync the file to disk and let the writer end."""
        self.send(("close",))
        self._receive()
        self._closed = True
        self.process.join()
        if self.process.exitcode != 0:
            raise self._lost()

    def stop(self) -> None:
        """End the writer, whatever its state: an open batch is rolled back."""
        if not self._closed and self.process.is_alive():
            self.process.kill()
        self._queue.put(None)
        self._sender.join()
        self._pipe.close()
        self.process.join()

    def _send_all(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._broken:
                continue
            try:
                self._pipe.send_bytes(data)
            except (OSError, ValueError):
                self._broken = True

    def _receive(self) -> tuple[Any, ...]:
        try:
            reply = unpack(self._pipe.recv_bytes())
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            raise self._lost() from None
        if reply[0] == "error":
            self._failed = WriterError(f"{reply[1]}: {reply[2]}")
            raise self._failed
        return tuple(reply)

    def _lost(self) -> WriterError:
        if self._failed is None:
            self._failed = WriterError(f"the writer process ended ({self.process.exitcode})")
        return self._failed


def pack(message: Any) -> bytes:
    """A message for the pipe: marshal when it can (faster), pickle otherwise."""
    try:
        return b"M" + marshal.dumps(message)
    except ValueError:
        return b"P" + pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)


def unpack(data: bytes) -> Any:
    """A message read from the pipe."""
    body = memoryview(data)[1:]
    return marshal.loads(body) if data[:1] == b"M" else pickle.loads(body)


Render = Callable[[list[tuple[Any, ...]]], tuple[str, list[tuple[Any, ...]]]]


def renderer(env: dict[str, str]) -> Render:
    """Timeline rows of deferred events, decoded by an application built from `env`."""
    from registry.application import Registry
    from registry.readmodels.common import Subject
    from registry.readmodels.projection import INSERT_TIMELINE, timeline_row

    to_event = Registry(env=env).mapper.to_domain_event

    def render(deferred: list[tuple[Any, ...]]) -> tuple[str, list[tuple[Any, ...]]]:
        return INSERT_TIMELINE, [
            timeline_row(
                to_event(
                    Notification(
                        originator_id=UUID(bytes=origin) if isinstance(origin, bytes) else origin,
                        originator_version=version,
                        topic=topic,
                        state=state,
                        id=seq,
                    )
                ),
                seq,
                Subject(*subject),
            )
            for seq, origin, version, topic, state, subject in deferred
        ]

    return render


def serve(pipe: Connection, path: str, timeout: float, tracking_sql: str, single: bool) -> None:
    """The writer process: apply each batch it is sent, with its tracking row, atomically."""
    conn = connect(path, timeout, durable=False)
    # Small checkpoints: little is left to copy when the file is complete.
    conn.execute("PRAGMA wal_autocheckpoint=1000")
    try:
        _serve(conn, pipe, tracking_sql, single)
    finally:
        conn.close()
        pipe.close()


def _serve(conn: sqlite3.Connection, pipe: Connection, tracking_sql: str, single: bool) -> None:
    def reply(*message: Any) -> None:
        pipe.send_bytes(pack(message))

    render: Render | None = None
    while True:
        try:
            message = unpack(pipe.recv_bytes())
        except EOFError:
            return  # the projecting process is gone: nothing open is committed
        try:
            if message[0] == "batch":
                write_batch(conn, tracking_sql, single, render, *message[1:])
            elif message[0] == "decoder":
                render = renderer(message[1])
            elif message[0] == "sync":
                reply("synced")
            elif message[0] == "close":
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                reply("closed")
                return
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            reply("error", type(exc).__name__, str(exc), traceback.format_exc())
            raise SystemExit(1) from None


def write_batch(
    conn: sqlite3.Connection,
    tracking_sql: str,
    single_row: bool,
    render: Render | None,
    runs: Runs,
    rows: dict[str, list[Any]],
    deferred: list[tuple[Any, ...]],
    first_seq: int,
    application_name: str,
    notification_id: int,
) -> None:
    """One batch's writes, in order, its rows and its tracking row, in one transaction."""
    if deferred and render is None:
        raise RuntimeError("deferred events, but nothing to decode them with")
    conn.execute("BEGIN IMMEDIATE")
    for sql, params in runs:
        conn.executemany(sql, params)
    for sql, table_rows in rows.items():
        conn.executemany(sql, table_rows)
    if deferred and render is not None:
        sql, rendered = render(deferred)
        conn.executemany(sql, rendered)
    conn.execute(_FTS_SYNC, [first_seq, notification_id])
    found = conn.execute(
        tracking_sql, {"application_name": application_name, "notification_id": notification_id}
    ).fetchall()
    if single_row and not found:
        msg = f"Failed to record tracking for {application_name} {notification_id}"
        raise IntegrityError(msg)
    conn.execute("COMMIT")
