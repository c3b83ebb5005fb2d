"""Shared fixtures: a tiny store built from a few inline rows, small enough to check by hand; the
calibrated sample; and, for the browser tests, the dashboard served on a free port and Chromium."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest

from sensus import check, store

TINY_AREAS = pd.DataFrame(
    [
        # code, bps_code, name, level, parent, km2
        ("99.01", "9901", "Kota Uji", "regency", None, 10.0),
        ("99.01.01", "9901010", "Barat", "district", "99.01", 4.0),
        ("99.01.02", "9901020", "Timur", "district", "99.01", 6.0),
        ("99.01.01.1001", "9901010001", "Satu", "village", "99.01.01", 1.0),
        ("99.01.01.1002", "9901010002", "Dua", "village", "99.01.01", 3.0),
        ("99.01.02.1001", "9901020001", "Tiga", "village", "99.01.02", 6.0),
    ],
    columns=["code", "bps_code", "name", "level", "parent_code", "area_km2"],
).assign(bps_name=lambda f: f["name"].str.upper(), area_source="test", lat=-10.0, lon=123.0)

# village, sex, age_from, age_to, education, persons
TINY_POPULATION = [
    ("99.01.01.1001", 1, 3, 3, None, 10),
    ("99.01.01.1001", 2, 3, 3, None, 10),
    ("99.01.01.1001", 1, 30, 30, 7, 20),
    ("99.01.01.1001", 2, 30, 30, 5, 20),
    ("99.01.01.1001", 1, 70, 70, 2, 5),
    ("99.01.01.1001", 2, 70, 70, 3, 5),
    ("99.01.01.1002", 1, 20, 20, 5, 30),
    ("99.01.01.1002", 2, 20, 20, 7, 40),
    ("99.01.01.1002", 1, 10, 10, 2, 10),
    ("99.01.02.1001", 1, 0, 4, None, 12),
    ("99.01.02.1001", 2, 65, 69, 1, 8),
    ("99.01.02.1001", 1, 40, 44, 8, 20),
]

# date, village, base, submitted, complete
TINY_ONLINE = [
    ("2020-03-01", "99.01.01.1001", 100, 20, 10),
    ("2020-03-01", "99.01.01.1002", 200, 40, 30),
    ("2020-03-01", "99.01.02.1001", 100, 10, 5),
    ("2020-03-02", "99.01.01.1001", 100, 60, 50),
    ("2020-03-02", "99.01.01.1002", 200, 50, 40),
    ("2020-03-02", "99.01.02.1001", 100, 15, 10),
]

# Persons on the edges of the broad age groups (0-14, 15-64, 65+): single years 14, 15, 64 and 65
# in Satu, the five-year groups 10-14, 15-19, 60-64 and 65-69 in Tiga.
EDGE_POPULATION = [
    ("99.01.01.1001", 1, 14, 14, 2, 6),
    ("99.01.01.1001", 2, 15, 15, 4, 7),
    ("99.01.01.1001", 1, 64, 64, 5, 8),
    ("99.01.01.1001", 2, 65, 65, 3, 9),
    ("99.01.02.1001", 1, 10, 14, 2, 10),
    ("99.01.02.1001", 2, 15, 19, 4, 20),
    ("99.01.02.1001", 1, 60, 64, 5, 30),
    ("99.01.02.1001", 2, 65, 69, 3, 40),
]

TINY_AGENCIES = [("A1", "Dinas Satu", "D1", "99.01"), ("A2", "Dinas Dua", "D2", "99.01")]

# date, agency, employees, complete
TINY_ASN = [
    ("2020-03-17", "A1", 10, 2),
    ("2020-03-17", "A2", 40, 10),
    ("2020-03-18", "A1", 10, 9),
    ("2020-03-18", "A2", 40, 12),
]


def build_tiny_store(path, population=TINY_POPULATION) -> None:
    """Write the tiny store to `path` (targets: 50% of households online, 80% of ASN)."""
    with store.replacing(path, fresh=True) as con:
        store.load_areas(con, TINY_AREAS)
        store.load_reference_tables(con)
        dataset = store.record_dataset(
            con,
            kind="sample",
            source_file="tiny",
            sha256="0" * 64,
            rows_read=len(population),
            persons_read=sum(row[-1] for row in population),
            synthetic=True,
            description_key="dataset.sample",
            description_values={"calibration": "tiny"},
            dimensions=["sex", "age", "education"],
        )
        insert_population(con, dataset, population)
        con.executemany("insert into online_progress values (?, ?, ?, ?, ?)", TINY_ONLINE)
        con.executemany("insert into agencies values (?, ?, ?, ?)", TINY_AGENCIES)
        con.executemany("insert into asn_progress values (?, ?, ?, ?)", TINY_ASN)
        con.execute("insert into targets values ('online_households', null, 0.5, 'test'), ('asn', null, 0.8, 'test')")
        store.refresh_rollups(con)
        check.record_checks(con)


def insert_population(con, dataset: int, rows, period: str = "2020") -> None:
    """Population rows (area, sex, age_from, age_to, education, persons) as the dataset's, of `period`."""
    con.executemany("insert into population values (?, ?, ?, ?, ?, ?, ?, ?)", [(dataset, period, *row) for row in rows])


