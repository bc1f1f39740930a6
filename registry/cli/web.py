"""The `serve` command: the web interface on a production WSGI server (waitress);
`account-add`, a web account for a person of a caisse (its first facilitator, for instance); and
`account-password`, a temporary password for an account whose password was lost."""

from __future__ import annotations

import importlib
import ipaddress
import sys

import click

from registry.accounts import ACCOUNT_ROLES, AccountError, Accounts
from registry.cli.base import EXIT_REFUSED, Context, main, pass_ctx, refusals
from registry.errors import RegistryError
from registry.roles import Actor, Role


def is_loopback(host: str) -> bool:
    """Whether the host only listens on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port."
)
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Fils de traitement.",
)
@click.option(
    "--secure-cookies/--no-secure-cookies",
    default=None,
    help="Cookies réservés à HTTPS (défaut : oui, sauf en écoute sur 127.0.0.1 ou localhost).",
)
@click.option(
    "--behind-proxy",
    is_flag=True,
    help="Derrière un proxy HTTPS sur cette machine : croire ses en-têtes X-Forwarded-*.",
)
@pass_ctx
@refusals
def serve(
    ctx: Context,
    host: str,
    port: int,
    threads: int,
    secure_cookies: bool | None,
    behind_proxy: bool,
) -> None:
    """Sert l'interface web et l'API avec waitress (jamais le serveur de développement de Flask).

    Serves the web UI and the JSON API with waitress, on the configured store.
    """
    from waitress import serve as waitress_serve  # type: ignore[import-untyped]

    # The web package is typed apart from registry/: load it without mypy following it.
    web = importlib.import_module("web")
    store = importlib.import_module("web.store")

    secure = (not is_loopback(host) or behind_proxy) if secure_cookies is None else secure_cookies
    app = web.create_app({"REGISTRY_SETTINGS": ctx.settings, "SESSION_COOKIE_SECURE": secure})
    if not store.registry_of(app).is_initialised():
        store.close(app)
        raise RegistryError("store_missing", location=ctx.settings.location)
    proxy: dict[str, object] = {}
    if behind_proxy:
        proxy = {
            "trusted_proxy": "127.0.0.1",
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"},
            "clear_untrusted_proxy_headers": True,
        }
    click.echo(f"Registre servi sur http://{host}:{port} ({ctx.settings.location})")
    try:
        waitress_serve(app, host=host, port=port, threads=threads, ident="ssa-registry", **proxy)
    finally:
        store.close(app)


@main.command("account-add")
@click.argument("login")
@click.option(
    "--role",
    required=True,
    type=click.Choice([str(r) for r in ACCOUNT_ROLES]),
    help="Rôle du compte.",
)
@click.option(
    "--caisse",
    default=None,
    help="Caisse du compte (défaut : la première du registre) ; un lieu suit ses SIRET.",
)
@click.option("--name", "display_name", default="", help="Nom affiché (défaut : l'identifiant).")
@click.option("--pseudonym", default="", help="Pseudonyme sous lequel le compte agit.")
@click.password_option("--password", help="Mot de passe (demandé s'il n'est pas donné).")
@pass_ctx
@refusals
def account_add(
    ctx: Context,
    login: str,
    role: str,
    caisse: str | None,
    display_name: str,
    pseudonym: str,
    password: str,
) -> None:
    """Crée un compte web rattaché à une caisse, par exemple la première animatrice d'une
    nouvelle caisse, qui ouvrira ensuite les comptes de ses membres depuis la page « Membres ».

    Creates a web account belonging to a caisse, for instance the first facilitator of a new
    caisse, who then opens its members' accounts from the "Members" page.
    """
    with ctx.registry() as app:
        slug = app.caisse(caisse).slug if caisse else app.caisses()[0].slug
    if role == str(Role.PLACE):
        slug = ""
    try:
        Accounts.for_settings(ctx.settings).create(
            login, password, role, display_name, (), pseudonym, slug
        )
    except AccountError as exc:
        click.echo(f"Erreur : {exc.message(ctx.lang)}", err=True)
        sys.exit(EXIT_REFUSED)
    where = f", caisse {slug}" if slug else ""
    click.echo(f"Compte créé : {login.strip().lower()} ({role}{where})")
    if role == str(Role.FACILITATOR):
        _enrol_facilitator(ctx, slug, login.strip().lower(), pseudonym.strip())


def _enrol_facilitator(ctx: Context, caisse: str, login: str, pseudonym: str) -> None:
    """A facilitator acts only as an active member of their caisse: the registry itself
    enrols a new one (the account is removed again if the enrolment is refused)."""
    pseudonym = pseudonym or login
    with ctx.registry() as app:
        try:
            app.member(caisse, pseudonym)
            return
        except RegistryError as exc:
            if exc.code != "member_not_found":
                raise
        try:
            app.join_member(caisse, pseudonym, [Role.FACILITATOR], 1, Actor.system())
        except RegistryError:
            Accounts.for_settings(ctx.settings).delete(login)
            raise
    click.echo(f"Membre inscrit : {pseudonym} (animateur, caisse {caisse})")


@main.command("account-password")
@click.argument("login")
@pass_ctx
@refusals
def account_password(ctx: Context, login: str) -> None:
    """Donne un mot de passe provisoire à un compte web qui a perdu le sien (un lieu, un membre,
    l'animation) : imprimé une seule fois, à remettre en main propre ; le jeton d'API du compte
    est révoqué. Refusé pour le compte d'un membre parti.

    Gives a web account that lost its password a temporary one (a place, a member,
    facilitation): printed once, to hand over in person; the account's API token is revoked.
    Refused for the account of a member who left.
    """
    accounts = Accounts.for_settings(ctx.settings)
    try:
        account = accounts.get(login)
        if account is None:
            raise AccountError("unknown_account", login=login.strip().lower())
        if account.pseudonym and account.role is not Role.PLACE:
            with ctx.registry() as app:
                slug = account.caisse or app.caisses()[0].slug
                try:
                    member = app.member(slug, account.pseudonym)
                except RegistryError:
                    member = None
            if member is not None and not member.active:
                raise AccountError("member_left", login=account.login)
        temporary = accounts.reset_password(account.login)
    except AccountError as exc:
        click.echo(f"Erreur : {exc.message(ctx.lang)}", err=True)
        sys.exit(EXIT_REFUSED)
    # Printed once and never written anywhere else.
    click.echo(f"Mot de passe provisoire de {account.login} : {temporary}")
    click.echo("Affiché une seule fois : à remettre en main propre. Jeton d'API révoqué.")


if __name__ == "__main__":  # python -m registry.cli.web serve …
    main()
