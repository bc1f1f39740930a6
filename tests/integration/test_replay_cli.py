"""The evaluators' commands on both stores: replay, what-if, rebuild, export, indicators."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import registry.cli.replay  # noqa: F401  (registers the commands)
from registry.application import Registry
from registry.cli import main
from registry.config import Settings
from registry.demo import load_demo
from registry.readmodels import export as export_module
from registry.readmodels.dictionary import documented
from registry.readmodels.schema import VIEWS
from tests.helpers import write_json


def run(runner: CliRunner, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo(settings: Settings, cli_env: dict[str, str]) -> Iterator[dict[str, str]]:
    """The demo history with its governance; the CLI's environment."""
    settings.data.mkdir(parents=True, exist_ok=True)
    app = Registry(env=settings.event_store_env())
    try:
        load_demo(app)
        app.demo_governance()
    finally:
        app.close()
    yield cli_env


def test_who_was_approved_on_1_march_under_which_rules_and_why(
    runner: CliRunner, demo: dict[str, str]
) -> None:
    code, out, err = run(runner, demo, "replay", "--as-of", "2025-03-01", "--json")
    assert code == 0, err
    replay = json.loads(out)
    assert replay["criteria"]["paris-14e"]["version"] == "2025-1"
    approved = [p for p in replay["places"] if p["status"] == "conventionne"]
    assert approved and all(p["reason"] and p["approved_under"] for p in approved)
    code, text, _ = run(runner, demo, "replay", "--as-of", "2025-03-01T12:00")
    assert code == 0 and "critères 2025-1" in text and approved[0]["name"] in text


def test_before_the_first_event_replay_gives_an_empty_registry(
    runner: CliRunner, demo: dict[str, str]
) -> None:
    code, out, err = run(runner, demo, "replay", "--as-of", "2001-01-01", "--json")
    assert code == 0, err
    assert json.loads(out)["places"] == []


def test_who_would_lose_approval_under_a_published_version_or_a_draft(
    runner: CliRunner, demo: dict[str, str], tmp_path: Path
) -> None:
    code, out, err = run(
        runner, demo, "whatif", "--criteria", "2025-1", "--as-of", "2024-12-01", "--json"
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["losses"] and not result["draft"]
    assert all(loss["criteria_not_met"] for loss in result["losses"])
    code, out, _ = run(runner, demo, "criteria", "--json")
    draft = {**json.loads(out)["versions"][-1], "version": "projet-1", "threshold": 0.9}
    draft.pop("published_on", None)
    path = write_json(tmp_path / "projet.json", draft)
    code, out, err = run(runner, demo, "whatif", "--criteria", str(path), "--json")
    assert code == 0, err
    stricter = json.loads(out)
    assert stricter["draft"] and stricter["criteria_version"] == "projet-1"
    assert len(stricter["losses"]) > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("replay", "--as-of", "1er mars"), "Date invalide"),
        (("whatif", "--criteria", "2031-9"), "Version de critères inconnue"),
        (("whatif", "--criteria", "2025-1", "--as-of", "mars"), "Date invalide"),
        (("whatif", "--criteria", "absent.json"), "Fichier introuvable"),
        (("indicators", "--as-of", "2025-13-01"), "Date invalide"),
    ],
)
def test_bad_input_gives_one_clear_line_and_exit_code_2(
    runner: CliRunner, demo: dict[str, str], args: tuple[str, ...], message: str
) -> None:
    code, _, err = run(runner, demo, *args)
    assert code == 2
    assert err.count("\n") == 1 and message in err


