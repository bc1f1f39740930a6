"""Rights, decided once in the registry: who has left keeps no right, whatever the adapter."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from registry.application import Registry
from registry.bootstrap import initialise
from registry.clock import PARIS
from registry.config import Settings
from registry.declaration import parse_declaration
from registry.errors import RegistryError
from registry.governance.rules import Mode
from registry.roles import Actor, Role
from tests.helpers import make_siret, shop

CAISSE = "paris-14e"
SYSTEM = Actor.system()
CAMILLE = Actor("Camille", Role.FACILITATOR)
T0 = datetime(2025, 1, 6, 10, tzinfo=PARIS)
LATER = T0 + timedelta(days=1)
SIRET = make_siret(1)


@pytest.fixture
def app(settings: Settings) -> Iterator[Registry]:
    """A caisse with a place, two facilitators, a member, and an open question by Camille."""
    settings.data.mkdir(parents=True, exist_ok=True)
    registry = Registry(env=settings.event_store_env())
    initialise(registry, SYSTEM, T0)
    registry.apply(parse_declaration(shop(siret=SIRET)), Actor(SIRET, Role.PLACE), T0)
    registry.join_member(CAISSE, "Camille", [Role.FACILITATOR], 1, SYSTEM, T0)
    registry.join_member(CAISSE, "Dora", [Role.FACILITATOR], 1, CAMILLE, T0)
    registry.join_member(CAISSE, "Zélie", [Role.MEMBER], 1, CAMILLE, T0)
    yield registry
    registry.close()


def question(app: Registry, by: Actor = CAMILLE) -> Any:
    return app.propose_question(CAISSE, "Marché ?", "Un marché ?", by, mode=Mode.MAJORITY, at=T0)


FACILITATOR_ACTIONS: dict[str, Callable[[Registry, Any, Actor], Any]] = {
    "join a member": lambda app, p, by: app.join_member(CAISSE, "Yves", [Role.MEMBER], 1, by),
    "change roles": lambda app, p, by: app.set_roles(
        CAISSE, "Zélie", [Role.PARTICIPANT], "Choix", by
    ),
    "record training": lambda app, p, by: app.record_training(
        CAISSE, "Zélie", "Filières", date(2025, 1, 7), by
    ),
    "record another's leaving": lambda app, p, by: app.leave_member(CAISSE, "Zélie", "Part", by),
    "open a proposal": lambda app, p, by: app.propose_question(
        CAISSE, "Autre ?", "Texte", by, mode=Mode.MAJORITY, at=LATER
    ),
    "amend a proposal": lambda app, p, by: app.amend_proposal(
        p.id, "Précision", by, text="T2", at=LATER
    ),
    "withdraw a proposal": lambda app, p, by: app.withdraw_proposal(p.id, "Inutile", by),
    "record a meeting vote": lambda app, p, by: app.record_meeting_vote(
        p.id, "CR du 7", date(2025, 1, 7), 5, {"for": 3}, by, LATER
    ),
    "close a proposal": lambda app, p, by: app.close_proposal(p.id, by, LATER),
    "decide on a place": lambda app, p, by: app.decide(SIRET, "suspend", "Motif", "réunion", by),
}


def stored(app: Registry) -> int:
    return app.recorder.max_notification_id() or 0


@pytest.mark.parametrize("action", FACILITATOR_ACTIONS)
def test_a_facilitator_who_left_is_refused_every_facilitator_action(
    app: Registry, action: str
) -> None:
    proposal = question(app)
    app.leave_member(CAISSE, "Camille", "Déménage", CAMILLE, T0)
    before = stored(app)
    with pytest.raises(RegistryError) as refused:
        FACILITATOR_ACTIONS[action](app, proposal, CAMILLE)
    assert refused.value.code == "actor_left"
    assert refused.value.message() == (
        "« Camille » a quitté le collectif : ce compte ne peut plus agir comme animateur."
    )
    assert "has left the collective" in refused.value.message("en")
    assert stored(app) == before


@pytest.mark.parametrize("action", FACILITATOR_ACTIONS)
def test_an_active_facilitator_may_take_each_facilitator_action(app: Registry, action: str) -> None:
    proposal = question(app)
    before = stored(app)
    FACILITATOR_ACTIONS[action](app, proposal, Actor("Dora", Role.FACILITATOR))
    assert stored(app) > before


def test_a_facilitator_account_that_is_no_member_or_lacks_the_role_is_refused(
    app: Registry,
) -> None:
    with pytest.raises(RegistryError) as stranger:
        app.join_member(CAISSE, "Yves", [Role.MEMBER], 1, Actor("Inconnue", Role.FACILITATOR))
    assert stranger.value.code == "actor_not_member"
    with pytest.raises(RegistryError) as member:
        app.join_member(CAISSE, "Yves", [Role.MEMBER], 1, Actor("Zélie", Role.FACILITATOR))
    assert member.value.code == "actor_lacks_role"
    assert "n'a pas le rôle animateur" in member.value.message()


def test_the_command_line_acts_under_any_name_but_that_of_someone_who_left(
    app: Registry,
) -> None:
    operator = Actor("animation", Role.FACILITATOR, trusted=True)
    assert app.join_member(CAISSE, "Yves", [Role.MEMBER], 1, operator).pseudonym == "Yves"
    app.leave_member(CAISSE, "Camille", "Déménage", CAMILLE, T0)
    with pytest.raises(RegistryError) as refused:
        app.join_member(
            CAISSE, "Xavier", [Role.MEMBER], 1, Actor("Camille", Role.FACILITATOR, trusted=True)
        )
    assert refused.value.code == "actor_left"


def test_a_member_who_left_may_not_amend_their_own_proposal(app: Registry) -> None:
    zelie = Actor("Zélie", Role.MEMBER)
    proposal = question(app, zelie)
    app.leave_member(CAISSE, "Zélie", "Part", zelie, T0)
    with pytest.raises(RegistryError) as refused:
        app.amend_proposal(proposal.id, "Précision", zelie, text="T2", at=LATER)
    assert refused.value.code == "actor_left"


def test_an_actor_of_another_caisse_is_refused_with_other_caisse(app: Registry) -> None:
    from policies.seed import first_version

    app.register_caisse(
        "plaisance",
        "Caisse Plaisance",
        "Plaisance",
        ["Plaisance"],
        first_version("plaisance"),
        SYSTEM,
        T0,
    )
    app.join_member("plaisance", "Basile", [Role.FACILITATOR], 1, SYSTEM, T0)
    basile = Actor("Basile", Role.FACILITATOR, "plaisance")
    proposal = question(app)
    before = stored(app)
    for action in FACILITATOR_ACTIONS.values():
        with pytest.raises(RegistryError) as refused:
            action(app, proposal, basile)
        assert refused.value.code == "other_caisse"
        assert refused.value.message() == (
            "Ceci relève de la caisse « Caisse commune alimentaire Paris 14e ». Votre compte "
            "appartient à la caisse « Caisse Plaisance » : vous ne pouvez agir que pour elle."
        )
    assert stored(app) == before
    # In its own caisse, the same facilitator acts.
    app.join_member("plaisance", "Yves", [Role.MEMBER], 1, basile)
