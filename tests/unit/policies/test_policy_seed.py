"""The seed criteria versions of Paris 14e: valid, drawn from the seed, and revised in 2025."""

from __future__ import annotations

from datetime import date

import pytest

from policies.criteria import CriteriaVersion, Decision
from policies.engine import Verdict, check_version, evaluate
from policies.errors import CodedError
from policies.seed import SEED_VERSIONS, first_version

from .policy_support import ON, declaration

V2024, V2025 = SEED_VERSIONS


def params(version: CriteriaVersion, policy: str) -> dict[str, object]:
    return next(spec.params for spec in version.criteria if spec.policy == policy)


@pytest.mark.parametrize("version", SEED_VERSIONS, ids=lambda v: v.version)
def test_every_seed_version_passes_the_checks_made_before_publishing(
    version: CriteriaVersion,
) -> None:
    checked = check_version(version)
    assert checked.caisse == "paris-14e"
    assert len(checked.fingerprints) == 6


def test_the_first_bases_require_peasant_agriculture_and_proximity_and_weigh_the_rest() -> None:
    assert (V2024.version, V2024.effective_from) == ("2024-1", date(2024, 9, 1))
    required = {spec.policy for spec in V2024.criteria if spec.required}
    weighted = {spec.policy for spec in V2024.criteria if not spec.required and spec.weight > 0}
    assert required == {"peasant_agriculture@1", "proximity@1"}
    assert weighted == {"engaged_commerce@1", "chosen_food@1", "accessibility@1", "fair_pay@1"}
    assert V2024.threshold == 0.5
    assert [tier.rate for tier in V2024.coverage] == [60, 80, 100]
    assert V2024.decision is Decision.AUTOMATIC


def test_the_area_is_paris_14e_with_producers_from_ile_de_france_and_its_neighbours() -> None:
    area = params(V2024, "proximity@1")
    assert area["postcodes"] == ["75014"]
    assert (area["centre_lat"], area["centre_lon"], area["radius_km"]) == (48.8331, 2.3264, 2.5)
    assert area["producer_max_km"] == 250


def test_the_2025_revision_asks_more_peasant_supply_and_two_late_evenings() -> None:
    assert (V2025.version, V2025.effective_from) == ("2025-1", date(2025, 3, 1))
    assert params(V2025, "peasant_agriculture@1")["min_share"] == 60
    assert params(V2024, "peasant_agriculture@1")["min_share"] == 50
    evening = params(V2025, "accessibility@1")
    assert (evening["require_evening"], evening["evening_hour"], evening["min_evenings"]) == (
        True,
        "19:30",
        2,
    )


def test_a_shop_with_55_percent_peasant_supply_loses_its_approval_under_the_revision() -> None:
    shop = declaration({"supply": {"peasant_share": 55, "labelled_share": None}})
    assert evaluate(shop, check_version(V2024), ON).verdict is Verdict.APPROVED
    assert evaluate(shop, check_version(V2025), ON).verdict is Verdict.REFUSED


def test_the_first_version_can_found_another_caisse() -> None:
    other = first_version("paris-18e")
    assert other.caisse == "paris-18e"
    assert other.criteria == V2024.criteria
    assert first_version() == V2024


def test_the_first_version_refuses_a_caisse_slug_that_is_not_one() -> None:
    with pytest.raises(CodedError) as refused:
        first_version("Paris 18e")
    assert refused.value.code == "invalid_criteria"
