"""Evaluators' commands: rebuild the read models, the registry as of a date, what-if, exports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from registry.cli.base import Context, emit_json, json_option, main, pass_ctx, refusals
from registry.clock import now, parse_moment
from registry.readmodels import errors as _errors  # noqa: F401  (registers the messages)

as_of_option = click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="DATE",
    help="AAAA-MM-JJ (fin de journée, heure de Paris) ou date-heure ISO ; défaut : maintenant.",
)
caisse_option = click.option("--caisse", default=None, help="Seulement cette caisse.")


@contextmanager
def _progress(label: str, quiet: bool = False) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr, fed with (done, total)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=quiet,
    )
    task = bar.add_task(label, total=None)
    with bar:
        yield lambda done, total: bar.update(task, completed=done, total=total)


@main.command()
@pass_ctx
@refusals
def rebuild(ctx: Context) -> None:
    """Reconstruit toutes les tables de lecture depuis les événements, puis les met en place.

    Rebuilds every read model from the event store into a fresh file, then swaps it in.
    """
    from registry.readmodels.runner import rebuild as rebuild_views
    from registry.readmodels.runner import views_path

    with _progress("Reconstruction des tables") as progress:
        count = rebuild_views(ctx.settings, progress)
    click.echo(f"{count} événement(s) rejoué(s) : {views_path(ctx.settings)}")


@main.command()
@as_of_option
@caisse_option
@json_option
@pass_ctx
@refusals
def replay(ctx: Context, as_of: str | None, caisse: str | None, as_json: bool) -> None:
    """Le registre à une date : critères en vigueur, statut de chaque lieu, et pourquoi.

    The registry as of a date: the criteria in force and every place's status, with reasons.
    """
    from registry.readmodels import api

    moment = parse_moment(as_of) if as_of else now()
    result = api.replay_as_of(ctx.settings, moment, caisse)
    if as_json:
        emit_json(result)
        return
    click.echo(f"Registre au {result['as_of'][:16].replace('T', ' ')}")
    if not result["caisses"]:
        click.echo("Aucune caisse n'existait encore : registre vide.")
    for slug, criteria in result["criteria"].items():
        if criteria is None:
            click.echo(f"  {slug} : aucune version de critères en vigueur")
        else:
            click.echo(
                f"  {slug} : critères {criteria['version']} « {criteria['title']} », "
                f"en vigueur depuis le {criteria['effective_from']}"
            )
    for p in result["places"]:
        click.echo(f"{p['siret']}  {p['status_fr']:<22} {p['kind']:<12} {p['name']}")
        click.echo(f"    {p['reason']}")
    counts = ", ".join(f"{n} {s}" for s, n in result["counts"].items()) or "aucun lieu"
    click.echo(f"{len(result['places'])} lieu(x) : {counts}")


@main.command()
@click.option(
    "--criteria",
    "criteria",
    required=True,
    metavar="VERSION",
    help="Version publiée (ex. 2025-1) ou fichier JSON d'une version en projet.",
)
@as_of_option
@caisse_option
@json_option
@pass_ctx
@refusals
def whatif(
    ctx: Context, criteria: str, as_of: str | None, caisse: str | None, as_json: bool
) -> None:
    """Réévalue chaque lieu sous une autre version de critères : qui gagnerait ou perdrait.

    Re-evaluates every place under another criteria version (published or draft): who would
    gain or lose approval, and why.
    """
    from registry.readmodels import api

    moment = parse_moment(as_of) if as_of else now()
    result = api.whatif(ctx.settings, criteria, moment, caisse)
    if as_json:
        emit_json(result)
        return
    kind = "en projet" if result["draft"] else "publiée"
    click.echo(
        f"Critères {result['criteria_version']} ({kind}) appliqués le {result['on']} "
        f"à {result['places']} lieu(x) ; en vigueur alors : {result['in_force'] or 'aucune'}"
    )
    _entries("Perdraient le conventionnement", result["losses"])
    _entries("Seraient conventionnés", result["gains"])
    _entries("Iraient au collectif", result["to_collective"])
    _entries("Changement de taux de prise en charge", result["rate_changes"])
    click.echo(f"Sans changement : {result['unchanged']}")


def _entries(title: str, entries: list[dict[str, Any]]) -> None:
    click.echo(f"{title} : {len(entries)}")
    for e in entries:
        click.echo(f"  {e['siret']}  {e['name']} ({e['status_fr']})")
        click.echo(f"      {e['summary_fr']}")
        for c in e["criteria_not_met"]:
            click.echo(f"      ✘ {c['key']} : {c['explanation_fr']}")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@as_of_option
@click.option(
    "--caisse",
    default=None,
    metavar="SLUG",
    help="Seulement les données de cette caisse (tables, journal, base, indicateurs, liste).",
)
@pass_ctx
@refusals
def export(ctx: Context, directory: Path, as_of: str | None, caisse: str | None) -> None:
    """Exporte les tables, le journal, une base pour Datasette et la liste des conventionnés.

    Exports every read model (CSV, JSON), the event log (JSON Lines), a standalone SQLite
    database for Datasette, a data dictionary and the list of approved places at a date;
    with --caisse, only that caisse's data.
    """
    from registry.readmodels.export import approved_filename
    from registry.readmodels.export import export as write_export

    moment = parse_moment(as_of) if as_of else now()
    target = write_export(ctx.settings, directory, moment, caisse)
    click.echo(f"Export écrit : {target}" + (f" (caisse {caisse})" if caisse else ""))
    click.echo(f"  liste des lieux conventionnés : {target / approved_filename(moment)}")
    click.echo(f"  pour Datasette : datasette {target / 'registre.sqlite3'} -m metadata.json")


@main.command()
@as_of_option
@caisse_option
@click.option(
    "--charts",
    "charts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dossier où écrire les graphiques (SVG).",
)
@json_option
@pass_ctx
@refusals
def indicators(
    ctx: Context, as_of: str | None, caisse: str | None, charts_dir: Path | None, as_json: bool
) -> None:
    """Les indicateurs définis à l'avance, et leurs graphiques avec --charts.

    The indicators defined up front: approved places over time, peasant share, time to
    decision, participation in votes, criteria changes; with --charts, their charts.
    """
    from registry.readmodels import api

    moment = parse_moment(as_of) if as_of else now()
    result = api.indicators(ctx.settings, moment, caisse)
    if charts_dir is not None:
        for path in api.write_charts(result, charts_dir):
            click.echo(f"Graphique : {path}", err=as_json)
    if as_json:
        emit_json(result)
        return
    approved = result["approved_over_time"]
    click.echo(f"Indicateurs au {result['as_of'][:10]}")
    total = approved["total"][-1] if approved["total"] else 0
    click.echo(f"  Lieux conventionnés : {total}")
    for kind, series in approved["by_kind"].items():
        click.echo(f"    {kind:<20} {series[-1]}")
    share = result["peasant_share"]["mean"]
    click.echo(f"  Part paysanne moyenne déclarée : {share[-1] if share else '—'} %")
    delays = result["time_to_decision"]
    click.echo(
        f"  Délai candidature → décision : médiane {delays['median_days']} j "
        f"({delays['decisions']} décisions, {delays['pending']} en attente)"
    )
    votes = result["vote_participation"]
    click.echo(f"  Participation aux votes : {votes['mean']} % en moyenne ({votes['closed']})")
    changes = result["criteria_changes"]
    click.echo(
        f"  Changements de critères : {changes['revisions']} version(s) après la première, "
        f"{changes['rule_changes']} changement(s) de règle"
    )
