"""Amending an open proposal on the web: its author or a facilitator records a note, a new title
or text, a new criteria version or charter; votes already cast stay, marked as earlier."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from registry.governance.charter import Kind
from registry.governance.rules import Mode
from registry.roles import Actor, Role
from tests.web.conftest import csrf_token, log_in, post_form
from tests.web.test_charter_change import events_count, page_form, registry

CAISSE = "paris-14e"
ZELIE = Actor("Zélie", Role.MEMBER)


def zelie_question(client: FlaskClient, options: tuple[str, ...] = ()) -> Any:
    """An open question (a poll with options) by Zélie, the demo member account."""
    return registry(client).propose_question(
        CAISSE,
        "Ouvrir le marché le dimanche ?",
        "Le marché de la place de Catalogne ouvrirait aussi le dimanche matin.",
        ZELIE,
        options,
        None if options else Mode.CONSENT,
    )


def open_revision(client: FlaskClient) -> Any:
    """The demo's open criteria revision (by Aïssata; three votes already cast)."""
    return next(
        p
        for p in registry(client).proposals()
        if p.kind is Kind.CRITERIA and p.state.value == "open"
    )


def amend_url(proposal: Any) -> str:
    return f"/propositions/{proposal.id}/amender"


def amend_form(client: FlaskClient, proposal: Any, **changes: Any) -> dict[str, Any]:
    """The amendment form as the page fills it, with changes."""
    page = client.get(amend_url(proposal)).get_data(as_text=True)
    form = page_form(page, amend_url(proposal))
    form.update(changes)
    return form


def post(client: FlaskClient, proposal: Any, form: dict[str, Any]) -> Any:
    return post_form(client, amend_url(proposal), form, form_url=amend_url(proposal))


def log_out(client: FlaskClient) -> None:
    client.post("/deconnexion", data={"csrf_token": csrf_token(client, "/")})


def test_the_author_and_facilitators_are_offered_to_amend(client: FlaskClient) -> None:
    proposal = zelie_question(client)
    show = f"/propositions/{proposal.id}"
    assert amend_url(proposal) not in client.get(show).get_data(as_text=True)
    log_in(client, "membre-2")
    assert amend_url(proposal) not in client.get(show).get_data(as_text=True)
    log_out(client)
    log_in(client, "membre")
    assert amend_url(proposal) in client.get(show).get_data(as_text=True)
    log_out(client)
    log_in(client, "animatrice-camille")
    assert amend_url(proposal) in client.get(show).get_data(as_text=True)


def test_the_form_starts_from_the_proposal_as_it_stands(client: FlaskClient) -> None:
    proposal = zelie_question(client)
    log_in(client, "membre")
    response = client.get(amend_url(proposal))
    assert response.status_code == 200
    form = page_form(response.get_data(as_text=True), amend_url(proposal))
    assert form["title"] == proposal.title and form["text"] == proposal.text
    assert form["note"] == ""


def test_an_amendment_is_recorded_and_earlier_votes_stay_marked(client: FlaskClient) -> None:
    proposal = zelie_question(client)
    reg = registry(client)
    reg.cast_vote(proposal.id, "Moussa", "for")
    log_in(client, "membre")
    form = amend_form(
        client,
        proposal,
        note="Le dimanche matin seulement, de 8 h à 13 h.",
        text="Le marché ouvrirait aussi le dimanche, de 8 h à 13 h.",
    )
    response = post(client, proposal, form)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    assert response.headers["Location"] == f"/propositions/{proposal.id}"
    amended = reg.proposal(proposal.id)
    notes = [a["note"] for a in amended.amendments]
    assert notes == ["Le dimanche matin seulement, de 8 h à 13 h."]
    assert amended.amendments[0]["by"] == "Zélie"
    assert amended.text == "Le marché ouvrirait aussi le dimanche, de 8 h à 13 h."
    assert amended.title == proposal.title
    # The vote cast before stays and counts, marked as cast before the amendment.
    assert set(amended.ballots()) == {"Moussa"}
    assert amended.votes[0]["amendment"] == 0
    reg.cast_vote(proposal.id, "Odile", "for")
    page = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert "Amendement n° 1" in page and "Le dimanche matin seulement" in page
    assert "Votes comptés exprimés avant cet amendement : Moussa." in page
    moussa = page.split("<li>Moussa :", 1)[1].split("</li>", 1)[0]
    assert "avant l&#39;amendement n° 1" in moussa or "avant l'amendement n° 1" in moussa
    odile = page.split("<li>Odile :", 1)[1].split("</li>", 1)[0]
    assert "avant" not in odile