def build_population_only_store(path) -> None:
    """Write the tiny store's areas and persons, as loaded from a file of counts without education:
    no SP Online, no ASN, no targets."""
    population = [
        (village, sex, age_from, age_to, None, persons)
        for village, sex, age_from, age_to, _, persons in TINY_POPULATION
    ]
    with store.replacing(path, fresh=True) as con:
        store.load_areas(con, TINY_AREAS)
        store.load_reference_tables(con)
        dataset = store.record_dataset(
            con,
            kind="population",
            source_file="penduduk.csv",
            sha256="1" * 64,
            rows_read=len(population),
            persons_read=sum(row[-1] for row in population),
            synthetic=False,
            description_key="dataset.file",
            description_values={"kind": "population", "file": "penduduk.csv", "format": "CSV"},
            dimensions=["sex", "age"],
        )
        insert_population(con, dataset, population)
        store.refresh_rollups(con)
        check.record_checks(con)


def ingest_refused(kind: str, path, db, **options) -> str:
    """Ingest `path` expecting a refusal; check that the store is byte for byte as before, that no
    file was left beside it and that it still answers; return the message."""
    from sensus.ingest import IngestError, ingest_file

    before = store.sha256_of(db)
    neighbours = sorted(db.parent.iterdir())
    with pytest.raises(IngestError) as refusal:
        ingest_file(kind, path, db=db, **options)
    assert store.sha256_of(db) == before
    assert sorted(db.parent.iterdir()) == neighbours
    with store.connect(db) as con:
        assert [result.name for result in check.run_checks(con) if not result.ok] == []
    return refusal.value.message


def with_data_open(app):
    """An AppTest page run again with every "Lihat data" block open, as a user opens it: a closed block
    holds neither its table nor its downloads."""
    from app import ui

    for key in list(app.session_state):
        if key.startswith(ui.DATA_KEY):
            app.session_state[key] = True
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    return app


@pytest.fixture(autouse=True)
def exact_counts(monkeypatch):
    """Tests read the exact population counts (SENSUS_PROTECTION=off), so that their figures can be
    worked out by hand; tests of the protection itself (test_privacy*.py) switch it back on."""
    monkeypatch.setenv("SENSUS_PROTECTION", "off")


@pytest.fixture
def tiny_db(tmp_path):
    path = tmp_path / "tiny.duckdb"
    build_tiny_store(path)
    return path


@pytest.fixture
def tiny(tiny_db):
    con = store.connect(tiny_db)
    yield con
    con.close()


@pytest.fixture
def population_only_db(tmp_path):
    path = tmp_path / "population.duckdb"
    build_population_only_store(path)
    return path


@pytest.fixture
def edges(tmp_path):
    """The tiny store with EDGE_POPULATION as its persons."""
    path = tmp_path / "edges.duckdb"
    build_tiny_store(path, population=EDGE_POPULATION)
    con = store.connect(path)
    yield con
    con.close()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory):
    """The real calibrated sample at scale 1, built once per test session."""
    from sensus.sample import build_sample

    return build_sample(tmp_path_factory.mktemp("sample") / "sensus.duckdb")


@pytest.fixture(scope="module")
def sample(sample_db):
    """A reading connection to the sample store."""
    con = store.connect(sample_db)
    yield con
    con.close()


# ---------------------------------------------------------------- browser tests

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def write_boundaries(db: Path, path: Path) -> None:
    """Small squares around every kelurahan centroid, coded by Kemendagri code: the map then
    draws polygons (each kecamatan from its kelurahan) and must still need no internet."""
    with store.connect(db) as con:
        villages = con.execute("select code, lon, lat from areas where level = 'village'").fetchall()
    half = 0.003
    features = [
        {
            "type": "Feature",
            "properties": {"kode": code},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [lon - half, lat - half],
                        [lon + half, lat - half],
                        [lon + half, lat + half],
                        [lon - half, lat + half],
                        [lon - half, lat - half],
                    ]
                ],
            },
        }
        for code, lon, lat in villages
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    """`streamlit run dashboard.py` on the sample store and a boundary file, on a free port."""
    from tools.perf.server import free_port, start_server, stop_server

    folder = tmp_path_factory.mktemp("server")
    boundaries = folder / "kelurahan.geojson"
    write_boundaries(sample_db, boundaries)
    port, log = free_port(), folder / "streamlit.log"
    try:
        process = start_server(sample_db, port, log, env={"SENSUS_BOUNDARIES": str(boundaries)})
    except RuntimeError:
        pytest.fail(f"Streamlit did not start; its log:\n{log.read_text(errors='replace')[-3000:]}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(process)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (the browser test modules skip, saying why, without them)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


ARTIFACTS = Path(__file__).parent / "artifacts"
BROWSER_WAIT_MS = 60_000


class OfflineTab:
    """A fresh browser tab with the internet cut off: requests to anywhere but the dashboard's own
    server are refused and recorded."""

    def __init__(self, browser, base: str, **context_options):
        self.base = base
        self.context = browser.new_context(**context_options)
        self.context.set_default_timeout(BROWSER_WAIT_MS)
        self.outside: list[str] = []
        self.context.route("**/*", self.only_local)
        self.page = self.context.new_page()

    def only_local(self, route) -> None:
        if urlparse(route.request.url).netloc == urlparse(self.base).netloc:
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()
