"""Every route checks its role: a matrix of roles × routes."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry.roles import Role
from tests.web.conftest import LOGIN_OF, csrf_token, log_in
from web import store

TOMBE = "81400140000013"
ANON = "anonyme"
ROLES = [ANON, Role.PLACE, Role.MEMBER, Role.FACILITATOR, Role.EVALUATOR, Role.OBSERVER]
EVERYONE = frozenset(ROLES)
LOGGED = EVERYONE - {ANON}
PLACE = frozenset({Role.PLACE})
VOTERS = frozenset({Role.MEMBER})
PROPOSERS = frozenset({Role.MEMBER, Role.FACILITATOR})
FACILITATOR = frozenset({Role.FACILITATOR})
READERS = frozenset({Role.EVALUATOR, Role.OBSERVER, Role.FACILITATOR})

# (method, url, who may use it); {p} is an open proposal, {m} an open proposal of the member
# account's own (its author may amend it), {z} a member's pseudonym.
MATRIX: list[tuple[str, str, frozenset[object]]] = [
    ("GET", "/", EVERYONE),
    ("GET", "/healthz", EVERYONE),
    ("GET", "/readyz", EVERYONE),
    ("GET", "/annuaire/", EVERYONE),
    ("GET", "/annuaire/imprimer", EVERYONE),
    ("GET", "/lieux/", EVERYONE),
    ("GET", f"/lieux/{TOMBE}", EVERYONE),
    ("GET", "/criteres/", EVERYONE),
    ("GET", "/criteres/2025-1", EVERYONE),
    ("GET", "/historique/", EVERYONE),
    ("GET", "/propositions/", EVERYONE),
    ("GET", "/propositions/{p}", EVERYONE),
    ("GET", "/charte/", EVERYONE),
    ("GET", "/charte/proposer", PROPOSERS),
    ("POST", "/charte/proposer", PROPOSERS),
    ("GET", "/connexion", EVERYONE),
    ("POST", "/connexion", EVERYONE),
    ("GET", "/inscription", EVERYONE),
    ("POST", "/inscription", EVERYONE),
    ("GET", "/langue/en", EVERYONE),
    ("POST", "/deconnexion", EVERYONE),
    ("GET", "/compte", LOGGED),
    ("POST", "/compte", LOGGED),
    ("GET", "/mon-lieu", PLACE),
    ("GET", "/candidater", PLACE),
    ("POST", "/candidater", PLACE),
    ("GET", f"/lieux/{TOMBE}/modifier", PLACE),
    ("POST", f"/lieux/{TOMBE}/modifier", PLACE),
    ("GET", f"/lieux/{TOMBE}/retirer", PLACE),
    ("POST", f"/lieux/{TOMBE}/retirer", PLACE),
    ("GET", "/propositions/nouvelle-revision", PROPOSERS),
    ("POST", "/propositions/nouvelle-revision", PROPOSERS),
    ("GET", "/propositions/nouvelle", PROPOSERS),
    ("POST", "/propositions/nouvelle", PROPOSERS),
    ("POST", "/propositions/{p}/retirer", PROPOSERS),
    ("GET", "/propositions/{m}/amender", PROPOSERS),
    ("POST", "/propositions/{m}/amender", PROPOSERS),
    ("POST", "/propositions/{p}/vote", VOTERS),
    ("POST", "/propositions/{p}/lever", VOTERS),
    ("POST", "/propositions/{p}/clore", FACILITATOR),
    ("POST", "/propositions/{p}/reunion", FACILITATOR),
    ("GET", "/membres/", FACILITATOR),
    ("POST", "/membres/", FACILITATOR),
    ("GET", "/membres/{z}", FACILITATOR),
    ("POST", "/membres/{z}", FACILITATOR),
    ("GET", "/decisions/", FACILITATOR),
    ("GET", f"/decisions/{TOMBE}", FACILITATOR),
    ("POST", f"/decisions/{TOMBE}", FACILITATOR),
    ("GET", "/evaluation/", READERS),
    ("GET", "/evaluation/rejouer", READERS),
    ("GET", "/evaluation/simulation", READERS),
    ("GET", "/evaluation/indicateurs/", READERS),
    ("GET", "/evaluation/indicateurs/approved_by_kind.png", READERS),
    ("GET", "/evaluation/exports", READERS),
    ("GET", "/evaluation/exports/lieux-conventionnes.csv", READERS),
    ("GET", "/evaluation/exports/export-complet.zip", READERS),
]


def open_proposal(app: Flask) -> str:
    """An open proposal of the demo, or one opened for the test."""
    registry = store.registry_of(app)
    for proposal in registry.proposals():
        if proposal.state.value == "open":
            return str(proposal.id)
    from registry.governance.rules import Mode
    from registry.roles import Actor

    facilitator = Actor("animatrice-camille", Role.FACILITATOR)
    created = registry.propose_question(
        "paris-14e", "Question de test", "Pour la matrice d'accès.", facilitator, mode=Mode.MAJORITY
    )
    return str(created.id)


def own_proposal(app: Flask) -> str:
    """An open question by Zélie, whose demo account is the member's."""
    from registry.governance.rules import Mode
    from registry.roles import Actor

    created = store.registry_of(app).propose_question(
        "paris-14e",
        "Question de Zélie",
        "Pour la matrice d'accès.",
        Actor("Zélie", Role.MEMBER),
        mode=Mode.CONSENT,
    )
    return str(created.id)


def test_the_matrix_covers_every_page_route(app: Flask) -> None:
    covered = {(m, u.split("?")[0]) for m, u, _ in MATRIX}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/api/", "/static/")):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            matched = any(m == method and _shape(u) == _shape(rule.rule) for m, u in covered)
            assert matched, f"{method} {rule.rule} is not in the access matrix"


def _shape(url: str) -> list[str]:
    parts = url.strip("/").split("/")
    return [
        "*"
        if "<" in p
        or "{" in p
        or p.isdigit()
        or p == TOMBE
        or p == "2025-1"
        or p.endswith(".png")
        or p.endswith(".csv")
        or p == "en"
        else p
        for p in parts
    ]


@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize(
    ("method", "url", "allowed"), MATRIX, ids=[f"{m} {u}" for m, u, _ in MATRIX]
)
def test_each_route_lets_in_only_its_roles(
    client: FlaskClient, method: str, url: str, allowed: frozenset[object], role: object
) -> None:
    if role != ANON:
        log_in(client, LOGIN_OF[role])  # type: ignore[index]
    mine = own_proposal(client.application) if "{m}" in url else ""
    target = url.format(p=open_proposal(client.application), m=mine, z="Zélie")
    if method == "GET":
        response = client.get(target)
    else:
        response = client.post(target, data={"csrf_token": csrf_token(client)})
    if role in allowed:
        assert response.status_code not in (401, 403), response.status_code
        if response.status_code == 302:
            assert "/connexion" not in response.headers["Location"] or url == "/deconnexion"
        assert response.status_code < 500
    elif role == ANON:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/connexion")
    else:
        assert response.status_code == 403
