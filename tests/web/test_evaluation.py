"""Evaluators replay the registry at a date, simulate another version, read indicators, export."""

from __future__ import annotations

import csv
import io
import zipfile

from flask import Flask
from flask.testing import FlaskClient

from registry.roles import Role
from tests.web.test_caisses import TOMBE, A, B, sign_in, text, two  # noqa: F401


def test_the_registry_replays_as_it_stood_at_the_end_of_a_day(login_as) -> None:
    client: FlaskClient = login_as(Role.EVALUATOR)
    page = client.get("/evaluation/rejouer?date=2024-12-31").get_data(as_text=True)
    assert "version 2024-1" in page and "Cantine de quartier Montsouris" not in page
    assert "Épicerie Le Panier de Plaisance" in page
    today = client.get("/evaluation/rejouer").get_data(as_text=True)
    assert "version 2025-1" in today and "Cantine de quartier Montsouris" in today


def test_a_bad_replay_date_is_said_next_to_the_field(login_as) -> None:
    page = login_as(Role.EVALUATOR).get("/evaluation/rejouer?date=hier").get_data(as_text=True)
    assert 'id="date-error"' in page and "Date invalide" in page and 'value="hier"' in page


def test_what_if_evaluates_every_active_place_under_a_version(login_as) -> None:
    client: FlaskClient = login_as(Role.EVALUATOR)
    page = client.get("/evaluation/simulation?version=2024-1").get_data(as_text=True)
    assert "Sous la version 2024-1" in page and "changeraient de statut" in page
    bad = client.get("/evaluation/simulation?version=1999").get_data(as_text=True)
    assert 'id="version-error"' in bad


def test_indicators_come_with_their_definitions_and_charts(login_as) -> None:
    client: FlaskClient = login_as(Role.OBSERVER)
    page = client.get("/evaluation/indicateurs/").get_data(as_text=True)
    assert page.count('<img class="chart"') == 6 and "Ce qui est mesuré, et comment" in page
    chart = client.get("/evaluation/indicateurs/approved_by_kind.png")
    assert chart.mimetype == "image/png" and chart.data.startswith(b"\x89PNG")
    assert client.get("/evaluation/indicateurs/nothing.png").status_code == 404


def test_the_export_lists_approved_places_at_a_date_as_csv_and_json(login_as) -> None:
    client: FlaskClient = login_as(Role.EVALUATOR)
    response = client.get("/evaluation/exports/lieux-conventionnes.csv?date=2025-12-31")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows and {"siret", "name", "street", "postcode", "coverage_rate"} <= set(rows[0])
    data = client.get("/evaluation/exports/lieux-conventionnes.json?date=2025-12-31").get_json()
    assert [p["siret"] for p in data["places"]] == [r["siret"] for r in rows]
    assert client.get("/evaluation/exports/lieux-conventionnes.xls").status_code == 404


def test_the_complete_export_downloads_as_a_zip(login_as) -> None:
    client: FlaskClient = login_as(Role.EVALUATOR)
    response = client.get("/evaluation/exports/export-complet.zip?date=2025-12-31")
    assert response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert "dictionnaire.md" in names and any(n.startswith("csv/") for n in names)
    assert client.get("/evaluation/exports/export-complet.zip?date=demain").status_code == 400


def test_with_several_caisses_the_complete_export_holds_the_chosen_caisse_only(
    two: Flask,  # noqa: F811
) -> None:
    client = two.test_client()
    sign_in(client, "evaluatrice-b")
    page = text(client, "/evaluation/exports")
    assert "Cet export ne contient que les données de la caisse" in page
    assert f'<input type="hidden" name="caisse" value="{B}">' in page
    assert "export-complet.zip?caisse=toutes" in page
    response = client.get("/evaluation/exports/export-complet.zip?date=2030-01-01")
    assert response.status_code == 200
    assert f"registre-export-{B}-2030-01-01.zip" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    places = archive.read("csv/places.csv").decode("utf-8")
    assert "La Cagette" in places and TOMBE not in places
    for name in archive.namelist():
        if name.endswith((".csv", ".json", ".jsonl")):
            assert TOMBE not in archive.read(name).decode("utf-8"), name
            assert A not in archive.read(name).decode("utf-8"), name
    of_a = client.get(f"/evaluation/exports/export-complet.zip?caisse={A}&date=2030-01-01")
    assert f"registre-export-{A}-2030-01-01.zip" in of_a.headers["Content-Disposition"]
    places_a = zipfile.ZipFile(io.BytesIO(of_a.data)).read("csv/places.csv").decode("utf-8")
    assert TOMBE in places_a and "La Cagette" not in places_a
    every = client.get("/evaluation/exports/export-complet.zip?caisse=toutes&date=2030-01-01")
    assert every.headers["Content-Disposition"].endswith('"registre-export-2030-01-01.zip"')
    places_all = zipfile.ZipFile(io.BytesIO(every.data)).read("csv/places.csv").decode("utf-8")
    assert TOMBE in places_all and "La Cagette" in places_all
    assert client.get("/evaluation/exports/export-complet.zip?caisse=nulle").status_code == 404
