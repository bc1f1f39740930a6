"""The history reads the timeline and its full-text index: filters, words and pages in SQL."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry.readmodels import timeline
from web import store

COUNT = re.compile(r'role="status">(\d+) événement')
NUMBERS = re.compile(r'class="number">n° (\d+)</span>')


def shown(page: str) -> tuple[int, list[int]]:
    found = COUNT.search(page)
    assert found is not None, page
    return int(found.group(1)), [int(n) for n in NUMBERS.findall(page)]


def rows(app: Flask, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    with app.app_context(), store.read_models() as db:
        return list(db.execute(sql, params or []).fetchall())


def test_the_history_counts_and_orders_every_event_of_the_timeline(
    app: Flask, client: FlaskClient
) -> None:
    total, numbers = shown(client.get("/historique/").get_data(as_text=True))
    newest = rows(app, "SELECT seq FROM timeline ORDER BY seq DESC LIMIT 50")
    assert total == rows(app, "SELECT COUNT(*) FROM timeline")[0][0]
    assert numbers == [r[0] for r in newest]
    _, second = shown(client.get("/historique/?page=2").get_data(as_text=True))
    assert second and max(second) < min(numbers)


def test_a_page_past_the_last_shows_the_last(client: FlaskClient) -> None:
    page = client.get("/historique/?page=999").get_data(as_text=True)
    total, numbers = shown(page)
    assert numbers and len(numbers) == (total % 50 or 50)
    assert 'rel="next"' not in page and 'rel="prev"' in page


def test_words_are_found_through_the_full_text_index(app: Flask, client: FlaskClient) -> None:
    total, numbers = shown(client.get("/historique/?q=primeur+maine").get_data(as_text=True))
    expected = rows(
        app,
        "SELECT rowid FROM timeline_fts WHERE timeline_fts MATCH ? ORDER BY rowid DESC",
        ['"primeur" "maine"'],
    )
    assert total == len(expected) > 0 and numbers == [r[0] for r in expected]


@pytest.mark.parametrize(
    "words", ['"', "*", "-", "OR", "a OR", "NOT x", "NEAR(a b)", "(", "col:x", "^a", "'", '"a" -b*']
)
def test_search_signs_are_plain_text_never_an_error(client: FlaskClient, words: str) -> None:
    response = client.get("/historique/", query_string={"q": words})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="q-error"' not in page
    total, numbers = shown(page)
    assert len(numbers) == min(total, 50)


def test_each_word_is_quoted_for_the_index() -> None:
    assert timeline.match_query('la "cagette" OR -x*') == '"la" """cagette""" "OR" "-x*"'


def test_a_search_the_index_refuses_is_a_french_message_not_a_500(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timeline, "match_query", lambda words: "AND AND")
    response = client.get("/historique/?q=cagette")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="q-error"' in page and "n&#39;a pas pu être faite" in page
    assert shown(page)[0] == 0


def test_members_are_named_by_pseudonym_never_by_their_key(client: FlaskClient) -> None:
    page = client.get("/historique/?categorie=gouvernance").get_data(as_text=True)
    assert "Par Zélie (membre du collectif)" in page or "Par Odile (membre du collectif)" in page
    assert "m-" not in re.sub(r"<[^>]+>", "", page)
    joined = client.get("/historique/?categorie=gouvernance&q=arrivée").get_data(as_text=True)
    assert "Arrivée d&#39;un membre</strong>\n       — " in joined
    assert "— m-" not in joined


def test_the_categories_split_the_timeline_by_what_events_are_about(
    app: Flask, client: FlaskClient
) -> None:
    counts = {
        c: shown(client.get(f"/historique/?categorie={c}").get_data(as_text=True))[0]
        for c in timeline.CATEGORIES
    }
    assert (
        counts["lieux"]
        == rows(app, "SELECT COUNT(*) FROM timeline WHERE aggregate = 'place'")[0][0]
    )
    assert counts["gouvernance"] > 0 and counts["criteres"] > 0
    assert sum(counts.values()) == rows(app, "SELECT COUNT(*) FROM timeline")[0][0]


def test_a_members_pseudonym_finds_what_they_did(app: Flask, client: FlaskClient) -> None:
    from registry.readmodels.common import actor_key

    key = actor_key("Zélie", "membre", "paris-14e")
    theirs = rows(
        app,
        "SELECT seq FROM timeline WHERE actor = ? OR (aggregate = 'member' AND subject = ?) "
        "ORDER BY seq DESC",
        [key, key],
    )
    page = client.get("/historique/?q=zélie").get_data(as_text=True)
    total, numbers = shown(page)
    assert total == len(theirs) > 1 and numbers == [r[0] for r in theirs][:50]
    assert "Par Zélie (membre du collectif)" in page
    _, votes = shown(client.get("/historique/?q=Zélie+vote").get_data(as_text=True))
    assert votes and set(votes) < set(numbers)
