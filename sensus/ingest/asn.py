"""Civil servants (ASN) completing SP Online: per day and agency (OPD), employees and those complete
(at most the employees); each agency keeps one name, short name and area throughout the file. The area
may be left out where the store holds a single kabupaten/kota."""

from __future__ import annotations

import duckdb

from sensus.ingest import checks
from sensus.ingest.readers import Source
from sensus.ingest.staging import Staged

REQUIRED = ("date", "agency_code", "agency_name", "employees", "complete")
SAME_AGENCY = """
    select first_row, 1, name,
        case when name is distinct from first_name or short_name is distinct from first_short_name
                or area_code is distinct from first_area_code
            then 'same_agency' end,
        map {'agency': code, 'row': first_in::varchar}
    from (
        select *,
            first_value(name) over agency as first_name,
            first_value(short_name) over agency as first_short_name,
            first_value(area_code) over agency as first_area_code,
            first_value(first_row) over agency as first_in
        from agency_rows
        window agency as (partition by code order by first_row)
    )
"""


def stage(con: duckdb.DuckDBPyConnection, source: Source) -> Staged:
    columns = checks.match(source, "asn")
    regencies = [code for (code,) in con.execute("select code from store.areas where level = 'regency'").fetchall()]
    required = REQUIRED if len(regencies) == 1 else (*REQUIRED, "area_code")
    missing = [problem for name in required for problem in columns.missing(name)]
    checked = checks.build(con, columns, per_row=True, problems=missing)
    short_name = "coalesce(short_name_text, agency_name_text)" if "short_name" in columns.index else "agency_name_text"
    area, parameters = (
        ("area_code_value", None) if "area_code" in columns.index else ("$regency", {"regency": regencies[0]})
    )
    con.execute(
        f"""
        create temp table agency_rows as
        select first_row, agency_code_text as code, agency_name_text as name, {short_name} as short_name,
            {area} as area_code
        from checked
    """,
        parameters,
    )
    checks.refuse_wrong_values(
        con,
        checked,
        [
            checks.at_most(checked, "complete", "employees"),
            checks.duplicates(checked, ["date", "agency_code"], "once_date_agency"),
            checks.on_field(checked, "agency_name", SAME_AGENCY),
        ],
    )
    agencies = con.execute(
        "select distinct on (code) code, name, short_name, area_code from agency_rows order by code, first_row"
    ).df()
    progress = con.execute("""
        select date_value as date, agency_code_text as agency_code, employees_value::bigint as employees,
            complete_value::bigint as complete
        from checked order by agency_code, date
    """).df()

    def load(copy: duckdb.DuckDBPyConnection, _dataset: int) -> int:
        copy.execute("delete from asn_progress")
        copy.execute("delete from agencies")
        copy.register("agency_list", agencies)
        copy.execute("insert into agencies by name select * from agency_list")
        copy.register("progress", progress)
        copy.execute("insert into asn_progress select * from progress")
        for table in ("agency_list", "progress"):
            copy.unregister(table)
        return len(progress)

    return Staged(load, checked.rows_read, None, columns.ignored)
