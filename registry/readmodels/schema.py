"""The read-model tables, each column documented in French and English: the data dictionary."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils


@dataclass(frozen=True)
class Column:
    """One column: its name, SQLite type and meaning in French and English."""

    name: str
    type: type
    fr: str
    en: str


@dataclass(frozen=True)
class Table:
    """One read-model table."""

    name: str
    pk: tuple[str, ...]
    fr: str
    en: str
    columns: tuple[Column, ...]
    indexes: tuple[tuple[str, ...], ...] = ()
    search: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        """The columns in order."""
        return [c.name for c in self.columns]


def _c(name: str, kind: type, fr: str, en: str) -> Column:
    return Column(name, kind, fr, en)


UTC_FR = "(UTC, ISO 8601)"
UTC_EN = "(UTC, ISO 8601)"

SIRET = _c("siret", str, "SIRET du lieu (14 chiffres)", "The place's SIRET (14 digits)")
CAISSE = _c("caisse", str, "Identifiant de la caisse commune", "Caisse commune identifier")
STATUS = (
    _c(
        "status",
        str,
        "Statut : candidature, conventionne, refuse, suspendu, retire, deconventionne",
        "Status code: candidature (pending), conventionne (approved), refuse (refused), "
        "suspendu (suspended), retire (withdrawn), deconventionne (approval withdrawn)",
    ),
    _c("status_fr", str, "Statut en clair, en français", "Status in plain French"),
    _c("status_en", str, "Statut en clair, en anglais", "Status in plain English"),
    _c("reason", str, "Motif du statut, tel qu'enregistré", "Why the place has this status"),
    _c(
        "decision",
        str,
        "Décision qui a fixé le statut (réunion, version de critères…)",
        "The decision that set the status (meeting, criteria version…)",
    ),
)
DECLARED = (
    _c("name", str, "Nom du lieu", "Name of the place"),
    _c(
        "kind",
        str,
        "Type de lieu (commerce, marche, cooperative, amap, producteur…)",
        "Kind of place (shop, market, cooperative, AMAP, producer…)",
    ),
    _c("quartier", str, "Quartier déclaré", "Declared neighbourhood"),
    _c("street", str, "Numéro et rue", "Street address"),
    _c("postcode", str, "Code postal", "Postcode"),
    _c("city", str, "Commune", "City"),
    _c(
        "peasant_share",
        float,
        "Part déclarée de l'approvisionnement venant de fermes paysannes (%), vide si non déclarée",
        "Declared share of supply from peasant farms (%), empty if not declared",
    ),
)

TABLES: tuple[Table, ...] = (
    Table(
        "caisses",
        ("slug",),
        "Les caisses communes du registre.",
        "The caisses communes of the registry.",
        (
            _c("slug", str, "Identifiant de la caisse", "Caisse identifier"),
            _c("name", str, "Nom de la caisse", "Name"),
            _c("area", str, "Territoire servi", "Area served"),
            _c("quartiers", str, "Quartiers (liste JSON)", "Neighbourhoods (JSON list)"),
            _c("registered_at", str, f"Création {UTC_FR}", f"Created {UTC_EN}"),
        ),
    ),
    Table(
        "aggregates",
        ("aggregate_id",),
        "Chaque agrégat du registre (lieu, grille de critères, caisse, membre, charte, "
        "proposition) : de quoi il s'agit.",
        "Every aggregate of the registry and what it is about.",
        (
            _c("aggregate_id", str, "Identifiant de l'agrégat (UUID)", "Aggregate id (UUID)"),
            _c(
                "aggregate",
                str,
                "place, criteria, caisse, member, charter ou proposal",
                "place, criteria, caisse, member, charter or proposal",
            ),
            CAISSE,
            _c(
                "subject",
                str,
                "SIRET d'un lieu, caisse, clé pseudonyme d'un membre, titre…",
                "A place's SIRET, the caisse, a member's pseudonymous key, a title…",
            ),
            _c(
                "label",
                str,
                "Nom du lieu ou titre, pour la lecture et la recherche",
                "Name of the place or title, for reading and search",
            ),
            _c("created_at", str, f"Création {UTC_FR}", f"Created {UTC_EN}"),
        ),
    ),
    Table(
        "places",
        ("siret",),
        "Chaque lieu (commerce, marché, coopérative, AMAP, producteur) et son statut actuel, "
        "avec le motif et la dernière évaluation.",
        "Every place and its current status, with the reason and its latest evaluation.",
        (
            SIRET,
            CAISSE,
            *DECLARED,
            _c("lat", float, "Latitude déclarée", "Declared latitude"),
            _c("lon", float, "Longitude déclarée", "Declared longitude"),
            *STATUS,
            _c("since", str, f"Début du statut {UTC_FR}", f"Status since {UTC_EN}"),
            _c(
                "status_seq",
                int,
                "Numéro (dans l'histoire du lieu) de l'événement qui a fixé le statut",
                "Number, in the place's history, of the event that set the status",
            ),
            _c(
                "approved_under",
                str,
                "Version de critères du dernier conventionnement",
                "Criteria version of the latest approval",
            ),
            _c("coverage_rate", float, "Taux de prise en charge (%)", "Coverage rate (%)"),
            _c("applied_at", str, f"Première candidature {UTC_FR}", f"First applied {UTC_EN}"),
            _c(
                "declaration_seq",
                int,
                "Numéro de l'événement de la déclaration en cours",
                "Event number of the current declaration",
            ),
            _c(
                "criteria_version",
                str,
                "Version de critères de la dernière évaluation",
                "Criteria version of the latest evaluation",
            ),
            _c(
                "verdict",
                str,
                "Verdict de la dernière évaluation : approved, refused, to_collective",
                "Verdict of the latest evaluation: approved, refused, to_collective",
            ),
            _c("score", float, "Score pondéré (0 à 1)", "Weighted score (0 to 1)"),
            _c("summary_fr", str, "Résumé de l'évaluation", "Evaluation summary, French"),
            _c("summary_en", str, "Résumé de l'évaluation, en anglais", "Evaluation summary"),
            _c(
                "missing",
                str,
                "Informations manquantes dans la déclaration (liste JSON)",
                "Facts missing from the declaration (JSON list)",
            ),
            _c("evaluated_at", str, f"Dernière évaluation {UTC_FR}", f"Last evaluated {UTC_EN}"),
            _c("events", int, "Nombre d'événements du lieu", "Number of the place's events"),
            _c("last_event_at", str, f"Dernier événement {UTC_FR}", f"Last event {UTC_EN}"),
        ),
        indexes=(("caisse", "status"),),
    ),
    Table(
        "declarations",
        ("siret", "seq"),
        "Chaque déclaration d'un lieu et sa période de validité : ce que le lieu déclarait "
        "à toute date.",
        "Every declaration of a place and when it held: what the place declared at any date.",
        (
            SIRET,
            _c("seq", int, "Numéro de l'événement dans l'histoire du lieu", "Event number"),
            _c("valid_from", str, f"Début de validité {UTC_FR}", f"Valid from {UTC_EN}"),
            _c(
                "valid_to",
                str,
                f"Fin de validité {UTC_FR}, vide si toujours en cours",
                f"Valid until {UTC_EN}, empty while current",
            ),
            *DECLARED,
            _c("declaration", str, "Déclaration complète (JSON)", "Full declaration (JSON)"),
        ),
        indexes=(("valid_from", "valid_to"),),
    ),
    Table(
        "status_intervals",
        ("siret", "seq"),
        "L'historique des statuts en intervalles : de quand à quand chaque lieu a eu quel "
        "statut, et pourquoi.",
        "Status history as intervals: from when to when each place had which status, and why.",
        (
            SIRET,
            _c("seq", int, "Numéro de l'événement qui ouvre l'intervalle", "Opening event number"),
            *STATUS,
            _c(
                "criteria_version",
                str,
                "Version de critères du conventionnement (si conventionné)",
                "Criteria version of the approval (when approved)",
            ),
            _c("coverage_rate", float, "Taux de prise en charge (%)", "Coverage rate (%)"),
            _c("valid_from", str, f"Début {UTC_FR}", f"From {UTC_EN}"),
            _c("valid_to", str, f"Fin {UTC_FR}, vide si en cours", f"To {UTC_EN}, empty if open"),
            _c("event", str, "Événement qui ouvre l'intervalle", "Event that opened it"),
        ),
        indexes=(("valid_from", "valid_to"), ("status",)),
    ),
    Table(
        "evaluations",
        ("siret", "seq"),
        "Chaque évaluation d'un lieu sous une version de critères, critère par critère.",
        "Every evaluation of a place under a criteria version, criterion by criterion.",
        (
            SIRET,
            _c("seq", int, "Numéro de l'événement", "Event number"),
            _c("at", str, f"Date de l'évaluation {UTC_FR}", f"When {UTC_EN}"),
            _c("on_date", str, "Date à laquelle les critères ont été appliqués", "Date applied"),
            _c("criteria_version", str, "Version de critères appliquée", "Criteria version"),
            _c(
                "trigger",
                str,
                "Ce qui l'a déclenchée (candidature, modification, nouveaux critères)",
                "What triggered it (application, amendment, new criteria)",
            ),
            _c("verdict", str, "approved, refused ou to_collective", "Verdict"),
            _c("score", float, "Score pondéré (0 à 1)", "Weighted score (0 to 1)"),
            _c("coverage_rate", float, "Taux de prise en charge (%)", "Coverage rate (%)"),
            _c("summary_fr", str, "Résumé", "Summary, French"),
            _c("summary_en", str, "Résumé en anglais", "Summary, English"),
            _c(
                "declaration_seq",
                int,
                "Numéro de l'événement de la déclaration évaluée",
                "Event number of the declaration evaluated",
            ),
            _c("missing", str, "Informations manquantes (liste JSON)", "Missing facts (JSON)"),
            _c(
                "results",
                str,
                "Résultat et explication de chaque critère (JSON)",
                "Each criterion's result and explanation (JSON)",
            ),
        ),
        indexes=(("at",),),
    ),
    Table(
        "criteria_versions",
        ("caisse", "version"),
        "Chaque version de critères publiée, dans l'ordre de publication, et ce qui a changé.",
        "Every published criteria version, in publication order, and what changed.",
        (
            CAISSE,
            _c("version", str, "Nom de la version", "Version name"),
            _c("position", int, "Rang de publication (1 = première)", "Publication rank"),
            _c("title", str, "Titre", "Title"),
            _c("effective_from", str, "Date d'entrée en vigueur", "Effective date"),
            _c("published_at", str, f"Publication {UTC_FR}", f"Published {UTC_EN}"),
            _c("decision", str, "Décision qui l'a adoptée", "Decision that adopted it"),
            _c(
                "decision_mode",
                str,
                "automatic : le registre applique ; collective : le collectif décide",
                "automatic: the registry applies it; collective: the collective decides",
            ),
            _c("threshold", float, "Score pondéré minimal", "Minimum weighted score"),
            _c("transition_days", int, "Délai de transition (jours)", "Transition (days)"),
            _c("criteria", str, "Clés des critères (liste JSON)", "Criterion keys (JSON list)"),
            _c("previous_version", str, "Version publiée juste avant", "Previous version"),
            _c("changes", int, "Nombre de changements", "Number of changes"),
            _c("changes_fr", str, "Ce qui a changé, en clair", "What changed, French"),
            _c("changes_en", str, "Ce qui a changé, en anglais", "What changed, English"),
            _c("document", str, "Version complète (JSON)", "Full version (JSON)"),
        ),
    ),
    Table(
        "criteria_changes",
        ("caisse", "version", "n"),
        "Chaque changement d'une version de critères par rapport à la précédente.",
        "Each change of a criteria version from the previous one.",
        (
            CAISSE,
            _c("version", str, "Version", "Version"),
            _c("n", int, "Numéro du changement", "Change number"),
            _c("previous_version", str, "Version précédente", "Previous version"),
            _c("published_at", str, f"Publication {UTC_FR}", f"Published {UTC_EN}"),
            _c("criterion", str, "Critère concerné (vide : la version)", "Criterion (or empty)"),
            _c(
                "change",
                str,
                "added, removed, params, required, weight, policy, threshold, coverage, "
                "decision_mode, transition_days",
                "Kind of change",
            ),
            _c("before", str, "Valeur avant (JSON)", "Value before (JSON)"),
            _c("after", str, "Valeur après (JSON)", "Value after (JSON)"),
            _c("description_fr", str, "Le changement en clair", "The change, French"),
            _c("description_en", str, "Le changement en anglais", "The change, English"),
        ),
    ),
    Table(
        "members",
        ("member",),
        "Les membres, pseudonymisés : une clé stable remplace le pseudonyme.",
        "Members, pseudonymised: a stable key replaces the pseudonym.",
        (
            _c("member", str, "Clé pseudonyme stable", "Stable pseudonymous key"),
            CAISSE,
            _c("roles", str, "Rôles (liste JSON)", "Roles (JSON list)"),
            _c("wave", int, "Vague d'arrivée", "Arrival wave"),
            _c("joined_at", str, f"Arrivée {UTC_FR}", f"Joined {UTC_EN}"),
            _c("left_at", str, f"Départ {UTC_FR}", f"Left {UTC_EN}"),
            _c("active", int, "1 si toujours membre", "1 while a member"),
            _c("trainings", int, "Formations suivies", "Trainings attended"),
            _c("trained_on", str, "Date de la première formation", "First training date"),
        ),
    ),
    Table(
        "charter_versions",
        ("caisse", "number"),
        "Chaque version de la charte de gouvernance.",
        "Every version of the governance charter.",
        (
            CAISSE,
            _c("number", int, "Numéro de version", "Version number"),
            _c("title", str, "Titre", "Title"),
            _c("adopted_at", str, f"Adoption {UTC_FR}", f"Adopted {UTC_EN}"),
            _c("decision", str, "Décision qui l'a adoptée", "Decision that adopted it"),
            _c("terms", str, "Règles complètes (JSON)", "Full terms (JSON)"),
        ),
    ),
    Table(
        "proposals",
        ("proposal",),
        "Les propositions soumises au collectif ou aux expérimentateurs, leur décompte et "
        "leur issue.",
        "Proposals put to the deciding body, their tally and outcome.",
        (
            _c("proposal", str, "Identifiant de la proposition (UUID)", "Proposal id (UUID)"),
            CAISSE,
            _c(
                "kind",
                str,
                "criteria_revision, place_decision, charter_change ou question",
                "criteria_revision, place_decision, charter_change or question",
            ),
            _c("title", str, "Titre (après amendements)", "Title (as amended)"),
            _c(
                "mode",
                str,
                "Mode déclaré à l'ouverture : consensus, consent, majority, poll",
                "Mode declared at opening: consensus, consent, majority, poll",
            ),
            _c("ballot", str, "single ou ranked (sondages)", "single or ranked (polls)"),
            _c("state", str, "open, closed ou withdrawn", "open, closed or withdrawn"),
            _c("opened_at", str, f"Ouverture {UTC_FR}", f"Opened {UTC_EN}"),
            _c("deadline", str, f"Fin du vote prévue {UTC_FR}", f"Voting deadline {UTC_EN}"),
            _c("closed_at", str, f"Clôture ou retrait {UTC_FR}", f"Closed or withdrawn {UTC_EN}"),
            _c("amendments", int, "Nombre d'amendements", "Number of amendments"),
            _c("votes_cast", int, "Votes exprimés, changements compris", "Votes cast"),
            _c("voters", int, "Votants distincts", "Distinct voters"),
            _c("meetings", int, "Votes en réunion enregistrés", "Meeting tallies recorded"),
            _c("electorate", int, "Électorat à la clôture", "Electorate at closing"),
            _c(
                "participants",
                int,
                "Participants à la clôture, réunions comprises",
                "Participants at closing, meetings included",
            ),
            _c(
                "participation",
                float,
                "Participants / électorat (0 à 1)",
                "Participants / electorate (0 to 1)",
            ),
            _c(
                "outcome",
                str,
                "adopted, rejected, no_quorum, chosen ou tie",
                "adopted, rejected, no_quorum, chosen or tie",
            ),
            _c("winner", str, "Option choisie (sondages)", "Winning option (polls)"),
            _c(
                "cause",
                str,
                "Clôture à l'échéance (deadline) ou par l'animation (facilitator)",
                "Closed at the deadline or by a facilitator",
            ),
            _c("explanation_fr", str, "Issue expliquée", "Outcome explained, French"),
            _c("explanation_en", str, "Issue expliquée en anglais", "Outcome explained"),
            _c(
                "tally",
                str,
                "Décompte complet (JSON, votants pseudonymisés)",
                "Full tally (JSON, voters pseudonymised)",
            ),
            _c("enacted_at", str, f"Mise en œuvre {UTC_FR}", f"Enacted {UTC_EN}"),
            _c("effect", str, "Ce que la décision a changé (JSON)", "What it changed (JSON)"),
        ),
        indexes=(("caisse", "state"),),
    ),
    Table(
        "votes",
        ("proposal", "n"),
        "Chaque vote exprimé, pseudonymisé ; seul le dernier vote d'un membre compte.",
        "Every vote cast, pseudonymised; only a member's last vote counts.",
        (
            _c("proposal", str, "Proposition", "Proposal"),
            _c("n", int, "Ordre du vote", "Vote order"),
            _c("member", str, "Clé pseudonyme du votant", "Voter's pseudonymous key"),
            _c(
                "choice",
                str,
                "for, against, abstain, block, object ou options",
                "for, against, abstain, block, object or options",
            ),
            _c("options", str, "Options choisies, dans l'ordre (JSON)", "Options chosen (JSON)"),
            _c("grounds", str, "Motif d'un blocage ou d'une objection", "Grounds given"),
            _c(
                "amendment",
                int,
                "Amendement en vigueur lors du vote (0 : texte initial)",
                "Amendment in force when cast (0: original text)",
            ),
            _c("lifted", int, "1 si le vote lève un blocage ou une objection", "1 if it lifts one"),
            _c("at", str, f"Date {UTC_FR}", f"When {UTC_EN}"),
        ),
    ),
    Table(
        "timeline",
        ("seq",),
        "Chaque événement du registre, en clair, avec recherche plein texte.",
        "Every event of the registry in plain words, with full-text search.",
        (
            _c("seq", int, "Numéro d'ordre global de l'événement", "Global event number"),
            _c("at", str, f"Date {UTC_FR}", f"When {UTC_EN}"),
            CAISSE,
            _c(
                "aggregate",
                str,
                "Sur quoi : place, criteria, caisse, member, charter, proposal",
                "About what: place, criteria, caisse, member, charter, proposal",
            ),
            _c("aggregate_id", str, "Identifiant de l'agrégat (UUID)", "Aggregate id (UUID)"),
            _c("version", int, "Numéro dans l'histoire de l'agrégat", "Aggregate version"),
            _c("subject", str, "SIRET, version, titre…", "SIRET, version, title…"),
            _c(
                "label",
                str,
                "Nom du lieu ou titre au moment de l'événement",
                "Name of the place or title at the time",
            ),
            _c("event", str, "Nom de l'événement", "Event name"),
            _c("title_fr", str, "Titre", "Title, French"),
            _c("title_en", str, "Titre en anglais", "Title, English"),
            _c("detail_fr", str, "Détail", "Detail, French"),
            _c("detail_en", str, "Détail en anglais", "Detail, English"),
            _c(
                "actor",
                str,
                "Qui a agi : SIRET d'un lieu, « registre », ou clé pseudonyme d'un membre",
                "Who acted: a place's SIRET, 'registre', or a member's pseudonymous key",
            ),
            _c("role", str, "Rôle sous lequel il a agi", "Role acted in"),
            _c("decision", str, "Décision citée", "Decision cited"),
        ),
        indexes=(("at",), ("subject",)),
        search=("subject", "label", "title_fr", "title_en", "detail_fr", "detail_en"),
    ),
)

BY_NAME = {t.name: t for t in TABLES}

FTS_COLUMNS = BY_NAME["timeline"].search


def create_all(db: sqlite_utils.Database) -> None:
    """Create every missing table, index and full-text index."""
    for table in TABLES:
        if db[table.name].exists():
            continue
        db[table.name].create(  # type: ignore[union-attr]
            {c.name: c.type for c in table.columns},
            pk=table.pk[0] if len(table.pk) == 1 else table.pk,
        )
        for columns in table.indexes:
            db[table.name].create_index(columns)  # type: ignore[union-attr]
        if table.search:
            db[table.name].enable_fts(table.search)  # type: ignore[union-attr]
