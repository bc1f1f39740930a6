"""The web app runs on both stores: SQLite (the default) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eventsourcing.persistence import OperationalError
from flask import Flask

from registry.bootstrap import initialise
from registry.config import Settings
from registry.roles import Actor, Role
from tests.helpers import make_siret, shop
from web import create_app, store
from web.accounts import Accounts


@pytest.fixture
def store_app(settings: Settings) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "REGISTRY_SETTINGS": settings, "SECRET_KEY": "x"})
    initialise(store.registry_of(app), Actor("animation", Role.FACILITATOR))
    yield app
    store.close(app)


def test_a_place_applies_through_the_api_and_shows_in_the_directory(store_app: Flask) -> None:
    accounts: Accounts = store.accounts_of(store_app)
    accounts.create("epicerie", "un long mot de passe", Role.PLACE)
    token = accounts.issue_token("epicerie")
    client = store_app.test_client()
    siret = make_siret(321)
    response = client.post(
        "/api/places", json=shop(siret=siret), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert siret in client.get(f"/lieux/{siret}").get_data(as_text=True)
    assert client.get("/historique/").status_code == 200
    assert client.get("/criteres/").status_code == 200
    assert accounts.get("epicerie").sirets == (siret,)  # type: ignore[union-attr]


def test_a_member_and_its_account_are_stored_together_or_not_at_all(
    store_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts: Accounts = store.accounts_of(store_app)
    accounts.create("animation", "un long mot de passe", Role.FACILITATOR, caisse="paris-14e")
    registry = store.registry_of(store_app)
    # A facilitator acts only as an active member of the caisse.
    registry.join_member("paris-14e", "animation", [Role.FACILITATOR], 1, Actor.system())
    headers = {"Authorization": f"Bearer {accounts.issue_token('animation')}"}
    client = store_app.test_client()
    body = {"pseudonym": "Nour", "roles": ["membre"], "wave": 1, "login": "nour"}
    body["password"] = "un long mot de passe"

    def save(*aggregates: object, **kwargs: object) -> None:
        raise OperationalError("the server closed the connection")

    with monkeypatch.context() as patch:
        patch.setattr(registry, "save", save)
        response = client.post("/api/members", json=body, headers=headers)
    assert response.status_code == 503 and response.get_json()["code"] == "store_unavailable"
    assert accounts.get("nour") is None
    assert "Nour" not in [m.pseudonym for m in registry.members("paris-14e")]
    response = client.post("/api/members", json=body, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert accounts.get("nour").pseudonym == "Nour"  # type: ignore[union-attr]
    assert [m.pseudonym for m in registry.members("paris-14e")] == ["animation", "Nour"]
