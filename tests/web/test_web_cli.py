"""The installed `ssa-registry` is the registry's command group with the web's commands added;
the registry itself imports nothing from the web."""

from __future__ import annotations

import ast
from pathlib import Path

from click.testing import CliRunner

from registry import cli as registry_cli
from registry.config import Settings
from web.accounts import Accounts
from web.cli import main
from web.demo_accounts import DEMO_ACCOUNTS

REGISTRY = Path(__file__).resolve().parents[2] / "registry"
WEB_COMMANDS = {"serve", "account-add", "account-password"}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_registry_imports_nothing_from_the_web() -> None:
    offenders = {
        str(path.relative_to(REGISTRY.parent)): sorted(
            name for name in imported_modules(path) if name == "web" or name.startswith("web.")
        )
        for path in REGISTRY.rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_installed_command_line_adds_the_web_commands_to_the_registrys() -> None:
    assert not WEB_COMMANDS & set(registry_cli.main.commands)
    assert set(main.commands) == set(registry_cli.main.commands) | WEB_COMMANDS
    assert [p.name for p in main.params] == [p.name for p in registry_cli.main.params]


def test_the_demo_also_opens_one_account_per_role(
    runner: CliRunner, cli_env: dict[str, str], settings: Settings
) -> None:
    result = runner.invoke(main, ["demo"], env=cli_env)
    assert result.exit_code == 0, result.stderr
    assert "Registre de démonstration créé" in result.stdout
    assert "comptes de démonstration : commerce, producteur" in result.stdout
    accounts = Accounts.for_settings(settings)
    try:
        login, password, role, *_ = DEMO_ACCOUNTS[0]
        assert accounts.authenticate(login, password).role is role  # type: ignore[union-attr]
        assert len(accounts.all()) == len(DEMO_ACCOUNTS)
    finally:
        accounts.close()
    assert (settings.data / "accounts.sqlite3").exists() is not bool(settings.database_url)
    again = runner.invoke(main, ["demo"], env=cli_env)
    assert again.exit_code == 2 and "comptes de démonstration" not in again.stdout


def test_serve_on_accounts_that_cannot_be_opened_says_so_in_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "accounts.sqlite3").mkdir(parents=True)  # not a file SQLite can open
    result = CliRunner().invoke(main, ["--data", str(data), "serve", "--port", "8099"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Réessayez" in result.stderr
