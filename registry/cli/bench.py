"""`bench` and `synthetic`: the benchmarks and the synthetic history, which live in the source
checkout's `bench/` package and are not installed with the registry.

From a checkout installed in editable mode (the README's way), the checkout is found from the
distribution's own record of where it was installed from (`direct_url.json`, PEP 610) and
`bench` is imported from there; elsewhere the commands say, in one line, that they need it.
"""

from __future__ import annotations

import importlib
import json
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from types import FrameType, ModuleType
from urllib.parse import unquote, urlparse

import click

from registry.cli.base import Context, emit_json, json_option, main, pass_ctx, refusals
from registry.cli.replay import _progress as progress_bar
from registry.errors import MESSAGES, RegistryError
from registry.readmodels import errors as _errors  # noqa: F401  (registers the messages)

DISTRIBUTION = "ssa-registry"
EXIT_FAILED = 1

MESSAGES.update(
    {
        "bench_unavailable": (
            "Cette commande a besoin du dossier bench/ d'une copie des sources du registre "
            "(installée avec « pip install -e . ») : il n'est pas installé avec le paquet.",
            "This command needs the bench/ folder of a source checkout of the registry "
            "(installed with 'pip install -e .'): it is not installed with the package.",
        ),
    }
)

places_option = click.option(
    "--places", type=int, default=10_000, show_default=True, help="Lieux générés."
)
events_option = click.option(
    "--events", type=int, default=1_000_000, show_default=True, help="Événements générés."
)


def checkout() -> Path | None:
    """The source checkout the registry is installed from in editable mode, if it is."""
    # The first installed distribution decides; a checkout's own *.egg-info, found when the
    # checkout is on sys.path, was not installed by an installer and says nothing.
    for distribution in metadata.distributions(name=DISTRIBUTION):
        if distribution.read_text("INSTALLER") is None:
            continue
        record = distribution.read_text("direct_url.json")
        origin = json.loads(record) if record else {}
        url = urlparse(str(origin.get("url", "")))
        if origin.get("dir_info", {}).get("editable") and url.scheme == "file":
            return Path(unquote(url.path))
        return None
    return None


def load(name: str) -> ModuleType:
    """A module of the checkout's `bench` package, or the refusal `bench_unavailable`."""
    root = checkout()
    found = root is not None and (root / "bench" / "__init__.py").is_file()
    if found and str(root) not in sys.path:
        sys.path.insert(0, str(root))
    try:
        return importlib.import_module(f"bench.{name}")
    except ModuleNotFoundError as exc:
        if exc.name not in ("bench", f"bench.{name}"):
            raise
        raise RegistryError("bench_unavailable") from exc


@contextmanager
def terminable() -> Iterator[None]:
    """SIGTERM ends the command as Ctrl-C does, so that what it made is removed on the way out
    (a throw-away database, a temporary folder, the serving child, a half-written store)."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@main.command()
@places_option
@events_option
@click.option(
    "--http",
    "over_http",
    is_flag=True,
    help="Mesure les pages web et l'API servies par waitress, à côté de /healthz.",
)
@json_option
@pass_ctx
@refusals
def bench(ctx: Context, places: int, events: int, over_http: bool, as_json: bool) -> None:
    """Mesure le registre sur une histoire synthétique, à côté d'eventsourcing seul ; avec
    --http, les pages et l'API servies par waitress, à côté de /healthz. Sur PostgreSQL si
    SSA_REGISTRY_DATABASE_URL est défini (dans une base jetable créée puis supprimée).

    Benchmarks the registry on a synthetic history; each figure beside the bare eventsourcing
    figure measured in the same run. With --http, the pages and the API served by waitress,
    beside /healthz on the same server. On PostgreSQL when SSA_REGISTRY_DATABASE_URL is set
    (in a throw-away database created and dropped by the run).
    """
    if over_http:
        http = load("http")
        http.check_size(places, events)
        with terminable(), progress_bar("Mesures HTTP", quiet=as_json) as progress:
            report = http.run(places, events, progress, base=ctx.settings)
        if as_json:
            emit_json(report.as_dict())
        else:
            http.print_report(report)
        if report.failed:
            click.echo(f"Erreur : {http.failure_line(report)}", err=True)
            sys.exit(EXIT_FAILED)
        return
    measures = load("registry")
    measures.check_size(places, events)
    with terminable(), progress_bar("Mesures") as progress:
        figures = measures.run(places, events, progress, base=ctx.settings)
    if as_json:
        emit_json([f.as_dict() for f in figures])
        return
    click.echo(f"Magasin d'événements : {measures.store_name(ctx.settings)}")
    measures.print_table(figures)


@main.command()
@places_option
@events_option
@pass_ctx
@refusals
def synthetic(ctx: Context, places: int, events: int) -> None:
    """Écrit une histoire synthétique dans le dossier des données (ou la base PostgreSQL),
    pour essayer l'interface et l'API à grande échelle, puis met les tables de lecture à
    jour ; refuse si un registre y existe déjà.

    Writes a synthetic history into the data folder (or the PostgreSQL database) for trying
    the web interface and the API at scale, then brings the read models up to date; refuses
    if a store already exists there.
    """
    history = load("synthetic")
    history.check_size(places, events)
    settings = ctx.settings
    # A SQLite store this command creates is removed whole if writing it fails.
    created = not settings.database_url and not settings.events_path.exists()
    try:
        with terminable(), ctx.registry(must_exist=False) as app:
            if app.is_initialised():
                raise RegistryError("store_exists", location=settings.location)
            with progress_bar("Histoire synthétique") as progress:
                written = history.write(app, places, events, progress)
    except BaseException:
        if created:
            _remove_sqlite_store(settings.events_path)
        raise
    from registry.readmodels.runner import rebuild, views_path

    with progress_bar("Tables de lecture") as progress:
        rebuild(settings, progress)
    click.echo(f"Histoire synthétique écrite : {written} événement(s), {settings.location}")
    click.echo(f"  tables de lecture : {views_path(settings)}")


def _remove_sqlite_store(path: Path) -> None:
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        path.with_name(name).unlink(missing_ok=True)
