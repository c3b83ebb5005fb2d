"""The store is replaced whole or not at all, by one load at a time."""

import contextlib
import fcntl
import gc
import os
import shutil
import subprocess
import sys
import threading

import pytest

from sensus import store
from sensus.ingest import IngestError, ingest_file
from sensus.sample import ensure_store


def test_a_failed_change_leaves_the_store_byte_for_byte_unchanged(tiny_db):
    before = store.sha256_of(tiny_db)
    with pytest.raises(RuntimeError), store.replacing(tiny_db) as con:
        con.execute("delete from population")
        raise RuntimeError("refused half-way")
    assert store.sha256_of(tiny_db) == before
    assert sorted(path.name for path in tiny_db.parent.iterdir()) == [tiny_db.name, f"{tiny_db.name}.lock"]


def test_a_successful_change_replaces_the_store(tiny_db):
    with store.replacing(tiny_db) as con:
        con.execute("delete from population where area_code = '99.01.02.1001'")
    with store.connect(tiny_db) as con:
        assert con.execute("select sum(persons) from population").fetchone()[0] == 150


def test_readers_of_the_old_store_keep_reading_it_while_it_is_replaced(tiny_db):
    reader = store.connect(tiny_db)
    with store.replacing(tiny_db) as con:
        con.execute("delete from population")
    assert reader.execute("select sum(persons) from population").fetchone()[0] == 190
    reader.close()


def replace_with_copy(db, source) -> None:
    """Replace the store file as a load does: a new file renamed over it."""
    shutil.copyfile(source, db.with_name("incoming.duckdb"))
    os.replace(db.with_name("incoming.duckdb"), db)


def open_files_named(path) -> list[str]:
    links = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(FileNotFoundError):  # the listing's own descriptor, closed by now
            links.append(os.readlink(f"/proc/self/fd/{fd}"))
    return sorted(link for link in links if link.startswith(str(path)))


def test_a_snapshot_is_shared_until_the_store_is_replaced_and_then_reads_the_version_it_opened(tiny_db, tmp_path):
    emptied = tmp_path / "emptied.duckdb"
    shutil.copyfile(tiny_db, emptied)
    with store.replacing(emptied) as con:
        con.execute("delete from population")
    latest = store.Latest()
    first = latest.get(tiny_db)
    assert latest.get(tiny_db) is first
    replace_with_copy(tiny_db, emptied)
    second = latest.get(tiny_db)
    assert second is not first and second.key[1:] != first.key[1:]
    with first.con.cursor() as old, second.con.cursor() as new:
        assert old.execute("select sum(persons) from population").fetchone()[0] == 190
        assert new.execute("select sum(persons) from population").fetchone()[0] is None


def test_an_old_snapshot_closes_its_file_when_the_last_holder_lets_go(tiny_db):
    latest = store.Latest()
    held = latest.get(tiny_db)
    replace_with_copy(tiny_db, tiny_db)
    latest.get(tiny_db)
    assert open_files_named(tiny_db) == [str(tiny_db), f"{tiny_db} (deleted)"]
    del held
    gc.collect()
    assert open_files_named(tiny_db) == [str(tiny_db)]


def test_a_snapshot_reads_the_file_its_key_names_though_the_store_is_replaced_while_it_opens(
    tiny_db, tmp_path, monkeypatch
):
    emptied = tmp_path / "emptied.duckdb"
    shutil.copyfile(tiny_db, emptied)
    with store.replacing(emptied) as con:
        con.execute("delete from population")
    before, connect_afresh = store.identity(tiny_db), store.connect_afresh

    def replaced_while_opening(path):
        replace_with_copy(tiny_db, emptied)
        return connect_afresh(path)

    monkeypatch.setattr(store, "connect_afresh", replaced_while_opening)
    snapshot = store.snapshot(tiny_db)
    assert snapshot.key == before != store.identity(tiny_db)
    with snapshot.con.cursor() as con:
        assert con.execute("select sum(persons) from population").fetchone()[0] == 190


