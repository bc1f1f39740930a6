"""A registry with two caisses: each page shows its caisse, each person works in their own."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlite_utils import Database

from policies.seed import first_version
from registry.accounts import Accounts
from registry.config import Settings
from registry.declaration import parse_declaration
from registry.governance.charter import Kind
from registry.governance.rules import Mode
from registry.roles import Actor, Role
from tests.web.conftest import csrf_token, log_in, post_form
from tests.web.test_charter_change import page_form, preview_and_open
from web import create_app, store

A, B = "paris-14e", "plaisance"
A_NAME, B_NAME = "Caisse commune alimentaire Paris 14e", "Caisse commune alimentaire Plaisance"
TOMBE = "81400140000013"  # a place of caisse A
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "declarations"
FACILITATOR_A = Actor("animatrice-camille", Role.FACILITATOR)
FACILITATOR_B = Actor("animateur-basile", Role.FACILITATOR)
PASSWORDS = {
    "animateur-basile": "basile-plaisance-14",
    "evaluatrice-b": "evaluation-plaisance",
    "yse": "yse-plaisance-14",
    "tom": "tom-plaisance-14",
}
PICKER = 'class="caisses"'


def registry(app: Flask) -> Any:
    return store.registry_of(app)


def events_count(client: FlaskClient) -> int:
    return registry(client.application).recorder.max_notification_id() or 0


def b_place(name: str) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    raw.update(caisse=B, quartier="Plaisance")
    return raw


@pytest.fixture
def two(app: Flask) -> Flask:
    """The demo (caisse A, Paris 14e) plus caisse B, Plaisance: two places, a facilitator
    account and an evaluator account of its own, and an open question."""
    reg = registry(app)
    reg.register_caisse(
        B, B_NAME, "Plaisance (75014)", ["Plaisance"], first_version(B), FACILITATOR_A
    )
    for name in ("epicerie.json", "producteur.json"):
        declaration = parse_declaration(b_place(name))
        reg.apply(declaration, Actor(declaration.siret, Role.PLACE))
    # Caisse B's first facilitator is enrolled by the registry itself, as `account-add` does.
    reg.join_member(B, FACILITATOR_B.id, [Role.FACILITATOR], 1, Actor.system())
    accounts = store.accounts_of(app)
    accounts.create(
        "animateur-basile",
        PASSWORDS["animateur-basile"],
        Role.FACILITATOR,
        "Basile, animateur",
        (),
        "animateur-basile",
        B,
    )
    accounts.create(
        "evaluatrice-b", PASSWORDS["evaluatrice-b"], Role.EVALUATOR, "Labo B", (), "labo-b", B
    )
    reg.propose_question(
        B, "Marché du dimanche ?", "Question de Plaisance.", FACILITATOR_B, mode=Mode.MAJORITY
    )
    return app


def sign_in(client: FlaskClient, login: str) -> None:
    log_in(client, login, PASSWORDS.get(login))


def sign_out(client: FlaskClient) -> None:
    client.post("/deconnexion", data={"csrf_token": csrf_token(client, "/")})


def open_in(app: Flask, caisse: str) -> str:
    """An open proposal of a caisse."""
    found = [p for p in registry(app).proposals(caisse) if p.state.value == "open"]
    assert found, caisse
    return str(found[-1].id)


def account_cell(page: str, pseudonym: str) -> str:
    """The account column of a member's row on the members page."""
    found = re.search(rf">{re.escape(pseudonym)}</a>.*?<td>([^<]*)</td>\s*</tr>", page, re.S)
    assert found, pseudonym
    return found.group(1)


def text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


# One caisse: nothing changes ---------------------------------------------------------------


def test_with_a_single_caisse_no_selector_appears(client: FlaskClient) -> None:
    assert "/annuaire/?caisse=" not in text(client, "/")
    for url in (
        "/criteres/",
        "/charte/",
        "/propositions/",
        "/annuaire/",
        "/historique/",
        "/lieux/",
    ):
        page = text(client, url)
        assert PICKER not in page and "Toutes les caisses" not in page, url
    log_in(client, "evaluateur")
    for url in ("/evaluation/", "/evaluation/rejouer", "/evaluation/simulation"):
        assert PICKER not in text(client, url), url
    exports = text(client, "/evaluation/exports")
    assert PICKER not in exports and 'name="caisse"' not in exports


