"""Health and readiness on a PostgreSQL store that stops answering: /healthz stays 200 without
reading it, /readyz says 503 with its stable code, and says ok again when it answers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from registry.application import Registry
from registry.bootstrap import initialise
from registry.config import Settings
from tests.conftest import FACILITATOR, PG_ADMIN_URL
from web import create_app, store


@pytest.fixture
def own_database() -> Iterator[str]:
    """A PostgreSQL database of this test's own, which the test may drop."""
    name = f"ssa_registry_health_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:  # fail loudly: PostgreSQL tests never skip
        pytest.fail(f"PostgreSQL is required for the tests ({PG_ADMIN_URL}): {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_readyz_is_503_when_postgresql_stops_answering_and_healthz_stays_200(
    own_database: str, tmp_path: Path
) -> None:
    url = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{own_database}"
    settings = Settings(data=tmp_path / "data", database_url=url)
    settings.data.mkdir(parents=True)
    registry = Registry(env=settings.event_store_env())
    try:
        initialise(registry, FACILITATOR)
    finally:
        registry.close()
    app = create_app({"TESTING": True, "REGISTRY_SETTINGS": settings, "SECRET_KEY": "x"})
    try:
        client = app.test_client()
        assert client.get("/readyz").get_json() == {"status": "ok"}
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{own_database}" WITH (FORCE)')
        response = client.get("/readyz")
        assert response.status_code == 503
        body = response.get_json()
        assert body["status"] == "unavailable" and body["code"] == "store_unavailable"
        assert client.get("/healthz").get_json() == {"status": "ok"}
        assert client.get("/healthz").status_code == 200
    finally:
        store.close(app)
