"""What-if over many places: half of them re-evaluated in a forked process, same answer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from registry.application import Registry
from registry.config import Settings
from registry.demo import load_demo
from registry.readmodels.runner import catch_up, views_path

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_views(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's read models on SQLite."""
    settings = Settings(data=tmp_path_factory.mktemp("whatif") / "data", database_url=None)
    settings.data.mkdir(parents=True)
    app = Registry(env=settings.event_store_env())
    load_demo(app)
    app.close()
    catch_up(settings)
    return views_path(settings)


def probe(views: Path, mode: str) -> tuple[dict[str, Any], str]:
    """Classify the demo's places under 2025-1 in a fresh interpreter; what it saw."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.integration.whatif_fork_probe", str(views), mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout), done.stderr


def test_half_the_places_are_judged_in_another_process_with_the_same_changes(
    demo_views: Path,
) -> None:
    seen, _ = probe(demo_views, "split")
    assert seen["threads_before"] == 1 and seen["places"] >= 4
    assert 0 < seen["first_part"] < seen["places"]
    assert seen["calls"] == [seen["first_part"]], "this process judged its own part only"
    pids = seen["pids"]
    assert pids.count(seen["parent"]) == seen["first_part"]
    assert len(set(pids)) == 2, "the other part came from another process"
    assert seen["same"] and seen["losses"] > 0, "merged back in application order"


def test_when_the_second_process_fails_every_place_is_judged_here(demo_views: Path) -> None:
    seen, err = probe(demo_views, "child_fails")
    assert "le second processus a échoué (the second process fails)" in err
    assert "Traceback" not in err, "one line, not a traceback"
    assert seen["calls"] == [seen["first_part"], seen["places"] - seen["first_part"]]
    assert set(seen["pids"]) == {seen["parent"]}
    assert seen["same"]


@pytest.mark.parametrize("mode", ["threads", "memory"])
def test_places_are_not_split_with_other_threads_or_read_models_in_memory(
    demo_views: Path, mode: str
) -> None:
    seen, _ = probe(demo_views, mode)
    assert seen["calls"] == [seen["places"]]
    assert set(seen["pids"]) == {seen["parent"]}
    assert seen["same"]
