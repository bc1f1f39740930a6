"""Every table, view and column is documented in French and English, and created as documented."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
import sqlite_utils

from registry.readmodels.dictionary import datasette_metadata, documented, markdown
from registry.readmodels.schema import TABLES, VIEWS, create_all


@pytest.fixture
def db() -> Iterator[sqlite_utils.Database]:
    conn = sqlite3.connect(":memory:")
    database = sqlite_utils.Database(conn, execute_plugins=False)
    create_all(database)
    yield database
    conn.close()


def test_every_table_and_column_has_a_french_and_an_english_meaning() -> None:
    for name, text_fr, text_en, columns in documented():
        assert text_fr and text_en, name
        for column in columns:
            assert column.fr and column.en, (name, column.name)


def test_tables_and_views_are_created_with_exactly_the_documented_columns(
    db: sqlite_utils.Database,
) -> None:
    for name, _, _, columns in documented():
        found = [r[1] for r in db.execute(f'PRAGMA table_info("{name}")').fetchall()]
        assert found == [c.name for c in columns], name


def test_creating_the_tables_twice_changes_nothing(db: sqlite_utils.Database) -> None:
    before = db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    create_all(db)
    assert db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == before


def test_the_timeline_has_a_full_text_index(db: sqlite_utils.Database) -> None:
    assert db["timeline"].detect_fts() == "timeline_fts"


def test_the_dictionary_is_french_first_then_english_and_names_every_column() -> None:
    text = markdown()
    french, english = text.split("# Data dictionary")
    for name, _, _, columns in documented():
        for column in columns:
            assert f"`{column.name}`" in french and f"`{column.name}`" in english, name
    assert "Signification" in french and "Meaning" in english


def test_datasette_metadata_describes_every_table_and_view() -> None:
    tables = datasette_metadata()["databases"]["registre"]["tables"]
    assert set(tables) == {t.name for t in TABLES} | {v.name for v in VIEWS}
    assert all(" / " in t["description"] for t in tables.values())
