"""The declaration form, built by walking the pydantic `Declaration` model.

Each field of the model becomes one form field (a group for a nested model, checkboxes for a
list of choices, rows for opening hours...). The model stays the only source of rules:
what is typed is turned back into data and validated by the model, and each pydantic error
is shown next to the field it names, in French.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from datetime import time
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin

from annotated_types import MaxLen
from flask_babel import gettext
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from registry.declaration import Declaration, french_error

ROWS = 7  # rows offered for a list of sub-records (opening hours: one per day)
LONG_TEXT = 300

# Labels for fields the model leaves without a description (French; English in the catalogue).
FALLBACK_LABELS = {
    "address": "Adresse",
    "coordinates": "Position sur la carte (facultatif)",
    "supply": "Approvisionnement",
    "accessibility": "Accessibilité",
    "business": "Activité",
    "commitments": "Engagements envers les producteurs et les salariés",
    "farm": "La ferme (pour un producteur)",
    "opening_hours.day": "Jour",
    "opening_hours.opens": "Ouverture",
    "opening_hours.closes": "Fermeture",
}

HINTS = {
    "float": "Un nombre, par exemple 12,5.",
    "int": "Un nombre entier.",
    "float_list": "Séparez les valeurs par des points-virgules, par exemple 12 ; 30,5.",
    "text_list": "Séparez les valeurs par des virgules.",
    "time": "Heure au format HH:MM.",
}


@dataclass
class Spec:
    """One form field derived from a model field."""

    path: str
    name: str
    label: str
    widget: str
    required: bool = False
    choices: list[str] = field(default_factory=list)
    children: list[Spec] = field(default_factory=list)
    optional: bool = False
    max_length: int | None = None

    @property
    def id(self) -> str:
        """The HTML id of the field."""
        return self.path.replace(".", "-")

    @property
    def hint(self) -> str:
        """A short French hint on what to type (translated when shown)."""
        return HINTS.get(self.widget, "")


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without Optional (and whether None was allowed) or Annotated."""
    optional = False
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        optional = len(args) < len(get_args(annotation))
        inner, _ = _unwrap(args[0])
        return inner, optional
    return annotation, optional


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Enum)


def build_specs(model: type[BaseModel] = Declaration, prefix: str = "") -> list[Spec]:
    """The form fields of a model, in the model's order."""
    return [_spec(name, info, prefix) for name, info in model.model_fields.items()]


def _spec(name: str, info: FieldInfo, prefix: str) -> Spec:
    path = f"{prefix}{name}"
    generic = path.split(".", 1)[0] + "." + name if "." in path else path
    tp, optional = _unwrap(info.annotation)
    label = info.description or FALLBACK_LABELS.get(generic) or FALLBACK_LABELS.get(path, name)
    max_length = next((m.max_length for m in info.metadata if isinstance(m, MaxLen)), None)
    spec = Spec(
        path, name, label, "text", info.is_required(), optional=optional, max_length=max_length
    )
    if _is_model(tp):
        spec.widget = "group"
        spec.children = build_specs(tp, f"{path}.")
    elif get_origin(tp) is tuple:
        item, _ = _unwrap(get_args(tp)[0])
        if _is_enum(item):
            spec.widget, spec.choices = "checkboxes", [m.value for m in item]
        elif _is_model(item):
            spec.widget = "rows"
            spec.children = build_specs(item, f"{path}.")
        elif item is float:
            spec.widget = "float_list"
        else:
            spec.widget = "text_list"
    elif _is_enum(tp):
        spec.widget, spec.choices = "select", [m.value for m in tp]
    elif tp is bool:
        spec.widget = "yes_no"
    elif tp is float:
        spec.widget = "float"
    elif tp is int:
        spec.widget = "int"
    elif tp is time:
        spec.widget = "time"
    elif max_length and max_length > LONG_TEXT:
        spec.widget = "textarea"
    return spec


SPECS = build_specs()


def translated(text: str) -> str:
    """A model's French label in the visitor's language."""
    return gettext(text)


# Form data -> declaration data -------------------------------------------------------------


@dataclass
class Submission:
    """What was typed (kept for showing again) and the data built from it."""

    values: dict[str, Any]
    data: dict[str, Any]
    rows: dict[str, list[int]]


def read_form(form: Any, specs: list[Spec] = SPECS) -> Submission:
    """Turn posted fields into declaration data; empty fields are left out."""
    values: dict[str, Any] = {}
    rows: dict[str, list[int]] = {}
    data = _read_group(form, specs, values, rows)
    return Submission(values, data, rows)


