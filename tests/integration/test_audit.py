"""Evaluators can check that stored evaluations re-run identically and history was not rewritten."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from registry.application import Registry
from registry.audit import audit
from registry.config import Settings
from registry.demo import load_demo


def test_every_stored_demo_evaluation_re_runs_identically(empty_app: Registry) -> None:
    load_demo(empty_app)
    report = audit(empty_app)
    assert report.evaluations >= 31
    assert report.ok, (report.mismatches, report.refused)
    assert report.digest.startswith("sha256:")


def test_a_rewritten_event_is_caught_by_the_audit(tmp_path: Path) -> None:
    settings = Settings(data=tmp_path, database_url=None)
    app = Registry(env=settings.event_store_env())
    try:
        load_demo(app)
        before = audit(app)
    finally:
        app.close()
    db = sqlite3.connect(settings.events_path)
    with db:
        rowid, state = db.execute(
            "SELECT rowid, state FROM stored_events WHERE topic LIKE '%Place.Evaluated' LIMIT 1"
        ).fetchone()
        event = json.loads(state)
        event["evaluation"]["score"] = 0.01  # someone edits a stored result
        db.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?",
            (json.dumps(event).encode(), rowid),
        )
    db.close()
    app = Registry(env=settings.event_store_env())
    try:
        after = audit(app)
    finally:
        app.close()
    assert len(after.mismatches) == 1
    assert after.digest != before.digest


def test_verify_exits_0_when_history_is_intact(runner: CliRunner, cli_env: dict[str, str]) -> None:
    from registry.cli import main

    assert runner.invoke(main, ["demo"], env=cli_env).exit_code == 0
    result = runner.invoke(main, ["verify", "--json"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ok"] is True
