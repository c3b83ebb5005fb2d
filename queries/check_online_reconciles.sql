-- Data check: every village's SP Online households equal its facts, and every other area's equal the
-- sum over its child areas, day by day.
-- Grain: one row per area and day that does not reconcile (none when the check passes). No parameters.
--
-- Each level is first checked in bulk, cheaply; only a level found amiss (or not stored in order) is
-- compared again row by row, as before (village_problems, parent_problems), to name the rows.
-- Villages: the facts and the villages' rollup rows (Kemendagri village codes have 13 characters)
-- are both stored in order of village and day, so they are paired by position instead of joined.
-- The village level reconciles when every pair has the same village, day and households, and each
-- village's facts are one run of rows with the days rising, so that no village-day comes twice on
-- either side. Runs are told apart by the hash of the village code, cheaper than its text, so the
-- hashes of all villages must differ.
-- Other areas: one pass over the rollup adds each row to its parent's day and takes each parent's
-- own row away; a day reconciles when it has exactly one own row and nothing is left over.
with facts_beside_rollup as (
    select
        facts.village_code,
        hash(facts.village_code) as code_hash,
        lag(hash(facts.village_code)) over () as previous_code_hash,
        facts.date,
        lag(facts.date) over () as previous_date,
        facts.households_base,
        facts.households_submitted,
        facts.households_complete,
        own.area_code as own_code,
        own.date as own_date,
        own.households_base as own_base,
        own.households_submitted as own_submitted,
        own.households_complete as own_complete
    from online_progress as facts
    positional join (
        select
            area_code,
            date,
            households_base,
            households_submitted,
            households_complete
        from online_by_area
        where length(area_code) = 13
    ) as own
),

-- Pairs that differ or whose day is not after the one before in the same run; and the runs.
pairing as (
    select
        count(*) filter (
            where own_code is distinct from village_code
                or own_date is distinct from date
                or own_base is distinct from households_base
                or own_submitted is distinct from households_submitted
                or own_complete is distinct from households_complete
                or code_hash = previous_code_hash and date <= previous_date
        ) as pairs_amiss,
        count(*) filter (where code_hash is distinct from previous_code_hash) as runs
    from facts_beside_rollup
),

fact_codes as (
    select
        count(*) as codes,
        count(distinct hash(village_code)) as hashes
    from (select distinct village_code from online_progress)
),

villages_reconcile as (
    select
        pairing.pairs_amiss = 0
        and pairing.runs = fact_codes.codes
        and fact_codes.hashes = fact_codes.codes as holds
    from pairing, fact_codes
),

parent_ids as (
    select
        parent_code as code,
        row_number() over () as id
    from (
        select distinct parent_code
        from areas
        where parent_code is not null
    )
),

-- Each area's rollup rows count for its parent (+1), and a parent's also against itself (-1).
roles as (
    select
        areas.code as area_code,
        parent_ids.id,
        1 as sign
    from areas
    join parent_ids
        on parent_ids.code = areas.parent_code
    union all
    select
        code,
        id,
        -1
    from parent_ids
),

parent_days_amiss as (
    select
        roles.id,
        prog.date
    from online_by_area as prog
    join roles
        on roles.area_code = prog.area_code
    group by all
    having count(*) filter (where roles.sign = 1) > 0
        and (count(*) filter (where roles.sign = -1) <> 1
            or sum(roles.sign * prog.households_base) <> 0
            or sum(roles.sign * prog.households_submitted) <> 0
            or sum(roles.sign * prog.households_complete) <> 0)
),

-- Sums skip a missing count, which the row-by-row comparison does not: any sends it row by row.
parents_reconcile as (
    select
        not exists (
            select 1
            from parent_days_amiss
        )
        and not exists (
            select 1
            from online_by_area
            where date is null
                or households_base is null
                or households_submitted is null
                or households_complete is null
        ) as holds
),

-- Both levels in one place, so that the two bulk checks run side by side.
bulk_checks as (
    select
        (select holds from villages_reconcile) as villages_hold,
        (select holds from parents_reconcile) as parents_hold
),

-- Row by row, only when the villages do not reconcile in bulk.
village_facts as (
    select
        village_code as code,
        date,
        households_base as base,
        households_submitted as submitted,
        households_complete as complete
    from online_progress
    where not (select villages_hold from bulk_checks)
),

village_rollup as (
    select
        area_code,
        date,
        households_base,
        households_submitted,
        households_complete
    from online_by_area
    where not (select villages_hold from bulk_checks)
),

village_problems as (
    select
        parts.code,
        parts.date,
        own.households_base,
        parts.base as parts_base,
        own.households_complete,
        parts.complete as parts_complete
    from village_facts as parts
    left join village_rollup as own
        on own.area_code = parts.code
        and own.date = parts.date
    where own.households_base is distinct from parts.base
        or own.households_submitted is distinct from parts.submitted
        or own.households_complete is distinct from parts.complete
),

-- Row by row, only when the other areas do not reconcile in bulk.
parent_parts as (
    select
        areas.parent_code as code,
        prog.date,
        sum(prog.households_base)::bigint as base,
        sum(prog.households_submitted)::bigint as submitted,
        sum(prog.households_complete)::bigint as complete
    from areas
    join online_by_area as prog
        on prog.area_code = areas.code
    where areas.parent_code is not null
        and not (select parents_hold from bulk_checks)
    group by all
),

parent_rollup as (
    select
        area_code,
        date,
        households_base,
        households_submitted,
        households_complete
    from online_by_area
    where not (select parents_hold from bulk_checks)
),

parent_problems as (
    select
        parts.code,
        parts.date,
        own.households_base,
        parts.base as parts_base,
        own.households_complete,
        parts.complete as parts_complete
    from parent_parts as parts
    left join parent_rollup as own
        on own.area_code = parts.code
        and own.date = parts.date
    where own.households_base is distinct from parts.base
        or own.households_submitted is distinct from parts.submitted
        or own.households_complete is distinct from parts.complete
)

select
    code,
    date,
    households_base,
    parts_base,
    households_complete,
    parts_complete
from village_problems
union all
select
    code,
    date,
    households_base,
    parts_base,
    households_complete,
    parts_complete
from parent_problems
order by code, date
