"""Plain-text renderings of governance views, in French, for the terminal and for paper."""

from __future__ import annotations

from typing import Any

from policies.base import OUTCOME_LABELS, Outcome
from registry.governance.rules import CHOICE_LABELS, Choice


def _outcome(value: str | None) -> str:
    return OUTCOME_LABELS[Outcome(value)][0] if value else "—"


def _day(moment: str | None) -> str:
    return (moment or "")[:16].replace("T", " ")


def tally_line(tally: dict[str, Any] | None, mode: str) -> str:
    """A tally in a few words."""
    if not tally:
        return "aucun vote"
    if mode == "poll":
        counts = tally.get("rounds", [tally.get("counts", {})])[-1]
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        return ", ".join(f"{name} {n}" for name, n in ranked) or "aucun choix"
    parts = [f"{tally.get('for', 0)} pour"]
    if mode == "majority":
        parts.append(f"{tally.get('against', 0)} contre")
    parts.append(f"{tally.get('abstain', 0)} abst.")
    if mode == "consensus":
        parts.append(f"{len(tally.get('blocks', []))} blocage(s)")
    if mode == "consent":
        parts.append(f"{len(tally.get('objections', []))} objection(s)")
    parts.append(f"{tally.get('participants', 0)}/{tally.get('electorate', 0)} votants")
    return ", ".join(parts)


def summary_line(view: dict[str, Any]) -> str:
    """One proposal on one line."""
    state = view["outcome_fr"] or view["status_fr"]
    tally = tally_line(view["tally"], view["mode"])
    return (
        f"{view['short_id']}  {state:<18} {view['kind_fr']:<28} {view['mode_fr']:<18} "
        f"{view['title']}  [{tally}]"
    )


def detail_lines(view: dict[str, Any]) -> list[str]:
    """A proposal with every vote, amendment, objection, meeting and effect."""
    lines = [
        f"{view['title']}  ({view['id']})",
        f"  {view['kind_fr']} — {view['mode_fr']}"
        + (
            f", choix {'classé' if view['ballot'] == 'ranked' else 'unique'}"
            if view["mode"] == "poll"
            else ""
        )
        + f" — décide : {view['body_fr']} — charte v{view['charter_version']}",
        f"  Ouverte le {_day(view['opened'])} par {view['proposer']}, "
        f"vote jusqu'au {_day(view['deadline'])} — {view['status_fr']}",
    ]
    if view["text"]:
        lines.append(f"  {view['text']}")
    options = view["payload"].get("options")
    if options:
        lines.append(f"  Options : {', '.join(options)}")
    if view["kind"] == "place_decision":
        p = view["payload"]
        lines.append(f"  Lieu {p['siret']} : {p['action']} — {p['reason']}")
    if view["kind"] == "criteria_revision":
        v = view["payload"]["version"]
        lines.append(
            f"  Version {v['version']} « {v['title']} », en vigueur le {v['effective_from']}, "
            f"transition {v['transition_days']} jour(s)"
        )
    lines.extend(_impact_lines(view.get("impact")))
    for a in view["amendments"]:
        lines.append(f"  Amendement {a['number']} ({_day(a['at'])}, {a['by']}) : {a['note']}")
    if view["votes"]:
        lines.append("  Votes :")
    for v in view["votes"]:
        choice = ", ".join(v["options"]) or v["choice_fr"]
        marks = []
        if v["before_latest_amendment"]:
            n = v["on_amendment"]
            marks.append(f"sur le texte {'initial' if n == 0 else f'amendé {n}'}")
        if not v["counts"]:
            marks.append("remplacé")
        mark = f" ({', '.join(marks)})" if marks else ""
        reason = f" — {v['reason']}" if v["reason"] else ""
        lines.append(f"    {_day(v['at'])}  {v['member']:<18} {choice}{reason}{mark}")
    for o in view["objections"]:
        kind = CHOICE_LABELS[Choice(o["kind"])][0]
        status = {"standing": "maintenu(e)", "lifted": "levé(e)", "replaced": "remplacé(e)"}
        lines.append(
            f"  {kind.capitalize()} de {o['member']} : {o['reason']} — {status[o['status']]}"
        )
    for m in view["meetings"]:
        lines.append(
            f"  Réunion du {m['held_on']} ({m['present']} présent(e)s) : "
            f"{m['tally']} — {m['minutes']}"
        )
    if view["tally"]:
        prefix = "Décompte provisoire" if view["provisional"] else "Décompte"
        lines.append(f"  {prefix} : {tally_line(view['tally'], view['mode'])}")
        for i, counts in enumerate(view["tally"].get("rounds", []), start=1):
            listed = ", ".join(f"{o} {n}" for o, n in sorted(counts.items(), key=lambda kv: -kv[1]))
            lines.append(f"    tour {i} : {listed}")
    if view["explanation_fr"]:
        lines.append(f"  {view['explanation_fr']}")
    if view["effect"]:
        lines.append(f"  Effet : {view['effect'].get('summary_fr', '')}")
    return lines


def _impact_lines(impact: dict[str, Any] | None) -> list[str]:
    if not impact:
        return []
    return impact_lines(impact, indent="  ")


def impact_lines(impact: dict[str, Any], indent: str = "") -> list[str]:
    """Which places would gain or lose approval, and why."""
    lines = [
        f"{indent}Impact de {impact['proposed_version']} (au lieu de "
        f"{impact['current_version'] or 'aucune'}) le {impact['on']} : "
        f"{len(impact['gains'])} lieu(x) conventionnable(s) en plus, "
        f"{len(impact['losses'])} en moins, {len(impact['rate_changes'])} taux changé(s), "
        f"{impact['unchanged']} inchangé(s)"
    ]
    for label, entries in (("+", impact["gains"]), ("-", impact["losses"])):
        for e in entries:
            until = (
                f" (reste conventionné jusqu'au {e['approved_until']})"
                if e.get("approved_until")
                else ""
            )
            if e.get("reapply"):
                until = " (après une nouvelle candidature)"
            lines.append(
                f"{indent}  {label} {e['name']} ({e['siret']}){until} : {e['after']['summary_fr']}"
            )
            for w in e["why"]:
                change = f"{_outcome(w['before'])} → {_outcome(w['after'])}"
                lines.append(f"{indent}      {w['key']} : {change} — {w['explanation_fr']}")
    for e in impact["rate_changes"]:
        lines.append(
            f"{indent}  ~ {e['name']} : prise en charge {e['before']['coverage_rate']:g} % → "
            f"{e['after']['coverage_rate']:g} %"
        )
    return lines
