"""A rebuild's view: a writer process commits each batch with its tracking row, or nothing."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import Tracking

from registry.declaration import parse_declaration
from registry.domain.places import Place
from registry.readmodels.projection import RegistryProjection
from registry.readmodels.schema import TABLES
from registry.readmodels.view import (
    ReadModelView,
    RebuildView,
    WriterError,
    pack,
    unpack,
)
from registry.roles import Actor, Role
from tests.helpers import shop
from tests.unit.readmodels.test_view import BY, counts, view_in


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


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {
            t.name: conn.execute(f"SELECT * FROM {t.name} ORDER BY {', '.join(t.pk)}").fetchall()  # noqa: S608
            for t in TABLES
        }
    finally:
        conn.close()


def project(path: Path, view_class: type[ReadModelView], events: list[Any]) -> None:
    view = view_in(path, view_class)
    try:
        projection = RegistryProjection(view)
        for n, event in enumerate(events, start=1):
            projection.process_event(event, Tracking("registry", n))
    finally:
        view.close()


def test_the_rebuild_view_writes_the_same_tables_as_the_live_view(
    events: list[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RebuildView, "batch_size", 2)
    project(tmp_path / "live.sqlite3", ReadModelView, events)
    project(tmp_path / "rebuilt.sqlite3", RebuildView, events)
    assert counts(tmp_path / "rebuilt.sqlite3") == (4, 3, 4)
    assert dump(tmp_path / "rebuilt.sqlite3") == dump(tmp_path / "live.sqlite3")


def test_each_handed_over_batch_commits_with_its_tracking_row(
    events: list[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RebuildView, "batch_size", 2)
    view = view_in(tmp_path / "views.sqlite3", RebuildView)
    assert isinstance(view, RebuildView)
    try:
        projection = RegistryProjection(view)
        for n, event in enumerate(events[:3], start=1):
            projection.process_event(event, Tracking("registry", n))
        view.wait_written()
        assert counts(tmp_path / "views.sqlite3") == (2, 1, 2)  # the third is still open
    finally:
        view.close()
    assert counts(tmp_path / "views.sqlite3") == (3, 2, 3)


def test_reads_see_what_the_writer_committed_when_the_caches_are_empty(
    events: list[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RebuildView, "batch_size", 1)
    project(tmp_path / "live.sqlite3", ReadModelView, events)
    view = view_in(tmp_path / "rebuilt.sqlite3", RebuildView)
    try:
        projection = RegistryProjection(view)
        for n, event in enumerate(events, start=1):
            projection.aggregates.forget()
            projection.places._cache.clear()
            projection.process_event(event, Tracking("registry", n))
    finally:
        view.close()
    assert dump(tmp_path / "rebuilt.sqlite3") == dump(tmp_path / "live.sqlite3")


def test_a_failing_batch_is_rolled_back_and_its_tracking_never_recorded(
    events: list[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RebuildView, "batch_size", 2)
    view = view_in(tmp_path / "views.sqlite3", RebuildView)
    assert isinstance(view, RebuildView)
    try:
        projection = RegistryProjection(view)
        for n, event in enumerate(events, start=1):
            projection.process_event(event, Tracking("registry", n))
        # The same application again: the place exists, the writer's insert fails.
        projection.process_event(events[1], Tracking("registry", 5))
        projection.process_event(events[0], Tracking("registry", 6))
        with pytest.raises(WriterError, match="IntegrityError"):
            view.wait_written()
        with pytest.raises(WriterError):
            projection.process_event(events[2], Tracking("registry", 7))
            view.flush()
    finally:
        view.discard()
    assert counts(tmp_path / "views.sqlite3") == (4, 3, 4)


def test_a_failure_found_when_closing_is_raised_and_its_batch_left_out(
    events: list[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RebuildView, "batch_size", 10)
    view = view_in(tmp_path / "views.sqlite3", RebuildView)
    projection = RegistryProjection(view)
    for n, event in enumerate([*events, events[0]], start=1):
        projection.process_event(event, Tracking("registry", n))
    with pytest.raises(WriterError):
        view.close()
    assert counts(tmp_path / "views.sqlite3") == (0, 0, None)


@pytest.mark.parametrize(
    "message",
    [
        ("batch", [("UPDATE t SET a = ?", [[1], [2]])], {"x": [(1, "é", None, 2.5)]}, 1, "r", 2),
        ("sync",),
        ("error", "IntegrityError", "UNIQUE constraint failed", "trace"),
        ("x", Place.Approved.__name__, {"when": Path("/")}),
    ],
)
def test_messages_cross_the_pipe_unchanged(message: tuple[Any, ...]) -> None:
    ours, theirs = multiprocessing.Pipe()
    try:
        ours.send_bytes(pack(message))
        ours.send_bytes(pack(("close",)))
        assert unpack(theirs.recv_bytes()) == message
        assert unpack(theirs.recv_bytes()) == ("close",)
    finally:
        ours.close()
        theirs.close()
