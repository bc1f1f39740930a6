"""Who may act, checked once for every adapter: in which caisse, and as an active member."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventsourcing.application import AggregateNotFoundError

from registry.errors import RegistryError
from registry.governance.ids import member_id
from registry.governance.members import Member
from registry.roles import ROLE_LABELS, Actor, Role

if TYPE_CHECKING:
    from registry.application import Registry

# The refusals an adapter answers as forbidden (HTTP 403) rather than as a bad request.
FORBIDDEN = frozenset({"actor_left", "actor_not_member", "actor_lacks_role", "other_caisse"})


def check_caisse(app: Registry, caisse: str, by: Actor) -> None:
    """Refuse an actor tied to one caisse acting on something of another."""
    if by.role is Role.SYSTEM or by.caisse is None or by.caisse == caisse:
        return
    raise RegistryError("other_caisse", other=_name(app, caisse), mine=_name(app, by.caisse))


def check_actor(app: Registry, caisse: str, by: Actor) -> Member | None:
    """The acting member, refused unless they are an active member of the caisse holding the
    role they act in; the registry itself always may act, and the server's command line may
    act under any name but that of someone who has left."""
    if by.role is Role.SYSTEM:
        return None
    check_caisse(app, caisse, by)
    member = _member(app, caisse, by.id)
    fr, en = ROLE_LABELS[by.role]
    labels = {"actor": by.id, "role": fr, "role_en": en, "caisse": caisse}
    if member is not None and not member.active:
        raise RegistryError("actor_left", **{**labels, "actor": member.pseudonym})
    if by.trusted:
        return member
    if member is None:
        raise RegistryError("actor_not_member", **labels)
    if str(by.role) not in member.roles:
        raise RegistryError("actor_lacks_role", **{**labels, "actor": member.pseudonym})
    return member


def check_facilitator(app: Registry, caisse: str, by: Actor, action: str) -> None:
    """Refuse anyone but an active facilitator of the caisse (or the registry itself)."""
    if by.role not in (Role.FACILITATOR, Role.SYSTEM):
        raise RegistryError("facilitator_only", action=action)
    check_actor(app, caisse, by)


def _member(app: Registry, caisse: str, pseudonym: str) -> Member | None:
    try:
        found: Member = app.repository.get(member_id(caisse, pseudonym))
    except AggregateNotFoundError:
        return None
    return found


def _name(app: Registry, slug: str) -> str:
    try:
        return app.caisse(slug).name
    except RegistryError:
        return slug