def test_a_facilitator_amends_a_proposal_of_someone_else(client: FlaskClient) -> None:
    proposal = zelie_question(client)
    log_in(client, "animatrice-camille")
    form = amend_form(client, proposal, note="Titre plus clair.", title="Marché du dimanche ?")
    assert post(client, proposal, form).status_code == 302
    amended = registry(client).proposal(proposal.id)
    assert amended.title == "Marché du dimanche ?"
    assert amended.amendments[0]["by"] == "animatrice-camille"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"note": "", "text": "Autre texte"}, "note", "Dites ce que l&#39;amendement change"),
        ({"note": "Titre", "title": ""}, "title", "Le titre est obligatoire."),
        ({"note": "Rien, en fait"}, "amendment", "L&#39;amendement ne change rien"),
    ],
    ids=["note", "title", "nothing"],
)
def test_a_bad_amendment_is_refused_next_to_its_field(
    client: FlaskClient, change: dict[str, str], field: str, message: str
) -> None:
    proposal = zelie_question(client)
    log_in(client, "membre")
    before = events_count(client)
    response = post(client, proposal, amend_form(client, proposal, **change))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    anchor = f'id="{field}-error">' if field != "amendment" else 'id="amendment">'
    assert message in page.split(anchor, 1)[1].split("</p>", 1)[0]
    if change.get("text"):
        assert f">{change['text']}</textarea>" in page
    assert events_count(client) == before
    assert registry(client).proposal(proposal.id).amendments == []


def test_only_the_author_or_a_facilitator_may_amend(client: FlaskClient) -> None:
    proposal = zelie_question(client)
    log_in(client, "membre-2")
    response = client.get(amend_url(proposal))
    assert response.status_code == 403
    assert "Seul l&#39;auteur de la proposition (Zélie)" in response.get_data(as_text=True)
    before = events_count(client)
    response = post_form(
        client,
        amend_url(proposal),
        {"note": "Je change tout", "title": "Autre", "text": "Autre"},
        form_url="/propositions/",
    )
    assert response.status_code == 403 and events_count(client) == before


@pytest.mark.parametrize("login", ["commerce", "evaluateur", "observateur"])
def test_other_roles_may_not_amend(client: FlaskClient, login: str) -> None:
    proposal = zelie_question(client)
    log_in(client, login)
    assert client.get(amend_url(proposal)).status_code == 403


def test_a_closed_proposal_cannot_be_amended(client: FlaskClient) -> None:
    proposal = zelie_question(client)
    log_in(client, "animatrice-camille")
    show = f"/propositions/{proposal.id}"
    assert post_form(client, f"{show}/clore", {}, form_url=show).status_code == 302
    assert amend_url(proposal) not in client.get(show).get_data(as_text=True)
    before = events_count(client)
    response = post_form(
        client, amend_url(proposal), {"note": "Trop tard", "title": "Autre"}, form_url=show
    )
    assert response.status_code == 302 and response.headers["Location"] == show
    assert "est close" in client.get(show).get_data(as_text=True)
    assert events_count(client) == before


def test_a_post_without_its_csrf_token_is_refused(client: FlaskClient) -> None:
    proposal = zelie_question(client)
    log_in(client, "membre")
    form = amend_form(client, proposal, note="Sans jeton", title="Autre titre")
    del form["csrf_token"]
    before = events_count(client)
    response = client.post(amend_url(proposal), data=form)
    assert response.status_code == 400 and events_count(client) == before


