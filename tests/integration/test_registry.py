"""The registry application on SQLite and PostgreSQL: applications, evaluations, history."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from policies.seed import SEED_VERSIONS
from registry.application import Registry
from registry.clock import PARIS
from registry.declaration import parse_declaration
from registry.domain.places import Status
from registry.errors import RegistryError
from registry.roles import Actor, Role
from tests.conftest import FACILITATOR
from tests.helpers import make_siret, producer, shop


def moment(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=PARIS)


def test_an_application_is_evaluated_and_decided_in_one_stored_step(app: Registry) -> None:
    before = app.recorder.max_notification_id()
    place = app.apply(parse_declaration(shop()), Actor("lieu", Role.PLACE), moment("2024-10-01"))
    assert place.status is Status.APPROVED
    names = [type(e).__name__ for e in app.history(place.siret)]
    assert names == ["Applied", "Evaluated", "Approved"]
    assert app.recorder.max_notification_id() == (before or 0) + 3
    evaluation = app.place(place.siret).evaluation
    assert evaluation is not None and evaluation["criteria_version"] == "2024-1"
    assert {r["key"] for r in evaluation["results"]} >= {"agriculture_paysanne", "proximite"}


def test_a_second_application_for_the_same_siret_is_refused_and_nothing_stored(
    app: Registry,
) -> None:
    app.apply(parse_declaration(shop()), Actor("lieu", Role.PLACE))
    before = app.recorder.max_notification_id()
    with pytest.raises(RegistryError) as caught:
        app.apply(parse_declaration(shop(name="Autre nom")), Actor("lieu", Role.PLACE))
    assert caught.value.code == "already_applied"
    assert app.recorder.max_notification_id() == before


def test_an_application_to_an_unknown_caisse_is_refused(app: Registry) -> None:
    with pytest.raises(RegistryError) as caught:
        app.apply(parse_declaration(shop(caisse="lyon-8e")), Actor("lieu", Role.PLACE))
    assert caught.value.code == "unknown_caisse"
    assert "paris-14e" in caught.value.message()


def test_a_shop_below_the_peasant_threshold_is_refused_with_the_reason(app: Registry) -> None:
    raw = shop(siret=make_siret(1))
    raw["supply"] = {**raw["supply"], "peasant_share": 20, "labelled_share": 10}
    place = app.apply(parse_declaration(raw), Actor("lieu", Role.PLACE), moment("2024-10-01"))
    assert place.status is Status.REFUSED
    assert "agriculture_paysanne" in place.status_reason


def test_amending_a_refused_place_re_evaluates_it(app: Registry) -> None:
    raw = shop(siret=make_siret(2))
    raw["supply"] = {**raw["supply"], "peasant_share": 20}
    app.apply(parse_declaration(raw), Actor("lieu", Role.PLACE), moment("2024-10-01"))
    raw["supply"] = {**raw["supply"], "peasant_share": 75}
    place = app.amend(
        raw["siret"], parse_declaration(raw), Actor("lieu", Role.PLACE), moment("2024-10-15")
    )
    assert place.status is Status.APPROVED


def test_a_new_version_re_evaluates_approved_places_when_it_takes_effect(app: Registry) -> None:
    raw = shop(siret=make_siret(3))
    raw["supply"] = {**raw["supply"], "peasant_share": 55}  # meets 2024-1 (50 %), not 2025-1 (60 %)
    place = app.apply(parse_declaration(raw), Actor("lieu", Role.PLACE), moment("2024-10-01"))
    assert place.status is Status.APPROVED
    changed = app.publish_criteria(SEED_VERSIONS[1], "assemblée", FACILITATOR, moment("2025-02-10"))
    assert changed == []  # not in force yet
    assert app.reevaluate("paris-14e", Actor.system(), moment("2025-03-01")) == [raw["siret"]]
    place = app.place(raw["siret"])
    assert place.status is Status.DECONVENTIONNE
    assert "2025-1" in place.status_reason


def test_a_transition_period_keeps_approval_until_it_ends(app: Registry) -> None:
    raw = shop(siret=make_siret(4))
    raw["supply"] = {**raw["supply"], "peasant_share": 55}
    app.apply(parse_declaration(raw), Actor("lieu", Role.PLACE), moment("2024-10-01"))
    version = SEED_VERSIONS[1].model_copy(update={"transition_days": 30, "fingerprints": {}})
    app.publish_criteria(version, "assemblée", FACILITATOR, moment("2025-02-10"))
    app.reevaluate("paris-14e", Actor.system(), moment("2025-03-01"))
    assert app.place(raw["siret"]).status is Status.APPROVED
    app.reevaluate("paris-14e", Actor.system(), moment("2025-03-20"))
    assert app.place(raw["siret"]).status is Status.APPROVED
    app.reevaluate("paris-14e", Actor.system(), moment("2025-03-31"))
    assert app.place(raw["siret"]).status is Status.DECONVENTIONNE


def test_a_place_as_it_stood_at_a_past_moment(app: Registry) -> None:
    raw = shop(siret=make_siret(5))
    app.apply(parse_declaration(raw), Actor("lieu", Role.PLACE), moment("2024-10-01"))
    app.withdraw(raw["siret"], "fermeture", Actor("lieu", Role.PLACE), moment("2024-12-01"))
    assert app.place_at(raw["siret"], moment("2024-09-30")) is None
    then = app.place_at(raw["siret"], moment("2024-11-01"))
    assert then is not None and then.status is Status.APPROVED
    assert app.place(raw["siret"]).status is Status.WITHDRAWN


def test_the_criteria_in_force_follow_the_effective_dates(app: Registry) -> None:
    app.publish_criteria(SEED_VERSIONS[1], "assemblée", FACILITATOR, moment("2025-02-10"))
    assert app.criteria_in_force("paris-14e", date(2025, 2, 28)).version == "2024-1"
    assert app.criteria_in_force("paris-14e", date(2025, 3, 1)).version == "2025-1"
    with pytest.raises(RegistryError) as caught:
        app.criteria_in_force("paris-14e", date(2024, 1, 1))
    assert caught.value.code == "no_criteria_in_force"


def test_a_producer_is_evaluated_on_its_own_farm(app: Registry) -> None:
    place = app.apply(
        parse_declaration(producer()), Actor("ferme", Role.PLACE), moment("2024-10-01")
    )
    results = {r["key"]: r for r in (place.evaluation or {})["results"]}
    assert results["agriculture_paysanne"]["outcome"] == "met"
    assert "Ferme" in results["agriculture_paysanne"]["explanation_fr"]


def test_events_keep_their_timestamps_timezone_aware(app: Registry) -> None:
    place = app.apply(parse_declaration(shop()), Actor("lieu", Role.PLACE), moment("2024-10-01"))
    for event in app.history(place.siret):
        assert event.timestamp.utcoffset() == timedelta(0) or event.timestamp.tzinfo is not None
        assert event.timestamp == moment("2024-10-01")
