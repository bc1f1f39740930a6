"""The whole story in a browser: a producer applies, the registry evaluates it, a member
proposes a criteria revision, members vote, the place's status changes, and an evaluator
replays the day before."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from tests.e2e.conftest import check_page, log_in, log_out
from tests.helpers import make_siret
from web.demo_accounts import DEMO_ACCOUNTS

PASSWORDS = {account[0]: account[1] for account in DEMO_ACCOUNTS}
SIRET = make_siret(4242)
FARM = "Ferme des Buttes (Rozay-en-Brie)"


def apply_as_producer(page: Any, base: str, axe: str) -> None:
    log_in(page, base, "producteur", PASSWORDS["producteur"])
    page.goto(f"{base}/candidater")
    check_page(page, axe, "03-formulaire-candidature")
    page.select_option("#kind", "producteur")
    page.fill("#name", FARM)
    page.fill("#siret", SIRET)
    page.fill("#address-street", "point de retrait, place de la Catalogne")
    page.fill("#address-postcode", "75014")
    page.fill("#address-city", "Paris")
    page.fill("#quartier", "Plaisance")
    for category in ("fruits_legumes", "oeufs", "legumineuses"):
        page.check(f'input[name="product_categories"][value="{category}"]')
    page.fill("#supply-peasant_share", "100")
    page.fill("#supply-short_chain_share", "100")
    page.select_option("#opening_hours-0-day", "samedi")
    page.fill("#opening_hours-0-opens", "09:00")
    page.fill("#opening_hours-0-closes", "13:00")
    page.check('input[name="accessibility.step_free"][value="oui"]')
    page.check('input[name="accessibility.accepts_allocation"][value="oui"]')
    for means in ("especes", "allocation_ssa"):
        page.check(f'input[name="payment_means"][value="{means}"]')
    page.select_option("#business-legal_form", "exploitation_agricole")
    page.fill("#farm-area_ha", "abc")  # a typo first: the error shows next to the field
    page.fill("#farm-workers", "3")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#farm-area_ha-error").inner_text().endswith("doit être un nombre")
    assert page.input_value("#name") == FARM  # what was typed is kept
    check_page(page, axe, "04-erreur-a-cote-du-champ")
    page.fill("#farm-area_ha", "18,5")
    page.check('input[name="farm.labels"][value="AB"]')
    page.check('input[name="farm.peasant_charter"][value="oui"]')
    page.check('input[name="farm.independent"][value="oui"]')
    page.fill("#farm-distance_km", "60")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/lieux/{SIRET}")
    body = page.content()
    # No commitments declared: fair pay goes to the collective, the place waits.
    assert "candidature en cours" in body and "à examiner par le collectif" in body
    check_page(page, axe, "05-lieu-evalue")
    log_out(page)


def propose_revision(page: Any, base: str, axe: str) -> str:
    log_in(page, base, "membre", PASSWORDS["membre"])
    page.goto(f"{base}/propositions/nouvelle-revision")
    check_page(page, axe, "06-formulaire-revision")
    page.fill("#title", "Juger la rémunération en rencontrant les producteurs")
    page.fill(
        "#text",
        "La rémunération ne se lit pas dans une déclaration : le collectif "
        "la discutera avec chaque lieu.",
    )
    page.check('input[name="mode"][value="consent"]')
    page.fill("#version", "2026-web")
    page.fill("#effective_from", date.today().isoformat())
    page.uncheck("#c-remuneration_juste-keep")
    page.click("button[value=preview]")
    page.wait_for_load_state()
    impact = page.locator("section.impact").inner_text()
    assert "Deviendraient conventionnables" in impact and FARM in impact
    check_page(page, axe, "07-effet-avant-ouverture")
    page.click("button[value=open]")
    page.wait_for_load_state()
    assert "/propositions/" in page.url and "consentement" in page.content()
    proposal_url = page.url
    page.check('input[name="choice"][value="for"]')
    page.click("#voter ~ form button[type=submit], section[aria-labelledby=voter] form button")
    page.wait_for_load_state()
    assert "Votre vote est enregistré" in page.content()
    check_page(page, axe, "08-proposition-votee")
    log_out(page)
    return proposal_url


def vote(
    page: Any, base: str, axe: str, login: str, url: str, choice: str, reason: str = ""
) -> None:
    log_in(page, base, login, PASSWORDS[login])
    page.goto(url)
    page.check(f'input[name="choice"][value="{choice}"]')
    if reason:
        page.fill("#reason", reason)
    page.click("section[aria-labelledby=voter] form button")
    page.wait_for_load_state()
    log_out(page)


def close_with_meeting(page: Any, base: str, axe: str, url: str) -> None:
    log_in(page, base, "animatrice-camille", PASSWORDS["animatrice-camille"])
    page.goto(url)
    page.fill("#m_minutes", "Compte rendu de l'assemblée du jour")
    page.fill("#m_present", "9")
    page.fill("#m_for", "9")
    page.click("form[action$='/reunion'] button")
    page.wait_for_load_state()
    assert "Le vote en réunion est enregistré" in page.content()
    check_page(page, axe, "09-animation")
    page.click("form[action$='/clore'] button")
    page.wait_for_load_state()
    body = page.content()
    assert "La proposition est close" in body and "adoptée" in body
    log_out(page)


def test_a_producer_applies_members_revise_the_criteria_and_an_evaluator_replays(
    page: Any, server: str, axe_source: str
) -> None:
    base = server
    page.goto(base)
    assert page.locator("html").get_attribute("lang") == "fr"
    check_page(page, axe_source, "01-accueil")
    page.goto(f"{base}/annuaire/")
    check_page(page, axe_source, "02-annuaire")
    assert FARM not in page.content()

    apply_as_producer(page, base, axe_source)
    url = propose_revision(page, base, axe_source)
    vote(page, base, axe_source, "membre-2", url, "for")
    vote(page, base, axe_source, "membre-3", url, "abstain")
    close_with_meeting(page, base, axe_source, url)

    page.goto(f"{base}/lieux/{SIRET}")
    body = page.content()
    assert "conventionné" in body and "2026-web" in body
    check_page(page, axe_source, "10-lieu-conventionne")
    page.goto(f"{base}/annuaire/?type=producteur")
    assert FARM in page.content()
    page.goto(f"{base}/criteres/2026-web")
    assert "Critère retiré : remuneration_juste" in page.content()
    check_page(page, axe_source, "11-critères-ce-qui-a-change")

    log_in(page, base, "evaluateur", PASSWORDS["evaluateur"])
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    page.goto(f"{base}/evaluation/rejouer")
    page.fill("#date", yesterday)
    page.click("main form button")
    page.wait_for_load_state()
    body = page.content()
    assert FARM not in body and "2025-1" in body and "2026-web" not in body
    check_page(page, axe_source, "12-rejouer-la-veille")
    page.goto(f"{base}/evaluation/simulation?version=2025-1")
    assert FARM in page.content()
    check_page(page, axe_source, "13-simulation")
    page.goto(f"{base}/evaluation/indicateurs/")
    check_page(page, axe_source, "14-indicateurs")
    assert re.search(
        r'<img class="chart" src="/evaluation/indicateurs/approved_by_kind.png"', page.content()
    )
