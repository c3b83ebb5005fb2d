"""Published tables as users hold them: BPS exports (title rows, a header over two rows, a totals row, notes)
read by readers.read, and wide tables turned into the long tables they hold by layouts.long_tables."""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pytest

from sensus.ingest import rules
from sensus.ingest.layouts import long_tables, use
from sensus.ingest.problems import IngestError
from sensus.ingest.readers import read

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real"


@pytest.fixture
def con():
    """A connection with the rules, as ingest has them, over a store without areas."""
    with duckdb.connect() as con:
        con.execute("attach ':memory:' as store")
        con.execute(
            "create table store.areas (code varchar, bps_code varchar, name varchar, level varchar, bps_name varchar)"
        )
        rules.register(con)
        yield con


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def read_file(con, path: Path, **options):
    return read(con, path, path.name, progress=lambda message: None, **options)


def rows(con, relation: str = "source") -> list[tuple]:
    return con.execute(f"select * from {relation} order by all").fetchall()


def refusal(con, path: Path, **options) -> list[str]:
    with pytest.raises(IngestError) as refused:
        read_file(con, path, **options)
    return [str(problem) for problem in refused.value.problems]


BPS_EXPORT = (
    '"Jumlah Penduduk Menurut Kecamatan dan Jenis Kelamin di Kota Uji (Jiwa), 2020"\n'
    "\n"
    "Kecamatan,Jenis Kelamin,,Jumlah\n"
    ",Laki-laki,Perempuan,\n"
    "(1),(2),(3),(4)\n"
    "Barat,120,130,250\n"
    "\n"
    "Timur,200,210,410\n"
    "Kota Uji,320,340,660\n"
    '"Sumber: BPS Kota Uji, Sensus Penduduk 2020"\n'
    "Catatan: angka hasil SP2020\n"
)


def test_a_bps_export_with_a_title_a_header_over_two_rows_a_totals_row_and_notes(con, tmp_path):
    source = read_file(con, write(tmp_path / "penduduk.csv", BPS_EXPORT))
    assert source.title == "Jumlah Penduduk Menurut Kecamatan dan Jenis Kelamin di Kota Uji (Jiwa), 2020"
    assert source.headers == ["Kecamatan", "Laki-laki", "Perempuan", "Jumlah"]
    assert source.header_stack == [
        ["Kecamatan", "Jenis Kelamin", "Jenis Kelamin", "Jumlah"],
        ["", "Laki-laki", "Perempuan", ""],
    ]
    # rows as the file numbers its lines: the blank line 7 counts, the notes are gone
    assert rows(con) == [
        (6, "Barat", "120", "130", "250"),
        (8, "Timur", "200", "210", "410"),
        (9, "Kota Uji", "320", "340", "660"),
    ]
    assert source.rows == 3

    [table] = long_tables(con, source)
    assert (table.relation, table.headers, table.total_rows, table.problems) == (
        "long_sex",
        ["Kecamatan", "jenis_kelamin", "jumlah"],
        [9],  # Kota Uji: 320 = 120 + 200 and 340 = 130 + 210
        [],
    )
    use(con, table)
    assert rows(con) == [
        (6, "Barat", "Laki-laki", "120"),
        (6, "Barat", "Perempuan", "130"),
        (8, "Timur", "Laki-laki", "200"),
        (8, "Timur", "Perempuan", "210"),
        (9, "Kota Uji", "Laki-laki", "320"),
        (9, "Kota Uji", "Perempuan", "340"),
    ]


