"""Commands that evaluate places and describe policies."""

from __future__ import annotations

from typing import Any

import click

from registry.cli.base import Context, emit_json, json_option, main, pass_ctx, refusals
from registry.clock import parse_day


@main.command()
@click.argument("siret")
@click.option(
    "--criteria", "version", default=None, help="Version de critères (défaut : celle en vigueur)."
)
@click.option(
    "--as-of", "as_of", default=None, help="Date d'évaluation AAAA-MM-JJ (défaut : aujourd'hui)."
)
@json_option
@pass_ctx
@refusals
def evaluate(
    ctx: Context, siret: str, version: str | None, as_of: str | None, as_json: bool
) -> None:
    """Évalue le lieu SIRET critère par critère, sans rien enregistrer.

    Evaluates place SIRET criterion by criterion, without recording anything.
    """
    day = parse_day(as_of) if as_of else None
    with ctx.registry() as app:
        result = app.evaluate_place(siret, version, day)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    click.echo(result.summary_fr)
    for r in result.results:
        mark = {"met": "✔", "not_met": "✘", "to_collective": "?"}[r.outcome.value]
        level = f" niveau {r.level}/{r.max_level}" if r.level is not None else ""
        click.echo(f"  {mark} {r.key}{level} : {r.explanation_fr}")


@main.command()
@json_option
def policies(as_json: bool) -> None:
    """Liste les politiques publiées, leurs versions, paramètres et documentation.

    Lists published policies, their versions, parameters and documentation.
    """
    from policies.catalogue import CATALOGUE

    items: list[dict[str, Any]] = []
    for ref, policy in sorted(CATALOGUE.items()):
        fields = policy.params_model.model_fields
        items.append(
            {
                "ref": ref,
                "name": policy.name,
                "version": policy.version,
                "title_fr": policy.title_fr,
                "title_en": policy.title_en,
                "doc_fr": policy.doc_fr,
                "doc_en": policy.doc_en,
                "fingerprint": policy.fingerprint,
                "params": {
                    name: {"default": f.default, "doc_fr": policy.param_docs.get(name, "")}
                    for name, f in fields.items()
                },
            }
        )
    if as_json:
        emit_json(items)
        return
    for item in items:
        click.echo(f"{item['ref']:<26} {item['title_fr']}")
        click.echo(f"    {item['doc_fr']}")
        for name, p in item["params"].items():
            click.echo(f"    - {name} (défaut {p['default']}) : {p['doc_fr']}")
