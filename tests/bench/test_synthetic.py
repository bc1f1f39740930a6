"""The benchmark's synthetic history is made of events exactly as the registry stores them."""

from __future__ import annotations

from pathlib import Path

from bench.synthetic import History, Plan, criteria_versions, siret
from registry.application import Registry
from registry.domain.places import Place


def test_a_plan_keeps_a_realistic_mix_at_any_scale() -> None:
    small, large = Plan.of(200, 5000), Plan.of(10_000, 1_000_000)
    assert 2 <= small.versions <= large.versions
    assert small.members == 20 and large.members == 1000


def test_generated_sirets_are_valid_and_distinct() -> None:
    from stdnum.fr import siret as stdnum_siret

    numbers = {siret(n) for n in range(500)}
    assert len(numbers) == 500 and all(stdnum_siret.is_valid(n) for n in numbers)


def test_versions_are_checked_and_spread_over_the_history() -> None:
    versions = criteria_versions(5)
    assert [v.version for v in versions] == ["s01", "s02", "s03", "s04", "s05"]
    assert all(v.fingerprints for v in versions)
    assert sorted(v.effective_from for v in versions) == [v.effective_from for v in versions]


def test_evaluations_encoded_once_are_byte_for_byte_the_mappers(tmp_path: Path) -> None:
    app = Registry(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "e.db")}
    )
    try:
        history = History(app, Plan.of(20, 400))
        written = history.write()
        assert written >= 300
        evaluated = [
            n
            for n in app.recorder.select_notifications(1, written)
            if n.topic.endswith("Place.Evaluated")
        ]
        assert evaluated
        for notification in evaluated[:50]:
            event = app.mapper.to_domain_event(notification)
            assert isinstance(event, Place.Evaluated)
            assert app.mapper.to_stored_event(event).state == notification.state
    finally:
        app.close()
