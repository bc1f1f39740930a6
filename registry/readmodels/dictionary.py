"""The data dictionary of an export, in French then English, and Datasette's metadata."""

from __future__ import annotations

from typing import Any

from registry.readmodels.columns import Column
from registry.readmodels.schema import TABLES, VIEWS

TYPES = {str: ("texte", "text"), int: ("entier", "integer"), float: ("nombre", "number")}

FILES: tuple[tuple[str, str, str], ...] = (
    (
        "csv/TABLE.csv, json/TABLE.json",
        "Chaque table et vue ci-dessous, en CSV (UTF-8, virgules, en-tête) et en JSON (liste "
        "d'objets).",
        "Each table and view below, as CSV (UTF-8, commas, header) and JSON (list of objects).",
    ),
    (
        "events.jsonl",
        "Le journal de tous les événements, un objet JSON par ligne, dans l'ordre où ils ont "
        "été enregistrés : seq, agrégat, version, sujet (topic), nom, date, données. Les "
        "pseudonymes des membres y sont remplacés par les mêmes clés que dans les tables.",
        "The log of every event, one JSON object per line, in recorded order: seq, aggregate, "
        "version, topic, name, date, data. Members' pseudonyms are replaced by the same keys "
        "as in the tables.",
    ),
    (
        "registre.sqlite3, metadata.json",
        "Toutes les tables dans une base SQLite autonome, avec recherche plein texte sur "
        "timeline ; s'ouvre avec Datasette : « datasette registre.sqlite3 -m metadata.json ».",
        "Every table in a standalone SQLite database, with full-text search on timeline; opens "
        "in Datasette: 'datasette registre.sqlite3 -m metadata.json'.",
    ),
    (
        "conventionnes-AAAA-MM-JJ.csv",
        "La liste des lieux conventionnés à la date de l'export (fin de journée, heure de "
        "Paris), dans un format simple qu'un système de paiement (MonA, Kohinos…) ou une liste "
        "imprimée peut reprendre.",
        "The places approved on the export's date (end of day, Paris time), in a plain format a "
        "payment system (MonA, Kohinos…) or a printed list can take.",
    ),
    (
        "indicateurs.json",
        "Les indicateurs définis à l'avance, calculés à la date de l'export.",
        "The indicators defined up front, computed on the export's date.",
    ),
)

APPROVED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("siret", "SIRET", "SIRET"),
    ("nom", "Nom du lieu", "Name"),
    ("type", "Type de lieu", "Kind of place"),
    ("adresse", "Numéro et rue", "Street address"),
    ("code_postal", "Code postal", "Postcode"),
    ("commune", "Commune", "City"),
    ("quartier", "Quartier", "Neighbourhood"),
    ("taux_prise_en_charge", "Taux de prise en charge (%)", "Coverage rate (%)"),
    ("version_criteres", "Version de critères du conventionnement", "Criteria version"),
    ("caisse", "Caisse commune", "Caisse"),
    ("conventionne_depuis", "Conventionné depuis (heure de Paris)", "Approved since (Paris)"),
)


def documented() -> list[tuple[str, str, str, tuple[Column, ...]]]:
    """Every table and view: name, French and English descriptions, columns."""
    found = [(t.name, t.fr, t.en, t.columns) for t in TABLES]
    return found + [(v.name, v.fr, v.en, v.columns) for v in VIEWS]


def markdown() -> str:
    """The dictionary: every file, table and column, in French and then in English."""
    lines = ["# Dictionnaire des données", ""]
    lines += _section("fr")
    lines += ["", "---", "", "# Data dictionary", ""]
    lines += _section("en")
    return "\n".join(lines) + "\n"


def _section(lang: str) -> list[str]:
    fr = lang == "fr"
    lines = [
        "Les dates sont en UTC (ISO 8601) sauf mention contraire. Les personnes n'apparaissent "
        "que par une clé pseudonyme (« m-… »), la même dans toutes les tables."
        if fr
        else "Dates are UTC (ISO 8601) unless stated. People appear only as a pseudonymous key "
        "('m-…'), the same in every table.",
        "",
        "## Fichiers" if fr else "## Files",
        "",
    ]
    for name, text_fr, text_en in FILES:
        lines.append(f"- `{name}` : {text_fr}" if fr else f"- `{name}`: {text_en}")
    lines += ["", "## conventionnes-AAAA-MM-JJ.csv", ""]
    lines += _columns_table(fr, [(n, "", f, e) for n, f, e in APPROVED_COLUMNS])
    for name, text_fr, text_en, columns in documented():
        lines += ["", f"## {name}", "", text_fr if fr else text_en, ""]
        rows = [(c.name, TYPES[c.type][0 if fr else 1], c.fr, c.en) for c in columns]
        lines += _columns_table(fr, rows)
    return lines


def _columns_table(fr: bool, rows: list[tuple[str, str, str, str]]) -> list[str]:
    head = "| Colonne | Type | Signification |" if fr else "| Column | Type | Meaning |"
    lines = [head, "|---|---|---|"]
    for name, kind, text_fr, text_en in rows:
        text = (text_fr if fr else text_en).replace("|", "/")
        lines.append(f"| `{name}` | {kind} | {text} |")
    return lines


def datasette_metadata() -> dict[str, Any]:
    """Datasette metadata: every table's and column's description, French / English."""
    tables = {
        name: {
            "description": f"{text_fr} / {text_en}",
            "columns": {c.name: f"{c.fr} / {c.en}" for c in columns},
        }
        for name, text_fr, text_en, columns in documented()
    }
    return {
        "title": "Registre de conventionnement — caisse commune alimentaire",
        "description": "Export du registre : lieux, statuts dans le temps, critères, "
        "gouvernance, événements. / Registry export: places, statuses over time, criteria, "
        "governance, events.",
        "databases": {"registre": {"tables": tables}},
    }
