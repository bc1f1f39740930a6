"""A facilitator who left keeps no power over the web or the API: the registry refuses it."""

from __future__ import annotations

from flask.testing import FlaskClient

from registry.roles import Actor, Role
from tests.web.conftest import log_in, post_form
from tests.web.test_api import assert_error, events_count, token_for
from web import store

CAISSE = "paris-14e"
CAMILLE = "animatrice-camille"
LEFT = "« animatrice-camille » a quitté le collectif : ce compte ne peut plus agir comme animateur."
TOMBE = "81400140000013"


def camille_leaves(client: FlaskClient) -> int:
    registry = store.registry_of(client.application)
    registry.leave_member(CAISSE, CAMILLE, "Déménage", Actor(CAMILLE, Role.FACILITATOR))
    return events_count(client)


def test_a_facilitator_who_left_is_refused_facilitator_pages_in_french(
    client: FlaskClient,
) -> None:
    log_in(client, CAMILLE)
    assert client.get("/membres/").status_code == 200
    before = camille_leaves(client)
    for url in ("/membres/", f"/decisions/{TOMBE}"):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 403, url
        assert LEFT.replace("'", "&#39;") in page.replace("&#34;", '"'), url
    response = post_form(client, "/membres/", {"pseudonym": "Yves", "wave": "1", "roles": "membre"})
    assert response.status_code == 403
    assert events_count(client) == before


def test_a_facilitator_who_left_is_refused_by_the_api_with_a_stable_code(
    client: FlaskClient,
) -> None:
    headers = token_for(client, CAMILLE)
    before = camille_leaves(client)
    for url, body in (
        ("/api/members", {"pseudonym": "Yves", "wave": 1, "roles": ["membre"]}),
        ("/api/proposals/questions", {"title": "Marché ?", "text": "Un marché ?"}),
        (f"/api/places/{TOMBE}/accounts/commerce/password", {}),
    ):
        refused = assert_error(client.post(url, json=body, headers=headers), 403, "actor_left")
        assert refused["message"] == LEFT, url
    english = client.post(
        "/api/members",
        json={"pseudonym": "Yves", "wave": 1, "roles": ["membre"]},
        headers={**headers, "Accept-Language": "en"},
    )
    assert "has left the collective" in assert_error(english, 403, "actor_left")["message"]
    assert events_count(client) == before