def test_an_unknown_caisse_is_a_french_404_even_with_a_single_caisse(client: FlaskClient) -> None:
    response = client.get("/criteres/?caisse=nulle-part")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Caisse introuvable" in page and "n&#39;a pas de caisse « nulle-part »" in page
    assert A_NAME in page  # the caisses there are, as links


# Two caisses: public pages ----------------------------------------------------------------


def test_each_caisse_has_its_own_criteria_and_charter_pages(two: Flask) -> None:
    client = two.test_client()
    first = text(client, "/criteres/")
    assert PICKER in first and 'aria-current="page"><strong>' + A_NAME in first
    assert "2025-1" in first  # caisse A's second version
    second = text(client, f"/criteres/?caisse={B}")
    assert f"<p>{B_NAME}." in second and "2025-1" not in second
    assert 'aria-current="page"><strong>' + B_NAME in second
    assert f'href="/criteres/?caisse={A}"' in second  # plain links, no script needed
    charter = text(client, f"/charte/?caisse={B}")
    title_a = registry(two).charter_in_force(A).title
    assert f"Charte de gouvernance initiale ({B})" in charter and title_a not in charter
    assert title_a in text(client, "/charte/")


def test_the_directory_and_proposals_show_the_chosen_caisse(two: Flask) -> None:
    client = two.test_client()
    assert f'href="/annuaire/?caisse={B}">{B_NAME}</a>' in text(client, "/")
    directory = text(client, "/annuaire/")
    assert "Épicerie de la Tombe-Issoire" in directory and "La Cagette" not in directory
    theirs = text(client, f"/annuaire/?caisse={B}")
    assert "La Cagette" in theirs and "Ferme du Moulin de Brie" in theirs
    assert "Épicerie de la Tombe-Issoire" not in theirs
    assert '<option value="Plaisance"' in theirs and "Petit-Montrouge" not in theirs
    every = text(client, "/annuaire/?caisse=toutes")
    assert "La Cagette" in every and "Épicerie de la Tombe-Issoire" in every
    printed = text(client, f"/annuaire/imprimer?caisse={B}")
    assert B_NAME in printed and "La Cagette" in printed and "Tombe-Issoire" not in printed
    proposals = text(client, f"/propositions/?caisse={B}")
    assert "Marché du dimanche ?" in proposals and "Ouvrir le samedi" not in proposals
    assert "Marché du dimanche ?" not in text(client, "/propositions/")
    history = text(client, f"/historique/?caisse={B}&q=cagette")
    assert "La Cagette" in history
    assert "La Cagette" not in text(client, f"/historique/?caisse={A}&q=cagette")


def test_the_places_list_shows_the_chosen_caisse(two: Flask) -> None:
    client = two.test_client()
    mine = text(client, "/lieux/")
    assert "Épicerie de la Tombe-Issoire" in mine and "La Cagette" not in mine
    assert PICKER in mine and f'href="/lieux/?caisse={B}">{B_NAME}</a>' in mine
    assert 'href="/lieux/?caisse=toutes">Toutes les caisses</a>' in mine
    assert f'<input type="hidden" name="caisse" value="{A}">' in mine
    theirs = text(client, f"/lieux/?caisse={B}")
    assert "La Cagette" in theirs and "Ferme du Moulin de Brie" in theirs
    assert "Épicerie de la Tombe-Issoire" not in theirs
    assert "2 lieux" in theirs
    every = text(client, "/lieux/?caisse=toutes")
    assert "La Cagette" in every and "Épicerie de la Tombe-Issoire" in every
    assert '<input type="hidden" name="caisse" value="toutes">' in every
    counted = len(registry(two).places())
    assert f"{counted} lieux" in every and f"{counted - 2} lieux" in mine
    # The status filter keeps the caisse.
    pending = text(client, f"/lieux/?caisse={B}&statut=conventionne")
    assert "Épicerie de la Tombe-Issoire" not in pending
    # A person of caisse B sees theirs by default.
    sign_in(client, "animateur-basile")
    assert "La Cagette" in text(client, "/lieux/")
    assert "Épicerie de la Tombe-Issoire" not in text(client, "/lieux/")
    client.get("/langue/en")
    english = text(client, "/lieux/?caisse=toutes")
    assert "Every caisse" in english and "La Cagette" in english


