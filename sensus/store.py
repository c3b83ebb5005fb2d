"""The DuckDB store: its location, schema, reference tables, rollups and atomic, serialised replacement."""

from __future__ import annotations

import fcntl
import glob
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

import queries

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_DB = DATA_DIR / "sensus.duckdb"
PACKAGE_DIR = Path(__file__).resolve().parent

LEVELS = ("nation", "province", "regency", "district", "village")


def db_path(path: str | os.PathLike | None = None) -> Path:
    """The store file: the given path, else $SENSUS_DB, else data/sensus.duckdb."""
    return Path(path or os.environ.get("SENSUS_DB") or DEFAULT_DB)


# Reading connections keep DuckDB's own memory (its cache of the store's blocks, a query's hash
# tables) within this and spill beyond it to a temporary folder: serving the nation-sized store,
# the data checks alone would otherwise take 1.5 GB.
READ_CONFIG = {"memory_limit": "512MB", "temp_directory": str(Path(tempfile.gettempdir()) / "sensus-duckdb")}


def connect(path: str | os.PathLike | None = None, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(db_path(path)), read_only=read_only, config=READ_CONFIG if read_only else {})


def sha256_of(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def connect_afresh(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the store file as it is on disk now. Within a process DuckDB
    shares one database per file path among its connections, so once `replacing` has swapped the
    file, connect() still answers from the old store for as long as any connection to it is open.
    Here the file is attached to a database of its own, its tables and views seen through views, and
    prepared for the queries (queries.prepare)."""
    con = duckdb.connect(config=READ_CONFIG)
    con.execute("attach $path as store (read_only)", {"path": str(db_path(path))})
    relations = con.execute(
        "select table_name from duckdb_tables() where database_name = 'store' "
        "union all select view_name from duckdb_views() where database_name = 'store' and not internal"
    ).fetchall()
    for (relation,) in relations:
        con.execute(f'create view "{relation}" as from store."{relation}"')
    queries.prepare(con)
    return con


Identity = tuple[str, int, int]  # a store file's path, inode and modification time


def identity(path: str | os.PathLike, stat: os.stat_result | None = None) -> Identity:
    """Which file is at `path` now (or is the one `stat` describes): a replaced store is a new file (a new
    inode), so a new identity."""
    stat = stat or os.stat(path)
    return str(path), stat.st_ino, stat.st_mtime_ns


@dataclass(frozen=True, eq=False)
class Snapshot:
    """One version of the store, open for reading: `con` reads the file named by `key` however often the
    store is replaced meanwhile. The connection closes when the last holder lets go of it."""

    key: Identity
    con: duckdb.DuckDBPyConnection


def snapshot(path: str | os.PathLike | None = None) -> Snapshot:
    """The store file as it is now. The file is opened first and read through that descriptor, so the key
    names the very file the connection reads, however often the store is replaced meanwhile."""
    target = db_path(path)
    descriptor = os.open(target, os.O_RDONLY)
    try:
        key = identity(target, os.fstat(descriptor))
        con = connect_afresh(f"/dev/fd/{descriptor}")
    finally:
        os.close(descriptor)
    return Snapshot(key, con)


class Latest:
    """The newest snapshot of a store in this process: every run that starts while the file is unchanged
    shares it, and the first run after a replacement opens the new file. An older snapshot stays open for
    the runs still holding it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None

    def get(self, path: str | os.PathLike | None = None) -> Snapshot:
        target = db_path(path)
        with self._lock:
            if self._snapshot is None or self._snapshot.key != identity(target):
                self._snapshot = snapshot(target)
            return self._snapshot


DEFAULT_LOCK_WAIT_SECONDS = 60.0


class StoreBusy(TimeoutError):
    """Another load into the same store held its lock for longer than the wait allowed."""


def lock_wait_seconds() -> float:
    """How long a load waits for another one into the same store: $SENSUS_LOCK_WAIT_SECONDS, else 60."""
    return float(os.environ.get("SENSUS_LOCK_WAIT_SECONDS") or DEFAULT_LOCK_WAIT_SECONDS)


@contextmanager
def locked(target: Path, wait: float) -> Iterator[None]:
    """Hold the exclusive lock of the store `target` (the file `<store>.lock` beside it), waiting for
    it at most `wait` seconds. The lock file stays: removing it would let a waiter and a newcomer
    lock two different files. The kernel releases the lock when its holder ends, even by kill -9."""
    with open(target.with_name(f"{target.name}.lock"), "a") as lock:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        f"another load into {target} is running; gave up waiting for it after {wait:g} s"
                    ) from None
                time.sleep(0.05)
        yield


def remove_stale_copies(target: Path) -> None:
    """Remove the copies (and their WAL files) that loads into `target` killed half-way left beside it.
    Only called under the store's lock, when no other load's copy can be in use."""
    pattern = glob.escape(str(target.with_name(f".{target.name}."))) + "*.tmp"
    for name in glob.glob(pattern) + glob.glob(f"{pattern}.wal"):
        Path(name).unlink(missing_ok=True)


@contextmanager
def replacing(
    path: str | os.PathLike | None = None, *, fresh: bool = False, wait: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a writable copy of the store (or a new empty one when `fresh`); on success the copy
    replaces the store in one rename, on any exception it is discarded and the store is untouched.
    Loads into one store take turns: each waits (at most `wait` seconds, default lock_wait_seconds())
    for the one before it, then copies the store as that one left it, so no change is lost."""
    target = db_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with locked(target, lock_wait_seconds() if wait is None else wait):
        remove_stale_copies(target)
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(handle)
        temp = Path(temp_name)
        temp.unlink()
        try:
            if target.exists() and not fresh:
                shutil.copyfile(target, temp)
            con = duckdb.connect(str(temp))
            try:
                if fresh or not target.exists():
                    create_schema(con)
                yield con
                con.execute("checkpoint")
            finally:
                con.close()
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
            Path(f"{temp}.wal").unlink(missing_ok=True)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute((PACKAGE_DIR / "schema.sql").read_text())


def refresh_rollups(con: duckdb.DuckDBPyConnection) -> None:
    """The rollups, with the protected population counts (sensus.privacy), after every load."""
    from sensus import privacy  # imported here: privacy reads the catalog, which reads this module

    privacy.keep_settings(con)
    con.execute((PACKAGE_DIR / "rollups.sql").read_text())


def load_areas(con: duckdb.DuckDBPyConnection, areas: pd.DataFrame) -> None:
    """Add or update areas (columns as the `areas` table) and rebuild the ancestor closure."""
    columns = ["code", "bps_code", "name", "bps_name", "level", "parent_code", "area_km2", "area_source", "lat", "lon"]
    frame = areas[columns].astype({"bps_code": "string", "parent_code": "string"})
    frame = frame.assign(parent_code=frame["parent_code"].replace("", pd.NA))
    con.register("new_areas", frame)
    con.execute("delete from areas where code in (select code from new_areas)")
    con.execute("insert into areas by name select * from new_areas")
    con.unregister("new_areas")
    con.execute(
        """
        create or replace table area_ancestors as
        with recursive chain(code, ancestor_code, depth) as (
            select code, code, 0 from areas
            union all
            select chain.code, areas.parent_code, chain.depth + 1
            from chain join areas on areas.code = chain.ancestor_code
            where areas.parent_code is not null
        )
        select code, ancestor_code, depth::tinyint as depth from chain order by ancestor_code, code
        """
    )


def read_reference(name: str) -> pd.DataFrame:
    """A reference table from data/, all columns as text (codes keep their leading zeros)."""
    return pd.read_csv(DATA_DIR / name, dtype=str, keep_default_na=False)


def load_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Age groups, education levels and the census timeline, from data/."""
    age_groups = read_reference("age_groups.csv")
    con.executemany(
        "insert into age_groups values (?, ?, ?)",
        [(row.age_group, int(row.lower), int(row.upper) if row.upper else None) for row in age_groups.itertuples()],
    )
    education = read_reference("education.csv")
    con.executemany(
        "insert into education_levels values (?, ?, ?, ?)",
        [(int(row.code), row.label_id, row.label_en, row.higher == "true") for row in education.itertuples()],
    )
    timeline = read_reference("sp2020_timeline.csv")
    con.executemany(
        "insert into timeline values (?, ?, ?, ?, ?)",
        [(row.key, row.date_start, row.date_end, row.event, row.source) for row in timeline.itertuples()],
    )


def record_dataset(
    con: duckdb.DuckDBPyConnection,
    *,
    kind: str,
    source_file: str,
    sha256: str,
    rows_read: int,
    persons_read: int | None,
    synthetic: bool,
    description_key: str,
    description_values: dict,
    dimensions: list[str] | None = None,
) -> int:
    """Record a load and return its id; its description is a catalog key and the values of its placeholders,
    so that each reader sees it in their own language (i18n.dataset_description). A population dataset
    names its `dimensions` (of sex, age, education)."""
    dataset_id = con.execute("select coalesce(max(id), 0) + 1 from datasets").fetchone()[0]
    con.execute(
        "insert into datasets values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            dataset_id,
            kind,
            source_file,
            sha256,
            rows_read,
            persons_read,
            datetime.now(),
            synthetic,
            description_key,
            json.dumps(description_values, ensure_ascii=False, sort_keys=True),
            dimensions,
        ],
    )
    return dataset_id
