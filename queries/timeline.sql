-- Dated events of the census.
-- Grain: one row per event. No parameters.
select
    key,
    date_start,
    date_end,
    event,
    source
from timeline
order by date_start
