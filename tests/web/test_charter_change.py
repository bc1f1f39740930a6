"""Proposing a charter change on the web: from the charter in force, see what changes, open the
vote in a declared mode; adopted through votes, it becomes the charter in force."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from flask.testing import FlaskClient

from registry.governance.charter import Body, Kind
from registry.roles import Actor, Role
from tests.web.conftest import csrf_token, log_in, post_form
from web import store

URL = "/charte/proposer"
CAISSE = "paris-14e"


class _FormReader(HTMLParser):
    """The fields of the form posting to one action, as a browser would send them."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: dict[str, Any] = {}
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "option" and self.inside:
            self._option(a)
            return
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside or "name" not in a:
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind == "checkbox":
                self.fields.setdefault(name, [])
                if "checked" in a:
                    self.fields[name].append(a.get("value", ""))
            elif kind == "radio":
                if "checked" in a:
                    self.fields[name] = a.get("value", "")
            elif kind != "submit":
                self.fields[name] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = name
            self.fields[name] = ""
        elif tag == "select":
            self.select = name

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def _option(self, attrs: dict[str, str]) -> None:
        if self.select is None:
            return
        if "selected" in attrs or self.select not in self.fields:
            self.fields[self.select] = attrs.get("value", "")

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        if tag == "select":
            self.select = None
        if tag == "form":
            self.inside = False


def page_form(page: str, action: str) -> dict[str, Any]:
    """The fields of the page's form posting to `action`, filled as the page shows them."""
    reader = _FormReader(action)
    reader.feed(page)
    assert reader.fields, f"no form posting to {action}"
    return reader.fields


def registry(client: FlaskClient) -> Any:
    return store.registry_of(client.application)


def events_count(client: FlaskClient) -> int:
    return registry(client).recorder.max_notification_id() or 0


def charter_form(client: FlaskClient, **changes: Any) -> dict[str, Any]:
    """The charter form as the page fills it, with changes."""
    form = page_form(client.get(URL).get_data(as_text=True), URL)
    form.update(title="Le collectif décide des critères", text="Après un an, on revient.")
    form.update(changes)
    return form


def post(client: FlaskClient, form: dict[str, Any], url: str = URL) -> Any:
    return post_form(client, url, form, form_url=url)


def preview_and_open(client: FlaskClient, **changes: Any) -> Any:
    """Preview a change, then open it from the previewed page."""
    form = charter_form(client, action="preview", **changes)
    previewed = post(client, form)
    assert previewed.status_code == 200, previewed.get_data(as_text=True)[-3000:]
    opened = page_form(previewed.get_data(as_text=True), URL)
    opened["action"] = "open"
    return post(client, opened)


