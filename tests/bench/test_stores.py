"""The benchmarks write to the store the settings name: on PostgreSQL, a database of their
own on that server, created for the run and dropped after it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import registry as measures
from bench.stores import scratch
from registry.application import Registry
from registry.config import Settings
from registry.errors import RegistryError
from tests.bench.test_http import own_databases
from tests.conftest import PG_ADMIN_URL


def stored_events(settings: Settings) -> int:
    app = Registry(env=settings.event_store_env())
    try:
        return app.recorder.max_notification_id() or 0
    finally:
        app.close()


def test_a_scratch_store_on_postgresql_is_a_new_database_dropped_after(tmp_path: Path) -> None:
    base = Settings(data=tmp_path, database_url=f"{PG_ADMIN_URL}?schema=ignored")
    with scratch(base) as settings:
        assert settings.database_url and settings.database_url != base.database_url
        (name,) = own_databases()
        assert settings.database_url.endswith(f"/{name}")
        assert stored_events(settings) == 0 and settings.data.is_dir()
        data = settings.data
    assert own_databases() == [] and not data.exists()


def test_a_scratch_store_on_sqlite_is_a_temporary_folder(tmp_path: Path) -> None:
    with scratch(Settings(data=tmp_path / "mine", database_url=None)) as settings:
        assert settings.database_url is None and settings.data.is_dir()
        assert tmp_path not in settings.data.parents
        data = settings.data
    assert not data.exists() and not (tmp_path / "mine").exists()


def test_an_unreachable_server_is_refused_in_one_french_line(tmp_path: Path) -> None:
    base = Settings(data=tmp_path, database_url="postgresql://postgres@127.0.0.1:1/test")
    with pytest.raises(RegistryError) as refused, scratch(base):
        pass
    assert refused.value.code == "bench_database"
    assert refused.value.message().startswith("Impossible de créer la base jetable")
    assert "\n" not in refused.value.message().strip()


def test_the_in_process_bench_on_postgresql_writes_and_measures_there(tmp_path: Path) -> None:
    seen: list[int] = []

    def watch(done: int, total: int) -> None:
        if not seen:
            (name,) = own_databases()
            url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
            seen.append(stored_events(Settings(database_url=url)))

    base = Settings(data=tmp_path / "unused", database_url=PG_ADMIN_URL)
    figures = measures.run(50, 2000, watch, base=base)
    assert seen and seen[0] > 0
    assert {f.name for f in figures} >= {"command_throughput", "rebuild_rate"}
    assert all(f.value > 0 and f.baseline > 0 for f in figures)
    assert own_databases() == []
