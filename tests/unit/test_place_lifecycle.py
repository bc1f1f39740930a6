"""The place lifecycle: every transition allowed or refused with a clear message."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from registry.declaration import parse_declaration
from registry.domain.places import ALLOWED, Place, Status
from registry.errors import RegistryError
from registry.ids import place_id
from registry.roles import Actor, Role
from tests.helpers import shop

BY = Actor("animateur", Role.FACILITATOR)

ACTIONS: dict[str, Callable[[Place], None]] = {
    "amend": lambda p: p.amend(parse_declaration(shop(name="Nouveau nom")), BY),
    "evaluate": lambda p: p.record_evaluation({"criteria_version": "x"}, "test", BY),
    "approve": lambda p: p.approve("critères remplis", "test", "2024-1", 80.0, BY),
    "refuse": lambda p: p.refuse("critères non remplis", "test", BY),
    "suspend": lambda p: p.suspend("signalement", "test", BY),
    "withdraw": lambda p: p.withdraw("fermeture", "test", BY),
    "withdraw_approval": lambda p: p.withdraw_approval("plus conforme", "test", BY),
    "renew": lambda p: p.renew("revue annuelle", "test", "2024-1", 100.0, BY),
}

# How to bring a new place to each status.
REACH: dict[Status, list[str]] = {
    Status.PENDING: [],
    Status.APPROVED: ["approve"],
    Status.REFUSED: ["refuse"],
    Status.SUSPENDED: ["approve", "suspend"],
    Status.WITHDRAWN: ["withdraw"],
    Status.DECONVENTIONNE: ["approve", "withdraw_approval"],
}


def place_in(status: Status) -> Place:
    place = Place.create(parse_declaration(shop()), Actor("lieu", Role.PLACE))
    for action in REACH[status]:
        ACTIONS[action](place)
    assert place.status is status
    return place


def test_a_place_id_derives_from_its_siret() -> None:
    place = place_in(Status.PENDING)
    assert place.id == place_id(place.siret)


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_is_allowed_exactly_from_the_statuses_the_table_says(
    status: Status, action: str
) -> None:
    place = place_in(status)
    before = len(place.pending_events)
    if status in ALLOWED[action]:
        ACTIONS[action](place)
        assert len(place.pending_events) == before + 1
    else:
        with pytest.raises(RegistryError) as caught:
            ACTIONS[action](place)
        assert caught.value.code == "illegal_transition"
        assert place.name in caught.value.message()
        assert len(place.pending_events) == before


def test_amending_a_refused_place_makes_it_a_new_application() -> None:
    place = place_in(Status.REFUSED)
    ACTIONS["amend"](place)
    assert place.status is Status.PENDING
    assert place.name == "Nouveau nom"


def test_a_decision_without_a_reason_is_refused() -> None:
    place = place_in(Status.PENDING)
    with pytest.raises(RegistryError) as caught:
        place.refuse("   ", "test", BY)
    assert caught.value.code == "reason_required"


def test_an_amendment_cannot_change_the_siret_or_the_caisse() -> None:
    place = place_in(Status.PENDING)
    other = dict(shop())
    other["siret"] = "73282932000074"
    with pytest.raises(RegistryError, match="ne correspond pas"):
        place.amend(parse_declaration(other), BY)
    with pytest.raises(RegistryError, match="ne change pas de caisse"):
        place.amend(parse_declaration(shop(caisse="paris-18e")), BY)


def test_every_event_records_who_and_in_which_role() -> None:
    place = place_in(Status.SUSPENDED)
    for event in place.pending_events:
        assert event.actor and event.role
        assert event.timestamp.tzinfo is not None
    assert place.pending_events[-1].role == "animateur"