def _number(raw: str) -> str:
    return raw.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")


def _read_group(
    form: Any,
    specs: list[Spec],
    values: dict[str, Any],
    rows: dict[str, list[int]],
    prefix_override: str | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for spec in specs:
        key = spec.path if prefix_override is None else f"{prefix_override}{spec.name}"
        value = _read_one(form, spec, key, values, rows)
        if value is not None:
            data[spec.name] = value
    return data


def _read_one(
    form: Any, spec: Spec, key: str, values: dict[str, Any], rows: dict[str, list[int]]
) -> Any:
    if spec.widget == "group":
        sub = _read_group(form, spec.children, values, rows, f"{key}.")
        if not sub and (spec.optional or not spec.required):
            return None
        return sub
    if spec.widget == "rows":
        items, kept = [], []
        for i in range(ROWS):
            sub = _read_group(form, spec.children, values, rows, f"{key}.{i}.")
            if sub:
                items.append(sub)
                kept.append(i)
        rows[key] = kept
        return items or None
    if spec.widget == "checkboxes":
        chosen = [v for v in form.getlist(key) if v]
        values[key] = chosen
        return chosen or None
    raw = str(form.get(key, "")).strip()
    values[key] = raw
    if not raw:
        return None
    if spec.widget == "yes_no":
        return {"oui": True, "non": False}.get(raw, raw)
    if spec.widget in ("float", "int"):
        return _number(raw)
    if spec.widget == "float_list":
        return [_number(p) for p in raw.split(";") if p.strip()]
    if spec.widget == "text_list":
        return [p.strip() for p in raw.split(",") if p.strip()]
    return raw


# Errors -> fields --------------------------------------------------------------------------


def _paths(specs: list[Spec]) -> set[str]:
    found: set[str] = set()
    for spec in specs:
        found.add(spec.path)
        found |= _paths(spec.children)
    return found


KNOWN_PATHS = _paths(SPECS)
ROW_PATHS = {s.path for s in SPECS if s.widget == "rows"}


def field_errors(exc: ValidationError, submission: Submission) -> dict[str, str]:
    """Each pydantic error as a French message keyed by the form field it belongs to."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        key = _field_for(list(error["loc"]), submission)
        message = french_error(error)
        errors[key] = f"{errors[key]} ; {message}" if key in errors else message
    return errors


def _field_for(loc: list[Any], submission: Submission) -> str:
    if not loc:
        data = submission.data
        if data.get("kind") == "producteur" and not data.get("farm"):
            return "farm"
        return "kind"
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            row_key = ".".join(parts)
            if row_key not in ROW_PATHS:
                break  # an item of a list of choices: the error belongs to the list
            kept = submission.rows.get(row_key, [])
            parts.append(str(kept[part] if part < len(kept) else part))
        else:
            parts.append(str(part))
    # The most precise field that exists in the form (or its row, or its group).
    while parts:
        if ".".join(p for p in parts if not p.isdigit()) in KNOWN_PATHS:
            return ".".join(parts)
        parts.pop()
    return "kind"


# Declaration data -> form values (to amend) ------------------------------------------------


def values_from(declaration: dict[str, Any], specs: list[Spec] = SPECS) -> dict[str, Any]:
    """The form values that show a stored declaration."""
    values: dict[str, Any] = {}
    _fill(declaration, specs, "", values)
    return values


def _show_number(value: Any) -> str:
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.replace(".", ",")


def _fill(data: dict[str, Any], specs: list[Spec], prefix: str, values: dict[str, Any]) -> None:
    for spec in specs:
        key = f"{prefix}{spec.name}"
        value = data.get(spec.name)
        if value is None:
            continue
        if spec.widget == "group":
            _fill(value, spec.children, f"{key}.", values)
        elif spec.widget == "rows":
            for i, item in enumerate(value[:ROWS]):
                _fill(item, spec.children, f"{key}.{i}.", values)
        elif spec.widget == "checkboxes":
            values[key] = list(value)
        elif spec.widget == "yes_no":
            values[key] = "oui" if value else "non"
        elif spec.widget in ("float", "int"):
            values[key] = _show_number(value)
        elif spec.widget == "float_list":
            values[key] = " ; ".join(_show_number(v) for v in value)
        elif spec.widget == "text_list":
            values[key] = ", ".join(value)
        elif spec.widget == "time":
            values[key] = str(value)[:5]
        else:
            values[key] = str(value)
