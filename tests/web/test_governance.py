"""Members propose and vote, facilitators record meetings, close proposals and manage members."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask.testing import FlaskClient

from registry.governance.rules import Mode
from registry.roles import Actor, Role
from tests.web.conftest import csrf_token, log_in, post_form
from web import store

FACILITATOR = Actor("animatrice-camille", Role.FACILITATOR)


def registry(client: FlaskClient) -> Any:
    return store.registry_of(client.application)


def events_count(client: FlaskClient) -> int:
    return registry(client).recorder.max_notification_id() or 0


def revision_form(client: FlaskClient, **changes: str) -> dict[str, Any]:
    """The revision form as the page fills it, with changes."""
    page = client.get("/propositions/nouvelle-revision").get_data(as_text=True)
    form: dict[str, Any] = dict(
        re.findall(r'name="([^"]+)" type="(?:text|date)" value="([^"]*)"', page)
    )
    form.update({k: "1" for k in re.findall(r'name="(c\.[a-z_]+\.keep)" value="1" checked', page)})
    for name, value in re.findall(r'name="([^"]+)" value="([^"]*)" checked', page):
        form.setdefault(name, value)
    form.update({"decision": "automatic", "mode": "consent"})
    form.update(changes)
    return form


def question(client: FlaskClient, mode: Mode = Mode.CONSENT) -> str:
    proposal = registry(client).propose_question(
        "paris-14e", "Ouvrir le samedi ?", "Une question de test.", FACILITATOR, mode=mode
    )
    return str(proposal.id)


def test_proposals_are_listed_with_mode_deadline_and_outcome(client: FlaskClient) -> None:
    pid = question(client)
    page = client.get("/propositions/").get_data(as_text=True)
    assert "Ouvrir le samedi ?" in page and "consentement" in page and "Vote ouvert jusqu" in page
    detail = client.get(f"/propositions/{pid}").get_data(as_text=True)
    assert (
        "Mode de décision" in detail and "Date limite" in detail and "Décompte provisoire" in detail
    )


def test_an_unknown_proposal_is_a_404(client: FlaskClient) -> None:
    assert client.get("/propositions/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/propositions/pas-un-id").status_code == 404


def test_a_member_sees_the_impact_before_opening_a_revision(client: FlaskClient) -> None:
    log_in(client, "membre")
    before = events_count(client)
    form = revision_form(
        client,
        title="Plus de paysan",
        version="2026-1",
        action="preview",
        **{"c.agriculture_paysanne.p.min_share": "70"},
    )
    response = post_form(
        client, "/propositions/nouvelle-revision", form, form_url="/propositions/nouvelle-revision"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200, re.findall(r'class="error"[^>]*>([^<]*)', page)
    assert "Effet sur les lieux" in page and "Ne seraient plus conventionnables" in page
    assert 'value="open"' in page
    assert events_count(client) == before  # a preview stores nothing
    shown = re.search(r'name="previewed" value="([0-9a-f]+)"', page)
    assert shown is not None
    form.update(action="open", previewed=shown.group(1))
    response = post_form(
        client, "/propositions/nouvelle-revision", form, form_url="/propositions/nouvelle-revision"
    )
    assert response.status_code == 302
    proposal = registry(client).proposals()[-1]
    assert proposal.title == "Plus de paysan" and proposal.mode.value == "consent"
    assert proposal.payload["version"]["criteria"][0]["params"]["min_share"] == 70


def test_a_revision_can_drop_and_add_criteria(client: FlaskClient) -> None:
    log_in(client, "membre")
    form = revision_form(client, title="Autre grille", version="2026-2", action="preview")
    del form["c.remuneration_juste.keep"]
    form.update({"add.policy": "fair_pay@1", "add.key": "remuneration_bis", "add.weight": "2"})
    page = post_form(
        client, "/propositions/nouvelle-revision", form, form_url="/propositions/nouvelle-revision"
    ).get_data(as_text=True)
    shown = re.search(r'name="previewed" value="([0-9a-f]+)"', page)
    assert shown is not None, page[-3000:]
    form.update(action="open", previewed=shown.group(1))
    response = post_form(
        client, "/propositions/nouvelle-revision", form, form_url="/propositions/nouvelle-revision"
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    keys = [c["key"] for c in registry(client).proposals()[-1].payload["version"]["criteria"]]
    assert "remuneration_juste" not in keys and "remuneration_bis" in keys


def test_revision_errors_are_next_to_their_fields_and_nothing_is_stored(
    client: FlaskClient,
) -> None:
    log_in(client, "membre")
    before = events_count(client)
    form = revision_form(
        client,
        title="",
        version="2024-1",
        effective_from="hier",
        action="open",
        **{"c.agriculture_paysanne.weight": "beaucoup"},
    )
    response = post_form(
        client, "/propositions/nouvelle-revision", form, form_url="/propositions/nouvelle-revision"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="title-error"' in page and 'id="effective_from-error"' in page
    assert "date invalide" in page and 'value="hier"' in page
    assert events_count(client) == before


def test_a_published_version_name_is_refused_next_to_the_version_field(
    client: FlaskClient,
) -> None:
    log_in(client, "membre")
    form = revision_form(client, title="Doublon", version="2025-1", action="preview")
    page = post_form(
        client, "/propositions/nouvelle-revision", form, form_url="/propositions/nouvelle-revision"
    ).get_data(as_text=True)
    assert 'id="version-error"' in page and "est déjà publiée" in page


def test_an_objection_without_a_reason_is_refused_next_to_the_reason(client: FlaskClient) -> None:
    pid = question(client)
    log_in(client, "membre")
    before = events_count(client)
    response = post_form(
        client, f"/propositions/{pid}/vote", {"choice": "object"}, form_url=f"/propositions/{pid}"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="reason-error"' in page
    assert "doit dire pourquoi" in page and events_count(client) == before


def test_a_choice_the_mode_does_not_allow_is_refused(client: FlaskClient) -> None:
    pid = question(client, Mode.CONSENT)
    log_in(client, "membre")
    response = post_form(
        client, f"/propositions/{pid}/vote", {"choice": "against"}, form_url=f"/propositions/{pid}"
    )
    assert response.status_code == 400 and 'id="choice-error"' in response.get_data(as_text=True)


def test_members_vote_a_facilitator_records_a_meeting_and_closes(client: FlaskClient) -> None:
    pid = question(client, Mode.MAJORITY)
    log_in(client, "membre")
    page = client.get(f"/propositions/{pid}").get_data(as_text=True)
    assert 'value="against"' in page and 'value="block"' not in page
    response = post_form(
        client, f"/propositions/{pid}/vote", {"choice": "for"}, form_url=f"/propositions/{pid}"
    )
    assert response.status_code == 302
    post_form(client, "/deconnexion", {}, form_url="/compte")
    log_in(client, "animatrice-camille")
    url = f"/propositions/{pid}/reunion"
    bad = post_form(
        client,
        url,
        {"m_minutes": "", "m_held_on": date.today().isoformat(), "m_present": "3", "m_for": "5"},
        form_url=f"/propositions/{pid}",
    )
    assert bad.status_code == 400 and 'id="m_minutes-error"' in bad.get_data(as_text=True)
    good = post_form(
        client,
        url,
        {
            "m_minutes": "CR du jour",
            "m_held_on": date.today().isoformat(),
            "m_present": "8",
            "m_for": "6",
            "m_against": "1",
            "m_abstain": "1",
        },
        form_url=f"/propositions/{pid}",
    )
    assert good.status_code == 302, good.get_data(as_text=True)[-2000:]
    closed = post_form(client, f"/propositions/{pid}/clore", {}, form_url=f"/propositions/{pid}")
    assert closed.status_code == 302
    page = client.get(f"/propositions/{pid}").get_data(as_text=True)
    assert "adoptée" in page and "CR du jour" in page


def test_a_facilitator_adds_a_member_with_an_account_and_records_training(
    client: FlaskClient,
) -> None:
    log_in(client, "animatrice-camille")
    response = post_form(
        client,
        "/membres/",
        {
            "pseudonym": "Nour",
            "wave": "3",
            "roles": "membre",
            "login": "nour",
            "password": "un long secret",
        },
        form_url="/membres/",
    )
    assert response.status_code == 302
    account = store.accounts_of(client.application).get("nour")
    assert account is not None and account.pseudonym == "Nour" and account.role is Role.MEMBER
    response = post_form(
        client,
        "/membres/Nour",
        {"action": "training", "session": "Filières", "on": "2026-01-10"},
        form_url="/membres/",
    )
    assert response.status_code == 302
    member = registry(client).member("paris-14e", "Nour")
    assert member.trainings == [{"session": "Filières", "on": "2026-01-10"}]


def test_member_form_errors_are_next_to_their_fields(client: FlaskClient) -> None:
    log_in(client, "animatrice-camille")
    before = events_count(client)
    response = post_form(
        client, "/membres/", {"pseudonym": "", "wave": "x", "login": "nour"}, form_url="/membres/"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("pseudonym", "wave", "login"):
        assert f'id="{field}-error"' in page
    assert 'value="nour"' in page and events_count(client) == before


def test_a_facilitator_records_a_decision_of_the_collective(client: FlaskClient) -> None:
    log_in(client, "animatrice-camille")
    url = "/decisions/81400140000013"
    bad = post_form(client, url, {"action": "suspend", "reason": "", "decision": ""}, form_url=url)
    assert bad.status_code == 400 and 'id="reason-error"' in bad.get_data(as_text=True)
    good = post_form(
        client,
        url,
        {
            "action": "suspend",
            "reason": "Allocation refusée en caisse",
            "decision": "réunion du 3 mars",
        },
        form_url=url,
    )
    assert good.status_code == 302
    assert registry(client).place("81400140000013").status.value == "suspendu"


def test_the_id_of_something_else_is_not_a_proposal(client: FlaskClient) -> None:
    place = registry(client).place("81400140000013")
    assert client.get(f"/propositions/{place.id}").status_code == 404


def test_the_charter_says_who_decides_and_how(client: FlaskClient) -> None:
    page = client.get("/charte/").get_data(as_text=True)
    assert "Charte de gouvernance" in page and "Modes permis" in page and "Quorum" in page
    assert "révision des critères" in page.lower()


def test_a_facilitator_gives_a_member_who_lost_their_password_a_temporary_one(
    client: FlaskClient,
) -> None:
    log_in(client, "animatrice-camille")
    page = client.get("/membres/Zélie").get_data(as_text=True)
    assert "Créer un mot de passe provisoire" in page
    response = post_form(client, "/membres/Zélie", {"action": "password"}, "/membres/Zélie")
    assert response.status_code == 200
    shown = re.search(r'id="provisoire">([^<]+)<', response.get_data(as_text=True))
    assert shown is not None
    assert response.headers["Cache-Control"] == "no-store"
    # Shown once: the page does not show it again.
    assert shown.group(1) not in client.get("/membres/Zélie").get_data(as_text=True)
    client.post("/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    log_in(client, "membre", shown.group(1))
    client.post("/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    refused = post_form(client, "/connexion", {"login": "membre", "password": "demo-membre-14"})
    assert refused.status_code == 400


def test_only_a_facilitator_resets_a_password(client: FlaskClient) -> None:
    log_in(client, "membre-2")
    response = post_form(client, "/membres/Zélie", {"action": "password"}, "/")
    assert response.status_code == 403
    accounts = store.accounts_of(client.application)
    assert accounts.authenticate("membre", "demo-membre-14") is not None


def test_no_temporary_password_for_a_member_without_account_or_who_left(
    client: FlaskClient,
) -> None:
    log_in(client, "animatrice-camille")
    accounts = store.accounts_of(client.application)
    no_account = next(
        m.pseudonym
        for m in registry(client).members("paris-14e")
        if m.active and accounts.by_pseudonym(m.pseudonym) is None
    )
    url = f"/membres/{no_account}"
    response = post_form(client, url, {"action": "password"}, url)
    assert response.status_code == 400
    assert "Ce membre n&#39;a pas de compte." in response.get_data(as_text=True)
    left = post_form(
        client, "/membres/Zélie", {"action": "leave", "leave_reason": "Déménage"}, "/membres/Zélie"
    )
    assert left.status_code == 302
    response = post_form(client, "/membres/Zélie", {"action": "password"}, "/membres/Zélie")
    assert response.status_code == 400
    assert "Ce membre est parti" in response.get_data(as_text=True)
    assert accounts.authenticate("membre", "demo-membre-14") is not None
