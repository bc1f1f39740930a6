"""The policies' refusals: their own codes, one class, and catalogues the outer layers add."""

from __future__ import annotations

import pytest

from policies import errors
from policies.declaration import parse_declaration
from policies.errors import CodedError, add_catalogue


def test_a_policy_code_has_a_french_and_an_english_message_filled_from_its_params() -> None:
    refused = CodedError("unknown_policy", policy="marge@1", known="proximity@1")
    assert refused.message() == (
        "Politique inconnue : « marge@1 ». Politiques disponibles : proximity@1."
    )
    assert refused.message("en") == "Unknown policy: 'marge@1'. Available policies: proximity@1."
    assert refused.as_dict()["params"] == {"policy": "marge@1", "known": "proximity@1"}


def test_an_unknown_code_is_a_programming_error_not_a_refusal() -> None:
    with pytest.raises(KeyError):
        CodedError("no_such_code")


def test_a_catalogue_added_by_an_outer_layer_is_read_as_it_grows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalogues = [errors.MESSAGES]
    monkeypatch.setattr(errors, "_CATALOGUES", catalogues)
    outer: dict[str, tuple[str, str]] = {}
    add_catalogue(outer)
    add_catalogue(outer)
    outer["closed"] = ("Fermé le {day}.", "Closed on {day}.")
    assert CodedError("closed", day="lundi").message("en") == "Closed on lundi."
    assert catalogues == [errors.MESSAGES, outer]


def test_the_registry_refusal_class_is_the_policies_one_so_either_catches_the_other() -> None:
    from registry.errors import RegistryError

    assert RegistryError is CodedError
    with pytest.raises(RegistryError) as refused:
        parse_declaration({"kind": "commerce", "marge": 30})
    assert refused.value.code == "margin_not_collected"
