"""Public pages: directory, places, criteria, history; French by default, English on request."""

from __future__ import annotations

from flask.testing import FlaskClient

from registry.demo_places import all_declarations

NAMES = {d["name"]: d for d in all_declarations()}
TOMBE = str(NAMES["Épicerie de la Tombe-Issoire"]["siret"])


def test_the_home_page_is_in_french_by_default(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Registre de conventionnement" in page and "lieux conventionnés" in page


def test_the_language_switch_gives_english_and_back(client: FlaskClient) -> None:
    response = client.get("/langue/en?next=/annuaire/")
    assert response.status_code == 302 and response.headers["Location"] == "/annuaire/"
    page = client.get("/annuaire/").get_data(as_text=True)
    assert '<html lang="en">' in page and "Directory of approved places" in page
    client.get("/langue/fr")
    assert "Annuaire des lieux conventionnés" in client.get("/annuaire/").get_data(as_text=True)


def test_the_language_switch_never_redirects_off_site(client: FlaskClient) -> None:
    response = client.get("/langue/en?next=https://example.org/")
    assert response.headers["Location"] == "/"


def test_the_directory_lists_only_approved_places(client: FlaskClient) -> None:
    page = client.get("/annuaire/").get_data(as_text=True)
    assert "Coopérative La Fourmilière du 14e" in page
    assert "Carrefour City Leclerc" not in page  # refused
    assert "Primeur du Maine" not in page  # withdrawn


def test_the_directory_filters_by_kind_and_quartier(client: FlaskClient) -> None:
    page = client.get("/annuaire/?type=producteur").get_data(as_text=True)
    assert "Ferme des Trois Sources" in page and "Biocoop Gaîté" not in page
    page = client.get("/annuaire/?quartier=Plaisance").get_data(as_text=True)
    assert "Coopérative La Fourmilière du 14e" in page and "Biocoop Gaîté" not in page


def test_the_printable_directory_is_a_table_with_a_print_stylesheet(client: FlaskClient) -> None:
    page = client.get("/annuaire/imprimer?quartier=Plaisance").get_data(as_text=True)
    assert '<table class="print-list">' in page and "print.css" in page
    assert "Coopérative La Fourmilière du 14e" in page


def test_a_place_page_explains_each_criterion_and_shows_its_timeline(client: FlaskClient) -> None:
    page = client.get(f"/lieux/{TOMBE}").get_data(as_text=True)
    assert "Épicerie de la Tombe-Issoire" in page
    assert "Critère par critère" in page and "agriculture paysanne" in page
    assert "Candidature déposée" in page and "Déclaration modifiée" in page
    assert 'class="timeline"' in page


def test_an_unknown_place_is_a_french_404(client: FlaskClient) -> None:
    response = client.get("/lieux/12345678901234")
    assert response.status_code in (400, 404)
    assert "SIRET" in response.get_data(as_text=True)


def test_every_place_is_listed_with_its_status(client: FlaskClient) -> None:
    page = client.get("/lieux/?statut=refuse").get_data(as_text=True)
    assert "Carrefour City Leclerc" in page and "Coopérative La Fourmilière" not in page


def test_the_criteria_page_shows_the_version_in_force_and_every_version(
    client: FlaskClient,
) -> None:
    page = client.get("/criteres/").get_data(as_text=True)
    assert "version 2025-1" in page and "En vigueur aujourd" in page
    assert "2024-1" in page and "La marge d'un commerce n'est jamais un critère" in page


def test_a_criteria_version_says_what_changed_since_the_one_before(client: FlaskClient) -> None:
    page = client.get("/criteres/2025-1").get_data(as_text=True)
    assert "Ce qui a changé depuis la version 2024-1" in page
    assert "change-" in page
    assert client.get("/criteres/2024-1").status_code == 200
    assert client.get("/criteres/1999-9").status_code == 404


def test_the_history_is_paginated_newest_first(client: FlaskClient) -> None:
    first = client.get("/historique/").get_data(as_text=True)
    assert "Page 1 sur" in first and 'rel="next"' in first
    second = client.get("/historique/?page=2").get_data(as_text=True)
    assert 'rel="prev"' in second


def test_the_history_is_searchable_and_filtered(client: FlaskClient) -> None:
    page = client.get("/historique/?q=Primeur+du+Maine&categorie=lieux").get_data(as_text=True)
    assert "Candidature retirée par le lieu" in page and "Cessation d" in page
    assert "Biocoop" not in page
    page = client.get("/historique/?categorie=criteres").get_data(as_text=True)
    assert "Version de critères publiée" in page and "Candidature déposée" not in page
    page = client.get("/historique/?du=2025-05-12&au=2025-05-12").get_data(as_text=True)
    assert "Candidature retirée par le lieu" in page and "Candidature déposée" not in page


def test_a_bad_date_in_the_history_filter_is_shown_next_to_its_field(client: FlaskClient) -> None:
    page = client.get("/historique/?du=demain").get_data(as_text=True)
    assert 'id="du-error"' in page and "Date invalide" in page and 'value="demain"' in page


def test_numbers_and_dates_are_written_the_french_way(client: FlaskClient) -> None:
    page = client.get(f"/lieux/{TOMBE}").get_data(as_text=True)
    assert "2024" in page and ("janv." in page or "avr." in page or "sept." in page)
    assert "\u202f%" in page