def test_an_export_holds_every_table_the_log_a_datasette_file_and_the_approved_list(
    runner: CliRunner, demo: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "export"
    code, out, err = run(runner, demo, "export", str(target), "--as-of", "2025-03-01")
    assert code == 0, err
    for name, _, _, columns in documented():
        with open(target / "csv" / f"{name}.csv", encoding="utf-8") as f:
            assert next(csv.reader(f)) == [c.name for c in columns]
        assert isinstance(json.loads((target / "json" / f"{name}.json").read_text()), list)
    lines = (target / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["seq"] for line in lines] == list(range(1, len(lines) + 1))
    with open(target / "conventionnes-2025-03-01.csv", encoding="utf-8") as f:
        approved = list(csv.DictReader(f))
    assert approved and all(a["siret"] and a["taux_prise_en_charge"] for a in approved)
    conn = sqlite3.connect(target / "registre.sqlite3")
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {v.name for v in VIEWS} <= tables and "tracking" not in tables
        found = conn.execute(
            "SELECT COUNT(*) FROM timeline_fts WHERE timeline_fts MATCH 'conventionné'"
        ).fetchone()[0]
        assert found > 0
    finally:
        conn.close()
    metadata = json.loads((target / "metadata.json").read_text(encoding="utf-8"))
    assert set(metadata["databases"]["registre"]["tables"]) >= tables - {"timeline_fts"} - {
        t for t in tables if t.startswith("timeline_fts_")
    }
    dictionary = (target / "dictionnaire.md").read_text(encoding="utf-8")
    assert dictionary.index("# Dictionnaire des données") < dictionary.index("# Data dictionary")
    for pseudonym in ("Zélie", "animatrice-camille"):
        assert pseudonym not in "\n".join(lines)


def test_an_export_refuses_a_folder_that_exists_and_leaves_nothing_half_written(
    runner: CliRunner, demo: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    taken = out / "taken"
    taken.mkdir(parents=True)
    (taken / "notes.txt").write_text("déjà là", encoding="utf-8")
    code, _, err = run(runner, demo, "export", str(taken))
    assert code == 2 and err.count("\n") == 1 and "existe déjà" in err
    blocked = out / "file"
    blocked.write_text("", encoding="utf-8")
    code, _, err = run(runner, demo, "export", str(blocked / "export"))
    assert code == 2 and err.count("\n") == 1 and "Impossible d'écrire" in err

    def disk_full(source: Path, destination: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module, "_standalone", disk_full)
    code, _, err = run(runner, demo, "export", str(out / "export"))
    assert code == 2 and err.count("\n") == 1 and "No space left on device" in err
    assert sorted(p.name for p in out.iterdir()) == ["file", "taken"]


def test_rebuild_replays_every_event_and_indicators_are_defined_with_charts(
    runner: CliRunner, demo: dict[str, str], tmp_path: Path
) -> None:
    code, out, err = run(runner, demo, "rebuild")
    assert code == 0, err
    assert "événement(s) rejoué(s)" in out
    charts = tmp_path / "charts"
    code, out, err = run(runner, demo, "indicators", "--json", "--charts", str(charts))
    assert code == 0, err
    result = json.loads(out)
    assert [d["key"] for d in result["definitions"]] == [
        "approved_over_time",
        "peasant_share",
        "time_to_decision",
        "vote_participation",
        "criteria_changes",
    ]
    assert result["approved_over_time"]["total"][-1] > 0
    assert result["vote_participation"]["closed"] > 0
    assert result["criteria_changes"]["revisions"] >= 1
    assert all(p.read_bytes().startswith(b"<?xml") for p in charts.glob("*.svg"))
    assert len(list(charts.glob("*.svg"))) == 6


def test_a_failed_rebuild_says_why_in_one_line_and_keeps_the_tables_in_use(
    runner: CliRunner,
    demo: dict[str, str],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from registry.readmodels import runner as runner_module
    from registry.readmodels.view import WriterError

    assert run(runner, demo, "rebuild")[0] == 0
    views = settings.data / "views.sqlite3"
    before = views.read_bytes()

    def failing(settings: Settings, fresh: Path, progress: object) -> int:
        fresh.write_bytes(b"half-written")
        raise WriterError("OperationalError: database or disk is full")

    monkeypatch.setattr(runner_module, "_replay", failing)
    code, out, err = run(runner, demo, "rebuild")
    # The progress bar may have printed its line; the refusal is one line after it.
    last = err.strip().splitlines()[-1]
    assert code == 2 and err.count("Erreur") == 1, err
    assert (
        last.startswith("Erreur : La reconstruction des tables a échoué") and "disk is full" in last
    )
    assert views.read_bytes() == before
    assert not (settings.data / "views.sqlite3.rebuild").exists()
