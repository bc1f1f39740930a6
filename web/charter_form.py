"""The charter form: start from a charter version, change who decides what and how; the result
is validated by the `CharterTerms` model, and compared rule by rule with the version it starts
from."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ValidationError

from registry.declaration import french_error
from registry.governance.charter import Body, CharterTerms, Kind
from registry.governance.rules import Mode
from web.labels import label

RULE_FIELDS = (
    "body",
    "modes",
    "default_mode",
    "quorum",
    "majority",
    "threshold",
    "abstentions",
    "voting_days",
    "training_required",
    "ballot",
)
FIELD_LABELS: dict[str, Any] = {
    "body": _l("Qui décide"),
    "modes": _l("Modes permis"),
    "default_mode": _l("Mode appliqué si aucun n'est déclaré"),
    "quorum": _l("Quorum"),
    "majority": _l("Majorité"),
    "threshold": _l("Seuil d'une majorité qualifiée"),
    "abstentions": _l("Abstentions"),
    "voting_days": _l("Durée du vote (jours)"),
    "training_required": _l("Formation exigée pour voter"),
    "ballot": _l("Choix d'un sondage"),
    "charter_title": _l("Titre de la charte"),
    "notes": _l("Notes de la charte"),
}
BODY_CHOICES: dict[str, Any] = {
    Body.COLLECTIF.value: _l("le collectif"),
    Body.PARTICIPANTS.value: _l("tous les expérimentateurs"),
}
MAJORITY_CHOICES: dict[str, Any] = {"simple": _l("simple"), "qualified": _l("qualifiée")}
ABSTENTION_CHOICES: dict[str, Any] = {
    "excluded": _l("hors des suffrages exprimés"),
    "counted": _l("comptées dans les suffrages"),
}
BALLOT_CHOICES: dict[str, Any] = {"single": _l("un seul choix"), "ranked": _l("classement")}
YES_NO: dict[str, Any] = {"oui": _l("Oui"), "non": _l("Non")}


@dataclass
class CharterForm:
    """What was typed, the charter built from it, and each error keyed by field name."""

    values: dict[str, Any]
    terms: CharterTerms | None = None
    errors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """One difference between two charter versions, in words."""

    subject: str
    field: str
    before: str
    after: str


def kinds() -> list[str]:
    """The kinds of questions, in the charter's order."""
    return [k.value for k in Kind]


def modes_for(kind: str) -> list[str]:
    """The modes a rule may permit: a poll only decides a question."""
    return [m.value for m in Mode if m is not Mode.POLL or kind == Kind.QUESTION.value]


def initial_values(terms: CharterTerms) -> dict[str, Any]:
    """The form filled from a charter version, ready to be changed."""
    values: dict[str, Any] = {"charter_title": terms.title, "notes": terms.notes}
    for kind, rule in terms.rules.items():
        prefix = str(kind)
        values[f"{prefix}.body"] = str(rule.body)
        values[f"{prefix}.modes"] = [str(m) for m in rule.modes]
        values[f"{prefix}.default_mode"] = str(rule.modes[0])
        values[f"{prefix}.quorum"] = rule.quorum
        values[f"{prefix}.majority"] = rule.majority
        values[f"{prefix}.threshold"] = rule.threshold
        values[f"{prefix}.abstentions"] = rule.abstentions
        values[f"{prefix}.voting_days"] = str(rule.voting_days)
        values[f"{prefix}.training_required"] = "oui" if rule.training_required else "non"
        values[f"{prefix}.ballot"] = rule.ballot
    return values


def _fraction(text: str) -> str | None:
    """A fraction between 0 and 1 as typed (1/2, 0,4, 0.4), or None if it is not one."""
    cleaned = text.strip().replace(" ", "").replace(",", ".")
    try:
        value = Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        return None
    return cleaned if 0 <= value <= 1 else None


def read(form: Any, base: CharterTerms) -> CharterForm:
    """Build the charter from the posted form, or the errors that stop it."""
    start = initial_values(base)
    values: dict[str, Any] = {}
    for name, value in start.items():
        if isinstance(value, list):
            values[name] = [v for v in form.getlist(name) if v]
        else:
            values[name] = str(form.get(name, "")).strip()
    result = CharterForm(values)
    errors = result.errors
    if not values["charter_title"]:
        errors["charter_title"] = _("Donnez un titre à la charte.")
    elif len(values["charter_title"]) > 200:
        errors["charter_title"] = _("Au plus 200 caractères.")
    if len(values["notes"]) > 5000:
        errors["notes"] = _("Au plus 5 000 caractères.")
    rules = {}
    for kind in kinds():
        rule = _rule(kind, values, base, errors)
        if rule is not None:
            rules[kind] = rule
    if errors:
        return result
    data = {"title": values["charter_title"], "rules": rules, "notes": values["notes"]}
    try:
        result.terms = CharterTerms.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            errors.setdefault(_field(list(error["loc"])), french_error(error))
    return result