def test_the_charter_page_offers_a_change_to_proposers_only(client: FlaskClient) -> None:
    assert URL not in client.get("/charte/").get_data(as_text=True)
    log_in(client, "observateur")
    assert URL not in client.get("/charte/").get_data(as_text=True)
    client.post("/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    log_in(client, "membre")
    assert URL in client.get("/charte/").get_data(as_text=True)
    assert URL in client.get("/propositions/").get_data(as_text=True)
    assert URL in client.get("/propositions/nouvelle").get_data(as_text=True)


def test_the_form_starts_from_the_charter_in_force(client: FlaskClient) -> None:
    log_in(client, "membre")
    terms = registry(client).charter_in_force(CAISSE)
    response = client.get(URL)
    assert response.status_code == 200
    form = page_form(response.get_data(as_text=True), URL)
    assert form["charter_title"] == terms.title
    criteria = terms.rule(Kind.CRITERIA)
    assert form["criteria_revision.body"] == str(criteria.body)
    assert form["criteria_revision.quorum"] == criteria.quorum
    assert set(form["criteria_revision.modes"]) == {str(m) for m in criteria.modes}
    assert form["criteria_revision.default_mode"] == str(criteria.modes[0])
    assert form["charter_change.voting_days"] == str(terms.rule(Kind.CHARTER).voting_days)
    # The mode of the proposal is declared up front, among those the charter permits.
    assert form["mode"] == str(terms.rule(Kind.CHARTER).modes[0])


def test_a_preview_shows_what_would_change_and_stores_nothing(client: FlaskClient) -> None:
    log_in(client, "membre")
    before = events_count(client)
    form = charter_form(
        client,
        action="preview",
        **{"criteria_revision.body": "collectif", "place_decision.voting_days": "10"},
    )
    response = post(client, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ce qui change par rapport à la charte en vigueur" in page
    assert "<del>tous les expérimentateurs</del> → <ins>le collectif</ins>" in page
    assert "<del>14</del> → <ins>10</ins>" in page
    assert 'value="open"' in page and 'name="previewed"' in page
    assert events_count(client) == before


def test_opening_records_the_change_in_the_declared_mode(client: FlaskClient) -> None:
    log_in(client, "membre")
    count = len(registry(client).proposals())
    response = preview_and_open(
        client,
        **{"criteria_revision.body": "collectif", "question.quorum": "1/4"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    proposals = registry(client).proposals()
    assert len(proposals) == count + 1
    proposal = proposals[-1]
    assert response.headers["Location"] == f"/propositions/{proposal.id}"
    assert proposal.kind is Kind.CHARTER and proposal.mode.value == "consensus"
    assert proposal.proposer == "Zélie" and proposal.title == "Le collectif décide des critères"
    rules = proposal.payload["charter"]["rules"]
    assert rules["criteria_revision"]["body"] == "collectif"
    assert rules["question"]["quorum"] == "1/4"
    in_force = registry(client).charter_in_force(CAISSE)
    assert rules["place_decision"] == in_force.rule(Kind.PLACE).model_dump(mode="json")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ce que la proposition change dans la charte" in page
    assert "<del>0</del> → <ins>1/4</ins>" in page
    assert "<ins>le collectif</ins>" in page


def test_a_change_adopted_through_votes_becomes_the_charter_in_force(client: FlaskClient) -> None:
    reg = registry(client)
    version_before = reg.charter(CAISSE).number
    log_in(client, "membre")
    response = preview_and_open(
        client,
        **{
            "criteria_revision.body": "collectif",
            "criteria_revision.modes": ["consent", "majority"],
            "criteria_revision.default_mode": "majority",
            "criteria_revision.majority": "qualified",
            "criteria_revision.threshold": "3/5",
            "charter_title": "Charte 2026",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    proposal = reg.proposals()[-1]
    for pseudonym in reg.electorate(proposal, date.today()):
        reg.cast_vote(proposal.id, pseudonym, "for")
    client.post("/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    log_in(client, "animatrice-camille")
    url = f"/propositions/{proposal.id}"
    closed = post_form(client, f"{url}/clore", {}, form_url=url)
    assert closed.status_code == 302
    charter = reg.charter(CAISSE)
    assert charter.number == version_before + 1
    terms = charter.current()
    rule = terms.rule(Kind.CRITERIA)
    assert terms.title == "Charte 2026" and rule.body is Body.COLLECTIF
    assert [str(m) for m in rule.modes] == ["majority", "consent"]
    assert rule.majority == "qualified" and rule.threshold == "3/5"
    page = client.get("/charte/").get_data(as_text=True)
    assert "Charte 2026" in page and f"version {version_before + 1}" in page
    assert "qualifiée (3/5)" in page


BAD_INPUTS = [
    ("title", {"title": ""}, "Le titre est obligatoire."),
    ("text", {"text": ""}, "Expliquez pourquoi changer la charte."),
    ("mode", {"mode": "poll"}, "Choisissez un mode de décision permis par la charte."),
    ("charter_title", {"charter_title": ""}, "Donnez un titre à la charte."),
    ("charter_title", {"charter_title": "x" * 201}, "Au plus 200 caractères."),
    ("criteria_revision-body", {"criteria_revision.body": "tout-le-monde"}, "qui décide"),
    ("criteria_revision-modes", {"criteria_revision.modes": []}, "au moins un mode"),
    (
        "criteria_revision-modes",
        {"criteria_revision.modes": ["consent", "poll"]},
        "Un sondage ne sert qu&#39;aux questions ouvertes.",
    ),
    (
        "criteria_revision-default_mode",
        {"criteria_revision.modes": ["majority"], "criteria_revision.default_mode": "consent"},
        "doit être l&#39;un des modes cochés",
    ),
    ("place_decision-quorum", {"place_decision.quorum": "beaucoup"}, "entre 0 et 1"),
    ("place_decision-quorum", {"place_decision.quorum": "3/2"}, "entre 0 et 1"),
    (
        "place_decision-threshold",
        {"place_decision.majority": "qualified", "place_decision.threshold": "1/3"},
        "au-dessus de la moitié",
    ),
    ("question-voting_days", {"question.voting_days": "0"}, "entre 1 et 120"),
    ("question-voting_days", {"question.voting_days": "deux semaines"}, "entre 1 et 120"),
    ("question-abstentions", {"question.abstentions": "ignored"}, "abstentions"),
    ("question-training_required", {"question.training_required": "peut-être"}, "oui ou non"),
    ("question-ballot", {"question.ballot": "approval"}, "classement"),
]


@pytest.mark.parametrize(
    ("field", "change", "message"), BAD_INPUTS, ids=[f"{f}:{list(c)[0]}" for f, c, _ in BAD_INPUTS]
)
def test_each_bad_input_is_refused_next_to_its_field_and_nothing_is_stored(
    client: FlaskClient, field: str, change: dict[str, Any], message: str
) -> None:
    log_in(client, "membre")
    before = events_count(client)
    form = charter_form(client, action="open", **{"question.quorum": "1/5"}, **change)
    response = post(client, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page
    error = page.split(f'id="{field}-error">', 1)[1].split("</p>", 1)[0]
    assert message in error
    # What was typed is kept.
    assert 'name="question.quorum" type="text" value="1/5"' in page
    for name, value in change.items():
        if isinstance(value, str) and value and name.endswith(("quorum", "days", "title")):
            assert f'value="{value}"' in page
    assert events_count(client) == before
    assert "Rien n'a été enregistré" in page


def test_a_charter_identical_to_the_one_in_force_is_refused(client: FlaskClient) -> None:
    log_in(client, "membre")
    before = events_count(client)
    response = post(client, charter_form(client, action="preview"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="charter"' in page
    assert "La charte proposée est celle en vigueur" in page
    assert events_count(client) == before


def test_opening_unseen_changes_shows_them_first(client: FlaskClient) -> None:
    log_in(client, "membre")
    before = events_count(client)
    form = charter_form(client, action="open", **{"question.voting_days": "7"})
    response = post(client, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "a changé depuis l&#39;aperçu" in page
    assert "<del>14</del> → <ins>7</ins>" in page
    # A preview of other terms does not open these ones.
    form["previewed"] = "0" * 32
    assert post(client, form).status_code == 200
    assert events_count(client) == before


def test_a_member_who_left_cannot_open_a_change(client: FlaskClient) -> None:
    registry(client).leave_member(CAISSE, "Zélie", "Déménage", Actor("Zélie", Role.MEMBER))
    log_in(client, "membre")
    before = events_count(client)
    response = preview_and_open(client, **{"question.voting_days": "7"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="charter"' in page
    assert "ne peut pas ouvrir de proposition" in page
    assert events_count(client) == before


def test_the_form_and_its_errors_speak_english(client: FlaskClient) -> None:
    log_in(client, "membre")
    client.get("/langue/en")
    page = client.get(URL).get_data(as_text=True)
    assert "Propose a charter change" in page and "Who decides" in page
    assert "all participants" in page and "the collective" in page
    form = charter_form(client, action="preview", **{"question.voting_days": "0"})
    page = post(client, form).get_data(as_text=True)
    assert "A number of days between 1 and 120." in page
    form = charter_form(client, action="preview", **{"question.voting_days": "7"})
    page = post(client, form).get_data(as_text=True)
    assert "What changes from the charter in force" in page
    assert "Voting time (days)" in page


def test_a_post_without_its_csrf_token_is_refused(client: FlaskClient) -> None:
    log_in(client, "membre")
    before = events_count(client)
    form = charter_form(client, action="open", **{"question.voting_days": "7"})
    del form["csrf_token"]
    response = client.post(URL, data=form)
    assert response.status_code == 400
    assert "Formulaire refusé" in response.get_data(as_text=True)
    assert events_count(client) == before


@pytest.mark.parametrize("login", ["commerce", "evaluateur", "observateur"])
def test_other_roles_may_not_propose_a_change(client: FlaskClient, login: str) -> None:
    log_in(client, login)
    assert client.get(URL).status_code == 403
    before = events_count(client)
    response = post_form(client, URL, {"title": "x", "action": "open"}, form_url="/charte/")
    assert response.status_code == 403 and events_count(client) == before


def test_visitors_are_sent_to_log_in(client: FlaskClient) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and response.headers["Location"].startswith("/connexion")