def test_a_poll_gains_an_option_but_keeps_the_ones_put_to_the_vote(client: FlaskClient) -> None:
    proposal = zelie_question(client, ("samedi", "dimanche"))
    log_in(client, "membre")
    form = amend_form(client, proposal, note="On retire le samedi", options="dimanche")
    response = post(client, proposal, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="options-error"' in page
    assert "ne peut pas être retirée : samedi" in page
    assert ">dimanche</textarea>" in page
    form = amend_form(client, proposal, note="Et le mercredi", options="samedi\ndimanche\nmercredi")
    assert post(client, proposal, form).status_code == 302
    amended = registry(client).proposal(proposal.id)
    assert amended.payload["options"] == ["samedi", "dimanche", "mercredi"]


def test_a_revision_is_amended_with_a_new_version_after_seeing_its_impact(
    client: FlaskClient,
) -> None:
    proposal = open_revision(client)
    votes = len(proposal.votes)
    assert votes >= 3
    version = proposal.payload["version"]
    log_in(client, "animatrice-camille")
    form = amend_form(client, proposal)
    assert form["version"] == version["version"]
    assert form["effective_from"] == version["effective_from"]
    assert form["c.proximite.p.producer_max_km"] == "120"
    before = events_count(client)
    form.update(
        {
            "note": "Les producteurs déjà partenaires restent jusqu'à 150 km.",
            "c.proximite.p.producer_max_km": "150",
            "action": "preview",
        }
    )
    response = post(client, proposal, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-3000:]
    assert "Effet sur les lieux" in page and 'name="previewed"' in page
    assert events_count(client) == before
    form = page_form(page, amend_url(proposal))
    assert form["c.proximite.p.producer_max_km"] == "150"
    form["action"] = "record"
    assert post(client, proposal, form).status_code == 302
    amended = registry(client).proposal(proposal.id)
    criteria = {c["key"]: c for c in amended.payload["version"]["criteria"]}
    assert criteria["proximite"]["params"]["producer_max_km"] == 150
    assert amended.payload["version"]["version"] == version["version"]
    assert amended.amendments[-1]["note"].startswith("Les producteurs déjà partenaires")
    assert amended.impact["proposed_version"] == version["version"]
    assert len(amended.votes) == votes and all(v["amendment"] == 0 for v in amended.votes)


def test_a_new_version_is_recorded_only_as_it_was_shown(client: FlaskClient) -> None:
    proposal = open_revision(client)
    log_in(client, "animatrice-camille")
    before = events_count(client)
    form = amend_form(
        client,
        proposal,
        note="150 km",
        action="record",
        **{"c.proximite.p.producer_max_km": "150"},
    )
    response = post(client, proposal, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "a changé depuis l&#39;aperçu" in page
    assert "Effet sur les lieux" in page and events_count(client) == before


def test_a_revision_amended_in_its_text_only_keeps_its_version(client: FlaskClient) -> None:
    proposal = open_revision(client)
    payload = proposal.payload
    log_in(client, "animatrice-camille")
    form = amend_form(client, proposal, note="Précision", text="Texte précisé.", action="record")
    assert post(client, proposal, form).status_code == 302
    amended = registry(client).proposal(proposal.id)
    assert amended.text == "Texte précisé." and amended.payload == payload


def test_a_bad_version_is_refused_next_to_its_field(client: FlaskClient) -> None:
    proposal = open_revision(client)
    log_in(client, "animatrice-camille")
    before = events_count(client)
    weight = amend_form(client, proposal)["c.agriculture_paysanne.weight"]
    form = amend_form(
        client,
        proposal,
        note="Poids",
        action="preview",
        effective_from="demain",
        **{"c.agriculture_paysanne.weight": "beaucoup"},
    )
    response = post(client, proposal, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="effective_from-error"' in page and 'value="demain"' in page
    assert 'value="beaucoup"' in page
    form["c.agriculture_paysanne.weight"] = weight
    form["effective_from"] = proposal.payload["version"]["effective_from"]
    form["version"] = "2025-1"
    page = post(client, proposal, form).get_data(as_text=True)
    assert 'id="version-error"' in page and "est déjà publiée" in page
    assert events_count(client) == before


def test_a_charter_change_is_amended_after_seeing_what_changes(client: FlaskClient) -> None:
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
    reg.cast_vote(proposal.id, "Moussa", "for")
    log_in(client, "membre")
    form = amend_form(client, proposal)
    assert form["question.quorum"] == "1/5"
    form.update({"note": "Un quart plutôt", "question.quorum": "1/4", "action": "preview"})
    response = post(client, proposal, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-3000:]
    assert "Ce que l&#39;amendement change" in page or "Ce que l'amendement change" in page
    assert "<del>1/5</del> → <ins>1/4</ins>" in page
    form = page_form(page, amend_url(proposal))
    form["action"] = "record"
    assert post(client, proposal, form).status_code == 302
    amended = reg.proposal(proposal.id)
    assert amended.payload["charter"]["rules"]["question"]["quorum"] == "1/4"
    page = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert "<ins>1/4</ins>" in page and "Votes comptés exprimés avant cet amendement" in page
    bad = amend_form(client, proposal, note="Jamais", **{"question.voting_days": "400"})
    response = post(client, proposal, bad)
    assert response.status_code == 400
    assert 'id="question-voting_days-error"' in response.get_data(as_text=True)


def test_the_amendment_form_speaks_english(client: FlaskClient) -> None:
    proposal = zelie_question(client)
    log_in(client, "membre")
    client.get("/langue/en")
    page = client.get(amend_url(proposal)).get_data(as_text=True)
    assert "Amend the proposal" in page and "Record the amendment" in page
    response = post(client, proposal, amend_form(client, proposal, text="Other"))
    assert "Say what the amendment changes, and why." in response.get_data(as_text=True)
