"""Declarations: valid facts in, every bad input refused with a clear French message."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, get_args

import pytest
from pydantic import BaseModel

from policies.declaration import Declaration, PlaceKind, _is_margin_key, parse_declaration
from registry.errors import RegistryError
from tests.helpers import producer, shop


def test_the_example_shop_and_producer_are_valid_declarations() -> None:
    assert parse_declaration(shop()).kind is PlaceKind.COMMERCE
    assert parse_declaration(producer()).farm is not None


def test_a_siret_with_spaces_is_stored_compact() -> None:
    raw = shop()
    spaced = f"{raw['siret'][:3]} {raw['siret'][3:6]} {raw['siret'][6:9]} {raw['siret'][9:]}"
    assert parse_declaration(shop(siret=spaced)).siret == raw["siret"]


@pytest.mark.parametrize(
    ("siret", "reason"),
    [
        ("123", "14 chiffres"),
        ("73282932000075", "clé de contrôle"),
        ("7328293200007A", "chiffres"),
    ],
)
def test_an_invalid_siret_is_refused_saying_why(siret: str, reason: str) -> None:
    with pytest.raises(RegistryError) as caught:
        parse_declaration(shop(siret=siret))
    assert caught.value.code == "invalid_declaration"
    assert "siret" in caught.value.message() and reason in caught.value.message()


@pytest.mark.parametrize(
    "path",
    [("marge",), ("margin",), ("taux_de_marge",), ("supply", "gross_margin"), ("Marge brute",)],
)
def test_a_declaration_carrying_a_margin_is_refused_whatever_the_spelling(
    path: tuple[str, ...],
) -> None:
    raw = shop()
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = 32.5
    with pytest.raises(RegistryError) as caught:
        parse_declaration(raw)
    assert caught.value.code == "margin_not_collected"
    assert "la marge n'est pas un critère de conventionnement" in caught.value.message()
    assert "margin is not a conventionnement criterion" in caught.value.message("en")


def test_a_margin_is_named_before_any_other_error_and_from_json_too() -> None:
    raw = shop(siret="123")
    del raw["address"]
    raw["opening_hours"] = [{"day": "lundi", "opens": "09:00", "closes": "19:00", "marge": 30}]
    with pytest.raises(RegistryError) as caught:
        parse_declaration(raw)
    assert caught.value.code == "margin_not_collected"
    assert "opening_hours[0].marge" in caught.value.message()
    with pytest.raises(RegistryError) as caught:
        Declaration.model_validate_json(json.dumps(shop(markup=12)))
    assert caught.value.code == "margin_not_collected"


def _fields(model: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every field's dotted path in a declaration, with the model that declares it."""
    for name, info in model.model_fields.items():
        yield f"{prefix}{name}", model
        for inner in (info.annotation, *get_args(info.annotation)):
            for candidate in (inner, *get_args(inner)):
                if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                    yield from _fields(candidate, f"{prefix}{name}.")


def test_no_declared_field_names_a_margin_and_every_model_forbids_other_keys() -> None:
    # What lets a declaration that validates skip the search for a margin key.
    fields = dict(_fields(Declaration))
    assert "supply.peasant_share" in fields and "opening_hours.closes" in fields
    assert [p for p in fields if _is_margin_key(p.rsplit(".", 1)[-1])] == []
    assert all(m.model_config.get("extra") == "forbid" for m in fields.values())


def test_a_missing_field_is_named() -> None:
    raw = shop()
    del raw["address"]
    with pytest.raises(RegistryError) as caught:
        parse_declaration(raw)
    assert "address : champ obligatoire manquant" in caught.value.message()


def test_an_unknown_field_is_refused() -> None:
    with pytest.raises(RegistryError) as caught:
        parse_declaration(shop(surface_m2=80))
    assert "surface_m2 : champ inconnu" in caught.value.message()


def test_a_producer_must_describe_its_farm() -> None:
    with pytest.raises(RegistryError) as caught:
        parse_declaration(producer(farm=None))
    assert "ferme" in caught.value.message()


def test_an_opening_slot_must_close_after_it_opens() -> None:
    slots = [{"day": "lundi", "opens": "19:00", "closes": "08:00"}]
    with pytest.raises(RegistryError) as caught:
        parse_declaration(shop(opening_hours=slots))
    assert "fermeture" in caught.value.message()


def test_a_declaration_is_immutable() -> None:
    declaration = parse_declaration(shop())
    with pytest.raises(ValueError):
        declaration.name = "Autre"  # type: ignore[misc]
