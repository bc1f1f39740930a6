"""Commands for governance: members and training, the charter, proposals and votes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from registry.application import Registry
from registry.cli.base import Context, emit_json, json_option, main, pass_ctx, refusals
from registry.clock import local_date, now, paris, parse_day
from registry.governance import Mode
from registry.governance.inputs import charter_terms, criteria_file, option_counts, read_json
from registry.governance.members import MEMBER_ROLES, parse_roles
from registry.governance.proposals import State
from registry.governance.rules import MODE_LABELS
from registry.governance.text import detail_lines, impact_lines, summary_line
from registry.governance.views import (
    charter_view,
    member_view,
    proposal_detail,
    proposal_summary,
)
from registry.roles import Actor, Role

CAISSE = click.option("--caisse", default="paris-14e", show_default=True, help="Caisse.")
MODE = click.option(
    "--mode",
    type=click.Choice([m.value for m in Mode]),
    default=None,
    help="Mode de décision déclaré (défaut : celui de la charte) : consensus, consent "
    "(consentement), majority (vote), poll (sondage).",
)
PROPOSAL_ID = click.argument("proposal_id", metavar="ID")


# The registry carries its governance verbs; the alias keeps older imports working.
GovernedRegistry = Registry


def governed(app: Registry) -> Registry:
    """The opened registry, with its governance verbs."""
    return app


def _facilitator(ctx: Context) -> Actor:
    return ctx.actor("animation", Role.FACILITATOR)


def _opened(app: GovernedRegistry, proposal_id: Any) -> None:
    proposal = app.proposal(proposal_id)
    click.echo(f"Proposition ouverte : {proposal.short_id}  « {proposal.title} »")
    mode = MODE_LABELS[proposal.mode][0]
    click.echo(f"  Mode : {mode} — vote jusqu'au {paris(proposal.deadline):%Y-%m-%d %H:%M}")
    if proposal.impact:
        for line in impact_lines(proposal.impact, indent="  "):
            click.echo(line)


# Members ---------------------------------------------------------------------


@main.command()
@CAISSE
@json_option
@pass_ctx
@refusals
def members(ctx: Context, caisse: str, as_json: bool) -> None:
    """Membres de la caisse, par pseudonyme : rôles, vague, formations.

    Members of the caisse, by pseudonym: roles, wave, training sessions.
    """
    with ctx.registry() as opened:
        views = [member_view(m) for m in governed(opened).members(caisse)]
    if as_json:
        emit_json(views)
        return
    for v in views:
        trained = f"{len(v['trainings'])} formation(s)" if v["trainings"] else "non formé(e)"
        left = "" if v["active"] else "  (parti·e)"
        roles = ", ".join(v["roles_fr"])
        click.echo(f"{v['pseudonym']:<20} vague {v['wave']}  {roles:<40} {trained}{left}")
    click.echo(f"{len(views)} membre(s)")


@main.command("member-join")
@click.argument("pseudonym")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(sorted(str(r) for r in MEMBER_ROLES)),
    help="Rôle (répétable) : membre (du collectif), participant (expérimentateur), "
    "observateur (ou expert), evaluateur, animateur, lieu.",
)
@click.option("--wave", type=int, required=True, help="Vague d'arrivée (1, 2, …).")
@CAISSE
@pass_ctx
@refusals
def member_join(
    ctx: Context, pseudonym: str, roles: tuple[str, ...], wave: int, caisse: str
) -> None:
    """Inscrit un membre sous un pseudonyme, dans une vague.

    Registers a member under a pseudonym, in a wave.
    """
    with ctx.registry() as opened:
        member = governed(opened).join_member(
            caisse, pseudonym, parse_roles(roles), wave, _facilitator(ctx)
        )
    click.echo(f"Membre inscrit : {member.pseudonym} ({', '.join(member.roles)}), vague {wave}")


@main.command("member-role")
@click.argument("pseudonym")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(sorted(str(r) for r in MEMBER_ROLES)),
    help="Nouveaux rôles (répétable), qui remplacent les anciens.",
)
@click.option("--reason", default="", help="Motif.")
@CAISSE
@pass_ctx
@refusals
def member_role(
    ctx: Context, pseudonym: str, roles: tuple[str, ...], reason: str, caisse: str
) -> None:
    """Change les rôles d'un membre.

    Changes a member's roles.
    """
    with ctx.registry() as opened:
        member = governed(opened).set_roles(
            caisse, pseudonym, parse_roles(roles), reason, _facilitator(ctx)
        )
    click.echo(f"Rôles de {member.pseudonym} : {', '.join(member.roles)}")


@main.command("member-leave")
@click.argument("pseudonym")
@click.option("--reason", default="Départ", show_default=True, help="Motif.")
@CAISSE
@pass_ctx
@refusals
def member_leave(ctx: Context, pseudonym: str, reason: str, caisse: str) -> None:
    """Enregistre le départ d'un membre ; ses votes passés restent dans l'historique.

    Records that a member left; their past votes stay in the history.
    """
    with ctx.registry() as opened:
        governed(opened).leave_member(caisse, pseudonym, reason, _facilitator(ctx))
    click.echo(f"Départ enregistré : {pseudonym}")


@main.command()
@click.argument("pseudonym")
@click.argument("session")
@click.option(
    "--date", "day", default=None, help="Date de la formation AAAA-MM-JJ (défaut : ce jour)."
)
@CAISSE
@pass_ctx
@refusals
def training(ctx: Context, pseudonym: str, session: str, day: str | None, caisse: str) -> None:
    """Enregistre qu'un membre a suivi la formation SESSION.

    Records that a member attended training SESSION.
    """
    on = parse_day(day) if day else local_date(now())
    with ctx.registry() as opened:
        governed(opened).record_training(caisse, pseudonym, session, on, _facilitator(ctx))
    click.echo(f"Formation enregistrée : {pseudonym} — {session} ({on.isoformat()})")


# Charter ---------------------------------------------------------------------


@main.command()
@CAISSE
@json_option
@pass_ctx
@refusals
def charter(ctx: Context, caisse: str, as_json: bool) -> None:
    """La charte en vigueur : qui décide de quoi, dans quel mode, à quelles conditions.

    The charter in force: who decides what, in which mode, under which terms.
    """
    with ctx.registry() as opened:
        view = charter_view(governed(opened).charter(caisse))
    if as_json:
        emit_json(view)
        return
    click.echo(f"Charte v{view['version']} : {view['title']}")
    for rule in view["rules"].values():
        training_fr = ", formation exigée" if rule["training_required"] else ""
        click.echo(
            f"  {rule['kind_fr']:<28} {rule['body_fr']:<26} {' / '.join(rule['modes_fr'])} — "
            f"quorum {rule['quorum']}, {rule['voting_days']} jours{training_fr}"
        )
    for h in view["history"]:
        click.echo(f"  v{h['version']} adoptée le {h['adopted_on'][:10]} — {h['decision']}")


# Proposals -------------------------------------------------------------------


@main.command()
@click.option("--caisse", default=None, help="Seulement cette caisse.")
@json_option
@pass_ctx
@refusals
def proposals(ctx: Context, caisse: str | None, as_json: bool) -> None:
    """Les propositions : type, mode, statut, décompte, résultat.

    Proposals: kind, mode, status, tally, outcome.
    """
    with ctx.registry() as opened:
        app = governed(opened)
        views = [
            proposal_summary(p, app.current_result(p) if p.state is State.OPEN else None)
            for p in app.proposals(caisse)
        ]
    if as_json:
        emit_json(views)
        return
    for v in views:
        click.echo(summary_line(v))
    click.echo(f"{len(views)} proposition(s)")


@main.command()
@PROPOSAL_ID
@json_option
@pass_ctx
@refusals
def proposal(ctx: Context, proposal_id: str, as_json: bool) -> None:
    """Une proposition avec chaque vote, amendement et objection (ID : début de l'identifiant).

    One proposal with every vote, amendment and objection (ID: first characters of its id).
    """
    with ctx.registry() as opened:
        app = governed(opened)
        p = app.proposal(proposal_id)
        events = list(app.repository.event_store.get(p.id))
        view = proposal_detail(p, app.current_result(p), events)
    if as_json:
        emit_json(view)
        return
    for line in detail_lines(view):
        click.echo(line)


@main.command("propose-criteria")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", default=None, help="Titre (défaut : celui de la version).")
@click.option("--text", default="", help="Exposé des motifs.")
@click.option("--effective-from", default=None, help="Date d'entrée en vigueur AAAA-MM-JJ.")
@click.option(
    "--transition-days",
    type=int,
    default=None,
    help="Délai laissé aux lieux déjà conventionnés qui ne rempliraient plus les critères.",
)
@MODE
@pass_ctx
@refusals
def propose_criteria(
    ctx: Context,
    file: Path,
    title: str | None,
    text: str,
    effective_from: str | None,
    transition_days: int | None,
    mode: str | None,
) -> None:
    """Propose une révision des critères (FILE : version JSON) et montre son impact.

    Proposes a criteria revision (FILE: a version as JSON) and shows its impact.
    """
    day = parse_day(effective_from) if effective_from else None
    version = criteria_file(file, day, transition_days)
    with ctx.registry() as opened:
        app = governed(opened)
        p = app.propose_criteria(
            version, title or version.title, text, _facilitator(ctx), Mode(mode) if mode else None
        )
        _opened(app, p.id)


@main.command("propose-decision")
@click.argument("siret")
@click.argument(
    "action", type=click.Choice(["approve", "refuse", "suspend", "withdraw_approval", "renew"])
)
@click.option("--reason", required=True, help="Motif de la décision proposée.")
@click.option("--title", default=None, help="Titre (défaut : lieu et action).")
@MODE
@pass_ctx
@refusals
def propose_decision(
    ctx: Context, siret: str, action: str, reason: str, title: str | None, mode: str | None
) -> None:
    """Propose une décision sur le lieu SIRET : conventionner, refuser, suspendre, déconventionner.

    Proposes a decision on place SIRET: approve, refuse, suspend, withdraw approval.
    """
    with ctx.registry() as opened:
        app = governed(opened)
        p = app.propose_decision(
            siret, action, reason, _facilitator(ctx), title, Mode(mode) if mode else None
        )
        _opened(app, p.id)


@main.command("propose-poll")
@click.option("--title", required=True, help="La question posée.")
@click.option("--text", default="", help="Contexte.")
@click.option("--option", "options", multiple=True, help="Option (répétable, au moins deux).")
@click.option(
    "--choice",
    type=click.Choice(["single", "ranked"]),
    default=None,
    help="single : un seul choix ; ranked : classement (décompte par éliminations successives).",
)
@MODE
@CAISSE
@pass_ctx
@refusals
def propose_poll(
    ctx: Context,
    title: str,
    text: str,
    options: tuple[str, ...],
    choice: str | None,
    mode: str | None,
    caisse: str,
) -> None:
    """Ouvre un sondage à plusieurs options, ou une question ouverte (sans option).

    Opens a poll with several options, or an open question (without options).
    """
    with ctx.registry() as opened:
        app = governed(opened)
        p = app.propose_question(
            caisse, title, text, _facilitator(ctx), options, Mode(mode) if mode else None, choice
        )
        _opened(app, p.id)


@main.command("propose-charter")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", required=True, help="Titre de la proposition.")
@click.option("--text", default="", help="Exposé des motifs.")
@CAISSE
@pass_ctx
@refusals
def propose_charter(ctx: Context, file: Path, title: str, text: str, caisse: str) -> None:
    """Propose une nouvelle version de la charte (FILE : charte JSON, voir « charter --json »).

    Proposes a new charter version (FILE: the charter as JSON, see 'charter --json').
    """
    terms = charter_terms(read_json(file))
    with ctx.registry() as opened:
        app = governed(opened)
        p = app.propose_charter(caisse, terms, title, text, _facilitator(ctx))
        _opened(app, p.id)


@main.command("amend-proposal")
@PROPOSAL_ID
@click.option("--note", required=True, help="Ce que l'amendement change, et pourquoi.")
@click.option("--title", default=None, help="Nouveau titre.")
@click.option("--text", default=None, help="Nouveau texte.")
@click.option(
    "--file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help='Nouveau contenu JSON : version de critères, charte ou {"options": [...]}.',
)
@pass_ctx
@refusals
def amend_proposal(
    ctx: Context,
    proposal_id: str,
    note: str,
    title: str | None,
    text: str | None,
    file: Path | None,
) -> None:
    """Amende une proposition ouverte ; les votes déjà exprimés restent, marqués comme antérieurs.

    Amends an open proposal; votes already cast stay, marked as cast before the amendment.
    """
    with ctx.registry() as opened:
        app = governed(opened)
        payload = None
        if file is not None:
            raw = read_json(file)
            kind = app.proposal(proposal_id).kind
            key = {"criteria_revision": "version", "charter_change": "charter"}.get(str(kind))
            payload = {key: raw} if key else raw
        p = app.amend_proposal(proposal_id, note, _facilitator(ctx), title, text, payload)
    click.echo(f"Amendement {len(p.amendments)} enregistré sur « {p.title} »")


@main.command()
@PROPOSAL_ID
@click.option("--member", "pseudonym", required=True, help="Pseudonyme du membre qui vote.")
@click.option("--for", "pro", is_flag=True, help="Pour (ou consentement).")
@click.option("--against", is_flag=True, help="Contre (vote à la majorité).")
@click.option("--abstain", is_flag=True, help="Abstention (ou retrait).")
@click.option("--block", default=None, metavar="MOTIF", help="Bloque (consensus), avec son motif.")
@click.option("--object", "objection", default=None, metavar="MOTIF", help="Objection motivée.")
@click.option("--option", "options", multiple=True, help="Option choisie (répétable : classement).")
@click.option("--lift", default=None, metavar="NOTE", help="Lève son blocage ou son objection.")
@pass_ctx
@refusals
def vote(
    ctx: Context,
    proposal_id: str,
    pseudonym: str,
    pro: bool,
    against: bool,
    abstain: bool,
    block: str | None,
    objection: str | None,
    options: tuple[str, ...],
    lift: str | None,
) -> None:
    """Vote d'un membre ; son dernier vote est celui qui compte.

    A member's vote; their last vote is the one that counts.
    """
    given: dict[str, Any] = {
        "for": pro or None,
        "against": against or None,
        "abstain": abstain or None,
        "block": block,
        "object": objection,
        "options": options or None,
        "lift": lift,
    }
    chosen = [k for k, v in given.items() if v is not None]
    if len(chosen) != 1:
        raise click.UsageError(
            "un seul choix : --for, --against, --abstain, --block, --object, --option ou --lift"
        )
    kind = chosen[0]
    with ctx.registry() as opened:
        app = governed(opened)
        if kind == "lift":
            p = app.lift_objection(proposal_id, pseudonym, lift or "")
        else:
            reason = block or objection or ""
            p = app.cast_vote(proposal_id, pseudonym, kind, reason=reason, options=options)
        result = app.current_result(p)
    click.echo(f"Vote enregistré : {pseudonym} sur « {p.title} »")
    click.echo(f"  Si le vote se terminait maintenant : {result.explanation_fr}")


@main.command("meeting-vote")
@PROPOSAL_ID
@click.option("--minutes", required=True, help="Référence ou lien du compte rendu de la réunion.")
@click.option("--date", "day", required=True, help="Date de la réunion AAAA-MM-JJ.")
@click.option("--present", type=int, required=True, help="Nombre de votants présents.")
@click.option("--for", "pro", type=int, default=0, help="Voix pour.")
@click.option("--against", type=int, default=0, help="Voix contre.")
@click.option("--abstain", type=int, default=0, help="Abstentions.")
@click.option("--block", "blocks", multiple=True, metavar="MOTIF", help="Blocage (répétable).")
@click.option("--object", "objections", multiple=True, metavar="MOTIF", help="Objection.")
@click.option("--option", "options", multiple=True, metavar="NOM=N", help="Voix d'une option.")
@pass_ctx
@refusals
def meeting_vote(
    ctx: Context,
    proposal_id: str,
    minutes: str,
    day: str,
    present: int,
    pro: int,
    against: int,
    abstain: int,
    blocks: tuple[str, ...],
    objections: tuple[str, ...],
    options: tuple[str, ...],
) -> None:
    """Enregistre le décompte d'un vote en réunion, avec la référence de son compte rendu.

    Records the tally of an in-person meeting vote, citing its minutes.
    """
    tally: dict[str, Any] = {"for": pro, "against": against, "abstain": abstain}
    tally.update(blocks=list(blocks), objections=list(objections), options=option_counts(options))
    with ctx.registry() as opened:
        app = governed(opened)
        p = app.record_meeting_vote(
            proposal_id, minutes, parse_day(day), present, tally, _facilitator(ctx)
        )
    click.echo(f"Vote en réunion enregistré sur « {p.title} » ({present} présent(e)s)")


@main.command("withdraw-proposal")
@PROPOSAL_ID
@click.option("--reason", required=True, help="Motif du retrait.")
@pass_ctx
@refusals
def withdraw_proposal(ctx: Context, proposal_id: str, reason: str) -> None:
    """Retire une proposition ouverte (son auteur ou un animateur).

    Withdraws an open proposal (its proposer or a facilitator).
    """
    with ctx.registry() as opened:
        p = governed(opened).withdraw_proposal(proposal_id, reason, _facilitator(ctx))
    click.echo(f"Proposition retirée : « {p.title} »")


@main.command()
@PROPOSAL_ID
@pass_ctx
@refusals
def close(ctx: Context, proposal_id: str) -> None:
    """Clôt une proposition, calcule son résultat et applique ce qui a été adopté.

    Closes a proposal, computes its outcome and applies what was adopted.
    """
    with ctx.registry() as opened:
        p = governed(opened).close_proposal(proposal_id, _facilitator(ctx))
    _print_closed(p.title, p.result or {}, p.effect)


@main.command("close-due")
@pass_ctx
@refusals
def close_due(ctx: Context) -> None:
    """Clôt toutes les propositions dont le vote est terminé.

    Closes every proposal whose voting period has ended.
    """
    with ctx.registry() as opened:
        closed = governed(opened).close_due_proposals(ctx.actor("registre", Role.SYSTEM))
        for p in closed:
            _print_closed(p.title, p.result or {}, p.effect)
    click.echo(f"{len(closed)} proposition(s) close(s)")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--on", "day", default=None, help="Date d'évaluation (défaut : entrée en vigueur).")
@json_option
@pass_ctx
@refusals
def impact(ctx: Context, file: Path, day: str | None, as_json: bool) -> None:
    """Quels lieux une version de critères (FILE) conventionnerait en plus ou en moins, et pourquoi.

    Which places a criteria version (FILE) would gain or lose approval, and why.
    """
    version = criteria_file(file)
    with ctx.registry() as opened:
        app = governed(opened)
        preview = app.preview_impact(version.caisse, version, parse_day(day) if day else None)
    if as_json:
        emit_json(preview)
        return
    for line in impact_lines(preview):
        click.echo(line)


def _print_closed(title: str, result: dict[str, Any], effect: dict[str, Any] | None) -> None:
    click.echo(f"Proposition close : « {title} »")
    click.echo(f"  {result.get('explanation_fr', '')}")
    if effect:
        click.echo(f"  Effet : {effect.get('summary_fr', '')}")
