"""Who acts in the registry, and under which role."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """Roles, as the charter names them."""

    PLACE = "lieu"
    MEMBER = "membre"
    PARTICIPANT = "participant"
    OBSERVER = "observateur"
    EVALUATOR = "evaluateur"
    FACILITATOR = "animateur"
    SYSTEM = "systeme"


ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.PLACE: ("commerce ou producteur", "shop or producer"),
    Role.MEMBER: ("membre du collectif", "collective member"),
    Role.PARTICIPANT: ("expérimentateur", "participant"),
    Role.OBSERVER: ("observateur ou expert", "observer or expert"),
    Role.EVALUATOR: ("évaluateur", "evaluator"),
    Role.FACILITATOR: ("animateur", "facilitator"),
    Role.SYSTEM: ("le registre", "the registry"),
}


@dataclass(frozen=True)
class Actor:
    """Who did something: an identifier (pseudonym or SIRET) and the role they acted in.

    Events store only `id` and `role`. `caisse` is the caisse the person acts for (None when
    not tied to one), checked against the target of each verb. `trusted` marks the server's
    own command line: it acts with the registry's authority under the name it records, and is
    refused only for someone who has left.
    """

    id: str
    role: Role
    caisse: str | None = None
    trusted: bool = False

    @classmethod
    def system(cls) -> Actor:
        """The registry itself, for automatic evaluations."""
        return cls("registre", Role.SYSTEM)
