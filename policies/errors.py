"""Refusals with a stable code and a message in French and English: the policies' own codes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# code -> (French, English). Placeholders are filled from the error's params.
MESSAGES: dict[str, tuple[str, str]] = {
    "invalid_declaration": (
        "Déclaration invalide : {details}",
        "Invalid declaration: {details}",
    ),
    "margin_not_collected": (
        "Le champ « {field} » est refusé : la marge n'est pas un critère de "
        "conventionnement et n'est pas collectée.",
        "Field '{field}' is refused: margin is not a conventionnement criterion "
        "and is not collected.",
    ),
    "invalid_siret": (
        "SIRET invalide : « {siret} » ({details}).",
        "Invalid SIRET: '{siret}' ({details}).",
    ),
    "invalid_criteria": (
        "Version de critères invalide : {details}",
        "Invalid criteria version: {details}",
    ),
    "unknown_policy": (
        "Politique inconnue : « {policy} ». Politiques disponibles : {known}.",
        "Unknown policy: '{policy}'. Available policies: {known}.",
    ),
    "policy_changed": (
        "Le code de la politique {policy} a changé depuis sa publication "
        "(empreinte {expected}, trouvée {actual}) : l'historique ne peut pas être rejoué "
        "avec ce code.",
        "The code of policy {policy} changed since it was published "
        "(fingerprint {expected}, found {actual}): history cannot be replayed with it.",
    ),
    "invalid_parameters": (
        "Paramètres invalides pour {policy} : {details}",
        "Invalid parameters for {policy}: {details}",
    ),
}

# The catalogues a code is looked up in: the policies' own first, then those that the layers
# built on the policies add with `add_catalogue` (the registry's, for one).
_CATALOGUES: list[Mapping[str, tuple[str, str]]] = [MESSAGES]


def add_catalogue(messages: Mapping[str, tuple[str, str]]) -> None:
    """Make a catalogue's codes known to CodedError; later additions to it are seen too."""
    if not any(messages is known for known in _CATALOGUES):
        _CATALOGUES.append(messages)


def lookup(code: str) -> tuple[str, str] | None:
    """The (French, English) templates of a code, if any catalogue has it."""
    for messages in _CATALOGUES:
        if code in messages:
            return messages[code]
    return None


class CodedError(Exception):
    """A refused request: a stable code, parameters, and messages in French and English.

    The one class of refusal of every layer: the policies raise it with their codes, and the
    registry calls it RegistryError and adds its own catalogue, so that catching a
    RegistryError catches a refusal raised by a policy too.
    """

    def __init__(self, code: str, **params: Any) -> None:
        if lookup(code) is None:
            raise KeyError(f"unknown error code {code!r}")
        self.code = code
        self.params = params
        super().__init__(self.message("fr"))

    def message(self, lang: str = "fr") -> str:
        """The message in the given language (French unless 'en')."""
        fr, en = lookup(self.code) or (self.code, self.code)
        template = en if lang.startswith("en") else fr
        return template.format(**self.params)

    def as_dict(self, lang: str = "fr") -> dict[str, Any]:
        """A JSON-ready form: code, message and params."""
        return {"code": self.code, "message": self.message(lang), "params": self.params}
