"""The charter: who decides which kind of question, in which mode, under which terms.

Versioned like the criteria: a version is never edited, a change is a new version, and after
the founding version a change comes only from an adopted proposal.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from fractions import Fraction
from typing import Any, Literal

from eventsourcing.domain import Aggregate
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from registry.errors import RegistryError
from registry.governance.ids import charter_id
from registry.governance.rules import Mode, Terms
from registry.roles import Actor


class Kind(StrEnum):
    """Kinds of proposals."""

    CRITERIA = "criteria_revision"
    PLACE = "place_decision"
    CHARTER = "charter_change"
    QUESTION = "question"


KIND_LABELS: dict[Kind, tuple[str, str]] = {
    Kind.CRITERIA: ("révision des critères", "criteria revision"),
    Kind.PLACE: ("décision sur un lieu", "decision on a place"),
    Kind.CHARTER: ("modification de la charte", "charter change"),
    Kind.QUESTION: ("question ouverte ou sondage", "open question or poll"),
}


class Body(StrEnum):
    """Who decides: the collective, or all participants (the seed leaves it open)."""

    COLLECTIF = "collectif"
    PARTICIPANTS = "participants"


BODY_LABELS: dict[Body, tuple[str, str]] = {
    Body.COLLECTIF: ("le collectif", "the collective"),
    Body.PARTICIPANTS: ("tous les expérimentateurs", "all participants"),
}


def _fraction(value: str) -> Fraction:
    try:
        result = Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"« {value} » n'est pas une fraction (ex. 1/2, 2/3, 0.4)") from None
    if not 0 <= result <= 1:
        raise ValueError(f"« {value} » doit être entre 0 et 1")
    return result


class KindRule(BaseModel):
    """The charter's rule for one kind of question."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    body: Body = Field(default=Body.COLLECTIF, description="Qui décide")
    modes: tuple[Mode, ...] = Field(
        min_length=1, description="Modes permis ; le premier s'applique si rien n'est déclaré"
    )
    quorum: str = Field(default="0", description="Part de l'électorat qui doit participer")
    majority: Literal["simple", "qualified"] = Field(default="simple", description="Majorité")
    threshold: str = Field(default="2/3", description="Seuil d'une majorité qualifiée")
    abstentions: Literal["excluded", "counted"] = Field(
        default="excluded",
        description="excluded : hors des suffrages ; counted : comptées dans les suffrages",
    )
    voting_days: int = Field(default=14, ge=1, le=120, description="Durée du vote (jours)")
    training_required: bool = Field(default=False, description="Formation exigée pour voter")
    ballot: Literal["single", "ranked"] = Field(default="single", description="Choix d'un sondage")

    @field_validator("quorum", "threshold")
    @classmethod
    def _is_fraction(cls, value: str) -> str:
        _fraction(value)
        return value

    @field_validator("modes")
    @classmethod
    def _distinct(cls, value: tuple[Mode, ...]) -> tuple[Mode, ...]:
        if len(set(value)) != len(value):
            raise ValueError("un mode est cité deux fois")
        return value

    def terms(self, ballot: str | None = None) -> Terms:
        """The rule as decision terms."""
        return Terms(
            quorum=_fraction(self.quorum),
            majority=self.majority,
            threshold=_fraction(self.threshold),
            abstentions=self.abstentions,
            ballot=ballot or self.ballot,
        )


