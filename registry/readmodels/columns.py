"""How read-model tables and columns are described: each in French and English."""

from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass(frozen=True)
class View:
    """A SQL view over the tables, documented like a table."""

    name: str
    fr: str
    en: str
    columns: tuple[Column, ...]
    sql: str


def col(name: str, kind: type, fr: str, en: str) -> Column:
    """A documented column."""
    return Column(name, kind, fr, en)


UTC_FR = "(UTC, ISO 8601)"
UTC_EN = "(UTC, ISO 8601)"

SIRET = col("siret", str, "SIRET du lieu (14 chiffres)", "The place's SIRET (14 digits)")
CAISSE = col("caisse", str, "Identifiant de la caisse commune", "Caisse commune identifier")
STATUS = (
    col(
        "status",
        str,
        "Statut : candidature, conventionne, refuse, suspendu, retire, deconventionne",
        "Status code: candidature (pending), conventionne (approved), refuse (refused), "
        "suspendu (suspended), retire (withdrawn), deconventionne (approval withdrawn)",
    ),
    col("status_fr", str, "Statut en clair, en français", "Status in plain French"),
    col("status_en", str, "Statut en clair, en anglais", "Status in plain English"),
    col("reason", str, "Motif du statut, tel qu'enregistré", "Why the place has this status"),
    col(
        "decision",
        str,
        "Décision qui a fixé le statut (réunion, version de critères…)",
        "The decision that set the status (meeting, criteria version…)",
    ),
)
DECLARED = (
    col("name", str, "Nom du lieu", "Name of the place"),
    col(
        "kind",
        str,
        "Type de lieu (commerce, marche, cooperative, amap, producteur…)",
        "Kind of place (shop, market, cooperative, AMAP, producer…)",
    ),
    col("quartier", str, "Quartier déclaré", "Declared neighbourhood"),
    col("street", str, "Numéro et rue", "Street address"),
    col("postcode", str, "Code postal", "Postcode"),
    col("city", str, "Commune", "City"),
    col(
        "peasant_share",
        float,
        "Part déclarée de l'approvisionnement venant de fermes paysannes (%), vide si non déclarée",
        "Declared share of supply from peasant farms (%), empty if not declared",
    ),
)
