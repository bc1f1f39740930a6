"""The criteria revision form: start from the version in force, change parameters, add or drop
criteria; the result is validated by the `CriteriaVersion` model and the policies' own models."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from pydantic import ValidationError

from policies.catalogue import CATALOGUE
from policies.criteria import CriteriaVersion
from registry.clock import local_date, now
from registry.declaration import french_error
from registry.errors import RegistryError


@dataclass
class RevisionForm:
    """What was typed, the version built from it, and each error keyed by field name."""

    values: dict[str, Any]
    base: CriteriaVersion
    version: CriteriaVersion | None = None
    errors: dict[str, str] = field(default_factory=dict)


def show_value(value: Any) -> str:
    """A parameter value as typed in the form."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list | tuple):
        return " ; ".join(show_value(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def _number(text: str) -> Any:
    cleaned = text.strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        return text.strip()
    return int(number) if number.is_integer() and "." not in cleaned else number


def read_value(raw: str, like: Any) -> Any:
    """A parameter value from the form, shaped like the value it replaces."""
    text = raw.strip()
    if isinstance(like, bool):
        return {"oui": True, "non": False}.get(text.lower(), text)
    if isinstance(like, list | tuple):
        return [_number(p) if _numeric(like) else p.strip() for p in text.split(";") if p.strip()]
    if isinstance(like, int | float):
        return _number(text) if text else None
    if isinstance(like, dict):
        try:
            return json.loads(text or "{}")
        except ValueError:
            return text
    return text or None


def _numeric(items: Any) -> bool:
    return all(isinstance(i, int | float) and not isinstance(i, bool) for i in items)


def default_params(policy_ref: str) -> dict[str, Any]:
    """A policy's default parameters."""
    policy = CATALOGUE[policy_ref]
    try:
        return policy.params_model().model_dump(mode="json")
    except ValidationError:
        return {}


def merged_params(spec: Any) -> dict[str, Any]:
    """A criterion's parameters, defaults filled in."""
    return {**default_params(spec.policy), **spec.params}


def initial_values(base: CriteriaVersion) -> dict[str, Any]:
    """The form filled from a version, ready to be changed."""
    start = max(base.effective_from, local_date(now())) + timedelta(days=30)
    values: dict[str, Any] = {
        "title": "",
        "text": "",
        "version": "",
        "version_title": "",
        "effective_from": start.isoformat(),
        "transition_days": str(base.transition_days),
        "threshold": show_value(round(base.threshold * 100, 1)),
        "decision": str(base.decision),
        "add.policy": "",
        "add.key": "",
        "add.required": "non",
        "add.weight": "1",
    }
    for spec in base.criteria:
        prefix = f"c.{spec.key}"
        values[f"{prefix}.keep"] = "1"
        values[f"{prefix}.required"] = "oui" if spec.required else "non"
        values[f"{prefix}.weight"] = show_value(spec.weight)
        params = merged_params(spec)
        for name, value in params.items():
            values[f"{prefix}.p.{name}"] = show_value(value)
    return values


def version_values(version: CriteriaVersion) -> dict[str, Any]:
    """The form filled from a version as it stands (its name, title and date kept)."""
    values = initial_values(version)
    values.update(
        version=version.version,
        version_title=version.title,
        effective_from=version.effective_from.isoformat(),
    )
    return values


def version_changed(values: dict[str, Any], start: dict[str, Any]) -> bool:
    """Whether the version's fields differ from the ones the form started with."""
    keys = {k for k in set(values) | set(start) if k not in ("title", "text")}
    if not str(values.get("add.policy", "")).strip():
        keys = {k for k in keys if not k.startswith("add.")}
    return any(str(values.get(k, "")) != str(start.get(k, "")) for k in keys)


def read(form: Any, base: CriteriaVersion) -> RevisionForm:
    """Build the proposed version from the posted form, or the errors that stop it."""
    values = {k: form.get(k, "") for k in initial_values(base)}
    values.update({k: v for k, v in form.items() if k.startswith("c.") or k.startswith("add.")})
    for spec in base.criteria:
        values[f"c.{spec.key}.keep"] = form.get(f"c.{spec.key}.keep", "")
    result = RevisionForm(values, base)
    for name, message in (
        ("title", _l("Le titre est obligatoire.")),
        ("version", _l("Donnez un nom à la nouvelle version, par exemple 2026-1.")),
    ):
        if not str(values.get(name, "")).strip():
            result.errors[name] = str(message)
    criteria, keys = _criteria(values, base, result.errors)
    threshold = _number(str(values["threshold"]))
    data = {
        "caisse": base.caisse,
        "version": str(values["version"]).strip(),
        "title": str(values["version_title"]).strip() or str(values["title"]).strip(),
        "effective_from": str(values["effective_from"]).strip(),
        "criteria": criteria,
        "threshold": threshold / 100 if isinstance(threshold, int | float) else threshold,
        "coverage": [t.model_dump() for t in base.coverage],
        "decision": values["decision"],
        "transition_days": _number(str(values["transition_days"])),
        "notes": base.notes,
    }
    try:
        version = CriteriaVersion.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            result.errors.setdefault(_field(list(error["loc"]), keys), _french(error))
        return result
    if not result.errors:
        result.version = version
    return result


def _criteria(
    values: dict[str, Any], base: CriteriaVersion, errors: dict[str, str]
) -> tuple[list[dict[str, Any]], list[str]]:
    criteria: list[dict[str, Any]] = []
    keys: list[str] = []
    for spec in base.criteria:
        prefix = f"c.{spec.key}"
        if not values.get(f"{prefix}.keep"):
            continue
        params = merged_params(spec)
        changed = {
            name: read_value(str(values.get(f"{prefix}.p.{name}", show_value(old))), old)
            for name, old in params.items()
        }
        criteria.append(
            {
                "key": spec.key,
                "policy": spec.policy,
                "params": {k: v for k, v in changed.items() if v is not None},
                "required": values.get(f"{prefix}.required") == "oui",
                "weight": _number(str(values.get(f"{prefix}.weight", "1"))),
            }
        )
        keys.append(spec.key)
    added = str(values.get("add.policy", "")).strip()
    if added:
        if added not in CATALOGUE:
            errors["add.policy"] = str(_l("Politique inconnue."))
        else:
            key = str(values.get("add.key", "")).strip() or added.split("@")[0]
            criteria.append(
                {
                    "key": key,
                    "policy": added,
                    "params": default_params(added),
                    "required": values.get("add.required") == "oui",
                    "weight": _number(str(values.get("add.weight", "1"))),
                }
            )
            keys.append(f"add:{key}")
    if not criteria:
        errors["criteria"] = str(_l("Une version garde au moins un critère."))
    return criteria, keys


def _french(error: Any) -> str:
    if str(error["type"]).startswith(("date", "datetime")):
        return str(_l("date invalide (format AAAA-MM-JJ)"))
    return french_error(error)


def _field(loc: list[Any], keys: list[str]) -> str:
    if not loc:
        return "criteria"
    head = str(loc[0])
    if head == "criteria" and len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(keys):
        key = keys[loc[1]]
        if key.startswith("add:"):
            return "add.key" if len(loc) > 2 and loc[2] == "key" else "add.weight"
        return f"c.{key}.{loc[2]}" if len(loc) > 2 and loc[2] in ("weight",) else f"c.{key}"
    return {"title": "version_title"}.get(head, head)


def registry_error_field(exc: RegistryError, base: CriteriaVersion) -> str:
    """Which field a refusal of the registry belongs to."""
    if exc.code == "criteria_version_exists":
        return "version"
    if exc.code == "invalid_parameters":
        text = str(exc.params.get("policy", ""))
        for spec in base.criteria:
            if text.startswith(f"{spec.key} "):
                return f"c.{spec.key}"
        return "add.policy"
    if exc.code == "mode_not_allowed":
        return "mode"
    if exc.code == "title_required":
        return "title"
    return "criteria"
