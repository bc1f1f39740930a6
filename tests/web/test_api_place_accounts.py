"""The JSON API for a place's accounts: a facilitator of the place's caisse lists the accounts
that speak for it and gives one of them a temporary password (shown once, its API token
revoked), as the place's decision page does; every refusal changes nothing."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry.roles import Role
from tests.helpers import make_siret
from tests.web.conftest import LOGIN_OF, PASSWORDS, post_form
from tests.web.test_api import assert_error, events_count, token_for
from tests.web.test_caisses import PASSWORDS as B_PASSWORDS
from tests.web.test_caisses import TOMBE, two  # noqa: F401  (the `two` fixture)
from web import store
from web.accounts import Accounts
from web.api.models import PlaceAccountOut, PlaceTemporaryPasswordOut

SECOND = ("commerce-2", "second-compte-tombe")
CAGETTE = "90213456800010"  # a place of caisse B in the `two` fixture
CAGETTE_ACCOUNT = ("cagette", "cagette-plaisance")
BASILE = "animateur-basile"
CAMILLE = "animatrice-camille"
UNKNOWN = make_siret(999)  # a valid SIRET no place has


def accounts_url(siret: str = TOMBE) -> str:
    return f"/api/places/{siret}/accounts"


def password_url(login: str, siret: str = TOMBE) -> str:
    return f"/api/places/{siret}/accounts/{login}/password"


@pytest.fixture
def accounts(app: Flask) -> Accounts:
    """The demo accounts plus a second account of the Tombe-Issoire grocery."""
    found = store.accounts_of(app)
    found.create(SECOND[0], SECOND[1], Role.PLACE, "Deuxième compte", (TOMBE,))
    return found


def rows(app: Flask) -> dict[str, tuple[Any, ...]]:
    """Every stored row of the accounts file."""
    with sqlite3.connect(store.accounts_of(app).path) as conn:
        found = conn.execute("select * from accounts order by login").fetchall()
    return {row[0]: tuple(row) for row in found}


def web_login(app: Flask, login: str, password: str) -> int:
    """The status of a login through the web form (302 when it succeeds)."""
    client = app.test_client()
    status = post_form(client, "/connexion", {"login": login, "password": password}).status_code
    if status == 302:
        assert client.get("/compte").status_code == 200
    return status


def api_works(app: Flask, token: str) -> bool:
    response = app.test_client().get("/api/account", headers={"Authorization": f"Bearer {token}"})
    return response.status_code == 200


# Listing ------------------------------------------------------------------------------------


def test_a_facilitator_lists_the_accounts_that_speak_for_a_place(
    client: FlaskClient, accounts: Accounts
) -> None:
    accounts.issue_token("commerce")
    response = client.get(accounts_url(), headers=token_for(client, CAMILLE))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert [a["login"] for a in body] == ["commerce", SECOND[0]]
    assert all(set(a) == {"login", "display_name"} for a in body)
    assert body[1]["display_name"] == "Deuxième compte"
    assert [PlaceAccountOut.model_validate(a).login for a in body] == ["commerce", SECOND[0]]
    # Neither password hashes nor token digests leave the accounts file.
    text = response.get_data(as_text=True)
    for _login, *stored in rows(client.application).values():
        for value in stored:
            if isinstance(value, str) and len(value) > 30:
                assert value not in text
    assert "argon2" not in text


def test_a_place_without_accounts_has_an_empty_list(client: FlaskClient) -> None:
    app = client.application
    siret = next(
        p.siret
        for p in store.registry_of(app).places("paris-14e")
        if not store.accounts_of(app).for_siret(p.siret)
    )
    response = client.get(accounts_url(siret), headers=token_for(client, CAMILLE))
    assert response.status_code == 200 and response.get_json() == []


# A temporary password -----------------------------------------------------------------------


def test_a_temporary_password_is_given_once_and_revokes_the_api_token(
    client: FlaskClient, accounts: Accounts
) -> None:
    app = client.application
    old_token = accounts.issue_token("commerce")
    second_token = accounts.issue_token(SECOND[0])
    assert api_works(app, old_token)
    headers = token_for(client, CAMILLE)
    before, events = rows(app), events_count(client)
    response = client.post(password_url("commerce"), headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    body = PlaceTemporaryPasswordOut.model_validate(response.get_json())
    assert (body.siret, body.login, body.token_revoked) == (TOMBE, "commerce", True)
    temporary = body.temporary_password
    assert len(temporary) >= 12
    after = rows(app)
    assert after["commerce"] != before["commerce"]
    assert {k: v for k, v in after.items() if k != "commerce"} == {
        k: v for k, v in before.items() if k != "commerce"
    }
    assert events_count(client) == events  # accounts are outside the event log
    # The old token and the old password no longer work; the temporary password does.
    assert not api_works(app, old_token)
    assert web_login(app, "commerce", PASSWORDS["commerce"]) != 302
    assert web_login(app, "commerce", temporary) == 302
    shop = app.test_client()
    post_form(shop, "/connexion", {"login": "commerce", "password": temporary})
    assert shop.get("/mon-lieu").status_code == 200
    # The place's other account is untouched.
    assert api_works(app, second_token)
    assert web_login(app, SECOND[0], SECOND[1]) == 302
    # Shown once: the list of accounts does not show it again.
    listed = client.get(accounts_url(), headers=headers).get_data(as_text=True)
    assert temporary not in listed


def test_the_login_is_read_without_regard_to_case(client: FlaskClient, accounts: Accounts) -> None:
    response = client.post(password_url("Commerce"), headers=token_for(client, CAMILLE))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["login"] == "commerce"
    temporary = response.get_json()["temporary_password"]
    assert accounts.authenticate("commerce", temporary) is not None


# Refusals: nothing changes ------------------------------------------------------------------


@pytest.mark.parametrize("login", ["producteur", CAMILLE, "membre", "personne"])
def test_a_login_that_does_not_speak_for_the_place_is_refused(
    client: FlaskClient, accounts: Accounts, login: str
) -> None:
    app = client.application
    headers = token_for(client, CAMILLE)
    before = rows(app)
    body = assert_error(client.post(password_url(login), headers=headers), 400, "not_place_account")
    assert f"Aucun compte « {login} » ne parle pour Épicerie de la Tombe-Issoire" in body["message"]
    assert "temporary_password" not in body
    assert rows(app) == before


def test_the_refusal_of_a_login_speaks_english_when_asked(
    client: FlaskClient, accounts: Accounts
) -> None:
    headers = {**token_for(client, CAMILLE), "Accept-Language": "en"}
    before = rows(client.application)
    response = client.post(password_url("producteur"), headers=headers)
    body = assert_error(response, 400, "not_place_account")
    assert "No account 'producteur' speaks for Épicerie de la Tombe-Issoire" in body["message"]
    assert rows(client.application) == before


def test_an_unknown_place_is_a_404(client: FlaskClient, accounts: Accounts) -> None:
    headers = token_for(client, CAMILLE)
    before = rows(client.application)
    assert_error(client.get(accounts_url(UNKNOWN), headers=headers), 404, "place_not_found")
    response = client.post(password_url("commerce", UNKNOWN), headers=headers)
    assert_error(response, 404, "place_not_found")
    assert rows(client.application) == before


@pytest.mark.parametrize("role", [Role.PLACE, Role.MEMBER, Role.EVALUATOR, Role.OBSERVER], ids=str)
def test_other_roles_are_refused(client: FlaskClient, accounts: Accounts, role: Role) -> None:
    headers = token_for(client, LOGIN_OF[role])
    before = rows(client.application)
    assert_error(client.get(accounts_url(), headers=headers), 403, "forbidden")
    assert_error(client.post(password_url("commerce"), headers=headers), 403, "forbidden")
    assert_error(client.post(password_url(SECOND[0]), headers=headers), 403, "forbidden")
    assert rows(client.application) == before


@pytest.mark.parametrize("header", [None, "Bearer ssa_faux", "Basic abc"])
def test_a_missing_or_wrong_token_is_a_401(
    client: FlaskClient, accounts: Accounts, header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    before = rows(client.application)
    assert_error(client.get(accounts_url(), headers=headers), 401, "token_required")
    response = client.post(password_url("commerce"), headers=headers)
    assert_error(response, 401, "token_required")
    assert rows(client.application) == before


@pytest.mark.usefixtures("two")
def test_a_facilitator_of_another_caisse_is_refused(app: Flask) -> None:
    client = app.test_client()
    place_accounts = store.accounts_of(app)
    place_accounts.create(
        CAGETTE_ACCOUNT[0], CAGETTE_ACCOUNT[1], Role.PLACE, "La Cagette", (CAGETTE,)
    )
    basile, camille = token_for(client, BASILE), token_for(client, CAMILLE)
    before = rows(app)
    assert_error(client.get(accounts_url(), headers=basile), 403, "other_caisse")
    body = assert_error(client.post(password_url("commerce"), headers=basile), 403, "other_caisse")
    assert "temporary_password" not in body
    assert_error(client.get(accounts_url(CAGETTE), headers=camille), 403, "other_caisse")
    response = client.post(password_url(CAGETTE_ACCOUNT[0], CAGETTE), headers=camille)
    assert_error(response, 403, "other_caisse")
    # Another caisse's place is refused before its login is looked at.
    response = client.post(password_url("personne", CAGETTE), headers=camille)
    assert_error(response, 403, "other_caisse")
    assert rows(app) == before
    assert web_login(app, BASILE, B_PASSWORDS[BASILE]) == 302
    # Basile looks after the accounts of his own caisse's place.
    listed = client.get(accounts_url(CAGETTE), headers=basile)
    assert listed.status_code == 200
    assert listed.get_json() == [{"login": "cagette", "display_name": "La Cagette"}]
    response = client.post(password_url(CAGETTE_ACCOUNT[0], CAGETTE), headers=basile)
    assert response.status_code == 200, response.get_data(as_text=True)
    temporary = response.get_json()["temporary_password"]
    assert web_login(app, CAGETTE_ACCOUNT[0], temporary) == 302
    assert web_login(app, CAGETTE_ACCOUNT[0], CAGETTE_ACCOUNT[1]) != 302
    assert {k: v for k, v in rows(app).items() if k != "cagette"} == {
        k: v for k, v in before.items() if k != "cagette"
    }


# The OpenAPI document -----------------------------------------------------------------------


def _ref(schema: dict[str, Any]) -> str:
    return str(schema["$ref"]).rsplit("/", 1)[-1]


def test_the_openapi_document_lists_both_routes(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()
    listing = document["paths"]["/api/places/{siret}/accounts"]["get"]
    schema = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["type"] == "array" and _ref(schema["items"]) == "PlaceAccountOut"
    reset = document["paths"]["/api/places/{siret}/accounts/{login}/password"]["post"]
    assert "requestBody" not in reset
    schema = reset["responses"]["200"]["content"]["application/json"]["schema"]
    assert _ref(schema) == "PlaceTemporaryPasswordOut"
    assert {p["name"] for p in reset["parameters"] if p["in"] == "path"} == {"siret", "login"}
    for operation in (listing, reset):
        assert operation["security"] == [{"bearer": []}]
        assert operation["description"] == f"Rôles : {Role.FACILITATOR}"
        assert {"400", "401", "403", "404"} <= set(operation["responses"])
    schemas = document["components"]["schemas"]
    assert set(schemas["PlaceAccountOut"]["properties"]) == {"login", "display_name"}
    assert set(schemas["PlaceTemporaryPasswordOut"]["properties"]) == {
        "siret",
        "login",
        "temporary_password",
        "token_revoked",
    }
    assert json.dumps(schemas["PlaceAccountOut"]).count("hash") == 0
