"""What the command line and the web interface call: each function brings the views up to date.

Times are timezone-aware datetimes; `None` means now. Every function opens what it needs and
closes it before returning.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from policies.criteria import CriteriaVersion, parse_criteria_version
from policies.engine import check_version
from registry.application import Registry
from registry.clock import now
from registry.config import Settings
from registry.ids import place_id
from registry.readmodels import queries
from registry.readmodels import whatif as whatif_module
from registry.readmodels.runner import Progress, catch_up, rebuild, views_path

__all__ = [
    "catch_up",
    "charts",
    "export",
    "indicators",
    "place_as_of",
    "views_path",
    "write_charts",
    "rebuild",
    "replay_as_of",
    "search_timeline",
    "whatif",
]


def replay_as_of(
    settings: Settings, at: datetime | None = None, caisse: str | None = None
) -> dict[str, Any]:
    """The registry at a moment: the criteria in force and every place's status and why."""
    with queries.views(settings) as db:
        return queries.replay_as_of(db, at or now(), caisse)


def place_as_of(
    settings: Settings, siret: str, at: datetime | None = None
) -> dict[str, Any] | None:
    """One place at a moment, with each criterion's result and explanation then."""
    moment = at or now()
    with queries.views(settings) as db:
        place = queries.place_as_of(db, siret, moment)
    evaluation = (place or {}).get("evaluation")
    if place is None or not evaluation:
        return place
    app = Registry(env=settings.event_store_env())
    try:
        seq = int(evaluation["seq"])
        for event in app.repository.event_store.get(place_id(siret), gt=seq - 1, lte=seq):
            evaluation["results"] = getattr(event, "evaluation", {}).get("results", [])
    finally:
        app.close()
    return place


def whatif(
    settings: Settings,
    criteria: str | CriteriaVersion | Mapping[str, Any],
    at: datetime | None = None,
    caisse: str | None = None,
) -> dict[str, Any]:
    """Who would gain or lose approval under a version (a name, a draft file, or a draft)."""
    with queries.views(settings) as db:
        if isinstance(criteria, str):
            version = whatif_module.resolve(db, criteria, caisse)
            draft = whatif_module.is_draft_path(criteria)
        else:
            raw = criteria.model_dump() if isinstance(criteria, CriteriaVersion) else criteria
            version, draft = check_version(parse_criteria_version(raw)), True
        return whatif_module.whatif(db, version, at or now(), draft)


def indicators(
    settings: Settings, at: datetime | None = None, caisse: str | None = None
) -> dict[str, Any]:
    """The indicators defined up front, at a moment."""
    from registry.readmodels.indicators import indicators as compute

    with queries.views(settings) as db:
        return compute(db, at or now(), caisse)


def charts(data: dict[str, Any], fmt: str = "svg", lang: str = "fr") -> dict[str, bytes]:
    """The indicators' charts (SVG or PNG bytes), by name, for the web to embed."""
    from registry.readmodels.charts import charts as draw

    return draw(data, fmt, lang)


def write_charts(data: dict[str, Any], directory: Path, fmt: str = "svg") -> list[Path]:
    """Write the indicators' charts to files; their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in charts(data, fmt).items():
        path = directory / f"{name}.{fmt}"
        path.write_bytes(content)
        written.append(path)
    return written


def export(
    settings: Settings, directory: Path, at: datetime | None = None, caisse: str | None = None
) -> Path:
    """A complete export in `directory` (which must not exist or be empty), of one caisse if
    given."""
    from registry.readmodels.export import export as write

    return write(settings, directory, at or now(), caisse)


def search_timeline(
    settings: Settings, query: str, limit: int = 50, caisse: str | None = None
) -> list[dict[str, Any]]:
    """Events matching words, best first."""
    with queries.views(settings) as db:
        return queries.search_timeline(db, query, limit, caisse)


def refresh(settings: Settings, progress: Progress | None = None) -> int:
    """Bring the views up to date; the number of events applied."""
    return catch_up(settings, progress)
