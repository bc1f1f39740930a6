"""The demo accounts: one per role, acting as the pseudonyms of the demo history."""

from __future__ import annotations

from registry.config import Settings
from registry.roles import Role
from web.accounts import Accounts

# Demo accounts: one per role (and two more members, so that a vote has several voices),
# acting as the pseudonyms of the demo history. Passwords are documented in the README.
DEMO_ACCOUNTS: tuple[tuple[str, str, Role, str, str], ...] = (
    ("commerce", "demo-commerce-14", Role.PLACE, "Épicerie de la Tombe-Issoire", ""),
    ("producteur", "demo-producteur-14", Role.PLACE, "Producteur de démonstration", ""),
    ("membre", "demo-membre-14", Role.MEMBER, "Zélie", "Zélie"),
    ("membre-2", "demo-membre-2-14", Role.MEMBER, "Moussa", "Moussa"),
    ("membre-3", "demo-membre-3-14", Role.MEMBER, "Odile", "Odile"),
    (
        "animatrice-camille",
        "demo-animation-14",
        Role.FACILITATOR,
        "Camille, animatrice",
        "animatrice-camille",
    ),
    (
        "evaluateur",
        "demo-evaluation-14",
        Role.EVALUATOR,
        "Laboratoire d'évaluation",
        "labo-evaluation",
    ),
    (
        "observateur",
        "demo-observation-14",
        Role.OBSERVER,
        "Nutritionniste du centre de santé",
        "nutritionniste-cps",
    ),
)


def create_demo_accounts(settings: Settings) -> list[tuple[str, str, str]]:
    """One demo account per role (reset if present): (login, password, role) for each."""
    from registry.demo_places import all_declarations
    from registry.domain.caisses import DEFAULT_CAISSE

    sirets = {d["name"]: str(d["siret"]) for d in all_declarations()}
    accounts = Accounts.for_settings(settings)
    created = []
    try:
        for login, password, role, name, pseudonym in DEMO_ACCOUNTS:
            if accounts.get(login) is not None:
                accounts.delete(login)
            own = (sirets[name],) if name in sirets else ()
            caisse = "" if role is Role.PLACE else str(DEFAULT_CAISSE["slug"])
            accounts.create(login, password, role, name, own, pseudonym, caisse)
            created.append((login, password, str(role)))
    finally:
        accounts.close()
    return created
