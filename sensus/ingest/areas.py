"""The area list: new areas and updates of known ones, each under a parent of the level above, known
to the store or given in the same file; a BPS code belongs to one area. Columns left out keep the
stored values of an area that is updated."""

from __future__ import annotations

import duckdb

from sensus import store
from sensus.ingest import checks
from sensus.ingest.readers import Source
from sensus.ingest.staging import Staged

REQUIRED = ("level", "code", "name", "parent_code")
BPS_CODE_TAKEN = """
    select first_row, rows, bps_code_text, 'bps_code_taken', map {'area': areas.code}
    from checked
    join store.areas as areas on areas.bps_code = checked.bps_code_text and areas.code <> checked.code_text
"""
PARENT = """
    with known as (
        select code, level from store.areas where code not in (select code_text from checked)
        union all
        select code_text, level_value from checked
    )
    select first_row, rows, parent_code_text,
        case
            when known.code is null then 'parent_unknown'
            when known.level is distinct from level_above.above
                then if(level_above.above is null, 'parent_top', 'parent_level')
        end,
        map {'above': level_above.above, 'level': checked.level_value, 'parent_level': known.level}
    from checked
    left join known on known.code = checked.parent_code_text
    left join level_above on level_above.level = checked.level_value
    where parent_code_text is not null and level_problem is null
"""


def stage(con: duckdb.DuckDBPyConnection, source: Source) -> Staged:
    columns = checks.match(source, "areas")
    missing = [problem for name in REQUIRED for problem in columns.missing(name)]
    checked = checks.build(con, columns, per_row=True, problems=missing)
    found = [checks.duplicates(checked, ["code"], "once_code")]
    if "bps_code" in columns.index:
        found += [
            checks.duplicates(checked, ["bps_code"], "once_bps_code"),
            checks.on_field(checked, "bps_code", BPS_CODE_TAKEN),
        ]
    found.append(checks.on_field(checked, "parent_code", PARENT))
    checks.refuse_wrong_values(con, checked, found)

    def given(name: str) -> str:
        """The file's value where it has the column, else the stored one (for an update)."""
        return f"checked.{name}_value" if name in columns.index else f"areas.{name}"

    frame = con.execute(f"""
        select
            checked.code_value as code,
            {given("bps_code")} as bps_code,
            checked.name_value as name,
            {given("bps_name")} as bps_name,
            checked.level_value as level,
            checked.parent_code_value as parent_code,
            {given("area_km2")} as area_km2,
            {given("area_source")} as area_source,
            {given("lat")} as lat,
            {given("lon")} as lon
        from checked
        left join store.areas as areas on areas.code = checked.code_text
        order by checked.first_row
    """).df()

    def load(copy: duckdb.DuckDBPyConnection, _dataset: int) -> int:
        store.load_areas(copy, frame)
        return len(frame)

    return Staged(load, checked.rows_read, None, columns.ignored)
