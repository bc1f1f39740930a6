"""`ssa-registry bench` and `ssa-registry synthetic`, on both stores, from the source checkout."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import registry.cli.bench as bench_cli
from registry.application import Registry
from registry.cli import main
from registry.config import Settings

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {
    "command_throughput",
    "rebuild_rate",
    "status_lookup_p50",
    "status_lookup_p99",
    "replay_as_of_all_places",
    "whatif_all_places",
    "peak_memory",
}


def run(runner: CliRunner, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_bench_at_small_scale_gives_each_figure_beside_its_baseline(
    runner: CliRunner, cli_env: dict[str, str]
) -> None:
    code, out, err = run(runner, cli_env, "bench", "--places", "50", "--events", "2000", "--json")
    assert code == 0, err
    figures = json.loads(out)
    assert {f["name"] for f in figures} == FIGURES
    for figure in figures:
        assert set(figure) == {"name", "value", "unit", "baseline", "ratio"}
        assert figure["value"] > 0 and figure["baseline"] > 0 and figure["ratio"] > 0


def test_bench_refuses_a_size_too_small_to_mean_anything(runner: CliRunner) -> None:
    code, _, err = run(runner, {"LANG": "fr_FR.UTF-8"}, "bench", "--places", "5", "--events", "20")
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("Erreur : Taille de benchmark invalide")


def test_the_checkout_is_found_from_the_editable_install() -> None:
    assert bench_cli.checkout() == ROOT


def test_without_the_checkout_the_commands_say_so_in_one_french_line(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(bench_cli, "checkout", lambda: None)
    for name in [m for m in sys.modules if m == "bench" or m.startswith("bench.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "bench", None)  # as where no `bench` can be imported
    env = {"LANG": "fr_FR.UTF-8", "SSA_REGISTRY_DATA": str(tmp_path / "data")}
    for args in (["bench", "--places", "50"], ["synthetic", "--places", "50"], ["bench", "--http"]):
        code, out, err = run(runner, env, *args)
        assert code == 2 and out == "" and err.count("\n") == 1, args
        assert err.startswith("Erreur : Cette commande a besoin du dossier bench/"), err
    assert not (tmp_path / "data").exists()


def test_the_installed_command_finds_bench_outside_the_checkout(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("ssa-registry")
    assert script.exists(), f"the console script is installed beside {sys.executable}"
    data = tmp_path / "data"
    args = [str(script), "--data", str(data), "synthetic", "--places", "10", "--events", "400"]
    done = subprocess.run(
        args, cwd=tmp_path, capture_output=True, text=True, env={"LANG": "fr_FR.UTF-8"}
    )
    assert done.returncode == 0, done.stderr
    assert "Histoire synthétique écrite" in done.stdout
    assert (data / "events.sqlite3").exists() and (data / "views.sqlite3").exists()


def test_synthetic_writes_a_store_and_its_read_models(
    runner: CliRunner, cli_env: dict[str, str], settings: Settings
) -> None:
    code, out, err = run(runner, cli_env, "synthetic", "--places", "20", "--events", "600")
    assert code == 0, err
    app = Registry(env=settings.event_store_env())
    try:
        stored = app.recorder.max_notification_id() or 0
    finally:
        app.close()
    assert f"Histoire synthétique écrite : {stored} événement(s)" in out
    assert stored >= 400
    # The read models are up to date with the last event: pages can be tried at once.
    with sqlite3.connect(settings.data / "views.sqlite3") as views:
        (applied,) = views.execute("SELECT MAX(notification_id) FROM tracking").fetchone()
        names = [r[0] for r in views.execute("SELECT name FROM places")]
    assert applied == stored
    assert len(names) == 20 and all(n.startswith("Lieu synthétique") for n in names)


def test_synthetic_refuses_a_store_that_exists_and_writes_nothing(
    runner: CliRunner, cli_env: dict[str, str], settings: Settings
) -> None:
    assert run(runner, cli_env, "init")[0] == 0
    app = Registry(env=settings.event_store_env())
    try:
        before = app.recorder.max_notification_id()
    finally:
        app.close()
    code, out, err = run(runner, cli_env, "synthetic", "--places", "20", "--events", "600")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("Erreur : Le registre existe déjà")
    app = Registry(env=settings.event_store_env())
    try:
        assert app.recorder.max_notification_id() == before
    finally:
        app.close()
    assert not (settings.data / "views.sqlite3").exists()


def test_synthetic_refuses_a_size_too_small_and_writes_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    env = {"LANG": "fr_FR.UTF-8", "SSA_REGISTRY_DATA": str(tmp_path / "data")}
    code, _, err = run(runner, env, "synthetic", "--places", "20", "--events", "100")
    assert code == 2 and err.count("\n") == 1
    assert not (tmp_path / "data").exists()


def test_a_synthetic_store_whose_writing_fails_is_removed_whole(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from bench import synthetic

    def failing(app: Registry, places: int, events: int, progress: object) -> int:
        synthetic.History(app, synthetic.Plan.of(places, events)).write()
        raise OSError("disque plein")

    monkeypatch.setattr(synthetic, "write", failing)
    data = tmp_path / "data"
    env = {"LANG": "fr_FR.UTF-8", "SSA_REGISTRY_DATA": str(data)}
    result = runner.invoke(main, ["synthetic", "--places", "10", "--events", "400"], env=env)
    assert isinstance(result.exception, OSError)
    assert not list(data.glob("events.sqlite3*")) and not (data / "views.sqlite3").exists()


class Record:
    """An installed distribution's metadata files, as importlib.metadata reads them."""

    def __init__(self, **files: str) -> None:
        self.files = files

    def read_text(self, name: str) -> str | None:
        return self.files.get(name.replace(".", "_"))


EDITABLE = Record(
    INSTALLER="pip", direct_url_json='{"url": "file:///src/ssa", "dir_info": {"editable": true}}'
)
WHEEL = Record(INSTALLER="pip", direct_url_json='{"url": "file:///w/ssa.whl", "archive_info": {}}')
FROM_INDEX = Record(INSTALLER="pip")
SOURCE_TREE = Record()  # a checkout's own *.egg-info on sys.path


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        ([EDITABLE], Path("/src/ssa")),
        ([SOURCE_TREE, EDITABLE], Path("/src/ssa")),
        ([WHEEL, EDITABLE], None),
        ([FROM_INDEX, EDITABLE], None),
        ([SOURCE_TREE], None),
        ([], None),
    ],
)
def test_the_first_installed_distribution_decides_where_the_checkout_is(
    monkeypatch: pytest.MonkeyPatch, found: list[Record], expected: Path | None
) -> None:
    monkeypatch.setattr(bench_cli.metadata, "distributions", lambda name: iter(found))
    assert bench_cli.checkout() == expected
