"""A place (shop, market, cooperative, AMAP, producer…) and its conventionnement lifecycle."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from policies.declaration import Declaration
from registry.errors import RegistryError
from registry.ids import place_id
from registry.roles import Actor


class Status(StrEnum):
    """Where a place stands."""

    PENDING = "candidature"
    APPROVED = "conventionne"
    REFUSED = "refuse"
    SUSPENDED = "suspendu"
    WITHDRAWN = "retire"
    DECONVENTIONNE = "deconventionne"


STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.PENDING: ("candidature en cours", "application pending"),
    Status.APPROVED: ("conventionné", "approved"),
    Status.REFUSED: ("refusé", "refused"),
    Status.SUSPENDED: ("suspendu", "suspended"),
    Status.WITHDRAWN: ("candidature retirée", "withdrawn by the place"),
    Status.DECONVENTIONNE: ("déconventionné", "approval withdrawn"),
}

# Which statuses each action may start from: the whole lifecycle in one table.
ALLOWED: dict[str, frozenset[Status]] = {
    "amend": frozenset(
        {Status.PENDING, Status.APPROVED, Status.REFUSED, Status.SUSPENDED, Status.DECONVENTIONNE}
    ),
    "evaluate": frozenset(
        {Status.PENDING, Status.APPROVED, Status.REFUSED, Status.SUSPENDED, Status.DECONVENTIONNE}
    ),
    "approve": frozenset({Status.PENDING}),
    "refuse": frozenset({Status.PENDING}),
    "suspend": frozenset({Status.APPROVED}),
    "withdraw": frozenset(
        {Status.PENDING, Status.APPROVED, Status.REFUSED, Status.SUSPENDED, Status.DECONVENTIONNE}
    ),
    "withdraw_approval": frozenset({Status.APPROVED, Status.SUSPENDED}),
    "renew": frozenset({Status.APPROVED, Status.SUSPENDED}),
}

ACTION_LABELS: dict[str, tuple[str, str]] = {
    "amend": ("modifier la déclaration", "amend the declaration"),
    "evaluate": ("évaluer", "evaluate"),
    "approve": ("conventionner", "approve"),
    "refuse": ("refuser", "refuse"),
    "suspend": ("suspendre", "suspend"),
    "withdraw": ("retirer la candidature", "withdraw"),
    "withdraw_approval": ("déconventionner", "withdraw approval"),
    "renew": ("renouveler", "renew"),
}


class Place(Aggregate):
    """A place identified by its SIRET, in one caisse."""

    class Event(Aggregate.Event):
        actor: str
        role: str

    class Applied(Aggregate.Created):
        declaration: dict[str, Any]
        actor: str
        role: str

    class DeclarationAmended(Event):
        declaration: dict[str, Any]

        def apply(self, place: Place) -> None:
            place.declaration = self.declaration
            place.name = str(self.declaration["name"])
            if place.status in (Status.REFUSED, Status.DECONVENTIONNE):
                place.set_status(Status.PENDING, "Nouvelle candidature après modification", self)

    class Evaluated(Event):
        evaluation: dict[str, Any]
        trigger: str

        def apply(self, place: Place) -> None:
            place.evaluation = self.evaluation

    class Decided(Event):
        """Base of the events that change a place's status for a reason."""

        reason: str
        decision: str

    class Approved(Decided):
        criteria_version: str
        coverage_rate: float

        def apply(self, place: Place) -> None:
            place.coverage_rate = self.coverage_rate
            place.approved_under = self.criteria_version
            place.set_status(Status.APPROVED, self.reason, self)

    class Refused(Decided):
        def apply(self, place: Place) -> None:
            place.set_status(Status.REFUSED, self.reason, self)

    class Suspended(Decided):
        def apply(self, place: Place) -> None:
            place.set_status(Status.SUSPENDED, self.reason, self)

    class Withdrawn(Decided):
        def apply(self, place: Place) -> None:
            place.set_status(Status.WITHDRAWN, self.reason, self)

    class ApprovalWithdrawn(Decided):
        def apply(self, place: Place) -> None:
            place.coverage_rate = 0.0
            place.set_status(Status.DECONVENTIONNE, self.reason, self)

    class Renewed(Decided):
        criteria_version: str
        coverage_rate: float

        def apply(self, place: Place) -> None:
            place.coverage_rate = self.coverage_rate
            place.approved_under = self.criteria_version
            place.set_status(Status.APPROVED, self.reason, self)

    def __init__(self, declaration: dict[str, Any], actor: str, role: str) -> None:
        self.declaration = declaration
        self.siret = str(declaration["siret"])
        self.caisse = str(declaration["caisse"])
        self.name = str(declaration["name"])
        self.status = Status.PENDING
        self.status_reason = "Candidature déposée"
        self.status_decision = "candidature"
        self.status_since: datetime = self.created_on
        self.evaluation: dict[str, Any] | None = None
        self.coverage_rate = 0.0
        self.approved_under: str | None = None

    @classmethod
    def create(cls, declaration: Declaration, by: Actor, at: datetime | None = None) -> Place:
        """A new application; its id derives from the SIRET, so a SIRET applies once."""
        return cls._create(
            cls.Applied,
            id=place_id(declaration.siret),
            timestamp=at,
            declaration=declaration.model_dump(mode="json"),
            actor=by.id,
            role=str(by.role),
        )

    @property
    def kind(self) -> str:
        """The declared kind of place."""
        return str(self.declaration["kind"])

    def parsed_declaration(self) -> Declaration:
        """The current declaration as a model."""
        return Declaration.model_validate(self.declaration)

    def set_status(self, status: Status, reason: str, event: Any) -> None:
        """Record a new status and why; called only from events' apply()."""
        self.status = status
        self.status_reason = reason
        self.status_decision = getattr(event, "decision", "candidature")
        self.status_since = event.timestamp

    def check(self, action: str) -> None:
        """Refuse an action the current status does not allow."""
        if self.status not in ALLOWED[action]:
            raise RegistryError(
                "illegal_transition",
                action=ACTION_LABELS[action][0],
                name=self.name,
                status=STATUS_LABELS[self.status][0],
            )

    def amend(self, declaration: Declaration, by: Actor, at: datetime | None = None) -> None:
        """Replace the declaration; a refused or withdrawn approval becomes a new application."""
        self.check("amend")
        if declaration.siret != self.siret:
            raise RegistryError("siret_mismatch", declared=declaration.siret, siret=self.siret)
        if declaration.caisse != self.caisse:
            raise RegistryError("caisse_mismatch", current=self.caisse, declared=declaration.caisse)
        self._trigger(
            self.DeclarationAmended, by, at, declaration=declaration.model_dump(mode="json")
        )

    def record_evaluation(
        self, evaluation: dict[str, Any], trigger: str, by: Actor, at: datetime | None = None
    ) -> None:
        """Record an evaluation under a criteria version."""
        self.check("evaluate")
        self._trigger(self.Evaluated, by, at, evaluation=evaluation, trigger=trigger)

    def approve(
        self,
        reason: str,
        decision: str,
        criteria_version: str,
        coverage_rate: float,
        by: Actor,
        at: datetime | None = None,
    ) -> None:
        """Conventionner the place."""
        self._decide(
            "approve",
            self.Approved,
            reason,
            decision,
            by,
            at,
            criteria_version=criteria_version,
            coverage_rate=coverage_rate,
        )

    def refuse(self, reason: str, decision: str, by: Actor, at: datetime | None = None) -> None:
        """Refuse the application."""
        self._decide("refuse", self.Refused, reason, decision, by, at)

    def suspend(self, reason: str, decision: str, by: Actor, at: datetime | None = None) -> None:
        """Suspend an approval."""
        self._decide("suspend", self.Suspended, reason, decision, by, at)

    def withdraw(self, reason: str, decision: str, by: Actor, at: datetime | None = None) -> None:
        """The place withdraws its application or leaves the scheme."""
        self._decide("withdraw", self.Withdrawn, reason, decision, by, at)

    def withdraw_approval(
        self, reason: str, decision: str, by: Actor, at: datetime | None = None
    ) -> None:
        """Déconventionner the place."""
        self._decide("withdraw_approval", self.ApprovalWithdrawn, reason, decision, by, at)

    def renew(
        self,
        reason: str,
        decision: str,
        criteria_version: str,
        coverage_rate: float,
        by: Actor,
        at: datetime | None = None,
    ) -> None:
        """Renew an approval, or lift a suspension."""
        self._decide(
            "renew",
            self.Renewed,
            reason,
            decision,
            by,
            at,
            criteria_version=criteria_version,
            coverage_rate=coverage_rate,
        )

    def _decide(
        self,
        action: str,
        event_class: type[Place.Decided],
        reason: str,
        decision: str,
        by: Actor,
        at: datetime | None,
        **fields: Any,
    ) -> None:
        self.check(action)
        if not reason.strip():
            raise RegistryError("reason_required", action=ACTION_LABELS[action][0])
        self._trigger(event_class, by, at, reason=reason.strip(), decision=decision, **fields)

    def _trigger(
        self, event_class: type[Any], by: Actor, at: datetime | None, **fields: Any
    ) -> None:
        self.trigger_event(event_class, timestamp=at, actor=by.id, role=str(by.role), **fields)


def id_for(siret: str) -> UUID:
    """The aggregate id of the place with this SIRET."""
    return place_id(siret)
