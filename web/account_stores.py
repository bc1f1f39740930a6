"""Where the accounts live: an erasable SQLite file, or tables of the PostgreSQL database.

Both stores run the queries `web.accounts.Accounts` writes once; each only opens its
transactions, creates its tables, and turns its driver's failures into StoreUnavailable.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout
from sqlite_utils import Database

from registry.config import postgres_env
from web.accounts import Accounts, StoreUnavailable, Transaction

SCHEMA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class SQLiteAccounts(Accounts):
    """The accounts file `accounts.sqlite3`, readable and writable by its owner only; every
    transaction opens its own connection, so threads never share one."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        _owner_only(path)
        with self._connection() as conn:
            _create_sqlite_tables(Database(conn))

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One transaction on its own connection."""
        with self._connection() as conn:
            yield _SQLiteTransaction(conn)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = connect(self.path)
        except sqlite3.Error as exc:
            raise StoreUnavailable() from exc
        try:
            with conn:
                yield conn
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError):
            raise
        except sqlite3.DatabaseError as exc:  # read-only, locked, full or damaged file
            raise StoreUnavailable() from exc
        finally:
            conn.close()


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the accounts file, waiting a while for another writer."""
    return sqlite3.connect(path, timeout=10)


class _SQLiteTransaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self.conn.execute(sql, list(params)).rowcount


def _owner_only(path: Path) -> None:
    """Create the file for its owner only, and take group and others off an existing one."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        path.chmod(mode & ~0o077)


def _create_sqlite_tables(db: Database) -> None:
    if "accounts" not in db.table_names():
        db.table("accounts").create(
            {
                "login": str,
                "role": str,
                "display_name": str,
                "password_hash": str,
                "token_hash": str,
                "sirets": str,
                "pseudonym": str,
                "caisse": str,
                "created_at": float,
            },
            pk="login",
        )
        db.table("accounts").create_index(["token_hash"])
    elif "caisse" not in db.table("accounts").columns_dict:
        # Files written before accounts had a caisse: theirs is the first caisse.
        db.table("accounts").add_column("caisse", str, not_null_default="")
    if "login_failures" not in db.table_names():
        db.table("login_failures").create(
            {"key": str, "failures": int, "first_at": float, "locked_until": float},
            pk="key",
        )


# Two servers starting at once must not both create the tables.
_SCHEMA_LOCK = "select pg_advisory_xact_lock(hashtext('ssa-registry web accounts'))"
_POSTGRES_TABLES = (
    """create table if not exists {accounts} (
        login text primary key,
        role text not null,
        display_name text not null,
        password_hash text not null,
        token_hash text,
        sirets text not null default '[]',
        pseudonym text not null default '',
        caisse text not null default '',
        created_at double precision not null
    )""",
    "create index if not exists web_accounts_token_hash on {accounts} (token_hash)",
    """create table if not exists {failures} (
        key text primary key,
        failures integer not null,
        first_at double precision not null,
        locked_until double precision not null
    )""",
)
_UNAVAILABLE = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    psycopg.errors.ReadOnlySqlTransaction,
    PoolTimeout,
)


class PostgresAccounts(Accounts):
    """Tables `web_accounts` and `web_login_failures` in the registry's PostgreSQL database
    (and its schema, when the URL names one), shared by every web server of the registry;
    a request waits `timeout` seconds for a connection before the store counts as
    unavailable."""

    def __init__(self, database_url: str, max_connections: int = 8, timeout: float = 10) -> None:
        super().__init__()
        env = postgres_env(database_url)
        schema = env.get("POSTGRES_SCHEMA", "")
        if schema and not SCHEMA_NAME.match(schema):
            raise ValueError(f"schema name {schema!r}")
        prefix = f'"{schema}".' if schema else ""
        self.accounts_table = f"{prefix}web_accounts"
        self.failures_table = f"{prefix}web_login_failures"
        conninfo = make_conninfo(
            dbname=env["POSTGRES_DBNAME"],
            host=env["POSTGRES_HOST"],
            port=env["POSTGRES_PORT"],
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"] or None,
            connect_timeout=env["POSTGRES_CONNECT_TIMEOUT"],
            application_name="ssa-registry-accounts",
        )
        self.pool: ConnectionPool[Any] = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=max_connections,
            open=True,
            timeout=timeout,
            kwargs={"row_factory": dict_row},
            # A connection the server ended (a restart, a failover) is replaced, not used.
            check=ConnectionPool.check_connection,
            name="ssa-registry-accounts",
        )
        try:
            with self.transaction() as tx:
                tx.run(_SCHEMA_LOCK)
                for ddl in _POSTGRES_TABLES:
                    tx.run(ddl.format(accounts=self.accounts_table, failures=self.failures_table))
        except BaseException:
            self.pool.close()
            raise

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One transaction on a pooled connection."""
        try:
            with self.pool.connection() as conn:
                yield _PostgresTransaction(conn)
        except _UNAVAILABLE as exc:
            raise StoreUnavailable() from exc

    def close(self) -> None:
        """Close the pool's connections."""
        self.pool.close()


class _PostgresTransaction:
    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return list(self.conn.execute(_pyformat(sql), list(params)).fetchall())

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self.conn.execute(_pyformat(sql), list(params)).rowcount


def _pyformat(sql: str) -> str:
    """The accounts' qmark query in psycopg's parameter style (no query holds a literal ? or
    %)."""
    return sql.replace("?", "%s")
