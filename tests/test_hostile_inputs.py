"""Hostile and broken input files: each is refused with a message that says what is wrong, and the
store is left byte for byte as it was, and still answers queries."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import ingest_refused

from sensus import store
from sensus.ingest import ingest_file

HOSTILE = Path(__file__).parent / "inputs" / "hostile"
FORMULA = "expected a value, not a formula: cells starting with = + - @ are refused"
NOT_UTF8 = "expected text in UTF-8 (save the file as CSV UTF-8)"

# file in tests/inputs/hostile -> (kind, a fragment of the message)
CORPUS = {
    "missing_area_column.csv": ("population", "row 1: has no area column"),
    "wrong_columns.csv": (
        "population",
        "row 1: has no area column (a code such as kode_wilayah or kode_kecamatan, or a name such as nama_kelurahan "
        'or nama_kecamatan); the header has "nama", "alamat", "telepon"',
    ),
    "unknown_area_code.csv": (
        "population",
        'row 3, column kode_wilayah: got "99.01.03.1001", expected an area code known to the store',
    ),
    "unknown_bps_code.csv": (
        "population",
        'row 3, column kode_wilayah: got "9901990001", expected an area code known to the store',
    ),
    "area_name_not_code.csv": (
        "population",
        'row 3, column kode_wilayah: got "Satu", expected an area code, not a name',
    ),
    "negative_count.csv": ("population", 'row 3, column jumlah: got "-5", expected a count of 0 or more'),
    "fractional_count.csv": (
        "population",
        'row 3, column jumlah: got "12,5", expected a whole number: fractional counts are refused',
    ),
    "non_numeric_count.csv": ("population", 'row 3, column jumlah: got "banyak", expected a whole number'),
    "age_150.csv": ("population", 'row 3, column umur: got "150", expected a whole number of years from 0 to 120'),
    "age_negative.csv": ("population", 'row 3, column umur: got "-1", expected a whole number of years'),
    "unknown_age_group.csv": (
        "population",
        'row 3, column kelompok_umur: got "70+", expected an age group: 0-4, 5-9,',
    ),
    "unknown_sex_code.csv": (
        "population",
        'row 3, column jenis_kelamin: got "3", expected 1/2, L/P, Laki-laki/Perempuan, M/F or Male/Female',
    ),
    "unknown_education.csv": ("population", 'row 3, column pendidikan: got "9", expected an education code 1-8'),
    "education_missing_adult.csv": (
        "population",
        "row 3, column pendidikan: got an empty cell, expected an education code or label: it is required from age 5",
    ),
    "duplicated_key.csv": (
        "population",
        "row 4, columns kode_wilayah, jenis_kelamin, umur, pendidikan: got "
        '"99.01.01.1001, 1, 30, 7", expected each combination',
    ),
    "duplicated_key_spelled_differently.csv": (
        "population",
        "row 3, columns kode_wilayah, jenis_kelamin, umur, "
        'pendidikan: got "99.01.01.1001, L, 30, Diploma '
        'IV/S1", expected each combination',
    ),
    "totals_row_jumlah.csv": (
        "population",
        'row 3, column jumlah: got "13", expected the sum of the rows it totals, 12',
    ),
    "totals_row_total_sex.csv": (
        "population",
        'row 3, column jumlah: got "13", expected the sum of the rows it totals, 12',
    ),
    "totals_row_city_name.csv": (
        "population",
        'row 3, column kode_wilayah: got "Kota Uji", expected an area code, not a name',
    ),
    "totals_row_kecamatan_code.csv": (
        "population",
        'row 3, column kode_wilayah: got "15", expected the sum of the rows it totals, 12',
    ),
    "formula_hyperlink.csv": (
        "population",
        f'row 3, column kode_wilayah: got "=HYPERLINK("http://example.com","klik")", {FORMULA}',
    ),
    "formula_plus_cmd.csv": ("population", f"row 3, column pendidikan: got \"+cmd|' /C calc'!A0\", {FORMULA}"),
    "formula_at_sum.csv": ("population", f'row 3, column jumlah: got "@SUM(1+1)", {FORMULA}'),
    "formula_minus_in_note.csv": ("population", f"row 3, column catatan: got \"-2+3+cmd|' /C calc'!A0\", {FORMULA}"),
    "latin1.csv": ("population", f'row 3, column catatan: got "caf\\xe9", {NOT_UTF8}'),
    "mixed_encodings.csv": ("population", f'row 3, column catatan: got "Kelurahan \\xd1", {NOT_UTF8}'),
    "utf16.csv": ("population", "is UTF-16 text; expected UTF-8: save the file as CSV UTF-8"),
    "empty.csv": ("population", "is empty (0 bytes)"),
    "header_only.csv": ("population", "has a header but no data rows"),
    "blank_header.csv": ("population", "has no header row in its first line"),
    "duplicate_header.csv": (
        "population",
        'row 1, column umur: got "umur", expected each column name once, but columns C and D are both named umur',
    ),
    "two_columns_one_field.csv": (
        "population",
        'row 1, column persons: got "persons", expected one column for jumlah (persons): D ("jumlah") already gives it',
    ),
    "ragged_row.csv": (
        "population",
        "row 3: got \"99.01.01.1001,2,30,7,12,5\", expected 5 cells separated by ',' as in the header, found 6",
    ),
    "unterminated_quote.csv": (
        "population",
        'row 3: got ""99.01.01.1001;2;30;7;12", expected 5 cells '
        "separated by ';' as in the header (value with unterminated quote",
    ),
    "count_and_weight.csv": ("population", "row 1, columns jumlah, bobot: has both a count column and a weight column"),
    "negative_weight.csv": ("population", 'row 3, column bobot: got "-2", expected a sample weight of 0 or more'),
    "image.csv": ("population", "is a PNG image, not a table; expected CSV (UTF-8), XLSX or Parquet"),
    "document.xlsx": ("population", "is a PDF document, not a table"),
    "old_excel.xls": ("population", "is an old Excel .xls workbook"),
    "zip_not_workbook.xlsx": ("population", "is a zip archive but not an XLSX workbook"),
    "broken_workbook.xlsx": ("population", "cannot be read as an XLSX workbook: Start tag expected"),
    "broken.parquet": (
        "population",
        "cannot be read as Parquet: Invalid Input Error: No magic bytes found at end of file 'broken.parquet'",
    ),
    "binary_nul.csv": ("population", "holds binary data (NUL bytes), not text"),
    "person_rows_with_a_count_column.csv": (
        "population",
        "row 1, column jumlah_orang: holds numbers up to 15, like a count, but the file has no count column",
    ),
    "age_groups_overlapping.csv": (
        "population",
        "row 3, columns kode_wilayah, jenis_kelamin, kelompok_umur: got "
        '"99.01.01.1001, 1, 75+", expected each combination of area_code, sex, age_group '
        "once: rows read into one group (such as 80-84 and 85+ into 75+) may add up, but "
        "this one overlaps row 2",
    ),
    "period_missing_in_a_row.csv": ("population", "row 3, column tahun: got an empty cell, expected a value"),
    "online_complete_above_submitted.csv": (
        "online",
        'row 3, column kk_selesai: got "45", expected at most kk_terkirim (households_submitted), 40',
    ),
    "online_impossible_date.csv": ("online", 'row 3, column tanggal: got "2020-02-30", expected a date'),
    "online_progress_falls.csv": (
        "online",
        'would break the store check "SP Online and ASN: 0 <= complete <= '
        'submitted <= base, rates within 0..1, never falling": source '
        "online_progress, unit 99.01.01.1001, date 2020-03-02, complete 5, "
        "submitted 15, base 100",
    ),
    "asn_complete_above_employees.csv": (
        "asn",
        'row 3, column asn_selesai: got "41", expected at most jumlah_asn (employees), 40',
    ),
    "asn_two_names_for_one_agency.csv": (
        "asn",
        'row 3, column nama_opd: got "Dinas Satu Lagi", expected the same '
        "name, short name and area for agency A1 as in row 2",
    ),
    "areas_unknown_parent.csv": (
        "areas",
        'row 2, column kode_induk: got "99.01.03", expected the code of an area in the store or in this file',
    ),
    "areas_wrong_parent_level.csv": (
        "areas",
        'row 2, column kode_induk: got "99.01", expected the code of a district, not of a regency',
    ),
    "areas_unknown_level.csv": ("areas", 'row 2, column tingkat: got "dusun", expected a level'),
    "areas_bps_code_taken.csv": (
        "areas",
        'row 2, column kode_bps: got "9901010001", expected a BPS code not held by another area (99.01.01.1001 has it)',
    ),
}


def test_the_corpus_is_complete_and_small():
    files = sorted(path.name for path in HOSTILE.iterdir())
    assert files == sorted(CORPUS)
    assert len(files) >= 30
    assert all((HOSTILE / name).stat().st_size < 1024 for name in files)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_is_refused_with_its_message(name, tiny_db):
    kind, fragment = CORPUS[name]
    message = ingest_refused(kind, HOSTILE / name, tiny_db)
    assert message.startswith(f"{name} was not loaded (")
    assert f"{name}: {fragment}" in message or f"{name}, {fragment}" in message


def test_a_200_mb_file_is_refused_before_it_is_read(tmp_path, tiny_db):
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as handle:
        handle.write(b"kode_wilayah;jenis_kelamin;umur;jumlah\n")
        handle.truncate(200_000_000)
    message = ingest_refused("population", huge, tiny_db)
    assert "huge.csv: is 200.0 MB; the limit is 100 MB (set SENSUS_MAX_INPUT_MB to change it)" in message


def test_the_size_limit_follows_the_environment(tmp_path, tiny_db, monkeypatch):
    monkeypatch.setenv("SENSUS_MAX_INPUT_MB", "0.00005")
    message = ingest_refused("population", HOSTILE / "unknown_sex_code.csv", tiny_db)
    assert "unknown_sex_code.csv: is 0.0 MB; the limit is 0 MB" in message


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_opened(tmp_path, tiny_db):
    bomb = tmp_path / "laporan.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            zeros = bytes(1 << 24)
            for _ in range(64):
                sheet.write(zeros)
    assert bomb.stat().st_size < 10_000_000
    message = ingest_refused("population", bomb, tiny_db)
    assert "laporan.xlsx: unpacks to 1,074 MB, more than any census table needs; refused as a zip bomb" in message


def test_a_formula_in_a_workbook_totals_row_is_refused(tmp_path, tiny_db):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["kode_wilayah", "jenis_kelamin", "umur", "pendidikan", "jumlah"])
    sheet.append(["99.01.01.1001", 1, 30, 7, 12])
    sheet.append(["99.01.01.1002", 2, 30, 7, 8])
    sheet.append(["Jumlah", None, None, None, "=SUM(E2:E3)"])
    path = tmp_path / "tabel.xlsx"
    workbook.save(path)
    message = ingest_refused("population", path, tiny_db)
    assert f'tabel.xlsx, row 4, column jumlah: got "=SUM(E2:E3)", {FORMULA}' in message


def test_a_workbook_is_read_up_to_the_cell_ceiling_and_refused_at_the_row_that_passes_it(
    tmp_path, tiny_db, monkeypatch
):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Penduduk")
    sheet.append(["kode_wilayah", "jenis_kelamin", "umur", "pendidikan", "jumlah"])
    for age in range(20):
        sheet.append(["99.01.01.1001", 1 + age % 2, age, 7, 10 + age])
    path = tmp_path / "tabel.xlsx"
    workbook.save(path)
    cells = 5 * 21  # the header and 20 rows of five cells
    monkeypatch.setenv("SENSUS_MAX_XLSX_CELLS", str(cells - 1))
    message = ingest_refused("population", path, tiny_db)
    assert (
        "tabel.xlsx, row 21: has more than 104 filled cells by this row, the most read from a workbook "
        "(set SENSUS_MAX_XLSX_CELLS to change it); split the table into smaller files, or save it as CSV (UTF-8)"
    ) in message
    monkeypatch.setenv("SENSUS_MAX_XLSX_CELLS", str(cells))
    ingest_file("population", path, db=tiny_db)
    with store.connect(tiny_db) as con:
        assert con.execute("select count(*), sum(persons) from population").fetchone() == (20, sum(range(10, 30)))


def test_a_hostile_display_name_is_only_shown_and_only_its_last_part(tmp_path, tiny_db):
    message = ingest_refused(
        "population", HOSTILE / "formula_at_sum.csv", tiny_db, display_name="../../../etc/cron.d/\x1b[31mjadwal.csv"
    )
    assert message.splitlines()[1] == f'  [31mjadwal.csv, row 3, column jumlah: got "@SUM(1+1)", {FORMULA}'
    assert "../" not in message and "\x1b" not in message
    assert not Path("/etc/cron.d/jadwal.csv").exists()


def test_more_than_twenty_problems_are_counted_not_listed(tmp_path, tiny_db):
    rows = "".join(f"99.01.01.1001;{sex};{age};7;12\n" for sex in (3, 4) for age in range(20, 35))
    path = tmp_path / "banyak.csv"
    path.write_text("kode_wilayah;jenis_kelamin;umur;pendidikan;jumlah\n" + rows)
    message = ingest_refused("population", path, tiny_db)
    lines = message.splitlines()
    assert lines[0] == "banyak.csv was not loaded (2 problems); the store is unchanged:"
    assert lines[1:] == [
        '  banyak.csv, row 2, column jenis_kelamin: got "3", expected 1/2, L/P, Laki-laki/Perempuan, M/F or '
        "Male/Female (and in 14 more rows)",
        '  banyak.csv, row 17, column jenis_kelamin: got "4", expected 1/2, L/P, Laki-laki/Perempuan, M/F or '
        "Male/Female (and in 14 more rows)",
    ]
    rows = "".join(f"99.01.01.1001;1;{age};7;-{age}\n" for age in range(30))
    path.write_text("kode_wilayah;jenis_kelamin;umur;pendidikan;jumlah\n" + rows)
    lines = ingest_refused("population", path, tiny_db).splitlines()
    assert lines[0] == "banyak.csv was not loaded (29 problems); the store is unchanged:"
    assert len(lines) == 1 + 20 + 1 and lines[-1] == "  and 9 more"
    assert lines[1] == '  banyak.csv, row 3, column jumlah: got "-1", expected a count of 0 or more'


# The character and how the message shows it. (NUL bytes refuse a CSV file as binary before any cell is read.)
CONTROL_CHARACTERS = {
    "\x0b": "\\x0b",
    "\n": "\\n",
    "\r": "\\r",
    "\x1b": "\\x1b",
    "\x1f": "\\x1f",
    "\x7f": "\\x7f",
    "\x85": "\\x85",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@pytest.mark.parametrize(("character", "shown"), CONTROL_CHARACTERS.items())
def test_a_name_with_a_control_character_is_refused(character, shown, tmp_path, tiny_db):
    path = tmp_path / "wilayah.csv"
    path.write_text(
        f'tingkat;kode;kode_bps;nama;kode_induk\nvillage;99.01.01.1003;9901010003;"Li{character}ma";99.01.01\n',
        newline="",
    )
    lines = ingest_refused("areas", path, tiny_db).splitlines()
    assert lines[1:] == [
        f'  wilayah.csv, row 2, column nama: got "Li{shown}ma", expected text without control characters '
        "(such as a line break or a vertical tab inside the cell)"
    ]


def test_a_tab_inside_a_name_is_kept(tmp_path, tiny_db):
    from sensus.ingest import ingest_file

    path = tmp_path / "wilayah.csv"
    path.write_text('tingkat;kode;kode_bps;nama;kode_induk\nvillage;99.01.01.1003;9901010003;"Li\tma";99.01.01\n')
    ingest_file("areas", path, db=tiny_db)
    with store.connect(tiny_db) as con:
        assert con.execute("select name from areas where code = '99.01.01.1003'").fetchall() == [("Li\tma",)]
