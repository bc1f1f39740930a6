"""Every API route checks its token's role; every route answers on the test client."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from registry.roles import Role
from tests.web.conftest import LOGIN_OF
from web import store
from web.api.base import ROUTES, Route

TOMBE = "81400140000013"
PROTECTED = [r for r in ROUTES if r.roles]


def url_of(client: FlaskClient, route: Route) -> str:
    """The route's path with real values in it."""
    registry = store.registry_of(client.application)
    proposal = next((p for p in registry.proposals() if p.state.value == "open"), None)
    values = {
        "siret": TOMBE,
        "proposal_id": str(proposal.id) if proposal else "00000000-0000-0000-0000-000000000000",
        "pseudonym": "Zélie",
        "version": "2025-1",
        "login": "commerce",
    }
    return "/api" + route.path.format(**values)


def headers_for(client: FlaskClient, role: Role) -> dict[str, str]:
    token = store.accounts_of(client.application).issue_token(LOGIN_OF[role])
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("route", PROTECTED, ids=[f"{r.method} {r.path}" for r in PROTECTED])
def test_a_protected_api_route_wants_a_token(client: FlaskClient, route: Route) -> None:
    response = client.open(url_of(client, route), method=route.method, json={})
    assert response.status_code == 401 and response.get_json()["code"] == "token_required"


@pytest.mark.parametrize("route", PROTECTED, ids=[f"{r.method} {r.path}" for r in PROTECTED])
def test_a_protected_api_route_refuses_other_roles(client: FlaskClient, route: Route) -> None:
    others = [r for r in LOGIN_OF if r not in route.roles]
    for role in others:
        response = client.open(
            url_of(client, route), method=route.method, json={}, headers=headers_for(client, role)
        )
        assert response.status_code == 403, (role, response.get_data(as_text=True))
        assert response.get_json()["code"] == "forbidden"


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r.method} {r.path}" for r in ROUTES])
def test_every_api_route_answers_json_for_its_own_role(client: FlaskClient, route: Route) -> None:
    role = next((r for r in LOGIN_OF if r in route.roles), None)
    headers = headers_for(client, role) if role is not None else {}
    response = client.open(url_of(client, route), method=route.method, json={}, headers=headers)
    assert response.is_json, response.get_data(as_text=True)[:500]
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.get_json()["code"]


def test_members_join_and_record_training_through_the_api(client: FlaskClient) -> None:
    headers = headers_for(client, Role.FACILITATOR)
    joined = client.post(
        "/api/members", json={"pseudonym": "Nour", "roles": ["membre"], "wave": 3}, headers=headers
    )
    assert joined.status_code == 201 and joined.get_json()["wave"] == 3
    trained = client.post(
        "/api/members/Nour/trainings",
        json={"session": "Filières", "on": "2026-01-10"},
        headers=headers,
    )
    assert trained.get_json()["trainings"] == [{"session": "Filières", "on": "2026-01-10"}]
    listed = client.get("/api/members", headers=headers_for(client, Role.EVALUATOR)).get_json()
    assert "Nour" in [m["pseudonym"] for m in listed]
    unknown = client.post(
        "/api/members", json={"pseudonym": "Nour", "roles": ["chef"], "wave": 3}, headers=headers
    )
    assert unknown.status_code == 400 and unknown.get_json()["code"] == "unknown_role"


def test_a_poll_is_opened_and_an_objection_lifted_through_the_api(client: FlaskClient) -> None:
    member = headers_for(client, Role.MEMBER)
    poll = client.post(
        "/api/proposals/questions",
        json={"title": "Quel jour ?", "text": "Pour le marché.", "options": ["samedi", "dimanche"]},
        headers=member,
    )
    assert poll.status_code == 201 and poll.get_json()["mode"] == "poll"
    question = client.post(
        "/api/proposals/questions",
        json={"title": "Ouvrir le lundi ?", "text": "Question.", "mode": "consent"},
        headers=member,
    ).get_json()
    pid = question["id"]
    client.post(
        f"/api/proposals/{pid}/votes",
        json={"choice": "object", "reason": "Trop tôt"},
        headers=member,
    )
    lifted = client.post(f"/api/proposals/{pid}/lift", json={"note": "D'accord"}, headers=member)
    assert lifted.status_code == 200
    assert lifted.get_json()["objections"][0]["status"] == "lifted"
