"""The ssa-registry command line on both stores: one clear line and exit 2 on any refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.application import Registry
from registry.cli import main
from registry.config import Settings
from tests.helpers import EXAMPLES, shop, write_json


def run(runner: CliRunner, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def stored_events(settings: Settings) -> int:
    app = Registry(env=settings.event_store_env())
    try:
        return app.recorder.max_notification_id() or 0
    finally:
        app.close()


@pytest.fixture
def initialised(runner: CliRunner, cli_env: dict[str, str]) -> dict[str, str]:
    code, out, err = run(runner, cli_env, "init")
    assert code == 0, err
    assert "Registre créé" in out
    return cli_env


def test_init_refuses_an_existing_store(runner: CliRunner, initialised: dict[str, str]) -> None:
    code, _, err = run(runner, initialised, "init")
    assert code == 2
    assert err.count("\n") == 1 and "existe déjà" in err


def test_a_read_command_on_a_missing_store_says_to_run_init(
    runner: CliRunner, cli_env: dict[str, str]
) -> None:
    code, _, err = run(runner, cli_env, "places")
    assert code == 2 and "ssa-registry init" in err


def test_apply_then_status_and_history_as_json(
    runner: CliRunner, initialised: dict[str, str]
) -> None:
    code, out, err = run(runner, initialised, "apply", str(EXAMPLES / "epicerie.json"))
    assert code == 0, err
    siret = shop()["siret"]
    code, out, _ = run(runner, initialised, "status", siret, "--json")
    status = json.loads(out)
    assert status["siret"] == siret and status["status"] == "conventionne"
    assert all(r["explanation_fr"] for r in status["evaluation"]["results"])
    code, out, _ = run(runner, initialised, "history", siret, "--json")
    assert [e["event"] for e in json.loads(out)] == ["Applied", "Evaluated", "Approved"]
    code, out, _ = run(runner, initialised, "places", "--json")
    assert [p["siret"] for p in json.loads(out)] == [siret]


BAD_FILES = {
    "invalid_siret": ('{"siret": "12345678901234"}', "SIRET invalide"),
    "missing_field": (None, "champ obligatoire manquant"),
    "margin": (None, "la marge n'est pas un critère"),
    "unknown_caisse": (None, "Caisse inconnue"),
    "not_json": ("{ceci n'est pas du json", "n'est pas du JSON valide"),
}


def bad_file(kind: str, tmp_path: Path) -> Path:
    raw = shop()
    if kind == "invalid_siret":
        raw["siret"] = "12345678901234"
    elif kind == "missing_field":
        del raw["name"]
    elif kind == "margin":
        raw["taux_de_marge"] = 28
    elif kind == "unknown_caisse":
        raw["caisse"] = "marseille-3e"
    elif kind == "not_json":
        path = tmp_path / "bad.json"
        path.write_text(BAD_FILES[kind][0] or "", encoding="utf-8")
        return path
    return write_json(tmp_path / f"{kind}.json", raw)


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_apply_of_a_bad_file_prints_one_line_exits_2_and_stores_nothing(
    kind: str,
    runner: CliRunner,
    initialised: dict[str, str],
    settings: Settings,
    tmp_path: Path,
) -> None:
    before = stored_events(settings)
    code, out, err = run(runner, initialised, "apply", str(bad_file(kind, tmp_path)))
    assert code == 2
    assert err.count("\n") == 1, err
    assert BAD_FILES[kind][1] in err
    assert out == ""
    assert stored_events(settings) == before


def test_apply_of_a_missing_file_is_a_clear_refusal(
    runner: CliRunner, initialised: dict[str, str], tmp_path: Path
) -> None:
    code, _, err = run(runner, initialised, "apply", str(tmp_path / "absent.json"))
    assert code == 2 and "Fichier introuvable" in err


def test_a_second_application_is_refused(runner: CliRunner, initialised: dict[str, str]) -> None:
    assert run(runner, initialised, "apply", str(EXAMPLES / "epicerie.json"))[0] == 0
    code, _, err = run(runner, initialised, "apply", str(EXAMPLES / "epicerie.json"))
    assert code == 2 and "déjà une candidature" in err


def test_withdraw_then_amend_is_refused(runner: CliRunner, initialised: dict[str, str]) -> None:
    siret = shop()["siret"]
    run(runner, initialised, "apply", str(EXAMPLES / "epicerie.json"))
    assert run(runner, initialised, "withdraw", siret)[0] == 0
    code, _, err = run(runner, initialised, "amend", siret, str(EXAMPLES / "epicerie.json"))
    assert code == 2 and "candidature retirée" in err


def test_criteria_lists_versions_and_the_one_in_force(
    runner: CliRunner, initialised: dict[str, str]
) -> None:
    code, out, _ = run(runner, initialised, "criteria", "--json")
    data = json.loads(out)
    assert data["in_force"] == "2024-1"
    assert data["versions"][0]["fingerprints"]


def test_schema_declaration_is_the_models_json_schema(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema", "declaration"])
    schema = json.loads(result.stdout)
    assert "siret" in schema["required"]
    assert not any("marg" in key for key in schema["properties"])


def test_status_of_an_unknown_siret(runner: CliRunner, initialised: dict[str, str]) -> None:
    code, _, err = run(runner, initialised, "status", "73282932000074")
    assert code == 2 and "Aucun lieu" in err


def test_evaluate_under_another_version_and_date(
    runner: CliRunner, initialised: dict[str, str]
) -> None:
    run(runner, initialised, "apply", str(EXAMPLES / "epicerie.json"))
    code, out, err = run(
        runner,
        initialised,
        "evaluate",
        shop()["siret"],
        "--criteria",
        "2024-1",
        "--as-of",
        "2024-10-01",
        "--json",
    )
    assert code == 0, err
    assert json.loads(out)["criteria_version"] == "2024-1"
    code, _, err = run(runner, initialised, "evaluate", shop()["siret"], "--as-of", "1er mars")
    assert code == 2 and "Date invalide" in err
    code, _, err = run(runner, initialised, "evaluate", shop()["siret"], "--criteria", "1999")
    assert code == 2 and "Version de critères inconnue" in err
