"""The read models' own formatting helpers give exactly what the standard library gives."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import example, given
from hypothesis import strategies as st

from registry.readmodels.common import compact, dumps, utc

ZONES = st.sampled_from([UTC, ZoneInfo("Europe/Paris"), timezone(timedelta(hours=-5, minutes=-30))])


@given(
    st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(9999, 12, 30), timezones=ZONES)
)
# The second reading of an hour that Paris lived twice (clocks set back).
@example(datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=ZoneInfo("Europe/Paris")))
def test_utc_is_the_iso_form_of_the_moment_in_utc(moment: datetime) -> None:
    expected = moment.astimezone(UTC).isoformat(timespec="microseconds")
    assert utc(moment) == expected
    # Asked again (the last conversion is remembered), and for a distinct object of the same
    # moment: replace() keeps fold, which tells the two readings of an ambiguous local time apart.
    assert utc(moment) == expected
    twin = moment.replace(microsecond=moment.microsecond)
    assert twin is not moment
    assert utc(twin) == expected


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=20,
    )
)
def test_json_helpers_are_json_dumps_compact(value: object) -> None:
    options = {"ensure_ascii": False, "separators": (",", ":")}
    assert dumps(value) == json.dumps(value, sort_keys=True, **options)  # type: ignore[arg-type]
    assert compact(value) == json.dumps(value, **options)  # type: ignore[arg-type]
