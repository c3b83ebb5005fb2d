-- The datasets loaded into the store, newest first.
-- Grain: one row per dataset. No parameters.
select
    id,
    kind,
    source_file,
    sha256,
    rows_read,
    persons_read,
    loaded_at,
    synthetic,
    description_key,
    description_values
from datasets
order by id desc
