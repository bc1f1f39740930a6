"""The JSON API: token authentication, JSON errors with a code, OpenAPI from the models."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from registry.declaration import Declaration
from tests.helpers import make_siret, shop
from web import store
from web.api.models import ErrorOut, PlaceDetailOut

TOMBE = "81400140000013"


def token_for(client: FlaskClient, login: str) -> dict[str, str]:
    token = store.accounts_of(client.application).issue_token(login)
    return {"Authorization": f"Bearer {token}"}


def events_count(client: FlaskClient) -> int:
    return store.registry_of(client.application).recorder.max_notification_id() or 0


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    ErrorOut.model_validate(body)
    assert body["code"] == code and body["message"]
    return body  # type: ignore[no-any-return]


def test_places_are_listed_and_filtered_without_a_token(client: FlaskClient) -> None:
    approved = client.get("/api/places?status=conventionne").get_json()
    assert approved and all(p["status"] == "conventionne" for p in approved)
    producers = client.get("/api/places?kind=producteur").get_json()
    assert producers and all(p["kind"] == "producteur" for p in producers)


def test_a_place_comes_with_its_evaluation_and_history(client: FlaskClient) -> None:
    place = client.get(f"/api/places/{TOMBE}").get_json()
    PlaceDetailOut.model_validate(place)
    assert place["evaluation"]["results"]
    history = client.get(f"/api/places/{TOMBE}/history").get_json()
    assert history[0]["event"] == "Applied"


def test_criteria_and_their_changes_are_served(client: FlaskClient) -> None:
    criteria = client.get("/api/criteria").get_json()
    assert criteria["in_force"] == "2025-1" and len(criteria["versions"]) == 2
    version = client.get("/api/criteria/2025-1").get_json()
    assert version["previous"] == "2024-1" and version["changes"]


def test_the_event_log_is_paginated(client: FlaskClient) -> None:
    page = client.get("/api/events?page=2").get_json()
    assert page["page"] == 2 and page["events"] and page["total"] > 50


def test_the_event_log_reads_the_timeline_newest_first_and_searches_its_words(
    client: FlaskClient,
) -> None:
    first = client.get("/api/events").get_json()
    numbers = [e["number"] for e in first["events"]]
    assert numbers == sorted(numbers, reverse=True) and numbers[0] == first["total"]
    second = client.get("/api/events?page=2").get_json()
    assert max(e["number"] for e in second["events"]) < min(numbers)
    places = client.get("/api/events?category=lieux").get_json()
    assert places["total"] and {e["category"] for e in places["events"]} == {"lieux"}
    assert places["total"] < first["total"]
    found = client.get("/api/events?q=Tombe-Issoire").get_json()
    assert found["total"] and found["total"] < first["total"]
    for words in ('"', "NEAR(", "a OR", "*", "-x"):
        response = client.get("/api/events", query_string={"q": words})
        assert response.status_code in (200, 400), words
    assert client.get("/api/events?page=x").get_json()["code"] == "invalid_page"


def test_writing_needs_a_token(client: FlaskClient) -> None:
    assert_error(client.post("/api/places", json=shop()), 401, "token_required")
    assert_error(
        client.post("/api/places", json=shop(), headers={"Authorization": "Bearer nope"}),
        401,
        "token_required",
    )


def test_writing_needs_the_right_role(client: FlaskClient) -> None:
    headers = token_for(client, "membre")
    assert_error(client.post("/api/places", json=shop(), headers=headers), 403, "forbidden")


def test_a_place_applies_through_the_api(client: FlaskClient) -> None:
    siret = make_siret(777)
    response = client.post(
        "/api/places", json=shop(siret=siret), headers=token_for(client, "producteur")
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["siret"] == siret
    assert siret in store.accounts_of(client.application).get("producteur").sirets


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"kind": "commerce"}, "invalid_declaration"),
        ({**shop(siret=make_siret(778)), "marge": 30}, "margin_not_collected"),
        (shop(siret="12345678901234"), "invalid_declaration"),
        (shop(siret=TOMBE), "already_applied"),
        (shop(siret=make_siret(779), caisse="lyon-8e"), "unknown_caisse"),
        ([1, 2], "invalid_json"),
    ],
)
def test_a_refused_application_is_a_json_error_with_a_code_and_stores_nothing(
    client: FlaskClient, body: Any, code: str
) -> None:
    headers = token_for(client, "producteur")
    before = events_count(client)
    response = client.post("/api/places", json=body, headers=headers)
    assert_error(response, response.status_code, code)
    assert 400 <= response.status_code < 500
    assert events_count(client) == before


def test_field_errors_name_each_field_in_french(client: FlaskClient) -> None:
    body = shop(siret=make_siret(780))
    body["address"] = {**body["address"], "postcode": "75"}
    response = client.post("/api/places", json=body, headers=token_for(client, "producteur"))
    error = assert_error(response, 400, "invalid_declaration")
    assert error["fields"]["address.postcode"] == "format invalide"


def test_a_place_amends_and_withdraws_only_its_own_place(client: FlaskClient) -> None:
    headers = token_for(client, "commerce")
    declaration = client.get(f"/api/places/{TOMBE}").get_json()["declaration"]
    declaration["presentation"] = "Vrac et paysan."
    response = client.put(f"/api/places/{TOMBE}", json=declaration, headers=headers)
    assert response.status_code == 200 and response.get_json()["declaration"]["presentation"]
    other = "81400007100013"
    assert_error(
        client.post(f"/api/places/{other}/withdraw", json={"reason": "x"}, headers=headers),
        403,
        "not_your_place",
    )
    assert_error(
        client.post(f"/api/places/{TOMBE}/withdraw", json={}, headers=headers),
        400,
        "invalid_request",
    )
    done = client.post(f"/api/places/{TOMBE}/withdraw", json={"reason": "Fin"}, headers=headers)
    assert done.get_json()["status"] == "retire"


def test_unknown_things_are_json_404s(client: FlaskClient) -> None:
    assert_error(client.get("/api/places/81400007100099"), 400, "invalid_siret")
    assert_error(client.get(f"/api/places/{make_siret(999)}"), 404, "place_not_found")
    assert_error(client.get("/api/nothing-here"), 404, "not_found")
    assert_error(client.delete("/api/places"), 405, "method_not_allowed")


def test_evaluators_replay_and_simulate_through_the_api(client: FlaskClient) -> None:
    headers = token_for(client, "evaluateur")
    replay = client.get("/api/replay?date=2024-12-31", headers=headers).get_json()
    assert replay["criteria_in_force"]["paris-14e"] == "2024-1"
    assert all(p["name"] != "Cantine de quartier Montsouris" for p in replay["places"])
    what_if = client.get("/api/what-if?version=2024-1", headers=headers).get_json()
    assert what_if["rows"] and what_if["version"] == "2024-1"
    assert_error(client.get("/api/replay?date=hier", headers=headers), 400, "invalid_date")
    export = client.get("/api/exports/approved?date=2025-12-31", headers=headers).get_json()
    assert export["places"]


def test_the_openapi_document_is_generated_from_the_pydantic_models(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    schemas = document["components"]["schemas"]
    assert (
        schemas["Declaration"]["properties"].keys()
        == Declaration.model_json_schema()["properties"].keys()
    )
    assert "ErrorOut" in schemas and "PlaceDetailOut" in schemas
    apply = document["paths"]["/api/places"]["post"]
    ref = apply["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/Declaration"
    assert apply["security"] == [{"bearer": []}]


def test_every_api_route_is_in_the_openapi_document_and_every_ref_resolves(
    client: FlaskClient,
) -> None:
    document = client.get("/api/openapi.json").get_json()
    app = client.application
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.rule == "/api/openapi.json":
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in document["paths"][path], (method, path)

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            found = [node["$ref"]] if "$ref" in node else []
            return found + [r for v in node.values() for r in refs(v)]
        if isinstance(node, list):
            return [r for v in node for r in refs(v)]
        return []

    for ref in refs(document):
        name = ref.removeprefix("#/components/schemas/")
        assert name in document["components"]["schemas"], ref


def test_api_messages_follow_accept_language(client: FlaskClient) -> None:
    body = assert_error(client.get(f"/api/places/{make_siret(998)}"), 404, "place_not_found")
    assert body["message"].startswith("Aucun lieu")
    english = client.get(f"/api/places/{make_siret(998)}", headers={"Accept-Language": "en"})
    assert english.get_json()["message"].startswith("No place")


def test_members_propose_vote_and_a_facilitator_closes_through_the_api(
    client: FlaskClient,
) -> None:
    member, facilitator = token_for(client, "membre"), token_for(client, "animatrice-camille")
    version = client.get("/api/criteria").get_json()["versions"][-1]
    version = {**version, "version": "2026-api", "effective_from": "2030-01-01", "fingerprints": {}}
    impact = client.post("/api/proposals/impact", json={"version": version}, headers=member)
    assert impact.status_code == 200 and "gains" in impact.get_json()
    opened = client.post(
        "/api/proposals/criteria",
        json={"title": "Même grille, plus tard", "mode": "consent", "version": version},
        headers=member,
    )
    assert opened.status_code == 201, opened.get_data(as_text=True)
    pid = opened.get_json()["id"]
    before = events_count(client)
    refused = client.post(f"/api/proposals/{pid}/votes", json={"choice": "object"}, headers=member)
    assert_error(refused, 400, "reason_required")
    assert events_count(client) == before
    voted = client.post(f"/api/proposals/{pid}/votes", json={"choice": "for"}, headers=member)
    assert voted.status_code == 200 and voted.get_json()["votes"]
    assert_error(client.post(f"/api/proposals/{pid}/close", headers=member), 403, "forbidden")
    meeting = {"minutes": "CR", "held_on": "2026-01-01", "present": 20, "tally": {"for": 20}}
    client.post(f"/api/proposals/{pid}/meetings", json=meeting, headers=facilitator)
    closed = client.post(f"/api/proposals/{pid}/close", headers=facilitator)
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    missing = client.get("/api/proposals/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.get_json()["code"].endswith("not_found")


def test_a_decision_on_a_place_is_proposed_and_withdrawn_through_the_api(
    client: FlaskClient,
) -> None:
    member = token_for(client, "membre")
    body = {"siret": TOMBE, "action": "suspend", "reason": "Allocation refusée", "mode": "consent"}
    opened = client.post("/api/proposals/decisions", json=body, headers=member)
    assert opened.status_code == 201, opened.get_data(as_text=True)
    pid = opened.get_json()["id"]
    assert_error(
        client.post(f"/api/proposals/{pid}/withdraw", json={}, headers=member),
        400,
        "invalid_request",
    )
    done = client.post(f"/api/proposals/{pid}/withdraw", json={"note": "Réglé"}, headers=member)
    assert done.get_json()["status"] == "withdrawn"
