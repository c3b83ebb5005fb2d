"""Whether the store file can be served: there, and every table of it readable to the last block (DuckDB
checks each block's checksum as it reads it); and, when not, what is wrong and what to run.

A missing store is built from the synthetic sample only at the default path (data/sensus.duckdb), where
the first start of the dashboard expects it; a store named elsewhere ($SENSUS_DB, --db) that is missing
is an error, so that a mistyped path never quietly serves the sample.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import duckdb

from sensus import store
from sensus.i18n import t

log = logging.getLogger(__name__)


class StoreProblem(Exception):
    """The store cannot be served; its message (a key of the catalog's [store] table) names the file and
    the command to run."""

    def __init__(self, key: str, **values: str):
        self.key, self.values = key, values
        super().__init__(self.message_in("en"))

    def message_in(self, lang: str) -> str:
        return t(f"store.{self.key}", lang, **self.values)


def is_default(path: Path) -> bool:
    return path.resolve() == store.DEFAULT_DB.resolve()


def ensure_store(path: str | os.PathLike | None = None) -> tuple[Path, bool]:
    """The store file and whether it was built just now: from the sample when missing at the default path.
    Raises StoreProblem when it is missing elsewhere."""
    target = store.db_path(path)
    if target.exists():
        return target, False
    if not is_default(target):
        raise StoreProblem("missing", path=str(target))
    from sensus.sample import build_sample  # the sample's generator only when it is needed

    log.warning("no store at %s: building the synthetic sample there", target)
    build_sample(target)
    return target, True


def verify(snapshot: store.Snapshot) -> None:
    """Read every table of the store through, as a query would; raises StoreProblem naming the file and
    what DuckDB found when it is not a DuckDB file, cut short or damaged."""
    path = snapshot.key[0]
    try:
        with snapshot.con.cursor() as con:
            tables = con.execute("select table_name from duckdb_tables() where database_name = 'store'").fetchall()
            if not tables:
                raise StoreProblem("empty", path=path)
            for (table,) in tables:
                # The hash of each whole row: every column of every row group is read.
                con.execute(f'select sum(hash(row)) from store."{table}" as row').fetchall()
    except duckdb.Error as error:
        raise damaged(path, error) from error


def opened(path: Path, open_snapshot: Callable[[Path], store.Snapshot] = store.snapshot) -> store.Snapshot:
    """A snapshot of the store file at `path` (store.snapshot, or a shared one such as store.Latest's);
    raises StoreProblem when the file is missing or not a DuckDB file."""
    if not path.exists():
        raise StoreProblem("missing", path=str(path))
    try:
        return open_snapshot(path)
    except duckdb.Error as error:
        raise damaged(str(path), error) from error


def open_verified(path: str | os.PathLike | None = None) -> store.Snapshot:
    """A snapshot of the store file, read through first (verify)."""
    snapshot = opened(store.db_path(path))
    verify(snapshot)
    return snapshot


def damaged(path: str, error: duckdb.Error) -> StoreProblem:
    detail = str(error).strip().splitlines()[0]
    log.error("store %s cannot be read: %s", path, detail)
    return StoreProblem("damaged", path=path, detail=detail)
