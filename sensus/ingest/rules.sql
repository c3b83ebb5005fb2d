-- The rule of each field of an input file, as DuckDB macros (registered by sensus.ingest.rules).
--
-- A cell's text t (trimmed, null when empty) is read by <rule>_value(t); <rule>_problem(t, v) gives,
-- for its value v, the key of what was expected (under ingest.expected in the message catalog), or
-- null when the value is right. field_problem handles empty and formula cells before any rule, and
-- rules that refuse totals rows ask totals_problem first. Vocabularies are the temp tables *_terms.

-- ------------------------------------------------------------------ cell text
create or replace macro trimmed_text(c) as nullif(trim(c, ' ' || chr(9) || chr(13) || chr(10) || chr(160)), '');
-- Numbers that are not whole get a decimal comma (as in Indonesian) so that they read back unambiguously.
create or replace macro number_text(c) as case
    when c = trunc(c) and abs(c) < 1e15 then trunc(c)::bigint::varchar
    else replace(c::varchar, '.', ',')
end;
create or replace macro typed_text(c) as c::varchar;

-- ------------------------------------------------------------------ numbers and dates
create or replace macro number_value(t) as case
    when regexp_full_match(t, '[+-]?[0-9]+') then try_cast(t as double)
    -- Indonesian: dots group thousands, a comma marks decimals (442.758; 27,95)
    when regexp_full_match(t, '[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+(,[0-9]+)?')
        then try_cast(replace(replace(t, '.', ''), ',', '.') as double)
    when regexp_full_match(t, '[+-]?[0-9]*,[0-9]+') then try_cast(replace(t, ',', '.') as double)
    -- English: commas group thousands (1,234,567), a dot marks decimals (0.125)
    when regexp_full_match(t, '[+-]?[1-9][0-9]{0,2}(,[0-9]{3}){2,}(\.[0-9]+)?')
        then try_cast(replace(t, ',', '') as double)
    when regexp_full_match(t, '[+-]?[0-9]*\.[0-9]+') then try_cast(t as double)
end;
create or replace macro is_formula(t) as
    regexp_matches(t, '^\s*[=+\-@]') and number_value(t) is null and t <> '-';

-- ------------------------------------------------------------------ every field
create or replace macro field_problem(t, required, rule_problem) as case
    when t is null then if(required, 'empty', null)
    when is_formula(t) then 'formula'
    else rule_problem
end;
create or replace macro totals_problem(t) as case when lower(t) in (select term from totals_terms) then 'totals' end;

-- ------------------------------------------------------------------ areas
create or replace macro area_level(t) as (select level from area_terms where term = lower(t));
create or replace macro village_value(t) as
    (select code from area_terms where term = lower(t) and level = 'village' and not is_name);
create or replace macro village_problem(t, v) as coalesce(totals_problem(t), case
    when v is not null then null
    when area_level(t) is null then 'village'
    when area_level(t) <> 'village' then 'totals'
    else 'village_name'
end);
create or replace macro area_value(t) as (select code from area_terms where term = lower(t) and not is_name);
create or replace macro area_problem(t, v) as case when v is null then 'area' end;
-- An area of any level, by code: a population table may be by kelurahan, kecamatan, kab/kota or province.
create or replace macro place_value(t) as area_value(t);
create or replace macro place_problem(t, v) as coalesce(totals_problem(t), case
    when v is not null then null
    when area_level(t) is null then 'place'
    else 'place_name'
end);

-- ------------------------------------------------------------------ persons
create or replace macro sex_value(t) as (select sex from sex_terms where term = lower(t));
create or replace macro sex_problem(t, v) as coalesce(totals_problem(t), case when v is null then 'sex' end);

create or replace macro max_age() as 120;
create or replace macro single_age(t) as try_cast(case when regexp_full_match(t, '[0-9]{1,3}') then t end as smallint);
create or replace macro age_value(t) as
    struct_pack(age_from := single_age(t), age_to := single_age(t), part_from := single_age(t), part_to := single_age(t));
create or replace macro age_problem(t, v) as
    coalesce(totals_problem(t), case when v.age_from is null or v.age_from > max_age() then 'age' end);

-- "75 tahun ke atas", "75 +", "05 - 09" read as 75+ and 5-9.
create or replace macro age_label(t) as regexp_replace(
    replace(replace(replace(regexp_replace(lower(t), '\s+|tahun|thn', '', 'g'), 'keatas', '+'), '–', '-'),
            '—', '-'),
    '(^|-)0+([0-9])', '\1\2', 'g');
