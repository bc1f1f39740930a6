"""Charts of the indicators, drawn by matplotlib (Agg) as SVG or PNG for the web and for print."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "ssa-registre"  # the same indicators give the same file

from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

Draw = Callable[[Axes, dict[str, Any]], None]

TITLES: dict[str, tuple[str, str]] = {
    "approved_by_kind": (
        "Lieux conventionnés, par type (fin de mois)",
        "Approved places by kind (month ends)",
    ),
    "approved_by_quartier": (
        "Lieux conventionnés, par quartier (fin de mois)",
        "Approved places by quartier (month ends)",
    ),
    "peasant_share": (
        "Part paysanne moyenne déclarée par les lieux conventionnés (%)",
        "Mean declared peasant share of approved places (%)",
    ),
    "time_to_decision": (
        "Délai entre candidature et décision",
        "Time from application to decision",
    ),
    "vote_participation": (
        "Participation aux votes (%), par proposition close",
        "Participation in votes (%), per closed proposal",
    ),
    "criteria_changes": (
        "Changements de règle par version de critères",
        "Rule changes per criteria version",
    ),
}


def _stacked(series: dict[str, list[int]], months: list[str], ax: Axes) -> None:
    if not months or not series:
        _empty(ax)
        return
    x = range(len(months))
    ax.stackplot(x, *series.values(), labels=list(series), alpha=0.85)
    _months(ax, months)
    ax.set_ylabel("lieux")
    ax.legend(loc="upper left", fontsize=7, ncols=2, frameon=False)


def _by_kind(ax: Axes, data: dict[str, Any]) -> None:
    block = data["approved_over_time"]
    _stacked(block["by_kind"], block["months"], ax)


def _by_quartier(ax: Axes, data: dict[str, Any]) -> None:
    block = data["approved_over_time"]
    _stacked(block["by_quartier"], block["months"], ax)


def _peasant(ax: Axes, data: dict[str, Any]) -> None:
    block = data["peasant_share"]
    points = [(i, v) for i, v in enumerate(block["mean"]) if v is not None]
    if not points:
        _empty(ax)
        return
    ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", markersize=3)
    ax.set_ylim(0, 100)
    ax.set_ylabel("%")
    _months(ax, block["months"])


def _delays(ax: Axes, data: dict[str, Any]) -> None:
    histogram = data["time_to_decision"]["histogram"]
    if not any(histogram.values()):
        _empty(ax)
        return
    ax.bar(list(histogram), list(histogram.values()), color="#2a7f62")
    ax.set_ylabel("décisions")


def _participation(ax: Axes, data: dict[str, Any]) -> None:
    proposals = [p for p in data["vote_participation"]["proposals"] if p["participation"]]
    if not proposals:
        _empty(ax)
        return
    ax.bar(range(len(proposals)), [p["participation"] for p in proposals], color="#5b4b8a")
    ax.set_ylim(0, 100)
    ax.set_ylabel("%")
    ax.set_xlabel("propositions, dans l'ordre de clôture")


def _changes(ax: Axes, data: dict[str, Any]) -> None:
    versions = data["criteria_changes"]["list"]
    if not versions:
        _empty(ax)
        return
    ax.bar([v["version"] for v in versions], [v["changes"] for v in versions], color="#b5651d")
    ax.set_ylabel("changements")
    ax.tick_params(axis="x", labelrotation=60, labelsize=7)


DRAW: dict[str, Draw] = {
    "approved_by_kind": _by_kind,
    "approved_by_quartier": _by_quartier,
    "peasant_share": _peasant,
    "time_to_decision": _delays,
    "vote_participation": _participation,
    "criteria_changes": _changes,
}


def chart(name: str, data: dict[str, Any], fmt: str = "svg", lang: str = "fr") -> bytes:
    """One chart of the indicators, as SVG or PNG bytes."""
    figure = Figure(figsize=(8, 4), layout="constrained")
    ax = figure.add_subplot()
    DRAW[name](ax, data)
    fr, en = TITLES[name]
    ax.set_title(en if lang.startswith("en") else fr, fontsize=11)
    ax.grid(axis="y", alpha=0.3)
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    figure.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def charts(data: dict[str, Any], fmt: str = "svg", lang: str = "fr") -> dict[str, bytes]:
    """Every chart of the indicators, by name."""
    return {name: chart(name, data, fmt, lang) for name in DRAW}


def _months(ax: Axes, months: list[str]) -> None:
    step = max(len(months) // 12, 1)
    ticks = list(range(0, len(months), step))
    ax.set_xticks(ticks, [months[i] for i in ticks], rotation=45, fontsize=7)


def _empty(ax: Axes) -> None:
    ax.text(0.5, 0.5, "pas encore de données", ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
