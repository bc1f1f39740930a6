"""Where accounts live: an owner-only SQLite file, or tables shared by every server of one
PostgreSQL database; a store that cannot be written says so and keeps nothing half-written."""

from __future__ import annotations

import sqlite3
import stat
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from registry.config import Settings
from registry.roles import Role
from tests.conftest import PG_ADMIN_URL
from web import account_stores
from web.account_stores import PostgresAccounts, SQLiteAccounts
from web.accounts import AccountError, Accounts, StoreUnavailable

PASSWORD = "un mot de passe long"


@pytest.fixture
def accounts(settings: Settings) -> Iterator[Accounts]:
    store = Accounts.for_settings(settings)
    yield store
    store.close()


def read_only_connect(path: Path) -> sqlite3.Connection:
    """The accounts file opened as a file that cannot be written (a full or read-only disk)."""
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)


@pytest.fixture
def read_only_database() -> Iterator[str]:
    """A throw-away PostgreSQL database that turns read-only when `seal` is called on it."""
    name = f"ssa_registry_ro_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seal(url: str) -> None:
    """Make a database read-only for every new transaction and end the open connections."""
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        admin.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity where datname = %s", [name]
        )


# SQLite --------------------------------------------------------------------------------


def test_the_accounts_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    SQLiteAccounts(tmp_path / "accounts.sqlite3").create("membre", PASSWORD, Role.MEMBER)
    assert stat.S_IMODE((tmp_path / "accounts.sqlite3").stat().st_mode) == 0o600


def test_an_accounts_file_open_to_others_is_closed_to_them(tmp_path: Path) -> None:
    path = tmp_path / "accounts.sqlite3"
    SQLiteAccounts(path).create("membre", PASSWORD, Role.MEMBER)
    path.chmod(0o644)
    accounts = SQLiteAccounts(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert accounts.get("membre") is not None


def test_an_accounts_file_that_cannot_be_written_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts = SQLiteAccounts(tmp_path / "accounts.sqlite3")
    accounts.create("membre", PASSWORD, Role.MEMBER)
    monkeypatch.setattr(account_stores, "connect", read_only_connect)
    with pytest.raises(StoreUnavailable) as caught:
        accounts.create("autre", PASSWORD, Role.MEMBER)
    assert "rien n'a été enregistré" in caught.value.message("fr")
    assert "nothing was stored" in caught.value.message("en")
    with pytest.raises(StoreUnavailable):
        accounts.issue_token("membre")
    assert [a.login for a in accounts.all()] == ["membre"]  # reads still answer
    assert accounts.get("membre").has_token is False  # type: ignore[union-attr]


# PostgreSQL ----------------------------------------------------------------------------


def test_on_postgresql_accounts_live_in_the_database_not_in_a_file(
    pg_database: str, tmp_path: Path
) -> None:
    settings = Settings(data=tmp_path / "data", database_url=pg_database)
    accounts = Accounts.for_settings(settings)
    try:
        assert isinstance(accounts, PostgresAccounts)
        accounts.create("membre", PASSWORD, Role.MEMBER)
    finally:
        accounts.close()
    assert not (tmp_path / "data" / "accounts.sqlite3").exists()
    with psycopg.connect(pg_database) as conn:
        logins = [r[0] for r in conn.execute("select login from web_accounts")]
    assert "membre" in logins


@pytest.fixture
def two_servers(pg_database: str) -> Iterator[tuple[Accounts, Accounts]]:
    """Two servers' accounts on one PostgreSQL schema."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{pg_database}?schema={schema}"
    first, second = PostgresAccounts(url), PostgresAccounts(url)
    yield first, second
    first.close()
    second.close()


def test_an_account_made_on_one_server_is_known_to_the_other(
    two_servers: tuple[Accounts, Accounts],
) -> None:
    first, second = two_servers
    first.create("membre", PASSWORD, Role.MEMBER, pseudonym="Zélie", caisse="paris-14e")
    assert second.authenticate("membre", PASSWORD) is not None
    with pytest.raises(AccountError) as caught:
        second.create("membre", PASSWORD, Role.MEMBER)
    assert caught.value.code == "login_taken"
    token = first.issue_token("membre")
    assert second.by_token(token).pseudonym == "Zélie"  # type: ignore[union-attr]
    for i in range(3):
        first.record_failure("127.0.0.1|membre", max_failures=3, window=60, now=1000.0 + i)
    assert second.locked_for("127.0.0.1|membre", now=1003.0) == pytest.approx(59.0)
    second.delete("membre")
    assert first.get("membre") is None


def test_a_read_only_database_stores_no_account(read_only_database: str) -> None:
    accounts = PostgresAccounts(read_only_database, timeout=5)
    try:
        accounts.create("membre", PASSWORD, Role.MEMBER)
        seal(read_only_database)
        with pytest.raises(StoreUnavailable):
            accounts.create("autre", PASSWORD, Role.MEMBER)
        assert [a.login for a in accounts.all()] == ["membre"]
    finally:
        accounts.close()


def test_an_unreachable_database_is_unavailable_not_a_traceback(pg_database: str) -> None:
    missing = pg_database.rsplit("/", 1)[0] + "/ssa_registry_no_such_database"
    with pytest.raises(StoreUnavailable):
        PostgresAccounts(missing, timeout=1)


# An account and what it speaks for ------------------------------------------------------


def test_an_opened_account_is_erased_when_what_it_speaks_for_fails(accounts: Accounts) -> None:
    def fail() -> Any:
        raise RuntimeError("the event store failed")

    with pytest.raises(RuntimeError), accounts.opened("nour", PASSWORD, Role.MEMBER, "Nour"):
        fail()
    assert accounts.get("nour") is None
    with accounts.opened("nour", PASSWORD, Role.MEMBER, "Nour") as opened:
        assert opened.login == "nour"
    assert accounts.authenticate("nour", PASSWORD) is not None


def test_a_siret_is_taken_back_when_the_place_fails(accounts: Accounts) -> None:
    accounts.create("epicerie", PASSWORD, Role.PLACE, sirets=("11111111111111",))
    with pytest.raises(RuntimeError), accounts.speaking_for("epicerie", "22222222222222"):
        assert "22222222222222" in accounts.get("epicerie").sirets  # type: ignore[union-attr]
        raise RuntimeError("the event store failed")
    assert accounts.get("epicerie").sirets == ("11111111111111",)  # type: ignore[union-attr]
    # A SIRET the account spoke for before stays when a later write fails.
    with pytest.raises(RuntimeError), accounts.speaking_for("epicerie", "11111111111111"):
        raise RuntimeError("the event store failed")
    assert accounts.get("epicerie").sirets == ("11111111111111",)  # type: ignore[union-attr]
    with accounts.speaking_for("epicerie", "22222222222222"):
        pass
    assert accounts.get("epicerie").sirets == ("11111111111111", "22222222222222")  # type: ignore[union-attr]


def test_two_servers_adding_places_to_one_account_at_once_keep_both(
    two_servers: tuple[Accounts, Accounts],
) -> None:
    first, second = two_servers
    first.create("epicerie", PASSWORD, Role.PLACE)
    sirets = [f"{n:014d}" for n in range(12)]
    start = threading.Barrier(len(sirets))

    def add(n: int) -> None:
        start.wait()
        (first if n % 2 else second).add_siret("epicerie", sirets[n])

    threads = [threading.Thread(target=add, args=(n,)) for n in range(len(sirets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(second.get("epicerie").sirets) == sirets  # type: ignore[union-attr]
