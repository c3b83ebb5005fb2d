-- Data check: 0 <= complete <= submitted <= base for SP Online, 0 <= complete <= employees for ASN,
-- so every completion rate lies within 0..1; cumulative counts never fall from one day to the next.
-- Grain: one row per offending record (none when the check passes). No parameters.
with online as (
    select
        'online_progress' as source,
        village_code as unit,
        date,
        households_complete as complete,
        households_submitted as submitted,
        households_base as base,
        households_complete
            < lag(households_complete) over (partition by village_code order by date) as falls
    from online_progress
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
