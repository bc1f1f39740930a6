"""Indicators defined before anything is measured, computed from the read models."""

from __future__ import annotations

import bisect
import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlite_utils

from registry.clock import PARIS, local_date
from registry.readmodels.common import utc
from registry.readmodels.queries import local, rows


@dataclass(frozen=True)
class Indicator:
    """What is measured, and how, said before measuring (atelier du 3 juin 2024)."""

    key: str
    title_fr: str
    title_en: str
    definition_fr: str
    definition_en: str
    unit: str


DEFINITIONS: tuple[Indicator, ...] = (
    Indicator(
        "approved_over_time",
        "Lieux conventionnés dans le temps, par type et par quartier",
        "Approved places over time, by kind and quartier",
        "Nombre de lieux au statut « conventionné » le dernier jour de chaque mois (heure de "
        "Paris), selon le type et le quartier déclarés ce jour-là. Un lieu suspendu n'est pas "
        "compté.",
        "Number of places with status 'approved' on the last day of each month (Paris time), "
        "by the kind and quartier declared that day. A suspended place is not counted.",
        "lieux / places",
    ),
    Indicator(
        "peasant_share",
        "Part de l'approvisionnement venant de fermes paysannes, lieux conventionnés",
        "Share of supply from peasant farms among approved places",
        "Moyenne, le dernier jour de chaque mois, de la part paysanne déclarée par les lieux "
        "conventionnés qui la déclarent (moyenne simple par lieu, non pondérée par les "
        "volumes, que le registre ne collecte pas).",
        "Mean, on the last day of each month, of the peasant share declared by the approved "
        "places that declare one (a plain mean per place, not weighted by volumes, which the "
        "registry does not collect).",
        "%",
    ),
    Indicator(
        "time_to_decision",
        "Délai entre candidature et décision",
        "Time from application to decision",
        "Pour chaque candidature (dépôt, ou retour en candidature après modification), jours "
        "écoulés jusqu'au conventionnement ou au refus. Une décision automatique compte 0 jour.",
        "For each application (submitted, or pending again after an amendment), days until "
        "approval or refusal. An automatic decision counts as 0 days.",
        "jours / days",
    ),
    Indicator(
        "vote_participation",
        "Participation aux votes",
        "Participation in votes",
        "Pour chaque proposition close, participants (réunions comprises) rapportés à "
        "l'électorat à la clôture.",
        "For each closed proposal, participants (meetings included) over the electorate at "
        "closing.",
        "%",
    ),
    Indicator(
        "criteria_changes",
        "Changements de critères",
        "Number of criteria changes",
        "Versions de critères publiées après la première, et changements de règle qu'elles "
        "contiennent (critère ajouté ou retiré, paramètre, poids, seuil, paliers…).",
        "Criteria versions published after the first, and the rule changes they hold "
        "(criterion added or removed, parameter, weight, threshold, tiers…).",
        "versions",
    ),
)


def indicators(
    db: sqlite_utils.Database, at: datetime, caisse: str | None = None
) -> dict[str, Any]:
    """Every indicator up to a moment, optionally for one caisse."""
    months = _month_ends(db, at, caisse)
    return {
        "as_of": local(utc(at)),
        "caisse": caisse,
        "definitions": [asdict(d) for d in DEFINITIONS],
        **_monthly(db, months, caisse),
        "time_to_decision": time_to_decision(db, at, caisse),
        "vote_participation": vote_participation(db, at, caisse),
        "criteria_changes": criteria_changes(db, at, caisse),
    }


def _month_ends(db: sqlite_utils.Database, at: datetime, caisse: str | None) -> list[datetime]:
    first = db.execute(
        "SELECT MIN(applied_at) FROM places WHERE ? IS NULL OR caisse = ?", [caisse, caisse]
    ).fetchone()[0]
    if first is None:
        return []
    day, last = local_date(datetime.fromisoformat(first)), local_date(at)
    ends = []
    while True:
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        end = following - timedelta(days=1)
        moment = datetime.combine(min(end, last), time.max, tzinfo=PARIS)
        ends.append(min(moment, at))
        if end >= last:
            return ends
        day = following


