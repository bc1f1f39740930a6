"""Facilitators manage members: waves, roles, training, departures, and their accounts."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from registry.accounts import AccountError
from registry.domain.caisses import Caisse
from registry.errors import RegistryError
from registry.governance.members import MEMBER_ROLES
from registry.governance.views import member_view
from registry.readmodels import governance_queries
from registry.readmodels.governance_queries import Listing
from registry.roles import Role
from web import caisses, pseudonyms, store
from web.access import actor, role_required
from web.i18n import lang
from web.safety import text

bp = Blueprint("members", __name__, url_prefix="/membres")

ROLE_ORDER = (
    Role.MEMBER,
    Role.PARTICIPANT,
    Role.FACILITATOR,
    Role.EVALUATOR,
    Role.OBSERVER,
    Role.PLACE,
)
ACCOUNT_PRIORITY = (
    Role.FACILITATOR,
    Role.MEMBER,
    Role.PARTICIPANT,
    Role.EVALUATOR,
    Role.OBSERVER,
    Role.PLACE,
)


def _caisse() -> str:
    """The facilitator's own caisse: the only one whose members they manage."""
    return caisses.own().slug


def _member(pseudonym: str) -> Any:
    """A member of the facilitator's caisse; a member of another caisse only is refused."""
    mine = caisses.own()

    def elsewhere(other: Caisse) -> None:
        caisses.refuse(
            _(
                "%(name)s est membre de la caisse « %(other)s ». Votre compte appartient "
                "à la caisse « %(mine)s » : vous ne gérez que ses membres.",
                name=pseudonym,
                other=other.name,
                mine=mine.name,
            )
        )

    return caisses.member_in(mine, pseudonym, elsewhere)


def _roles() -> list[tuple[str, str]]:
    from web.labels import label

    return [(r.value, label(r.value)) for r in ROLE_ORDER if r in MEMBER_ROLES]


def listing(caisse: str, number: int = 1, size: int | None = None) -> Listing:
    """A page of a caisse's members from the read models, as `member_view` shows them."""
    with store.read_models() as db:
        found = governance_queries.members(db, caisse, number, size)
        names = pseudonyms.names(db, found.member_keys)
    for item in found.items:
        key = item.pop("member")
        item["pseudonym"] = names.get(key, key)
    return found


def _page(values: dict[str, Any], errors: dict[str, str]) -> Any:
    caisse = caisses.own()
    try:
        number = int(request.args.get("page", "1"))
    except ValueError:
        number = 1
    found = listing(caisse.slug, number, current_app.config["PAGE_SIZE"])
    with store.read_models() as db:
        totals = governance_queries.waves(db, caisse.slug)
    waves: dict[int, list[dict[str, Any]]] = {}
    for m in found.items:
        waves.setdefault(m["wave"], []).append(m)
    accounts = {a.actor_id: a for a in store.accounts().all() if caisses.belongs(a, caisse)}
    next_wave = max(totals, default=0) or 1
    return render_template(
        "members/index.html",
        caisse=caisse,
        waves=dict(sorted(waves.items())),
        totals=totals,
        page=found.page,
        pages=found.pages,
        accounts=accounts,
        roles=_roles(),
        values={"wave": str(next_wave), "roles": [Role.MEMBER.value], **values},
        errors=errors,
    ), (400 if errors else 200)


@bp.get("/")
@role_required(Role.FACILITATOR)
def index() -> ResponseReturnValue:
    """Members by wave, with their roles, training and account."""
    return _page({}, {})


