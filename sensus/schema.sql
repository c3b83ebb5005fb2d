-- The census store: reference tables, aggregate facts, and rollups derived from them.
-- Only aggregates are stored: no table holds a person record.

create table areas (
    code          varchar primary key,  -- Kemendagri code, e.g. 53.71.01.1001
    bps_code      varchar unique,       -- BPS code, e.g. 5371010011
    name          varchar not null,
    bps_name      varchar,
    level         varchar not null,     -- nation, province, regency, district, village
    parent_code   varchar,
    area_km2      double,
    area_source   varchar,
    lat           double,
    lon           double
);

-- Every area paired with itself and each of its ancestors (depth 0 = itself).
create table area_ancestors (
    code           varchar not null,
    ancestor_code  varchar not null,
    depth          tinyint not null
);

create table age_groups (
    label  varchar primary key,
    lower  smallint not null,
    upper  smallint              -- null for the open top group
);

create table education_levels (
    code      tinyint primary key,
    label_id  varchar not null,
    label_en  varchar not null,
    higher    boolean not null
);

-- Population counts, one row per dataset, period, area and cell of the dimensions the dataset has
-- (datasets.dimensions: sex, age, education); a dimension it lacks is null on every row. Areas are
-- of any level, none an ancestor of another within a dataset and period. An age interval is
-- [age_from, age_to]: single-year extracts have age_from = age_to, grouped ones keep their group.
-- In a dataset with education, education is null below age 5 (not asked).
create table population (
    dataset_id  integer not null,
    period      varchar not null,     -- "2020", "2024-1" (tahun 2024, semester 1); sorts in time order
    area_code   varchar not null,
    sex         tinyint,              -- 1 laki-laki, 2 perempuan (BPS coding)
    age_from    smallint,
    age_to      smallint,
    education   tinyint,
    persons     bigint not null
);

-- SP Online progress, cumulative to each day, per village; households from the registry base.
create table online_progress (
    date                  date not null,
    village_code          varchar not null,
    households_base       bigint not null,
    households_submitted  bigint not null,
    households_complete   bigint not null
);

create table agencies (
    code       varchar primary key,
    name       varchar not null,
    short_name varchar not null,
    area_code  varchar not null         -- the regency whose civil service it belongs to
);

-- ASN (civil servant) SP Online progress, cumulative to each day, per agency.
create table asn_progress (
    date         date not null,
    agency_code  varchar not null,
    employees    bigint not null,
    complete     bigint not null
);

-- Targets as a share; area_code null means the default for every area.
create table targets (
    indicator  varchar not null,        -- online_households, asn
    area_code  varchar,
    share      double not null,
    source     varchar
);

create table calibration (
    target     varchar not null,
    area_code  varchar,
    value      varchar not null,
    unit       varchar,
    kind       varchar,                 -- exact, proxy, assumption
    source     varchar
);

create table datasets (
    id                 integer primary key,
    kind               varchar not null,  -- sample, areas, population, online, asn
    source_file        varchar not null,
    sha256             varchar not null,
    rows_read          bigint not null,
    persons_read       bigint,
    loaded_at          timestamp not null,
    synthetic          boolean not null,
    description_key    varchar not null,  -- catalog key of its description (sensus/locales/*.toml)
    description_values varchar not null,  -- JSON object: the values of that key's placeholders
    dimensions         varchar[]          -- of a population dataset: which of sex, age, education it has
);

-- Dated events of the census (SP Online window and its extension, release dates).
create table timeline (
    key         varchar primary key,
    date_start  date not null,
    date_end    date not null,
    event       varchar not null,
    source      varchar
);
