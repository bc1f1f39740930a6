"""Public pages are answered again from memory only while the store has not changed, and never
for someone signed in or a page that put anything in the session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from registry.application import Registry
from registry.config import Settings
from registry.declaration import Declaration
from registry.roles import Actor, Role
from tests.helpers import make_siret, shop
from tests.web.conftest import log_in
from web import create_app, page_cache, store

SHOP = Actor("commerce-test", Role.PLACE)


@pytest.fixture
def cached(web_settings: Settings) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "REGISTRY_SETTINGS": web_settings,
            "SECRET_KEY": "test-secret",
            "READ_MODELS_FOLLOW": False,
        }
    )
    yield app
    store.close(app)


def test_a_public_page_is_rendered_once_while_the_store_does_not_change(cached: Flask) -> None:
    calls: list[str] = []
    view = cached.view_functions["directory.index"]
    cached.view_functions["directory.index"] = lambda: (calls.append("x"), view())[1]
    client = cached.test_client()
    first = client.get("/annuaire/")
    again = client.get("/annuaire/")
    assert first.status_code == again.status_code == 200
    assert again.get_data() == first.get_data() and len(calls) == 1
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert again.headers["Cache-Control"] == "no-store"
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    client.get("/annuaire/?type=commerce")
    client.get("/annuaire/", headers={"Accept-Language": "en"})
    assert len(calls) == 3  # another address, another language: rendered afresh


def test_any_stored_event_even_from_another_process_renders_the_page_afresh(
    cached: Flask, web_settings: Settings
) -> None:
    client = cached.test_client()
    before = client.get("/lieux/?q=zéphyr").get_data(as_text=True)
    assert "Épicerie Zéphyr" not in before
    other = Registry(env=web_settings.event_store_env())  # a CLI command, say
    try:
        siret = make_siret(4747)
        other.apply(Declaration.model_validate(shop(siret=siret, name="Épicerie Zéphyr")), SHOP)
    finally:
        other.close()
    assert "Épicerie Zéphyr" in client.get("/lieux/?q=zéphyr").get_data(as_text=True)
    listed = client.get("/api/places").get_json()
    assert listed[-1]["siret"] == siret


def test_signed_in_pages_and_pages_with_a_form_are_never_kept(cached: Flask) -> None:
    kept: page_cache.PageCache = cached.extensions[page_cache.KEY]
    client = cached.test_client()
    client.get("/connexion")  # a form: its CSRF token goes into the session
    assert len(kept) == 0
    anonymous = cached.test_client()
    anonymous.get("/propositions/")
    assert len(kept) == 1
    log_in(client, "membre")
    assert client.get("/propositions/").status_code == 200
    assert len(kept) == 1  # the signed-in person's page is theirs alone


def test_an_api_token_is_never_answered_from_memory(cached: Flask) -> None:
    kept: page_cache.PageCache = cached.extensions[page_cache.KEY]
    client = cached.test_client()
    client.get("/api/places", headers={"Authorization": "Bearer whatever"})
    assert len(kept) == 0


def test_older_positions_are_dropped_and_the_size_is_bounded() -> None:
    cache = page_cache.PageCache(2)
    page = page_cache.Kept(b"x", "text/html", ())
    cache.put(("/a", "", 1), page)
    cache.put(("/b", "", 1), page)
    cache.put(("/c", "", 1), page)
    assert len(cache) == 2 and cache.get(("/a", "", 1)) is None
    cache.put(("/a", "", 2), page)
    assert len(cache) == 1 and cache.get(("/b", "", 1)) is None


def test_the_cache_can_be_turned_off(web_settings: Settings) -> None:
    settings = web_settings.model_copy(update={"page_cache": 0})
    app = create_app({"TESTING": True, "REGISTRY_SETTINGS": settings, "SECRET_KEY": "s"})
    try:
        assert page_cache.KEY not in app.extensions
        assert app.test_client().get("/annuaire/").status_code == 200
    finally:
        store.close(app)
