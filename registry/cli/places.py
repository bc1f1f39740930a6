"""Commands for the store, places and criteria."""

from __future__ import annotations

import json
from pathlib import Path

import click

from registry.cli.base import Context, emit_json, json_option, main, pass_ctx, refusals
from registry.declaration import Declaration, load_declaration_file
from registry.errors import RegistryError
from registry.history import describe
from registry.roles import Role
from registry.views import criteria_view, place_view

declaration_file = click.argument("file", type=click.Path(dir_okay=False, path_type=Path))


@main.command()
@pass_ctx
@refusals
def init(ctx: Context) -> None:
    """Crée le registre avec la caisse Paris 14e et ses premiers critères.

    Creates the store with the default caisse and a first criteria version; refuses if it exists.
    """
    from registry.bootstrap import initialise

    with ctx.registry(must_exist=False) as app:
        if app.is_initialised():
            raise RegistryError("store_exists", location=ctx.settings.location)
        initialise(app, ctx.actor("animation", Role.FACILITATOR))
    click.echo(f"Registre créé : {ctx.settings.location}")


@main.command()
@pass_ctx
@refusals
def demo(ctx: Context) -> None:
    """Crée le registre et y rejoue une histoire réaliste du Paris 14e (données de démonstration).

    Init plus a realistic Paris 14e history: places, criteria versions, members, decisions.
    """
    from registry.demo import load_demo

    with ctx.registry(must_exist=False) as app:
        if app.is_initialised():
            raise RegistryError("store_exists", location=ctx.settings.location)
        summary = load_demo(app)
    click.echo(f"Registre de démonstration créé : {ctx.settings.location}")
    for line in summary:
        click.echo(f"  {line}")


@main.command()
@declaration_file
@pass_ctx
@refusals
def apply(ctx: Context, file: Path) -> None:
    """Dépose la candidature décrite dans FILE (JSON) ; elle est évaluée aussitôt.

    Submits the application in FILE.json; it is evaluated at once.
    """
    declaration = load_declaration_file(file)
    with ctx.registry() as app:
        place = app.apply(declaration, ctx.actor(declaration.siret, Role.PLACE))
        _print_status(place_view(place))


@main.command()
@click.argument("siret")
@declaration_file
@pass_ctx
@refusals
def amend(ctx: Context, siret: str, file: Path) -> None:
    """Remplace la déclaration du lieu SIRET par FILE (JSON) ; elle est réévaluée.

    Amends the declaration of place SIRET with FILE.json; it is re-evaluated.
    """
    declaration = load_declaration_file(file)
    with ctx.registry() as app:
        place = app.amend(siret, declaration, ctx.actor(declaration.siret, Role.PLACE))
        _print_status(place_view(place))


@main.command()
@click.argument("siret")
@click.option("--reason", default="Retrait à la demande du lieu", show_default=True, help="Motif.")
@pass_ctx
@refusals
def withdraw(ctx: Context, siret: str, reason: str) -> None:
    """Retire la candidature (ou le conventionnement) du lieu SIRET, à sa demande.

    Withdraws place SIRET at its own request.
    """
    with ctx.registry() as app:
        place = app.withdraw(siret, reason, ctx.actor(siret, Role.PLACE))
        _print_status(place_view(place))


@main.command()
@click.argument("siret")
@json_option
@pass_ctx
@refusals
def status(ctx: Context, siret: str, as_json: bool) -> None:
    """Statut du lieu SIRET, et pourquoi : chaque critère expliqué.

    Status of place SIRET and why, criterion by criterion.
    """
    with ctx.registry() as app:
        view = place_view(app.place(siret), detail=True)
    if as_json:
        emit_json(view)
        return
    _print_status(view)
    evaluation = view["evaluation"]
    if evaluation:
        click.echo(f"Évaluation : {evaluation['summary_fr']}")
        for result in evaluation["results"]:
            mark = {"met": "✔", "not_met": "✘", "to_collective": "?"}[result["outcome"]]
            need = "obligatoire" if result["required"] else f"pondéré ×{result['weight']:g}"
            click.echo(f"  {mark} {result['key']} ({need}) : {result['explanation_fr']}")
    if view["missing"]:
        click.echo(f"À compléter : {' ; '.join(view['missing_fr'])}")


