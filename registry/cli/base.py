"""The command group, shared options, and how refusals are reported."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from registry.application import Registry
from registry.config import Settings
from registry.errors import RegistryError
from registry.roles import Actor, Role

F = TypeVar("F", bound=Callable[..., Any])

EXIT_REFUSED = 2


class Context:
    """What every command needs: settings, and who is acting."""

    def __init__(self, data: Path | None, actor: str | None, role: Role | None) -> None:
        overrides: dict[str, Any] = {}
        if data is not None:
            overrides["data"] = data
        self.settings = Settings(**overrides)
        self.actor_id = actor
        self.role = role
        self.lang = "en" if os.environ.get("LANG", "").startswith("en") else "fr"

    def actor(self, default_id: str, default_role: Role) -> Actor:
        """The acting person, from --actor/--role or the command's default.

        The command line runs on the server itself: it acts with the registry's authority
        under the name it records, except for someone who has left.
        """
        return Actor(self.actor_id or default_id, self.role or default_role, trusted=True)

    def open(self, must_exist: bool = True) -> Registry:
        """The registry application on the configured store."""
        if not self.settings.database_url:
            self.settings.data.mkdir(parents=True, exist_ok=True)
        app = Registry(env=self.settings.event_store_env())
        if must_exist and not app.is_initialised():
            app.close()
            raise RegistryError("store_missing", location=self.settings.location)
        return app

    @contextmanager
    def registry(self, must_exist: bool = True) -> Iterator[Registry]:
        """Open the registry for one command and close it after."""
        app = self.open(must_exist)
        try:
            yield app
        finally:
            app.close()


pass_ctx = click.make_pass_decorator(Context)


def refusals(func: F) -> F:
    """Turn a RegistryError into one line on stderr and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RegistryError as exc:
            lang = click.get_current_context().find_object(Context)
            click.echo(f"Erreur : {exc.message(lang.lang if lang else 'fr')}", err=True)
            sys.exit(EXIT_REFUSED)

    return wrapper  # type: ignore[return-value]


def emit_json(data: Any) -> None:
    """Print one JSON document."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


json_option = click.option(
    "--json", "as_json", is_flag=True, help="Sortie en un seul document JSON."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dossier des données (défaut : $SSA_REGISTRY_DATA ou ./instance).",
)
@click.option(
    "--actor", default=None, help="Qui agit (pseudonyme ou SIRET), inscrit dans chaque événement."
)
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=None,
    help="Rôle sous lequel on agit.",
)
@click.version_option(package_name="ssa-registry")
@click.pass_context
def main(ctx: click.Context, data: Path | None, actor: str | None, role: str | None) -> None:
    """Registre de conventionnement d'une caisse commune alimentaire.

    Conventionnement registry of a caisse commune alimentaire (Sécurité Sociale de
    l'Alimentation): every application, criteria change and vote is an immutable event.
    """
    ctx.obj = Context(data, actor, Role(role) if role else None)
