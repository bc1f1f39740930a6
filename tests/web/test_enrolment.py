"""An account and the member or place it speaks for are stored together, or not at all: when
either store fails, the web says so on a French page, the API answers 503
`store_unavailable`, the command line prints one line, and neither is left behind."""

from __future__ import annotations

import html
from typing import Any

import pytest
from click.testing import CliRunner
from eventsourcing.persistence import OperationalError
from flask import Flask
from flask.testing import FlaskClient

from registry.config import Settings
from registry.errors import RegistryError
from tests.helpers import make_siret, shop
from tests.web.conftest import log_in, post_form
from tests.web.test_account_stores import read_only_connect
from tests.web.test_api import assert_error, events_count, token_for
from tests.web.test_shop import TOMBE, shop_form
from web import account_stores, store

CAISSE = "paris-14e"
NEW_SIRET = make_siret(777)
MEMBER = {
    "pseudonym": "Nour",
    "roles": ["membre"],
    "wave": 3,
    "login": "nour-14",
    "password": "un-mot-de-passe-long",
}


def accounts_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on the accounts file can be read but not written (a full or read-only disk)."""
    monkeypatch.setattr(account_stores, "connect", read_only_connect)


def events_fail(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on the registry's event store refuses every write."""

    def save(*aggregates: Any, **kwargs: Any) -> Any:
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(store.registry_of(app), "save", save)


FAILURES = {
    "accounts": lambda app, monkeypatch: accounts_fail(monkeypatch),
    "events": events_fail,
}


def has_member(app: Flask, pseudonym: str) -> bool:
    try:
        store.registry_of(app).member(CAISSE, pseudonym)
    except RegistryError:
        return False
    return True


def has_place(app: Flask, siret: str) -> bool:
    try:
        store.registry_of(app).place(siret)
    except RegistryError:
        return False
    return True


def sirets(app: Flask, login: str) -> tuple[str, ...]:
    return store.accounts_of(app).get(login).sirets  # type: ignore[union-attr]


def assert_french_unavailable_page(response: Any) -> None:
    assert response.status_code == 503
    page = html.unescape(response.get_data(as_text=True))
    assert "rien n'a été enregistré" in page and "Traceback" not in page


# Members through the API ----------------------------------------------------------------


@pytest.mark.parametrize("failing", sorted(FAILURES))
def test_a_member_whose_account_or_event_fails_is_not_stored_at_all_by_the_api(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    headers = token_for(client, "animatrice-camille")
    before, logins = events_count(client), len(store.accounts_of(app).all())
    FAILURES[failing](app, monkeypatch)
    response = client.post("/api/members", json=MEMBER, headers=headers)
    body = assert_error(response, 503, "store_unavailable")
    assert "rien n'a été enregistré" in body["message"]
    assert events_count(client) == before and not has_member(app, "Nour")
    assert store.accounts_of(app).get("nour-14") is None
    assert len(store.accounts_of(app).all()) == logins


def test_a_member_refused_by_the_registry_leaves_no_account(client: FlaskClient) -> None:
    headers = token_for(client, "animatrice-camille")
    taken = {**MEMBER, "pseudonym": "Zélie"}  # a member of the caisse already
    assert_error(client.post("/api/members", json=taken, headers=headers), 400, "member_exists")
    assert store.accounts_of(client.application).get("nour-14") is None


def test_the_api_stores_a_member_and_its_account_together(client: FlaskClient) -> None:
    headers = token_for(client, "animatrice-camille")
    response = client.post("/api/members", json=MEMBER, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    account = store.accounts_of(client.application).get("nour-14")
    assert account is not None and account.pseudonym == "Nour" and account.caisse == CAISSE
    assert has_member(client.application, "Nour")


# Members through the web form -----------------------------------------------------------


@pytest.mark.parametrize("failing", sorted(FAILURES))
def test_a_member_whose_account_or_event_fails_is_not_stored_at_all_by_the_form(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    log_in(client, "animatrice-camille")
    before = events_count(client)
    FAILURES[failing](app, monkeypatch)
    form = {**MEMBER, "wave": "3"}
    response = post_form(client, "/membres/", form, form_url="/membres/")
    assert_french_unavailable_page(response)
    assert events_count(client) == before and not has_member(app, "Nour")
    assert store.accounts_of(app).get("nour-14") is None


# Places: the application and the account that speaks for it -----------------------------


@pytest.mark.parametrize("failing", sorted(FAILURES))
def test_an_application_whose_account_or_event_fails_is_not_stored_at_all_by_the_form(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    log_in(client, "commerce")
    own = sirets(app, "commerce")
    before = events_count(client)
    FAILURES[failing](app, monkeypatch)
    form = shop_form(siret=NEW_SIRET)
    response = post_form(client, "/candidater", form, form_url="/candidater")
    assert_french_unavailable_page(response)
    assert events_count(client) == before and not has_place(app, NEW_SIRET)
    assert sirets(app, "commerce") == own


@pytest.mark.parametrize("failing", sorted(FAILURES))
def test_an_application_whose_account_or_event_fails_is_not_stored_at_all_by_the_api(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    headers = token_for(client, "commerce")
    own = sirets(app, "commerce")
    before = events_count(client)
    FAILURES[failing](app, monkeypatch)
    response = client.post("/api/places", json=shop(siret=NEW_SIRET), headers=headers)
    assert_error(response, 503, "store_unavailable")
    assert events_count(client) == before and not has_place(app, NEW_SIRET)
    assert sirets(app, "commerce") == own


def test_an_application_for_another_places_siret_never_gives_the_account_that_place(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = token_for(client, "producteur")
    own = sirets(app, "producteur")
    assert TOMBE not in own
    seen: list[tuple[str, ...]] = []
    apply = store.registry_of(app).apply

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(sirets(app, "producteur"))
        return apply(*args, **kwargs)

    monkeypatch.setattr(store.registry_of(app), "apply", watched)
    response = client.post("/api/places", json=shop(siret=TOMBE), headers=headers)
    assert_error(response, 400, "already_applied")
    assert seen == [own] and sirets(app, "producteur") == own


def test_an_application_and_its_account_are_stored_together(
    app: Flask, client: FlaskClient
) -> None:
    log_in(client, "commerce")
    form = shop_form(siret=NEW_SIRET)
    response = post_form(client, "/candidater", form, form_url="/candidater")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert has_place(app, NEW_SIRET) and NEW_SIRET in sirets(app, "commerce")


# Sign-up and the command line -----------------------------------------------------------


def test_a_sign_up_the_accounts_cannot_store_is_a_french_page(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts_fail(monkeypatch)
    form = {
        "login": "nouvelle-epicerie",
        "display_name": "Nouvelle épicerie",
        "password": "un-mot-de-passe-long",
        "password2": "un-mot-de-passe-long",
    }
    response = post_form(client, "/inscription", form, form_url="/inscription")
    assert_french_unavailable_page(response)
    assert store.accounts_of(app).get("nouvelle-epicerie") is None


def test_account_add_on_accounts_that_cannot_be_written_is_one_line(
    web_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from web.account_stores import SQLiteAccounts
    from web.cli import main

    accounts_fail(monkeypatch)
    args = ["--data", str(web_settings.data), "account-add", "animatrice-b", "--role", "animateur"]
    result = CliRunner().invoke(main, [*args, "--password", "mot-de-passe-long"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "rien n'a été enregistré" in result.stderr
    monkeypatch.undo()
    assert SQLiteAccounts(web_settings.data / "accounts.sqlite3").get("animatrice-b") is None
