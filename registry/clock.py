"""Time in the registry: stored in UTC, shown in Europe/Paris."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from registry.errors import RegistryError

PARIS = ZoneInfo("Europe/Paris")


def now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


def local_date(moment: datetime) -> date:
    """The calendar date in Paris of a moment."""
    return moment.astimezone(PARIS).date()


def paris(moment: datetime) -> datetime:
    """A moment shown in Paris time."""
    return moment.astimezone(PARIS)


def parse_moment(value: str, end_of_day: bool = True) -> datetime:
    """Parse 'YYYY-MM-DD' or an ISO date-time; naive values are Paris time.

    A bare date means the end of that day in Paris, so "as of 1 March" includes 1 March.
    """
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time.max if end_of_day else time.min)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise RegistryError("invalid_date", value=value) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    return moment


def parse_day(value: str) -> date:
    """Parse 'YYYY-MM-DD'."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise RegistryError("invalid_date", value=value) from None
