"""Proposing a criteria revision on the web opens exactly the version whose impact was shown:
a version changed since its preview, or never previewed, is shown again and nothing is stored."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from registry.governance.charter import Kind
from registry.roles import Role
from tests.web.conftest import LOGIN_OF, csrf_token, log_in, post_form
from tests.web.test_charter_change import events_count, page_form, registry
from web import preview

URL = "/propositions/nouvelle-revision"
SHARE = "c.agriculture_paysanne.p.min_share"
CHANGED = "a changé depuis l&#39;aperçu"


def revision_form(client: FlaskClient, **changes: Any) -> dict[str, Any]:
    """The revision form as the page fills it, with a title, a text, a mode and changes."""
    form = page_form(client.get(URL).get_data(as_text=True), URL)
    form.update(title="Plus de paysan", text="La part paysanne monte.", mode="consent")
    form.update(version="2026-apercu")
    form.update(changes)
    return form


def post(client: FlaskClient, form: dict[str, Any]) -> Any:
    return post_form(client, URL, form, form_url=URL)


def shown_fingerprint(page: str) -> str:
    found = re.search(r'name="previewed" value="([0-9a-f]{32})"', page)
    assert found is not None, page[-3000:]
    return found.group(1)


def criteria_proposals(client: FlaskClient) -> list[Any]:
    return [p for p in registry(client).proposals() if p.kind is Kind.CRITERIA]


def test_the_revision_opened_is_the_one_previewed(client: FlaskClient) -> None:
    log_in(client, "membre")
    before, proposals = events_count(client), len(criteria_proposals(client))
    response = post(client, revision_form(client, action="preview", **{SHARE: "70"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Effet sur les lieux" in page
    assert "Ne seraient plus conventionnables" in page
    assert events_count(client) == before
    shown = shown_fingerprint(page)
    form = page_form(page, URL)
    assert form["previewed"] == shown and form[SHARE] == "70"
    form["action"] = "open"
    opened = post(client, form)
    assert opened.status_code == 302, opened.get_data(as_text=True)[-3000:]
    found = criteria_proposals(client)
    assert len(found) == proposals + 1
    proposal = found[-1]
    assert opened.headers["Location"].endswith(str(proposal.id))
    version = proposal.payload["version"]
    assert preview.fingerprint(version) == shown
    assert version["version"] == "2026-apercu"
    share = next(c for c in version["criteria"] if c["key"] == "agriculture_paysanne")
    assert share["params"]["min_share"] == 70
    assert proposal.title == "Plus de paysan" and proposal.mode.value == "consent"
    assert proposal.impact["proposed_version"] == "2026-apercu" and proposal.impact["losses"]


def test_a_version_changed_after_its_preview_is_shown_again_and_not_opened(
    client: FlaskClient,
) -> None:
    log_in(client, "membre")
    first = post(client, revision_form(client, action="preview", **{SHARE: "70"}))
    form = page_form(first.get_data(as_text=True), URL)
    old = form["previewed"]
    before, proposals = events_count(client), len(criteria_proposals(client))
    form.update(action="open", **{SHARE: "90"})
    response = post(client, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and CHANGED in page
    assert "Effet sur les lieux" in page and 'value="90"' in page
    new = shown_fingerprint(page)
    assert new != old
    assert events_count(client) == before and len(criteria_proposals(client)) == proposals
    # Opened from the new preview, it is the version with 90 %.
    form = page_form(page, URL)
    form["action"] = "open"
    assert post(client, form).status_code == 302
    version = criteria_proposals(client)[-1].payload["version"]
    assert preview.fingerprint(version) == new
    share = next(c for c in version["criteria"] if c["key"] == "agriculture_paysanne")
    assert share["params"]["min_share"] == 90


@pytest.mark.parametrize("previewed", [None, "", "0" * 32, "pas-une-empreinte"])
def test_a_revision_never_previewed_is_shown_first(
    client: FlaskClient, previewed: str | None
) -> None:
    log_in(client, "animatrice-camille")
    before = events_count(client)
    form = revision_form(client, action="open", **{SHARE: "70"})
    form.pop("previewed", None)
    if previewed is not None:
        form["previewed"] = previewed
    response = post(client, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and CHANGED in page
    assert "Effet sur les lieux" in page and 'value="open"' in page
    assert events_count(client) == before


def test_a_bad_field_after_the_preview_is_refused_and_nothing_is_stored(
    client: FlaskClient,
) -> None:
    log_in(client, "membre")
    page = post(client, revision_form(client, action="preview")).get_data(as_text=True)
    form = page_form(page, URL)
    before = events_count(client)
    form.update(action="open", effective_from="hier", mode="inconnu")
    response = post(client, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="effective_from-error"' in page and 'id="mode-error"' in page
    assert "Rien n'a été enregistré" in page
    assert 'name="previewed"' not in page and 'value="open"' not in page
    assert events_count(client) == before


def test_a_published_version_name_is_refused_at_opening(client: FlaskClient) -> None:
    log_in(client, "membre")
    before = events_count(client)
    response = post(client, revision_form(client, action="open", version="2025-1"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="version-error"' in page and "est déjà publiée" in page
    assert 'name="previewed"' not in page
    assert events_count(client) == before


def test_an_open_without_its_csrf_token_is_refused(client: FlaskClient) -> None:
    log_in(client, "membre")
    page = post(client, revision_form(client, action="preview")).get_data(as_text=True)
    form = page_form(page, URL)
    form.update(action="open")
    form.pop("csrf_token", None)
    before = events_count(client)
    assert client.post(URL, data=form).status_code == 400
    assert events_count(client) == before


@pytest.mark.parametrize("role", [Role.PLACE, Role.EVALUATOR, Role.OBSERVER], ids=str)
def test_other_roles_may_not_open_a_revision(client: FlaskClient, role: Role) -> None:
    log_in(client, "membre")
    page = post(client, revision_form(client, action="preview")).get_data(as_text=True)
    form = page_form(page, URL)
    client.post("/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    log_in(client, LOGIN_OF[role])
    before = events_count(client)
    form.update(action="open", csrf_token=csrf_token(client, "/compte"))
    assert client.post(URL, data=form).status_code == 403
    assert client.get(URL).status_code == 403
    assert events_count(client) == before


def test_an_anonymous_visitor_is_sent_to_log_in(client: FlaskClient) -> None:
    before = events_count(client)
    response = client.post(URL, data={"csrf_token": csrf_token(client), "action": "open"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/connexion")
    assert events_count(client) == before


def test_the_notice_speaks_english(client: FlaskClient) -> None:
    log_in(client, "membre")
    client.get("/langue/en")
    page = post(client, revision_form(client, action="open")).get_data(as_text=True)
    assert "changed since the preview" in page and "Nothing was recorded" not in page
