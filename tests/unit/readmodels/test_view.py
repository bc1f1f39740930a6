"""The view applies each event once: its rows and its tracking row commit together or not at all."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import InfrastructureFactory, IntegrityError, Tracking
from eventsourcing.utils import Environment

from registry.declaration import parse_declaration
from registry.domain.places import Place
from registry.readmodels.projection import RegistryProjection
from registry.readmodels.view import CatchUpView, ReadModelView
from registry.roles import Actor, Role
from tests.helpers import shop

BY = Actor("animatrice", Role.FACILITATOR)


def view_in(path: Path, view_class: type[ReadModelView]) -> ReadModelView:
    env = Environment(
        "V", {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}
    )
    factory = InfrastructureFactory[ReadModelView].construct(env=env)
    return factory.tracking_recorder(view_class)


@pytest.fixture
def events() -> list[Any]:
    """A place applies, is evaluated, approved, then suspended."""
    place = Place.create(parse_declaration(shop()), Actor("x", Role.PLACE))
    place.record_evaluation(
        {"criteria_version": "2024-1", "verdict": "approved", "results": []}, "candidature", BY
    )
    place.approve("Critères remplis", "critères 2024-1", "2024-1", 80.0, BY)
    place.suspend("Signalement", "réunion", BY)
    return list(place.collect_events())


@pytest.fixture
def projection(tmp_path: Path) -> Iterator[RegistryProjection]:
    view = view_in(tmp_path / "views.sqlite3", ReadModelView)
    yield RegistryProjection(view)
    view.close()


def counts(path: Path) -> tuple[int, int, int | None]:
    conn = sqlite3.connect(path)
    try:
        timeline = conn.execute("SELECT COUNT(*) FROM timeline").fetchone()[0]
        changes = conn.execute("SELECT COUNT(*) FROM status_changes").fetchone()[0]
        tracked = conn.execute(
            "SELECT notification_id FROM tracking WHERE application_name = 'registry'"
        ).fetchone()
        return timeline, changes, tracked[0] if tracked else None
    finally:
        conn.close()


def test_each_event_commits_with_its_tracking_row(
    projection: RegistryProjection, events: list[Any], tmp_path: Path
) -> None:
    for n, event in enumerate(events, start=1):
        projection.process_event(event, Tracking("registry", n))
        assert counts(tmp_path / "views.sqlite3")[0] == n
    assert counts(tmp_path / "views.sqlite3") == (4, 3, 4)


def test_the_same_event_twice_is_refused_and_changes_nothing(
    projection: RegistryProjection, events: list[Any], tmp_path: Path
) -> None:
    for n, event in enumerate(events[:3], start=1):
        projection.process_event(event, Tracking("registry", n))
    before = counts(tmp_path / "views.sqlite3")
    with pytest.raises(IntegrityError):
        projection.process_event(events[2], Tracking("registry", 3))
    assert counts(tmp_path / "views.sqlite3") == before
    projection.process_event(events[3], Tracking("registry", 4))
    assert counts(tmp_path / "views.sqlite3") == (4, 3, 4)


def test_a_failing_event_leaves_neither_its_rows_nor_its_tracking(
    projection: RegistryProjection,
    events: list[Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    projection.process_event(events[0], Tracking("registry", 1))

    def broken(*args: Any) -> None:
        raise RuntimeError("disk error")

    monkeypatch.setattr(projection.places, "evaluated", broken)
    with pytest.raises(RuntimeError):
        projection.process_event(events[1], Tracking("registry", 2))
    assert counts(tmp_path / "views.sqlite3") == (1, 1, 1)


def test_a_batch_is_invisible_until_it_commits_then_complete(
    events: list[Any], tmp_path: Path
) -> None:
    view = view_in(tmp_path / "views.sqlite3", CatchUpView)
    try:
        projection = RegistryProjection(view)
        for n, event in enumerate(events, start=1):
            projection.process_event(event, Tracking("registry", n))
        assert counts(tmp_path / "views.sqlite3") == (0, 0, None)
        view.flush()
        assert counts(tmp_path / "views.sqlite3") == (4, 3, 4)
        assert view.max_tracking_id("registry") == 4
    finally:
        view.close()