@main.command()
@click.argument("siret")
@json_option
@pass_ctx
@refusals
def history(ctx: Context, siret: str, as_json: bool) -> None:
    """Tout l'historique du lieu SIRET, événement par événement.

    Every event of place SIRET, oldest first.
    """
    with ctx.registry() as app:
        events = [describe(e) for e in app.history(siret)]
    if as_json:
        emit_json(events)
        return
    for e in events:
        who = f"{e['actor']} ({e['role']})" if e["actor"] else ""
        click.echo(f"{e['at'][:16].replace('T', ' ')}  {e['title_fr']:<34} {who}")
        if e["detail_fr"]:
            click.echo(f"    {e['detail_fr']}")


@main.command()
@click.option("--caisse", default=None, help="Seulement cette caisse.")
@click.option(
    "--status", "status_filter", default=None, help="Seulement ce statut (ex. conventionne)."
)
@json_option
@pass_ctx
@refusals
def places(ctx: Context, caisse: str | None, status_filter: str | None, as_json: bool) -> None:
    """Liste des lieux et de leur statut.

    Lists places and their status.
    """
    with ctx.registry() as app:
        if caisse:
            app.caisse(caisse)
        views = [place_view(p) for p in app.places(caisse)]
    if status_filter:
        views = [v for v in views if v["status"] == status_filter]
    if as_json:
        emit_json(views)
        return
    for v in views:
        click.echo(f"{v['siret']}  {v['status_fr']:<22} {v['kind']:<12} {v['name']}")
    click.echo(f"{len(views)} lieu(x)")


@main.command()
@click.option("--caisse", default="paris-14e", show_default=True, help="Caisse.")
@json_option
@pass_ctx
@refusals
def criteria(ctx: Context, caisse: str, as_json: bool) -> None:
    """Toutes les versions de critères publiées, et celle en vigueur aujourd'hui.

    All published criteria versions, and the one in force today.
    """
    with ctx.registry() as app:
        criteria_set = app.criteria_set(caisse)
        versions = [
            criteria_view(v, criteria_set.published_on[v.version]) for v in criteria_set.versions()
        ]
        current = app.criteria_in_force(caisse)
    if as_json:
        emit_json({"caisse": caisse, "in_force": current.version, "versions": versions})
        return
    for v in versions:
        mark = "→" if v["version"] == current.version else " "
        click.echo(f"{mark} {v['version']:<10} en vigueur le {v['effective_from']}  {v['title']}")
        for c in v["criteria"]:
            need = "obligatoire" if c["required"] else f"pondéré ×{c['weight']:g}"
            params = json.dumps(c["params"], ensure_ascii=False)
            click.echo(f"      {c['key']:<22} {c['policy']:<24} {need}  {params}")
    click.echo(f"En vigueur aujourd'hui : {current.version}")


@main.group()
def schema() -> None:
    """Schémas JSON des documents du registre.

    JSON Schemas of the registry's documents.
    """


@schema.command("declaration")
def schema_declaration() -> None:
    """Schéma JSON d'une déclaration de commerce ou de producteur.

    JSON Schema of a shop's or producer's declaration.
    """
    emit_json(Declaration.model_json_schema())


def _print_status(view: dict[str, object]) -> None:
    click.echo(f"{view['name']} ({view['siret']}) : {view['status_fr']}")
    click.echo(f"  Motif : {view['reason']}")
    since = str(view["since"])[:16].replace("T", " ")
    click.echo(f"  Depuis le {since} — décision : {view['decision']}")
