"""Every action of the web has its API route, with the same roles, described in the OpenAPI
document with its request and response schemas."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from registry.roles import Role
from web.api.base import ROUTES, Route

PROPOSERS = {Role.MEMBER, Role.PARTICIPANT, Role.FACILITATOR}
VOTERS = {Role.MEMBER, Role.PARTICIPANT}
FACILITATOR = {Role.FACILITATOR}

# Each state-changing web route and the API routes doing the same (method, path), with the
# roles the web route lets in; an empty tuple of routes says why the action stays on the web.
WEB_ACTIONS: dict[str, tuple[tuple[tuple[str, str], ...], set[Role] | str]] = {
    "account.login": ((), "a session login; the API uses a token"),
    "account.logout": ((), "ends a session; the API uses a token"),
    "account.signup": ((), "creates an account and its session"),
    "account.index": (
        (("POST", "/account/token"), ("DELETE", "/account/token")),
        "password change and deletion ask for the current password: web only",
    ),
    "shop.apply": ((("POST", "/places"),), {Role.PLACE}),
    "shop.amend": ((("PUT", "/places/{siret}"),), {Role.PLACE}),
    "shop.withdraw": ((("POST", "/places/{siret}/withdraw"),), {Role.PLACE}),
    "decisions.decide": (
        (
            ("POST", "/places/{siret}/decisions"),
            ("POST", "/places/{siret}/accounts/{login}/password"),
        ),
        FACILITATOR,
    ),
    "proposals.vote": ((("POST", "/proposals/{proposal_id}/votes"),), VOTERS),
    "proposals.amend": ((("POST", "/proposals/{proposal_id}/amendments"),), PROPOSERS),
    "proposals.lift": ((("POST", "/proposals/{proposal_id}/lift"),), VOTERS),
    "proposals.close": ((("POST", "/proposals/{proposal_id}/close"),), FACILITATOR),
    "proposals.withdraw": ((("POST", "/proposals/{proposal_id}/withdraw"),), PROPOSERS),
    "proposals.meeting": ((("POST", "/proposals/{proposal_id}/meetings"),), FACILITATOR),
    "proposing.revision": (
        (("POST", "/proposals/criteria"), ("POST", "/proposals/impact")),
        PROPOSERS,
    ),
    "proposing.new": (
        (("POST", "/proposals/questions"), ("POST", "/proposals/decisions")),
        PROPOSERS,
    ),
    "charter.propose": ((("POST", "/proposals/charter"),), PROPOSERS),
    "members.join": ((("POST", "/members"),), FACILITATOR),
    "members.show": (
        (
            ("POST", "/members/{pseudonym}/trainings"),
            ("POST", "/members/{pseudonym}/roles"),
            ("POST", "/members/{pseudonym}/leave"),
            ("POST", "/members/{pseudonym}/password"),
        ),
        FACILITATOR,
    ),
}

READS = [
    ("GET", "/charter", "CharterOut"),
    ("GET", "/proposals/{proposal_id}", "ProposalDetailOut"),
    ("GET", "/members/{pseudonym}", "MemberOut"),
    ("GET", "/account", "AccountOut"),
]
NEW_WRITES = [
    ("POST", "/proposals/{proposal_id}/amendments", "AmendmentIn", "ProposalDetailOut"),
    ("POST", "/proposals/charter", "CharterProposalIn", "ProposalDetailOut"),
    ("POST", "/members/{pseudonym}/roles", "RolesIn", "MemberOut"),
    ("POST", "/members/{pseudonym}/leave", "LeaveIn", "MemberOut"),
    ("POST", "/members/{pseudonym}/password", None, "TemporaryPasswordOut"),
    (
        "POST",
        "/places/{siret}/accounts/{login}/password",
        None,
        "PlaceTemporaryPasswordOut",
    ),
    ("POST", "/account/token", None, "TokenOut"),
    ("DELETE", "/account/token", None, "AccountOut"),
]


def route(method: str, path: str) -> Route:
    found = [r for r in ROUTES if (r.method, r.path) == (method, path)]
    assert len(found) == 1, (method, path)
    return found[0]


def test_every_state_changing_web_route_is_mapped_to_the_api(client: FlaskClient) -> None:
    changing = {
        rule.endpoint
        for rule in client.application.url_map.iter_rules()
        if not rule.rule.startswith("/api/") and rule.methods & {"POST", "PUT", "DELETE"}
    }
    assert changing == set(WEB_ACTIONS)


@pytest.mark.parametrize("web", sorted(WEB_ACTIONS))
def test_the_api_does_what_the_web_does_with_the_same_roles(web: str) -> None:
    routes, roles = WEB_ACTIONS[web]
    for method, path in routes:
        found = route(method, path)
        if isinstance(roles, set):
            assert set(found.roles) == roles, (method, path, found.roles)
        else:
            assert found.roles, (method, path)


def _ref(content: dict[str, Any]) -> str:
    return str(content["application/json"]["schema"]["$ref"]).rsplit("/", 1)[-1]


@pytest.mark.parametrize(("method", "path", "body", "response"), NEW_WRITES)
def test_new_writes_are_in_the_openapi_document(
    client: FlaskClient, method: str, path: str, body: str | None, response: str
) -> None:
    document = client.get("/api/openapi.json").get_json()
    operation = document["paths"][f"/api{path}"][method.lower()]
    if body is None:
        assert "requestBody" not in operation
    else:
        assert _ref(operation["requestBody"]["content"]) == body
        assert body in document["components"]["schemas"]
    success = next(c for c in operation["responses"] if c.startswith("2"))
    assert _ref(operation["responses"][success]["content"]) == response
    assert operation["security"] == [{"bearer": []}]
    assert {"400", "401", "403"} <= set(operation["responses"])
    assert _ref(operation["responses"]["403"]["content"]) == "ErrorOut"
    expected = ", ".join(str(r) for r in route(method, path).roles)
    assert operation["description"] == f"Rôles : {expected}"


@pytest.mark.parametrize(("method", "path", "response"), READS)
def test_reads_are_in_the_openapi_document(
    client: FlaskClient, method: str, path: str, response: str
) -> None:
    document = client.get("/api/openapi.json").get_json()
    operation = document["paths"][f"/api{path}"][method.lower()]
    assert _ref(operation["responses"]["200"]["content"]) == response


def test_the_amendment_and_charter_schemas_describe_their_fields(client: FlaskClient) -> None:
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    amendment = schemas["AmendmentIn"]
    assert amendment["required"] == ["note"]
    assert set(amendment["properties"]) == {
        "note",
        "title",
        "text",
        "version",
        "charter",
        "options",
    }
    assert amendment["additionalProperties"] is False
    charter = schemas["CharterProposalIn"]
    assert set(charter["required"]) == {"title", "text", "charter"}
    assert "CharterTerms" in schemas and "KindRule" in schemas
    detail = schemas["ProposalDetailOut"]["properties"]
    assert detail["amendments"]["items"]["$ref"].endswith("/AmendmentOut")
    assert "earlier" in schemas["AmendmentOut"]["properties"]
    assert "temporary_password" in schemas["TemporaryPasswordOut"]["properties"]