def _rule(
    kind: str, values: dict[str, Any], base: CharterTerms, errors: dict[str, str]
) -> dict[str, Any] | None:
    """One kind's rule from the form, its errors added to `errors`."""
    p = kind
    before = len(errors)
    if values[f"{p}.body"] not in BODY_CHOICES:
        errors[f"{p}.body"] = _("Choisissez qui décide.")
    allowed = modes_for(kind)
    chosen = values[f"{p}.modes"]
    if not chosen:
        errors[f"{p}.modes"] = _("Cochez au moins un mode de décision.")
    elif Mode.POLL.value in chosen and Mode.POLL.value not in allowed:
        errors[f"{p}.modes"] = _("Un sondage ne sert qu'aux questions ouvertes.")
    elif any(m not in allowed for m in chosen):
        errors[f"{p}.modes"] = _("Mode de décision inconnu.")
    default = values[f"{p}.default_mode"] or (chosen[0] if len(chosen) == 1 else "")
    if chosen and f"{p}.modes" not in errors and default not in chosen:
        errors[f"{p}.default_mode"] = _(
            "Le mode appliqué par défaut doit être l'un des modes cochés."
        )
    quorum = _fraction(values[f"{p}.quorum"])
    if quorum is None:
        errors[f"{p}.quorum"] = _(
            "Une part de l'électorat entre 0 et 1, par exemple 1/2, 1/3 ou 0 (pas de quorum)."
        )
    if values[f"{p}.majority"] not in MAJORITY_CHOICES:
        errors[f"{p}.majority"] = _("Choisissez une majorité simple ou qualifiée.")
    threshold = _fraction(values[f"{p}.threshold"])
    if threshold is None or (
        values[f"{p}.majority"] == "qualified" and Fraction(threshold) <= Fraction(1, 2)
    ):
        errors[f"{p}.threshold"] = _(
            "Une part des suffrages au-dessus de la moitié, par exemple 2/3 ou 3/5."
        )
    if values[f"{p}.abstentions"] not in ABSTENTION_CHOICES:
        errors[f"{p}.abstentions"] = _("Dites comment comptent les abstentions.")
    days = values[f"{p}.voting_days"]
    if not days.isdigit() or not 1 <= int(days) <= 120:
        errors[f"{p}.voting_days"] = _("Un nombre de jours entre 1 et 120.")
    if values[f"{p}.training_required"] not in YES_NO:
        errors[f"{p}.training_required"] = _("Répondez oui ou non.")
    if values[f"{p}.ballot"] not in BALLOT_CHOICES:
        errors[f"{p}.ballot"] = _("Choisissez un seul choix ou un classement.")
    if len(errors) > before:
        return None
    return {
        "body": values[f"{p}.body"],
        "modes": _ordered(chosen, default, base.rule(Kind(kind)).modes),
        "quorum": quorum,
        "majority": values[f"{p}.majority"],
        "threshold": threshold,
        "abstentions": values[f"{p}.abstentions"],
        "voting_days": int(days),
        "training_required": values[f"{p}.training_required"] == "oui",
        "ballot": values[f"{p}.ballot"],
    }


def _ordered(chosen: list[str], default: str, before: tuple[Mode, ...]) -> list[str]:
    """The modes with the default first, the others in the order the base charter gave them."""
    rank = {str(m): i for i, m in enumerate(before)}
    others = sorted(
        (m for m in dict.fromkeys(chosen) if m != default),
        key=lambda m: (rank.get(m, len(rank)), [x.value for x in Mode].index(m)),
    )
    return [default, *others]


def _field(loc: list[Any]) -> str:
    if len(loc) >= 3 and loc[0] == "rules":
        return f"{loc[1]}.{loc[2]}"
    return {"title": "charter_title", "notes": "notes"}.get(str(loc[0]) if loc else "", "charter")


def _shown(name: str, value: Any) -> str:
    """A rule's value in words, in the page's language."""
    if name == "body":
        return str(BODY_CHOICES.get(str(value), value))
    if name == "modes":
        return ", ".join(label(str(m)) for m in value)
    if name == "default_mode":
        return label(str(value))
    if name == "majority":
        return str(MAJORITY_CHOICES.get(str(value), value))
    if name == "abstentions":
        return str(ABSTENTION_CHOICES.get(str(value), value))
    if name == "training_required":
        return str(YES_NO["oui" if value else "non"])
    if name == "ballot":
        return str(BALLOT_CHOICES.get(str(value), value))
    return str(value)


def changes(before: CharterTerms, after: CharterTerms) -> list[Change]:
    """Every difference, rule by rule, in words."""
    found: list[Change] = []
    charter = _("Charte")
    if before.title != after.title:
        found.append(Change(charter, str(FIELD_LABELS["charter_title"]), before.title, after.title))
    if before.notes != after.notes:
        found.append(Change(charter, str(FIELD_LABELS["notes"]), before.notes, after.notes))
    for kind in Kind:
        old, new = before.rule(kind), after.rule(kind)
        subject = label(kind.value).capitalize()
        for name in RULE_FIELDS:
            if name == "default_mode":
                a: Any = old.modes[0]
                b: Any = new.modes[0]
            elif name == "modes":
                a, b = set(old.modes), set(new.modes)
                if a != b:
                    a, b = old.modes, new.modes
            else:
                a, b = getattr(old, name), getattr(new, name)
            if a != b:
                found.append(
                    Change(subject, str(FIELD_LABELS[name]), _shown(name, a), _shown(name, b))
                )
    return found


def choices() -> dict[str, Any]:
    """The choices of each rule field, labelled in the page's language."""

    def pairs(mapping: dict[str, Any]) -> list[tuple[str, str]]:
        return [(code, str(text)) for code, text in mapping.items()]

    return {
        "body": pairs(BODY_CHOICES),
        "majority": pairs(MAJORITY_CHOICES),
        "abstentions": pairs(ABSTENTION_CHOICES),
        "ballot": pairs(BALLOT_CHOICES),
        "training_required": pairs(YES_NO),
        "labels": {name: str(text) for name, text in FIELD_LABELS.items()},
    }
