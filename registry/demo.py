"""A realistic Paris 14e history, written with backdated events, for demos and tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from policies.declaration import parse_declaration
from registry.application import Registry
from registry.bootstrap import initialise
from registry.clock import PARIS
from registry.config import Settings
from registry.demo_places import all_declarations
from registry.roles import Actor, Role

# The demo is written by the server's own command line, which founds the collective.
FACILITATOR = Actor("animatrice-camille", Role.FACILITATOR, trusted=True)


def at(day: str, hour: int = 19) -> datetime:
    """A Paris moment on a day of the demo history."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=PARIS)


def load_demo(app: Registry, settings: Settings | None = None) -> list[str]:
    """Write the whole demo history; return a few summary lines."""
    from policies.seed import SEED_VERSIONS

    initialise(app, FACILITATOR, at("2024-07-16"))
    declarations = all_declarations()
    first_wave, second_wave = declarations[:20], declarations[20:]
    start = at("2024-09-02", 10)
    for i, raw in enumerate(first_wave):
        _apply(app, raw, start + timedelta(days=7 * i))

    _revise_criteria(app, SEED_VERSIONS[1], at("2025-02-10"))
    app.reevaluate("paris-14e", Actor.system(), at("2025-03-01", 6))

    start = at("2025-03-10", 10)
    for i, raw in enumerate(second_wave):
        _apply(app, raw, start + timedelta(days=10 * i))
    _life_events(app, declarations)
    governance = app.demo_governance()
    lines = _summary(app) + governance
    if settings is not None:
        from registry.accounts import create_demo_accounts

        accounts = create_demo_accounts(settings)
        lines.append("comptes de démonstration : " + ", ".join(a[0] for a in accounts))
    return lines


def _apply(app: Registry, raw: dict[str, Any], moment: datetime) -> None:
    declaration = parse_declaration(raw)
    app.apply(declaration, Actor(declaration.siret, Role.PLACE), moment)


def _revise_criteria(app: Registry, version: Any, moment: datetime) -> None:
    """Adopt the second criteria version, through governance when it is available."""
    revise = getattr(app, "demo_criteria_revision", None)
    if revise is not None:
        revise(version, moment)
        return
    app.publish_criteria(version, "assemblée du collectif du 10 février 2025", FACILITATOR, moment)


def _life_events(app: Registry, declarations: list[dict[str, Any]]) -> None:
    """Withdrawals, suspensions, amendments: what happens to places over a year."""
    by_name = {d["name"]: d for d in declarations}

    def siret(name: str) -> str:
        return str(by_name[name]["siret"])

    amended = dict(by_name["Épicerie de la Tombe-Issoire"])
    amended["supply"] = {**amended["supply"], "peasant_share": 66, "labels": ["AB"]}
    place = app.place(siret("Épicerie de la Tombe-Issoire"))
    if place.status.value in ("refuse", "deconventionne", "candidature", "conventionne"):
        app.amend(
            place.siret,
            parse_declaration(amended),
            Actor(place.siret, Role.PLACE),
            at("2025-04-14", 11),
        )

    primeur = app.place(siret("Primeur du Maine"))
    if primeur.status.value != "retire":
        app.withdraw(
            primeur.siret,
            "Cessation d'activité : le commerce ferme à la fin du bail",
            Actor(primeur.siret, Role.PLACE),
            at("2025-05-12", 9),
        )

    boucherie = app.place(siret("Boucherie Gassendi"))
    if boucherie.status.value == "conventionne":
        app.decide(
            boucherie.siret,
            "suspend",
            "Plusieurs expérimentateurs signalent que l'allocation a été refusée en caisse",
            "réunion du collectif du 2 juin 2025",
            FACILITATOR,
            at("2025-06-02", 21),
        )
        app.decide(
            boucherie.siret,
            "renew",
            "Rencontre avec le boucher : l'équipe a été formée, l'allocation est acceptée",
            "réunion du collectif du 7 juillet 2025",
            FACILITATOR,
            at("2025-07-07", 21),
        )


def _summary(app: Registry) -> list[str]:
    places = app.places("paris-14e")
    counts: dict[str, int] = {}
    for p in places:
        counts[p.status.value] = counts.get(p.status.value, 0) + 1
    versions = [v.version for v in app.criteria_set("paris-14e").versions()]
    return [
        f"{len(places)} lieux : "
        + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())),
        f"versions de critères : {', '.join(versions)}",
    ]
