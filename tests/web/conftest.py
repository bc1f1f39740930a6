"""Fixtures for the web tests: a demo registry copied per test, the app, its client, logins."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry.config import Settings
from registry.demo import load_demo
from registry.roles import Role
from web import create_app, store
from web.demo_accounts import DEMO_ACCOUNTS, create_demo_accounts

PASSWORDS = {account[0]: account[1] for account in DEMO_ACCOUNTS}
LOGIN_OF = {
    Role.PLACE: "commerce",
    Role.MEMBER: "membre",
    Role.FACILITATOR: "animatrice-camille",
    Role.EVALUATOR: "evaluateur",
    Role.OBSERVER: "observateur",
}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo history and demo accounts, written once per session."""
    data = tmp_path_factory.mktemp("demo") / "data"
    settings = Settings(data=data, database_url=None)
    data.mkdir(parents=True)
    registry = store.registry_class()(env=settings.event_store_env())
    try:
        load_demo(registry)
    finally:
        registry.close()
    create_demo_accounts(settings)
    return data


@pytest.fixture
def web_settings(demo_data: Path, tmp_path: Path) -> Settings:
    """A private copy of the demo store for one test."""
    data = tmp_path / "data"
    shutil.copytree(demo_data, data)
    return Settings(data=data, database_url=None)


@pytest.fixture
def app(web_settings: Settings) -> Iterator[Flask]:
    """The web app over the demo store, CSRF protection on."""
    flask_app = create_app(
        {"TESTING": True, "REGISTRY_SETTINGS": web_settings, "SECRET_KEY": "test-secret"}
    )
    yield flask_app
    store.close(flask_app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client."""
    return app.test_client()


def csrf_token(client: FlaskClient, url: str = "/connexion") -> str:
    """The CSRF token of the client's session, read from a form page."""
    page = client.get(url).get_data(as_text=True)
    found = TOKEN.search(page)
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def post_form(client: FlaskClient, url: str, data: dict[str, object], form_url: str = "/connexion"):
    """Post a form with a valid CSRF token."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, form_url)})


def log_in(client: FlaskClient, login: str, password: str | None = None) -> None:
    """Log a client in through the login form."""
    response = post_form(
        client, "/connexion", {"login": login, "password": password or PASSWORDS[login]}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def login_as(client: FlaskClient) -> Callable[[Role], FlaskClient]:
    """Log the client in with the demo account of a role."""

    def do(role: Role) -> FlaskClient:
        log_in(client, LOGIN_OF[role])
        return client

    return do
