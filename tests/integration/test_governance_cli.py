"""Governance through the command line: a criteria revision from proposal to re-evaluated places."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import registry.cli.governance  # noqa: F401  (registers the governance commands)
from policies.seed import first_version
from registry.cli import main
from registry.cli.governance import GovernedRegistry
from registry.clock import local_date, now
from tests.helpers import make_siret, shop, write_json

STRONG = make_siret(1)
BORDERLINE = make_siret(2)


@pytest.fixture(autouse=True)
def governed_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """Open stores with the governance verbs, whether or not Registry already has them."""
    monkeypatch.setattr("registry.cli.base.Registry", GovernedRegistry)


class Cli:
    """Runs commands against one store and reads their JSON."""

    def __init__(self, runner: CliRunner, env: dict[str, str]) -> None:
        self.runner = runner
        self.env = env

    def __call__(self, *args: str, code: int = 0) -> Result:
        result = self.runner.invoke(main, list(args), env=self.env)
        assert result.exit_code == code, (result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def cli(runner: CliRunner, cli_env: dict[str, str], tmp_path: Path) -> Cli:
    """An initialised store with two approved places and trained members."""
    run = Cli(runner, cli_env)
    run("init")
    for n, share in ((1, 66), (2, 55)):
        supply = {**shop()["supply"], "peasant_share": share}
        path = write_json(
            tmp_path / f"place{n}.json",
            shop(siret=make_siret(n), name=f"Épicerie {n}", supply=supply),
        )
        run("apply", str(path))
    for pseudonym, role in [("ana", "membre"), ("bea", "membre"), ("cyd", "membre")]:
        run("member-join", pseudonym, "--role", role, "--wave", "1")
        run("training", pseudonym, "Filières et distribution")
    run("member-join", "eve", "--role", "observateur", "--wave", "1")
    return run


def revision_file(tmp_path: Path) -> Path:
    """A criteria version raising the peasant share to 60 %, as a JSON file."""
    data = first_version().model_dump(mode="json")
    for criterion in data["criteria"]:
        if criterion["key"] == "agriculture_paysanne":
            criterion["params"].update(min_share=60, tiers=[60, 75, 90])
    data.update(version="2025-cli", title="Part paysanne portée à 60 %", fingerprints={})
    return write_json(tmp_path / "revision.json", data)


def test_a_criteria_revision_goes_through_the_cli_with_every_step_an_event(
    cli: Cli, tmp_path: Path
) -> None:
    today = local_date(now()).isoformat()
    preview = cli.json("impact", str(revision_file(tmp_path)), "--on", today)
    assert [p["siret"] for p in preview["losses"]] == [BORDERLINE]

    opened = cli(
        "--actor",
        "ana",
        "--role",
        "membre",
        "propose-criteria",
        str(revision_file(tmp_path)),
        "--effective-from",
        today,
        "--transition-days",
        "0",
        "--mode",
        "consent",
    )
    assert "Épicerie 2" in opened.stdout
    [listed] = cli.json("proposals")
    pid = listed["short_id"]
    assert (listed["kind"], listed["mode"], listed["status"]) == (
        "criteria_revision",
        "consent",
        "open",
    )

    cli("vote", pid, "--member", "ana", "--for")
    cli("vote", pid, "--member", "bea", "--object", "Prévenir les lieux d'abord")
    cli("amend-proposal", pid, "--note", "Rencontre des lieux ajoutée", "--text", "Avec rencontre.")
    cli("vote", pid, "--member", "bea", "--lift", "La rencontre me suffit")
    cli("vote", pid, "--member", "cyd", "--for")
    closed = cli("close", pid)
    assert "2025-cli" in closed.stdout

    detail = cli.json("proposal", pid)
    assert detail["outcome"] == "adopted"
    assert [v["member"] for v in detail["votes"]] == ["ana", "bea", "bea", "cyd"]
    assert detail["votes"][0]["before_latest_amendment"] is True
    assert detail["objections"][0]["status"] == "lifted"
    assert detail["effect"]["reevaluated"] == [STRONG, BORDERLINE]
    assert [h["event"] for h in detail["history"]] == [
        "ProposalOpened",
        "VoteCast",
        "VoteCast",
        "ProposalAmended",
        "ObjectionLifted",
        "VoteCast",
        "ProposalClosed",
        "DecisionEnacted",
    ]
    criteria = cli.json("criteria")
    assert criteria["in_force"] == "2025-cli"
    assert criteria["versions"][-1]["effective_from"] == today
    place = cli.json("status", BORDERLINE)
    assert place["status"] == "deconventionne"
    history = cli.json("history", BORDERLINE)
    assert history[-2]["event"] == "Evaluated"
    assert "2025-cli" in history[-2]["detail_fr"]


def test_a_refused_vote_is_one_line_exit_2_and_nothing_stored(cli: Cli, tmp_path: Path) -> None:
    cli("propose-criteria", str(revision_file(tmp_path)), "--effective-from", "2030-01-01")
    pid = cli.json("proposals")[0]["short_id"]
    refused = cli("vote", pid, "--member", "eve", "--for", code=2)
    assert refused.stdout == ""
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "Observateurs et experts" in refused.stderr
    assert cli.json("proposal", pid)["votes"] == []
    cli("vote", pid, "--member", "ana", "--against", code=2)
    cli("vote", pid, "--member", "nobody", "--for", code=2)
    cli("vote", pid, "--member", "ana", "--for", "--abstain", code=2)


def test_members_charter_polls_and_decisions_through_the_cli(cli: Cli, tmp_path: Path) -> None:
    members = cli.json("members")
    assert [m["pseudonym"] for m in members] == ["ana", "bea", "cyd", "eve"]
    assert members[0]["trainings"][0]["session"] == "Filières et distribution"
    cli("member-join", "ana", "--role", "membre", "--wave", "2", code=2)
    charter = cli.json("charter")
    assert charter["rules"]["criteria_revision"]["modes"][0] == "consent"

    names = [
        "expérimentateurs",
        "habitant-cotisants",
        "mangeur.euses",
        "sociétaires",
        "convives",
        "adhérents",
        "affiliés",
    ]
    args = [arg for name in names for arg in ("--option", name)]
    cli("propose-poll", "--title", "Nom des participants", *args, "--choice", "single")
    poll = cli.json("proposals")[-1]
    cli("vote", poll["short_id"], "--member", "ana", "--option", "convives")
    cli(
        "vote",
        poll["short_id"],
        "--member",
        "bea",
        "--option",
        "convives",
        "--option",
        "affiliés",
        code=2,
    )
    cli(
        "meeting-vote",
        poll["short_id"],
        "--minutes",
        "CR atelier 3",
        "--date",
        local_date(now()).isoformat(),
        "--present",
        "3",
        "--option",
        "sociétaires=1",
        "--option",
        "convives=2",
    )
    cli("close", poll["short_id"])
    assert cli.json("proposal", poll["short_id"])["winner"] == "convives"

    cli("propose-decision", STRONG, "suspend", "--reason", "Allocation refusée en caisse")
    decision = cli.json("proposals")[-1]
    assert decision["kind"] == "place_decision"
    for who in ("ana", "bea"):
        cli("vote", decision["short_id"], "--member", who, "--for")
    cli("close", decision["short_id"])
    place = cli.json("status", STRONG)
    assert place["status"] == "suspendu"
    assert place["decision"] == f"proposition {decision['id']}"

    charter["rules"]["place_decision"]["quorum"] = "1/3"
    charter_file = write_json(tmp_path / "charter.json", charter)
    cli("propose-charter", str(charter_file), "--title", "Quorum d'un tiers pour les lieux")
    change = cli.json("proposals")[-1]
    cli("vote", change["short_id"], "--member", "ana", "--block", "Trop bas")
    cli("vote", change["short_id"], "--member", "bea", "--for")
    cli("close", change["short_id"])
    assert cli.json("proposal", change["short_id"])["outcome"] == "rejected"
    assert cli.json("charter")["version"] == 1
    cli("withdraw-proposal", change["short_id"], "--reason", "déjà close", code=2)
    text = cli("proposals").stdout
    assert "rejetée" in text and "option choisie" in text


def test_a_facilitator_who_left_is_refused_in_one_french_line(cli: Cli) -> None:
    cli("member-join", "Camille", "--role", "animateur", "--wave", "1")
    as_camille = ("--actor", "Camille", "--role", "animateur")
    cli(*as_camille, "member-join", "Yves", "--role", "membre", "--wave", "1")
    cli("member-leave", "Camille", "--reason", "Déménage")
    refused = cli(*as_camille, "member-join", "Xavier", "--role", "membre", "--wave", "1", code=2)
    assert refused.stderr.strip() == (
        "Erreur : « Camille » a quitté le collectif : ce compte ne peut plus agir comme animateur."
    )
    assert "Xavier" not in {m["pseudonym"] for m in cli.json("members")}
