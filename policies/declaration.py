"""What a shop or producer declares: the facts criteria need, and never a margin."""

from __future__ import annotations

import re
from datetime import time
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationError,
    field_validator,
    model_validator,
)
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from policies.errors import CodedError

# Keys that would carry a shop's margin. Margin is not a criterion (seed, 3 June 2024):
# such a declaration is refused whole, with a message that says why.
MARGIN_KEY = re.compile(r"(^|_)(margin|margins|marge|marges|markup|taux_de_marge)(_|$)")


class PlaceKind(StrEnum):
    """Kinds of places that can be conventionnés."""

    COMMERCE = "commerce"
    EPICERIE_SOLIDAIRE = "epicerie_solidaire"
    MARCHE = "marche"
    COOPERATIVE = "cooperative"
    AMAP = "amap"
    PRODUCTEUR = "producteur"
    RESTAURANT = "restaurant"


class ProductCategory(StrEnum):
    """Food categories a place offers."""

    FRUITS_LEGUMES = "fruits_legumes"
    PAIN_CEREALES = "pain_cereales"
    PRODUITS_LAITIERS = "produits_laitiers"
    OEUFS = "oeufs"
    VIANDE = "viande"
    POISSON = "poisson"
    EPICERIE_SECHE = "epicerie_seche"
    LEGUMINEUSES = "legumineuses"
    BOISSONS = "boissons"
    PLATS_PREPARES = "plats_prepares"
    HYGIENE = "hygiene"


class Label(StrEnum):
    """Farming labels recognised by the criteria."""

    AB = "AB"
    NATURE_ET_PROGRES = "Nature & Progrès"
    DEMETER = "Demeter"
    EN_CONVERSION = "en conversion"
    HVE = "HVE"


class LegalForm(StrEnum):
    """Legal and business form of a place."""

    INDEPENDANT = "independant"
    FRANCHISE = "franchise"
    CHAINE = "chaine"
    COOPERATIVE = "cooperative"
    ASSOCIATION = "association"
    EXPLOITATION_AGRICOLE = "exploitation_agricole"


class PaymentMeans(StrEnum):
    """Means of payment a place accepts."""

    ESPECES = "especes"
    CARTE = "carte"
    CHEQUE = "cheque"
    MONNAIE_LOCALE = "monnaie_locale"
    ALLOCATION_SSA = "allocation_ssa"
    TITRE_PAPIER = "titre_papier"


class Weekday(StrEnum):
    """Days of the week, Monday first."""

    LUNDI = "lundi"
    MARDI = "mardi"
    MERCREDI = "mercredi"
    JEUDI = "jeudi"
    VENDREDI = "vendredi"
    SAMEDI = "samedi"
    DIMANCHE = "dimanche"


Percent = Annotated[float, Field(ge=0, le=100)]


