"""Where a benchmark writes its synthetic history: a temporary folder, and on PostgreSQL a
database of its own, created for the run and dropped after it.

The store follows the settings: with SSA_REGISTRY_DATABASE_URL set, the events go to a fresh
database on that PostgreSQL server (never into the database the URL names); otherwise to a
SQLite file in the temporary folder. The read models are a SQLite file in that folder either
way, as for the registry.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse
from uuid import uuid4

import psycopg
from psycopg import sql

from registry.config import Settings
from registry.errors import MESSAGES, RegistryError

MESSAGES.update(
    {
        "bench_database": (
            "Impossible de créer la base jetable du benchmark sur {location} : {details}. "
            "Rien n'a été écrit.",
            "Cannot create the benchmark's throw-away database on {location}: {details}. "
            "Nothing was written.",
        ),
    }
)

PREFIX = "ssa_bench_"


def store_name(settings: Settings) -> str:
    """The kind of event store the settings name: sqlite or postgresql."""
    return "postgresql" if settings.database_url else "sqlite"


@contextmanager
def scratch(base: Settings) -> Iterator[Settings]:
    """Settings for an empty store of the same kind as `base`'s, removed when done."""
    with tempfile.TemporaryDirectory(prefix="ssa-bench-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        if not base.database_url:
            yield Settings(data=data, database_url=None)
            return
        with throwaway_database(base.database_url) as url:
            yield Settings(data=data, database_url=url)


@contextmanager
def throwaway_database(server_url: str) -> Iterator[str]:
    """The URL of a new, empty database on the server of `server_url`; dropped after."""
    name = f"{PREFIX}{os.getpid()}_{uuid4().hex[:8]}"
    location = Settings(database_url=server_url).location
    try:
        admin = psycopg.connect(_conninfo(server_url), autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise RegistryError("bench_database", location=location, details=_line(exc)) from exc
    try:
        with admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        raise RegistryError("bench_database", location=location, details=_line(exc)) from exc
    try:
        yield _with_database(server_url, name)
    finally:
        with psycopg.connect(_conninfo(server_url), autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _line(exc: Exception) -> str:
    """libpq's message, which may span lines, on one line."""
    return " ".join(str(exc).split()).rstrip(".")


def _conninfo(url: str) -> str:
    """The URL without the registry's own `schema` parameter, which libpq does not know."""
    return urlunparse(urlparse(url)._replace(query=""))


def _with_database(url: str, name: str) -> str:
    """The same server and credentials, another database, its default schema."""
    return urlunparse(urlparse(url)._replace(path=f"/{name}", query=""))