def test_a_bps_workbook_with_merged_header_cells(con, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "Tabel 3.1 Penduduk Menurut Kelompok Umur, 2020"
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(["No", "Kelurahan", "Kelompok Umur", None, None])
    sheet.append([None, None, "0-4", "5-9", "75+"])
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("C3:E3")
    sheet.append([1, "Satu", 10, 12, 3])
    sheet.append([2, "Dua", 20, 22, 5])
    sheet.append(["Jumlah", None, 30, 34, 8])
    sheet.merge_cells("A7:B7")
    sheet.append(["Sumber: Dukcapil"])
    path = tmp_path / "umur.xlsx"
    workbook.save(path)

    source = read_file(con, path)
    assert (source.title, source.headers) == (
        "Tabel 3.1 Penduduk Menurut Kelompok Umur, 2020",
        ["No", "Kelurahan", "0-4", "5-9", "75+"],
    )
    assert rows(con) == [
        (5, "1", "Satu", "10", "12", "3"),
        (6, "2", "Dua", "20", "22", "5"),
        (7, "Jumlah", None, "30", "34", "8"),
    ]
    [table] = long_tables(con, source)
    assert (table.headers, table.total_rows, table.problems) == (
        ["No", "Kelurahan", "kelompok_umur", "jumlah"],
        [7],
        [],
    )
    assert rows(con, table.relation) == [
        (5, "1", "Satu", "0-4", "10"),
        (5, "1", "Satu", "5-9", "12"),
        (5, "1", "Satu", "75+", "3"),
        (6, "2", "Dua", "0-4", "20"),
        (6, "2", "Dua", "5-9", "22"),
        (6, "2", "Dua", "75+", "5"),
        (7, "Jumlah", None, "0-4", "30"),
        (7, "Jumlah", None, "5-9", "34"),
        (7, "Jumlah", None, "75+", "8"),
    ]


@pytest.mark.parametrize(
    "text, title, headers",
    [
        # a title cut in two by its comma
        ("Penduduk Kota Uji, 2020\nKecamatan,L,P\nBarat,1,2\n", "Penduduk Kota Uji 2020", ["Kecamatan", "L", "P"]),
        # a first row of text only is data, not a title, under a header as wide
        (
            "nama_kelurahan;jenis_kelamin;pendidikan;umur\nSatu;L;SD;\nDua;P;SMP;30\n",
            None,
            ["nama_kelurahan", "jenis_kelamin", "pendidikan", "umur"],
        ),
    ],
)
def test_where_the_header_is_found(con, tmp_path, text, title, headers):
    source = read_file(con, write(tmp_path / "tabel.csv", text))
    assert (source.title, source.headers) == (title, headers)


def test_the_header_row_given_by_the_user(con, tmp_path):
    """A table of text under a title: no row of numbers tells where the header is, so the first row is taken
    unless the user names the header row."""
    path = write(tmp_path / "opd.csv", "Daftar OPD Kota Uji\nkode_opd;nama_opd\nA1;Dinas Satu\nA2;Dinas Dua\n")
    source = read_file(con, path, header_row=2)
    assert (source.title, source.headers) == ("Daftar OPD Kota Uji", ["kode_opd", "nama_opd"])
    assert rows(con) == [(3, "A1", "Dinas Satu"), (4, "A2", "Dinas Dua")]
    assert refusal(con, path, header_row=7) == [
        "opd.csv: has nothing in row 7, given as its header row; expected the row of the column names"
    ]


def test_a_header_row_below_a_long_preamble(con, tmp_path):
    workbook = openpyxl.Workbook()
    for number in range(1, 41):
        workbook.active.append([f"Keterangan {number}"])
    workbook.active.append(["kode_opd", "nama_opd"])
    workbook.active.append(["A1", "Dinas Satu"])
    workbook.save(tmp_path / "opd.xlsx")
    source = read_file(con, tmp_path / "opd.xlsx", header_row=41)
    assert (source.title.splitlines()[-1], source.headers) == ("Keterangan 40", ["kode_opd", "nama_opd"])
    assert rows(con) == [(42, "A1", "Dinas Satu")]


@pytest.mark.parametrize(
    "title, said",
    [
        ("Penduduk Menurut Kecamatan (ribu jiwa), 2020", "Penduduk Menurut Kecamatan (ribu jiwa), 2020"),
        ("Jumlah Penduduk (Ribuan)", "Jumlah Penduduk (Ribuan)"),
        ("Penduduk ('000 jiwa)", "Penduduk ('000 jiwa)"),
        ("Population by district (thousands)", "Population by district (thousands)"),
    ],
)
def test_counts_in_thousands_are_refused(con, tmp_path, title, said):
    path = write(tmp_path / "ribuan.csv", f'"{title}"\nKecamatan;Laki-laki;Perempuan\nBarat;12,5;13,1\n')
    assert refusal(con, path) == [
        f'ribuan.csv, row 1: says its counts are in thousands ("{said}"); expected counts of persons: load the '
        "table in persons (jiwa), not in thousands"
    ]


def test_a_header_in_thousands_is_refused(con, tmp_path):
    path = write(tmp_path / "ribuan.csv", "Kecamatan;Penduduk (ribu)\nBarat;12,5\n")
    assert refusal(con, path)[0].startswith('ribuan.csv, row 1: says its counts are in thousands ("Penduduk (ribu)")')


def test_a_note_in_thousands_is_refused(con, tmp_path):
    path = write(tmp_path / "ribuan.csv", "Kecamatan;Laki-laki;Perempuan\nBarat;12;13\nCatatan: dalam ribuan jiwa\n")
    assert refusal(con, path) == [
        'ribuan.csv, row 3: says its counts are in thousands ("Catatan: dalam ribuan jiwa"); expected counts of '
        "persons: load the table in persons (jiwa), not in thousands"
    ]


def sex_table(con, tmp_path, total: int) -> list:
    path = write(
        tmp_path / "jk.csv",
        f"kode_wilayah;Laki-laki;Perempuan;Jumlah\n99.01.01.1001;10;12;22\n99.01.01.1002;5;7;{total}\n",
    )
    return long_tables(con, read_file(con, path))


def test_a_total_column_that_is_the_sum_of_its_group_passes(con, tmp_path):
    [table] = sex_table(con, tmp_path, 12)
    assert (table.headers, table.problems) == (["kode_wilayah", "jenis_kelamin", "jumlah"], [])
    assert rows(con, table.relation) == [
        (2, "99.01.01.1001", "Laki-laki", "10"),
        (2, "99.01.01.1001", "Perempuan", "12"),
        (3, "99.01.01.1002", "Laki-laki", "5"),
        (3, "99.01.01.1002", "Perempuan", "7"),
    ]


def test_a_total_column_that_is_not_the_sum_is_a_problem(con, tmp_path):
    [table] = sex_table(con, tmp_path, 5 + 7 + 1)
    assert [str(problem) for problem in table.problems] == [
        'jk.csv, row 3, column Jumlah: got "13", expected the sum of B ("Laki-laki"), C ("Perempuan"), 12'
    ]


def test_sex_age_and_religion_side_by_side_give_two_tables(con, tmp_path):
    header = "Kode;Kelurahan;L;P;L+P;00 - 04;05 - 09;85+;Jumlah;Islam;Kristen;Jumlah\n"
    path = write(
        tmp_path / "profil.csv",
        header + "99.01.01.1001;Satu;6;4;10;3;5;2;10;7;3;10\n99.01.01.1002;Dua;5;5;11;4;4;2;10;9;1;10\n",
    )
    sex, age = long_tables(con, read_file(con, path))
    # The religion columns go along unread (the stage names them as ignored); the totals do not.
    assert [(table.relation, table.headers) for table in (sex, age)] == [
        ("long_sex", ["Kode", "Kelurahan", "Islam", "Kristen", "jenis_kelamin", "jumlah"]),
        ("long_age_group", ["Kode", "Kelurahan", "Islam", "Kristen", "kelompok_umur", "jumlah"]),
    ]
    # 5 + 5 is not 11
    assert [str(problem) for problem in sex.problems] == [
        'profil.csv, row 3, column L+P: got "11", expected the sum of C ("L"), D ("P"), 10'
    ]
    assert age.problems == []
    assert rows(con, "long_age_group") == [
        (2, "99.01.01.1001", "Satu", "7", "3", "00 - 04", "3"),
        (2, "99.01.01.1001", "Satu", "7", "3", "05 - 09", "5"),
        (2, "99.01.01.1001", "Satu", "7", "3", "85+", "2"),
        (3, "99.01.01.1002", "Dua", "9", "1", "00 - 04", "4"),
        (3, "99.01.01.1002", "Dua", "9", "1", "05 - 09", "4"),
        (3, "99.01.01.1002", "Dua", "9", "1", "85+", "2"),
    ]


def test_education_columns_in_dukcapil_words_and_a_count_that_is_no_number(con, tmp_path):
    path = write(
        tmp_path / "pendidikan.csv",
        "kode_wilayah,TIDAK/BELUM SEKOLAH,TAMAT SD/SEDERAJAT,SLTA/SEDERAJAT,DIPLOMA IV/STRATA I\n"
        "99.01.01.1001,4,9,12,3\n"
        "99.01.01.1002,-,8,banyak,2\n",
    )
    [table] = long_tables(con, read_file(con, path))
    assert table.headers == ["kode_wilayah", "pendidikan", "jumlah"]
    assert [str(problem) for problem in table.problems] == [
        'pendidikan.csv, row 3, column SLTA/SEDERAJAT: got "banyak", expected a whole number, such as 1234 or 1.234'
    ]


def test_an_age_group_the_store_does_not_know_is_a_problem(con, tmp_path):
    path = write(tmp_path / "umur.csv", "kode_wilayah;0-4;5-9;65+\n99.01.01.1001;1;2;3\n")
    [table] = long_tables(con, read_file(con, path))
    assert [str(problem) for problem in table.problems] == [
        'umur.csv, column 65+: got "65+", expected an age group: 0-4, 5-9, 10-14, 15-19, 20-24, 25-29, 30-34, '
        "35-39, 40-44, 45-49, 50-54, 55-59, 60-64, 65-69, 70-74, 75+; groups beyond, such as 80-84 or 85+, are "
        "read as 75+"
    ]


def test_a_table_by_year(con, tmp_path):
    path = write(
        tmp_path / "tahunan.csv", "Kecamatan;2019;2020;2021\nBarat;100;104;107\nTimur;90;91;95\nJumlah;190;195;202\n"
    )
    [table] = long_tables(con, read_file(con, path))
    assert (table.relation, table.headers, table.total_rows) == ("long_year", ["Kecamatan", "tahun", "jumlah"], [4])
    assert rows(con, table.relation) == [
        (2, "Barat", "2019", "100"),
        (2, "Barat", "2020", "104"),
        (2, "Barat", "2021", "107"),
        (3, "Timur", "2019", "90"),
        (3, "Timur", "2020", "91"),
        (3, "Timur", "2021", "95"),
        (4, "Jumlah", "2019", "190"),
        (4, "Jumlah", "2020", "195"),
        (4, "Jumlah", "2021", "202"),
    ]


def test_years_over_sexes_give_a_period_column(con, tmp_path):
    path = write(
        tmp_path / "jk_tahun.csv",
        "Kecamatan;2019;;;2020;;\n;Laki-laki;Perempuan;Jumlah;Laki-laki;Perempuan;Jumlah\nBarat;1;2;3;4;5;9\n",
    )
    source = read_file(con, path)
    assert source.headers == [
        "Kecamatan",
        *(f"{year} / {sex}" for year in (2019, 2020) for sex in ("Laki-laki", "Perempuan", "Jumlah")),
    ]
    [table] = long_tables(con, source)
    assert (table.headers, table.problems) == (["Kecamatan", "tahun", "jenis_kelamin", "jumlah"], [])
    assert rows(con, table.relation) == [
        (3, "Barat", "2019", "Laki-laki", "1"),
        (3, "Barat", "2019", "Perempuan", "2"),
        (3, "Barat", "2020", "Laki-laki", "4"),
        (3, "Barat", "2020", "Perempuan", "5"),
    ]


def test_a_long_file_comes_back_unchanged_with_its_totals_rows(con, tmp_path):
    text = "kode_wilayah;jenis_kelamin;umur;jumlah\n99.01.01.1001;L;30;12\n99.01.01.1001;P;30;8\nJumlah;;;20\n"
    source = read_file(con, write(tmp_path / "panjang.csv", text))
    [table] = long_tables(con, source)
    assert (table.relation, table.headers, table.total_rows, table.problems) == (
        "source",
        ["kode_wilayah", "jenis_kelamin", "umur", "jumlah"],
        [4],
        [],
    )
    use(con, table)
    assert rows(con) == [
        (2, "99.01.01.1001", "L", "30", "12"),
        (3, "99.01.01.1001", "P", "30", "8"),
        (4, "Jumlah", None, None, "20"),
    ]


@pytest.mark.parametrize("name", ["bandung_jumlah_penduduk.csv", "bandung_jumlah_kelompok_umur.csv"])
def test_open_data_tables_are_long(con, name):
    path = REAL / "bandung" / name
    source = read_file(con, path)
    first_line = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    [table] = long_tables(con, source)
    assert (table.relation, table.headers, table.title, table.total_rows) == ("source", first_line, None, [])


def test_bilingual_headers_are_read_by_their_indonesian_part(con, tmp_path):
    path = write(
        tmp_path / "jk.csv",
        "Kecamatan/Subdistrict;Laki-laki/Male;Perempuan/Female;Jumlah/Total\nBarat;3;4;7\n",
    )
    [table] = long_tables(con, read_file(con, path))
    assert (table.headers, table.problems) == (["Kecamatan/Subdistrict", "jenis_kelamin", "jumlah"], [])
    assert rows(con, table.relation) == [(2, "Barat", "Laki-laki", "3"), (2, "Barat", "Perempuan", "4")]