@pytest.mark.parametrize(
    "url",
    [
        "/criteres/",
        "/criteres/2025-1",
        "/charte/",
        "/propositions/",
        "/annuaire/",
        "/annuaire/imprimer",
        "/historique/",
        "/lieux/",
    ],
)
def test_an_unknown_caisse_is_a_french_404(two: Flask, url: str) -> None:
    response = two.test_client().get(f"{url}?caisse=inconnue")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Caisse introuvable" in page and "« inconnue »" in page
    assert A_NAME in page and B_NAME in page


def test_the_signed_in_persons_caisse_is_the_default(two: Flask) -> None:
    client = two.test_client()
    sign_in(client, "animateur-basile")
    assert f"<p>{B_NAME}." in text(client, "/criteres/")
    assert "Marché du dimanche ?" in text(client, "/propositions/")
    assert "La Cagette" in text(client, "/annuaire/")
    # The URL still chooses another caisse to read.
    assert f"<p>{A_NAME}." in text(client, f"/criteres/?caisse={A}")


# Evaluators ------------------------------------------------------------------------------


def test_evaluator_pages_read_their_caisse_and_offer_the_other(two: Flask) -> None:
    client = two.test_client()
    sign_in(client, "evaluatrice-b")
    home = text(client, "/evaluation/")
    assert PICKER in home and f"/evaluation/rejouer?caisse={B}" in home
    replay = text(client, "/evaluation/rejouer")
    assert "La Cagette" in replay and "Tombe-Issoire" not in replay
    assert f'<input type="hidden" name="caisse" value="{B}">' in replay
    replay_a = text(client, f"/evaluation/rejouer?caisse={A}")
    assert "Tombe-Issoire" in replay_a and "La Cagette" not in replay_a
    what_if = text(client, "/evaluation/simulation")
    assert "La Cagette" in what_if and "Tombe-Issoire" not in what_if
    assert "2025-1" not in what_if  # caisse B has only its first version
    exported = client.get("/evaluation/exports/lieux-conventionnes.json").get_json()
    assert exported["caisse"] == B
    assert {p["name"] for p in exported["places"]} == {
        "Épicerie paysanne La Cagette",
        "Ferme du Moulin de Brie (Rozay-en-Brie)",
    }
    csv_a = client.get(f"/evaluation/exports/lieux-conventionnes.csv?caisse={A}")
    assert csv_a.status_code == 200 and "Tombe-Issoire" in csv_a.get_data(as_text=True)
    assert "La Cagette" not in csv_a.get_data(as_text=True)
    indicators = text(client, "/evaluation/indicateurs/")
    assert f"approved_by_kind.png?caisse={B}" in indicators
    chart = client.get(f"/evaluation/indicateurs/approved_by_kind.png?caisse={B}")
    assert chart.status_code == 200 and chart.mimetype == "image/png"
    for url in ("/evaluation/rejouer", "/evaluation/exports", "/evaluation/indicateurs/"):
        assert client.get(f"{url}?caisse=inconnue").status_code == 404, url


# Governance in caisse B, end to end -------------------------------------------------------


def add_member(client: FlaskClient, pseudonym: str, login: str) -> Any:
    return post_form(
        client,
        "/membres/",
        {
            "pseudonym": pseudonym,
            "wave": "1",
            "roles": ["membre"],
            "login": login,
            "password": PASSWORDS.get(login, "mot-de-passe-long"),
        },
        form_url="/membres/",
    )


def vote_for(client: FlaskClient, pid: str) -> Any:
    url = f"/propositions/{pid}"
    return post_form(client, f"{url}/vote", {"choice": "for"}, form_url=url)


