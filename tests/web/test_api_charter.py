"""The charter through the API: anyone reads the version in force; members, participants and
facilitators propose a change, refused as the web form refuses it, in a mode the charter
permits."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from registry.governance.charter import CharterTerms, Kind
from registry.governance.rules import Mode
from tests.web.test_api import assert_error, events_count, token_for
from web import store
from web.api.models import CharterOut, ProposalDetailOut

CAISSE = "paris-14e"
URL = "/api/proposals/charter"


def registry(client: FlaskClient) -> Any:
    return store.registry_of(client.application)


def charter_proposals(client: FlaskClient) -> list[Any]:
    return [p for p in registry(client).proposals() if p.kind is Kind.CHARTER]


def in_force(client: FlaskClient) -> dict[str, Any]:
    return client.get("/api/charter").get_json()["terms"]  # type: ignore[no-any-return]


def shorter_questions(client: FlaskClient) -> dict[str, Any]:
    """The charter in force, with ten days to vote on a question instead of fourteen."""
    terms = in_force(client)
    terms["rules"]["question"]["voting_days"] = 10
    return terms


def test_anyone_reads_the_charter_in_force(client: FlaskClient) -> None:
    response = client.get("/api/charter")
    assert response.status_code == 200
    body = CharterOut.model_validate(response.get_json())
    terms = registry(client).charter_in_force(CAISSE)
    assert body.terms == terms
    assert body.caisse == CAISSE and body.version == registry(client).charter(CAISSE).number
    assert body.rules["charter_change"].modes == [str(m) for m in terms.rule(Kind.CHARTER).modes]
    assert body.history and body.pending == []
    assert_error(client.get("/api/charter?caisse=lyon-8e"), 404, "unknown_caisse")


def test_a_member_proposes_a_charter_change(client: FlaskClient) -> None:
    before = len(charter_proposals(client))
    proposed = shorter_questions(client)
    response = client.post(
        URL,
        json={
            "title": "Dix jours pour les questions",
            "text": "Deux semaines, c'est long pour un sondage.",
            "mode": "consensus",
            "charter": proposed,
        },
        headers=token_for(client, "membre"),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    body = ProposalDetailOut.model_validate(response.get_json())
    assert body.kind == "charter_change" and body.mode == "consensus"
    assert [(c.before, c.after) for c in body.charter_changes or []] == [("14", "10")]
    found = charter_proposals(client)
    assert len(found) == before + 1
    stored = registry(client).proposal(body.id)
    assert stored.proposer == "Zélie" and stored.mode is Mode.CONSENSUS
    assert (
        CharterTerms.model_validate(stored.payload["charter"]).rule(Kind.QUESTION).voting_days == 10
    )
    assert registry(client).charter_in_force(CAISSE).rule(Kind.QUESTION).voting_days == 14
    pending = client.get("/api/charter").get_json()["pending"]
    assert [p["id"] for p in pending] == [body.id]


def test_without_a_mode_the_charter_default_applies(client: FlaskClient) -> None:
    response = client.post(
        URL,
        json={"title": "Dix jours", "text": "Plus court.", "charter": shorter_questions(client)},
        headers=token_for(client, "animatrice-camille"),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    default = registry(client).charter_in_force(CAISSE).rule(Kind.CHARTER).modes[0]
    assert response.get_json()["mode"] == str(default)


def _body(client: FlaskClient, case: str) -> Any:
    terms = shorter_questions(client)
    body: dict[str, Any] = {"title": "Changer", "text": "Pourquoi.", "charter": terms}
    if case == "identical":
        body["charter"] = in_force(client)
    elif case == "not_allowed":
        body["mode"] = "majority"
    elif case == "unknown_mode":
        body["mode"] = "vote"
    elif case == "poll_for_criteria":
        terms["rules"]["criteria_revision"]["modes"] = ["consent", "poll"]
    elif case == "low_threshold":
        terms["rules"]["place_decision"].update(majority="qualified", threshold="1/2")
    elif case == "no_text":
        body["text"] = "  "
    elif case == "no_title":
        del body["title"]
    elif case == "missing_rule":
        del terms["rules"]["question"]
    elif case == "days":
        terms["rules"]["question"]["voting_days"] = 400
    elif case == "extra":
        body["kind"] = "charter_change"
    elif case == "caisse":
        body["caisse"] = "lyon-8e"
    elif case == "not_json":
        return [1, 2]
    return body


@pytest.mark.parametrize(
    ("case", "code", "field"),
    [
        ("identical", "charter_unchanged", None),
        ("not_allowed", "mode_not_allowed", None),
        ("unknown_mode", "unknown_mode", None),
        ("poll_for_criteria", "invalid_charter", "charter.rules.criteria_revision.modes"),
        ("low_threshold", "invalid_charter", "charter.rules.place_decision.threshold"),
        ("no_text", "invalid_request", "text"),
        ("no_title", "invalid_request", "title"),
        ("missing_rule", "invalid_charter", "charter"),
        ("days", "invalid_charter", "charter.rules.question.voting_days"),
        ("extra", "invalid_request", "kind"),
        ("caisse", "unknown_caisse", None),
        ("not_json", "invalid_json", None),
    ],
)
def test_a_bad_charter_change_is_a_json_error_and_stores_nothing(
    client: FlaskClient, case: str, code: str, field: str | None
) -> None:
    body = _body(client, case)
    before, proposals = events_count(client), len(charter_proposals(client))
    response = client.post(URL, json=body, headers=token_for(client, "membre"))
    error = assert_error(response, 400, code)
    if field is not None:
        assert field in error["fields"], error
    assert events_count(client) == before
    assert len(charter_proposals(client)) == proposals


def test_a_member_who_left_cannot_propose_a_change(client: FlaskClient) -> None:
    from registry.roles import Actor, Role

    registry(client).leave_member(
        CAISSE, "Zélie", "Déménage", Actor("animatrice-camille", Role.FACILITATOR)
    )
    before = events_count(client)
    response = client.post(
        URL,
        json={"title": "Dix jours", "text": "Plus court.", "charter": shorter_questions(client)},
        headers=token_for(client, "membre"),
    )
    assert_error(response, 400, "cannot_propose")
    assert events_count(client) == before


@pytest.mark.parametrize("login", ["evaluateur", "observateur", "commerce"])
def test_other_roles_may_not_propose_a_change(client: FlaskClient, login: str) -> None:
    body = {"title": "Dix jours", "text": "Plus court.", "charter": shorter_questions(client)}
    before = events_count(client)
    assert_error(client.post(URL, json=body, headers=token_for(client, login)), 403, "forbidden")
    assert_error(client.post(URL, json=body), 401, "token_required")
    assert events_count(client) == before


def test_errors_speak_english_when_asked(client: FlaskClient) -> None:
    headers = {**token_for(client, "membre"), "Accept-Language": "en"}
    body = {"title": "Same", "text": "Same.", "charter": in_force(client)}
    error = assert_error(client.post(URL, json=body, headers=headers), 400, "charter_unchanged")
    assert error["message"].startswith("The proposed charter is the one in force")
