"""Ids of the aggregates of one kind: read once, then only what was stored since."""

from __future__ import annotations

from typing import Any

import pytest

from registry.application import Registry
from registry.config import Settings
from registry.declaration import Declaration
from registry.domain.places import Place
from registry.roles import Actor, Role
from tests.helpers import make_siret, shop

SHOP = Actor("commerce-test", Role.PLACE)


def apply(app: Registry, number: int) -> Place:
    declaration = Declaration.model_validate(shop(siret=make_siret(number), name=f"Lieu {number}"))
    return app.apply(declaration, SHOP)


def test_ids_are_those_stored_in_order_and_later_calls_read_only_what_is_new(
    app: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = list(app.ids_of(Place.Applied))
    added = [apply(app, 9100 + n).id for n in range(3)]
    assert list(app.ids_of(Place.Applied)) == before + added
    starts: list[int] = []
    select = app.recorder.select_notifications

    def spied(start: int, *args: Any, **kwargs: Any) -> Any:
        starts.append(start)
        return select(start, *args, **kwargs)

    monkeypatch.setattr(app.recorder, "select_notifications", spied)
    assert list(app.ids_of(Place.Applied)) == before + added
    assert starts == []  # nothing stored since: the log is not read again
    last = app.recorder.max_notification_id() or 0
    newest = apply(app, 9200).id
    assert list(app.ids_of(Place.Applied)) == [*before, *added, newest]
    assert starts and min(starts) > last  # only what was stored since


def test_another_process_s_events_are_found_too(app: Registry, settings: Settings) -> None:
    before = list(app.ids_of(Place.Applied))
    other = Registry(env=settings.event_store_env())
    try:
        theirs = apply(other, 9300).id
    finally:
        other.close()
    assert list(app.ids_of(Place.Applied)) == [*before, theirs]
