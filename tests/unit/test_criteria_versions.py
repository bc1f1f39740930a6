"""Criteria versions: the one in force at a date, and published versions never change."""

from __future__ import annotations

from datetime import date

import pytest

from policies.criteria import in_force
from policies.engine import check_version
from policies.seed import SEED_VERSIONS
from registry.domain.criteria_sets import CriteriaSet
from registry.errors import RegistryError
from registry.roles import Actor, Role

BY = Actor("animateur", Role.FACILITATOR)
V1, V2 = SEED_VERSIONS


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 8, 31), None),
        (date(2024, 9, 1), "2024-1"),
        (date(2025, 2, 28), "2024-1"),
        (date(2025, 3, 1), "2025-1"),
        (date(2030, 1, 1), "2025-1"),
    ],
)
def test_the_version_in_force_is_the_latest_effective_on_or_before_the_date(
    day: date, expected: str | None
) -> None:
    found = in_force([V2, V1], day)
    assert (found.version if found else None) == expected


def test_a_published_version_cannot_be_published_again_even_changed() -> None:
    criteria = CriteriaSet.start("paris-14e")
    criteria.publish(check_version(V1), "fondation", BY)
    changed = V1.model_copy(update={"threshold": 0.9})
    with pytest.raises(RegistryError) as caught:
        criteria.publish(check_version(changed), "tentative", BY)
    assert caught.value.code == "criteria_version_exists"
    assert criteria.get("2024-1").threshold == V1.threshold


def test_a_published_version_is_frozen() -> None:
    with pytest.raises(ValueError):
        V1.threshold = 0.1  # type: ignore[misc]


def test_a_version_for_another_caisse_is_refused() -> None:
    criteria = CriteriaSet.start("paris-18e")
    with pytest.raises(RegistryError, match="paris-14e"):
        criteria.publish(check_version(V1), "fondation", BY)


def test_an_unknown_version_is_named_with_the_known_ones() -> None:
    criteria = CriteriaSet.start("paris-14e")
    criteria.publish(check_version(V1), "fondation", BY)
    with pytest.raises(RegistryError) as caught:
        criteria.get("1999-1")
    assert "2024-1" in caught.value.message()


def test_the_version_in_force_follows_each_new_publication_and_each_date() -> None:
    criteria = CriteriaSet.start("paris-14e")
    day = date(2025, 6, 1)
    assert criteria.in_force(day) is None
    criteria.publish(check_version(V1), "fondation", BY)
    assert criteria.in_force(day).version == "2024-1"  # type: ignore[union-attr]
    criteria.publish(check_version(V2), "révision", BY)
    assert criteria.in_force(day).version == "2025-1"  # type: ignore[union-attr]
    assert criteria.in_force(date(2024, 10, 1)).version == "2024-1"  # type: ignore[union-attr]
    assert criteria.in_force(date(2024, 1, 1)) is None
    for n in range(100):  # many dates asked: the answers stay right
        on = date(2024, 8, 25) + (date(2024, 1, 2) - date(2024, 1, 1)) * n
        expected = in_force(criteria.versions(), on)
        assert criteria.in_force(on) == expected
