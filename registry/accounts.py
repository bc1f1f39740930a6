"""Web accounts, kept outside the event log so that a person's login can be erased.

A small SQLite file, `<data>/accounts.sqlite3`: argon2 password hashes, a role, an optional
API token (only its SHA-256 is stored), the SIRETs a place account speaks for and the caisse a
member, participant, facilitator, evaluator or observer account belongs to (empty: the
registry's first caisse, as for files written before accounts had one). Failed logins are
counted per key (address and login) with a lockout window.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlite_utils import Database

from registry.config import Settings
from registry.roles import Role

LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD = 10
ACCOUNT_ROLES = (
    Role.PLACE,
    Role.MEMBER,
    Role.PARTICIPANT,
    Role.OBSERVER,
    Role.EVALUATOR,
    Role.FACILITATOR,
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


class Accounts:
    """The accounts file; every call opens its own connection, so threads never share one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.hasher = PasswordHasher()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
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

    @classmethod
    def for_settings(cls, settings: Settings) -> Accounts:
        """The accounts file in the data folder."""
        return cls(settings.data / "accounts.sqlite3")

    @contextmanager
    def _db(self) -> Iterator[Database]:
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            with conn:
                yield Database(conn)
        finally:
            conn.close()

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
        with self._db() as db:
            if db.table("accounts").count_where("login = ?", [login]):
                raise AccountError("login_taken", login=login)
            db.table("accounts").insert(
                {
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
            )
        return self.get(login)  # type: ignore[return-value]

    def get(self, login: str) -> Account | None:
        """An account by login, or None."""
        with self._db() as db:
            rows = list(db.table("accounts").rows_where("login = ?", [login.strip().lower()]))
        return _account(rows[0]) if rows else None

    def all(self) -> list[Account]:
        """Every account, by role then login."""
        with self._db() as db:
            rows = list(db.table("accounts").rows_where(order_by="role, login"))
        return [_account(r) for r in rows]

    def authenticate(self, login: str, password: str) -> Account | None:
        """The account if the password matches, else None; old hashes are upgraded."""
        with self._db() as db:
            rows = list(db.table("accounts").rows_where("login = ?", [login.strip().lower()]))
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
                rehashed = self.hasher.hash(password)
                db.table("accounts").update(row["login"], {"password_hash": rehashed})
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
        with self._db() as db:
            rows = list(db.table("accounts").rows_where(where, params, order_by="login"))
        return _account(rows[0]) if rows else None

    def for_siret(self, siret: str) -> list[Account]:
        """The place accounts that speak for this SIRET, by login."""
        with self._db() as db:
            where = "role = ? and sirets like ?"
            params = [str(Role.PLACE), f'%"{siret}"%']
            rows = list(db.table("accounts").rows_where(where, params, order_by="login"))
        return [a for a in (_account(r) for r in rows) if siret in a.sirets]

    def set_caisse(self, login: str, caisse: str) -> None:
        """Move an account to another caisse."""
        self._update(login, caisse=caisse.strip())

    def set_role(self, login: str, role: Role | str) -> None:
        """Change an account's role."""
        self._update(login, role=str(_role(role)))

    def add_siret(self, login: str, siret: str) -> None:
        """Let a place account speak for one more place."""
        account = self._require(login)
        if siret not in account.sirets:
            self._update(login, sirets=json.dumps([*account.sirets, siret]))

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
        with self._db() as db:
            rows = list(db.table("accounts").rows_where("token_hash = ?", [token_digest(token)]))
        return _account(rows[0]) if rows else None

    def delete(self, login: str) -> None:
        """Erase an account and its password for good."""
        self._require(login)
        with self._db() as db:
            db.table("accounts").delete(login)

    def _require(self, login: str) -> Account:
        account = self.get(login)
        if account is None:
            raise AccountError("unknown_account", login=login)
        return account

    def _update(self, login: str, **values: Any) -> None:
        self._require(login)
        with self._db() as db:
            db.table("accounts").update(login.strip().lower(), values)

    # Login throttling -------------------------------------------------------

    def locked_for(self, key: str, now: float | None = None) -> float:
        """Seconds left before this key may try again (0 if it may)."""
        moment = time.time() if now is None else now
        with self._db() as db:
            rows = list(db.table("login_failures").rows_where("key = ?", [key]))
        if not rows:
            return 0.0
        return max(0.0, float(rows[0]["locked_until"] or 0) - moment)

    def record_failure(
        self, key: str, max_failures: int, window: float, now: float | None = None
    ) -> None:
        """Count a failed login; lock the key for `window` seconds at `max_failures`."""
        moment = time.time() if now is None else now
        with self._db() as db:
            rows = list(db.table("login_failures").rows_where("key = ?", [key]))
            row = rows[0] if rows else None
            if row is None or moment - float(row["first_at"]) > window:
                row = {"key": key, "failures": 0, "first_at": moment, "locked_until": 0.0}
            row["failures"] = int(row["failures"]) + 1
            if row["failures"] >= max_failures:
                row["locked_until"] = moment + window
                row["failures"] = 0
                row["first_at"] = moment
            db.table("login_failures").upsert(row, pk="key")

    def clear_failures(self, key: str) -> None:
        """Forget the failures of a key after a successful login."""
        with self._db() as db:
            db.table("login_failures").delete_where("key = ?", [key])


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


# Demo accounts: one per role (and two more members, so that a vote has several voices),
# acting as the pseudonyms of the demo history. Passwords are documented in the README.
DEMO_ACCOUNTS: tuple[tuple[str, str, Role, str, str], ...] = (
    ("commerce", "demo-commerce-14", Role.PLACE, "Épicerie de la Tombe-Issoire", ""),
    ("producteur", "demo-producteur-14", Role.PLACE, "Producteur de démonstration", ""),
    ("membre", "demo-membre-14", Role.MEMBER, "Zélie", "Zélie"),
    ("membre-2", "demo-membre-2-14", Role.MEMBER, "Moussa", "Moussa"),
    ("membre-3", "demo-membre-3-14", Role.MEMBER, "Odile", "Odile"),
    (
        "animatrice-camille",
        "demo-animation-14",
        Role.FACILITATOR,
        "Camille, animatrice",
        "animatrice-camille",
    ),
    (
        "evaluateur",
        "demo-evaluation-14",
        Role.EVALUATOR,
        "Laboratoire d'évaluation",
        "labo-evaluation",
    ),
    (
        "observateur",
        "demo-observation-14",
        Role.OBSERVER,
        "Nutritionniste du centre de santé",
        "nutritionniste-cps",
    ),
)


def create_demo_accounts(settings: Settings) -> list[tuple[str, str, str]]:
    """One demo account per role (reset if present): (login, password, role) for each."""
    from registry.demo_places import all_declarations
    from registry.domain.caisses import DEFAULT_CAISSE

    sirets = {d["name"]: str(d["siret"]) for d in all_declarations()}
    accounts = Accounts.for_settings(settings)
    created = []
    for login, password, role, name, pseudonym in DEMO_ACCOUNTS:
        if accounts.get(login) is not None:
            accounts.delete(login)
        own = (sirets[name],) if name in sirets else ()
        caisse = "" if role is Role.PLACE else str(DEFAULT_CAISSE["slug"])
        accounts.create(login, password, role, name, own, pseudonym, caisse)
        created.append((login, password, str(role)))
    return created
