"""SP Online progress: per day and kelurahan/desa, households in the base, submitted and complete,
each at most the one before; one row per day and village."""

from __future__ import annotations

import duckdb

from sensus.ingest import checks
from sensus.ingest.readers import Source
from sensus.ingest.staging import Staged, replacing_rows


def stage(con: duckdb.DuckDBPyConnection, source: Source) -> Staged:
    columns = checks.match(source, "online")
    missing = [problem for name in columns.fields for problem in columns.missing(name)]
    checked = checks.build(con, columns, per_row=True, problems=missing)
    checks.refuse_wrong_values(
        con,
        checked,
        [
            checks.at_most(checked, "households_complete", "households_submitted"),
            checks.at_most(checked, "households_submitted", "households_base"),
            checks.duplicates(checked, ["date", "area_code"], "once_date_village"),
        ],
    )
    progress = con.execute("""
        select date_value as date, area_code_value as village_code,
            households_base_value::bigint as households_base,
            households_submitted_value::bigint as households_submitted,
            households_complete_value::bigint as households_complete
        from checked order by village_code, date
    """).df()
    return Staged(replacing_rows("online_progress", progress), checked.rows_read, None, columns.ignored)
