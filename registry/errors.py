"""Domain errors with a stable code and a message in French and English."""

from __future__ import annotations

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
    "invalid_json": (
        "Le fichier {path} n'est pas du JSON valide : {details}",
        "File {path} is not valid JSON: {details}",
    ),
    "file_not_found": (
        "Fichier introuvable : {path}",
        "File not found: {path}",
    ),
    "invalid_siret": (
        "SIRET invalide : « {siret} » ({details}).",
        "Invalid SIRET: '{siret}' ({details}).",
    ),
    "unknown_caisse": (
        "Caisse inconnue : « {caisse} ». Caisses existantes : {known}.",
        "Unknown caisse: '{caisse}'. Existing caisses: {known}.",
    ),
    "caisse_exists": (
        "La caisse « {caisse} » existe déjà.",
        "Caisse '{caisse}' already exists.",
    ),
    "already_applied": (
        "Le SIRET {siret} a déjà une candidature (« {name} », statut : {status}). "
        "Utilisez « amend » pour la modifier.",
        "SIRET {siret} has already applied ('{name}', status: {status}). Use 'amend' to change it.",
    ),
    "place_not_found": (
        "Aucun lieu enregistré avec le SIRET {siret}.",
        "No place registered with SIRET {siret}.",
    ),
    "siret_mismatch": (
        "Le SIRET de la déclaration ({declared}) ne correspond pas au lieu ({siret}).",
        "The declaration's SIRET ({declared}) does not match the place ({siret}).",
    ),
    "caisse_mismatch": (
        "Un lieu ne change pas de caisse par une modification ({current} → {declared}) : "
        "retirez la candidature puis déposez-la dans l'autre caisse.",
        "A place does not change caisse through an amendment ({current} → {declared}): "
        "withdraw and apply to the other caisse.",
    ),
    "illegal_transition": (
        "Action « {action} » impossible : le lieu « {name} » est au statut « {status} ».",
        "Action '{action}' is not possible: place '{name}' has status '{status}'.",
    ),
    "reason_required": (
        "Un motif est obligatoire pour l'action « {action} ».",
        "A reason is required for action '{action}'.",
    ),
    "store_exists": (
        "Le registre existe déjà ({location}) : rien n'a été modifié.",
        "The registry already exists ({location}): nothing was changed.",
    ),
    "store_missing": (
        "Le registre n'est pas initialisé ({location}) : lancez « ssa-registry init » "
        "ou « ssa-registry demo ».",
        "The registry is not initialised ({location}): run 'ssa-registry init' "
        "or 'ssa-registry demo'.",
    ),
    "invalid_database_url": (
        "Adresse de base de données invalide : {details}",
        "Invalid database URL: {details}",
    ),
    "criteria_version_exists": (
        "La version de critères « {version} » est déjà publiée : une version publiée "
        "ne se modifie jamais, publiez une nouvelle version.",
        "Criteria version '{version}' is already published: a published version never "
        "changes, publish a new version.",
    ),
    "criteria_version_not_found": (
        "Version de critères inconnue : « {version} ». Versions publiées : {known}.",
        "Unknown criteria version: '{version}'. Published versions: {known}.",
    ),
    "no_criteria_in_force": (
        "Aucune version de critères n'est en vigueur le {date} pour la caisse « {caisse} ».",
        "No criteria version is in force on {date} for caisse '{caisse}'.",
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
    "invalid_date": (
        "Date invalide : « {value} ». Format attendu : AAAA-MM-JJ ou AAAA-MM-JJTHH:MM.",
        "Invalid date: '{value}'. Expected YYYY-MM-DD or YYYY-MM-DDTHH:MM.",
    ),
}


class RegistryError(Exception):
    """A refused request: a stable code, parameters, and messages in French and English."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"unknown error code {code!r}")
        self.code = code
        self.params = params
        super().__init__(self.message("fr"))

    def message(self, lang: str = "fr") -> str:
        """The message in the given language (French unless 'en')."""
        fr, en = MESSAGES[self.code]
        template = en if lang.startswith("en") else fr
        return template.format(**self.params)

    def as_dict(self, lang: str = "fr") -> dict[str, Any]:
        """A JSON-ready form: code, message and params."""
        return {"code": self.code, "message": self.message(lang), "params": self.params}