def test_runs_in_threads_each_read_one_version_while_the_store_is_replaced_back_to_back(tiny_db, tmp_path):
    doubled = tmp_path / "doubled.duckdb"
    shutil.copyfile(tiny_db, doubled)
    with store.replacing(doubled) as con:
        con.execute("update population set persons = persons * 2")
    sources, latest, stop = [tmp_path / "single.duckdb", doubled], store.Latest(), threading.Event()
    shutil.copyfile(tiny_db, sources[0])
    runs, swaps = [], []

    def load_in_a_loop():
        while not stop.is_set():
            replace_with_copy(tiny_db, sources[len(swaps) % 2])
            swaps.append(1)

    def run_pages():
        for _ in range(40):
            try:
                with latest.get(tiny_db).con.cursor() as con:
                    runs.append([con.execute("select sum(persons) from population").fetchone()[0] for _ in range(3)])
            except Exception as error:
                runs.append([repr(error)])

    loader, readers = threading.Thread(target=load_in_a_loop), [threading.Thread(target=run_pages) for _ in range(4)]
    loader.start()
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()
    stop.set()
    loader.join()
    assert len(runs) == 160 and len(swaps) > 10
    assert [sums for sums in runs if sums not in ([190] * 3, [380] * 3)] == []
    assert {sums[0] for sums in runs} == {190, 380}


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


AREA_HEADER = "tingkat;kode;kode_bps;nama;nama_bps;kode_induk;luas_km2;lintang;bujur\n"


def area_file(folder, code, bps_code, name, district):
    """A one-village area file for the tiny store, in a folder apart from it."""
    (folder / "files").mkdir(exist_ok=True)
    path = folder / "files" / f"{name.lower()}.csv"
    path.write_text(f"{AREA_HEADER}kelurahan;{code};{bps_code};{name};{name.upper()};{district};1,5;-10,1;123,5\n")
    return path


def village_names(db):
    with store.connect_afresh(db) as con:
        return [
            row[0] for row in con.execute("select name from areas where level = 'village' order by code").fetchall()
        ]


def test_two_loads_at_once_both_keep_their_change(tiny_db, tmp_path):
    files = [
        area_file(tmp_path, "99.01.01.1003", "9901010003", "Empat", "99.01.01"),
        area_file(tmp_path, "99.01.02.1002", "9901020002", "Lima", "99.01.02"),
    ]
    loads = [
        subprocess.Popen(
            [sys.executable, "-m", "sensus", "ingest", "areas", str(path), "--db", str(tiny_db)],
            cwd=store.PROJECT_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in files
    ]
    outcomes = [(load.wait(timeout=120), load.stderr.read()) for load in loads]
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    assert village_names(tiny_db) == ["Satu", "Dua", "Empat", "Tiga", "Lima"]
    with store.connect_afresh(tiny_db) as con:
        loads = con.execute("select source_file from datasets where kind = 'areas' order by source_file").fetchall()
    assert loads == [("empat.csv",), ("lima.csv",)]


def test_a_load_refused_while_another_holds_the_store_leaves_it_unchanged(tiny_db, tmp_path, monkeypatch):
    monkeypatch.setenv("SENSUS_LOCK_WAIT_SECONDS", "0.2")
    path = area_file(tmp_path, "99.01.01.1003", "9901010003", "Empat", "99.01.01")
    before = store.sha256_of(tiny_db)
    with open(f"{tiny_db}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(IngestError) as refusal:
            ingest_file("areas", path, db=tiny_db)
    assert refusal.value.message == (
        "empat.csv was not loaded (1 problem); the store is unchanged:\n"
        f"  empat.csv: could not be loaded: another load into {tiny_db} is running; gave up waiting for it after 0.2 s"
    )
    assert store.sha256_of(tiny_db) == before
    assert sorted(path.name for path in tiny_db.parent.iterdir()) == ["files", tiny_db.name, f"{tiny_db.name}.lock"]
    ingest_file("areas", path, db=tiny_db)
    assert village_names(tiny_db) == ["Satu", "Dua", "Empat", "Tiga"]


def test_the_copies_a_killed_load_left_are_removed_by_the_next(tiny_db, tmp_path):
    orphans = [tiny_db.with_name(f".{tiny_db.name}.{stem}") for stem in ("k1l3d.tmp", "k1l3d.tmp.wal", "x9y8.tmp")]
    for orphan in orphans:
        orphan.write_bytes(b"half a store")
    unrelated = tiny_db.with_name(".other.duckdb.k1l3d.tmp")
    unrelated.write_bytes(b"not this store's")
    ingest_file("areas", area_file(tmp_path, "99.01.01.1003", "9901010003", "Empat", "99.01.01"), db=tiny_db)
    assert sorted(path.name for path in tiny_db.parent.iterdir()) == sorted(
        [unrelated.name, "files", tiny_db.name, f"{tiny_db.name}.lock"]
    )
    assert village_names(tiny_db) == ["Satu", "Dua", "Empat", "Tiga"]