-- A group from the top group's lower bound up ("75-79", "80-84", "85+") is read into the top group (75+);
-- part_from and part_to keep the ages the group covers as published: groups read into one must not overlap.
create or replace macro age_group_bounds(t) as struct_pack(
    part_from := try_cast(regexp_extract(age_label(t), '^([0-9]{1,3})(-[0-9]{1,3}|\+)$', 1) as smallint),
    part_to := coalesce(try_cast(regexp_extract(age_label(t), '^[0-9]{1,3}-([0-9]{1,3})$', 1) as smallint), max_age()));
create or replace macro age_group_value(t) as coalesce(
    (select struct_pack(age_from := age_from, age_to := age_to, part_from := age_from,
                        part_to := coalesce(age_to, max_age()))
     from age_group_terms where term = age_label(t)),
    (select struct_pack(age_from := age_from, age_to := age_to, part_from := bounds.part_from,
                        part_to := bounds.part_to)
     from age_group_terms, (select age_group_bounds(t) as bounds)
     where age_to is null and bounds.part_from >= age_from and bounds.part_to >= bounds.part_from));
create or replace macro age_group_problem(t, v) as
    coalesce(totals_problem(t), case when v.age_from is null then 'age_group' end);

-- Spacing around / & . , does not matter ("DIPLOMA I & II", "S. MUDA").
create or replace macro education_term(t) as
    lower(regexp_replace(regexp_replace(trim(t), '\s*([/&.,])\s*', '\1', 'g'), '\s+', ' ', 'g'));
create or replace macro education_value(t) as (select code from education_terms where term = education_term(t));
-- Null for a term naming all of its level, else which of its finer levels.
create or replace macro education_part(t) as (select part from education_terms where term = education_term(t));
create or replace macro education_problem(t, v) as
    coalesce(totals_problem(t), case when v is null then 'education' end);

-- BPS tables write a dash for nil.
create or replace macro count_value(t) as case when t = '-' then 0 else number_value(t) end;
create or replace macro count_problem(t, v) as case
    when v is null then 'count'
    when v < 0 then 'count_negative'
    when v <> trunc(v) then 'count_fraction'
end;

create or replace macro weight_value(t) as number_value(t);
create or replace macro weight_problem(t, v) as case when v is null or v < 0 then 'weight' end;

-- ------------------------------------------------------------------ progress and agencies
create or replace macro date_value(t) as coalesce(
    try_strptime(t, '%Y-%m-%d'), try_strptime(t, '%d/%m/%Y'), try_strptime(t, '%d-%m-%Y'),
    try_strptime(t, '%Y-%m-%d %H:%M:%S'))::date;
create or replace macro date_problem(t, v) as case when v is null then 'date' end;

create or replace macro text_value(t) as t;
-- Names and other text go to pages, charts and downloads: a control character (a line break, a vertical tab, ...)
-- in a cell is refused; a tab is not.
create or replace macro text_problem(t, v) as
    case when regexp_matches(v, '[\x00-\x08\x0A-\x1F\x7F\x{85}\x{2028}\x{2029}]') then 'control_characters' end;

-- ------------------------------------------------------------------ the area list
create or replace macro kemendagri_code_value(t) as t;
create or replace macro kemendagri_code_problem(t, v) as
    case when not regexp_full_match(v, '[0-9]+(\.[0-9]+)*') then 'kemendagri_code' end;
create or replace macro bps_code_value(t) as t;
create or replace macro bps_code_problem(t, v) as case when not regexp_full_match(v, '[0-9]+') then 'bps_code' end;
create or replace macro level_value(t) as (select level from level_terms where term = lower(t));
create or replace macro level_problem(t, v) as case when v is null then 'level' end;

create or replace macro area_km2_value(t) as number_value(t);
create or replace macro area_km2_problem(t, v) as case when v is null or v < 0 or v > 1e7 then 'area_km2' end;
create or replace macro latitude_value(t) as number_value(t);
create or replace macro latitude_problem(t, v) as case when v is null or v < -90 or v > 90 then 'latitude' end;
create or replace macro longitude_value(t) as number_value(t);
create or replace macro longitude_problem(t, v) as case when v is null or v < -180 or v > 180 then 'longitude' end;
