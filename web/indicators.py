"""Indicators computed from the event log, and their charts drawn with matplotlib."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from typing import Any

from matplotlib.figure import Figure

from registry.clock import local_date, now

APPROVING = {"Approved", "Renewed"}
ENDING = {"Refused", "Suspended", "Withdrawn", "ApprovalWithdrawn"}


def month_ends(first: date, last: date) -> list[date]:
    """The first day of each month from first's month to the month after last's (exclusive)."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        month += 1
        if month == 13:
            year, month = year + 1, 1
        months.append(date(year, month, 1))
    return months


def approved_over_time(entries: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """How many places were approved at the start of each month, from the first event on."""
    place_events = [e for e in entries if e.get("siret") and e["category"] == "lieux"]
    if not place_events:
        return []
    first = date.fromisoformat(place_events[0]["at"][:10])
    points = []
    approved: set[str] = set()
    i = 0
    for boundary in month_ends(first, local_date(now())):
        while i < len(place_events) and place_events[i]["at"][:10] < boundary.isoformat():
            event = place_events[i]
            if event["event"] in APPROVING:
                approved.add(event["siret"])
            elif event["event"] in ENDING:
                approved.discard(event["siret"])
            i += 1
        points.append((boundary.isoformat()[:7], len(approved)))
    return points


def counts(views: list[dict[str, Any]], key: str) -> list[tuple[str, int]]:
    """How many places per value of a key, largest first."""
    found = Counter(str(v.get(key) or "—") for v in views)
    return sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))


def bar_chart(data: list[tuple[str, int]], title: str) -> bytes:
    """A horizontal bar chart as PNG."""
    figure = Figure(figsize=(6.4, 0.45 * max(len(data), 3) + 1.2), dpi=100)
    axes = figure.subplots()
    labels = [k for k, _ in data][::-1]
    values = [v for _, v in data][::-1]
    axes.barh(labels, values, color="#1d5e3a")
    axes.set_title(title)
    for y, value in enumerate(values):
        axes.text(value, y, f" {value}", va="center")
    figure.tight_layout()
    return _png(figure)


def line_chart(data: list[tuple[str, int]], title: str) -> bytes:
    """A line chart over months as PNG."""
    figure = Figure(figsize=(6.4, 3.6), dpi=100)
    axes = figure.subplots()
    axes.plot([k for k, _ in data], [v for _, v in data], marker="o", color="#1d5e3a")
    axes.set_title(title)
    axes.set_ylim(bottom=0)
    axes.tick_params(axis="x", labelrotation=60)
    figure.tight_layout()
    return _png(figure)


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
