-- The data checks as they stood when the store was last written, in the order they ran.
-- Grain: one row per check. No parameters.
select
    name,
    problem_count,
    first_problems,
    checked_at
from check_results
order by position