@bp.post("/")
@role_required(Role.FACILITATOR)
def join() -> ResponseReturnValue:
    """A new member joins a wave; an account can be opened for them at once."""
    values: dict[str, Any] = {
        "pseudonym": text("pseudonym"),
        "wave": text("wave"),
        "roles": request.form.getlist("roles"),
        "login": text("login").lower(),
    }
    password = request.form.get("password", "")
    errors: dict[str, str] = {}
    if not values["pseudonym"]:
        errors["pseudonym"] = _("Indiquez un pseudonyme.")
    if not values["wave"].isdigit():
        errors["wave"] = _("Un numéro de vague, par exemple 1.")
    if not values["roles"]:
        errors["roles"] = _("Cochez au moins un rôle.")
    if bool(values["login"]) != bool(password):
        errors["login"] = _("Pour ouvrir un compte, donnez un identifiant et un mot de passe.")
    accounts = store.accounts()
    if values["login"] and not errors and accounts.get(values["login"]) is not None:
        errors["login"] = _("L'identifiant « %(login)s » est déjà pris.", login=values["login"])
    if not errors and values["login"]:
        from registry.accounts import LOGIN, MIN_PASSWORD

        if not LOGIN.match(values["login"]):
            errors["login"] = AccountError("invalid_login").message(lang())
        elif len(password) < MIN_PASSWORD:
            errors["password"] = AccountError("weak_password", min=MIN_PASSWORD).message(lang())
    if errors:
        return _page(values, errors)
    roles = [Role(r) for r in values["roles"]]
    try:
        member = store.registry().join_member(
            _caisse(), values["pseudonym"], roles, int(values["wave"]), actor()
        )
    except RegistryError as exc:
        field = {"invalid_wave": "wave", "unknown_role": "roles", "role_required": "roles"}
        return _page(values, {field.get(exc.code, "pseudonym"): exc.message(lang())})
    if values["login"]:
        main_role = next(r for r in ACCOUNT_PRIORITY if r in roles)
        accounts.create(
            values["login"],
            password,
            main_role,
            member.pseudonym,
            (),
            member.pseudonym,
            member.caisse,
        )
    flash(
        _("%(name)s a rejoint la vague %(wave)s.", name=member.pseudonym, wave=member.wave), "info"
    )
    return redirect(url_for("members.index"))


@bp.route("/<pseudonym>", methods=["GET", "POST"])
@role_required(Role.FACILITATOR)
def show(pseudonym: str) -> ResponseReturnValue:
    """One member: record a training, change roles, or record a departure."""
    registry = store.registry()
    member = _member(pseudonym)
    caisse = caisses.own()
    values: dict[str, Any] = {"on": date.today().isoformat(), "roles": list(member.roles)}
    errors: dict[str, str] = {}
    account = store.accounts().by_pseudonym(member.pseudonym, caisses.account_caisses(caisse))
    temporary = None
    if request.method == "POST" and request.form.get("action") == "password":
        if account is None:
            errors["password"] = _("Ce membre n'a pas de compte.")
        elif not member.active:
            errors["password"] = _(
                "Ce membre est parti : son compte ne reçoit plus de mot de passe."
            )
        else:
            # Shown once, on this page only: never put in a flash message or a log.
            temporary = store.accounts().reset_password(account.login)
    elif request.method == "POST":
        action = request.form.get("action")
        values.update({k: text(k) for k in ("session", "on", "reason", "leave_reason")})
        try:
            if action == "training":
                try:
                    day = date.fromisoformat(values["on"])
                except ValueError:
                    errors["on"] = _("Date invalide : AAAA-MM-JJ.")
                else:
                    registry.record_training(
                        _caisse(), member.pseudonym, values["session"], day, actor()
                    )
            elif action == "roles":
                values["roles"] = request.form.getlist("roles")
                registry.set_roles(
                    _caisse(),
                    member.pseudonym,
                    [Role(r) for r in values["roles"] if r in Role._value2member_map_],
                    values["reason"],
                    actor(),
                )
            elif action == "leave":
                registry.leave_member(_caisse(), member.pseudonym, values["leave_reason"], actor())
        except RegistryError as exc:
            field = {
                "session_required": "session",
                "training_exists": "session",
                "role_required": "roles",
                "roles_unchanged": "roles",
                "unknown_role": "roles",
                "member_left": "leave_reason",
            }.get(exc.code, "reason")
            errors[field] = exc.message(lang())
        if not errors:
            flash(_("Enregistré."), "info")
            return redirect(url_for("members.show", pseudonym=member.pseudonym))
        member = registry.member(_caisse(), pseudonym)
    return render_template(
        "members/show.html",
        caisse=caisse,
        m=member_view(member),
        roles=_roles(),
        values=values,
        errors=errors,
        account=account,
        temporary=temporary,
    ), (400 if errors else 200)
