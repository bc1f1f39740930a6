"""Members and accounts through the API: facilitators change roles, record departures and
create a temporary password (shown once, the member's API token revoked); an account reads and
revokes its own token."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from registry.roles import Role
from tests.web.conftest import PASSWORDS
from tests.web.test_api import assert_error, events_count, token_for
from web import store
from web.api.models import AccountOut, MemberOut, TemporaryPasswordOut

CAISSE = "paris-14e"
FACILITATOR = "animatrice-camille"


def member(client: FlaskClient, pseudonym: str) -> Any:
    return store.registry_of(client.application).member(CAISSE, pseudonym)


def accounts(client: FlaskClient) -> Any:
    return store.accounts_of(client.application)


def post(client: FlaskClient, url: str, body: Any = None, login: str = FACILITATOR) -> Any:
    return client.post(url, json=body if body is not None else {}, headers=token_for(client, login))


def test_a_facilitator_reads_one_member(client: FlaskClient) -> None:
    response = client.get("/api/members/Zélie", headers=token_for(client, FACILITATOR))
    assert response.status_code == 200
    body = MemberOut.model_validate(response.get_json())
    assert body.pseudonym == "Zélie" and body.roles == list(member(client, "Zélie").roles)
    missing = client.get("/api/members/Personne", headers=token_for(client, FACILITATOR))
    assert_error(missing, 404, "member_not_found")


def test_a_facilitator_changes_a_members_roles(client: FlaskClient) -> None:
    assert sorted(member(client, "Moussa").roles) == ["membre", "participant"]
    response = post(client, "/api/members/Moussa/roles", {"roles": ["membre"], "reason": "Vague 2"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["roles"] == ["membre"]
    assert list(member(client, "Moussa").roles) == ["membre"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"roles": ["chef"]}, 400, "unknown_role"),
        ({"roles": []}, 400, "invalid_request"),
        ({"roles": ["participant", "membre"]}, 400, "roles_unchanged"),
        ({"roles": ["membre"], "extra": 1}, 400, "invalid_request"),
    ],
)
def test_a_bad_roles_change_stores_nothing(
    client: FlaskClient, body: dict[str, Any], status: int, code: str
) -> None:
    before = events_count(client)
    assert_error(post(client, "/api/members/Moussa/roles", body), status, code)
    assert events_count(client) == before
    assert sorted(member(client, "Moussa").roles) == ["membre", "participant"]


def test_a_facilitator_records_a_departure_once(client: FlaskClient) -> None:
    response = post(client, "/api/members/Odile/leave", {"reason": "Déménage"})
    assert response.status_code == 200 and response.get_json()["active"] is False
    assert member(client, "Odile").active is False
    before = events_count(client)
    assert_error(post(client, "/api/members/Odile/leave", {"reason": "Encore"}), 400, "member_left")
    assert events_count(client) == before


def test_a_temporary_password_is_shown_once_and_revokes_the_api_token(
    client: FlaskClient,
) -> None:
    old_token = token_for(client, "membre")
    assert client.get("/api/account", headers=old_token).status_code == 200
    response = post(client, "/api/members/Zélie/password")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    body = TemporaryPasswordOut.model_validate(response.get_json())
    assert body.login == "membre" and body.token_revoked
    assert accounts(client).authenticate("membre", body.temporary_password) is not None
    assert accounts(client).authenticate("membre", PASSWORDS["membre"]) is None
    assert_error(client.get("/api/account", headers=old_token), 401, "token_required")
    again = post(client, "/api/members/Zélie/password").get_json()["temporary_password"]
    assert again != body.temporary_password


def test_no_temporary_password_without_an_account_or_after_leaving(client: FlaskClient) -> None:
    post(client, "/api/members", {"pseudonym": "Nour", "roles": ["membre"], "wave": 3})
    assert_error(post(client, "/api/members/Nour/password"), 404, "no_account")
    post(client, "/api/members/Odile/leave", {"reason": "Déménage"})
    assert_error(post(client, "/api/members/Odile/password"), 400, "member_left")
    assert accounts(client).authenticate("membre-3", PASSWORDS["membre-3"]) is not None
    assert_error(post(client, "/api/members/Personne/password"), 404, "member_not_found")


@pytest.mark.parametrize(
    "url",
    ["/api/members/Zélie/password", "/api/members/Zélie/roles", "/api/members/Zélie/leave"],
)
def test_only_facilitators_manage_members(client: FlaskClient, url: str) -> None:
    body = {"roles": ["participant"], "reason": "x"} if url.endswith("roles") else {}
    before = events_count(client)
    for login in ("membre", "evaluateur", "observateur", "commerce"):
        assert_error(post(client, url, body, login), 403, "forbidden")
    assert_error(client.post(url, json=body), 401, "token_required")
    assert events_count(client) == before
    assert accounts(client).authenticate("membre", PASSWORDS["membre"]) is not None
    assert member(client, "Zélie").active


def test_a_member_joins_with_an_account(client: FlaskClient) -> None:
    body = {
        "pseudonym": "Nour",
        "roles": ["participant", "membre"],
        "wave": 3,
        "login": "Nour-14",
        "password": "un-mot-de-passe-long",
    }
    response = post(client, "/api/members", body)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert member(client, "Nour").wave == 3
    account = accounts(client).get("nour-14")
    assert account.pseudonym == "Nour" and account.role is Role.MEMBER
    assert accounts(client).authenticate("nour-14", "un-mot-de-passe-long") is not None


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"login": "nour-14"}, "account_incomplete"),
        ({"password": "un-mot-de-passe-long"}, "account_incomplete"),
        ({"login": "membre", "password": "un-mot-de-passe-long"}, "login_taken"),
        ({"login": "n", "password": "un-mot-de-passe-long"}, "invalid_login"),
        ({"login": "nour-14", "password": "court"}, "weak_password"),
    ],
)
def test_a_refused_account_stores_neither_member_nor_account(
    client: FlaskClient, extra: dict[str, str], code: str
) -> None:
    before, logins = events_count(client), len(accounts(client).all())
    body = {"pseudonym": "Nour", "roles": ["membre"], "wave": 3, **extra}
    assert_error(post(client, "/api/members", body), 400, code)
    assert events_count(client) == before
    assert len(accounts(client).all()) == logins
    assert "Nour" not in [
        m["pseudonym"]
        for m in client.get("/api/members", headers=token_for(client, FACILITATOR)).get_json()
    ]


def test_an_account_reads_itself_and_revokes_its_token(client: FlaskClient) -> None:
    headers = token_for(client, "commerce")
    response = client.get("/api/account", headers=headers)
    body = AccountOut.model_validate(response.get_json())
    assert body.login == "commerce" and body.role == "lieu" and body.sirets and body.has_token
    revoked = client.delete("/api/account/token", headers=headers)
    assert revoked.status_code == 200 and revoked.get_json()["has_token"] is False
    assert accounts(client).get("commerce").has_token is False
    assert_error(client.get("/api/account", headers=headers), 401, "token_required")
    assert_error(client.delete("/api/account/token"), 401, "token_required")


def test_a_token_is_replaced_by_a_new_one_shown_once(client: FlaskClient) -> None:
    old = token_for(client, "evaluateur")
    response = client.post("/api/account/token", headers=old)
    assert response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    new = {"Authorization": f"Bearer {response.get_json()['token']}"}
    assert client.get("/api/account", headers=new).get_json()["login"] == "evaluateur"
    assert_error(client.get("/api/account", headers=old), 401, "token_required")
