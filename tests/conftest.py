"""Shared fixtures: a registry on SQLite and on a throw-away PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from hypothesis import settings as hypothesis_settings

from registry.application import Registry
from registry.bootstrap import initialise
from registry.config import Settings
from registry.roles import Actor, Role

# Speed is measured by the benchmarks in bench/, never by test deadlines on a shared machine.
hypothesis_settings.register_profile("registry", deadline=None, print_blob=True)
hypothesis_settings.load_profile("registry")

# The server that CI and developers have; tests create and drop their own database on it.
PG_ADMIN_URL = os.environ.get("SSA_REGISTRY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
STORES = ["sqlite", "postgres"]
FACILITATOR = Actor("animatrice-test", Role.FACILITATOR)


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A throw-away PostgreSQL database for this test session, dropped at the end."""
    name = f"ssa_registry_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:  # fail loudly: PostgreSQL tests never skip
        pytest.fail(f"PostgreSQL is required for the tests ({PG_ADMIN_URL}): {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=STORES)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for an empty store: SQLite in tmp_path, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return Settings(data=tmp_path / "data", database_url=None)
    url = request.getfixturevalue("pg_database")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return Settings(data=tmp_path / "data", database_url=f"{url}?schema={schema}")


@pytest.fixture
def empty_app(settings: Settings) -> Iterator[Registry]:
    """A registry on an empty store."""
    settings.data.mkdir(parents=True, exist_ok=True)
    app = Registry(env=settings.event_store_env())
    yield app
    app.close()


@pytest.fixture
def app(empty_app: Registry) -> Registry:
    """A registry with the default caisse and its first criteria version."""
    initialise(empty_app, FACILITATOR)
    return empty_app


@pytest.fixture
def cli_env(settings: Settings) -> dict[str, str]:
    """Environment variables pointing the CLI at the test store."""
    env = {"SSA_REGISTRY_DATA": str(settings.data), "LANG": "fr_FR.UTF-8"}
    env["SSA_REGISTRY_DATABASE_URL"] = settings.database_url or ""
    return env


@pytest.fixture
def runner() -> CliRunner:
    """Click's runner, keeping stderr apart."""
    return CliRunner()
