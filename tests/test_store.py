"""The store is replaced whole or not at all."""

import pytest

from sensus import store
from sensus.sample import ensure_store


def test_a_failed_change_leaves_the_store_byte_for_byte_unchanged(tiny_db):
    before = store.sha256_of(tiny_db)
    with pytest.raises(RuntimeError), store.replacing(tiny_db) as con:
        con.execute("delete from population")
        raise RuntimeError("refused half-way")
    assert store.sha256_of(tiny_db) == before
    assert [path.name for path in tiny_db.parent.iterdir()] == [tiny_db.name]


def test_a_successful_change_replaces_the_store(tiny_db):
    with store.replacing(tiny_db) as con:
        con.execute("delete from population where village_code = '99.01.02.1001'")
    with store.connect(tiny_db) as con:
        assert con.execute("select sum(persons) from population").fetchone()[0] == 150


def test_readers_of_the_old_store_keep_reading_it_while_it_is_replaced(tiny_db):
    reader = store.connect(tiny_db)
    with store.replacing(tiny_db) as con:
        con.execute("delete from population")
    assert reader.execute("select sum(persons) from population").fetchone()[0] == 190
    reader.close()


def test_db_path_prefers_argument_then_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SENSUS_DB", str(tmp_path / "env.duckdb"))
    assert store.db_path() == tmp_path / "env.duckdb"
    assert store.db_path(tmp_path / "arg.duckdb") == tmp_path / "arg.duckdb"
    monkeypatch.delenv("SENSUS_DB")
    assert store.db_path() == store.DEFAULT_DB


def test_ensure_store_builds_the_sample_only_when_absent(tiny_db, tmp_path):
    assert ensure_store(tiny_db) == tiny_db
    with store.connect(tiny_db) as con:
        assert con.execute("select sum(persons) from population").fetchone()[0] == 190
    built = ensure_store(tmp_path / "new" / "sensus.duckdb")
    with store.connect(built) as con:
        assert con.execute("select sum(persons) from population").fetchone()[0] == 442_758
