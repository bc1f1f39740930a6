"""`ssa-registry serve`: waitress (never Flask's development server) on the configured store."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from web.cli import main


def _serve_command() -> object:
    """The serve command of the installed command line."""
    from web.cli import serve

    return serve


def test_serve_has_french_then_english_help() -> None:
    serve = _serve_command()
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output and "waitress" in result.output
    assert serve.help and len(serve.help.split("\n\n")) >= 2  # type: ignore[attr-defined]


def test_serve_refuses_an_empty_store_with_one_line(tmp_path) -> None:
    _serve_command()
    result = CliRunner().invoke(main, ["--data", str(tmp_path / "vide"), "serve", "--port", "8099"])
    assert result.exit_code == 2
    assert "n'est pas initialisé" in result.output


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.0.2.10", False),
        ("registre.example.org", False),
    ],
)
def test_secure_cookies_are_on_unless_serving_on_this_machine_only(
    host: str, loopback: bool
) -> None:
    from web.cli import is_loopback

    assert is_loopback(host) is loopback


def test_serve_runs_waitress_with_secure_cookies_off_the_loopback(
    monkeypatch, web_settings
) -> None:
    _serve_command()
    seen: dict[str, object] = {}

    def fake_serve(app, **options):  # type: ignore[no-untyped-def]
        seen["secure"] = app.config["SESSION_COOKIE_SECURE"]
        seen.update(options)

    monkeypatch.setattr("waitress.serve", fake_serve)
    args = ["--data", str(web_settings.data), "serve", "--host", "0.0.0.0", "--port", "8099"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert seen["secure"] is True and seen["port"] == 8099 and seen["host"] == "0.0.0.0"
    result = CliRunner().invoke(main, [*args[:3], "--port", "8099", "--behind-proxy"])
    assert seen["trusted_proxy"] == "127.0.0.1" and seen["secure"] is True
    result = CliRunner().invoke(main, [*args[:2], "serve", "--port", "8099"])
    assert seen["secure"] is False and seen["host"] == "127.0.0.1"
