"""`ssa-registry export --caisse`: every table, view, event and file of one caisse only."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import registry.cli.replay  # noqa: F401  (registers the commands)
from policies.seed import SEED_VERSIONS
from registry.application import Registry
from registry.cli import main
from registry.config import Settings
from registry.declaration import parse_declaration
from registry.demo import load_demo
from registry.governance.rules import Mode
from registry.readmodels.dictionary import datasette_metadata
from registry.readmodels.schema import TABLES, VIEWS
from registry.roles import Actor, Role
from tests.helpers import EXAMPLES, write_json

A, B = "paris-14e", "plaisance"
NAMES = [t.name for t in TABLES] + [v.name for v in VIEWS]
FACILITATOR_B = Actor("animateur-basile", Role.FACILITATOR)


@dataclass
class Two:
    """A registry with two caisses, and what identifies each one's rows."""

    env: dict[str, str]
    sirets: dict[str, set[str]]
    proposals: dict[str, set[str]]
    aggregates: dict[str, set[str]]


def run(runner: CliRunner, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def b_place(name: str) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    raw.update(caisse=B, quartier="Plaisance")
    return raw


@pytest.fixture
def two(
    settings: Settings, cli_env: dict[str, str], runner: CliRunner, tmp_path: Path
) -> Iterator[Two]:
    """The demo with its governance (caisse A) plus caisse B, added with `caisse-add`, with
    two places, a member, and a question voted on."""
    settings.data.mkdir(parents=True, exist_ok=True)
    app = Registry(env=settings.event_store_env())
    try:
        load_demo(app, settings)
        app.demo_governance()
    finally:
        app.close()
    first = SEED_VERSIONS[0].model_dump(mode="json", exclude={"fingerprints"})
    criteria = write_json(tmp_path / "criteres.json", first)
    code, _, err = run(
        runner,
        cli_env,
        "caisse-add",
        B,
        "--name",
        "Caisse commune alimentaire Plaisance",
        "--area",
        "Plaisance (75014)",
        "--quartier",
        "Plaisance",
        "--criteria",
        str(criteria),
    )
    assert code == 0, err
    app = Registry(env=settings.event_store_env())
    try:
        for name in ("epicerie.json", "producteur.json"):
            declaration = parse_declaration(b_place(name))
            app.apply(declaration, Actor(declaration.siret, Role.PLACE))
        app.join_member(B, FACILITATOR_B.id, [Role.FACILITATOR], 1, Actor.system())
        app.join_member(B, "yse", [Role.MEMBER], 1, FACILITATOR_B)
        question = app.propose_question(
            B, "Marché du dimanche ?", "Question de Plaisance.", FACILITATOR_B, mode=Mode.MAJORITY
        )
        app.cast_vote(question.id, "yse", "for")
        sirets = {c.slug: {p.siret for p in app.places(c.slug)} for c in app.caisses()}
        proposals = {c.slug: {str(p.id) for p in app.proposals(c.slug)} for c in app.caisses()}
    finally:
        app.close()
    code, out, err = run(runner, cli_env, "export", str(tmp_path / "all"))
    assert code == 0, err
    aggregates: dict[str, set[str]] = {A: set(), B: set()}
    for row in table(tmp_path / "all", "aggregates"):
        aggregates[row["caisse"]].add(row["aggregate_id"])
    assert all(sirets.values()) and all(proposals.values()) and all(aggregates.values())
    yield Two(cli_env, sirets, proposals, aggregates)


def table(target: Path, name: str) -> list[dict[str, str]]:
    with open(target / "csv" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def markers(two: Two, caisse: str) -> set[str]:
    """What only a caisse's rows mention: its SIRETs, proposal and aggregate ids, its slug."""
    return {caisse} | two.sirets[caisse] | two.proposals[caisse] | two.aggregates[caisse]


def leaks(text: str, found: set[str]) -> list[str]:
    """The markers in a text, each as a whole value: a place of one caisse may be named after
    the other's quartier, in a name or its lower-case sort key ("… de plaisance")."""
    return sorted(m for m in found if re.search(rf"(?<![\w -]){re.escape(m)}(?![\w -])", text))


def sqlite_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every ordinary table of a SQLite file (the full-text index's own tables aside)."""
    conn = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not r[0].startswith("timeline_fts")
        ]
        return {n: conn.execute(f'SELECT * FROM "{n}"').fetchall() for n in names}  # noqa: S608
    finally:
        conn.close()


def matches(path: Path, words: str) -> int:
    conn = sqlite3.connect(path)
    try:
        query = "SELECT COUNT(*) FROM timeline_fts WHERE timeline_fts MATCH ?"
        return int(conn.execute(query, [words]).fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize(("mine", "other"), [(B, A), (A, B)])
def test_an_export_of_one_caisse_holds_none_of_the_other_caisses_rows(
    runner: CliRunner, two: Two, tmp_path: Path, mine: str, other: str
) -> None:
    target = tmp_path / f"export-{mine}"
    code, out, err = run(
        runner, two.env, "export", str(target), "--caisse", mine, "--as-of", "2030-01-01"
    )
    assert code == 0, err
    assert f"caisse {mine}" in out
    foreign = markers(two, other)
    for name in NAMES:
        rows = table(target, name)
        text = (target / "csv" / f"{name}.csv").read_text(encoding="utf-8")
        assert not leaks(text, foreign), name
        assert not leaks((target / "json" / f"{name}.json").read_text(encoding="utf-8"), foreign)
        as_json = json.loads((target / "json" / f"{name}.json").read_text(encoding="utf-8"))
        assert [r.get("siret") for r in as_json] == [r.get("siret") for r in rows], name
        assert len(as_json) == len(rows), name
        for row in rows:
            assert row.get("caisse", mine) == mine, name
            assert row.get("siret", next(iter(two.sirets[mine]))) in two.sirets[mine], name
    assert {r["slug"] for r in table(target, "caisses")} == {mine}
    assert {r["siret"] for r in table(target, "places")} == two.sirets[mine]
    assert {r["proposal"] for r in table(target, "proposals")} == two.proposals[mine]
    assert {r["aggregate_id"] for r in table(target, "aggregates")} == two.aggregates[mine]
    assert {r["siret"] for r in table(target, "place_status")} == two.sirets[mine]
    assert {r["aggregate_id"] for r in table(target, "timeline")} >= two.proposals[mine]
    events = [
        json.loads(line)
        for line in (target / "events.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert events and {e["aggregate_id"] for e in events} == two.aggregates[mine]
    assert not leaks((target / "events.jsonl").read_text(encoding="utf-8"), foreign)
    indicators = json.loads((target / "indicateurs.json").read_text(encoding="utf-8"))
    assert indicators["caisse"] == mine
    with open(target / "conventionnes-2030-01-01.csv", encoding="utf-8") as f:
        approved = list(csv.DictReader(f))
    assert {a["siret"] for a in approved} <= two.sirets[mine]
    assert all(a["caisse"] == mine for a in approved)
    database = target / "registre.sqlite3"
    dumped = sqlite_rows(database)
    assert set(NAMES) <= set(dumped) and "tracking" not in dumped
    for name, found in dumped.items():
        assert not leaks(repr(found), foreign), name
    for name in NAMES:
        assert len(dumped[name]) == len(table(target, name)), name
    assert all(matches(database, f'"{siret}"') > 0 for siret in two.sirets[mine])
    assert all(matches(database, f'"{siret}"') == 0 for siret in two.sirets[other])
    metadata = json.loads((target / "metadata.json").read_text(encoding="utf-8"))
    assert metadata == json.loads(json.dumps(datasette_metadata(), default=str))


def test_every_table_of_the_whole_export_is_split_between_the_two_caisses(
    runner: CliRunner, two: Two, tmp_path: Path
) -> None:
    whole = tmp_path / "all"
    parts = {c: tmp_path / f"export-{c}" for c in (A, B)}
    for caisse, target in parts.items():
        code, _, err = run(runner, two.env, "export", str(target), "--caisse", caisse)
        assert code == 0, err
    for name in NAMES:
        split = [tuple(r.values()) for c in (A, B) for r in table(parts[c], name)]
        assert sorted(split) == sorted(tuple(r.values()) for r in table(whole, name)), name
        assert table(parts[A], name), name
    empty = {name for name in NAMES if not table(parts[B], name)}
    assert empty == {"criteria_changes"}
    seqs = {
        c: [json.loads(line)["seq"] for line in (p / "events.jsonl").read_text().splitlines()]
        for c, p in parts.items()
    }
    every = [json.loads(line)["seq"] for line in (whole / "events.jsonl").read_text().splitlines()]
    assert sorted(seqs[A] + seqs[B]) == every


def test_an_unknown_caisse_is_one_french_line_exit_2_and_nothing_written(
    runner: CliRunner, two: Two, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code, stdout, err = run(runner, two.env, "export", str(out / "export"), "--caisse", "nulle")
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and "Caisse inconnue : « nulle »" in err
    assert f"{A}, {B}" in err
    assert list(out.iterdir()) == []