def test_a_caisse_b_facilitator_and_members_change_caisse_b_charter(two: Flask) -> None:
    client = two.test_client()
    reg = registry(two)
    charter_a = reg.charter(A).number
    charter_b = reg.charter(B).number
    sign_in(client, "animateur-basile")
    members = text(client, "/membres/")
    assert "Zélie" not in members and f"Caisse : {B_NAME}" in members
    for pseudonym, login in (("Ysé", "yse"), ("Tom", "tom")):
        assert add_member(client, pseudonym, login).status_code == 302
    accounts = store.accounts_of(two)
    assert accounts.get("yse").caisse == B and accounts.get("tom").caisse == B  # type: ignore[union-attr]
    assert {m.pseudonym for m in reg.members(B)} == {"animateur-basile", "Ysé", "Tom"}
    assert "Ysé" not in {m.pseudonym for m in reg.members(A)}
    assert account_cell(text(client, "/membres/"), "Ysé") == "yse"
    sign_out(client)

    sign_in(client, "yse")
    assert B_NAME in text(client, "/compte")
    form = page_form(text(client, "/charte/proposer"), "/charte/proposer")
    assert form["charter_title"] == f"Charte de gouvernance initiale ({B})"
    opened = preview_and_open(client, **{"question.quorum": "1/4"})
    assert opened.status_code == 302, opened.get_data(as_text=True)[-2000:]
    proposal = reg.proposals()[-1]
    assert proposal.caisse == B and proposal.proposer == "Ysé"
    pid = str(proposal.id)
    assert vote_for(client, pid).status_code == 302
    sign_out(client)
    sign_in(client, "tom")
    assert vote_for(client, pid).status_code == 302
    sign_out(client)

    sign_in(client, "animateur-basile")
    closed = post_form(client, f"/propositions/{pid}/clore", {}, form_url=f"/propositions/{pid}")
    assert closed.status_code == 302
    assert reg.proposal(proposal.id).outcome.value == "adopted"
    assert reg.charter(B).number == charter_b + 1
    assert reg.charter_in_force(B).rule(Kind.QUESTION).quorum == "1/4"
    assert reg.charter(A).number == charter_a
    assert reg.charter_in_force(A).rule(Kind.QUESTION).quorum == "0"