class Frozen(BaseModel):
    """Base for declaration parts: immutable, unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Address(Frozen):
    street: str = Field(min_length=1, max_length=200, description="Numéro et rue")
    postcode: str = Field(pattern=r"^\d{5}$", description="Code postal")
    city: str = Field(min_length=1, max_length=100, description="Commune")


class Coordinates(Frozen):
    lat: float = Field(ge=-90, le=90, description="Latitude (WGS 84)")
    lon: float = Field(ge=-180, le=180, description="Longitude (WGS 84)")


class Supply(Frozen):
    """Where the food sold comes from, as shares of purchases."""

    peasant_share: Percent | None = Field(
        default=None,
        description="Part de l'approvisionnement venant de fermes paysannes (%)",
    )
    labelled_share: Percent | None = Field(
        default=None,
        description="Part venant de fermes labellisées AB, Nature & Progrès, Demeter "
        "ou en conversion (%)",
    )
    labels: tuple[Label, ...] = Field(default=(), description="Labels des produits vendus")
    short_chain_share: Percent | None = Field(
        default=None,
        description="Part en circuit court, au plus un intermédiaire (%)",
    )
    supplier_distances_km: tuple[Annotated[float, Field(ge=0, le=20000)], ...] = Field(
        default=(), description="Distance de chaque fournisseur principal (km)"
    )


class OpeningSlot(Frozen):
    day: Weekday
    opens: time
    closes: time

    @model_validator(mode="after")
    def _closes_after_opening(self) -> OpeningSlot:
        if self.closes <= self.opens:
            raise ValueError("l'heure de fermeture doit suivre l'heure d'ouverture")
        return self


class Accessibility(Frozen):
    step_free: bool | None = Field(default=None, description="Accès de plain-pied")
    accepts_allocation: bool | None = Field(
        default=None, description="Accepte l'allocation de la caisse commune"
    )
    languages: tuple[str, ...] = Field(default=(), description="Langues parlées à l'accueil")


class Business(Frozen):
    legal_form: LegalForm | None = Field(default=None, description="Forme de l'activité")
    ess: bool | None = Field(default=None, description="Entreprise de l'ESS (agréée ou statut)")
    employees: int | None = Field(default=None, ge=0, le=100000, description="Salariés")


class Commitments(Frozen):
    """Declared commitments to producers and workers."""

    fair_prices_to_producers: bool | None = Field(
        default=None, description="Prix rémunérateurs négociés avec les producteurs"
    )
    multi_year_contracts: bool | None = Field(
        default=None, description="Contrats pluriannuels avec les fournisseurs"
    )
    living_wage: bool | None = Field(
        default=None, description="Salaires au-dessus du minimum légal"
    )
    permanent_contracts_share: Percent | None = Field(
        default=None, description="Part des salariés en CDI (%)"
    )


class Farm(Frozen):
    """A producer's own farm."""

    area_ha: float = Field(ge=0, le=100000, description="Surface agricole (ha)")
    workers: int = Field(ge=0, le=10000, description="Actifs sur la ferme")
    labels: tuple[Label, ...] = Field(default=(), description="Labels de la ferme")
    peasant_charter: bool | None = Field(
        default=None, description="Adhère à la charte de l'agriculture paysanne"
    )
    independent: bool | None = Field(
        default=None, description="Indépendante de l'agro-industrie (ni intégrée ni sous contrat)"
    )
    distance_km: float | None = Field(
        default=None, ge=0, le=20000, description="Distance au lieu de distribution (km)"
    )
    location: Coordinates | None = Field(default=None, description="Position de la ferme")


class Declaration(Frozen):
    """A shop's or producer's declaration: the facts the criteria need."""

    kind: PlaceKind = Field(description="Type de lieu")
    name: str = Field(min_length=1, max_length=200, description="Nom")
    siret: str = Field(description="SIRET (14 chiffres)")
    caisse: str = Field(default="paris-14e", pattern=r"^[a-z0-9-]{2,60}$", description="Caisse")
    address: Address = Field(description="Adresse")
    coordinates: Coordinates | None = Field(
        default=None, description="Position (latitude, longitude)"
    )
    quartier: str | None = Field(default=None, max_length=100, description="Quartier")
    product_categories: tuple[ProductCategory, ...] = Field(
        default=(), description="Catégories d'aliments proposées"
    )
    supply: Supply = Field(default=Supply(), description="Approvisionnement")
    opening_hours: tuple[OpeningSlot, ...] = Field(default=(), description="Horaires")
    accessibility: Accessibility = Field(default=Accessibility(), description="Accessibilité")
    payment_means: tuple[PaymentMeans, ...] = Field(default=(), description="Moyens de paiement")
    business: Business = Field(default=Business(), description="Activité")
    commitments: Commitments = Field(default=Commitments(), description="Engagements")
    farm: Farm | None = Field(default=None, description="La ferme (producteurs)")
    contact_email: str | None = Field(
        default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="Courriel"
    )
    presentation: str | None = Field(default=None, max_length=2000, description="Présentation")

    @model_validator(mode="wrap")
    @classmethod
    def _refuse_margin(cls, data: Any, handler: ModelWrapValidatorHandler[Declaration]) -> Any:
        """A margin is refused, whatever else the declaration gets wrong.

        Every model of a declaration forbids keys it does not declare, and none it declares
        names a margin: a declaration that validates carries no margin, so only one that fails
        is searched for one.
        """
        try:
            return handler(data)
        except ValidationError:
            field = find_margin_field(data)
            if field is not None:
                raise CodedError("margin_not_collected", field=field) from None
            raise

    @field_validator("siret", mode="before")
    @classmethod
    def _valid_siret(cls, value: Any) -> str:
        try:
            return normalise_siret(value)
        except CodedError as exc:
            raise ValueError(exc.message("fr")) from None

    @model_validator(mode="after")
    def _producer_has_farm(self) -> Declaration:
        if self.kind is PlaceKind.PRODUCTEUR and self.farm is None:
            raise ValueError("un producteur doit décrire sa ferme (champ « farm »)")
        return self


