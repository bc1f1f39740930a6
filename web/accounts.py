"""Web accounts, kept outside the event log so that a person's login can be erased.

Argon2 password hashes, a role, an optional API token (only its SHA-256 is stored), the SIRETs
a place account speaks for and the caisse a member, participant, facilitator, evaluator or
observer account belongs to (empty: the registry's first caisse, as for files written before
accounts had one). Failed logins are counted per key (address and login) with a lockout window.

Where they live follows the registry's store (`web.account_stores`): on SQLite, the erasable
file `<data>/accounts.sqlite3`, readable by its owner only; on PostgreSQL, tables of the same
database, so that every web server of the registry shares them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from registry.config import Settings
from registry.roles import Role

LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD = 10
LOG = logging.getLogger(__name__)
ACCOUNT_ROLES = (
    Role.PLACE,
    Role.MEMBER,
    Role.PARTICIPANT,
    Role.OBSERVER,
    Role.EVALUATOR,
    Role.FACILITATOR,
)
COLUMNS = (
    "login",
    "role",
    "display_name",
    "password_hash",
    "token_hash",
    "sirets",
    "pseudonym",
    "caisse",
    "created_at",
)

MESSAGES: dict[str, tuple[str, str]] = {
    "login_taken": ("L'identifiant « {login} » est déjà pris.", "Login '{login}' is taken."),
    "invalid_login": (
        "Identifiant invalide : de 2 à 40 caractères, lettres minuscules, chiffres, point, "
        "tiret ou souligné.",
        "Invalid login: 2 to 40 characters, lower-case letters, digits, dot, dash or underscore.",
    ),
    "weak_password": (
        "Le mot de passe doit compter au moins {min} caractères.",
        "The password must have at least {min} characters.",
    ),
    "unknown_account": ("Compte inconnu : « {login} ».", "Unknown account: '{login}'."),
    "invalid_role": ("Rôle inconnu : « {role} ».", "Unknown role: '{role}'."),
    "member_left": (
        "« {login} » est le compte d'un membre parti : il ne reçoit plus de mot de passe.",
        "'{login}' is the account of a member who left: it gets no new password.",
    ),
    "store_unavailable": (
        "Le registre ne peut pas enregistrer pour le moment : rien n'a été enregistré. "
        "Réessayez dans un instant.",
        "The registry cannot store anything right now: nothing was stored. Try again in a moment.",
    ),
}


class AccountError(Exception):
    """A refused account change, with a stable code and messages in French and English."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("fr"))

    def message(self, lang: str = "fr") -> str:
        """The message in the given language (French unless 'en')."""
        fr, en = MESSAGES[self.code]
        return (en if lang.startswith("en") else fr).format(**self.params)


class StoreUnavailable(Exception):
    """The accounts or the events could not be read or written: nothing was stored."""

    code = "store_unavailable"

    def __init__(self) -> None:
        super().__init__(self.message("fr"))

    def message(self, lang: str = "fr") -> str:
        """The message in the given language (French unless 'en')."""
        fr, en = MESSAGES[self.code]
        return en if lang.startswith("en") else fr


@dataclass(frozen=True)
class Account:
    """A person's login, role and the places they speak for."""

    login: str
    role: Role
    display_name: str
    sirets: tuple[str, ...] = field(default=())
    has_token: bool = False
    pseudonym: str = ""
    caisse: str = ""

    @property
    def actor_id(self) -> str:
        """Who the account acts as in events: its member pseudonym, else its login."""
        return self.pseudonym or self.login

    @property
    def is_active(self) -> bool:
        """Flask-Login: accounts are active until deleted."""
        return True

    @property
    def is_authenticated(self) -> bool:
        """Flask-Login: a loaded account is authenticated."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """Flask-Login: never anonymous."""
        return False

    def get_id(self) -> str:
        """Flask-Login: the login identifies the account."""
        return self.login


def token_digest(token: str) -> str:
    """The stored form of an API token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Transaction(Protocol):
    """One transaction of an accounts store; queries take qmark (`?`) parameters."""

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The rows a query returns, as dicts."""

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute a statement; the number of rows it changed."""


