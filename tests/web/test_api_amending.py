"""Amending an open proposal through the API: its author or a facilitator records a note and
what changes; votes already cast stay, marked as cast before the amendment; a refused
amendment is a JSON error with a code and stores nothing."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from registry.governance.charter import Kind
from registry.governance.rules import Mode
from tests.web.test_amending import CAISSE, ZELIE, open_revision, zelie_question
from tests.web.test_api import assert_error, events_count, token_for
from tests.web.test_charter_change import registry
from web.api.models import ProposalDetailOut


def amend(client: FlaskClient, proposal: Any, body: Any, login: str = "membre") -> Any:
    return client.post(
        f"/api/proposals/{proposal.id}/amendments", json=body, headers=token_for(client, login)
    )


def test_the_author_amends_and_earlier_votes_stay_marked(client: FlaskClient) -> None:
    proposal = zelie_question(client)
    registry(client).cast_vote(proposal.id, "Moussa", "for")
    response = amend(
        client,
        proposal,
        {
            "note": "Le dimanche matin seulement, jusqu'à 13 h.",
            "title": "Ouvrir le marché le dimanche matin ?",
            "text": "Le marché ouvrirait le dimanche de 8 h à 13 h.",
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = ProposalDetailOut.model_validate(response.get_json())
    assert body.title == "Ouvrir le marché le dimanche matin ?"
    assert [(a.number, a.by, a.earlier) for a in body.amendments] == [(1, "Zélie", ["Moussa"])]
    assert body.votes[0]["before_latest_amendment"] is True
    stored = registry(client).proposal(proposal.id)
    assert stored.title == "Ouvrir le marché le dimanche matin ?"
    assert stored.text == "Le marché ouvrirait le dimanche de 8 h à 13 h."
    assert stored.mode is Mode.CONSENT
    assert [a["note"] for a in stored.amendments] == ["Le dimanche matin seulement, jusqu'à 13 h."]
    assert len(stored.votes) == 1 and stored.votes[0]["amendment"] == 0
    shown = client.get(f"/api/proposals/{proposal.id}").get_json()
    assert shown["amendments"][0]["earlier"] == ["Moussa"]


def test_a_text_left_out_stays_and_a_facilitator_amends_someone_elses_revision(
    client: FlaskClient,
) -> None:
    proposal = open_revision(client)
    votes = len(proposal.votes)
    version = client.get(f"/api/proposals/{proposal.id}").get_json()["payload"]["version"]
    criteria = [dict(c) for c in version["criteria"]]
    for criterion in criteria:
        if criterion["key"] == "proximite":
            criterion["params"] = {**criterion["params"], "producer_max_km": 150}
    before = events_count(client)
    for bad, code in (
        ({**version, "version": "2025-1", "criteria": criteria}, "criteria_version_exists"),
        ({**version, "criteria": "aucun"}, "invalid_criteria"),
    ):
        refused = amend(client, proposal, {"note": "Non", "version": bad}, "animatrice-camille")
        assert_error(refused, 400, code)
    same = amend(client, proposal, {"note": "Rien", "version": version}, "animatrice-camille")
    assert_error(same, 400, "amendment_empty")
    assert events_count(client) == before
    response = amend(
        client,
        proposal,
        {
            "note": "Jusqu'à 150 km pour les producteurs.",
            "version": {**version, "criteria": criteria},
        },
        login="animatrice-camille",
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert events_count(client) == before + 1
    stored = registry(client).proposal(proposal.id)
    params = {c["key"]: c["params"] for c in stored.payload["version"]["criteria"]}
    assert params["proximite"]["producer_max_km"] == 150
    assert stored.text == proposal.text and stored.title == proposal.title
    assert stored.amendments[-1]["by"] == "animatrice-camille"
    assert stored.impact["proposed_version"] == version["version"]
    assert len(stored.votes) == votes
    assert response.get_json()["amendments"][-1]["earlier"]


def test_a_poll_gains_an_option_but_keeps_the_ones_put_to_the_vote(client: FlaskClient) -> None:
    proposal = zelie_question(client, ("samedi", "dimanche"))
    before = events_count(client)
    dropped = amend(client, proposal, {"note": "Le lundi", "options": ["dimanche", "lundi"]})
    assert_error(dropped, 400, "options_removed")
    assert events_count(client) == before
    gained = amend(
        client,
        proposal,
        {"note": "Le mercredi aussi", "options": ["samedi", " dimanche", "mercredi"]},
    )
    assert gained.status_code == 200, gained.get_data(as_text=True)
    stored = registry(client).proposal(proposal.id)
    assert stored.payload["options"] == ["samedi", "dimanche", "mercredi"]
    assert stored.mode is Mode.POLL


def test_a_charter_change_is_amended_and_says_what_it_changes(client: FlaskClient) -> None:
    reg = registry(client)
    terms = reg.charter_in_force(CAISSE)
    rules = dict(terms.rules)
    rules[Kind.QUESTION] = rules[Kind.QUESTION].model_copy(update={"quorum": "1/5"})
    proposal = reg.propose_charter(
        CAISSE,
        terms.model_copy(update={"rules": rules}),
        "Un quorum pour les questions",
        "Un cinquième des expérimentateurs au moins.",
        ZELIE,
    )
    charter = client.get(f"/api/proposals/{proposal.id}").get_json()["payload"]["charter"]
    charter["rules"]["question"]["quorum"] = "1/4"
    response = amend(client, proposal, {"note": "Un quart plutôt", "charter": charter})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert reg.proposal(proposal.id).payload["charter"]["rules"]["question"]["quorum"] == "1/4"
    changes = response.get_json()["charter_changes"]
    assert [(c["before"], c["after"]) for c in changes] == [("0", "1/4")]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "invalid_request"),
        ({"note": "   "}, "invalid_request"),
        ({"note": "Un titre vide", "title": ""}, "invalid_request"),
        ({"note": "Inconnu", "mode": "majority"}, "invalid_request"),
        ({"note": "Rien ne change"}, "amendment_empty"),
        (
            {
                "note": "Même titre",
                "title": "Ouvrir le marché le dimanche ?",
                "text": "Le marché de la place de Catalogne ouvrirait aussi le dimanche matin.",
            },
            "amendment_empty",
        ),
        ({"note": "Des options", "options": ["a", "b"]}, "not_amendable"),
        ({"note": "Une charte", "charter": "current"}, "not_amendable"),
        ({"note": "Une version", "version": "current"}, "not_amendable"),
        ([1, 2], "invalid_json"),
    ],
)
def test_a_bad_amendment_is_a_json_error_and_stores_nothing(
    client: FlaskClient, body: Any, code: str
) -> None:
    proposal = zelie_question(client)
    if isinstance(body, dict) and body.get("charter") == "current":
        body["charter"] = client.get("/api/charter").get_json()["terms"]
    if isinstance(body, dict) and body.get("version") == "current":
        body["version"] = open_revision(client).payload["version"]
    before = events_count(client)
    assert_error(amend(client, proposal, body), 400, code)
    assert events_count(client) == before
    stored = registry(client).proposal(proposal.id)
    assert stored.amendments == [] and stored.title == "Ouvrir le marché le dimanche ?"


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"voting_days": 0}, "invalid_charter", "charter.rules.question.voting_days"),
        ({"modes": ["consent", "poll"]}, "invalid_charter", None),
        ({"majority": "qualified", "threshold": "1/2"}, "invalid_charter", None),
    ],
)
def test_a_bad_charter_in_an_amendment_is_refused_as_the_form_refuses_it(
    client: FlaskClient, change: dict[str, Any], code: str, field: str | None
) -> None:
    reg = registry(client)
    terms = reg.charter_in_force(CAISSE)
    rules = dict(terms.rules)
    rules[Kind.QUESTION] = rules[Kind.QUESTION].model_copy(update={"quorum": "1/5"})
    proposal = reg.propose_charter(
        CAISSE, terms.model_copy(update={"rules": rules}), "Quorum", "Un quorum.", ZELIE
    )
    charter = client.get(f"/api/proposals/{proposal.id}").get_json()["payload"]["charter"]
    kind = "question" if field else "criteria_revision"
    charter["rules"][kind] = {**charter["rules"][kind], **change}
    before = events_count(client)
    error = assert_error(amend(client, proposal, {"note": "Non", "charter": charter}), 400, code)
    assert any(k.startswith(f"charter.rules.{kind}") for k in error["fields"])
    if field:
        assert field in error["fields"]
    assert events_count(client) == before
    assert reg.proposal(proposal.id).amendments == []


def test_only_the_author_or_a_facilitator_may_amend(client: FlaskClient) -> None:
    proposal = zelie_question(client)
    before = events_count(client)
    refused = amend(client, proposal, {"note": "Moi aussi", "title": "Autre"}, login="membre-2")
    body = assert_error(refused, 403, "not_author")
    assert "Zélie" in body["message"]
    assert_error(
        client.post(f"/api/proposals/{proposal.id}/amendments", json={"note": "x", "title": "y"}),
        401,
        "token_required",
    )
    for login in ("evaluateur", "observateur", "commerce"):
        assert_error(amend(client, proposal, {"note": "x", "title": "y"}, login), 403, "forbidden")
    assert events_count(client) == before
    assert registry(client).proposal(proposal.id).amendments == []


def test_a_withdrawn_or_unknown_proposal_cannot_be_amended(client: FlaskClient) -> None:
    proposal = zelie_question(client)
    registry(client).withdraw_proposal(proposal.id, "Réglé autrement", ZELIE)
    before = events_count(client)
    assert_error(
        amend(client, proposal, {"note": "Trop tard", "title": "Autre"}), 400, "proposal_withdrawn"
    )
    assert events_count(client) == before
    missing = client.post(
        "/api/proposals/00000000-0000-0000-0000-000000000000/amendments",
        json={"note": "x", "title": "y"},
        headers=token_for(client, "membre"),
    )
    assert missing.status_code == 404 and missing.get_json()["code"].endswith("not_found")
