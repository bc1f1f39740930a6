"""Read models on SQLite and PostgreSQL stores: applied once, resumable, identical on rebuild."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from registry.application import Registry
from registry.clock import PARIS, parse_moment
from registry.config import Settings
from registry.demo import load_demo
from registry.readmodels import api
from registry.readmodels import projection as projection_module
from registry.readmodels.queries import (
    replay_as_of,
    search_timeline,
    status,
    views,
)
from registry.readmodels.runner import catch_up, close, follow, rebuild, views_path
from registry.readmodels.schema import TABLES
from registry.readmodels.view import CatchUpView, RebuildView
from registry.readmodels.whatif import resolve, whatif
from registry.views import place_view


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every read-model table's rows, in primary-key order."""
    conn = sqlite3.connect(path)
    try:
        return {
            t.name: conn.execute(
                f"SELECT * FROM {t.name} ORDER BY {', '.join(t.pk)}"  # noqa: S608
            ).fetchall()
            for t in TABLES
        }
    finally:
        conn.close()


def search_all(settings: Settings, words: str) -> list[int]:
    with views(settings, up_to_date=False) as db:
        return sorted(r["seq"] for r in search_timeline(db, words, limit=1000))


@pytest.fixture
def demo(settings: Settings) -> Iterator[Registry]:
    """The demo history with its governance, on the store under test."""
    settings.data.mkdir(parents=True, exist_ok=True)
    app = Registry(env=settings.event_store_env())
    load_demo(app)
    app.demo_governance()
    yield app
    app.close()


def test_every_place_in_the_views_matches_its_aggregate(settings: Settings, demo: Registry) -> None:
    assert catch_up(settings) == demo.recorder.max_notification_id()
    with views(settings, up_to_date=False) as db:
        for place in demo.places():
            expected = place_view(place)
            found = status(db, place.siret)
            assert found is not None
            for key in ("status", "reason", "decision", "approved_under", "coverage_rate"):
                assert found[key] == expected[key], (place.name, key)
            assert datetime.fromisoformat(found["since"]) == place.status_since


def test_the_registry_as_of_any_moment_matches_the_aggregates_then(
    settings: Settings, demo: Registry
) -> None:
    catch_up(settings)
    events = demo.recorder.select_notifications(1, 10_000)
    stamps = sorted({demo.mapper.to_domain_event(n).timestamp for n in events})
    moments = stamps[::9] + [s - timedelta(microseconds=1) for s in stamps[1::13]]
    with views(settings, up_to_date=False) as db:
        for moment in moments:
            replay = replay_as_of(db, moment)
            seen = {p["siret"]: p for p in replay["places"]}
            for place in demo.places():
                then = demo.place_at(place.siret, moment)
                if then is None:
                    assert place.siret not in seen
                    continue
                assert seen[place.siret]["status"] == str(then.status), (moment, place.name)
                assert seen[place.siret]["reason"] == then.status_reason
                assert seen[place.siret]["name"] == then.name


def test_before_the_first_event_the_registry_is_empty_not_an_error(
    settings: Settings, demo: Registry
) -> None:
    catch_up(settings)
    with views(settings, up_to_date=False) as db:
        replay = replay_as_of(db, parse_moment("2020-01-01"))
    assert replay["places"] == [] and replay["criteria"] == {} and replay["caisses"] == []


def test_the_criteria_in_force_on_1_march_and_why_each_place_stood_where_it_did(
    settings: Settings, demo: Registry
) -> None:
    catch_up(settings)
    with views(settings, up_to_date=False) as db:
        replay = replay_as_of(db, parse_moment("2025-03-01"))
        assert replay["criteria"]["paris-14e"]["version"] == "2025-1"
        approved = [p for p in replay["places"] if p["status"] == "conventionne"]
        assert approved and all(p["reason"] and p["evaluation"] for p in approved)
    one = api.place_as_of(settings, approved[0]["siret"], parse_moment("2025-03-01"))
    assert one is not None and one["status"] == "conventionne"
    results = one["evaluation"]["results"]
    assert {r["key"] for r in results} >= {"agriculture_paysanne", "proximite"}
    assert all(r["explanation_fr"] and r["outcome"] for r in results)
    assert set(one["evaluation"]["outcomes"]) == {r["key"] for r in results}