class Accounts:
    """The accounts, the same on every store: a store only says how to open a transaction
    (`transaction`) and names its tables; every query is written once, here."""

    accounts_table = "accounts"
    failures_table = "login_failures"

    def __init__(self) -> None:
        self.hasher = PasswordHasher()

    @classmethod
    def for_settings(cls, settings: Settings) -> Accounts:
        """The accounts of the registry's store: tables of its PostgreSQL database, else the
        accounts file in the data folder."""
        from web.account_stores import PostgresAccounts, SQLiteAccounts

        if settings.database_url:
            return PostgresAccounts(settings.database_url)
        return SQLiteAccounts(settings.data / "accounts.sqlite3")

    def transaction(self) -> AbstractContextManager[Transaction]:
        """One transaction, committed if the block succeeds; a store that cannot be read or
        written raises StoreUnavailable."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the store's connections."""

    # Accounts ---------------------------------------------------------------

    def create(
        self,
        login: str,
        password: str,
        role: Role | str,
        display_name: str = "",
        sirets: tuple[str, ...] = (),
        pseudonym: str = "",
        caisse: str = "",
    ) -> Account:
        """A new account; refuses a taken or malformed login and a short password."""
        login = login.strip().lower()
        if not LOGIN.match(login):
            raise AccountError("invalid_login")
        role = _role(role)
        _check_password(password)
        row = {
            "login": login,
            "role": str(role),
            "display_name": display_name.strip() or login,
            "password_hash": self.hasher.hash(password),
            "token_hash": None,
            "sirets": json.dumps(list(sirets)),
            "pseudonym": pseudonym.strip(),
            "caisse": caisse.strip(),
            "created_at": time.time(),
        }
        marks = ", ".join("?" for _ in COLUMNS)
        sql = (
            f"insert into {self.accounts_table} ({', '.join(COLUMNS)}) values ({marks}) "
            "on conflict (login) do nothing"
        )
        with self.transaction() as tx:
            # The primary key decides between two servers creating the same login at once.
            if tx.run(sql, [row[c] for c in COLUMNS]) == 0:
                raise AccountError("login_taken", login=login)
        return _account(row)

    @contextmanager
    def opened(
        self,
        login: str,
        password: str,
        role: Role | str,
        display_name: str = "",
        sirets: tuple[str, ...] = (),
        pseudonym: str = "",
        caisse: str = "",
    ) -> Iterator[Account]:
        """A new account that stays only if the block succeeds: it is written first, before
        what it speaks for, and erased again if that cannot be stored."""
        account = self.create(login, password, role, display_name, sirets, pseudonym, caisse)
        try:
            yield account
        except BaseException:
            self._undo(lambda: self.delete(account.login), account.login)
            raise

    @contextmanager
    def speaking_for(self, login: str, siret: str) -> Iterator[Account]:
        """The account speaks for one more place if the block (storing that place) succeeds;
        the SIRET is written first and taken off again if the place cannot be stored."""
        before = self._require(login)
        self.add_siret(login, siret)
        try:
            yield before
        except BaseException:
            if siret not in before.sirets:
                self._undo(lambda: self.remove_siret(login, siret), login)
            raise

    def get(self, login: str) -> Account | None:
        """An account by login, or None."""
        rows = self._select("login = ?", [login.strip().lower()])
        return _account(rows[0]) if rows else None

    def all(self) -> list[Account]:
        """Every account, by role then login."""
        rows = self._select("1 = 1", [])
        return [_account(r) for r in sorted(rows, key=lambda r: (r["role"], r["login"]))]

    def authenticate(self, login: str, password: str) -> Account | None:
        """The account if the password matches, else None; old hashes are upgraded."""
        rows = self._select("login = ?", [login.strip().lower()])
        if not rows:
            # Spend the same time as a real check, so logins cannot be probed by timing.
            self.hasher.hash(password)
            return None
        row = rows[0]
        try:
            self.hasher.verify(row["password_hash"], password)
        except (VerificationError, InvalidHashError):
            return None
        if self.hasher.check_needs_rehash(row["password_hash"]):
            self._update(row["login"], password_hash=self.hasher.hash(password))
        return _account(row)

    def set_password(self, login: str, password: str) -> None:
        """Replace an account's password."""
        _check_password(password)
        self._update(login, password_hash=self.hasher.hash(password))

    def reset_password(self, login: str) -> str:
        """A new temporary password for someone who lost theirs (shown once, handed over in
        person); the API token is revoked, as whoever held the old password may hold it."""
        self._require(login)
        temporary = secrets.token_urlsafe(12)
        self._update(login, password_hash=self.hasher.hash(temporary), token_hash=None)
        return temporary

    def by_pseudonym(self, pseudonym: str, caisses: Sequence[str] | None = None) -> Account | None:
        """The account acting as a member pseudonym, or None; with `caisses`, only an account
        belonging to one of them (a pseudonym is unique within a caisse, not across caisses)."""
        where, params = "pseudonym = ?", [pseudonym.strip()]
        if caisses is not None:
            where += " and caisse in ({})".format(", ".join("?" for _ in caisses) or "null")
            params.extend(caisses)
        rows = sorted(self._select(where, params), key=lambda r: r["login"])
        return _account(rows[0]) if rows else None

    def for_siret(self, siret: str) -> list[Account]:
        """The place accounts that speak for this SIRET, by login."""
        rows = self._select("role = ? and sirets like ?", [str(Role.PLACE), f'%"{siret}"%'])
        accounts = (_account(r) for r in sorted(rows, key=lambda r: r["login"]))
        return [a for a in accounts if siret in a.sirets]

    def set_caisse(self, login: str, caisse: str) -> None:
        """Move an account to another caisse."""
        self._update(login, caisse=caisse.strip())

    def set_role(self, login: str, role: Role | str) -> None:
        """Change an account's role."""
        self._update(login, role=str(_role(role)))

    def add_siret(self, login: str, siret: str) -> None:
        """Let a place account speak for one more place."""
        self._change_sirets(
            login, lambda sirets: [*sirets, siret] if siret not in sirets else sirets
        )

    def remove_siret(self, login: str, siret: str) -> None:
        """The place account no longer speaks for this place."""
        self._change_sirets(login, lambda sirets: [s for s in sirets if s != siret])

    def _change_sirets(self, login: str, change: Callable[[list[str]], list[str]]) -> None:
        """Change the SIRETs an account speaks for; written only over the list just read, so
        two servers changing the same account at once both count (the second one retries)."""
        sql = f"update {self.accounts_table} set sirets = ? where login = ? and sirets = ?"
        while True:
            with self.transaction() as tx:
                rows = tx.rows(
                    f"select sirets from {self.accounts_table} where login = ?",
                    [login.strip().lower()],
                )
                if not rows:
                    raise AccountError("unknown_account", login=login)
                read = rows[0]["sirets"]
                sirets = list(json.loads(read or "[]"))
                changed = change(sirets)
                if changed == sirets:
                    return
                if tx.run(sql, [json.dumps(changed), login.strip().lower(), read]):
                    return

    def issue_token(self, login: str) -> str:
        """A new API token for the account (shown once; only its digest is kept)."""
        self._require(login)
        token = "ssa_" + secrets.token_urlsafe(32)
        self._update(login, token_hash=token_digest(token))
        return token

    def revoke_token(self, login: str) -> None:
        """Forget the account's API token."""
        self._update(login, token_hash=None)

    def by_token(self, token: str) -> Account | None:
        """The account holding this API token, or None."""
        if not token:
            return None
        rows = self._select("token_hash = ?", [token_digest(token)])
        return _account(rows[0]) if rows else None

    def delete(self, login: str) -> None:
        """Erase an account and its password for good."""
        with self.transaction() as tx:
            sql = f"delete from {self.accounts_table} where login = ?"
            if tx.run(sql, [login.strip().lower()]) == 0:
                raise AccountError("unknown_account", login=login)

    def _select(self, where: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        sql = f"select {', '.join(COLUMNS)} from {self.accounts_table} where {where}"
        with self.transaction() as tx:
            return tx.rows(sql, params)

    def _require(self, login: str) -> Account:
        account = self.get(login)
        if account is None:
            raise AccountError("unknown_account", login=login)
        return account

    def _update(self, login: str, **values: Any) -> None:
        assignments = ", ".join(f"{column} = ?" for column in values if column in COLUMNS)
        sql = f"update {self.accounts_table} set {assignments} where login = ?"
        with self.transaction() as tx:
            if tx.run(sql, [*values.values(), login.strip().lower()]) == 0:
                raise AccountError("unknown_account", login=login)

    @staticmethod
    def _undo(step: Callable[[], None], login: str) -> None:
        """Take back a first write; the error that made it necessary is the one reported."""
        try:
            step()
        except (AccountError, StoreUnavailable):
            LOG.error("account %s could not be taken back after a failed write", login)

    # Login throttling -------------------------------------------------------

    def locked_for(self, key: str, now: float | None = None) -> float:
        """Seconds left before this key may try again (0 if it may)."""
        moment = time.time() if now is None else now
        with self.transaction() as tx:
            rows = tx.rows(f"select locked_until from {self.failures_table} where key = ?", [key])
        if not rows:
            return 0.0
        return max(0.0, float(rows[0]["locked_until"] or 0) - moment)

    def record_failure(
        self, key: str, max_failures: int, window: float, now: float | None = None
    ) -> None:
        """Count a failed login; lock the key for `window` seconds at `max_failures`."""
        moment = time.time() if now is None else now
        table = self.failures_table
        with self.transaction() as tx:
            rows = tx.rows(f"select * from {table} where key = ?", [key])
            row = rows[0] if rows else None
            if row is None or moment - float(row["first_at"]) > window:
                row = {"key": key, "failures": 0, "first_at": moment, "locked_until": 0.0}
            row = {**row, "failures": int(row["failures"]) + 1}
            if row["failures"] >= max_failures:
                row.update(failures=0, first_at=moment, locked_until=moment + window)
            tx.run(
                f"insert into {table} (key, failures, first_at, locked_until) "
                "values (?, ?, ?, ?) on conflict (key) do update set "
                "failures = excluded.failures, first_at = excluded.first_at, "
                "locked_until = excluded.locked_until",
                [key, row["failures"], float(row["first_at"]), float(row["locked_until"] or 0)],
            )

    def clear_failures(self, key: str) -> None:
        """Forget the failures of a key after a successful login."""
        with self.transaction() as tx:
            tx.run(f"delete from {self.failures_table} where key = ?", [key])


def _role(value: Role | str) -> Role:
    try:
        role = Role(str(value))
    except ValueError:
        raise AccountError("invalid_role", role=value) from None
    if role not in ACCOUNT_ROLES:
        raise AccountError("invalid_role", role=value)
    return role


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("weak_password", min=MIN_PASSWORD)


def _account(row: dict[str, Any]) -> Account:
    return Account(
        login=row["login"],
        role=Role(row["role"]),
        display_name=row["display_name"],
        sirets=tuple(json.loads(row["sirets"] or "[]")),
        has_token=bool(row["token_hash"]),
        pseudonym=row.get("pseudonym") or "",
        caisse=row.get("caisse") or "",
    )
