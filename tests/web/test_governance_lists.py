"""Proposals and members lists read the read models, and show what the aggregates say."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from registry.governance.proposals import State
from registry.governance.views import member_view, proposal_summary
from registry.roles import Actor, Role
from tests.web.conftest import log_in
from web import members, proposals, store

CAISSE = "paris-14e"
FACILITATOR = Actor("animatrice-camille", Role.FACILITATOR)


def from_aggregates(app: Flask) -> list[dict[str, Any]]:
    """The proposals list as it was made by loading every proposal."""
    registry = store.registry_of(app)
    views = []
    for p in registry.proposals(CAISSE):
        result = registry.current_result(p) if p.state is State.OPEN else None
        views.append(proposal_summary(p, result))
    views.sort(key=lambda v: v["opened"] or "", reverse=True)
    return sorted(views, key=lambda v: v["status"] != State.OPEN.value)


def test_the_proposals_list_says_what_every_proposal_says(app: Flask) -> None:
    expected = from_aggregates(app)
    with app.test_request_context():
        found = proposals.summaries(CAISSE)
    assert [p["id"] for p in found] == [p["id"] for p in expected]
    assert any(p["status"] == "open" for p in found) and any(p["tally"] for p in found)
    for got, want in zip(found, expected, strict=True):
        assert got == {k: want[k] for k in got}, want["title"]


def test_the_members_list_says_what_every_member_says(app: Flask) -> None:
    registry = store.registry_of(app)
    registry.leave_member(CAISSE, "Moussa", "Déménagement", FACILITATOR)
    expected = [member_view(m) for m in registry.members(CAISSE)]
    expected.sort(key=lambda m: m["wave"])
    with app.test_request_context():
        found = members.listing(CAISSE).items
    assert len(found) == len(expected) > 10
    assert any(m["trainings"] for m in found) and any(not m["active"] for m in found)
    assert sorted(found, key=lambda m: m["pseudonym"]) == sorted(
        expected, key=lambda m: m["pseudonym"]
    )


def test_the_api_lists_are_the_read_models_lists(app: Flask, client: FlaskClient) -> None:
    with app.test_request_context():
        expected = proposals.summaries(CAISSE)
    got = client.get("/api/proposals").get_json()
    assert [p["id"] for p in got] == [p["id"] for p in expected]
    assert {p["proposer"] for p in got} == {p["proposer"] for p in expected}
    assert not any(p["proposer"].startswith("m-") for p in got)


def test_long_proposal_lists_come_by_page(app: Flask, client: FlaskClient) -> None:
    app.config["PAGE_SIZE"] = 3
    titles = re.compile(r'<h3><a href="/propositions/[^"]+">([^<]+)</a></h3>')
    first = client.get("/propositions/").get_data(as_text=True)
    second = client.get("/propositions/?page=2").get_data(as_text=True)
    assert "Page 1 sur" in first and 'rel="next"' in first and 'rel="prev"' in second
    assert len(titles.findall(first)) == 3
    assert not set(titles.findall(first)) & set(titles.findall(second))
    assert client.get("/propositions/?page=abc").status_code == 200


def test_long_member_lists_come_by_page_with_whole_wave_counts(
    app: Flask, client: FlaskClient
) -> None:
    log_in(client, "animatrice-camille")
    app.config["PAGE_SIZE"] = 5
    first = client.get("/membres/").get_data(as_text=True)
    with app.test_request_context():
        every = members.listing(CAISSE).items
    in_wave_1 = sum(1 for m in every if m["wave"] == 1)
    assert f"Vague 1 — {in_wave_1} membres" in first
    assert "Page 1 sur" in first and 'rel="next"' in first
    rows = re.compile(r'<th scope="row"><a href="/membres/[^"]+">([^<]+)</a>')
    assert len(rows.findall(first)) == 5
    second = client.get("/membres/?page=2").get_data(as_text=True)
    assert not set(rows.findall(first)) & set(rows.findall(second))
