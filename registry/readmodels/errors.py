"""Refusals of the replay, export and benchmark commands, added to the registry's catalogue."""

from __future__ import annotations

from registry.errors import MESSAGES

READMODEL_MESSAGES: dict[str, tuple[str, str]] = {
    "export_exists": (
        "Le dossier d'export {path} existe déjà et n'est pas vide : choisissez un nouveau "
        "dossier, rien n'a été écrit.",
        "Export folder {path} already exists and is not empty: choose a new folder; nothing "
        "was written.",
    ),
    "export_not_writable": (
        "Impossible d'écrire l'export dans {path} : {details}. Rien n'a été écrit.",
        "Cannot write the export to {path}: {details}. Nothing was written.",
    ),
    "rebuild_failed": (
        "La reconstruction des tables a échoué : {details}. Les tables en service ({path}) "
        "sont inchangées ; rien de la reconstruction n'est gardé.",
        "Rebuilding the read models failed: {details}. The tables in use ({path}) are "
        "unchanged; nothing of the rebuild is kept.",
    ),
    "bad_search": (
        "La recherche « {words} » n'a pas pu être faite : essayez d'autres mots, sans "
        "signes particuliers.",
        "The search '{words}' could not be run: try other words, without special signs.",
    ),
    "views_behind": (
        "Les tables de lecture ne sont pas encore à jour (événement {position} sur {target}) : "
        "réessayez dans un instant.",
        "The read models are not up to date yet (event {position} of {target}): try again in "
        "a moment.",
    ),
    "store_unavailable": (
        "Le registre ne répond pas pour le moment : {details}.",
        "The registry does not answer at the moment: {details}.",
    ),
    "invalid_bench_size": (
        "Taille de benchmark invalide : {details}.",
        "Invalid benchmark size: {details}.",
    ),
}

MESSAGES.update(READMODEL_MESSAGES)
