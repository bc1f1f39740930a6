"""The API blueprint: token authentication, JSON errors, and routes described for OpenAPI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, Response, abort, g, jsonify, request
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ValidationError

from registry.accounts import Account
from registry.declaration import french_error
from registry.domain.caisses import Caisse
from registry.roles import Role
from web import caisses, store
from web.access import still_acting
from web.i18n import lang
from web.security import csrf

F = TypeVar("F", bound=Callable[..., Any])

bp = Blueprint("api", __name__, url_prefix="/api")
# The API authenticates with bearer tokens only, never with the session cookie: no CSRF risk.
csrf.exempt(bp)


class ApiError(Exception):
    """A refused API request: HTTP status, stable code, message, and per-field messages."""

    def __init__(
        self, status: int, code: str, message: str, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> ResponseReturnValue:
    body: dict[str, Any] = {"code": exc.code, "message": exc.message}
    if exc.fields:
        body["fields"] = exc.fields
    return jsonify(body), exc.status


@bp.errorhandler(caisses.Refusal)
def _caisse_refusal(exc: caisses.Refusal) -> ResponseReturnValue:
    return jsonify({"code": exc.code, "message": exc.message}), exc.status


@dataclass
class Route:
    """What the OpenAPI document says of one route."""

    method: str
    path: str
    summary: str
    response: type[BaseModel] | None
    many: bool = False
    body: type[BaseModel] | None = None
    roles: tuple[Role, ...] = ()
    query: dict[str, str] = field(default_factory=dict)
    status: int = 200
    tag: str = ""
    no_store: bool = False


ROUTES: list[Route] = []

MESSAGES = {
    "token_required": (
        "Jeton d'API manquant ou invalide : en-tête « Authorization: Bearer JETON ».",
        "Missing or invalid API token: header 'Authorization: Bearer TOKEN'.",
    ),
    "forbidden": (
        "Ce jeton n'a pas le rôle nécessaire ({roles}).",
        "This token lacks the required role ({roles}).",
    ),
    "invalid_json": (
        "Le corps de la requête doit être un objet JSON.",
        "The body must be a JSON object.",
    ),
    "not_amendable": (
        "« {field} » ne s'amende pas sur une proposition de ce type ({kind}).",
        "'{field}' cannot be amended on a proposal of this kind ({kind}).",
    ),
    "charter_unchanged": (
        "La charte proposée est celle en vigueur : changez au moins une règle.",
        "The proposed charter is the one in force: change at least one rule.",
    ),
    "no_account": (
        "{pseudonym} n'a pas de compte.",
        "{pseudonym} has no account.",
    ),
    "account_incomplete": (
        "Pour ouvrir un compte, donnez un identifiant et un mot de passe.",
        "To open an account, give both a login and a password.",
    ),
    "not_place_account": (
        "Aucun compte « {login} » ne parle pour {name} : choisissez l'un des comptes du lieu.",
        "No account '{login}' speaks for {name}: choose one of the place's accounts.",
    ),
}


def message(code: str, **params: Any) -> str:
    """An API message in the request's language."""
    fr, en = MESSAGES[code]
    return (en if lang() == "en" else fr).format(**params)


def endpoint(
    method: str,
    path: str,
    summary: str,
    response: type[BaseModel] | None,
    *,
    many: bool = False,
    body: type[BaseModel] | None = None,
    roles: tuple[Role, ...] = (),
    query: dict[str, str] | None = None,
    status: int = 200,
    tag: str = "",
    no_store: bool = False,
) -> Callable[[F], F]:
    """Register an API route, its token check and its description for the OpenAPI document;
    `no_store` keeps a response holding a secret out of every cache."""
    route = Route(
        method, path, summary, response, many, body, roles, query or {}, status, tag, no_store
    )
    ROUTES.append(route)
    flask_path = path.replace("{", "<").replace("}", ">")

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if roles:
                account = authenticate()
                if account.role not in roles:
                    raise ApiError(
                        403, "forbidden", message("forbidden", roles=", ".join(map(str, roles)))
                    )
                still_acting(account)
            result = view(*args, **kwargs)
            reply = dump(result, response, many)
            if no_store:
                reply.headers["Cache-Control"] = "no-store"
            return reply, status

        wrapper.roles = roles  # type: ignore[attr-defined]
        name = f"{view.__module__.rsplit('.', 1)[-1]}_{view.__name__}"
        bp.add_url_rule(flask_path, endpoint=name, view_func=wrapper, methods=[method])
        return wrapper  # type: ignore[return-value]

    return decorate


def authenticate() -> Any:
    """The account holding the request's bearer token, or a 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    account = store.accounts().by_token(token.strip()) if scheme.lower() == "bearer" else None
    if account is None:
        raise ApiError(401, "token_required", message("token_required"))
    g.api_account = account
    return account


def bearer() -> Account | None:
    """The account of the request's bearer token when it carries one (a wrong token is a 401),
    else None: public reads then default to the first caisse."""
    if "api_account" in g:
        return g.api_account  # type: ignore[no-any-return]
    if not request.headers.get("Authorization", "").strip():
        return None
    return authenticate()  # type: ignore[no-any-return]


def read_caisse(allow_all: bool = False) -> Caisse | None:
    """The caisse a read is about: `?caisse=slug` (an unknown one is a 404 `unknown_caisse`
    naming the caisses there are), else the token account's, else the first; None for every
    caisse when `allow_all` and `?caisse=toutes`."""
    bearer()
    return caisses.asked(allow_all)


def read_slug() -> str:
    """The slug of `read_caisse()`; a 404 when the registry has no caisse yet."""
    found = read_caisse()
    if found is None:
        abort(404)
    return str(found.slug)


def acting_caisse() -> Caisse:
    """The caisse the token's account acts in (403 `no_caisse` when it belongs to none of this
    registry's); a `?caisse=` naming another caisse is a 403 `other_caisse`."""
    if request.args.get("caisse", "").strip():
        asked = caisses.asked()
        return caisses.owned(asked.slug if asked is not None else "")
    return caisses.account_caisse()


def check_caisse(slug: str) -> Caisse:
    """The token account's caisse, when the thing acted on (a member, a proposal, a place)
    belongs to it; else a 403 `other_caisse`, nothing stored."""
    return caisses.owned(slug)


def dump(result: Any, model: type[BaseModel] | None, many: bool) -> Response:
    """The result checked against its declared model, as JSON."""
    if model is None:
        return jsonify(result)
    if many:
        return jsonify([model.model_validate(r).model_dump(mode="json") for r in result])
    return jsonify(model.model_validate(result).model_dump(mode="json"))


def body_json() -> dict[str, Any]:
    """The request's JSON object, or a 400."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", message("invalid_json"))
    return data


def parse(
    model: type[BaseModel],
    data: Any,
    code: str = "invalid_request",
    by_field: dict[str, str] | None = None,
) -> Any:
    """Validate data into a model, or a 400 naming each field in French; `by_field` gives the
    code when the first refused field is one of its keys (a charter, a criteria version)."""
    from registry.errors import RegistryError

    try:
        return model.model_validate(data)
    except RegistryError as exc:
        raise ApiError(400, exc.code, exc.message(lang())) from None
    except ValidationError as exc:
        fields = {
            ".".join(str(p) for p in e["loc"]) or "body": french_error(e) for e in exc.errors()
        }
        summary = " ; ".join(f"{k} : {v}" for k, v in fields.items())
        first = str(exc.errors()[0]["loc"][0]) if exc.errors()[0]["loc"] else ""
        raise ApiError(400, (by_field or {}).get(first, code), summary, fields) from None
