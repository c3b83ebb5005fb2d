"""The upload page through AppTest: offered only where an administrators' password is set, asks
for it, loads a good extract in place of the old data, refuses a bad one leaving the old data in
force, never uses the uploaded file's name as a path, and holds to the size limit."""

from __future__ import annotations

import logging
import mimetypes
import os
import shutil
import threading
from functools import partial
from pathlib import Path

import openpyxl
import pytest
import streamlit as st
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.testing.v1 import AppTest

from app import admin
from queries import run
from sensus import store
from sensus.formatting import number
from sensus.ingest import ingest_file
from sensus.throttle import Throttle

PROJECT = Path(__file__).resolve().parent.parent
DASHBOARD = str(PROJECT / "dashboard.py")
UPLOAD = "pages/unggah.py"
GOOD = PROJECT / "tests" / "inputs" / "examples" / "penduduk.csv"  # 1,902 persons in Airmata
BAD = PROJECT / "tests" / "inputs" / "hostile" / "negative_count.csv"
PASSWORD = "kupang-2020"
SAMPLE_PERSONS = 442_758


@pytest.fixture
def served(sample_db, tmp_path, monkeypatch):
    """A writable copy of the sample, served by the dashboard; no password set unless a test sets one."""
    copy = tmp_path / "store" / "sensus.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(sample_db, copy)
    monkeypatch.setenv("SENSUS_DB", str(copy))
    monkeypatch.delenv("SENSUS_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("SENSUS_MAX_INPUT_MB", raising=False)
    for setting in ("SENSUS_SIGN_IN_FAILURES", "SENSUS_SIGN_IN_WINDOW_MINUTES", "SENSUS_SIGN_IN_DELAY_SECONDS"):
        monkeypatch.delenv(setting, raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield copy
    st.cache_data.clear()
    st.cache_resource.clear()


def dashboard(password: str | None = None) -> AppTest:
    app = AppTest.from_file(DASHBOARD, default_timeout=120)
    if password:
        app.secrets["admin_password"] = password
    return app.run()


def signed_in(password: str = PASSWORD) -> AppTest:
    app = dashboard(password).switch_page(UPLOAD).run()
    app.text_input[0].input(password)
    app.button[0].click().run()
    assert not app.exception and len(app.file_uploader) == 1
    return app


def upload(app: AppTest, path: Path, name: str | None = None, kind: str = "population") -> AppTest:
    app.selectbox(key="jenis").select(kind)
    name = name or path.name
    app.file_uploader[0].set_value((name, path.read_bytes(), mimetypes.guess_type(name)[0] or "text/csv"))
    app.button[0].click().run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def persons_in_force(db: Path) -> int:
    with store.connect_afresh(db) as con:
        return int(run(con, "indicator_counts", area="53.71").query("role == 'area'")["persons"].iloc[0])


def source_in_force(db: Path, fact: str = "population") -> str:
    with store.connect_afresh(db) as con:
        return run(con, "current_datasets").set_index("fact").loc[fact, "source_file"]


def test_without_a_password_the_page_is_not_offered(served):
    with pytest.raises(ValueError, match="Could not find a navigation page for .*unggah.py"):
        dashboard().switch_page(UPLOAD)


@pytest.mark.parametrize("where", ["secrets", "environment"])
def test_the_page_asks_for_the_password_and_refuses_a_wrong_one(served, monkeypatch, where):
    if where == "environment":
        monkeypatch.setenv("SENSUS_ADMIN_PASSWORD", PASSWORD)
    app = dashboard(PASSWORD if where == "secrets" else None).switch_page(UPLOAD).run()
    assert app.title[0].value.startswith("Unggah data") and not app.file_uploader
    app.text_input[0].input("kupang-2021")
    app.button[0].click().run()
    assert [error.value for error in app.error] == ["Kata sandi salah."]
    assert not app.file_uploader


def sign_in_page() -> AppTest:
    return dashboard(PASSWORD).switch_page(UPLOAD).run()


def try_password(app: AppTest, password: str) -> AppTest:
    app.text_input[0].input(password)
    app.button[0].click().run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def test_wrong_passwords_lock_out_every_session_of_the_client_until_the_window_passes(served, monkeypatch, caplog):
    now = [0.0]  # seconds on the throttle's clock, moved by the test
    monkeypatch.setattr(admin, "Throttle", partial(Throttle, clock=lambda: now[0]))
    monkeypatch.setattr(admin, "client", lambda: "203.0.113.7")  # AppTest's sessions have no address
    app = sign_in_page()
    with caplog.at_level(logging.WARNING, logger="sensus.throttle"):
        for wait in (1, 2, 4, 8):  # the wait doubles after each wrong password
            try_password(app, "kupang-2021")
            assert [error.value for error in app.error] == ["Kata sandi salah."]
            assert app.warning[-1].value == f"Coba lagi setelah {wait} detik."  # below the synthetic notice
            try_password(app, PASSWORD)  # too soon: not even looked at
            assert not app.error and app.warning[-1].value == f"Coba lagi setelah {wait} detik."
            now[0] += wait
        try_password(app, "kupang-2021")
    # The fifth wrong password within 15 minutes, 1 + 2 + 4 + 8 = 15 s after the first: locked for 885 s.
    assert [error.value for error in app.error] == [
        "Kata sandi salah.",
        "Terlalu banyak kata sandi salah: masuk dikunci. Coba lagi setelah 15 menit.",
    ]
    logged = [record.getMessage() for record in caplog.records if record.name == "sensus.throttle"]
    assert len(logged) == 5 and all("wrong password from client 203.0.113.7 at " in line for line in logged)
    assert not [line for line in logged if "kupang-2021" in line]
    # A new session from the same client is locked out too, the right password refused.
    again = try_password(sign_in_page(), PASSWORD)
    assert [error.value for error in again.error] == [
        "Terlalu banyak kata sandi salah: masuk dikunci. Coba lagi setelah 15 menit."
    ]
    now[0] += 884
    assert try_password(again, PASSWORD).error[0].value.endswith("Coba lagi setelah 1 menit.")
    assert not again.file_uploader
    now[0] += 1
    assert not try_password(again, PASSWORD).error and len(again.file_uploader) == 1


def test_a_good_extract_replaces_the_data(served):
    app = upload(signed_in(), GOOD)
    assert app.success[0].value == "`penduduk.csv` dimuat: data Penduduk yang baru kini berlaku."
    assert app.text[0].value.startswith("Read 4 rows from penduduk.csv: 1,902 persons\nStored 1,902 persons in 4 cells")
    assert (persons_in_force(served), source_in_force(served)) == (1_902, "penduduk.csv")
    app.switch_page("pages/ringkasan.py").run()
    assert {metric.label: metric.value for metric in app.metric}["Jumlah penduduk"] == "1.902"


@pytest.mark.parametrize("name", ["penduduk.xlsx", "C:\\Data\\PENDUDUK.XLSX"])
def test_a_workbook_is_loaded_as_a_workbook(served, tmp_path, name):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["kode_wilayah", "jenis_kelamin", "kelompok_umur", "pendidikan", "jumlah"])
    sheet.append(["53.71.06.1001", "L", "0-4", None, 412])
    sheet.append(["53.71.06.1001", "P", "0-4", None, 398])
    sheet.append(["53.71.06.1001", "L", "20-24", "SMA/SMK/sederajat", 1035])
    sheet.append(["5371041001", "Perempuan", "75 ke atas", "Tidak/belum tamat SD", 57])
    path = tmp_path / "penduduk.xlsx"
    workbook.save(path)
    app = upload(signed_in(), path, name=name)
    shown = name.rsplit("\\", 1)[-1]
    assert app.success[0].value == f"`{shown}` dimuat: data Penduduk yang baru kini berlaku."
    assert app.text[0].value.startswith(f"Read 4 rows from {shown}: 1,902 persons\nStored 1,902 persons in 4 cells")
    assert (persons_in_force(served), source_in_force(served)) == (412 + 398 + 1_035 + 57, shown)


def test_a_bad_extract_is_refused_and_the_old_data_stays_in_force(served):
    before = store.sha256_of(served)
    app = upload(signed_in(), BAD)
    assert app.error[0].value.startswith("`negative_count.csv` ditolak (")
    assert app.error[0].value.endswith("masalah); data lama tetap berlaku.")
    problems = app.dataframe[0].value
    assert list(problems.columns) == ["Baris", "Kolom", "Nilai", "Seharusnya"]
    # The sample store is Kota Kupang's: the test village 99.01.01.1001 is unknown there.
    assert problems.values.tolist() == [
        [
            2,
            "kode_wilayah",
            "99.01.01.1001",
            "kode wilayah yang terdaftar, kode Kemendagri (32.73.05 atau 32.73.05.1006) atau BPS (3273180)",
        ],
        [3, "jumlah", "-5", "jumlah 0 atau lebih"],
    ]
    assert store.sha256_of(served) == before and persons_in_force(served) == SAMPLE_PERSONS


def test_the_old_store_keeps_answering_while_it_is_replaced_and_a_new_connection_sees_the_new(served):
    reader = store.connect(served)
    try:
        upload(signed_in(), GOOD)
        assert int(reader.execute("select sum(persons) from population").fetchone()[0]) == SAMPLE_PERSONS
        # A plain connect() would share the old database with `reader`; connect_afresh reads the file.
        assert persons_in_force(served) == 1_902
    finally:
        reader.close()


def test_every_page_run_reads_one_store_version_while_loads_replace_it_in_a_loop(served, tmp_path):
    """Loads swap the store back to back between the sample and a store whose population is GOOD's while
    sessions keep rerunning Ringkasan: each run's population card and footer come from one and the same
    version. The sessions take turns in one thread: AppTest installs a process-wide runtime for each run,
    and Python 3.11's parser is not safe across threads (test_store runs snapshots in threads)."""
    versions = {"sample": tmp_path / "sample.duckdb", "good": tmp_path / "good.duckdb"}
    shutil.copyfile(served, versions["sample"])
    shutil.copyfile(served, versions["good"])
    ingest_file("population", GOOD, db=versions["good"])
    card = {"sample": number(SAMPLE_PERSONS, "id"), "good": number(1_902, "id")}
    runs, swaps, stop = [], [], threading.Event()

    def load_in_a_loop():
        while not stop.is_set():
            version = list(versions.values())[len(swaps) % 2]
            shutil.copyfile(version, served.with_name("incoming.duckdb"))
            os.replace(served.with_name("incoming.duckdb"), served)
            swaps.append(version)

    loader = threading.Thread(target=load_in_a_loop)
    loader.start()
    try:
        sessions = [dashboard() for _ in range(3)]
        for _ in range(6):
            for app in sessions:
                shown = {metric.label: metric.value for metric in app.metric}
                footer_source = "good" if any(GOOD.name in caption.value for caption in app.caption) else "sample"
                problems = [element.value for element in [*app.exception, *app.error]]
                runs.append((shown.get("Jumlah penduduk"), footer_source, problems))
                app.run()
    finally:
        stop.set()
        loader.join()
    print(f"{len(runs)} runs checked while the store was replaced {len(swaps):,} times")
    assert len(runs) == 18 and len(swaps) > 10
    assert [(shown, errors) for shown, source, errors in runs if shown != card[source] or errors] == []
    assert {source for _, source, _ in runs} == {"sample", "good"}


def test_the_uploaded_name_is_never_a_path(served, tmp_path):
    target = tmp_path / "elsewhere" / "penduduk.csv"
    app = upload(signed_in(), GOOD, name=f"../../{target}")
    assert app.success[0].value.startswith("`penduduk.csv` dimuat")
    assert not target.exists() and not target.parent.exists()
    assert source_in_force(served) == "penduduk.csv"


def test_a_file_above_the_size_limit_is_refused_before_it_is_read(served, monkeypatch):
    monkeypatch.setenv("SENSUS_MAX_INPUT_MB", "0.0001")  # 100 bytes; the file has 211
    before = store.sha256_of(served)
    app = upload(signed_in(), GOOD)
    assert [error.value for error in app.error] == [
        "`penduduk.csv` berukuran 0,0 MB; batasnya 0 MB. Tidak ada yang dimuat."
    ]
    assert store.sha256_of(served) == before


def test_the_uploaded_bytes_are_let_go_once_read_whether_loaded_or_refused(served, monkeypatch):
    """Streamlit keeps an upload's bytes in its store of uploads until the session is shut down, which a
    closed tab's session only is once a later visitor makes the server forget it: the page drops them."""
    kept = []
    add_file = MemoryUploadedFileManager.add_file

    def kept_file(manager, session_id, file):
        add_file(manager, session_id, file)
        kept.append((manager, session_id, file.file_id))

    monkeypatch.setattr(MemoryUploadedFileManager, "add_file", kept_file)
    for path, outcome in ((GOOD, "success"), (BAD, "error")):
        app = signed_in()
        kept.clear()
        upload(app, path)
        assert getattr(app, outcome) and kept  # the file went through the store of uploads
        assert [manager.get_files(session_id, [file_id]) for manager, session_id, file_id in kept] == [[]]


def test_the_streamlit_upload_limit_is_set(served):
    assert "maxUploadSize = 100" in (PROJECT / ".streamlit" / "config.toml").read_text()


def test_the_uploaded_name_is_shown_as_text_not_markup(served):
    app = upload(signed_in(), GOOD, name="[klik](javascript:alert(1))`*.csv")
    assert app.success[0].value == "`[klik](javascript:alert(1))'*.csv` dimuat: data Penduduk yang baru kini berlaku."
