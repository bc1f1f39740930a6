"""The registry's refusals: a stable code and a message in French and English."""

from __future__ import annotations

from policies.errors import CodedError, add_catalogue

# code -> (French, English). Placeholders are filled from the error's params.
MESSAGES: dict[str, tuple[str, str]] = {
    "invalid_json": (
        "Le fichier {path} n'est pas du JSON valide : {details}",
        "File {path} is not valid JSON: {details}",
    ),
    "file_not_found": (
        "Fichier introuvable : {path}",
        "File not found: {path}",
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
    "invalid_date": (
        "Date invalide : « {value} ». Format attendu : AAAA-MM-JJ ou AAAA-MM-JJTHH:MM.",
        "Invalid date: '{value}'. Expected YYYY-MM-DD or YYYY-MM-DDTHH:MM.",
    ),
}


add_catalogue(MESSAGES)

# Policies raise the same class with their own codes (policies.errors): a caller that catches
# RegistryError catches a policy's refusal too, and the policies import nothing of the registry.
RegistryError = CodedError
