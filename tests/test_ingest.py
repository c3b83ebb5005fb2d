"""Ingest of real extracts: round trips of the sample through CSV, Parquet and XLSX, person-level
microdata, Indonesian files, each kind of data, and clear refusals that leave the store as it was."""

from __future__ import annotations

import shutil

import duckdb
import openpyxl
import pandas as pd
import pytest
from conftest import ingest_refused

from queries import run
from sensus import area_list, store
from sensus.cli import main
from sensus.ingest import IngestError, ingest_file, readers
from sensus.ingest import population as population_kind
from sensus.store import PROJECT_DIR

EXAMPLES = PROJECT_DIR / "tests" / "inputs" / "examples"
CUBE = (
    "select area_code, sex, age_from, age_to, education, persons from population "
    "order by area_code, sex, age_from, education"
)


def table(db, sql: str) -> pd.DataFrame:
    with store.connect(db) as con:
        return con.execute(sql).df()


def population(db) -> list[tuple]:
    with store.connect(db) as con:
        return con.execute(CUBE).fetchall()


def write(path, text: str):
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.fixture
def sample_copy(sample_db, tmp_path):
    """A writable copy of the calibrated sample store."""
    copy = tmp_path / "store" / "sensus.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(sample_db, copy)
    return copy


def export(db, sql: str, path) -> None:
    """Write the result of `sql` on the store to a CSV (semicolon), Parquet or XLSX file."""
    with store.connect(db) as con:
        if path.suffix == ".xlsx":
            frame = con.execute(sql).df()
            workbook = openpyxl.Workbook(write_only=True)
            sheet = workbook.create_sheet("data")
            sheet.append(list(frame.columns))
            for row in frame.itertuples(index=False):
                sheet.append([None if pd.isna(value) else value for value in row])
            workbook.save(path)
        else:
            options = "(format csv, delimiter ';')" if path.suffix == ".csv" else "(format parquet)"
            con.execute(f"copy ({sql}) to '{path}' {options}")


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_the_sample_cube_survives_a_round_trip_as_a_table_of_counts(sample_db, sample_copy, tmp_path, suffix):
    path = tmp_path / f"penduduk{suffix}"
    export(
        sample_db,
        "select area_code as kode_wilayah, sex as jenis_kelamin, age_from as umur, "
        "education as pendidikan, persons as jumlah from population",
        path,
    )
    cells = len(population(sample_db))
    report = ingest_file("population", path, db=sample_copy)
    assert (report.rows_read, report.persons_read, report.persons_stored, report.rows_stored) == (
        cells,
        442_758,
        442_758,
        cells,
    )
    assert population(sample_copy) == population(sample_db)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_person_rows_are_summed_into_the_same_cube(sample_db, sample_copy, tmp_path, suffix):
    """Kota Lama's persons as microdata: BPS codes, L/P, education labels, and in Parquet a weight
    of 2 for each pair of persons in a cell (one row of weight 1 for an odd one out)."""
    weighted = suffix == ".parquet"
    persons = (
        """
        select area_code, sex, age_from, education, 2 as bobot from population, range(persons // 2)
        union all
        select area_code, sex, age_from, education, 1 from population where persons % 2 = 1
    """
        if weighted
        else "select area_code, sex, age_from, education from population, range(persons)"
    )
    path = tmp_path / f"mikro{suffix}"
    export(
        sample_db,
        f"""
        select areas.bps_code as kode_wilayah, if(sex = 1, 'L', 'P') as jenis_kelamin, age_from as umur,
            education_levels.label_id as pendidikan{", bobot" if weighted else ""}
        from ({persons}) as persons
        join areas on areas.code = persons.area_code
        left join education_levels on education_levels.code = persons.education
        where area_code like '53.71.06.%'
    """,
        path,
    )
    kota_lama = CUBE.replace("order by", "where area_code like '53.71.06.%' order by")
    expected = table(sample_db, kota_lama)
    report = ingest_file("population", path, db=sample_copy)
    assert report.persons_read == report.persons_stored == expected["persons"].sum()
    rows = (expected["persons"] // 2 + expected["persons"] % 2).sum() if weighted else expected["persons"].sum()
    assert report.rows_read == rows
    pd.testing.assert_frame_equal(table(sample_copy, CUBE), expected)


def test_fractional_weights_are_rounded_per_cell_keeping_the_total(tiny_db, tmp_path):
    """Cell A: three persons of weight 0,5 (1,5); cell B: one of 1,5; total 3. Each cell keeps its
    whole part (1 and 1); the one unit left goes to the largest remainder, a tie broken by the
    cell's order, so A (village ...1001) gets it: 2 and 1."""
    path = write(
        tmp_path / "mikro.csv",
        "kode_wilayah;jenis_kelamin;umur;pendidikan;bobot\n"
        + "99.01.01.1001;1;30;7;0,5\n" * 3
        + "99.01.01.1002;2;40;5;1,5\n",
    )
    report = ingest_file("population", path, db=tiny_db)
    assert (report.rows_read, report.persons_read, report.persons_stored) == (4, 3, 3)
    assert population(tiny_db) == [("99.01.01.1001", 1, 30, 30, 7, 2), ("99.01.01.1002", 2, 40, 40, 5, 1)]


def test_persons_lost_or_added_by_a_faulty_rounding_are_refused(tiny_db, tmp_path, monkeypatch):
    """The same file as above: exactly 3 persons. Cells floored instead of rounded by largest remainder
    would store 1 + 1 = 2; cells rounded half up, 2 + 2 = 4. Either way the load is refused."""
    path = write(
        tmp_path / "mikro.csv",
        "kode_wilayah;jenis_kelamin;umur;pendidikan;bobot\n"
        + "99.01.01.1001;1;30;7;0,5\n" * 3
        + "99.01.01.1002;2;40;5;1,5\n",
    )
    for rounding, stored in (("floor", 2), ("round", 4)):
        monkeypatch.setattr(
            population_kind,
            "round_cells",
            lambda con, rounding=rounding: con.execute(
                f"create temp table cells as select * replace ({rounding}(persons)::bigint as persons) from exact"
            ),
        )
        message = ingest_refused("population", path, tiny_db)
        assert message.splitlines() == [
            "mikro.csv was not loaded (1 problem); the store is unchanged:",
            f"  mikro.csv: was read as 3 persons but {stored} would be stored",
        ]


def test_online_asn_and_areas_survive_a_round_trip(sample_db, sample_copy, tmp_path):
    online = tmp_path / "sp_online.csv"
    export(
        sample_db,
        "select strftime(date, '%d/%m/%Y') as tanggal, areas.bps_code as kode_wilayah, "
        "households_base as kk_basis, households_submitted as kk_terkirim, "
        "households_complete as kk_selesai "
        "from online_progress join areas on areas.code = online_progress.village_code",
        online,
    )
    asn = tmp_path / "asn.parquet"
    export(
        sample_db,
        "select date as tanggal, agency_code as kode_opd, agencies.name as nama_opd, "
        "short_name as singkatan, employees as jumlah_asn, complete as asn_selesai "
        "from asn_progress join agencies on agencies.code = asn_progress.agency_code",
        asn,
    )
    areas = tmp_path / "wilayah.xlsx"
    export(
        sample_db,
        "select level as tingkat, code as kode, bps_code as kode_bps, name as nama, "
        "bps_name as nama_bps, parent_code as kode_induk, area_km2 as luas_km2, "
        "area_source as sumber_luas, lat as lintang, lon as bujur from areas",
        areas,
    )
    for kind, path in (("online", online), ("asn", asn), ("areas", areas)):
        ingest_file(kind, path, db=sample_copy)
    for sql in (
        "select * from online_progress order by village_code, date",
        "select * from asn_progress order by agency_code, date",
        "select * from agencies order by code",
        "select * from areas order by code",
        "select * from area_ancestors order by code, ancestor_code",
        "select * from online_by_area order by area_code, date",
    ):
        pd.testing.assert_frame_equal(table(sample_copy, sql), table(sample_db, sql))
    with store.connect(sample_copy) as con:
        current = run(con, "current_datasets")[["fact", "kind", "source_file", "synthetic"]]
    assert current.values.tolist() == [
        ["areas", "areas", "wilayah.xlsx", False],
        ["asn", "asn", "asn.parquet", False],
        ["online", "online", "sp_online.csv", False],
        ["population", "sample", "sensus.sample (seed 2020, scale 1)", True],
    ]


# ---------------------------------------------------------------- what real files look like


@pytest.mark.parametrize(
    "kind, name",
    [
        ("population", "penduduk.csv"),
        ("population", "penduduk_mikro.csv"),
        ("online", "sp_online.csv"),
        ("asn", "asn.csv"),
        ("areas", "wilayah.csv"),
    ],
)
def test_the_readme_examples_load(sample_copy, kind, name):
    assert "```\n" + (EXAMPLES / name).read_text() + "```" in (PROJECT_DIR / "README.md").read_text()
    report = ingest_file(kind, EXAMPLES / name, db=sample_copy)
    with store.connect(sample_copy) as con:
        assert run(con, "current_datasets").set_index("fact").loc[kind, "source_file"] == name
    assert report.rows_read == len((EXAMPLES / name).read_text().splitlines()) - 1


def test_the_readme_examples_of_the_population_hold_these_cells(sample_copy):
    ingest_file("population", EXAMPLES / "penduduk.csv", db=sample_copy)
    assert population(sample_copy) == [
        ("53.71.06.1001", 1, 0, 4, None, 412),
        ("53.71.06.1001", 1, 20, 24, 5, 1035),
        ("53.71.06.1001", 2, 0, 4, None, 398),
        ("53.71.06.1001", 2, 75, None, 2, 57),
    ]
    # 12,5 + 12,5 + 10: whole parts 12, 12, 10; the unit left goes to the first of the two halves.
    report = ingest_file("population", EXAMPLES / "penduduk_mikro.csv", db=sample_copy)
    assert (report.persons_read, report.persons_stored) == (35, 35)
    assert population(sample_copy) == [
        ("53.71.06.1001", 1, 34, 34, 7, 13),
        ("53.71.06.1001", 2, 3, 3, None, 12),
        ("53.71.06.1002", 2, 61, 61, 3, 10),
    ]


def test_a_semicolon_csv_with_indonesian_headers_and_numbers(tiny_db, tmp_path):
    path = write(
        tmp_path / "Penduduk Kelurahan.csv",
        (
            "\ufeffKode Wilayah;Jenis Kelamin;Kelompok Umur;Pendidikan;Jumlah\r\n"
            "99.01.01.1001;Laki-laki;0 - 4;;1.234\r\n"
            "9901010002;P;75 ke atas;SD/sederajat;12\r\n"
            "99.01.02.1001;L;20-24;Diploma IV/S1;2.000\r\n"
            '99.01.02.1001;Perempuan;20-24;7;"1.500"\r\n'
            "99.01.02.1001;Perempuan;25-29;7;-\r\n"
            ";;;;\r\n"
        ),
    )
    report = ingest_file("population", path, db=tiny_db)
    assert population(tiny_db) == [
        ("99.01.01.1001", 1, 0, 4, None, 1234),
        ("99.01.01.1002", 2, 75, None, 3, 12),
        ("99.01.02.1001", 1, 20, 24, 7, 2000),
        ("99.01.02.1001", 2, 20, 24, 7, 1500),
    ]
    assert (report.rows_read, report.persons_read, report.persons_stored) == (5, 4746, 4746)
    with store.connect(tiny_db) as con:
        datasets = run(con, "current_datasets").set_index("fact")
    assert datasets.loc[
        "population", ["kind", "source_file", "sha256", "rows_read", "persons_read", "synthetic"]
    ].tolist() == ["population", "Penduduk Kelurahan.csv", store.sha256_of(path), 5, 4746, False]
    assert datasets.loc["online", "kind"] == "sample"


def test_numbers_in_indonesian_and_english_notation(tiny_db, tmp_path):
    counts = ["442.758", "1,234,567", "0", "27", "1.000.000"]
    path = write(
        tmp_path / "angka.csv",
        "kode_wilayah,jenis_kelamin,umur,jumlah\n"
        + "".join(f'99.01.01.1001,1,{age},"{count}"\n' for age, count in enumerate(counts)),
    )
    ingest_file("population", path, db=tiny_db)
    assert [row[-1] for row in population(tiny_db)] == [442_758, 1_234_567, 27, 1_000_000]


def test_rows_are_numbered_as_the_user_sees_them_after_blank_lines(tiny_db, tmp_path):
    path = write(
        tmp_path / "kosong.csv",
        "kode_wilayah;jenis_kelamin;umur;jumlah\r\n99.01.01.1001;1;30;12\r\n"
        "\r\n\r\n99.01.01.1001;7;31;12\r\n\r\n99.01.01.1001;9;32;12\r\n",
    )
    lines = ingest_refused("population", path, tiny_db).splitlines()[1:]
    assert [line.split(": got")[0] for line in lines] == [
        "  kosong.csv, row 5, column jenis_kelamin",
        "  kosong.csv, row 7, column jenis_kelamin",
    ]


def test_a_workbook_sheet_is_chosen_by_name(tiny_db, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Catatan"
    workbook.active.append(["Sumber: BPS Kota Uji"])
    workbook.active.append(["Tahun 2020"])
    data = workbook.create_sheet("Penduduk")
    data.append([])
    data.append(["kode_wilayah", "jenis_kelamin", "umur", "pendidikan", "jumlah", "keterangan"])
    data.append(["99.01.01.1001", "Laki-laki", 30, "S1", 12.0, "baik"])
    data.append([9901020001, "Perempuan", 3, None, 7, None])
    path = tmp_path / "tabel.xlsx"
    workbook.save(path)
    report = ingest_file("population", path, db=tiny_db, sheet="Penduduk")
    assert population(tiny_db) == [("99.01.01.1001", 1, 30, 30, 7, 12), ("99.01.02.1001", 2, 3, 3, None, 7)]
    assert report.ignored_columns == ("keterangan",)
    first_sheet = ingest_refused("population", path, tiny_db)
    assert "tabel.xlsx, row 1: has no area column" in first_sheet and '"Sumber: BPS Kota Uji"' in first_sheet
    assert 'tabel.xlsx: has no sheet named "Data"; its sheets are "Catatan", "Penduduk"' in ingest_refused(
        "population", path, tiny_db, sheet="Data"
    )


PUBLISHED_SHEET = [  # a title, the header, rows with two empty ones between them and one cell too many, a note
    ["Penduduk Kota Uji 2020"],
    ["kode_wilayah", "jenis_kelamin", "jumlah"],
    ["99.01.01.1001", "Laki-laki", 12],
    ["99.01.01.1002", None, 7],
    [],
    [],
    ["99.01.02.1001", "Perempuan", 3.5, "lebih"],
    ["Sumber: BPS Kota Uji"],
]
PUBLISHED_SOURCE = [  # the rows read from it: the sheet's row number, then the three columns of the header
    (3, "99.01.01.1001", "Laki-laki", "12"),
    (4, "99.01.01.1002", None, "7"),
    (5, None, None, None),
    (6, None, None, None),
    (7, "99.01.02.1001", "Perempuan", "3,5"),
]


def published_workbook(path, padded: bool):
    """PUBLISHED_SHEET as a workbook; `padded`, each row also has an empty cell with a style in the sheet's last
    column, and below the table thousands of rows hold nothing but one more such cell."""
    workbook = openpyxl.Workbook(write_only=not padded)
    sheet = workbook.active if padded else workbook.create_sheet("Penduduk")
    for cells in PUBLISHED_SHEET:
        sheet.append(cells)
    if padded:
        for row in [*range(1, len(PUBLISHED_SHEET) + 1), 60_000]:
            sheet.cell(row, 16_384).font = openpyxl.styles.Font(bold=True)
    workbook.save(path)
    return path


@pytest.mark.parametrize("padded", [False, True], ids=["compact", "padded"])
@pytest.mark.parametrize("rows_per_chunk", [None, 2, 1])
def test_a_workbook_reads_the_same_in_chunks_and_with_empty_cells_and_rows_around_it(
    tmp_path, monkeypatch, padded, rows_per_chunk
):
    if rows_per_chunk:
        monkeypatch.setattr(readers, "XLSX_CHUNK_CELLS", rows_per_chunk * 4)  # _row and three columns
    monkeypatch.setenv("SENSUS_MAX_XLSX_CELLS", str(1 + 3 + 3 + 2 + 4 + 1))  # the filled cells of PUBLISHED_SHEET
    path = published_workbook(tmp_path / "tabel.xlsx", padded)
    with duckdb.connect() as con:
        source = readers.read(con, path, path.name, progress=lambda message: None)
        assert con.execute("select * from source order by _row").fetchall() == PUBLISHED_SOURCE
    assert (source.headers, source.title) == (["kode_wilayah", "jenis_kelamin", "jumlah"], "Penduduk Kota Uji 2020")


def test_areas_are_added_with_their_parents_and_updated(tiny_db, tmp_path):
    path = write(
        tmp_path / "wilayah.csv",
        (
            "tingkat;kode;kode_bps;nama;kode_induk;luas_km2\n"
            "kelurahan;99.01.03.1001;9901030001;Empat;99.01.03;1,5\n"
            "kecamatan;99.01.03;9901030;Utara;99.01;2,5\n"
            "kelurahan;99.01.01.1001;9901010001;Satu Baru;99.01.01;1\n"
        ),
    )
    report = ingest_file("areas", path, db=tiny_db)
    assert report.rows_stored == 3
    with store.connect(tiny_db) as con:
        assert run(con, "child_areas", area="99.01.03")[["code", "name"]].values.tolist() == [
            ["99.01.03.1001", "Empat"]
        ]
        assert con.execute(
            "select ancestor_code from area_ancestors where code = '99.01.03.1001' order by depth"
        ).fetchall() == [("99.01.03.1001",), ("99.01.03",), ("99.01",)]
        assert con.execute(
            "select name, bps_name, area_km2, lat from areas where code = '99.01.01.1001'"
        ).fetchone() == ("Satu Baru", "SATU", 1.0, -10.0)
        assert run(con, "current_datasets").set_index("fact").loc["areas", "source_file"] == "wilayah.csv"


# ---------------------------------------------------------------- refusals, one by one

HEADER = "kode_wilayah;jenis_kelamin;umur;pendidikan;jumlah\n"
GOOD_ROW = "99.01.01.1001;1;30;7;12\n"


def refusal_lines(tiny_db, tmp_path, content: bytes | str, name: str = "data.csv") -> list[str]:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    message = ingest_refused("population", path, tiny_db)
    return message.splitlines()


def test_a_missing_area_column(tiny_db, tmp_path):
    assert refusal_lines(tiny_db, tmp_path, "jenis_kelamin;umur;jumlah\n1;30;12\n") == [
        "data.csv was not loaded (1 problem); the store is unchanged:",
        "  data.csv, row 1: has no area column (a code such as kode_wilayah or kode_kecamatan, or a name such as "
        'nama_kelurahan or nama_kecamatan); the header has "jenis_kelamin", "umur", "jumlah"; for a table of one '
        "area, name it with --area, such as --area 99.01",
    ]


def test_an_unknown_area_code(tiny_db, tmp_path):
    assert refusal_lines(tiny_db, tmp_path, HEADER + GOOD_ROW + "99.01.07.1001;1;31;7;12\n")[1] == (
        '  data.csv, row 3, column kode_wilayah: got "99.01.07.1001", expected an area code known to the store, '
        "Kemendagri (32.73.05 or 32.73.05.1006) or BPS (3273180)"
    )


def test_a_negative_count(tiny_db, tmp_path):
    assert (
        refusal_lines(tiny_db, tmp_path, HEADER + GOOD_ROW + "99.01.01.1001;2;30;7;-3\n")[1]
        == '  data.csv, row 3, column jumlah: got "-3", expected a count of 0 or more'
    )


def test_a_count_that_is_not_a_number(tiny_db, tmp_path):
    assert (
        refusal_lines(tiny_db, tmp_path, HEADER + GOOD_ROW + "99.01.01.1001;2;30;7;dua belas\n")[1]
        == '  data.csv, row 3, column jumlah: got "dua belas", expected a whole number, such as 1234 or 1.234'
    )


def test_an_age_of_150(tiny_db, tmp_path):
    assert (
        refusal_lines(tiny_db, tmp_path, HEADER + GOOD_ROW + "99.01.01.1001;2;150;7;1\n")[1]
        == '  data.csv, row 3, column umur: got "150", expected a whole number of years from 0 to 120'
    )


def test_an_unknown_sex_code(tiny_db, tmp_path):
    assert (
        refusal_lines(tiny_db, tmp_path, HEADER + GOOD_ROW + "99.01.01.1001;X;30;7;1\n")[1]
        == '  data.csv, row 3, column jenis_kelamin: got "X", '
        "expected 1/2, L/P, Laki-laki/Perempuan, M/F or Male/Female"
    )


def test_an_empty_file(tiny_db, tmp_path):
    assert (
        refusal_lines(tiny_db, tmp_path, b"")[1]
        == "  data.csv: is empty (0 bytes); expected a table with a header row and data rows"
    )


def test_utf16_text(tiny_db, tmp_path):
    assert (
        refusal_lines(tiny_db, tmp_path, (HEADER + GOOD_ROW).encode("utf-16"))[1]
        == "  data.csv: is UTF-16 text; expected UTF-8: save the file as CSV UTF-8"
    )


def test_latin1_bytes(tiny_db, tmp_path):
    content = (
        HEADER.replace("\n", ";nama\n") + GOOD_ROW.replace("\n", ";Oebobo\n") + "99.01.01.1001;2;30;7;12;Sk\xf6\n"
    ).encode("latin-1")
    assert (
        refusal_lines(tiny_db, tmp_path, content)[1]
        == '  data.csv, row 3, column nama: got "Sk\\xf6", expected text in UTF-8 (save the file as CSV UTF-8)'
    )


def test_a_duplicate_header(tiny_db, tmp_path):
    assert (
        refusal_lines(tiny_db, tmp_path, "kode_wilayah;jenis_kelamin;jumlah;umur;Jumlah\n" + GOOD_ROW)[1]
        == '  data.csv, row 1, column Jumlah: got "Jumlah", expected each column name once, but columns C and E are '
        "both named jumlah"
    )


def test_a_png_named_csv(tiny_db, tmp_path):
    assert (
        refusal_lines(tiny_db, tmp_path, bytes.fromhex("89504e470d0a1a0a0000000d49484452"), "peta.csv")[1]
        == "  peta.csv: is a PNG image, not a table; expected CSV (UTF-8), XLSX or Parquet"
    )


def test_a_refusal_reads_in_indonesian(tiny_db, tmp_path):
    rows = "99.01.01.1001;X;30;7;1\n" * 1001
    path = write(tmp_path / "data.csv", HEADER + GOOD_ROW + rows + "99.01.01.1001;1;30;7;dua\n")
    with pytest.raises(IngestError) as refusal:
        ingest_file("population", path, db=tiny_db)
    assert refusal.value.message_in("id").splitlines() == [
        "data.csv tidak dimuat (2 masalah); data tersimpan tidak berubah:",
        '  data.csv, baris 3, kolom jenis_kelamin: tertulis "X", seharusnya 1/2, L/P, Laki-laki/Perempuan, M/F, '
        "atau Male/Female (juga di 1.000 baris lain)",
        '  data.csv, baris 1.004, kolom jumlah: tertulis "dua", seharusnya bilangan bulat, misalnya 1234 atau 1.234',
    ]
    assert refusal.value.message.splitlines()[1] == (
        '  data.csv, row 3, column jenis_kelamin: got "X", expected 1/2, L/P, Laki-laki/Perempuan, M/F or '
        "Male/Female (and in 1,000 more rows)"
    )


def test_no_store_to_load_into(tmp_path):
    path = write(tmp_path / "data.csv", HEADER + GOOD_ROW)
    with pytest.raises(IngestError, match="there is no store at .*build-sample"):
        ingest_file("population", path, db=tmp_path / "none.duckdb")
    assert not (tmp_path / "none.duckdb").exists()


# ---------------------------------------------------------------- the command


def test_the_command_prints_what_it_read_and_stored(tiny_db, tmp_path, capsys):
    path = write(tmp_path / "data.csv", HEADER + GOOD_ROW + "99.01.01.1002;2;31;8;30\n")
    assert main(["ingest", "population", str(path), "--db", str(tiny_db)]) == 0
    out = capsys.readouterr().out.splitlines()
    digest = store.sha256_of(path)
    assert out[:4] == [
        "Read 2 rows from data.csv: 42 persons",
        "Stored 42 persons in 2 cells (area x period x sex x age x education)",
        "Periods: not named (name it with --period)",
        "In place of dataset #1",
    ]
    assert out[4].startswith(f"Dataset #2 (population) recorded, sha256 {digest}; now in force for population (")


def test_the_command_reports_a_refusal_without_a_traceback(tiny_db, tmp_path, capsys):
    path = write(tmp_path / "data.csv", HEADER + "99.01.01.1001;1;30;7;-1\n")
    assert main(["ingest", "population", str(path), "--db", str(tiny_db)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines()[-2:] == [
        "data.csv was not loaded (1 problem); the store is unchanged:",
        '  data.csv, row 2, column jumlah: got "-1", expected a count of 0 or more',
    ]
    assert "Traceback" not in captured.err


def test_microdata_read_from_parquet_keeps_typed_columns(tiny_db, tmp_path):
    path = tmp_path / "mikro.parquet"
    duckdb.sql(
        "select 9901010001::bigint as kode_wilayah, (i % 2 + 1)::tinyint as jk, 30::smallint as umur, "
        "7::tinyint as pendidikan, 1.5::double as perwt from range(4) as r(i)"
    ).write_parquet(str(path))
    report = ingest_file("population", path, db=tiny_db)
    assert (report.rows_read, report.persons_read) == (4, 6)
    assert population(tiny_db) == [("99.01.01.1001", 1, 30, 30, 7, 3), ("99.01.01.1001", 2, 30, 30, 7, 3)]


# ---------------------------------------------------------------- published tables (Open Data, Dukcapil)


@pytest.mark.parametrize("header", ["jiwa", "jumlah_jiwa", "Jumlah Penduduk", "penduduk", "jml_penduduk"])
def test_a_count_column_under_its_published_names(tiny_db, tmp_path, header):
    path = write(tmp_path / "data.csv", f"kode_wilayah;jenis_kelamin;umur;{header}\n99.01.01.1001;1;30;881\n")
    report = ingest_file("population", path, db=tiny_db)
    assert (report.rows_read, report.persons_read) == (1, 881)
    assert population(tiny_db) == [("99.01.01.1001", 1, 30, 30, None, 881)]


def test_person_rows_beside_a_column_that_looks_like_a_count_are_refused(tiny_db, tmp_path):
    """Two rows would be read as two persons; banyaknya (a count word) and nilai (numbers above 1) say
    they are not. An id, a code, a year and a 0/1 flag are no counts."""
    lines = refusal_lines(
        tiny_db,
        tmp_path,
        "id;kode_wilayah;jenis_kelamin;umur;banyaknya;nilai;kode_rt;tahun;cacat\n"
        "1;99.01.01.1001;1;30;0;4.512;7;2020;1\n"
        "2;99.01.01.1001;2;31;1;12;8;2020;0\n",
    )
    expected = (
        "like a count, but the file has no count column, so each row would be read as one person: head the column "
        "jumlah if it counts persons, or bobot if it is a sample weight; if each row is one person, remove the column"
    )
    assert lines == [
        "data.csv was not loaded (2 problems); the store is unchanged:",
        f"  data.csv, row 1, column banyaknya: holds numbers up to 1, {expected}",
        f"  data.csv, row 1, column nilai: holds numbers up to 4,512, {expected}",
    ]
    path = write(
        tmp_path / "orang.csv",
        "id;kode_wilayah;jenis_kelamin;umur;kode_rt;tahun;cacat\n"
        "1;99.01.01.1001;1;30;7;2020;1\n2;99.01.01.1001;2;31;8;2020;0\n",
    )
    assert ingest_file("population", path, db=tiny_db).persons_read == 2


def test_an_open_data_table_with_its_headers_words_and_period(tiny_db, tmp_path):
    """Open Data Kota Bandung's headers: codes in both systems (Kemendagri KODE_KD is used), names beside
    them, LAKI-LAKI / PEREMPUAN, "00 - 04", Dukcapil education labels, jumlah_penduduk, and a column named
    twice that no field uses."""
    header = (
        "id,bps_kode_desa_kelurahan,bps_desa_kelurahan,kemendagri_kode_kecamatan,KODE_KD,"
        "kemendagri_nama_desa_kelurahan,jenis_kelamin,kategori_umur,jenis_pendidikan,jumlah_penduduk,"
        "golongan darah,golongan darah,satuan,semester,tahun\n"
    )
    rows = (
        "1,9901010001,SATU,99.01.01,99.01.01.1001,SATU,LAKI-LAKI,00 - 04,TIDAK/BELUM SEKOLAH,120,A,B,ORANG,1,2023\n"
        "2,9901010001,SATU,99.01.01,99.01.01.1001,SATU,PEREMPUAN,20-24,DIPLOMA IV/STRATA I,35,A,B,ORANG,1,2023\n"
        "3,9901010001,SATU,99.01.01,99.01.01.1001,SATU,PEREMPUAN,20-24,SLTA/SEDERAJAT,80,A,B,ORANG,1,2023\n"
    )
    path = write(tmp_path / "jumlah_penduduk.csv", header + rows)
    report = ingest_file("population", path, db=tiny_db)
    assert population(tiny_db) == [
        ("99.01.01.1001", 1, 0, 4, None, 120),
        ("99.01.01.1001", 2, 20, 24, 5, 80),
        ("99.01.01.1001", 2, 20, 24, 7, 35),
    ]
    assert (report.persons_read, report.periods, report.period_columns) == (235, ("2023-1",), ("tahun", "semester"))
    assert report.ignored_columns == (
        "id",
        "bps_kode_desa_kelurahan",
        "bps_desa_kelurahan",
        "kemendagri_kode_kecamatan",
        "kemendagri_nama_desa_kelurahan",
        "golongan darah",
        "golongan darah",
        "satuan",
    )


def education_codes(db, labels: list[str]) -> list[int | None]:
    with duckdb.connect() as con:
        con.execute("attach $path as store (read_only)", {"path": str(db)})
        from sensus.ingest import rules

        rules.register(con)
        return [con.execute("select education_value($t)", {"t": label}).fetchone()[0] for label in labels]


def test_dukcapil_education_labels_read_as_bps_categories(tiny_db):
    """Both of Dukcapil's vocabularies (Open Data Kota Bandung before and from 2023 semester 2) mapped as
    ../shared/reference/education_categories.csv lists them onto the eight BPS categories."""
    mapping = {
        "TIDAK/BELUM SEKOLAH": 1,
        "BELUM TAMAT SD/SEDERAJAT": 2,
        "BELUM TAMAT SD": 2,
        "TAMAT SD/SEDERAJAT": 3,
        "TAMAT SD": 3,
        "SLTP/SEDERAJAT": 4,
        "SMP": 4,
        "SLTA/SEDERAJAT": 5,
        "SMA": 5,
        "DIPLOMA I/II": 6,
        "DIPLOMA I & II": 6,
        "AKADEMI/DIPLOMA III/S. MUDA": 6,
        "AKADEMI/DIPLOMA III/S.MUDA": 6,
        "AKADEMI/DIPLOMA III/S.MUDA_J_L": 6,
        "DIPLOMA III": 6,
        "DIPLOMA IV/STRATA I": 7,
        "STRATA 1": 7,
        "STRATA II": 8,
        "STRATA 2": 8,
        "STRATA III": 8,
        "STRATA 3": 8,
        "Diploma  I / II": 6,
        "BELUM KAWIN": None,
    }
    assert education_codes(tiny_db, list(mapping)) == list(mapping.values())


COUNTS = "kode_wilayah;jenis_kelamin;kelompok_umur;pendidikan;jumlah\n"


def test_finer_published_groups_are_summed_into_the_stores_group(tiny_db, tmp_path):
    """75-79, 80-84 and 85+ (10 + 6 + 3) go into 75+; DIPLOMA I/II and AKADEMI/DIPLOMA III (4 + 5) into
    Diploma I-III; STRATA II and STRATA 3 (2 + 1) into S2/S3."""
    rows = (
        "99.01.01.1001;P;75-79;TAMAT SD;10\n"
        "99.01.01.1001;P;80-84;TAMAT SD;6\n"
        "99.01.01.1001;P;85+;TAMAT SD;3\n"
        "99.01.01.1001;L;40-44;DIPLOMA I/II;4\n"
        "99.01.01.1001;L;40-44;AKADEMI/DIPLOMA III/S. MUDA;5\n"
        "99.01.01.1001;L;40-44;STRATA II;2\n"
        "99.01.01.1001;L;40-44;STRATA 3;1\n"
        "99.01.01.1002;L;75 tahun ke atas;SD/sederajat;7\n"
    )
    report = ingest_file("population", write(tmp_path / "data.csv", COUNTS + rows), db=tiny_db)
    assert population(tiny_db) == [
        ("99.01.01.1001", 1, 40, 44, 6, 9),
        ("99.01.01.1001", 1, 40, 44, 8, 3),
        ("99.01.01.1001", 2, 75, None, 3, 19),
        ("99.01.01.1002", 1, 75, None, 3, 7),
    ]
    assert (report.rows_read, report.persons_stored) == (8, 38)


def test_groups_that_overlap_or_repeat_are_refused(tiny_db, tmp_path):
    rows = (
        "99.01.01.1001;P;80+;SD;6\n"
        "99.01.01.1001;P;85+;SD;3\n"
        "99.01.01.1001;P;70-74;SD;3\n"
        "99.01.01.1001;P;70 - 74;SD;3\n"
        "99.01.01.1001;L;40-44;SLTA/SEDERAJAT;4\n"
        "99.01.01.1001;L;40-44;SMA;2\n"
        "99.01.01.1001;L;45-49;DIPLOMA I & II;4\n"
        "99.01.01.1001;L;45-49;D1;4\n"
    )
    assert refusal_lines(tiny_db, tmp_path, COUNTS + rows) == [
        "data.csv was not loaded (4 problems); the store is unchanged:",
        "  data.csv, row 3, columns kode_wilayah, jenis_kelamin, kelompok_umur, pendidikan: got "
        '"99.01.01.1001, P, 85+, SD", expected each combination of area_code, sex, age_group, education once: rows '
        "read into one group (such as 80-84 and 85+ into 75+) may add up, but this one overlaps row 2",
        "  data.csv, row 5, columns kode_wilayah, jenis_kelamin, kelompok_umur, pendidikan: got "
        '"99.01.01.1001, P, 70 - 74, SD", expected each combination of area_code, sex, age_group, education once, '
        "but it was already in row 4",
        "  data.csv, row 7, columns kode_wilayah, jenis_kelamin, kelompok_umur, pendidikan: got "
        '"99.01.01.1001, L, 40-44, SMA", expected each combination of area_code, sex, age_group, education once: rows '
        "read into one group (such as 80-84 and 85+ into 75+) may add up, but this one overlaps row 6",
        "  data.csv, row 9, columns kode_wilayah, jenis_kelamin, kelompok_umur, pendidikan: got "
        '"99.01.01.1001, L, 45-49, D1", expected each combination of area_code, sex, age_group, education once, '
        "but it was already in row 8",
    ]


def test_a_cell_given_twice_with_other_counts_is_added_up_and_reported(tiny_db, tmp_path):
    """Published tables sometimes label two rows alike (a kelurahan code repeated): the rows are added
    together and named; the same row twice, count and all, is a copy and refused (above)."""
    rows = "99.01.01.1001;P;70-74;SD;3\n99.01.01.1002;P;70-74;SD;1\n99.01.01.1001;P;70 - 74;SD;4\n"
    report = ingest_file("population", write(tmp_path / "data.csv", COUNTS + rows), db=tiny_db)
    assert population(tiny_db) == [("99.01.01.1001", 2, 70, 74, 3, 7), ("99.01.01.1002", 2, 70, 74, 3, 1)]
    assert report.repeated_rows == ((2, 4),)
    assert "Cells given by more than one row, with other counts, added together: rows 2 + 4" in report.lines()


@pytest.fixture
def named_store(tiny_db, tmp_path):
    """The tiny store with two kelurahan whose names start alike: Kebon Jeruk Baru in Timur and Kebon
    Kawung in Barat."""
    areas = write(
        tmp_path / "wilayah.csv",
        "tingkat;kode;nama;kode_induk\n"
        "kelurahan;99.01.02.1002;Kebon Jeruk Baru;99.01.02\n"
        "kelurahan;99.01.01.1003;Kebon Kawung;99.01.01\n",
    )
    ingest_file("areas", areas, db=tiny_db)
    return tiny_db


def test_kelurahan_given_by_name_within_their_kecamatan(named_store, tmp_path):
    """Names as Dukcapil writes them: upper case, "KEBON JERUK" shortened from Kebon Jeruk Baru (reported),
    "KEL. SATU" with its prefix; the kecamatan by code in either system."""
    path = write(
        tmp_path / "nama.csv",
        "kode_kec;nama_kelurahan;jenis_kelamin;umur;jumlah\n"
        "99.01.02;KEBON JERUK;L;30;5\n"
        "9901010;KEL. SATU;P;30;6\n"
        "99.01.01;kebon kawung;P;31;7\n",
    )
    report = ingest_file("population", path, db=named_store)
    assert population(named_store) == [
        ("99.01.01.1001", 2, 30, 30, None, 6),
        ("99.01.01.1003", 2, 31, 31, None, 7),
        ("99.01.02.1002", 1, 30, 30, None, 5),
    ]
    assert report.names_read == (("KEBON JERUK", "Kebon Jeruk Baru", "99.01.02.1002"),)
    assert 'Names read as the store\'s: "KEBON JERUK" as Kebon Jeruk Baru (99.01.02.1002)' in report.lines()


def test_unknown_and_ambiguous_names_list_the_nearest(named_store, tmp_path):
    path = write(
        tmp_path / "nama.csv",
        "nama_kecamatan;nama_kelurahan;jenis_kelamin;umur;jumlah\n"
        "Timur;Tiga;L;30;5\n"
        "TIMUR;Tigo;L;30;5\n"
        "Utara;Satu;L;30;5\n",
    )
    lines = ingest_refused("population", path, named_store).splitlines()
    assert lines == [
        "nama.csv was not loaded (2 problems); the store is unchanged:",
        '  nama.csv, row 3, column nama_kelurahan: got "Tigo", expected the name of a kelurahan/desa in kecamatan '
        "Timur; the nearest known there: Tiga, Kebon Jeruk Baru",
        '  nama.csv, row 4, column nama_kecamatan: got "Utara", expected the name of a kecamatan in the store; the '
        "nearest known: Barat, Timur",
    ]
    path = write(tmp_path / "nama.csv", "kelurahan;jenis_kelamin;umur;jumlah\nKEBON;L;30;5\nDua;L;30;5\n")
    assert ingest_refused("population", path, named_store).splitlines()[1:] == [
        '  nama.csv, row 2, column kelurahan: got "KEBON", expected the name of one kelurahan/desa, but it fits '
        "Kebon Jeruk Baru, Kebon Kawung: add a kecamatan column (nama_kecamatan or kode_kecamatan) or give codes",
    ]


def test_a_table_by_kecamatan_is_data_of_each_kecamatan(tiny_db, tmp_path):
    """Open Data's age table: KODE_KEC with the province and kota codes beside it, no sex, no kelurahan."""
    path = write(
        tmp_path / "umur.csv",
        "kode_provinsi;bps_kode_kabupaten_kota;KODE_KEC;kategori_umur;jumlah_penduduk\n"
        "99;9901;99.01.01;0-4;5\n99;9901;99.01.01;75+;7\n99;9901;99.01.02;0-4;9\n",
    )
    report = ingest_file("population", path, db=tiny_db)
    assert population(tiny_db) == [
        ("99.01.01", None, 0, 4, None, 5),
        ("99.01.01", None, 75, None, None, 7),
        ("99.01.02", None, 0, 4, None, 9),
    ]
    assert report.dimensions == ("age",)
    assert report.ignored_columns == ("kode_provinsi", "bps_kode_kabupaten_kota")
    with store.connect(tiny_db) as con:
        city = run(con, "indicator_counts", area="99.01")
    assert city.loc[city["role"] == "area", ["persons", "by_age", "age_0_14", "by_sex"]].iloc[0].tolist()[:3] == [
        21,
        21,
        14,
    ]


def test_a_table_by_kecamatan_name_with_a_jumlah_row(tiny_db, tmp_path):
    """A BPS-style table: kecamatan by name, sex in columns as rows, and the kota's Jumlah rows checked."""
    header = "Kecamatan;Jenis Kelamin;Jumlah Penduduk\n"
    rows = "Barat;L;70\nBarat;P;80\nTimur;L;30\nTimur;P;10\nJumlah;L;100\nJumlah;P;90\n"
    report = ingest_file("population", write(tmp_path / "kecamatan.csv", header + rows), db=tiny_db)
    assert population(tiny_db) == [
        ("99.01.01", 1, None, None, None, 70),
        ("99.01.01", 2, None, None, None, 80),
        ("99.01.02", 1, None, None, None, 30),
        ("99.01.02", 2, None, None, None, 10),
    ]
    assert (report.dimensions, report.persons_read) == (("sex",), 190)
    wrong = rows.replace("Jumlah;P;90", "Jumlah;P;91")
    assert ingest_refused("population", write(tmp_path / "salah.csv", header + wrong), tiny_db).splitlines()[1:] == [
        '  salah.csv, row 7, column Jumlah Penduduk: got "91", expected the sum of the rows it totals, 90'
    ]


def test_rows_of_an_area_and_of_its_parts_keep_the_parts_once_checked(tiny_db, tmp_path):
    """Kecamatan rows beside their kelurahan: the kecamatan row totals its kelurahan and is not stored."""
    header = "kode_wilayah;jenis_kelamin;jumlah\n"
    rows = "99.01.01;1;75\n99.01.01.1001;1;40\n99.01.01.1002;1;35\n99.01.02;1;32\n"
    report = ingest_file("population", write(tmp_path / "campur.csv", header + rows), db=tiny_db)
    assert population(tiny_db) == [
        ("99.01.01.1001", 1, None, None, None, 40),
        ("99.01.01.1002", 1, None, None, None, 35),
        ("99.01.02", 1, None, None, None, 32),
    ]
    assert report.totals_checked == 1
    wrong = rows.replace("99.01.01;1;75", "99.01.01;1;76")
    assert ingest_refused("population", write(tmp_path / "salah.csv", header + wrong), tiny_db).splitlines()[1:] == [
        '  salah.csv, row 2, column kode_wilayah: got "76", expected the sum of the rows it totals, 75'
    ]


def test_a_table_of_one_area_named_with_area(tiny_db, tmp_path):
    path = write(tmp_path / "kota.csv", "kelompok_umur;jenis_kelamin;jumlah\n0-4;L;10\n0-4;P;12\n")
    report = ingest_file("population", path, db=tiny_db, area="9901")
    assert population(tiny_db) == [("99.01", 1, 0, 4, None, 10), ("99.01", 2, 0, 4, None, 12)]
    assert report.dimensions == ("sex", "age")
    assert ingest_refused("population", path, tiny_db, area="99.09").splitlines()[1:] == [
        "  kota.csv: names the area 99.09 with --area, which the store does not hold; expected a Kemendagri code "
        "such as 32.73"
    ]


PERIODS = (
    "tahun;semester;kode_wilayah;jenis_kelamin;umur;jumlah\n"
    "2020;1;99.01.01.1001;1;30;10\n"
    "2020;2;99.01.01.1001;1;30;12\n"
    "2021;1;99.01.01.1001;1;30;15\n"
)


def test_a_file_of_several_periods_keeps_each_and_loads_one_chosen(tiny_db, tmp_path, capsys):
    path = write(tmp_path / "semester.csv", PERIODS)
    assert main(["ingest", "population", str(path), "--db", str(tiny_db)]) == 0
    assert "Periods: 2020-1, 2020-2, 2021-1 (tahun, semester)" in capsys.readouterr().out.splitlines()
    assert table(tiny_db, "select period, persons from population order by period").values.tolist() == [
        ["2020-1", 10],
        ["2020-2", 12],
        ["2021-1", 15],
    ]
    assert main(["ingest", "population", str(path), "--db", str(tiny_db), "--period", "2020/2"]) == 0
    assert "Periods: 2020-2 (tahun, semester)" in capsys.readouterr().out.splitlines()
    assert population(tiny_db) == [("99.01.01.1001", 1, 30, 30, None, 12)]
    assert ingest_refused("population", path, tiny_db, period="2019-1").splitlines()[1:] == [
        '  semester.csv, row 1, columns tahun, semester: got "2019-1", expected a period the file holds: '
        "2020-1, 2020-2, 2021-1"
    ]


def test_a_file_without_period_columns_is_of_the_period_given_or_named(tiny_db, tmp_path):
    plain = write(tmp_path / "data.csv", HEADER + GOOD_ROW)
    assert ingest_file("population", plain, db=tiny_db, period="2010").periods == ("2010",)
    named = write(tmp_path / "penduduk_2019.csv", HEADER + GOOD_ROW)
    assert ingest_file("population", named, db=tiny_db).periods == ("2019",)
    assert table(tiny_db, "select distinct period from population").values.tolist() == [["2019"]]


def test_a_file_of_one_period_loads_and_says_which(tiny_db, tmp_path):
    path = write(tmp_path / "tahun.csv", "Tahun;kode_wilayah;jenis_kelamin;umur;jumlah\n2023;99.01.01.1001;1;30;10\n")
    report = ingest_file("population", path, db=tiny_db)
    assert (report.periods, report.period_columns, report.ignored_columns) == (("2023",), ("Tahun",), ())


def test_a_bps_table_export_loads_by_kecamatan_name(tiny_db, tmp_path):
    """Title (with its year), a header over two rows, kecamatan by name, a Jumlah row and a note."""
    export = (
        "Jumlah Penduduk Menurut Kecamatan dan Jenis Kelamin di Kota Uji (Jiwa), 2020\n"
        "Kecamatan,Jenis Kelamin,,Jumlah\n"
        ",Laki-laki,Perempuan,\n"
        "Barat,70,80,150\n"
        "Timur,30,10,40\n"
        "Jumlah,100,90,190\n"
        "Sumber: BPS Kota Uji\n"
    )
    report = ingest_file("population", write(tmp_path / "bps.csv", export), db=tiny_db)
    assert population(tiny_db) == [
        ("99.01.01", 1, None, None, None, 70),
        ("99.01.01", 2, None, None, None, 80),
        ("99.01.02", 1, None, None, None, 30),
        ("99.01.02", 2, None, None, None, 10),
    ]
    assert (report.periods, report.dimensions, report.totals_checked) == (("2020",), ("sex",), 1)


def test_a_wide_file_loads_a_dataset_for_each_group_of_its_columns(tiny_db, tmp_path):
    """Sex columns with their total, age-group columns, and religion columns the product does not use."""
    header = "kode_kecamatan;tahun;L;P;Jumlah;0-4;5-9;75+;Islam;Kristen\n"
    rows = "99.01.01;2023;70;80;150;50;60;40;140;10\n99.01.02;2023;30;10;40;20;10;10;35;5\n"
    report = ingest_file("population", write(tmp_path / "lebar.csv", header + rows), db=tiny_db)
    assert [(table.dimensions, table.persons_read, table.periods) for table in report.loaded] == [
        (("sex",), 190, ("2023",)),
        (("age",), 190, ("2023",)),
    ]
    with store.connect(tiny_db) as con:
        counts = run(con, "indicator_counts", area="99.01")
    city = counts[counts["role"] == "area"].iloc[0]
    assert (city["male"], city["female"], city["age_0_14"], city["age_65_plus"]) == (100, 90, 140, 50)
    wrong = rows.replace(";150;", ";151;")
    assert ingest_refused("population", write(tmp_path / "salah.csv", header + wrong), tiny_db).splitlines()[1] == (
        '  salah.csv, row 2, column Jumlah: got "151", expected the sum of C ("L"), D ("P"), 150'
    )


def test_a_bps_table_of_a_province_by_kabupaten_kota_name(tmp_path):
    """BPS names Kabupaten Kupang "Kupang" beside "Kota Kupang", and closes with the province's row."""
    path, _, _ = area_list.init_store(tmp_path / "ntt.duckdb", "53")
    export = (
        "Jumlah Penduduk Menurut Kabupaten/Kota dan Jenis Kelamin di Provinsi Nusa Tenggara Timur, 2020\n"
        "Kabupaten/Kota,Laki-laki,Perempuan,Jumlah\n"
        "Kupang,189,177,366\n"
        "Kota Kupang,222,220,442\n"
        "Nusa Tenggara Timur,411,397,808\n"
    )
    report = ingest_file("population", write(tmp_path / "ntt.csv", export), db=path)
    assert population(path) == [
        ("53.01", 1, None, None, None, 189),
        ("53.01", 2, None, None, None, 177),
        ("53.71", 1, None, None, None, 222),
        ("53.71", 2, None, None, None, 220),
    ]
    assert (report.periods, report.totals_checked) == (("2020",), 1)


def test_papua_names_distrik_and_kampung(tmp_path):
    path, _, _ = area_list.init_store(tmp_path / "yapen.duckdb", "91.05")
    with store.connect(path) as con:
        district, name = con.execute(
            "select code, name from areas where level = 'district' order by code limit 1"
        ).fetchone()
    table = f"Distrik;Jenis Kelamin;Jumlah\n{name.upper()};L;10\nDistrik {name};P;12\n"
    report = ingest_file("population", write(tmp_path / "distrik.csv", table), db=path)
    assert population(path) == [(district, 1, None, None, None, 10), (district, 2, None, None, None, 12)]
    assert report.dimensions == ("sex",)


def test_a_wide_file_with_its_period_column_after_the_groups(tiny_db, tmp_path):
    table = "kecamatan;laki_laki;perempuan;jumlah;tahun\nBarat;70;80;150;2022\nTimur;30;10;40;2022\n"
    report = ingest_file("population", write(tmp_path / "jk.csv", table), db=tiny_db)
    assert (report.dimensions, report.periods, report.persons_read) == (("sex",), ("2022",), 190)
