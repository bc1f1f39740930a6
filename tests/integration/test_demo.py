"""The demo history is realistic enough to show every capability."""

from __future__ import annotations

import json

from click.testing import CliRunner

from registry.cli import main


def test_the_demo_holds_a_year_of_paris_14e_history(
    runner: CliRunner, cli_env: dict[str, str]
) -> None:
    result = runner.invoke(main, ["demo"], env=cli_env)
    assert result.exit_code == 0, result.stderr
    places = json.loads(runner.invoke(main, ["places", "--json"], env=cli_env).stdout)
    assert len(places) >= 25
    assert {p["quartier"] for p in places} >= {
        "Montparnasse",
        "Parc-de-Montsouris",
        "Petit-Montrouge",
        "Plaisance",
    }
    assert any(p["kind"] == "producteur" for p in places)
    statuses = {p["status"] for p in places}
    assert {"conventionne", "refuse", "retire", "deconventionne"} <= statuses
    criteria = json.loads(runner.invoke(main, ["criteria", "--json"], env=cli_env).stdout)
    dates = {v["effective_from"] for v in criteria["versions"]}
    assert len(dates) >= 2
    again = runner.invoke(main, ["demo"], env=cli_env)
    assert again.exit_code == 2
