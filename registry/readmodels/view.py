"""The read-model database: a tracking recorder whose tables live in the same SQLite file.

Each event's table writes and the tracking row that records it commit in one transaction, so
an event is applied exactly once and a crash resumes after the last committed event. Several
events may share one transaction (a batch) when catching up; the guarantee is the same.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlite_utils
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder

from registry.readmodels.schema import FTS_COLUMNS, create_all

_FTS_SYNC = (
    "INSERT INTO timeline_fts (rowid, {cols}) SELECT seq, {cols} FROM timeline "
    "WHERE seq BETWEEN ? AND ?"
).format(cols=", ".join(f'"{c}"' for c in FTS_COLUMNS))


def wrap(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """A sqlite-utils handle on an open connection, changing none of its settings."""
    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


class ReadModelView(SQLiteTrackingRecorder):
    """Read-model tables and the tracking table in one SQLite file."""

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
        self._db: sqlite_utils.Database | None = None
        self._rows: dict[str, list[Any]] = {}
        self._last: int | None = None
        self._tracking: Tracking | None = None
        self._first_seq = 0
        self._pending = 0

    def _create_table(self, c: SQLiteCursor) -> None:
        super()._create_table(c)
        create_all(wrap(c.sqlite_cursor.connection))

    @contextmanager
    def event(self, tracking: Tracking) -> Iterator[sqlite_utils.Database]:
        """Write one event's rows; its tracking commits with them, or nothing does."""
        with self._lock:
            db = self._begin(tracking.application_name)
            if self._last is not None and tracking.notification_id <= self._last:
                self.rollback()
                msg = (
                    f"event {tracking.notification_id} of {tracking.application_name} "
                    f"is already applied (up to {self._last})"
                )
                raise IntegrityError(msg)
            try:
                yield db
            except BaseException:
                self.rollback()
                raise
            if self._tracking is None:
                self._first_seq = tracking.notification_id
            self._tracking = tracking
            self._last = tracking.notification_id
            self._pending += 1
            if self._pending >= self.batch_size:
                self.flush()

    def append(self, sql: str, row: list[Any]) -> None:
        """A row for an append-only table, inserted with its batch, in the same transaction."""
        self._rows.setdefault(sql, []).append(row)

    def flush(self) -> None:
        """Commit the open transaction with the tracking row of its last event; thread-safe."""
        with self._lock:
            db = self._db
            if db is None:
                return
            try:
                for sql, rows in self._rows.items():
                    db.conn.executemany(sql, rows)
                if self._tracking is not None:
                    db.execute(_FTS_SYNC, [self._first_seq, self._tracking.notification_id])
                    self._insert_tracking(SQLiteCursor(db.conn.cursor()), self._tracking)
                db.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise
            self._release()
            for done in self.on_commit:
                done()

    def rollback(self) -> None:
        """Abandon the open transaction: none of its events count as applied."""
        with self._lock:
            if self._db is not None and self._db.conn.in_transaction:
                self._db.execute("ROLLBACK")
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

    def _begin(self, application_name: str) -> sqlite_utils.Database:
        if self._db is not None:
            return self._db
        writer = self._connect()
        writer.execute("BEGIN IMMEDIATE")
        try:
            db = wrap(writer)
            self._last = self._max_tracking_id(application_name, SQLiteCursor(writer.cursor()))
        except BaseException:
            writer.execute("ROLLBACK")
            raise
        self._db = db
        return db

    def _connect(self) -> sqlite3.Connection:
        # The pool's connections keep a single prepared statement; this writer keeps many.
        if self._writer is None:
            writer = sqlite3.connect(
                self.datastore.pool.db_name,
                isolation_level=None,
                check_same_thread=False,
                cached_statements=256,
                timeout=self.datastore.pool.lock_timeout or 30,
            )
            writer.execute("PRAGMA journal_mode=WAL")
            if self.durable:
                # After a power cut the views resume from the last synced commit.
                writer.execute("PRAGMA synchronous=NORMAL")
            else:
                writer.execute("PRAGMA synchronous=OFF")
                writer.execute("PRAGMA wal_autocheckpoint=10000")
            writer.execute("PRAGMA cache_size=-65536")
            self._writer = writer
        return self._writer

    def _release(self) -> None:
        self._db = None
        self._rows = {}
        self._last = None
        self._tracking = None
        self._pending = 0
        self._first_seq = 0


class CatchUpView(ReadModelView):
    """The view when catching up: many events per transaction."""

    batch_size = 5000


class RebuildView(CatchUpView):
    """The view of a rebuild into a fresh file: synced once, when complete."""

    durable = False
