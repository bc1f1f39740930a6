"""The use cases that store an account together with what it speaks for, or neither.

The account is written first and the event second: an account can be erased, an event
cannot. When the event cannot be stored (a refusal, or a store that fails), the account or its
new SIRET is taken back, so a failure leaves neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from registry.errors import RegistryError
from registry.roles import Actor, Role
from web.accounts import Accounts

if TYPE_CHECKING:
    from registry.application import Registry
    from registry.declaration import Declaration
    from registry.domain.places import Place
    from registry.governance.members import Member

# The role an account opened with a new member acts in, when the member has several.
ACCOUNT_PRIORITY = (
    Role.FACILITATOR,
    Role.MEMBER,
    Role.PARTICIPANT,
    Role.EVALUATOR,
    Role.OBSERVER,
    Role.PLACE,
)


def join_member(
    registry: Registry,
    accounts: Accounts,
    caisse: str,
    pseudonym: str,
    roles: Sequence[Role],
    wave: int,
    by: Actor,
    login: str = "",
    password: str = "",
) -> Member:
    """A new member of a caisse, with an account when a login is given: both, or neither."""
    main_role = next((r for r in ACCOUNT_PRIORITY if r in roles), None)
    if not login or main_role is None:
        # Without a role the registry refuses the member; without a login there is no account.
        return registry.join_member(caisse, pseudonym, roles, wave, by)
    name = pseudonym.strip()
    with accounts.opened(login, password, main_role, name, (), name, caisse):
        return registry.join_member(caisse, pseudonym, roles, wave, by)


def apply_place(
    registry: Registry, accounts: Accounts, declaration: Declaration, login: str, by: Actor
) -> Place:
    """A place's application, which the applying account then speaks for: both, or neither."""
    try:
        registry.place(declaration.siret)
    except RegistryError as exc:
        if exc.code != "place_not_found":
            raise
    else:
        # Refused by the registry (this SIRET has applied): the account must not, even for a
        # moment, speak for a place that is someone else's.
        return registry.apply(declaration, by)
    with accounts.speaking_for(login, declaration.siret):
        return registry.apply(declaration, by)
