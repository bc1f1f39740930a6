"""Members, eligibility to vote, and the charter's versions."""

from __future__ import annotations

from datetime import date

import pytest

from registry.errors import RegistryError
from registry.governance.charter import (
    Body,
    Charter,
    Kind,
    KindRule,
    default_charter,
    parse_charter,
)
from registry.governance.members import Member, parse_roles
from registry.governance.rules import Mode
from registry.roles import Actor, Role

BY = Actor("animatrice", Role.FACILITATOR)
TRAINED_ON = date(2024, 9, 21)


def member(*roles: Role, trained: bool = True) -> Member:
    m = Member.join("paris-14e", "Zélie", list(roles), 1, BY)
    if trained:
        m.record_training("Filières et distribution", TRAINED_ON, BY)
    return m


ELIGIBILITY = [
    ("collective member votes in the collective", [Role.MEMBER], Body.COLLECTIF, True, None),
    (
        "participant does not vote in the collective",
        [Role.PARTICIPANT],
        Body.COLLECTIF,
        True,
        "not_eligible",
    ),
    (
        "participant votes when all participants decide",
        [Role.PARTICIPANT],
        Body.PARTICIPANTS,
        True,
        None,
    ),
    ("observer never votes", [Role.OBSERVER], Body.PARTICIPANTS, False, "not_eligible"),
    ("evaluator never votes", [Role.EVALUATOR], Body.COLLECTIF, False, "not_eligible"),
    ("facilitator alone does not vote", [Role.FACILITATOR], Body.COLLECTIF, False, "not_eligible"),
    ("place account does not vote", [Role.PLACE], Body.PARTICIPANTS, False, "not_eligible"),
    ("member and participant", [Role.MEMBER, Role.PARTICIPANT], Body.COLLECTIF, True, None),
]


@pytest.mark.parametrize(
    ("roles", "body", "training", "code"),
    [c[1:] for c in ELIGIBILITY],
    ids=[c[0] for c in ELIGIBILITY],
)
def test_who_may_vote_depends_on_the_deciding_body(
    roles: list[Role], body: Body, training: bool, code: str | None
) -> None:
    m = member(*roles)
    if code is None:
        assert m.check_can_vote(body, training, date(2025, 1, 1)) in roles
    else:
        with pytest.raises(RegistryError) as info:
            m.check_can_vote(body, training, date(2025, 1, 1))
        assert info.value.code == code


def test_an_untrained_member_cannot_vote_when_the_charter_requires_training() -> None:
    m = member(Role.MEMBER, trained=False)
    with pytest.raises(RegistryError) as info:
        m.check_can_vote(Body.COLLECTIF, True, date(2025, 1, 1))
    assert info.value.code == "untrained"
    assert m.can_vote(Body.COLLECTIF, False, date(2025, 1, 1))


def test_training_counts_from_the_day_of_the_session() -> None:
    m = member(Role.MEMBER)
    assert not m.can_vote(Body.COLLECTIF, True, date(2024, 9, 20))
    assert m.can_vote(Body.COLLECTIF, True, TRAINED_ON)


def test_a_member_who_left_cannot_vote() -> None:
    m = member(Role.MEMBER)
    m.leave("déménagement", BY)
    assert not m.can_vote(Body.COLLECTIF, False, date(2025, 1, 1))


@pytest.mark.parametrize("pseudonym", ["", "a", "zelie@example.org", "Zélie Martin", "_x"])
def test_members_are_known_by_a_pseudonym_only(pseudonym: str) -> None:
    with pytest.raises(RegistryError) as info:
        Member.join("paris-14e", pseudonym, [Role.MEMBER], 1, BY)
    assert info.value.code == "invalid_pseudonym"


def test_a_training_session_is_recorded_once() -> None:
    m = member(Role.MEMBER)
    with pytest.raises(RegistryError) as info:
        m.record_training("filières et distribution", TRAINED_ON, BY)
    assert info.value.code == "training_exists"


def test_roles_are_checked_against_the_known_ones() -> None:
    assert parse_roles(["participant", "membre"]) == [Role.MEMBER, Role.PARTICIPANT]
    with pytest.raises(RegistryError):
        parse_roles(["systeme"])
    with pytest.raises(RegistryError):
        parse_roles([])


def test_the_default_charter_follows_the_seed() -> None:
    charter = default_charter()
    assert charter.rule(Kind.CRITERIA).modes[0] is Mode.CONSENT
    assert charter.rule(Kind.CRITERIA).training_required
    assert charter.rule(Kind.PLACE).modes[0] is Mode.CONSENT
    assert charter.rule(Kind.CHARTER).modes == (Mode.CONSENSUS,)
    assert charter.rule(Kind.QUESTION).body is Body.PARTICIPANTS
    assert charter.rule(Kind.QUESTION).modes[0] is Mode.POLL


def test_a_charter_changes_only_through_a_proposal() -> None:
    charter = Charter.found("paris-14e", default_charter(), BY)
    with pytest.raises(RegistryError) as info:
        charter.adopt(default_charter(), " ", BY)
    assert info.value.code == "charter_needs_proposal"
    changed = default_charter().model_copy(update={"title": "Charte v2"})
    charter.adopt(changed, "1234", BY)
    assert charter.number == 2
    assert charter.decisions == ["fondation", "proposition 1234"]
    assert charter.terms_of(1).title != charter.current().title


@pytest.mark.parametrize(
    "changes",
    [{"quorum": "3/2"}, {"quorum": "la moitié"}, {"modes": []}, {"modes": ["consent", "consent"]}],
)
def test_invalid_charter_rules_are_refused(changes: dict[str, object]) -> None:
    data = default_charter().model_dump(mode="json")
    data["rules"]["criteria_revision"].update(changes)
    with pytest.raises(RegistryError) as info:
        parse_charter(data)
    assert info.value.code == "invalid_charter"


def test_a_charter_needs_a_rule_for_every_kind() -> None:
    data = default_charter().model_dump(mode="json")
    del data["rules"]["question"]
    with pytest.raises(RegistryError):
        parse_charter(data)


def test_rule_terms_read_fractions_exactly() -> None:
    rule = KindRule(modes=(Mode.MAJORITY,), quorum="1/3", majority="qualified", threshold="0.6")
    terms = rule.terms()
    assert (terms.quorum.numerator, terms.quorum.denominator) == (1, 3)
    assert float(terms.threshold) == 0.6
