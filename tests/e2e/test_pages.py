"""Every main page passes axe-core with zero violations, fits 360 px, and works by keyboard."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import check_page, log_in
from web.demo_accounts import DEMO_ACCOUNTS

PASSWORDS = {account[0]: account[1] for account in DEMO_ACCOUNTS}
PUBLIC = {
    "accueil": "/",
    "annuaire": "/annuaire/?quartier=Plaisance",
    "annuaire-imprimable": "/annuaire/imprimer",
    "lieux": "/lieux/",
    "lieu": "/lieux/81400140000013",
    "criteres": "/criteres/",
    "version": "/criteres/2025-1",
    "historique": "/historique/?page=2",
    "propositions": "/propositions/",
    "charte": "/charte/",
    "connexion": "/connexion",
    "inscription": "/inscription",
}
BY_ROLE = {
    "commerce": ["/mon-lieu", "/lieux/81400140000013/modifier", "/compte"],
    "membre": [
        "/propositions/nouvelle",
        "/propositions/nouvelle-revision",
        "/charte/proposer",
        "/compte",
    ],
    "animatrice-camille": [
        "/membres/",
        "/membres/Zélie",
        "/decisions/",
        "/decisions/81400140000013",
    ],
    "evaluateur": [
        "/evaluation/",
        "/evaluation/exports",
        "/evaluation/rejouer?date=2025-01-01",
        "/evaluation/simulation?version=2024-1",
    ],
}


@pytest.mark.parametrize("name", list(PUBLIC))
def test_public_pages_have_no_axe_violations_at_360_px(
    page: Any, server: str, axe_source: str, name: str
) -> None:
    page.goto(server + PUBLIC[name])
    check_page(page, axe_source, f"public-{name}")


@pytest.mark.parametrize("login", list(BY_ROLE))
def test_each_role_s_pages_have_no_axe_violations(
    page: Any, server: str, axe_source: str, login: str
) -> None:
    log_in(page, server, login, PASSWORDS[login])
    for url in BY_ROLE[login]:
        page.goto(server + url)
        check_page(page, axe_source, f"{login}{url.replace('/', '-')}")


def test_amending_and_charter_change_pages_pass_axe_with_their_previews(
    page: Any, server: str, axe_source: str
) -> None:
    log_in(page, server, "animatrice-camille", PASSWORDS["animatrice-camille"])
    page.goto(server + "/propositions/")
    page.click("main h2 + ul li h3 a")  # the first open proposal
    page.click("text=Amender la proposition")
    page.wait_for_load_state()
    assert "/amender" in page.url
    check_page(page, axe_source, "animatrice-amender")
    page.goto(server + "/charte/proposer")
    page.click("button[value=preview]")
    page.wait_for_load_state()
    check_page(page, axe_source, "animatrice-charte-apercu")


def test_the_first_tab_reaches_the_skip_link_to_the_content(page: Any, server: str) -> None:
    page.goto(server + "/annuaire/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    page.wait_for_url("**/annuaire/#contenu")
    page.wait_for_function("document.activeElement.id === 'contenu'")


def test_the_directory_filter_works_with_the_keyboard_alone(page: Any, server: str) -> None:
    page.goto(server + "/annuaire/")
    page.focus("#type")
    page.select_option("#type", "producteur")
    page.focus("form.filters button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "type=producteur" in page.url and "Ferme des Trois Sources" in page.content()


def test_the_interface_switches_to_english(page: Any, server: str) -> None:
    page.goto(server + "/annuaire/")
    page.click("text=English")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