def test_a_caisse_b_member_proposes_a_decision_on_a_caisse_b_place(two: Flask) -> None:
    client = two.test_client()
    sign_in(client, "animateur-basile")
    assert add_member(client, "Ysé", "yse").status_code == 302
    sign_out(client)
    sign_in(client, "yse")
    page = text(client, "/propositions/nouvelle")
    assert "La Cagette" in page and "Tombe-Issoire" not in page  # only caisse B's places
    response = post_form(
        client,
        "/propositions/nouvelle",
        {
            "kind": "place_decision",
            "siret": "90213456800010",
            "action": "suspend",
            "text": "Fermé depuis deux mois.",
            "mode": "consent",
        },
        form_url="/propositions/nouvelle",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert registry(two).proposals()[-1].caisse == B


# Across caisses: refused, nothing stored --------------------------------------------------


def assert_refused(response: Any) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == 403, response.status_code
    assert "Accès refusé" in page and "caisse" in page
    return page


def test_a_facilitator_of_b_cannot_manage_caisse_a(two: Flask) -> None:
    client = two.test_client()
    pid = open_in(two, A)
    sign_in(client, "animateur-basile")
    before = events_count(client)
    page = assert_refused(client.get("/membres/Zélie"))
    assert "Zélie est membre de la caisse « Caisse commune alimentaire Paris 14e »" in page
    token = csrf_token(client, "/membres/")
    posts = {
        "/membres/Zélie": {"action": "training", "session": "Formation", "on": "2025-01-01"},
        f"/propositions/{pid}/clore": {},
        f"/propositions/{pid}/retirer": {"withdraw_reason": "Pour voir."},
        f"/propositions/{pid}/reunion": {"m_minutes": "CR", "m_held_on": "2025-01-01"},
        f"/propositions/{pid}/amender": {"note": "Changement", "title": "Autre"},
        f"/decisions/{TOMBE}": {"action": "suspend", "reason": "r", "decision": "d"},
        "/propositions/nouvelle": {
            "kind": "place_decision",
            "siret": TOMBE,
            "action": "suspend",
            "text": "Pour voir.",
            "mode": "consent",
        },
    }
    for url, data in posts.items():
        assert_refused(client.post(url, data={**data, "csrf_token": token}))
    assert_refused(client.get(f"/decisions/{TOMBE}"))
    assert_refused(client.get(f"/propositions/{pid}/amender"))
    assert events_count(client) == before
    decisions = text(client, "/decisions/")
    assert "La Cagette" in decisions and "Tombe-Issoire" not in decisions
    shown = text(client, f"/propositions/{pid}")
    assert f"/propositions/{pid}/clore" not in shown and f"/propositions/{pid}/reunion" not in shown
    assert "une autre caisse (" in shown


def test_a_facilitator_of_a_cannot_manage_caisse_b(two: Flask) -> None:
    client = two.test_client()
    sign_in(client, "animateur-basile")
    assert add_member(client, "Ysé", "yse").status_code == 302
    sign_out(client)
    log_in(client, "animatrice-camille")
    assert "Ysé" not in text(client, "/membres/")
    assert_refused(client.get("/membres/Ysé"))
    before = events_count(client)
    pid = open_in(two, B)
    token = csrf_token(client, "/membres/")
    assert_refused(client.post(f"/propositions/{pid}/clore", data={"csrf_token": token}))
    assert registry(two).proposal(pid).state.value == "open"
    assert events_count(client) == before


def test_members_vote_only_in_their_own_caisse(two: Flask) -> None:
    client = two.test_client()
    pid_a, pid_b = open_in(two, A), open_in(two, B)
    sign_in(client, "animateur-basile")
    assert add_member(client, "Ysé", "yse").status_code == 302
    sign_out(client)
    sign_in(client, "yse")
    page = text(client, f"/propositions/{pid_a}")
    assert f"/propositions/{pid_a}/vote" not in page and "une autre caisse (" in page
    before = events_count(client)
    page = assert_refused(vote_for(client, pid_a))
    assert "Cette proposition est celle d" in page and "une autre caisse (" in page
    assert events_count(client) == before
    assert f"/propositions/{pid_b}/vote" in text(client, f"/propositions/{pid_b}")
    sign_out(client)
    log_in(client, "membre")  # Zélie, of caisse A
    assert_refused(vote_for(client, pid_b))
    assert "/charte/proposer" not in text(client, f"/charte/?caisse={B}")
    assert "/charte/proposer" in text(client, "/charte/")
    assert events_count(client) == before


def test_a_pseudonym_may_exist_in_both_caisses_with_its_own_account(two: Flask) -> None:
    client = two.test_client()
    sign_in(client, "animateur-basile")
    assert add_member(client, "Zélie", "zelie-plaisance").status_code == 302
    assert account_cell(text(client, "/membres/"), "Zélie") == "zelie-plaisance"
    show = text(client, "/membres/Zélie")
    assert "zelie-plaisance" in show
    sign_out(client)
    log_in(client, "animatrice-camille")
    assert "zelie-plaisance" not in text(client, "/membres/Zélie")
    accounts = store.accounts_of(two)
    assert accounts.by_pseudonym("Zélie", (B,)).login == "zelie-plaisance"  # type: ignore[union-attr]
    assert accounts.by_pseudonym("Zélie", (A, "")).login == "membre"  # type: ignore[union-attr]


# Accounts ---------------------------------------------------------------------------------


def test_the_account_page_names_the_caisse(two: Flask) -> None:
    client = two.test_client()
    sign_in(client, "animateur-basile")
    page = text(client, "/compte")
    assert "<dt>Caisse</dt><dd>" + B_NAME in page
    assert "<title>Mon compte —" in page  # the title holds the page's name only
    sign_out(client)
    log_in(client, "membre")
    assert "<dt>Caisse</dt><dd>" + A_NAME in text(client, "/compte")


def test_an_account_of_an_unknown_caisse_may_not_govern(two: Flask) -> None:
    accounts = store.accounts_of(two)
    accounts.create(
        "egaree", "mot-de-passe-long", Role.FACILITATOR, "Égarée", (), "egaree", "ailleurs"
    )
    client = two.test_client()
    log_in(client, "egaree", "mot-de-passe-long")
    page = client.get("/membres/")
    assert page.status_code == 403
    assert "rattaché à aucune caisse" in page.get_data(as_text=True)
    assert "aucune caisse de ce registre (« ailleurs »)" in text(client, "/compte")


def drop_caisse_column(path: Path) -> None:
    """Make the accounts file as it was written before accounts had a caisse."""
    Database(path).table("accounts").transform(drop={"caisse"})
    with sqlite3.connect(path) as conn:
        columns = {row[1] for row in conn.execute("pragma table_info(accounts)")}
    assert "caisse" not in columns


def test_an_accounts_file_without_caisses_still_opens(web_settings: Settings) -> None:
    path = web_settings.data / "accounts.sqlite3"
    drop_caisse_column(path)
    app = create_app(
        {"TESTING": True, "REGISTRY_SETTINGS": web_settings, "SECRET_KEY": "test-secret"}
    )
    try:
        assert Accounts(path).get("membre").caisse == ""  # type: ignore[union-attr]
        client = app.test_client()
        log_in(client, "animatrice-camille")
        members = text(client, "/membres/")
        assert account_cell(members, "Zélie") == "membre"  # accounts of the first caisse
        assert "<dt>Caisse</dt><dd>" + A_NAME in text(client, "/compte")
        # A second caisse added later: those accounts stay with the first.
        registry(app).register_caisse(
            B, B_NAME, "Plaisance (75014)", ["Plaisance"], first_version(B), FACILITATOR_A
        )
        assert f"<p>{A_NAME}." in text(client, "/criteres/")
        assert "Zélie" in text(client, "/membres/")
    finally:
        store.close(app)


def test_an_old_accounts_file_gains_the_column_and_keeps_its_accounts(tmp_path: Path) -> None:
    path = tmp_path / "accounts.sqlite3"
    db = Database(path)
    db.table("accounts").create(
        {
            "login": str,
            "role": str,
            "display_name": str,
            "password_hash": str,
            "token_hash": str,
            "sirets": str,
            "pseudonym": str,
            "created_at": float,
        },
        pk="login",
    )
    hashed = Accounts(tmp_path / "other.sqlite3").hasher.hash("mot-de-passe-long")
    db.table("accounts").insert(
        {
            "login": "ancien",
            "role": "membre",
            "display_name": "Ancien",
            "password_hash": hashed,
            "token_hash": None,
            "sirets": "[]",
            "pseudonym": "Ancien",
            "created_at": 0.0,
        }
    )
    db.close()
    accounts = Accounts(path)
    assert accounts.authenticate("ancien", "mot-de-passe-long") is not None
    assert accounts.get("ancien").caisse == ""  # type: ignore[union-attr]
    accounts.set_caisse("ancien", B)
    assert accounts.get("ancien").caisse == B  # type: ignore[union-attr]
    assert accounts.by_pseudonym("Ancien", (A, "")) is None


def test_governance_pages_say_which_caisse_only_when_there_are_several(
    client: FlaskClient, two: Flask
) -> None:
    log_in(client, "animatrice-camille")
    assert f"Caisse : {A_NAME}" in text(client, "/membres/")
    assert f"Caisse : {A_NAME}" in text(client, "/propositions/nouvelle")


def test_a_single_caisse_governance_page_does_not_name_it(client: FlaskClient) -> None:
    log_in(client, "animatrice-camille")
    assert "Caisse :" not in text(client, "/membres/")
    assert "Caisse :" not in text(client, "/propositions/nouvelle")


# The first facilitator of a new caisse ---------------------------------------------------


def test_account_add_gives_a_new_caisse_its_first_facilitator(two: Flask) -> None:
    from click.testing import CliRunner

    from registry.cli import main

    settings: Settings = two.config["REGISTRY_SETTINGS"]
    runner = CliRunner()
    args = ["--data", str(settings.data), "account-add", "animatrice-b", "--role", "animateur"]
    created = runner.invoke(
        main,
        [*args, "--caisse", B, "--name", "Bérénice", "--password", "mot-de-passe-long"],
    )
    assert created.exit_code == 0, created.output
    assert "Compte créé : animatrice-b (animateur, caisse plaisance)" in created.output
    account = store.accounts_of(two).get("animatrice-b")
    assert account is not None and account.caisse == B and account.display_name == "Bérénice"
    unknown = runner.invoke(
        main,
        [
            "--data",
            str(settings.data),
            "account-add",
            "perdue",
            "--role",
            "membre",
            "--caisse",
            "ailleurs",
            "--password",
            "mot-de-passe-long",
        ],
    )
    assert unknown.exit_code == 2 and "ailleurs" in unknown.output
    assert store.accounts_of(two).get("perdue") is None
    taken = runner.invoke(main, [*args, "--caisse", B, "--password", "mot-de-passe-long"])
    assert taken.exit_code == 2 and "déjà pris" in taken.output
    client = two.test_client()
    log_in(client, "animatrice-b", "mot-de-passe-long")
    assert "Marché du dimanche ?" in text(client, "/propositions/")
    assert add_member(client, "Ysé", "yse").status_code == 302
    # The new facilitator is a member of her caisse, enrolled by the registry itself.
    found = {m.pseudonym: m.roles for m in registry(two).members(B)}
    assert found == {
        "animateur-basile": ["animateur"],
        "animatrice-b": ["animateur"],
        "Ysé": ["membre"],
    }
