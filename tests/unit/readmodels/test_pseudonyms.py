"""Members appear in read models and exports only through a stable pseudonymous key."""

from __future__ import annotations

from registry.governance.ids import member_id
from registry.readmodels.common import actor_key, pseudonymise
from registry.readmodels.governance import pseudonymise_tally


def test_places_and_the_registry_keep_their_public_names() -> None:
    assert actor_key("81400007100013", "lieu", "paris-14e") == "81400007100013"
    assert actor_key("registre", "systeme", "paris-14e") == "registre"


def test_a_member_is_a_stable_key_the_same_as_their_member_record() -> None:
    key = actor_key("Zélie", "membre", "paris-14e")
    assert key == actor_key("Zélie", "animateur", "paris-14e")
    assert key == pseudonymise(member_id("paris-14e", "Zélie"))
    assert key is not None and key.startswith("m-") and "Zélie" not in key


def test_two_members_never_share_a_key_and_caisses_keep_them_apart() -> None:
    assert actor_key("Zélie", "membre", "paris-14e") != actor_key("Odile", "membre", "paris-14e")
    assert actor_key("Zélie", "membre", "paris-14e") != actor_key("Zélie", "membre", "lyon-8e")


def test_a_tally_keeps_its_reasons_but_not_the_names_of_who_objected() -> None:
    tally = {"objections": [{"member": "Karim", "reason": "trop tôt"}], "for": 3}
    hidden = pseudonymise_tally(tally, "paris-14e")
    assert hidden["objections"][0]["reason"] == "trop tôt" and hidden["for"] == 3
    assert hidden["objections"][0]["member"] == actor_key("Karim", "membre", "paris-14e")
    assert pseudonymise_tally({"member": "réunion"}, "paris-14e") == {"member": "réunion"}
