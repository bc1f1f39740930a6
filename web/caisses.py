"""Which caisse a page is about.

Public and evaluation pages show the caisse chosen in the address (`?caisse=slug`), else the
signed-in person's, else the registry's first; a selector appears once the registry holds more
than one caisse. Governance pages act on the signed-in person's own caisse only: accounts of
members, participants, facilitators, evaluators and observers belong to one caisse (an account
without one belongs to the first caisse), place accounts to the caisse of their places.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from flask import Flask, abort, g, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.accounts import Account
from registry.errors import RegistryError
from registry.readmodels import listing
from registry.roles import Role
from web import store
from web.i18n import lang

ALL = "toutes"


class Refusal(Exception):
    """Why a request about a caisse cannot go on, said without rendering anything: an HTTP
    status, a stable code, a message in the request's language, and its parameters."""

    def __init__(self, status: int, code: str, message: str, **params: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.params = status, code, message, params


def init_app(app: Flask) -> None:
    """Template helpers: the selector's links, and whether the registry has several caisses."""
    app.jinja_env.globals.update(
        caisse_links=links,
        several_caisses=several,
        shown_caisse=lambda: g.get("ssa_chosen"),
        caisse_arg=arg,
    )


@dataclass(frozen=True)
class KnownCaisse:
    """A caisse as the read models know it: what pages show and choose by."""

    slug: str
    name: str
    area: str
    quartiers: tuple[str, ...]


def known() -> list[KnownCaisse]:
    """Every caisse of the registry, in registration order (read once per request)."""
    if "ssa_caisses" not in g:
        with store.read_models() as db:
            found = listing.caisses(db)
        g.ssa_caisses = [
            KnownCaisse(c["slug"], c["name"], c["area"] or "", tuple(c["quartiers"])) for c in found
        ]
    return g.ssa_caisses  # type: ignore[no-any-return]


def several() -> bool:
    """Whether the registry holds more than one caisse."""
    return len(known()) > 1


def by_slug(slug: str) -> KnownCaisse | None:
    """A caisse by its slug, or None."""
    return next((c for c in known() if c.slug == slug), None)


def first() -> KnownCaisse | None:
    """The caisse registered first."""
    caisses = known()
    return caisses[0] if caisses else None


def signed_in() -> Account | None:
    """The account behind the request (API token or session), or None."""
    who = g.get("api_account") or current_user
    return who if getattr(who, "is_authenticated", False) else None  # type: ignore[no-any-return]


def of_account(account: Account) -> KnownCaisse | None:
    """The caisse an account belongs to: a place account's is its places' caisse; an account
    without a caisse belongs to the first; an account naming an unknown caisse to none."""
    if account.role is Role.PLACE and account.sirets:
        with store.read_models() as db:
            slug = listing.caisse_of(db, list(account.sirets))
        found = by_slug(slug) if slug is not None else None
        if found is not None:
            return found
    if not account.caisse:
        return first()
    return by_slug(account.caisse)


def home() -> KnownCaisse | None:
    """The signed-in person's caisse, else the first caisse."""
    account = signed_in()
    found = of_account(account) if account is not None else None
    return found or first()


def asked(allow_all: bool = False) -> KnownCaisse | None:
    """The caisse asked for by `?caisse=slug`, else `home()`; None for every caisse when
    `allow_all` and `?caisse=toutes`, or if the registry has none. An unknown slug is a
    Refusal (404, `unknown_caisse`) naming the caisses there are."""
    slug = request.args.get("caisse", "").strip()
    found: KnownCaisse | None
    if allow_all and slug == ALL:
        found = None
    elif slug:
        found = by_slug(slug)
        if found is None:
            known_slugs = ", ".join(c.slug for c in known()) or "aucune"
            error = RegistryError("unknown_caisse", caisse=slug, known=known_slugs)
            raise Refusal(404, "unknown_caisse", error.message(lang()), slug=slug)
    else:
        found = home()
    g.ssa_chosen = found
    return found


def chosen(allow_all: bool = False) -> KnownCaisse | None:
    """The caisse asked for by `?caisse=slug` (an unknown one is a 404 page), else `home()`;
    None for every caisse when `allow_all` and `?caisse=toutes`, or if the registry has none."""
    try:
        return asked(allow_all)
    except Refusal as exc:
        not_found(exc.params["slug"])


def chosen_or_404() -> KnownCaisse:
    """`chosen()`, or 404 if the registry has no caisse yet."""
    found = chosen()
    if found is None:
        abort(404)
    return found


def account_caisse(account: Account | None = None) -> KnownCaisse:
    """The caisse an account (the signed-in one by default) acts in. A Refusal when there is
    none: 404 `no_caisses` if the registry has no caisse yet, else 403 `no_caisse`."""
    who = account if account is not None else signed_in()
    found = of_account(who) if who is not None else None
    if found is not None:
        return found
    if not known():
        none = ("Ce registre n'a encore aucune caisse.", "This registry has no caisse yet.")
        raise Refusal(404, "no_caisses", none[lang() == "en"])
    raise Refusal(
        403,
        "no_caisse",
        _(
            "Votre compte n'est rattaché à aucune caisse de ce registre : demandez à "
            "l'animation de votre caisse de le rattacher."
        ),
    )


def owned(slug: str, message: str | None = None) -> KnownCaisse:
    """The signed-in person's caisse when `slug` names it; else a Refusal (403,
    `other_caisse`), with `message` or a message naming both caisses."""
    mine = account_caisse()
    if slug != mine.slug:
        other = by_slug(slug)
        raise Refusal(
            403,
            "other_caisse",
            message
            or _(
                "Ceci relève de la caisse « %(other)s ». Votre compte appartient à la caisse "
                "« %(mine)s » : vous ne pouvez agir que pour elle.",
                other=other.name if other else slug,
                mine=mine.name,
            ),
        )
    return mine


def _stop(exc: Refusal) -> NoReturn:
    """A Refusal as a page: a bare 404, or a 403 page saying why."""
    if exc.status == 404:
        abort(404)
    refuse(exc.message)


def own() -> KnownCaisse:
    """The caisse the signed-in person acts in; refused (403) if their account has none."""
    try:
        found = account_caisse()
    except Refusal as exc:
        _stop(exc)
    g.ssa_chosen = found
    return found


def check_own(slug: str, message: str | None = None) -> KnownCaisse:
    """Refuse (403) to act on something of another caisse than the signed-in person's."""
    own()
    try:
        return owned(slug, message)
    except Refusal as exc:
        _stop(exc)


def member_in(mine: KnownCaisse, pseudonym: str, elsewhere: Callable[[KnownCaisse], None]) -> Any:
    """A member of `mine` by pseudonym; if only another caisse has one, `elsewhere(that caisse)`
    is called first (it refuses), then the registry's own 'member not found' is raised."""
    registry = store.registry()
    try:
        return registry.member(mine.slug, pseudonym)
    except RegistryError as exc:
        if exc.code != "member_not_found":
            raise
        for other in known():
            if other.slug == mine.slug:
                continue
            try:
                registry.member(other.slug, pseudonym)
            except RegistryError:
                continue
            elsewhere(other)
        raise


def account_caisses(caisse: KnownCaisse) -> tuple[str, ...]:
    """The values of an account's caisse that mean this caisse ('' means the first)."""
    start = first()
    if start is not None and start.slug == caisse.slug:
        return (caisse.slug, "")
    return (caisse.slug,)


def belongs(account: Account, caisse: KnownCaisse) -> bool:
    """Whether a (non-place) account belongs to this caisse."""
    return account.caisse in account_caisses(caisse)


def arg() -> dict[str, str]:
    """`{"caisse": slug}` for links that keep the shown caisse, when there are several."""
    shown = g.get("ssa_chosen")
    return {"caisse": shown.slug} if shown is not None and several() else {}


def refuse(message: str) -> NoReturn:
    """Stop with a 403 page saying why."""
    page = render_template("errors/error.html", title=_("Accès refusé"), message=message)
    abort(make_response(page, 403))


def not_found(slug: str) -> NoReturn:
    """Stop with a 404 page naming the caisses there are."""
    page = render_template(
        "errors/unknown_caisse.html",
        title=_("Caisse introuvable"),
        message=_("Ce registre n'a pas de caisse « %(slug)s ».", slug=slug),
        caisses=known(),
    )
    abort(make_response(page, 404))


def links(endpoint: str | None = None, every: bool = False) -> list[dict[str, Any]]:
    """The selector's links: this page (or `endpoint`) for each caisse, the shown one marked;
    empty when the registry has a single caisse. `every` adds a link for all caisses."""
    caisses = known()
    if len(caisses) < 2 or request.endpoint is None:
        return []
    if endpoint is None:
        endpoint = request.endpoint
        args = {**(request.view_args or {}), **request.args.to_dict()}
    else:
        args = {}
    args.pop("caisse", None)
    args.pop("page", None)
    current = g.get("ssa_chosen")
    shown = current.slug if current is not None else ALL
    found = [
        {
            "name": c.name,
            "slug": c.slug,
            "url": url_for(endpoint, **args, caisse=c.slug),
            "current": c.slug == shown,
        }
        for c in caisses
    ]
    if every:
        found.append(
            {
                "name": _("Toutes les caisses"),
                "slug": ALL,
                "url": url_for(endpoint, **args, caisse=ALL),
                "current": shown == ALL,
            }
        )
    return found