def _monthly(
    db: sqlite_utils.Database, months: list[datetime], caisse: str | None
) -> dict[str, Any]:
    """Approved places and their peasant share at each month's end, in one pass."""
    stamps = [utc(m) for m in months]
    where = "WHERE ? IS NULL OR p.caisse = ?"
    approved: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for siret, start, end in _approved_spans(db, where, caisse):
        approved[siret].append((start, end))
    declared: dict[str, list[tuple[str, Any, Any, Any]]] = defaultdict(list)
    for siret, start, kind, quartier, share in db.execute(
        "SELECT d.siret, d.valid_from, d.kind, d.quartier, d.peasant_share FROM declarations d "
        "JOIN places p ON p.siret = d.siret " + where + " ORDER BY d.siret, d.seq",
        [caisse, caisse],
    ).fetchall():
        declared[siret].append((start, kind, quartier, share))
    total = [0] * len(stamps)
    kinds: dict[str, list[int]] = defaultdict(lambda: [0] * len(stamps))
    quartiers: dict[str, list[int]] = defaultdict(lambda: [0] * len(stamps))
    shares: list[list[float]] = [[] for _ in stamps]
    for siret, spans in approved.items():
        history = declared[siret]
        starts = [h[0] for h in history]
        for start, end in spans:
            first = bisect.bisect_left(stamps, start)
            last = bisect.bisect_left(stamps, end) if end else len(stamps)
            for i in range(first, last):
                _, kind, quartier, share = history[bisect.bisect_right(starts, stamps[i]) - 1]
                total[i] += 1
                kinds[str(kind)][i] += 1
                quartiers[str(quartier or "—")][i] += 1
                if share is not None:
                    shares[i].append(float(share))
    labels = [m.strftime("%Y-%m") for m in months]
    return {
        "approved_over_time": {
            "months": labels,
            "total": total,
            "by_kind": dict(sorted(kinds.items())),
            "by_quartier": dict(sorted(quartiers.items())),
        },
        "peasant_share": {
            "months": labels,
            "mean": [round(statistics.fmean(s), 1) if s else None for s in shares],
            "declaring": [len(s) for s in shares],
            "approved": total,
        },
    }


def _approved_spans(
    db: sqlite_utils.Database, where: str, caisse: str | None
) -> list[tuple[str, str, str | None]]:
    spans = db.execute(
        "SELECT siret, valid_from, valid_to FROM (SELECT s.siret, s.status, s.valid_from, "
        "LEAD(s.valid_from) OVER (PARTITION BY s.siret ORDER BY s.seq) AS valid_to "
        "FROM status_changes s JOIN places p ON p.siret = s.siret " + where + ") "
        "WHERE status = 'conventionne' AND (valid_to IS NULL OR valid_to > valid_from)",
        [caisse, caisse],
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in spans]


def time_to_decision(
    db: sqlite_utils.Database, at: datetime, caisse: str | None = None
) -> dict[str, Any]:
    """Days from each application to its approval or refusal, and what is still pending."""
    moment = utc(at)
    days: list[float] = []
    by_outcome: dict[str, list[float]] = defaultdict(list)
    pending: list[float] = []
    previous: tuple[str, str, str] | None = None
    for siret, status, start in db.execute(
        "SELECT s.siret, s.status, s.valid_from FROM status_changes s "
        "JOIN places p ON p.siret = s.siret WHERE (? IS NULL OR p.caisse = ?) "
        "AND s.valid_from <= ? ORDER BY s.siret, s.seq",
        [caisse, caisse, moment],
    ).fetchall():
        if previous and previous[0] == siret and previous[1] == "candidature":
            if status in ("conventionne", "refuse"):
                waited = _days(previous[2], start)
                days.append(waited)
                by_outcome[status].append(waited)
        elif previous and previous[1] == "candidature":
            pending.append(_days(previous[2], moment))
        previous = (siret, status, start)
    if previous and previous[1] == "candidature":
        pending.append(_days(previous[2], moment))
    return {
        "decisions": len(days),
        **_stats(days),
        "same_day": sum(1 for d in days if d < 1),
        "by_outcome": {k: {"decisions": len(v), **_stats(v)} for k, v in by_outcome.items()},
        "pending": len(pending),
        "pending_median_days": round(statistics.median(pending), 1) if pending else None,
        "histogram": _histogram(days),
    }


