"""Accounts outside the event log: argon2 hashes, hashed API tokens, erasable, throttled;
the same on both stores (an erasable SQLite file, or tables of the PostgreSQL database)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from registry.config import Settings
from registry.roles import Role
from web.accounts import AccountError, Accounts
from web.demo_accounts import create_demo_accounts


@pytest.fixture
def accounts(settings: Settings) -> Iterator[Accounts]:
    """The accounts of an empty store, on SQLite and on a throw-away PostgreSQL schema."""
    store = Accounts.for_settings(settings)
    yield store
    store.close()


def stored(accounts: Accounts, column: str) -> list[Any]:
    """A column of every stored account row, read past the interface."""
    with accounts.transaction() as tx:
        return [r[column] for r in tx.rows(f"select {column} from {accounts.accounts_table}")]


def test_a_password_is_stored_only_as_an_argon2_hash(accounts: Accounts) -> None:
    accounts.create("epicerie", "un mot de passe long", Role.PLACE)
    (hashed,) = stored(accounts, "password_hash")
    assert hashed.startswith("$argon2id$") and "long" not in hashed
    assert accounts.authenticate("epicerie", "un mot de passe long") is not None
    assert accounts.authenticate("epicerie", "un autre mot de passe") is None
    assert accounts.authenticate("personne", "un mot de passe long") is None


def test_an_api_token_is_stored_only_as_a_digest(accounts: Accounts) -> None:
    accounts.create("membre", "un mot de passe long", Role.MEMBER)
    token = accounts.issue_token("membre")
    (digest,) = stored(accounts, "token_hash")
    assert digest and token not in digest
    assert accounts.by_token(token).login == "membre"  # type: ignore[union-attr]
    accounts.revoke_token("membre")
    assert accounts.by_token(token) is None


def test_an_account_can_be_erased_for_good(accounts: Accounts) -> None:
    accounts.create("membre", "un mot de passe long", Role.MEMBER)
    accounts.delete("membre")
    assert accounts.get("membre") is None
    assert stored(accounts, "login") == []


@pytest.mark.parametrize(
    ("login", "password", "role", "code"),
    [
        ("A B", "un mot de passe long", Role.PLACE, "invalid_login"),
        ("court", "court", Role.PLACE, "weak_password"),
        ("systeme", "un mot de passe long", Role.SYSTEM, "invalid_role"),
    ],
)
def test_a_bad_account_is_refused_with_a_code(
    accounts: Accounts, login: str, password: str, role: Role, code: str
) -> None:
    with pytest.raises(AccountError) as caught:
        accounts.create(login, password, role)
    assert caught.value.code == code and caught.value.message("fr")


def test_a_login_is_taken_once(accounts: Accounts) -> None:
    accounts.create("membre", "un mot de passe long", Role.MEMBER)
    with pytest.raises(AccountError, match="déjà pris"):
        accounts.create("Membre", "un mot de passe long", Role.MEMBER)


def test_failed_logins_lock_the_key_for_the_window(accounts: Accounts) -> None:
    key = "127.0.0.1|membre"
    for i in range(4):
        accounts.record_failure(key, max_failures=5, window=900, now=1000.0 + i)
        assert accounts.locked_for(key, now=1000.0 + i) == 0
    accounts.record_failure(key, max_failures=5, window=900, now=1004.0)
    assert accounts.locked_for(key, now=1005.0) == pytest.approx(899.0)
    assert accounts.locked_for(key, now=1904.5) == 0
    assert accounts.locked_for("127.0.0.2|membre", now=1005.0) == 0


def test_old_failures_fall_out_of_the_window(accounts: Accounts) -> None:
    key = "127.0.0.1|membre"
    for i in range(4):
        accounts.record_failure(key, max_failures=5, window=60, now=1000.0 + i)
    accounts.record_failure(key, max_failures=5, window=60, now=2000.0)
    assert accounts.locked_for(key, now=2000.0) == 0


def test_demo_accounts_exist_for_every_role(settings: Settings) -> None:
    created = create_demo_accounts(settings)
    roles = {role for _, _, role in created}
    assert {"lieu", "membre", "animateur", "evaluateur", "observateur"} <= roles
    again = create_demo_accounts(settings)
    assert [c[0] for c in again] == [c[0] for c in created]
    accounts = Accounts.for_settings(settings)
    try:
        for login, password, _ in created:
            assert accounts.authenticate(login, password) is not None
    finally:
        accounts.close()


def test_a_reset_password_replaces_the_old_one_and_revokes_the_token(accounts: Accounts) -> None:
    accounts.create("membre", "un mot de passe long", Role.MEMBER)
    token = accounts.issue_token("membre")
    temporary = accounts.reset_password("membre")
    assert len(temporary) >= 10
    assert accounts.authenticate("membre", temporary) is not None
    assert accounts.authenticate("membre", "un mot de passe long") is None
    assert accounts.by_token(token) is None
    assert accounts.reset_password("membre") != temporary
    with pytest.raises(AccountError) as caught:
        accounts.reset_password("personne")
    assert caught.value.code == "unknown_account"
