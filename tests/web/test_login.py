"""Logging in: errors next to fields, rate limiting, CSRF, secure cookies and headers."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import PASSWORDS, csrf_token, log_in, post_form
from web import create_app, store


def test_a_demo_account_logs_in_and_lands_on_its_page(client: FlaskClient) -> None:
    response = post_form(
        client, "/connexion", {"login": "commerce", "password": PASSWORDS["commerce"]}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/mon-lieu"
    assert "Épicerie de la Tombe-Issoire" in client.get("/mon-lieu").get_data(as_text=True)


def test_a_wrong_password_is_said_next_to_the_field_and_the_login_kept(client: FlaskClient) -> None:
    response = post_form(client, "/connexion", {"login": "commerce", "password": "pas le bon"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="password-error"' in page and "Identifiant ou mot de passe incorrect" in page
    assert 'value="commerce"' in page


def test_logins_are_locked_after_five_failures(client: FlaskClient) -> None:
    for _ in range(5):
        post_form(client, "/connexion", {"login": "membre", "password": "pas le bon"})
    response = post_form(client, "/connexion", {"login": "membre", "password": PASSWORDS["membre"]})
    assert response.status_code == 429
    assert "Trop d&#39;essais" in response.get_data(as_text=True)


def test_a_login_form_without_a_csrf_token_is_refused(client: FlaskClient) -> None:
    response = client.post(
        "/connexion", data={"login": "commerce", "password": PASSWORDS["commerce"]}
    )
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)


def test_a_forged_csrf_token_is_refused(client: FlaskClient) -> None:
    csrf_token(client)
    response = client.post(
        "/connexion",
        data={"login": "commerce", "password": PASSWORDS["commerce"], "csrf_token": "forged"},
    )
    assert response.status_code == 400


def test_logging_out_needs_a_post_with_a_csrf_token(client: FlaskClient) -> None:
    log_in(client, "membre")
    assert client.post("/deconnexion").status_code == 400
    assert client.get("/compte").status_code == 200
    response = post_form(client, "/deconnexion", {}, form_url="/compte")
    assert response.status_code == 302
    assert client.get("/compte").status_code == 302


def test_a_shop_signs_up_and_may_apply(client: FlaskClient) -> None:
    response = post_form(
        client,
        "/inscription",
        {
            "display_name": "Épicerie du Coin",
            "login": "epicerie-du-coin",
            "password": "un long mot de passe",
            "password2": "un long mot de passe",
        },
        form_url="/inscription",
    )
    assert response.status_code == 302 and response.headers["Location"] == "/candidater"
    assert client.get("/candidater").status_code == 200


def test_a_signup_error_is_next_to_its_field_and_what_was_typed_is_kept(
    client: FlaskClient,
) -> None:
    response = post_form(
        client,
        "/inscription",
        {
            "display_name": "Épicerie du Coin",
            "login": "epicerie-du-coin",
            "password": "court",
            "password2": "court",
        },
        form_url="/inscription",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="password-error"' in page and "au moins 10 caractères" in page
    assert 'value="Épicerie du Coin"' in page and 'value="epicerie-du-coin"' in page
    assert store.accounts.__name__  # the account was not created:
    assert client.application.extensions["ssa_accounts"].get("epicerie-du-coin") is None


def test_the_account_page_issues_an_api_token_shown_once(client: FlaskClient) -> None:
    log_in(client, "evaluateur")
    page = post_form(client, "/compte", {"action": "token"}, form_url="/compte").get_data(
        as_text=True
    )
    assert 'class="token">ssa_' in page
    assert 'class="token"' not in client.get("/compte").get_data(as_text=True)


def test_security_headers_are_set_on_every_page(client: FlaskClient) -> None:
    headers = client.get("/annuaire/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookies_are_secure_http_only_and_same_site_outside_tests(web_settings) -> None:
    app = create_app({"REGISTRY_SETTINGS": web_settings, "SECRET_KEY": "x"})
    try:
        assert app.config["SESSION_COOKIE_SECURE"] is True
        assert app.config["SESSION_COOKIE_HTTPONLY"] is True
        assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
        client = app.test_client()
        response = client.get("/connexion", base_url="https://localhost")
        cookie = response.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        store.close(app)


def test_the_secret_key_is_kept_in_the_data_folder(web_settings, monkeypatch) -> None:
    monkeypatch.delenv("SSA_REGISTRY_SECRET_KEY", raising=False)
    first: Flask = create_app({"REGISTRY_SETTINGS": web_settings})
    second: Flask = create_app({"REGISTRY_SETTINGS": web_settings})
    try:
        assert first.secret_key == second.secret_key and len(first.secret_key) >= 32
        assert (web_settings.data / "secret_key").stat().st_mode & 0o077 == 0
    finally:
        store.close(first)
        store.close(second)
    monkeypatch.setenv("SSA_REGISTRY_SECRET_KEY", "from-the-environment")
    third = create_app({"REGISTRY_SETTINGS": web_settings})
    assert third.secret_key == "from-the-environment"
    store.close(third)


def test_a_person_erases_their_account_with_their_password(client: FlaskClient) -> None:
    log_in(client, "observateur")
    wrong = post_form(client, "/compte", {"action": "delete", "confirm": "non"}, form_url="/compte")
    assert wrong.status_code == 400 and 'id="confirm-error"' in wrong.get_data(as_text=True)
    done = post_form(
        client,
        "/compte",
        {"action": "delete", "confirm": PASSWORDS["observateur"]},
        form_url="/compte",
    )
    assert done.status_code == 302
    assert client.application.extensions["ssa_accounts"].get("observateur") is None
    assert client.get("/compte").status_code == 302


def test_after_login_the_next_page_stays_on_this_site(client: FlaskClient) -> None:
    token = csrf_token(client)
    response = client.post(
        "/connexion?next=https://example.org/",
        data={"login": "membre", "password": PASSWORDS["membre"], "csrf_token": token},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/propositions/"
