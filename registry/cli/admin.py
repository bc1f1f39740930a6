"""Commands for facilitators: caisses, decisions taken in meetings, re-evaluations."""

from __future__ import annotations

import json
from pathlib import Path

import click

from policies.criteria import parse_criteria_version
from registry.cli.base import Context, emit_json, json_option, main, pass_ctx, refusals
from registry.errors import RegistryError
from registry.roles import Actor, Role
from registry.views import place_view

ACTIONS = ["approve", "refuse", "suspend", "withdraw_approval", "renew"]


@main.command()
@json_option
@pass_ctx
@refusals
def caisses(ctx: Context, as_json: bool) -> None:
    """Les caisses communes du registre et leurs quartiers.

    The caisses communes hosted by the registry and their neighbourhoods.
    """
    with ctx.registry() as app:
        items = [
            {"slug": c.slug, "name": c.name, "area": c.area, "quartiers": c.quartiers}
            for c in app.caisses()
        ]
    if as_json:
        emit_json(items)
        return
    for c in items:
        click.echo(f"{c['slug']:<16} {c['name']} — {c['area']} ({', '.join(c['quartiers'])})")


@main.command("caisse-add")
@click.argument("slug")
@click.option("--name", required=True, help="Nom de la caisse.")
@click.option("--area", required=True, help="Territoire couvert (texte).")
@click.option("--quartier", "quartiers", multiple=True, help="Quartier (répétable).")
@click.option(
    "--criteria",
    "criteria_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Première version de critères (JSON), avec la zone de la caisse.",
)
@pass_ctx
@refusals
def caisse_add(
    ctx: Context,
    slug: str,
    name: str,
    area: str,
    quartiers: tuple[str, ...],
    criteria_file: Path,
) -> None:
    """Ajoute une caisse (par exemple une par quartier) avec sa première version de critères.

    Adds a caisse (for instance one per neighbourhood) with its first criteria version.
    """
    try:
        raw = json.loads(criteria_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError("file_not_found", path=str(criteria_file)) from None
    except (OSError, ValueError) as exc:
        raise RegistryError("invalid_json", path=str(criteria_file), details=str(exc)) from None
    version = parse_criteria_version({**raw, "caisse": slug})
    with ctx.registry() as app:
        by = ctx.actor("animation", Role.FACILITATOR)
        app.register_caisse(slug, name, area, list(quartiers), version, by)
    click.echo(f"Caisse créée : {slug} ({name}), critères {version.version}")


@main.command()
@click.argument("siret")
@click.argument("action", type=click.Choice(ACTIONS))
@click.option("--reason", required=True, help="Motif de la décision (obligatoire).")
@click.option(
    "--decision",
    "reference",
    required=True,
    help="Référence de la décision : réunion, compte rendu, proposition.",
)
@pass_ctx
@refusals
def decide(ctx: Context, siret: str, action: str, reason: str, reference: str) -> None:
    """Inscrit une décision du collectif sur un lieu, avec son motif et sa référence.

    Records a decision of the collective on a place, with its reason and reference.
    """
    with ctx.registry() as app:
        place = app.decide(
            siret, action, reason, reference, ctx.actor("animation", Role.FACILITATOR)
        )
        view = place_view(place)
    click.echo(f"{view['name']} ({view['siret']}) : {view['status_fr']} — {view['reason']}")


@main.command()
@click.option("--caisse", default=None, help="Seulement cette caisse (défaut : toutes).")
@pass_ctx
@refusals
def reevaluate(ctx: Context, caisse: str | None) -> None:
    """Réévalue les lieux dont l'évaluation précède la version de critères en vigueur.

    Re-evaluates places whose evaluation predates the criteria version in force; run it daily.
    """
    with ctx.registry() as app:
        slugs = [caisse] if caisse else [c.slug for c in app.caisses()]
        for slug in slugs:
            changed = app.reevaluate(slug, Actor.system())
            click.echo(f"{slug} : {len(changed)} lieu(x) réévalué(s)")


@main.command()
@json_option
@pass_ctx
@refusals
def verify(ctx: Context, as_json: bool) -> None:
    """Rejoue chaque évaluation enregistrée et calcule l'empreinte de tout l'historique.

    Re-runs every stored evaluation and prints a digest of the whole history; exit 1 on mismatch.
    """
    from registry.audit import audit

    with ctx.registry() as app:
        report = audit(app)
    if as_json:
        emit_json(report.as_dict())
    else:
        click.echo(
            f"{report.evaluations} évaluation(s) rejouée(s), {len(report.mismatches)} écart(s)"
        )
        for m in report.mismatches:
            click.echo(f"  écart : lieu {m['siret']}, événement {m['version']}")
        reasons: dict[str, int] = {}
        for r in report.refused:
            reasons[r["message"]] = reasons.get(r["message"], 0) + 1
        for message, count in reasons.items():
            click.echo(f"  {count} évaluation(s) impossible(s) à rejouer : {message}")
        click.echo(f"{report.events} événement(s), empreinte {report.digest}")
    if not report.ok:
        raise SystemExit(1)
