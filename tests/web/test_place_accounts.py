"""A place account whose password was lost: a facilitator of the place's caisse gives it a
temporary password from the place's decision page (shown once, its API token revoked); the
`account-password` command does the same from the command line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from policies.seed import first_version
from registry.accounts import Accounts
from registry.cli import main
from registry.config import Settings
from registry.declaration import parse_declaration
from registry.roles import Actor, Role
from tests.web.conftest import LOGIN_OF, PASSWORDS, csrf_token, log_in
from web import store

TOMBE = "81400140000013"  # the demo account "commerce" speaks for it
URL = f"/decisions/{TOMBE}"
B = "plaisance"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "declarations"
CAGETTE = json.loads((EXAMPLES / "epicerie.json").read_text(encoding="utf-8"))
CAGETTE.update(caisse=B, quartier="Plaisance")
BASILE = ("animateur-basile", "basile-plaisance-14")
SECOND = ("commerce-2", "second-compte-tombe")


@pytest.fixture
def accounts(app: Flask) -> Accounts:
    """The demo accounts plus a second account of the Tombe-Issoire grocery."""
    found = store.accounts_of(app)
    found.create(SECOND[0], SECOND[1], Role.PLACE, "Deuxième compte", (TOMBE,))
    return found


@pytest.fixture
def two(app: Flask, accounts: Accounts) -> Flask:
    """A second caisse with its own place, place account and facilitator."""
    registry = store.registry_of(app)
    facilitator = Actor("animatrice-camille", Role.FACILITATOR)
    registry.register_caisse(
        B, "Caisse Plaisance", "Plaisance", ["Plaisance"], first_version(B), facilitator
    )
    declaration = parse_declaration(CAGETTE)
    registry.apply(declaration, Actor(declaration.siret, Role.PLACE))
    accounts.create("cagette", "cagette-plaisance", Role.PLACE, "La Cagette", (declaration.siret,))
    registry.join_member(B, BASILE[0], [Role.FACILITATOR], 1, Actor.system())
    accounts.create(BASILE[0], BASILE[1], Role.FACILITATOR, "Basile", (), BASILE[0], B)
    return app


def rows(app: Flask) -> dict[str, tuple[str, str | None]]:
    """Every account's password hash and token digest, as stored."""
    path = store.accounts_of(app).path
    with sqlite3.connect(path) as conn:
        found = conn.execute("select login, password_hash, token_hash from accounts").fetchall()
    return {login: (password, token) for login, password, token in found}


def events_count(app: Flask) -> int:
    return store.registry_of(app).recorder.max_notification_id() or 0


def reset(client: FlaskClient, login: str, url: str = URL) -> Any:
    return client.post(url, data={"password_for": login, "csrf_token": csrf_token(client)})


def temporary_of(page: str) -> str:
    marker = '<code class="token" id="provisoire">'
    assert marker in page, page[-3000:]
    return page.split(marker, 1)[1].split("</code>", 1)[0]


def can_use_api(client: FlaskClient, token: str) -> bool:
    response = client.get("/api/account", headers={"Authorization": f"Bearer {token}"})
    return response.status_code == 200


def test_the_decision_page_lists_the_accounts_that_speak_for_the_place(
    client: FlaskClient, accounts: Accounts
) -> None:
    log_in(client, "animatrice-camille")
    page = client.get(URL).get_data(as_text=True)
    assert "Comptes du lieu" in page
    assert "<strong>commerce</strong>" in page and f"<strong>{SECOND[0]}</strong>" in page
    assert "<strong>producteur</strong>" not in page
    assert page.count('name="password_for"') == 2
    # The place's page leads its caisse's facilitators there.
    assert f'href="{URL}"' in client.get(f"/lieux/{TOMBE}").get_data(as_text=True)


def test_the_place_page_offers_the_link_to_facilitators_only(client: FlaskClient) -> None:
    assert f'href="{URL}"' not in client.get(f"/lieux/{TOMBE}").get_data(as_text=True)
    log_in(client, "membre")
    assert f'href="{URL}"' not in client.get(f"/lieux/{TOMBE}").get_data(as_text=True)


def test_a_place_without_accounts_says_so(client: FlaskClient) -> None:
    registry = store.registry_of(client.application)
    siret = next(
        p.siret
        for p in registry.places("paris-14e")
        if not store.accounts_of(client.application).for_siret(p.siret)
    )
    log_in(client, "animatrice-camille")
    page = client.get(f"/decisions/{siret}").get_data(as_text=True)
    assert "Aucun compte ne parle pour ce lieu." in page and 'name="password_for"' not in page


def test_a_temporary_password_is_shown_once_and_revokes_the_api_token(
    client: FlaskClient, accounts: Accounts
) -> None:
    app = client.application
    token = accounts.issue_token("commerce")
    assert can_use_api(app.test_client(), token)
    before, events = rows(app), events_count(app)
    log_in(client, "animatrice-camille")
    response = reset(client, "commerce")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Mot de passe provisoire du compte « commerce »" in page
    assert "Le jeton d'API du compte est révoqué" in page
    temporary = temporary_of(page)
    assert len(temporary) >= 12
    after = rows(app)
    assert after["commerce"][0] != before["commerce"][0] and after["commerce"][1] is None
    assert {k: v for k, v in after.items() if k != "commerce"} == {
        k: v for k, v in before.items() if k != "commerce"
    }
    assert events_count(app) == events  # accounts are outside the event log
    # Shown once: the page does not show it again, nor keep it in a flash message.
    again = client.get(URL).get_data(as_text=True)
    assert temporary not in again and 'id="provisoire"' not in again
    # The old token no longer works; the old password neither; the temporary one does.
    assert not can_use_api(app.test_client(), token)
    assert accounts.authenticate("commerce", PASSWORDS["commerce"]) is None
    shop = app.test_client()
    log_in(shop, "commerce", temporary)
    assert shop.get("/mon-lieu").status_code == 200


