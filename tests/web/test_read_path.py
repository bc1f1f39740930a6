"""Pages and the API read places from the read models, opened once per app: the same answers
as the aggregates, SQL filters, name search and pages, reads that see every stored event."""

from __future__ import annotations

import html as markup
import re
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry.application import Registry
from registry.config import Settings
from registry.declaration import Declaration
from registry.domain.places import Status
from registry.roles import Actor, Role
from registry.views import place_view
from tests.helpers import make_siret, shop
from web import create_app, store
from web.places import place_detail

SHOP = Actor("commerce-test", Role.PLACE)


@pytest.fixture
def small_pages(web_settings: Settings) -> Iterator[Flask]:
    """The app with pages of 4 places, following the store only when a request reads."""
    app = create_app(
        {
            "TESTING": True,
            "REGISTRY_SETTINGS": web_settings,
            "SECRET_KEY": "test-secret",
            "PAGE_SIZE": 4,
            "READ_MODELS_FOLLOW": False,
        }
    )
    yield app
    store.close(app)


def aggregate_views(app: Flask, **only: str) -> list[dict[str, Any]]:
    """What the API listed when it loaded every place aggregate: the reference."""
    views = [place_view(p) for p in store.registry_of(app).places()]
    for key, value in only.items():
        views = [v for v in views if (v[key] or "") == value]
    return views


def names(page: str) -> list[str]:
    return [markup.unescape(n) for n in re.findall(r'<a href="/lieux/\d{14}">([^<]+)</a>', page)]


def test_the_api_list_is_what_the_aggregates_say_key_for_key_and_in_order(
    client: FlaskClient,
) -> None:
    app = client.application
    listed = client.get("/api/places").get_json()
    assert listed == aggregate_views(app) and len(listed) > 20
    for status in {p["status"] for p in listed}:
        found = client.get(f"/api/places?status={status}").get_json()
        assert found == aggregate_views(app, status=status)
    quartier = next(p["quartier"] for p in listed if p["quartier"])
    found = client.get(f"/api/places?quartier={quartier}&kind=commerce").get_json()
    assert found == aggregate_views(app, quartier=quartier, kind="commerce") and found


def test_the_api_list_pages_with_limit_and_offset_and_refuses_bad_ones(
    client: FlaskClient,
) -> None:
    every = client.get("/api/places").get_json()
    assert client.get("/api/places?limit=5").get_json() == every[:5]
    assert client.get("/api/places?limit=5&offset=5").get_json() == every[5:10]
    assert client.get(f"/api/places?offset={len(every)}").get_json() == []
    for bad in ("limit=0", "limit=abc", "offset=-1", "limit=100000"):
        response = client.get(f"/api/places?{bad}")
        assert response.status_code == 400, bad
        assert response.get_json()["code"] == "invalid_paging"
        assert "doit être un nombre entier" in response.get_json()["message"]


def test_the_api_list_searches_names_whatever_their_case(client: FlaskClient) -> None:
    every = client.get("/api/places").get_json()
    name = every[0]["name"]
    word = name.split()[-1].upper()
    found = client.get(f"/api/places?q={word}").get_json()
    assert found and all(word.casefold() in p["name"].casefold() for p in found)
    assert {p["siret"] for p in found} == {
        p["siret"] for p in every if word.casefold() in p["name"].casefold()
    }
    assert client.get("/api/places?q=%25").get_json() == []  # % is a character, not a wildcard


