"""The tables of caisses, places, their declarations, statuses, evaluations and criteria."""

from __future__ import annotations

from registry.readmodels.columns import (
    CAISSE,
    DECLARED,
    SIRET,
    STATUS,
    UTC_EN,
    UTC_FR,
    Table,
    col,
)

# Where each place stands now, kept on `places` so that lists filter, sort and page by index.
PLACE_CURRENT = (
    col("status", str, "Statut actuel", "Current status"),
    col(
        "status_seq",
        int,
        "Numéro de l'événement du statut actuel (ligne de status_changes)",
        "Event number of the current status (row of status_changes)",
    ),
    col(
        "sort_name",
        str,
        "Nom en minuscules (casefold), pour trier et chercher",
        "Name casefolded, for sorting and search",
    ),
)

PLACE_TABLES: tuple[Table, ...] = (
    Table(
        "caisses",
        ("slug",),
        "Les caisses communes du registre.",
        "The caisses communes of the registry.",
        (
            col("slug", str, "Identifiant de la caisse", "Caisse identifier"),
            col("name", str, "Nom de la caisse", "Name"),
            col("area", str, "Territoire servi", "Area served"),
            col("quartiers", str, "Quartiers (liste JSON)", "Neighbourhoods (JSON list)"),
            col("registered_at", str, f"Création {UTC_FR}", f"Created {UTC_EN}"),
        ),
    ),
    Table(
        "aggregates",
        ("aggregate_id",),
        "Chaque agrégat du registre (lieu, grille de critères, caisse, membre, charte, "
        "proposition) : de quoi il s'agit.",
        "Every aggregate of the registry and what it is about.",
        (
            col("aggregate_id", str, "Identifiant de l'agrégat (UUID)", "Aggregate id (UUID)"),
            col(
                "aggregate",
                str,
                "place, criteria, caisse, member, charter ou proposal",
                "place, criteria, caisse, member, charter or proposal",
            ),
            CAISSE,
            col(
                "subject",
                str,
                "SIRET d'un lieu, caisse, clé pseudonyme d'un membre, titre…",
                "A place's SIRET, the caisse, a member's pseudonymous key, a title…",
            ),
            col(
                "label",
                str,
                "Nom du lieu ou titre, pour la lecture et la recherche",
                "Name of the place or title, for reading and search",
            ),
            col("created_at", str, f"Création {UTC_FR}", f"Created {UTC_EN}"),
        ),
    ),
    Table(
        "places",
        ("siret",),
        "Chaque lieu (commerce, marché, coopérative, AMAP, producteur) tel qu'il se déclare "
        "aujourd'hui ; son statut est dans la vue place_status.",
        "Every place as currently declared; its status is in the place_status view.",
        (
            SIRET,
            CAISSE,
            *DECLARED,
            col("lat", float, "Latitude déclarée", "Declared latitude"),
            col("lon", float, "Longitude déclarée", "Declared longitude"),
            col("applied_at", str, f"Première candidature {UTC_FR}", f"First applied {UTC_EN}"),
            col(
                "declaration_seq",
                int,
                "Numéro de l'événement de la déclaration en cours",
                "Event number of the current declaration",
            ),
            *PLACE_CURRENT,
        ),
        indexes=(
            ("caisse",),
            ("caisse", "sort_name"),
            ("sort_name",),
            ("caisse", "status", "sort_name"),
            ("status", "sort_name"),
        ),
    ),
    Table(
        "declarations",
        ("siret", "seq"),
        "Chaque déclaration d'un lieu, valable jusqu'à la suivante : ce que le lieu déclarait "
        "à toute date.",
        "Every declaration of a place, valid until the next: what it declared at any date.",
        (
            SIRET,
            col("seq", int, "Numéro de l'événement dans l'histoire du lieu", "Event number"),
            col("valid_from", str, f"Début de validité {UTC_FR}", f"Valid from {UTC_EN}"),
            *DECLARED,
            col("declaration", str, "Déclaration complète (JSON)", "Full declaration (JSON)"),
        ),
    ),
    Table(
        "status_changes",
        ("siret", "seq"),
        "Chaque changement de statut d'un lieu, et pourquoi ; la vue status_intervals en fait "
        "des intervalles.",
        "Every status change of a place, and why; the status_intervals view makes intervals.",
        (
            SIRET,
            col("seq", int, "Numéro de l'événement du changement", "Event number of the change"),
            *STATUS,
            col(
                "criteria_version",
                str,
                "Version de critères du conventionnement (si conventionné)",
                "Criteria version of the approval (when approved)",
            ),
            col("coverage_rate", float, "Taux de prise en charge (%)", "Coverage rate (%)"),
            col("valid_from", str, f"Début {UTC_FR}", f"From {UTC_EN}"),
            col("event", str, "Événement du changement", "Event of the change"),
        ),
    ),
    Table(
        "evaluations",
        ("siret", "seq"),
        "Chaque évaluation d'un lieu sous une version de critères, critère par critère.",
        "Every evaluation of a place under a criteria version, criterion by criterion.",
        (
            SIRET,
            col("seq", int, "Numéro de l'événement", "Event number"),
            col("at", str, f"Date de l'évaluation {UTC_FR}", f"When {UTC_EN}"),
            col("on_date", str, "Date à laquelle les critères ont été appliqués", "Date applied"),
            col("criteria_version", str, "Version de critères appliquée", "Criteria version"),
            col(
                "trigger",
                str,
                "Ce qui l'a déclenchée (candidature, modification, nouveaux critères)",
                "What triggered it (application, amendment, new criteria)",
            ),
            col("verdict", str, "approved, refused ou to_collective", "Verdict"),
            col("score", float, "Score pondéré (0 à 1)", "Weighted score (0 to 1)"),
            col("coverage_rate", float, "Taux de prise en charge (%)", "Coverage rate (%)"),
            col("summary_fr", str, "Résumé", "Summary, French"),
            col("summary_en", str, "Résumé en anglais", "Summary, English"),
            col(
                "declaration_seq",
                int,
                "Numéro de l'événement de la déclaration évaluée",
                "Event number of the declaration evaluated",
            ),
            col("missing", str, "Informations manquantes (liste JSON)", "Missing facts (JSON)"),
            col(
                "outcomes",
                str,
                "Résultat de chaque critère : met, not_met ou to_collective, et palier (JSON) ; "
                "les explications complètes sont dans l'événement (events.jsonl)",
                "Each criterion's outcome: met, not_met or to_collective, and level (JSON); the "
                "full explanations are in the event (events.jsonl)",
            ),
        ),
    ),
    Table(
        "criteria_versions",
        ("caisse", "version"),
        "Chaque version de critères publiée, dans l'ordre de publication, et ce qui a changé.",
        "Every published criteria version, in publication order, and what changed.",
        (
            CAISSE,
            col("version", str, "Nom de la version", "Version name"),
            col("position", int, "Rang de publication (1 = première)", "Publication rank"),
            col("title", str, "Titre", "Title"),
            col("effective_from", str, "Date d'entrée en vigueur", "Effective date"),
            col("published_at", str, f"Publication {UTC_FR}", f"Published {UTC_EN}"),
            col("decision", str, "Décision qui l'a adoptée", "Decision that adopted it"),
            col(
                "decision_mode",
                str,
                "automatic : le registre applique ; collective : le collectif décide",
                "automatic: the registry applies it; collective: the collective decides",
            ),
            col("threshold", float, "Score pondéré minimal", "Minimum weighted score"),
            col("transition_days", int, "Délai de transition (jours)", "Transition (days)"),
            col("criteria", str, "Clés des critères (liste JSON)", "Criterion keys (JSON list)"),
            col("previous_version", str, "Version publiée juste avant", "Previous version"),
            col("changes", int, "Nombre de changements", "Number of changes"),
            col("changes_fr", str, "Ce qui a changé, en clair", "What changed, French"),
            col("changes_en", str, "Ce qui a changé, en anglais", "What changed, English"),
            col("document", str, "Version complète (JSON)", "Full version (JSON)"),
        ),
    ),
    Table(
        "criteria_changes",
        ("caisse", "version", "n"),
        "Chaque changement d'une version de critères par rapport à la précédente.",
        "Each change of a criteria version from the previous one.",
        (
            CAISSE,
            col("version", str, "Version", "Version"),
            col("n", int, "Numéro du changement", "Change number"),
            col("previous_version", str, "Version précédente", "Previous version"),
            col("published_at", str, f"Publication {UTC_FR}", f"Published {UTC_EN}"),
            col("criterion", str, "Critère concerné (vide : la version)", "Criterion (or empty)"),
            col(
                "change",
                str,
                "added, removed, params, required, weight, policy, threshold, coverage, "
                "decision_mode, transition_days",
                "Kind of change",
            ),
            col("before", str, "Valeur avant (JSON)", "Value before (JSON)"),
            col("after", str, "Valeur après (JSON)", "Value after (JSON)"),
            col("description_fr", str, "Le changement en clair", "The change, French"),
            col("description_en", str, "Le changement en anglais", "The change, English"),
        ),
    ),
)
