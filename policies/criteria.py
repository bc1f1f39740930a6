"""Criteria versions: which policies, with which parameters, combined how, from which date."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from policies.declaration import describe_errors
from policies.errors import CodedError


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Decision(StrEnum):
    """Who turns an evaluation into a status."""

    AUTOMATIC = "automatic"
    COLLECTIVE = "collective"


class CriterionSpec(Frozen):
    """One criterion of a version: a policy reference, its parameters, how it counts."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{1,60}$", description="Identifiant du critère")
    policy: str = Field(pattern=r"^[a-z][a-z0-9_]+@\d+$", description="Politique, nom@version")
    params: dict[str, Any] = Field(default_factory=dict, description="Paramètres")
    required: bool = Field(default=True, description="Obligatoire (sinon pondéré)")
    weight: float = Field(default=1.0, ge=0, le=100, description="Poids s'il est pondéré")


class CoverageTier(Frozen):
    """From this weighted score up, purchases are covered at this rate."""

    min_score: float = Field(ge=0, le=1)
    rate: float = Field(ge=0, le=100, description="Taux de prise en charge (%)")


class CriteriaVersion(Frozen):
    """A criteria version; once published it never changes."""

    caisse: str = Field(default="paris-14e", pattern=r"^[a-z0-9-]{2,60}$")
    version: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$", description="Version")
    title: str = Field(min_length=1, max_length=200)
    effective_from: date = Field(description="Date d'entrée en vigueur")
    criteria: tuple[CriterionSpec, ...] = Field(min_length=1)
    threshold: float = Field(
        default=0.5, ge=0, le=1, description="Score pondéré minimal pour être conventionné"
    )
    coverage: tuple[CoverageTier, ...] = Field(
        default=(CoverageTier(min_score=0, rate=100),),
        description="Taux de prise en charge par palier de score",
    )
    decision: Decision = Field(
        default=Decision.AUTOMATIC,
        description="automatic : le registre applique le résultat ; collective : le collectif "
        "décide de chaque lieu",
    )
    transition_days: int = Field(
        default=0,
        ge=0,
        le=730,
        description="Délai (jours) laissé aux lieux déjà conventionnés qui ne remplissent plus "
        "les critères avant leur déconventionnement",
    )
    fingerprints: dict[str, str] = Field(
        default_factory=dict, description="Empreinte du code de chaque politique utilisée"
    )
    notes: str = Field(default="", max_length=5000)

    @model_validator(mode="after")
    def _unique_keys(self) -> CriteriaVersion:
        keys = [c.key for c in self.criteria]
        duplicated = sorted({k for k in keys if keys.count(k) > 1})
        if duplicated:
            raise ValueError(f"critères en double : {', '.join(duplicated)}")
        return self

    def coverage_rate(self, score: float) -> float:
        """The coverage rate of the highest tier the score reaches."""
        reached = [t.rate for t in self.coverage if score >= t.min_score]
        return max(reached) if reached else 0.0


def parse_criteria_version(data: Any) -> CriteriaVersion:
    """Validate raw data into a CriteriaVersion, or raise a CodedError."""
    try:
        return CriteriaVersion.model_validate(data)
    except ValidationError as exc:
        raise CodedError("invalid_criteria", details=describe_errors(exc)) from None


def in_force(versions: list[CriteriaVersion], on: date) -> CriteriaVersion | None:
    """The version in force on a date: the latest effective on or before it."""
    candidates = [v for v in versions if v.effective_from <= on]
    if not candidates:
        return None
    # Two versions effective the same day: the one published later wins (list order).
    return max(enumerate(candidates), key=lambda iv: (iv[1].effective_from, iv[0]))[1]