def test_each_event_is_applied_exactly_once(settings: Settings, demo: Registry) -> None:
    catch_up(settings)
    before = dump(views_path(settings))
    assert catch_up(settings) == 0
    assert dump(views_path(settings)) == before
    runner = follow(settings)
    try:
        notification = demo.recorder.select_notifications(5, 1)[0]
        event = demo.mapper.to_domain_event(notification)
        with pytest.raises(IntegrityError):
            runner.projection.process_event(event, Tracking("registry", notification.id))
    finally:
        close(runner)
    assert dump(views_path(settings)) == before


def test_a_crash_midway_resumes_where_it_stopped_and_matches_a_full_rebuild(
    settings: Settings, demo: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    total = demo.recorder.max_notification_id()
    write_timeline = projection_module._timeline

    def crash_at_150(view: Any, event: Any, tracking: Tracking, subject: Any) -> None:
        write_timeline(view, event, tracking, subject)
        if tracking.notification_id == 150:
            raise RuntimeError("power cut")  # after the event's writes, before any commit

    monkeypatch.setattr(CatchUpView, "batch_size", 40)
    monkeypatch.setattr(projection_module, "_timeline", crash_at_150)
    with pytest.raises(RuntimeError, match="power cut"):
        catch_up(settings, timeout=30)
    with views(settings, up_to_date=False) as db:
        tracked = "SELECT notification_id FROM tracking WHERE application_name = 'registry'"
        committed = db.execute(tracked).fetchone()[0]
        rows = db.execute("SELECT COUNT(*) FROM timeline").fetchone()[0]
    assert 40 <= committed < 150 and rows == committed  # nothing of the open batch
    monkeypatch.setattr(projection_module, "_timeline", write_timeline)
    assert catch_up(settings) == total - 120
    resumed, found = dump(views_path(settings)), search_all(settings, "conventionné")
    rebuild(settings)
    assert dump(views_path(settings)) == resumed
    assert search_all(settings, "conventionné") == found and found


def test_rebuild_gives_identical_tables_to_views_kept_up_to_date_step_by_step(
    settings: Settings,
) -> None:
    settings.data.mkdir(parents=True, exist_ok=True)
    app = Registry(env=settings.event_store_env())
    try:
        runner = follow(settings)
        try:
            load_demo(app)
            runner.wait(app.recorder.max_notification_id(), timeout=30)
            app.demo_governance()
            runner.wait(app.recorder.max_notification_id(), timeout=30)
        finally:
            close(runner)
        kept = dump(views_path(settings))
        words = search_all(settings, "suspendu")
        assert rebuild(settings) == app.recorder.max_notification_id()
        assert dump(views_path(settings)) == kept
        assert search_all(settings, "suspendu") == words and words
    finally:
        app.close()


@pytest.mark.parametrize("writer_decodes", [True, False], ids=["writer-decodes", "all-here"])
def test_rebuild_gives_the_same_tables_whichever_process_decodes_the_votes(
    settings: Settings, demo: Registry, monkeypatch: pytest.MonkeyPatch, writer_decodes: bool
) -> None:
    catch_up(settings)
    kept, words = dump(views_path(settings)), search_all(settings, "vote")
    assert kept["timeline"] and any(r[8] == "VoteCast" for r in kept["timeline"])
    monkeypatch.setattr(RebuildView, "batch_size", 25)
    monkeypatch.setattr(RebuildView, "has_room", lambda self: writer_decodes)
    assert rebuild(settings) == demo.recorder.max_notification_id()
    assert dump(views_path(settings)) == kept
    assert search_all(settings, "vote") == words


def test_whatif_lists_who_would_lose_approval_under_another_version_with_reasons(
    settings: Settings, demo: Registry
) -> None:
    catch_up(settings)
    december = datetime(2024, 12, 1, 12, tzinfo=PARIS)
    with views(settings, up_to_date=False) as db:
        result = whatif(db, resolve(db, "2025-1"), december)
        same = whatif(db, resolve(db, "2024-1"), december)
    assert result["in_force"] == "2024-1" and result["criteria_version"] == "2025-1"
    assert result["losses"], "the March 2025 revision raised the peasant share threshold"
    for loss in result["losses"]:
        assert loss["status"] == "conventionne" and loss["verdict"] == "refused"
        assert loss["summary_fr"].startswith("Critères 2025-1")
        assert loss["criteria_not_met"] and all(
            c["explanation_fr"] for c in loss["criteria_not_met"]
        )
        assert demo.evaluate_place(loss["siret"], "2025-1", december.date()).verdict == "refused"
    assert same["losses"] == [] and same["gains"] == []
