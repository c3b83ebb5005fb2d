"""A store that cannot be served says what is wrong and what to run: unit tests of sensus.integrity on
copies of stores cut short, and every page through AppTest on such a copy and on a missing store. The
sample is built from nothing only at the default path, and the page says so."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app import ui
from sensus import integrity, store

PROJECT = Path(__file__).resolve().parent.parent
PAGES = [script for script, _, _ in (*ui.PAGES, ui.UPLOAD_PAGE)]


def cut_short(source: Path, target: Path, share: float) -> Path:
    """A copy of `source` with only its first `share` of bytes, as a copy or a disk that filled up leaves it."""
    target.write_bytes(source.read_bytes()[: int(os.path.getsize(source) * share)])
    return target


@pytest.fixture
def served(monkeypatch):
    """Serve the store at the path given to it; no administrators' password, so the upload page is off."""
    monkeypatch.delenv("SENSUS_ADMIN_PASSWORD", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()

    def serve(path: Path) -> None:
        monkeypatch.setenv("SENSUS_DB", str(path))

    yield serve
    st.cache_data.clear()
    st.cache_resource.clear()


def test_an_intact_store_is_read_through(tiny_db):
    integrity.open_verified(tiny_db)  # raises nothing


@pytest.mark.parametrize(
    "share, found",
    [
        (0.0, "is not a valid DuckDB database file"),  # an empty file
        (0.01, "Could not read enough bytes"),  # its header and little else: the attach fails
        (0.5, "Could not read enough bytes"),  # its catalog whole, half its tables' blocks missing
    ],
)
def test_a_store_cut_short_is_named_with_what_was_found_and_what_to_run(sample_db, tmp_path, share, found):
    damaged = cut_short(sample_db, tmp_path / "sensus.duckdb", share)
    with pytest.raises(integrity.StoreProblem) as problem:
        integrity.open_verified(damaged)
    message = str(problem.value)
    assert message.startswith(f"The store `{damaged}` is damaged and cannot be read (`")
    assert found in message
    assert f"`python -m sensus build-sample --db {damaged}`" in message
    assert f"`python -m sensus init --area CODE --db {damaged}`" in message
    assert problem.value.message_in("id").startswith(f"Penyimpanan `{damaged}` rusak dan tidak dapat dibaca (`")


def test_a_missing_store_away_from_the_default_path_is_an_error_naming_it(tmp_path, monkeypatch):
    missing = tmp_path / "bandung.duckdb"
    monkeypatch.setenv("SENSUS_DB", str(missing))
    with pytest.raises(integrity.StoreProblem) as problem:
        integrity.ensure_store()
    assert str(problem.value) == (
        f"There is no store at `{missing}`. Make one first: `python -m sensus init --area CODE --db {missing}` "
        f"(areas only; then load tables with `python -m sensus ingest`) or "
        f"`python -m sensus build-sample --db {missing}` (the synthetic sample)."
    )
    assert not missing.exists()


def test_a_missing_store_at_the_default_path_is_built_from_the_sample(tmp_path, monkeypatch):
    default = tmp_path / "data" / "sensus.duckdb"
    monkeypatch.setattr(store, "DEFAULT_DB", default)
    monkeypatch.delenv("SENSUS_DB", raising=False)
    assert integrity.ensure_store() == (default, True)
    with store.connect(default) as con:
        assert con.execute("select sum(persons) from population").fetchone() == (442_758,)
    assert integrity.ensure_store() == (default, False)
    assert integrity.ensure_store(str(default)) == (default, False)


def page(script: str, lang: str | None = None) -> AppTest:
    """A page opened by its own address, as a first request after the server starts runs it."""
    app = AppTest.from_file(str(PROJECT / script), default_timeout=120)
    if lang:
        app.query_params["lang"] = lang
    return app.run()


@pytest.mark.parametrize("script", PAGES)
def test_every_page_on_a_store_cut_short_says_what_is_wrong_and_what_to_run(served, sample_db, tmp_path, script):
    damaged = cut_short(sample_db, tmp_path / "sensus.duckdb", 0.5)
    served(damaged)
    app = page(script)
    assert not app.exception, [error.value for error in app.exception]
    [error] = app.error
    assert error.value.startswith(f"Penyimpanan `{damaged}` rusak dan tidak dapat dibaca (`IO Error: ")
    assert f"`python -m sensus build-sample --db {damaged}`" in error.value
    assert not app.title  # nothing of the page itself


def test_a_store_damaged_after_it_was_read_is_read_through_again(served, sample_db, tmp_path):
    copy = tmp_path / "sensus.duckdb"
    shutil.copyfile(sample_db, copy)
    served(copy)
    assert not page("pages/ringkasan.py").error
    cut_short(sample_db, copy, 0.5)  # in place: a new modification time
    assert page("pages/ringkasan.py").error[0].value.startswith(f"Penyimpanan `{copy}` rusak")


def test_a_missing_store_is_named_on_the_page_in_the_language_chosen(served, tmp_path):
    missing = tmp_path / "bandung.duckdb"
    served(missing)
    app = page("pages/penduduk.py", lang="EN")
    assert not app.exception
    assert [error.value for error in app.error] == [
        f"There is no store at `{missing}`. Make one first: `python -m sensus init --area CODE --db {missing}` "
        f"(areas only; then load tables with `python -m sensus ingest`) or "
        f"`python -m sensus build-sample --db {missing}` (the synthetic sample)."
    ]
    assert not missing.exists()


def test_the_sample_built_at_the_default_path_is_said_on_the_page(served, tmp_path, monkeypatch):
    default = tmp_path / "data" / "sensus.duckdb"
    monkeypatch.setattr(store, "DEFAULT_DB", default)
    monkeypatch.delenv("SENSUS_DB", raising=False)
    app = page("pages/ringkasan.py")
    assert not app.exception and not app.error
    assert app.info[0].value == f"Penyimpanan `{default}` belum ada: sampel sintetis baru saja dibangun di sana."
    assert app.title[0].value.startswith("Ringkasan")
    assert not page("pages/ringkasan.py").info  # said once, by the run that built it
