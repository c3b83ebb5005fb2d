-- Data check: 0 <= complete <= submitted <= base for SP Online, 0 <= complete <= employees for ASN,
-- so every completion rate lies within 0..1; cumulative counts never fall from one day to the next.
-- Grain: one row per offending record (none when the check passes). No parameters.
-- SP Online's rows (8.8 million at nation scale) are stored in order of village and day, so each
-- row's previous day is the row read just before it: no sort is needed. That order is verified on
-- the way (every row after the one before it, no village and day twice); should it not hold, each
-- village's days are sorted to find its falls, as before.
with online_beside_previous as (
    select
        village_code as unit,
        date,
        households_complete as complete,
        households_submitted as submitted,
        households_base as base,
        lag(village_code) over () as previous_unit,
        lag(date) over () as previous_date,
        lag(households_complete) over () as previous_complete
    from online_progress
),

-- The rows out of bounds, below the row before of the same village, or not after the row before.
online_of_note as materialized (
    select
        unit,
        date,
        complete,
        submitted,
        base,
        previous_unit = unit and complete < previous_complete as falls,
        previous_unit > unit or previous_unit = unit and previous_date >= date as out_of_order
    from online_beside_previous
    where not (0 <= complete and complete <= submitted and submitted <= base)
        or previous_unit = unit and complete < previous_complete
        or previous_unit > unit
        or previous_unit = unit and previous_date >= date
),

stored_in_order as (
    select not exists (
        select 1
        from online_of_note
        where out_of_order
    ) as holds
),

online as (
    select
        'online_progress' as source,
        unit,
        date,
        complete,
        submitted,
        base,
        falls
    from online_of_note
    where (select holds from stored_in_order)
    union all
    select
        'online_progress',
        village_code,
        date,
        households_complete,
        households_submitted,
        households_base,
        households_complete < lag(households_complete) over (partition by village_code order by date)
    from online_progress
    where not (select holds from stored_in_order)
),

asn as (
    select
        'asn_progress' as source,
        agency_code as unit,
        date,
        complete,
        complete as submitted,
        employees as base,
        complete < lag(complete) over (partition by agency_code order by date) as falls
    from asn_progress
)

select
    source,
    unit,
    date,
    complete,
    submitted,
    base
from (select * from online union all select * from asn)
where not (0 <= complete and complete <= submitted and submitted <= base)
    or falls
order by source, unit, date
