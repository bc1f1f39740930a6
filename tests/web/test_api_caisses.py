"""The JSON API with two caisses: each token acts in its account's caisse only, reads default
to it and take `?caisse=`, and an unknown caisse is a JSON 404 naming the caisses there are."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry.governance.charter import Kind
from registry.roles import Role
from tests.web.conftest import PASSWORDS as DEMO_PASSWORDS
from tests.web.test_api import assert_error, events_count, token_for
from tests.web.test_caisses import (  # noqa: F401  (the `two` fixture)
    PASSWORDS,
    TOMBE,
    A,
    B,
    open_in,
    registry,
    two,
)
from web import store
from web.api.models import AccountOut, ExportOut, ProposalDetailOut, ReplayOut

pytestmark = pytest.mark.usefixtures("two")

CAGETTE = "90213456800010"  # a place of caisse B
B_QUESTION = "Marché du dimanche ?"
BASILE = "animateur-basile"


def post(client: FlaskClient, url: str, body: Any = None, login: str = BASILE) -> Any:
    return client.post(url, json=body if body is not None else {}, headers=token_for(client, login))


def get(client: FlaskClient, url: str, login: str | None = None, **headers: str) -> Any:
    if login is not None:
        headers.update(token_for(client, login))
    return client.get(url, headers=headers)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def add_member(client: FlaskClient, pseudonym: str, login: str | None = None) -> Any:
    body: dict[str, Any] = {"pseudonym": pseudonym, "wave": 1, "roles": ["membre"]}
    if login is not None:
        body.update(login=login, password=PASSWORDS.get(login, "mot-de-passe-long"))
    return ok(post(client, "/api/members", body), 201)


def titles(proposals: list[dict[str, Any]]) -> set[str]:
    return {p["title"] for p in proposals}


def in_force(client: FlaskClient, caisse: str) -> dict[str, Any]:
    return ok(client.get(f"/api/charter?caisse={caisse}"))["terms"]  # type: ignore[no-any-return]


# Caisse B governs itself through the API ---------------------------------------------------


def test_caisse_b_changes_its_own_charter_through_the_api(client: FlaskClient) -> None:
    reg = registry(client.application)
    charter_a, charter_b = reg.charter(A).number, reg.charter(B).number
    for pseudonym, login in (("Ysé", "yse"), ("Tom", "tom")):
        assert add_member(client, pseudonym, login)["caisse"] == B
    accounts = store.accounts_of(client.application)
    assert accounts.get("yse").caisse == B and accounts.get("tom").caisse == B  # type: ignore[union-attr]
    assert {m.pseudonym for m in reg.members(B)} == {"animateur-basile", "Ysé", "Tom"}
    assert "Ysé" not in {m.pseudonym for m in reg.members(A)}
    assert AccountOut.model_validate(ok(get(client, "/api/account", "yse"))).caisse == B

    charter = ok(get(client, "/api/charter", "yse"))
    assert charter["caisse"] == B
    terms = charter["terms"]
    terms["rules"]["question"]["quorum"] = "1/4"
    opened = post(
        client,
        "/api/proposals/charter",
        {"title": "Un quorum pour les questions", "text": "Un quart au moins.", "charter": terms},
        "yse",
    )
    proposal = ProposalDetailOut.model_validate(ok(opened, 201))
    assert proposal.caisse == B and proposal.proposer == "Ysé"
    assert [p["id"] for p in ok(get(client, "/api/charter", "tom"))["pending"]] == [proposal.id]
    assert ok(client.get(f"/api/charter?caisse={A}"))["pending"] == []
    for login in ("yse", "tom"):
        ok(post(client, f"/api/proposals/{proposal.id}/votes", {"choice": "for"}, login))
    closed = ok(post(client, f"/api/proposals/{proposal.id}/close"))
    assert closed["status"] == "closed" and closed["outcome"] == "adopted"
    assert reg.charter(B).number == charter_b + 1
    assert reg.charter_in_force(B).rule(Kind.QUESTION).quorum == "1/4"
    assert reg.charter(A).number == charter_a
    assert reg.charter_in_force(A).rule(Kind.QUESTION).quorum == "0"
    assert in_force(client, A)["rules"]["question"]["quorum"] == "0"


def test_caisse_b_opens_criteria_questions_and_decisions_in_caisse_b(client: FlaskClient) -> None:
    add_member(client, "Ysé", "yse")
    reg = registry(client.application)
    versions = ok(get(client, "/api/criteria", "yse"))
    assert versions["caisse"] == B and [v["version"] for v in versions["versions"]] == ["2024-1"]
    version = {**versions["versions"][-1], "version": "2026-b", "effective_from": "2030-01-01"}
    criteria = post(
        client,
        "/api/proposals/criteria",
        {"title": "Même grille, plus tard", "mode": "consent", "version": version},
        "yse",
    )
    assert ok(criteria, 201)["caisse"] == B
    question = post(
        client,
        "/api/proposals/questions",
        {"title": "Un local ?", "text": "Où ?", "mode": "majority"},
    )
    assert ok(question, 201)["caisse"] == B
    decision = post(
        client,
        "/api/proposals/decisions",
        {"siret": CAGETTE, "action": "suspend", "reason": "Fermé", "mode": "consent"},
        "yse",
    )
    pid = ok(decision, 201)["id"]
    assert reg.proposal(pid).caisse == B
    meeting = {"minutes": "CR", "held_on": "2026-01-01", "present": 3, "tally": {"for": 3}}
    assert ok(post(client, f"/api/proposals/{pid}/meetings", meeting))["meetings"]
    withdrawn = post(client, f"/api/proposals/{pid}/withdraw", {"note": "Rouvert"}, "yse")
    assert ok(withdrawn)["status"] == "withdrawn"
    assert {
        p.caisse for p in reg.proposals() if p.title in {"Un local ?", "Même grille, plus tard"}
    } == {B}
    assert reg.criteria_set(A).get("2025-1") is not None
    assert [v.version for v in reg.criteria_set(A).versions()] == ["2024-1", "2025-1"]


def test_a_facilitator_records_decisions_on_its_own_caisses_places(client: FlaskClient) -> None:
    body = {"action": "suspend", "reason": "Fermé", "decision": "Réunion du 3"}
    place = ok(post(client, f"/api/places/{CAGETTE}/decisions", body))
    assert place["status"] == "suspendu"
    assert registry(client.application).place(CAGETTE).status.value == "suspendu"


def test_a_temporary_password_goes_to_the_account_of_the_facilitators_caisse(
    client: FlaskClient,
) -> None:
    add_member(client, "Zélie", "zelie-plaisance")  # a namesake of caisse A's Zélie
    reset = ok(post(client, "/api/members/Zélie/password"))
    assert reset["login"] == "zelie-plaisance"
    accounts = store.accounts_of(client.application)
    assert accounts.authenticate("zelie-plaisance", reset["temporary_password"]) is not None
    assert accounts.authenticate("membre", DEMO_PASSWORDS["membre"]) is not None


# Across caisses: a JSON 403, nothing stored ------------------------------------------------


def _charter_for(client: FlaskClient, caisse: str) -> dict[str, Any]:
    terms = in_force(client, caisse)
    terms["rules"]["question"]["voting_days"] = 10
    return {"title": "Dix jours", "text": "Plus court.", "charter": terms, "caisse": caisse}


def _criteria_for(client: FlaskClient, caisse: str) -> dict[str, Any]:
    version = ok(client.get(f"/api/criteria?caisse={caisse}"))["versions"][-1]
    version = {**version, "version": "2031-x", "effective_from": "2031-01-01"}
    return {"title": "Plus tard", "mode": "consent", "version": version}


def writes_on_a(client: FlaskClient) -> list[tuple[str, Any]]:
    """What caisse B's facilitator may not do to caisse A's members, proposals and places."""
    pid = open_in(client.application, A)
    return [
        ("/api/members/Zélie/roles", {"roles": ["membre"], "reason": "Pour voir"}),
        ("/api/members/Zélie/leave", {"reason": "Pour voir"}),
        ("/api/members/Zélie/password", {}),
        ("/api/members/Zélie/trainings", {"session": "Formation", "on": "2025-01-01"}),
        (f"/api/members?caisse={A}", {"pseudonym": "Intrus", "wave": 1, "roles": ["membre"]}),
        (f"/api/proposals/{pid}/close", {}),
        (f"/api/proposals/{pid}/withdraw", {"note": "Pour voir"}),
        (f"/api/proposals/{pid}/amendments", {"note": "Changement", "title": "Autre"}),
        (
            f"/api/proposals/{pid}/meetings",
            {"minutes": "CR", "held_on": "2025-01-01", "present": 9, "tally": {"for": 9}},
        ),
        (f"/api/places/{TOMBE}/decisions", {"action": "suspend", "reason": "r", "decision": "d"}),
        (
            "/api/proposals/decisions",
            {"siret": TOMBE, "action": "suspend", "reason": "Pour voir", "mode": "consent"},
        ),
        ("/api/proposals/charter", _charter_for(client, A)),
        ("/api/proposals/criteria", _criteria_for(client, A)),
        (f"/api/proposals/questions?caisse={A}", {"title": "Intrus ?", "text": "Pour voir"}),
    ]


def test_caisse_b_facilitator_cannot_touch_caisse_a(client: FlaskClient) -> None:
    reg = registry(client.application)
    writes = writes_on_a(client)
    before = events_count(client)
    accounts_before = len(store.accounts_of(client.application).all())
    for url, body in writes:
        refused = assert_error(post(client, url, body), 403, "other_caisse")
        assert "Paris 14e" in refused["message"] and "Plaisance" in refused["message"], url
    assert events_count(client) == before
    assert len(store.accounts_of(client.application).all()) == accounts_before
    assert sorted(reg.member(A, "Zélie").roles) != [] and reg.member(A, "Zélie").active
    assert reg.place(TOMBE).status.value == "conventionne"
    assert reg.proposal(open_in(client.application, A)).state.value == "open"


def test_caisse_a_facilitator_cannot_touch_caisse_b(client: FlaskClient) -> None:
    add_member(client, "Ysé", "yse")
    pid = open_in(client.application, B)
    before = events_count(client)
    camille = "animatrice-camille"
    assert_error(post(client, f"/api/proposals/{pid}/close", {}, camille), 403, "other_caisse")
    assert_error(
        post(client, "/api/members/Ysé/leave", {"reason": "r"}, camille), 403, "other_caisse"
    )
    assert_error(
        post(client, "/api/proposals/charter", _charter_for(client, B), camille),
        403,
        "other_caisse",
    )
    assert events_count(client) == before
    assert registry(client.application).proposal(pid).state.value == "open"
    assert registry(client.application).member(B, "Ysé").active


def test_members_vote_and_lift_only_in_their_own_caisse(client: FlaskClient) -> None:
    add_member(client, "Ysé", "yse")
    pid_a, pid_b = open_in(client.application, A), open_in(client.application, B)
    before = events_count(client)
    vote = {"choice": "for"}
    assert_error(post(client, f"/api/proposals/{pid_a}/votes", vote, "yse"), 403, "other_caisse")
    assert_error(post(client, f"/api/proposals/{pid_b}/votes", vote, "membre"), 403, "other_caisse")
    lift = {"note": "Levé"}
    assert_error(post(client, f"/api/proposals/{pid_a}/lift", lift, "yse"), 403, "other_caisse")
    assert events_count(client) == before
    voted = ok(post(client, f"/api/proposals/{pid_b}/votes", vote, "yse"))
    assert [v["member"] for v in voted["votes"]] == ["Ysé"]


def test_the_refusal_speaks_english_on_request(client: FlaskClient) -> None:
    pid = open_in(client.application, A)
    headers = {**token_for(client, BASILE), "Accept-Language": "en"}
    response = client.post(f"/api/proposals/{pid}/close", json={}, headers=headers)
    body = assert_error(response, 403, "other_caisse")
    assert body["message"].startswith("This belongs to the caisse")
    french = assert_error(post(client, f"/api/proposals/{pid}/close"), 403, "other_caisse")
    assert french["message"].startswith("Ceci relève de la caisse")


def test_an_account_of_no_known_caisse_may_not_govern(client: FlaskClient) -> None:
    store.accounts_of(client.application).create(
        "egaree", "mot-de-passe-long", Role.FACILITATOR, "Égarée", (), "egaree", "ailleurs"
    )
    before = events_count(client)
    question = {"title": "Perdue ?", "text": "Où suis-je ?"}
    for url, body in (
        ("/api/proposals/questions", question),
        ("/api/members", {"pseudonym": "Perdu", "wave": 1, "roles": ["membre"]}),
        (f"/api/proposals/{open_in(client.application, B)}/close", {}),
    ):
        refused = assert_error(post(client, url, body, "egaree"), 403, "no_caisse")
        assert "rattaché à aucune caisse" in refused["message"], url
    assert events_count(client) == before
    assert ok(get(client, "/api/account", "egaree"))["caisse"] is None
    # Reading still works: the first caisse by default.
    assert ok(get(client, "/api/criteria", "egaree"))["caisse"] == A


# Reads: the token's caisse by default, `?caisse=` otherwise ---------------------------------


def test_reads_default_to_the_tokens_caisse_and_honour_the_query(client: FlaskClient) -> None:
    add_member(client, "Ysé", "yse")
    reg = registry(client.application)
    of_a, of_b = {p.title for p in reg.proposals(A)}, {p.title for p in reg.proposals(B)}
    assert of_a and of_b == {B_QUESTION}
    assert titles(ok(client.get("/api/proposals"))) == of_a
    theirs = titles(ok(get(client, "/api/proposals", "yse")))
    assert theirs == of_b
    assert titles(ok(client.get(f"/api/proposals?caisse={B}"))) == theirs
    assert titles(ok(get(client, f"/api/proposals?caisse={A}", "yse"))) == titles(
        ok(client.get("/api/proposals"))
    )
    assert titles(ok(client.get("/api/proposals?caisse=toutes"))) == of_a | of_b

    assert [m["pseudonym"] for m in ok(get(client, "/api/members", BASILE))] == [
        "animateur-basile",
        "Ysé",
    ]
    by_evaluator = ok(get(client, "/api/members", "evaluatrice-b"))
    assert [m["pseudonym"] for m in by_evaluator] == ["animateur-basile", "Ysé"]
    in_a = {m["pseudonym"] for m in ok(get(client, f"/api/members?caisse={A}", BASILE))}
    assert "Zélie" in in_a and "Ysé" not in in_a
    assert_error(get(client, "/api/members/Zélie", BASILE), 404, "member_not_found")
    assert ok(get(client, f"/api/members/Zélie?caisse={A}", BASILE))["caisse"] == A

    assert ok(get(client, "/api/criteria", "evaluatrice-b"))["in_force"] == "2024-1"
    assert ok(get(client, f"/api/criteria?caisse={A}", "evaluatrice-b"))["in_force"] == "2025-1"
    assert ok(client.get("/api/criteria"))["caisse"] == A
    assert_error(get(client, "/api/criteria/2025-1", "yse"), 404, "criteria_version_not_found")
    assert ok(get(client, f"/api/criteria/2025-1?caisse={A}", "yse"))["previous"] == "2024-1"
    assert ok(get(client, "/api/charter", BASILE))["caisse"] == B


def test_evaluation_reads_take_the_caisse(client: FlaskClient) -> None:
    replay = ReplayOut.model_validate(ok(get(client, "/api/replay", "evaluatrice-b")))
    assert set(replay.criteria_in_force) == {B}
    names = {p.name for p in replay.places}
    assert "Épicerie paysanne La Cagette" in names and "Épicerie de la Tombe-Issoire" not in names
    every = ok(get(client, "/api/replay?caisse=toutes", "evaluatrice-b"))
    assert set(every["criteria_in_force"]) == {A, B}
    assert ok(get(client, "/api/replay", "evaluateur"))["criteria_in_force"] == {A: "2025-1"}

    what_if = ok(get(client, "/api/what-if?version=2024-1", "evaluatrice-b"))
    assert {r["place"]["siret"] for r in what_if["rows"]} >= {CAGETTE}
    assert all(r["place"]["caisse"] == B for r in what_if["rows"])
    in_a = ok(get(client, f"/api/what-if?version=2025-1&caisse={A}", "evaluatrice-b"))
    assert in_a["rows"] and all(r["place"]["caisse"] == A for r in in_a["rows"])

    export = ExportOut.model_validate(
        ok(get(client, "/api/exports/approved?date=2030-01-01", "evaluatrice-b"))
    )
    assert export.caisse == B and CAGETTE in {p.siret for p in export.places}
    assert TOMBE not in {p.siret for p in export.places}
    in_a_export = ok(get(client, f"/api/exports/approved?date=2030-01-01&caisse={A}", BASILE))
    assert in_a_export["caisse"] == A and TOMBE in {p["siret"] for p in in_a_export["places"]}


def test_places_and_events_narrow_to_a_caisse_only_when_asked(client: FlaskClient) -> None:
    every = {p["siret"] for p in ok(get(client, "/api/places", BASILE))}
    assert {CAGETTE, TOMBE} <= every
    theirs = ok(client.get(f"/api/places?caisse={B}"))
    assert theirs and {p["caisse"] for p in theirs} == {B}
    events = ok(client.get(f"/api/events?caisse={B}&q=cagette"))
    assert events["total"] >= 1
    assert ok(client.get(f"/api/events?caisse={A}&q=cagette"))["total"] == 0
    assert ok(client.get("/api/events?q=cagette"))["total"] == events["total"]


@pytest.mark.parametrize(
    ("url", "login"),
    [
        ("/api/proposals", None),
        ("/api/charter", None),
        ("/api/criteria", None),
        ("/api/criteria/2024-1", None),
        ("/api/places", None),
        ("/api/events", None),
        ("/api/members", BASILE),
        ("/api/members/Zélie", BASILE),
        ("/api/replay", "evaluatrice-b"),
        ("/api/what-if?version=2024-1", "evaluatrice-b"),
        ("/api/exports/approved", "evaluatrice-b"),
    ],
)
def test_an_unknown_caisse_is_a_json_404_naming_the_caisses(
    client: FlaskClient, url: str, login: str | None
) -> None:
    joined = "&" if "?" in url else "?"
    body = assert_error(get(client, f"{url}{joined}caisse=inconnue", login), 404, "unknown_caisse")
    assert "« inconnue »" in body["message"] and A in body["message"] and B in body["message"]


def test_a_write_naming_an_unknown_caisse_stores_nothing(client: FlaskClient) -> None:
    before = events_count(client)
    body = {"title": "Où ?", "text": "Ailleurs"}
    assert_error(
        post(client, "/api/proposals/questions?caisse=inconnue", body), 404, "unknown_caisse"
    )
    assert events_count(client) == before


def test_a_wrong_token_on_a_public_read_is_refused(client: FlaskClient) -> None:
    wrong = {"Authorization": "Bearer pas-un-jeton"}
    assert_error(client.get("/api/proposals", headers=wrong), 401, "token_required")
    assert client.get("/api/proposals").status_code == 200


def test_the_openapi_document_names_the_caisse_parameter(app: Flask) -> None:
    paths = app.test_client().get("/api/openapi.json").get_json()["paths"]
    for path, method in (
        ("/api/proposals", "get"),
        ("/api/members", "get"),
        ("/api/members/{pseudonym}", "get"),
        ("/api/charter", "get"),
        ("/api/criteria", "get"),
        ("/api/criteria/{version}", "get"),
        ("/api/replay", "get"),
        ("/api/what-if", "get"),
        ("/api/exports/approved", "get"),
        ("/api/places", "get"),
        ("/api/events", "get"),
    ):
        names = {p["name"] for p in paths[path][method]["parameters"] if p["in"] == "query"}
        assert "caisse" in names, path
