"""Members of a caisse's governance: known by a pseudonym, their roles, wave and training."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from eventsourcing.domain import Aggregate

from registry.errors import RegistryError
from registry.governance.charter import BODY_LABELS, Body
from registry.governance.ids import member_id, pseudonym_key
from registry.roles import ROLE_LABELS, Actor, Role

MEMBER_ROLES = frozenset(
    {Role.MEMBER, Role.PARTICIPANT, Role.OBSERVER, Role.EVALUATOR, Role.FACILITATOR, Role.PLACE}
)

# Who may vote for each deciding body. Observers and experts are consulted but never vote;
# evaluators read and replay; a place account speaks for a place, not as a decider.
VOTERS: dict[Body, frozenset[Role]] = {
    Body.COLLECTIF: frozenset({Role.MEMBER}),
    Body.PARTICIPANTS: frozenset({Role.MEMBER, Role.PARTICIPANT}),
}

PSEUDONYM = re.compile(r"^[^\W_][\w.'-]{1,39}$")


def parse_roles(values: list[str] | tuple[str, ...]) -> list[Role]:
    """Roles from their codes, sorted, or a RegistryError listing the known ones."""
    known = {str(r) for r in MEMBER_ROLES}
    roles: set[Role] = set()
    for value in values:
        if value not in known:
            raise RegistryError("unknown_role", role=value, known=", ".join(sorted(known)))
        roles.add(Role(value))
    if not roles:
        raise RegistryError("role_required")
    return sorted(roles)


class Member(Aggregate):
    """A member, identified by a pseudonym unique in the caisse."""

    class Event(Aggregate.Event):
        actor: str
        role: str

    class MemberJoined(Aggregate.Created):
        caisse: str
        pseudonym: str
        roles: list[str]
        wave: int
        actor: str
        role: str

    class RolesChanged(Event):
        roles: list[str]
        grounds: str

        def apply(self, member: Member) -> None:
            member.roles = list(self.roles)

    class TrainingRecorded(Event):
        session: str
        on: str

        def apply(self, member: Member) -> None:
            member.trainings.append({"session": self.session, "on": self.on})

    class MemberLeft(Event):
        grounds: str

        def apply(self, member: Member) -> None:
            member.active = False

    def __init__(
        self, caisse: str, pseudonym: str, roles: list[str], wave: int, actor: str, role: str
    ) -> None:
        self.caisse = caisse
        self.pseudonym = pseudonym
        self.roles = list(roles)
        self.wave = wave
        self.trainings: list[dict[str, str]] = []
        self.active = True

    @classmethod
    def join(
        cls,
        caisse: str,
        pseudonym: str,
        roles: list[Role],
        wave: int,
        by: Actor,
        at: datetime | None = None,
    ) -> Member:
        """A new member; the id derives from the pseudonym, so a pseudonym joins once."""
        name = pseudonym.strip()
        if not PSEUDONYM.match(name) or "@" in name:
            raise RegistryError("invalid_pseudonym", pseudonym=pseudonym)
        if not 1 <= wave <= 99:
            raise RegistryError("invalid_wave", wave=wave)
        return cls._create(
            cls.MemberJoined,
            id=member_id(caisse, name),
            timestamp=at,
            caisse=caisse,
            pseudonym=name,
            roles=[str(r) for r in sorted(set(roles))],
            wave=wave,
            actor=by.id,
            role=str(by.role),
        )

    def set_roles(
        self, roles: list[Role], reason: str, by: Actor, at: datetime | None = None
    ) -> None:
        """Change the member's roles."""
        self._check_active()
        codes = [str(r) for r in sorted(set(roles))]
        if codes == sorted(self.roles):
            raise RegistryError("roles_unchanged", pseudonym=self.pseudonym)
        self._trigger(self.RolesChanged, by, at, roles=codes, grounds=reason.strip())

    def record_training(
        self, session: str, on: date, by: Actor, at: datetime | None = None
    ) -> None:
        """Record that the member attended a training session."""
        self._check_active()
        name = session.strip()
        if not name:
            raise RegistryError("session_required")
        if any(pseudonym_key(t["session"]) == pseudonym_key(name) for t in self.trainings):
            raise RegistryError("training_exists", pseudonym=self.pseudonym, session=name)
        self._trigger(self.TrainingRecorded, by, at, session=name, on=on.isoformat())

    def leave(self, reason: str, by: Actor, at: datetime | None = None) -> None:
        """The member leaves; their past votes stay in the history."""
        self._check_active()
        self._trigger(self.MemberLeft, by, at, grounds=reason.strip())

    def trained_by(self, day: date) -> bool:
        """Whether the member attended a training session on or before a day."""
        return any(date.fromisoformat(t["on"]) <= day for t in self.trainings)

    def voting_role(self, body: Body) -> Role | None:
        """The role in which the member votes for a deciding body, if any."""
        for role in (Role.MEMBER, Role.PARTICIPANT):
            if role in VOTERS[body] and str(role) in self.roles:
                return role
        return None

    def check_can_vote(self, body: Body, training_required: bool, day: date) -> Role:
        """The role the member votes in, or a RegistryError that says why they cannot."""
        if not self.active:
            raise RegistryError("member_left", pseudonym=self.pseudonym)
        role = self.voting_role(body)
        if role is None:
            labels = ", ".join(ROLE_LABELS[Role(r)][0] for r in self.roles)
            raise RegistryError(
                "not_eligible", pseudonym=self.pseudonym, roles=labels, body=BODY_LABELS[body][0]
            )
        if training_required and not self.trained_by(day):
            raise RegistryError("untrained", pseudonym=self.pseudonym)
        return role

    def can_vote(self, body: Body, training_required: bool, day: date) -> bool:
        """Whether the member may vote for a deciding body on a day."""
        try:
            self.check_can_vote(body, training_required, day)
        except RegistryError:
            return False
        return True

    def _check_active(self) -> None:
        if not self.active:
            raise RegistryError("member_left", pseudonym=self.pseudonym)

    def _trigger(
        self, event_class: type[Any], by: Actor, at: datetime | None, **fields: Any
    ) -> None:
        self.trigger_event(event_class, timestamp=at, actor=by.id, role=str(by.role), **fields)
