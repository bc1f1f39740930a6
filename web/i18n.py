"""French by default, English on request: locale, dates and numbers formatted for fr-FR."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import Babel, format_date, format_datetime, format_decimal, get_locale, gettext

from registry.declaration import field_description
from web.labels import label

babel = Babel()
bp = Blueprint("i18n", __name__)


def init_app(app: Flask) -> None:
    """Attach Flask-Babel, the language switch and the formatting filters."""
    babel.init_app(app, locale_selector=select_locale)
    app.register_blueprint(bp)
    app.jinja_env.filters.update(
        day=format_day,
        moment=format_moment,
        number=format_number,
        percent=format_percent,
        label=label,
        fact=fact,
        zip=lambda a, b: list(zip(a, b, strict=False)),
    )
    app.jinja_env.globals.update(lang=lang, pick=pick)


def select_locale() -> str:
    """The visitor's chosen language, French unless they picked English.

    Pages follow the language switch (kept in the session); the API follows Accept-Language.
    """
    if request.path.startswith("/api/"):
        chosen = request.accept_languages.best_match(["fr", "en"], default="fr")
    else:
        chosen = session.get("lang") or request.args.get("lang")
    return "en" if chosen == "en" else "fr_FR"


def fact(path: str) -> str:
    """A declaration field named in words, in the page's language."""
    description = field_description(path)
    return gettext(description) if description else path


def lang() -> str:
    """'fr' or 'en', for choosing between the registry's French and English texts."""
    return "en" if str(get_locale()).startswith("en") else "fr"


def pick(item: Any, key: str) -> Any:
    """The English or French variant of a field (key_fr / key_en), French if missing."""
    getter = item.get if isinstance(item, dict) else lambda k, d=None: getattr(item, k, d)
    value = getter(f"{key}_{lang()}")
    return value if value not in (None, "") else getter(f"{key}_fr")


def _as_datetime(value: Any) -> datetime | date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime | date):
        return value
    text = str(value)
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)


def format_day(value: Any, style: str = "long") -> str:
    """A date, such as « 3 juin 2024 »."""
    moment = _as_datetime(value)
    if moment is None:
        return "—"
    return format_date(moment, style)


def format_moment(value: Any, style: str = "d MMM y, HH:mm") -> str:
    """A date and time in Paris time, such as « 3 juin 2024, 19:00 »."""
    moment = _as_datetime(value)
    if moment is None:
        return "—"
    if not isinstance(moment, datetime):
        return format_date(moment, "long")
    return format_datetime(moment, style)


def format_number(value: Any, digits: int = 2) -> str:
    """A number with the locale's separators, such as « 1 234,5 »."""
    if value in (None, ""):
        return "—"
    number = round(float(value), digits)
    return format_decimal(int(number) if number == int(number) else number)


def format_percent(value: Any) -> str:
    """A percentage given out of 100, such as « 66 % »."""
    if value in (None, ""):
        return "—"
    text = format_number(value, 1)
    return f"{text}\u202f%" if lang() == "fr" else f"{text}%"


@bp.get("/langue/<code>")
def switch(code: str) -> ResponseReturnValue:
    """Switch the interface language, then go back where the visitor was."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        target = url_for("index")
    return redirect(target)