def test_a_login_that_does_not_speak_for_the_place_is_refused(
    client: FlaskClient, accounts: Accounts
) -> None:
    app = client.application
    log_in(client, "animatrice-camille")
    before = rows(app)
    for login in ("producteur", "animatrice-camille", "membre", "personne", ""):
        response = reset(client, login)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, login
        assert f"Aucun compte « {login} » ne parle pour Épicerie de la Tombe-Issoire" in page
        assert 'id="provisoire"' not in page
    assert rows(app) == before
    client.get("/langue/en")
    page = reset(client, "producteur").get_data(as_text=True)
    assert "No account &#39;producteur&#39; speaks for Épicerie de la Tombe-Issoire" in page
    assert rows(app) == before


def test_a_facilitator_of_another_caisse_is_refused(two: Flask) -> None:
    before = rows(two)
    basile = two.test_client()
    log_in(basile, *BASILE)
    response = reset(basile, "commerce")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "relève d&#39;une autre caisse que la vôtre" in page
    assert 'id="provisoire"' not in page
    assert basile.get(URL).status_code == 403
    camille = two.test_client()
    log_in(camille, "animatrice-camille")
    cagette = f"/decisions/{CAGETTE['siret']}"
    assert reset(camille, "cagette", cagette).status_code == 403
    assert rows(two) == before
    assert f'href="{URL}"' not in basile.get(f"/lieux/{TOMBE}").get_data(as_text=True)
    # Basile looks after the accounts of his own caisse's place.
    response = reset(basile, "cagette", cagette)
    assert response.status_code == 200
    log_in(two.test_client(), "cagette", temporary_of(response.get_data(as_text=True)))


@pytest.mark.parametrize("role", [Role.PLACE, Role.MEMBER, Role.EVALUATOR, Role.OBSERVER], ids=str)
def test_other_roles_may_not_reset_a_place_password(
    client: FlaskClient, accounts: Accounts, role: Role
) -> None:
    before = rows(client.application)
    log_in(client, LOGIN_OF[role])
    assert reset(client, "commerce").status_code == 403
    assert rows(client.application) == before


def test_an_anonymous_visitor_is_sent_to_log_in(client: FlaskClient, accounts: Accounts) -> None:
    before = rows(client.application)
    response = reset(client, "commerce")
    assert response.status_code == 302 and response.headers["Location"].startswith("/connexion")
    assert rows(client.application) == before


def test_a_reset_without_its_csrf_token_is_refused(client: FlaskClient, accounts: Accounts) -> None:
    log_in(client, "animatrice-camille")
    before = rows(client.application)
    assert client.post(URL, data={"password_for": "commerce"}).status_code == 400
    assert rows(client.application) == before


def test_the_decision_form_still_records_decisions(client: FlaskClient) -> None:
    """The accounts' forms share the page; a decision posted without them is still a decision."""
    log_in(client, "animatrice-camille")
    before = events_count(client.application)
    response = client.post(
        URL,
        data={
            "action": "suspend",
            "reason": "Contrôle en cours",
            "decision": "Réunion du 2 juin",
            "csrf_token": csrf_token(client, "/compte"),
        },
    )
    assert response.status_code == 302
    assert events_count(client.application) == before + 1


# The command line ---------------------------------------------------------------------------


def cli(settings: Settings, *args: str) -> Any:
    return CliRunner().invoke(main, ["--data", str(settings.data), *args])


def test_account_password_prints_a_temporary_password_once(
    client: FlaskClient, accounts: Accounts
) -> None:
    app = client.application
    settings: Settings = app.config["REGISTRY_SETTINGS"]
    token = accounts.issue_token("commerce")
    before = rows(app)
    result = cli(settings, "account-password", "Commerce")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Mot de passe provisoire de commerce : ")
    temporary = lines[0].rsplit(" ", 1)[1]
    assert result.output.count(temporary) == 1 and "Jeton d'API révoqué" in result.output
    assert accounts.authenticate("commerce", temporary) is not None
    assert accounts.authenticate("commerce", PASSWORDS["commerce"]) is None
    assert not can_use_api(app.test_client(), token)
    after = rows(app)
    assert {k: v for k, v in after.items() if k != "commerce"} == {
        k: v for k, v in before.items() if k != "commerce"
    }


def test_account_password_refuses_an_unknown_account_or_a_member_who_left(
    client: FlaskClient, accounts: Accounts
) -> None:
    app = client.application
    settings: Settings = app.config["REGISTRY_SETTINGS"]
    before = rows(app)
    unknown = cli(settings, "account-password", "personne")
    assert unknown.exit_code == 2 and "Compte inconnu : « personne »" in unknown.output
    store.registry_of(app).leave_member(
        "paris-14e", "Zélie", "Déménage", Actor("Zélie", Role.MEMBER)
    )
    left = cli(settings, "account-password", "membre")
    assert left.exit_code == 2 and "membre parti" in left.output
    assert "Mot de passe provisoire" not in left.output
    assert rows(app) == before
    # A member still there gets one.
    assert cli(settings, "account-password", "membre-2").exit_code == 0