def vote_participation(
    db: sqlite_utils.Database, at: datetime, caisse: str | None = None
) -> dict[str, Any]:
    """Turnout of each closed proposal."""
    closed = rows(
        db,
        "SELECT proposal, title, kind, mode, closed_at, electorate, participants, participation "
        "FROM proposals WHERE state = 'closed' AND closed_at <= ? AND (? IS NULL OR caisse = ?) "
        "ORDER BY closed_at",
        [utc(at), caisse, caisse],
    )
    rates = [r["participation"] for r in closed if r["participation"] is not None]
    by_mode: dict[str, list[float]] = defaultdict(list)
    for r in closed:
        if r["participation"] is not None:
            by_mode[r["mode"]].append(r["participation"])
    return {
        "closed": len(closed),
        "mean": round(100 * statistics.fmean(rates), 1) if rates else None,
        "median": round(100 * statistics.median(rates), 1) if rates else None,
        "by_mode": {k: round(100 * statistics.fmean(v), 1) for k, v in sorted(by_mode.items())},
        "proposals": [
            {
                "title": r["title"],
                "kind": r["kind"],
                "mode": r["mode"],
                "closed_at": local(r["closed_at"]),
                "participants": r["participants"],
                "electorate": r["electorate"],
                "participation": round(100 * r["participation"], 1)
                if r["participation"] is not None
                else None,
            }
            for r in closed[-200:]
        ],
    }


def criteria_changes(
    db: sqlite_utils.Database, at: datetime, caisse: str | None = None
) -> dict[str, Any]:
    """Versions published after the first, and their rule changes."""
    versions = rows(
        db,
        "SELECT caisse, version, position, title, effective_from, published_at, changes "
        "FROM criteria_versions WHERE published_at <= ? AND (? IS NULL OR caisse = ?) "
        "ORDER BY caisse, position",
        [utc(at), caisse, caisse],
    )
    revisions = [v for v in versions if v["position"] > 1]
    per_year = Counter(str(v["published_at"])[:4] for v in revisions)
    return {
        "versions": len(versions),
        "revisions": len(revisions),
        "rule_changes": sum(v["changes"] for v in revisions),
        "per_year": dict(sorted(per_year.items())),
        "list": [
            {
                "caisse": v["caisse"],
                "version": v["version"],
                "title": v["title"],
                "effective_from": v["effective_from"],
                "published_at": local(v["published_at"]),
                "changes": v["changes"],
            }
            for v in versions
        ],
    }


def _days(start: str, end: str) -> float:
    delta = datetime.fromisoformat(end) - datetime.fromisoformat(start)
    return delta.total_seconds() / 86400


def _stats(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"median_days": None, "mean_days": None, "p90_days": None}
    ordered = sorted(values)
    return {
        "median_days": round(statistics.median(ordered), 1),
        "mean_days": round(statistics.fmean(ordered), 1),
        "p90_days": round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 1),
    }


BUCKETS = ((1.0, "0 j"), (8.0, "1-7 j"), (31.0, "8-30 j"), (91.0, "31-90 j"), (1e9, "> 90 j"))


def _histogram(days: list[float]) -> dict[str, int]:
    counts = dict.fromkeys((label for _, label in BUCKETS), 0)
    for d in days:
        counts[next(label for limit, label in BUCKETS if d < limit)] += 1
    return counts