def test_the_directory_pages_approved_places_and_its_links_keep_the_filters(
    small_pages: Flask,
) -> None:
    client = small_pages.test_client()
    approved = aggregate_views(small_pages, status=str(Status.APPROVED))
    shown: list[str] = []
    page, url = 1, "/annuaire/"
    while True:
        html = client.get(url).get_data(as_text=True)
        assert f"{len(approved)} lieux" in html
        on_page = names(html)
        assert 0 < len(on_page) <= 4
        shown += on_page
        found = re.search(r'<a rel="next" href="([^"]+)"', html)
        if found is None:
            break
        url, page = found.group(1).replace("&amp;", "&"), page + 1
    assert page == -(-len(approved) // 4) and sorted(shown) == sorted(p["name"] for p in approved)
    quartier = next(p["quartier"] for p in approved if p["quartier"])
    html = client.get(f"/annuaire/?quartier={quartier}&page=1").get_data(as_text=True)
    expected = sorted(
        (p for p in approved if p["quartier"] == quartier), key=lambda v: v["name"].casefold()
    )
    assert names(html) == [p["name"] for p in expected[:4]] and expected
    following = re.search(r'rel="next" href="([^"]+)"', html)
    assert (following is not None) == (len(expected) > 4)
    if following is not None:
        assert f"quartier={quartier}" in following.group(1)


def test_the_directory_searches_by_name_and_keeps_the_words_in_its_links(
    small_pages: Flask,
) -> None:
    client = small_pages.test_client()
    approved = aggregate_views(small_pages, status=str(Status.APPROVED))
    word = approved[0]["name"].split()[0]
    kept = [p for p in approved if word.casefold() in p["name"].casefold()]
    kept.sort(key=lambda v: ((v["quartier"] or "~").casefold(), v["name"].casefold()))
    expected = [p["name"] for p in kept]
    html = client.get(f"/annuaire/?q={word.lower()}").get_data(as_text=True)
    assert names(html) == expected[:4] and expected
    assert f'value="{word.lower()}"' in html
    printable = client.get(f"/annuaire/imprimer?q={word.lower()}").get_data(as_text=True)
    assert f"{len(expected)} lieu" in printable
    nothing = client.get("/annuaire/?q=zzzz-aucun-lieu").get_data(as_text=True)
    assert "Aucun lieu ne correspond à ces filtres." in nothing


def test_the_places_list_filters_by_status_and_name_a_page_at_a_time(
    small_pages: Flask,
) -> None:
    client = small_pages.test_client()
    every = aggregate_views(small_pages)
    ordered = sorted(every, key=lambda v: (v["name"].casefold(), v["siret"]))
    html = client.get("/lieux/").get_data(as_text=True)
    assert names(html) == [p["name"] for p in ordered[:4]]
    assert f"{len(every)} lieux" in html
    html = client.get("/lieux/?page=2").get_data(as_text=True)
    assert names(html) == [p["name"] for p in ordered[4:8]]
    refused = [p for p in ordered if p["status"] == "refuse"]
    html = client.get("/lieux/?statut=refuse").get_data(as_text=True)
    assert names(html) == [p["name"] for p in refused[:4]] and refused
    word = refused[0]["name"].split()[0]
    html = client.get(f"/lieux/?statut=refuse&q={word}").get_data(as_text=True)
    assert refused[0]["name"] in names(html)
    assert all(word.casefold() in n.casefold() for n in names(html))
    html = client.get("/lieux/?page=999").get_data(as_text=True)  # the last page, not an error
    assert names(html) == [p["name"] for p in ordered[-(len(ordered) % 4 or 4) :]]


def test_the_home_page_counts_from_the_read_models(client: FlaskClient) -> None:
    every = aggregate_views(client.application)
    approved = sum(1 for p in every if p["status"] == str(Status.APPROVED))
    html = client.get("/").get_data(as_text=True)
    assert f"{approved} lieux conventionnés sur {len(every)} candidatures." in html


def test_a_read_sees_what_another_process_stored_just_before(
    small_pages: Flask, web_settings: Settings
) -> None:
    client = small_pages.test_client()
    before = len(client.get("/api/places").get_json())
    other = Registry(env=web_settings.event_store_env())  # a CLI command, say
    try:
        siret = make_siret(4242)
        other.apply(Declaration.model_validate(shop(siret=siret, name="Épicerie Zéphyr")), SHOP)
    finally:
        other.close()
    listed = client.get("/api/places").get_json()
    assert len(listed) == before + 1 and listed[-1]["siret"] == siret
    assert "Épicerie Zéphyr" in client.get("/lieux/?q=zéphyr").get_data(as_text=True)


def test_a_read_that_cannot_catch_up_in_time_is_a_503_not_stale_data(
    small_pages: Flask, web_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    follower = store.models_of(small_pages).follower
    client = small_pages.test_client()
    assert client.get("/api/places").status_code == 200
    monkeypatch.setattr(follower, "step", lambda **kwargs: 0)  # stuck: applies nothing
    follower.read_timeout = 0.2
    other = Registry(env=web_settings.event_store_env())
    try:
        other.apply(Declaration.model_validate(shop(siret=make_siret(4343))), SHOP)
    finally:
        other.close()
    response = client.get("/api/places")
    assert response.status_code == 503 and response.get_json()["code"] == "views_behind"
    page = client.get("/lieux/")
    assert page.status_code == 503
    assert "pas encore à jour" in page.get_data(as_text=True)


def test_healthz_answers_without_reading_the_store(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = store.registry_of(client.application).recorder

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(recorder, "max_notification_id", broken)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


def test_readyz_says_ok_when_the_store_and_the_views_answer_and_503_when_not(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    recorder = store.registry_of(client.application).recorder

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(recorder, "max_notification_id", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and body["code"] == "store_unavailable"


def test_readyz_is_503_when_the_views_file_does_not_answer(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = store.models_of(client.application)

    def broken() -> Any:
        raise sqlite3.DatabaseError("file is not a database")

    monkeypatch.setattr(models, "database", broken)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["code"] == "store_unavailable"


def test_a_place_in_detail_is_what_its_aggregate_says(client: FlaskClient) -> None:
    registry = store.registry_of(client.application)
    places = registry.places()
    assert any(p.evaluation for p in places) and any(p.status is Status.REFUSED for p in places)
    for place in places:
        expected = place_view(place, detail=True)
        with client.application.test_request_context():
            assert place_detail(place.siret) == expected
        served = {k: v for k, v in expected.items() if k != "missing_fr"}  # not in the API
        assert client.get(f"/api/places/{place.siret}").get_json() == served
        page = client.get(f"/lieux/{place.siret}")
        assert page.status_code == 200
        assert f"<h1>{place.name}</h1>" in markup.unescape(page.get_data(as_text=True))
    assert client.get(f"/lieux/{make_siret(9999)}").status_code == 404
    assert client.get("/api/places/123").get_json()["code"] == "invalid_siret"


def test_a_rebuild_while_serving_is_followed_into_the_fresh_file(
    small_pages: Flask, web_settings: Settings
) -> None:
    from registry.readmodels.runner import rebuild, views_path

    client = small_pages.test_client()
    before = client.get("/api/places").get_json()
    old_file = views_path(web_settings).stat().st_ino
    rebuild(web_settings)
    assert views_path(web_settings).stat().st_ino != old_file
    assert client.get("/api/places").get_json() == before
    other = Registry(env=web_settings.event_store_env())
    try:
        siret = make_siret(4545)
        other.apply(Declaration.model_validate(shop(siret=siret)), SHOP)
    finally:
        other.close()
    assert client.get("/api/places").get_json()[-1]["siret"] == siret
    conn = sqlite3.connect(views_path(web_settings))
    try:  # written into the fresh file, not the one swapped out
        assert conn.execute("SELECT 1 FROM places WHERE siret = ?", [siret]).fetchone()
    finally:
        conn.close()


def test_a_page_on_a_store_that_does_not_answer_is_a_503_with_its_code(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = store.registry_of(client.application).recorder

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(recorder, "max_notification_id", broken)
    response = client.get("/api/places")
    assert response.status_code == 503 and response.get_json()["code"] == "store_unavailable"
    page = client.get("/annuaire/")
    assert page.status_code == 503 and "ne répond pas" in page.get_data(as_text=True)
