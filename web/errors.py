"""Error pages in plain words, and JSON errors with a stable code under /api/."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from registry.accounts import AccountError
from registry.errors import RegistryError
from registry.services.rights import FORBIDDEN
from web.i18n import lang

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}
# Refusals that say "not now": the read models or the store cannot answer in time.
UNAVAILABLE = frozenset({"views_behind", "store_unavailable"})


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(RegistryError, _registry)
    app.register_error_handler(AccountError, _registry)
    app.register_error_handler(500, _internal)


def wants_json() -> bool:
    """Whether the request is for the JSON API."""
    return request.path.startswith("/api/")


def _messages(status: int) -> tuple[str, str]:
    titles = {
        400: (_("Demande incorrecte"), _("La demande n'a pas pu être comprise.")),
        401: (_("Connexion nécessaire"), _("Il faut être connecté pour cela.")),
        403: (
            _("Accès refusé"),
            _("Votre compte n'a pas le rôle nécessaire pour cette page."),
        ),
        404: (_("Page introuvable"), _("Cette page n'existe pas ou plus.")),
        405: (_("Action impossible"), _("Cette adresse ne permet pas cette action.")),
        413: (_("Envoi trop gros"), _("Ce que vous avez envoyé est trop gros.")),
        429: (_("Trop d'essais"), _("Trop d'essais : patientez avant de réessayer.")),
    }
    return titles.get(status, (_("Erreur"), _("Une erreur est survenue.")))


def json_error(status: int, code: str, message: str) -> ResponseReturnValue:
    """A JSON error body: a stable code and a message."""
    return jsonify({"code": code, "message": message}), status


def _http(exc: HTTPException) -> ResponseReturnValue:
    status = exc.code or 500
    title, message = _messages(status)
    if wants_json():
        return json_error(status, HTTP_CODES.get(status, "error"), message)
    return render_template("errors/error.html", title=title, message=message), status


def _internal(exc: Exception) -> ResponseReturnValue:
    title, message = _("Erreur"), _("Une erreur est survenue.")
    if wants_json():
        return json_error(500, "internal_error", message)
    return render_template("errors/error.html", title=title, message=message), 500


def _csrf(exc: CSRFError) -> ResponseReturnValue:
    message = _(
        "Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez."
    )
    if wants_json():
        return json_error(400, "csrf_failed", message)
    return render_template("errors/error.html", title=_("Formulaire refusé"), message=message), 400


def _registry(exc: RegistryError | AccountError) -> ResponseReturnValue:
    status = 404 if exc.code.endswith("_not_found") or exc.code == "unknown_account" else 400
    if exc.code in FORBIDDEN:
        status = 403
    if exc.code in UNAVAILABLE:
        status = 503
    if wants_json():
        return json_error(status, exc.code, exc.message(lang()))
    return (
        render_template(
            "errors/error.html",
            title=_("Accès refusé") if status == 403 else _("Demande refusée"),
            message=exc.message(lang()),
        ),
        status,
    )
