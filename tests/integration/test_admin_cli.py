"""Facilitators' commands: several caisses, decisions from meetings, daily re-evaluation."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from policies.seed import SEED_VERSIONS
from registry.cli import main
from tests.helpers import EXAMPLES, shop, write_json


def invoke(runner: CliRunner, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_a_second_caisse_gets_its_own_criteria(
    runner: CliRunner, cli_env: dict[str, str], tmp_path: Path
) -> None:
    assert invoke(runner, cli_env, "init")[0] == 0
    first = SEED_VERSIONS[0].model_dump(mode="json", exclude={"fingerprints"})
    criteria = write_json(tmp_path / "criteres.json", first)
    code, out, err = invoke(
        runner,
        cli_env,
        "caisse-add",
        "paris-14e-sud",
        "--name",
        "Caisse Montsouris",
        "--area",
        "Parc-de-Montsouris",
        "--quartier",
        "Parc-de-Montsouris",
        "--criteria",
        str(criteria),
    )
    assert code == 0, err
    slugs = [c["slug"] for c in json.loads(invoke(runner, cli_env, "caisses", "--json")[1])]
    assert slugs == ["paris-14e", "paris-14e-sud"]
    code, out, _ = invoke(runner, cli_env, "criteria", "--caisse", "paris-14e-sud", "--json")
    assert json.loads(out)["versions"][0]["caisse"] == "paris-14e-sud"
    code, _, err = invoke(
        runner,
        cli_env,
        "caisse-add",
        "paris-14e-sud",
        "--name",
        "x",
        "--area",
        "y",
        "--criteria",
        str(criteria),
    )
    assert code == 2 and "existe déjà" in err


def test_a_meeting_decision_is_recorded_with_its_reference(
    runner: CliRunner, cli_env: dict[str, str]
) -> None:
    invoke(runner, cli_env, "init")
    invoke(runner, cli_env, "apply", str(EXAMPLES / "epicerie.json"))
    siret = shop()["siret"]
    code, _, err = invoke(
        runner,
        cli_env,
        "--actor",
        "camille",
        "decide",
        siret,
        "suspend",
        "--reason",
        "Allocation refusée en caisse",
        "--decision",
        "réunion du 2 juin",
    )
    assert code == 0, err
    history = json.loads(invoke(runner, cli_env, "history", siret, "--json")[1])
    last = history[-1]
    assert last["event"] == "Suspended"
    assert (last["actor"], last["role"], last["decision"]) == (
        "camille",
        "animateur",
        "réunion du 2 juin",
    )
    code, _, err = invoke(
        runner, cli_env, "decide", siret, "approve", "--reason", "ok", "--decision", "r"
    )
    assert code == 2 and "suspendu" in err


def test_reevaluate_reports_each_caisse(runner: CliRunner, cli_env: dict[str, str]) -> None:
    invoke(runner, cli_env, "init")
    code, out, _ = invoke(runner, cli_env, "reevaluate")
    assert code == 0 and "paris-14e : 0 lieu(x) réévalué(s)" in out
