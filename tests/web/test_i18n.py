"""French first, English complete: the catalogue covers every text, and pages switch."""

from __future__ import annotations

from babel.messages.mofile import read_mo
from flask.testing import FlaskClient

from tests.web.conftest import log_in
from web import catalogue


def test_every_french_text_has_an_english_translation() -> None:
    missing = catalogue.missing()
    assert missing == [], (
        "Run `python -m web.catalogue`, translate the new entries of "
        f"web/translations/en/LC_MESSAGES/messages.po, run it again: {missing}"
    )


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    def key(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    with catalogue.MO.open("rb") as file:
        compiled = {key(m.id): key(m.string) for m in read_mo(file) if m.id}
    written = {key(m.id): key(m.string) for m in catalogue.read() if m.id and not m.fuzzy}
    assert compiled == written


def test_the_declaration_form_speaks_english_on_request(client: FlaskClient) -> None:
    log_in(client, "producteur")
    client.get("/langue/en")
    page = client.get("/candidater").get_data(as_text=True)
    assert "Share of supply from peasant farms (%)" in page and "Kind of place" in page
    assert "social grocery" in page and "Saturday" in page


def test_registry_refusals_follow_the_language(client: FlaskClient) -> None:
    client.get("/langue/en")
    page = client.get("/lieux/12345678901234").get_data(as_text=True)
    assert "Invalid SIRET" in page
    client.get("/langue/fr")
    assert "SIRET invalide" in client.get("/lieux/12345678901234").get_data(as_text=True)


def test_dates_follow_the_language(client: FlaskClient) -> None:
    page = client.get("/lieux/81400140000013").get_data(as_text=True)
    assert "avr. 2025" in page or "avril 2025" in page
    client.get("/langue/en")
    page = client.get("/lieux/81400140000013").get_data(as_text=True)
    assert "Apr" in page and "2025" in page