class CharterTerms(BaseModel):
    """One version of the charter: a rule for every kind of question."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    rules: dict[Kind, KindRule]
    notes: str = Field(default="", max_length=5000)

    @model_validator(mode="after")
    def _every_kind(self) -> CharterTerms:
        missing = [k.value for k in Kind if k not in self.rules]
        if missing:
            raise ValueError(f"il manque la règle pour : {', '.join(missing)}")
        return self

    def rule(self, kind: Kind) -> KindRule:
        """The rule for a kind of question."""
        return self.rules[kind]


def parse_charter(data: Any) -> CharterTerms:
    """Validate raw data into charter terms, or raise a RegistryError."""
    from policies.declaration import describe_errors

    try:
        return CharterTerms.model_validate(data)
    except ValidationError as exc:
        raise RegistryError("invalid_charter", details=describe_errors(exc)) from None


def default_charter(caisse: str = "paris-14e") -> CharterTerms:
    """The first charter, from the workshop of 3 June 2024."""
    return CharterTerms(
        title=f"Charte de gouvernance initiale ({caisse})",
        rules={
            Kind.CRITERIA: KindRule(
                body=Body.COLLECTIF,
                modes=(Mode.CONSENT, Mode.CONSENSUS, Mode.MAJORITY),
                quorum="1/2",
                training_required=True,
                voting_days=14,
            ),
            Kind.PLACE: KindRule(
                body=Body.COLLECTIF,
                modes=(Mode.CONSENT, Mode.MAJORITY, Mode.CONSENSUS),
                quorum="1/2",
                training_required=True,
                voting_days=14,
            ),
            Kind.CHARTER: KindRule(
                body=Body.COLLECTIF, modes=(Mode.CONSENSUS,), quorum="1/2", voting_days=21
            ),
            Kind.QUESTION: KindRule(
                body=Body.PARTICIPANTS,
                modes=(Mode.POLL, Mode.MAJORITY, Mode.CONSENT, Mode.CONSENSUS),
                quorum="0",
                voting_days=14,
            ),
        },
        notes="« Décider du mode de prise de décision avant de s'exprimer » ; « quiconque "
        "décide du conventionnement doit être formé » (atelier du 3 juin 2024). Le collectif "
        "pose les premières bases, malléables ; les expérimentateurs pourront changer les "
        "règles du jeu. Qui décide du conventionnement (le collectif ou tous les "
        "expérimentateurs) reste ouvert : cette charte peut le changer par une proposition.",
    )


class Charter(Aggregate):
    """A caisse's charter, every version kept."""

    class CharterStarted(Aggregate.Created):
        caisse: str

    class CharterVersionAdopted(Aggregate.Event):
        number: int
        terms: dict[str, Any]
        decision: str
        actor: str
        role: str

        def apply(self, charter: Charter) -> None:
            charter.versions.append(self.terms)
            charter.adopted_on.append(self.timestamp)
            charter.decisions.append(self.decision)

    def __init__(self, caisse: str) -> None:
        self.caisse = caisse
        self.versions: list[dict[str, Any]] = []
        self.adopted_on: list[datetime] = []
        self.decisions: list[str] = []

    @classmethod
    def found(
        cls, caisse: str, terms: CharterTerms, by: Actor, at: datetime | None = None
    ) -> Charter:
        """A caisse's charter with its founding version."""
        charter = cls._create(
            cls.CharterStarted, id=charter_id(caisse), timestamp=at, caisse=caisse
        )
        charter._adopt(terms, "fondation", by, at)
        return charter

    def adopt(
        self, terms: CharterTerms, proposal: str, by: Actor, at: datetime | None = None
    ) -> None:
        """A new version, adopted through a proposal."""
        if not proposal.strip():
            raise RegistryError("charter_needs_proposal")
        self._adopt(terms, f"proposition {proposal}", by, at)

    def _adopt(self, terms: CharterTerms, decision: str, by: Actor, at: datetime | None) -> None:
        self.trigger_event(
            self.CharterVersionAdopted,
            timestamp=at,
            number=len(self.versions) + 1,
            terms=terms.model_dump(mode="json"),
            decision=decision,
            actor=by.id,
            role=str(by.role),
        )

    @property
    def number(self) -> int:
        """The number of the version in force."""
        return len(self.versions)

    def current(self) -> CharterTerms:
        """The version in force."""
        return CharterTerms.model_validate(self.versions[-1])

    def terms_of(self, number: int) -> CharterTerms:
        """A version by number, from 1."""
        if not 1 <= number <= len(self.versions):
            raise RegistryError("charter_version_not_found", number=number, last=self.number)
        return CharterTerms.model_validate(self.versions[number - 1])