def field_description(path: str) -> str | None:
    """The model's own description of a declaration field, such as 'supply.peasant_share'."""
    model: Any = Declaration
    description = None
    for part in path.split("."):
        fields = getattr(model, "model_fields", {})
        if part not in fields:
            return None
        info = fields[part]
        description = info.description or part
        model = _inner_model(info.annotation)
    return description


def field_label(path: str) -> str:
    """The French label of a declaration field, for sentences; the path if unknown."""
    label = field_description(path)
    return f"{label[0].lower()}{label[1:]}" if label else path


def _inner_model(annotation: Any) -> Any:
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def normalise_siret(value: Any) -> str:
    """The compact SIRET if valid, else a CodedError saying why."""
    text = str(value) if value is not None else ""
    try:
        return str(stdnum_siret.validate(text))
    except StdnumError as exc:
        raise CodedError("invalid_siret", siret=text, details=_stdnum_reason(exc)) from None


def _stdnum_reason(exc: StdnumError) -> str:
    name = type(exc).__name__
    return {
        "InvalidLength": "il faut 14 chiffres",
        "InvalidFormat": "seuls des chiffres sont permis",
        "InvalidChecksum": "la clé de contrôle est fausse",
        "InvalidComponent": "le SIREN inclus est invalide",
    }.get(name, str(exc))


def find_margin_field(data: Any, path: str = "") -> str | None:
    """The dotted path of the first margin-like key in data, if any."""
    if isinstance(data, dict):
        for key, value in data.items():
            if _is_margin_key(key):
                return f"{path}.{key}" if path else str(key)
            if isinstance(value, dict | list | tuple):
                found = find_margin_field(value, f"{path}.{key}" if path else str(key))
                if found is not None:
                    return found
    elif isinstance(data, list | tuple):
        for i, item in enumerate(data):
            if isinstance(item, dict | list | tuple):
                found = find_margin_field(item, f"{path}[{i}]")
                if found is not None:
                    return found
    return None


@lru_cache(maxsize=4096, typed=True)
def _is_margin_key(key: Any) -> bool:
    """Whether a key names a margin, however it is written; the same few keys recur."""
    normalised = str(key).strip().lower().replace(" ", "_").replace("-", "_")
    return MARGIN_KEY.search(normalised) is not None


def parse_declaration(data: Any) -> Declaration:
    """Validate raw data into a Declaration, or raise a CodedError naming each problem."""
    try:
        return Declaration.model_validate(data)
    except CodedError:
        raise
    except ValidationError as exc:
        raise CodedError("invalid_declaration", details=describe_errors(exc)) from None


def describe_errors(exc: ValidationError) -> str:
    """One readable French line listing every field error."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "déclaration"
        parts.append(f"{where} : {french_error(error)}")
    return " ; ".join(parts)


def french_error(error: Any) -> str:
    """A French message for one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    messages = {
        "missing": "champ obligatoire manquant",
        "extra_forbidden": "champ inconnu",
        "string_too_short": "ne peut pas être vide",
        "string_too_long": f"trop long (au plus {ctx.get('max_length')} caractères)",
        "string_pattern_mismatch": "format invalide",
        "greater_than_equal": f"doit être au moins {ctx.get('ge')}",
        "less_than_equal": f"doit être au plus {ctx.get('le')}",
        "enum": f"valeur inconnue (valeurs permises : {ctx.get('expected')})",
        "bool_parsing": "doit valoir true ou false",
        "bool_type": "doit valoir true ou false",
        "float_parsing": "doit être un nombre",
        "float_type": "doit être un nombre",
        "int_parsing": "doit être un nombre entier",
        "int_type": "doit être un nombre entier",
        "string_type": "doit être un texte",
        "time_parsing": "heure invalide (format HH:MM)",
        "model_type": "doit être un objet",
        "tuple_type": "doit être une liste",
        "dict_type": "doit être un objet",
    }
    if kind == "value_error":
        return str(ctx.get("error", error["msg"])).rstrip(".")
    return messages.get(kind, str(error["msg"]))
