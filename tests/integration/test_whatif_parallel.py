"""What-if over many places: half of them re-evaluated in a forked process, same answer."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from policies.engine import prepare
from registry.application import Registry
from registry.clock import PARIS
from registry.config import Settings
from registry.demo import load_demo
from registry.readmodels import whatif as whatif_module
from registry.readmodels.queries import places_as_of, views
from registry.readmodels.runner import catch_up
from registry.readmodels.whatif import SKIPPED, classified, resolve

DECEMBER = datetime(2024, 12, 1, 12, tzinfo=PARIS)


@pytest.fixture
def demo_views(tmp_path: Path) -> Iterator[Any]:
    """The demo's read models on SQLite, with no other thread running (forking is safe)."""
    settings = Settings(data=tmp_path / "data", database_url=None)
    settings.data.mkdir(parents=True)
    app = Registry(env=settings.event_store_env())
    load_demo(app, settings)
    app.close()
    catch_up(settings)
    with views(settings, up_to_date=False) as db:
        yield db


def remaining(db: Any, caisse: str) -> list[dict[str, Any]]:
    """The places a what-if re-evaluates in December 2024."""
    found = places_as_of(db, DECEMBER, caisse, evaluations=False)
    return [r for r in found if r["status"] not in SKIPPED]


def spied(monkeypatch: pytest.MonkeyPatch, fail_in_child: bool = False) -> list[int]:
    """Record how many places each call of `classify` in this process judged."""
    parent = os.getpid()
    classify = whatif_module.classify
    calls: list[int] = []

    def spy(places: list[dict[str, Any]], evaluate: Any, on: Any) -> list[Any]:
        if os.getpid() != parent and fail_in_child:
            raise RuntimeError("the second process fails")
        calls.append(len(places))  # seen by this process only
        return [
            (f"{change}@{os.getpid()}", entry) for change, entry in classify(places, evaluate, on)
        ]

    monkeypatch.setattr(whatif_module, "classify", spy)
    return calls


def test_the_second_half_is_judged_in_another_process_with_the_same_changes(
    demo_views: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = resolve(demo_views, "2025-1")
    places = remaining(demo_views, version.caisse)
    serial = whatif_module.classify(places, prepare(version), DECEMBER.date())
    assert threading.active_count() == 1 and len(places) >= 4
    monkeypatch.setattr(whatif_module, "PARALLEL_FROM", 2)
    calls = spied(monkeypatch)
    changes = classified(places, prepare(version), DECEMBER.date())
    half = len(places) // 2
    assert calls == [half]
    pids = [change.split("@")[1] for change, _ in changes]
    assert set(pids[:half]) == {str(os.getpid())}
    assert len(set(pids[half:])) == 1 and pids[half] != str(os.getpid())
    assert [(c.split("@")[0], e) for c, e in changes] == serial
    assert any(change.startswith("loss@") for change, _ in changes)


def test_when_the_second_process_fails_every_place_is_judged_here(
    demo_views: Any, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    version = resolve(demo_views, "2025-1")
    on = DECEMBER.date()
    places = remaining(demo_views, version.caisse)
    serial = whatif_module.classify(places, prepare(version), on)
    monkeypatch.setattr(whatif_module, "PARALLEL_FROM", 2)
    calls = spied(monkeypatch, fail_in_child=True)
    changes = classified(places, prepare(version), on)
    assert "the second process fails" in capfd.readouterr().err
    half = len(places) // 2
    assert calls == [half, len(places) - half]
    assert {c.split("@")[1] for c, _ in changes} == {str(os.getpid())}
    assert [(c.split("@")[0], e) for c, e in changes] == serial


def test_many_places_are_not_split_in_a_process_with_other_threads(
    demo_views: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = resolve(demo_views, "2025-1")
    places = remaining(demo_views, version.caisse)
    serial = whatif_module.classify(places, prepare(version), DECEMBER.date())
    monkeypatch.setattr(whatif_module, "PARALLEL_FROM", 2)
    calls = spied(monkeypatch)
    release = threading.Event()
    server = threading.Thread(target=release.wait)
    server.start()
    try:
        changes = classified(places, prepare(version), DECEMBER.date())
    finally:
        release.set()
        server.join()
    assert calls == [len(places)]
    assert [(c.split("@")[0], e) for c, e in changes] == serial
