"""Properties every policy keeps, whatever the declaration: checked on generated examples."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from bench.bench_policies import raw_declaration
from policies.base import Finding, Outcome
from policies.declaration import parse_declaration
from policies.engine import check_version, evaluate
from policies.errors import CodedError
from policies.seed import PARIS_14E_AREA, SEED_VERSIONS

from .policy_support import ON, declaration, merged, run

VERSIONS = [check_version(version) for version in SEED_VERSIONS]
RANK = {Outcome.NOT_MET: 0, Outcome.TO_COLLECTIVE: 1, Outcome.MET: 2}
SLOW = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])

raw_declarations = st.builds(
    raw_declaration, st.randoms(use_true_random=False), st.integers(0, 10**6)
)
shares = st.floats(0, 100, allow_nan=False)


def at_least(better: Finding, worse: Finding) -> bool:
    """better's outcome and level are each at least worse's."""
    return RANK[better.outcome] >= RANK[worse.outcome] and (better.level or 0) >= (worse.level or 0)


def toward(azimuth: float, km: float) -> dict[str, float]:
    """The point km away from the Paris 14e centre along a geodesic leaving at azimuth."""
    lon, lat, _ = Geod(ellps="WGS84").fwd(
        PARIS_14E_AREA["centre_lon"], PARIS_14E_AREA["centre_lat"], azimuth, km * 1000
    )
    return {"lat": lat, "lon": lon}


@SLOW
@given(raw_declarations)
def test_the_same_declaration_always_gets_the_same_result(raw: dict[str, Any]) -> None:
    first, again = parse_declaration(raw), parse_declaration(dict(raw))
    for version in VERSIONS:
        assert evaluate(first, version, ON) == evaluate(again, version, ON)


@SLOW
@given(raw_declarations)
def test_any_valid_declaration_gets_a_finding_from_every_criterion_and_never_an_error(
    raw: dict[str, Any],
) -> None:
    for version in VERSIONS:
        result = evaluate(parse_declaration(raw), version, ON)
        assert len(result.results) == len(version.criteria)
        for finding in result.results:
            assert finding.explanation_fr and finding.explanation_en
            assert (finding.outcome is Outcome.TO_COLLECTIVE) == bool(finding.missing)


@given(shares, shares, st.one_of(st.none(), shares), st.sampled_from([(50, 70, 90), (60, 75, 90)]))
def test_more_peasant_supply_never_lowers_the_peasant_result(
    low: float, high: float, labelled: float | None, tiers: tuple[float, ...]
) -> None:
    low, high = sorted((low, high))
    params = {"min_share": tiers[0], "tiers": list(tiers)}
    less = run(
        "peasant_agriculture@1",
        declaration({"supply": {"peasant_share": low, "labelled_share": labelled}}),
        params,
    )
    more = run(
        "peasant_agriculture@1",
        declaration({"supply": {"peasant_share": high, "labelled_share": labelled}}),
        params,
    )
    assert at_least(more, less)


@SLOW
@given(
    st.floats(0, 360, exclude_max=True),
    st.floats(0, 6),
    st.floats(0.001, 6),
    st.sampled_from(["75014", "75015"]),
    st.sampled_from(["any", "all"]),
)
def test_a_shop_nearer_the_centre_never_gets_a_lower_proximity_result(
    azimuth: float, near: float, gap: float, postcode: str, rule: str
) -> None:
    params = {**PARIS_14E_AREA, "area_rule": rule}
    nearer = declaration({"address": {"postcode": postcode}, "coordinates": toward(azimuth, near)})
    farther = declaration(
        {"address": {"postcode": postcode}, "coordinates": toward(azimuth, near + gap)}
    )
    assert at_least(run("proximity@1", nearer, params), run("proximity@1", farther, params))


@SLOW
@given(st.floats(0, 400), st.floats(0, 400), st.floats(0, 360, exclude_max=True), st.booleans())
def test_a_farm_nearer_the_caisse_never_gets_a_lower_proximity_result(
    a: float, b: float, azimuth: float, declared: bool
) -> None:
    near, far = sorted((a, b))
    far += 0.001

    def producer(km: float) -> Any:
        farm = {"distance_km": km} if declared else {"location": toward(azimuth, km)}
        return declaration({"kind": "producteur", "farm": {"area_ha": 10, "workers": 2, **farm}})

    assert at_least(
        run("proximity@1", producer(near), PARIS_14E_AREA),
        run("proximity@1", producer(far), PARIS_14E_AREA),
    )


margin_keys = st.builds(
    lambda before, word, after: f"{before}{word}{after}",
    st.sampled_from(["", "gross_", "net-", "Taux de ", "ma "]),
    st.sampled_from(["marge", "Marge", "margin", "MARGINS", "marges", "markup"]),
    st.sampled_from(["", "_brute", " moyenne", "-rate", "_pct"]),
)
json_values = st.one_of(st.none(), st.booleans(), st.floats(allow_nan=False), st.text(max_size=10))


@SLOW
@given(
    raw_declarations,
    margin_keys,
    json_values,
    st.sampled_from(["", "supply", "business", "commitments", "accessibility", "address"]),
)
def test_a_declaration_carrying_any_margin_is_refused_and_the_clean_one_is_unchanged(
    raw: dict[str, Any], key: str, value: Any, where: str
) -> None:
    before = [evaluate(parse_declaration(raw), version, ON) for version in VERSIONS]
    with_margin = merged(raw, {where: {key: value}} if where else {key: value})
    with pytest.raises(CodedError) as refused:
        parse_declaration(with_margin)
    assert refused.value.code == "margin_not_collected"
    assert str(refused.value.params["field"]).endswith(key)
    after = [evaluate(parse_declaration(raw), version, ON) for version in VERSIONS]
    assert after == before
