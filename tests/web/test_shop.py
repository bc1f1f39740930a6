"""Shops and producers apply, amend and withdraw through the form built from the model."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from registry.roles import Role
from tests.helpers import make_siret
from tests.web.conftest import csrf_token, log_in, post_form
from web import store
from web.declaration_form import SPECS, values_from

TOMBE = "81400140000013"


def shop_form(**changes: Any) -> dict[str, Any]:
    """The form fields of a valid shop declaration."""
    data: dict[str, Any] = {
        "kind": "commerce",
        "name": "Épicerie du Coin",
        "siret": make_siret(901),
        "caisse": "paris-14e",
        "address.street": "12 rue Didot",
        "address.postcode": "75014",
        "address.city": "Paris",
        "quartier": "Plaisance",
        "product_categories": [
            "fruits_legumes",
            "pain_cereales",
            "produits_laitiers",
            "oeufs",
            "legumineuses",
            "epicerie_seche",
        ],
        "supply.peasant_share": "72,5",
        "supply.short_chain_share": "60",
        "supply.supplier_distances_km": "12 ; 40,5",
        "opening_hours.0.day": "mardi",
        "opening_hours.0.opens": "09:00",
        "opening_hours.0.closes": "19:30",
        "accessibility.step_free": "oui",
        "accessibility.accepts_allocation": "oui",
        "accessibility.languages": "français, arabe",
        "payment_means": ["especes", "carte", "allocation_ssa"],
        "business.legal_form": "independant",
        "business.employees": "3",
    }
    data.update(changes)
    return data


def events_count(client: FlaskClient) -> int:
    return store.registry_of(client.application).recorder.max_notification_id() or 0


def test_the_form_has_a_field_for_every_field_of_the_declaration_model(
    client: FlaskClient,
) -> None:
    log_in(client, "producteur")
    page = client.get("/candidater").get_data(as_text=True)

    def walk(specs: list[Any]) -> list[str]:
        return [p for s in specs for p in ([s.path] + walk(s.children))]

    for path in walk(SPECS):
        if path.startswith("opening_hours."):
            path = path.replace("opening_hours.", "opening_hours.0.")
        assert f'name="{path}"' in page or f'id="{path.replace(".", "-")}"' in page, path
    assert "Part de l&#39;approvisionnement venant de fermes paysannes" in page or (
        "Part de l'approvisionnement venant de fermes paysannes" in page
    )
    assert not re.search(r'name="[^"]*(marg|markup)', page)


def test_a_producer_applies_and_is_evaluated_at_once(client: FlaskClient) -> None:
    log_in(client, "producteur")
    response = post_form(client, "/candidater", shop_form(), form_url="/candidater")
    assert response.status_code == 302, response.get_data(as_text=True)
    siret = make_siret(901)
    assert response.headers["Location"] == f"/lieux/{siret}"
    page = client.get(f"/lieux/{siret}").get_data(as_text=True)
    assert "Épicerie du Coin" in page and "Critère par critère" in page
    place = store.registry_of(client.application).place(siret)
    assert place.declaration["supply"]["peasant_share"] == 72.5
    assert place.declaration["supply"]["supplier_distances_km"] == [12.0, 40.5]
    assert place.declaration["accessibility"]["languages"] == ["français", "arabe"]
    assert store.accounts_of(client.application).get("producteur").sirets == (siret,)


def test_form_errors_are_in_french_next_to_each_field_and_nothing_is_stored(
    client: FlaskClient,
) -> None:
    log_in(client, "producteur")
    before = events_count(client)
    bad = shop_form(
        siret="12345678901234",
        **{
            "address.postcode": "750",
            "supply.peasant_share": "beaucoup",
            "opening_hours.2.day": "jeudi",
            "opening_hours.2.opens": "18:00",
            "opening_hours.2.closes": "09:00",
            "name": "",
        },
    )
    response = post_form(client, "/candidater", bad, form_url="/candidater")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="siret-error"' in page and "la clé de contrôle est fausse" in page
    assert 'id="address-postcode-error"' in page and "format invalide" in page
    assert 'id="supply-peasant_share-error"' in page and "doit être un nombre" in page
    assert 'id="name-error"' in page and "champ obligatoire manquant" in page
    assert (
        "l&#39;heure de fermeture doit suivre" in page or "l'heure de fermeture doit suivre" in page
    )
    assert 'value="beaucoup"' in page and 'value="750"' in page and 'value="12345678901234"' in page
    assert 'aria-invalid="true"' in page and "Rien n'a été enregistré" in page
    assert events_count(client) == before


def test_a_producer_without_a_farm_is_told_next_to_the_farm_fieldset(client: FlaskClient) -> None:
    log_in(client, "producteur")
    response = post_form(
        client, "/candidater", shop_form(kind="producteur"), form_url="/candidater"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="farm-error"' in page and "ferme" in page


def test_a_second_application_for_a_siret_is_refused_next_to_the_siret(client: FlaskClient) -> None:
    log_in(client, "producteur")
    before = events_count(client)
    response = post_form(client, "/candidater", shop_form(siret=TOMBE), form_url="/candidater")
    page = response.get_data(as_text=True)
    assert (
        response.status_code == 400
        and 'id="siret-error"' in page
        and "déjà une candidature" in page
    )
    assert events_count(client) == before


def test_the_amend_form_shows_the_stored_declaration(client: FlaskClient) -> None:
    log_in(client, "commerce")
    page = client.get(f"/lieux/{TOMBE}/modifier").get_data(as_text=True)
    declaration = store.registry_of(client.application).place(TOMBE).declaration
    values = values_from(declaration)
    assert f'value="{values["address.street"]}"' in page
    assert 'value="66"' in page  # the amended peasant share


def test_a_shop_amends_its_declaration_and_is_evaluated_again(client: FlaskClient) -> None:
    log_in(client, "commerce")
    declaration = store.registry_of(client.application).place(TOMBE).declaration
    form = values_from(declaration)
    form["presentation"] = "Épicerie de quartier, vrac et produits paysans."
    response = post_form(
        client, f"/lieux/{TOMBE}/modifier", form, form_url=f"/lieux/{TOMBE}/modifier"
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    place = store.registry_of(client.application).place(TOMBE)
    assert place.declaration["presentation"].startswith("Épicerie de quartier")
    assert place.declaration["supply"] == declaration["supply"]


def test_a_shop_cannot_amend_a_place_it_does_not_speak_for(client: FlaskClient) -> None:
    log_in(client, "commerce")
    assert client.get("/lieux/81400007100013/modifier").status_code == 403
    response = post_form(
        client, "/lieux/81400007100013/retirer", {"reason": "x"}, form_url="/mon-lieu"
    )
    assert response.status_code == 403


def test_a_shop_sees_its_status_and_what_is_missing(client: FlaskClient) -> None:
    log_in(client, "commerce")
    page = client.get("/mon-lieu").get_data(as_text=True)
    assert "Épicerie de la Tombe-Issoire" in page and "conventionné" in page
    assert "Critère par critère" in page


def test_a_shop_withdraws_with_a_reason(client: FlaskClient) -> None:
    log_in(client, "commerce")
    url = f"/lieux/{TOMBE}/retirer"
    response = post_form(client, url, {"reason": ""}, form_url=url)
    assert response.status_code == 400 and 'id="reason-error"' in response.get_data(as_text=True)
    response = post_form(client, url, {"reason": "Fin du bail"}, form_url=url)
    assert response.status_code == 302
    assert store.registry_of(client.application).place(TOMBE).status.value == "retire"


def test_an_amendment_with_a_forged_csrf_token_stores_nothing(client: FlaskClient) -> None:
    log_in(client, "commerce")
    before = events_count(client)
    csrf_token(client, "/mon-lieu")
    form = values_from(store.registry_of(client.application).place(TOMBE).declaration)
    response = client.post(f"/lieux/{TOMBE}/modifier", data={**form, "csrf_token": "forged"})
    assert response.status_code == 400 and events_count(client) == before


def test_only_place_accounts_may_apply(login_as) -> None:
    client = login_as(Role.MEMBER)
    assert client.get("/candidater").status_code == 403
