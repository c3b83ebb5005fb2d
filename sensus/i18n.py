"""Every user-facing string, in Bahasa Indonesia (first) and English.

STRINGS maps a key to its text in each language; `t(key, lang, **values)` fills the {placeholders}.
Pages, charts, exports, the deck and the briefing all take their words from here: add a key with
both languages and use it. Labels for codes (sex, education levels, area levels) are here too.
"""

from __future__ import annotations

import math
from functools import cache

from sensus import formatting
from sensus.store import read_reference

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LANGUAGE_NAMES = {"id": "ID", "en": "EN"}

STRINGS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ the frame
    "app.title": {"id": "Dasbor Sensus Penduduk 2020", "en": "2020 Population Census dashboard"},
    "language.label": {"id": "Bahasa / Language", "en": "Bahasa / Language"},
    "filter.header": {"id": "Wilayah", "en": "Area"},
    "filter.help": {
        "id": "Pilihan wilayah berlaku di semua halaman dan tersimpan di alamat (URL): salin alamatnya untuk "
        "membagikan tampilan ini.",
        "en": "The chosen area applies to every page and is kept in the address (URL): copy the address to "
        "share this view.",
    },
    "page.ringkasan": {"id": "Ringkasan", "en": "Overview"},
    "page.penduduk": {"id": "Penduduk", "en": "Population"},
    "page.pendidikan": {"id": "Pendidikan", "en": "Education"},
    "page.sp_online": {"id": "SP Online", "en": "SP Online"},
    "page.asn": {"id": "ASN", "en": "Civil servants (ASN)"},
    "page.bandingkan": {"id": "Bandingkan wilayah", "en": "Compare areas"},
    "page.data_metode": {"id": "Data & metode", "en": "Data & methods"},
    "page.presentasi": {"id": "Presentasi rakor", "en": "Meeting presentation"},
    "page.unggah": {"id": "Unggah data", "en": "Upload data"},
    "synthetic.notice": {
        "id": "Data sintetis — bukan hasil resmi SP2020",
        "en": "Synthetic data — not official SP2020 results",
    },
    "synthetic.detail": {
        "id": "Angka di dasbor ini dibangkitkan komputer dan dikalibrasi ke angka yang dipublikasikan BPS "
        "(jumlah penduduk Kota Kupang 442.758). Gunakan untuk mencoba dasbor, bukan untuk perencanaan.",
        "en": "The numbers on this dashboard are computer-generated and calibrated to what BPS published "
        "(Kota Kupang population 442,758). Use them to try the dashboard, not for planning.",
    },
    "footer.dataset": {"id": "Data: {description}", "en": "Data: {description}"},
    "footer.provenance": {
        "id": "Sumber berkas: {source} · dimuat {date} · sha256 {digest}",
        "en": "Source file: {source} · loaded {date} · sha256 {digest}",
    },
    "footer.facts": {"id": "Berlaku untuk: {facts}", "en": "In force for: {facts}"},
    "fact.areas": {"id": "wilayah", "en": "areas"},
    "fact.population": {"id": "penduduk", "en": "population"},
    "fact.online": {"id": "SP Online", "en": "SP Online"},
    "fact.asn": {"id": "ASN", "en": "civil servants"},
    "footer.no_dataset": {"id": "Belum ada dataset di penyimpanan.", "en": "No dataset in the store yet."},
    "error.unknown_area": {
        "id": "Wilayah dengan kode {code} tidak ada di data yang dimuat.",
        "en": "There is no area with code {code} in the loaded data.",
    },
    # ------------------------------------------------------------------ page: Ringkasan
    "ringkasan.online_delta": {"id": "{date} · target {target}", "en": "{date} · target {target}"},
    "ringkasan.target_delta": {"id": "target {target}", "en": "target {target}"},
    "ringkasan.map": {"id": "Peta", "en": "Map"},
    "ringkasan.map_indicator": {"id": "Warna peta menurut", "en": "Colour the map by"},
    "ringkasan.map_title": {"id": "{indicator} per {level}", "en": "{indicator} by {level}"},
    "ringkasan.map_siblings": {
        "id": "{area} tidak memiliki wilayah di bawahnya; peta menampilkan semua {levels} di {parent}.",
        "en": "{area} has no areas below it; the map shows every {levels} in {parent}.",
    },
    "ringkasan.compare": {"id": "Dibanding {parent}", "en": "Compared with {parent}"},
    "ringkasan.compare_children": {
        "id": "Dibanding {area}: {levels} yang paling berbeda",
        "en": "Compared with {area}: the {levels} most unlike it",
    },
    "ringkasan.no_comparison": {
        "id": "Tidak ada perbedaan yang menonjol untuk {area} di data ini.",
        "en": "Nothing in this data sets {area} apart.",
    },
    "ringkasan.indicators": {
        "id": "Indikator utama {area} dan wilayah sekitarnya",
        "en": "Headline indicators of {area} and the areas around it",
    },
    "col.role": {"id": "Kedudukan", "en": "Role"},
    "role.area": {"id": "wilayah ini", "en": "this area"},
    "role.parent": {"id": "wilayah induk", "en": "parent area"},
    "role.child": {"id": "wilayah di bawahnya", "en": "area below"},
    # ------------------------------------------------------------------ page: Penduduk
    "penduduk.measure": {"id": "Tampilkan", "en": "Show"},
    "measure.persons": {"id": "Jumlah", "en": "Counts"},
    "measure.share": {"id": "Persentase", "en": "Shares"},
    "penduduk.outline": {"id": "Garis bentuk {parent}", "en": "Outline of {parent}"},
    "penduduk.broad": {"id": "Kelompok umur besar", "en": "Broad age groups"},
    "penduduk.broad_group": {"id": "Umur {group}", "en": "Aged {group}"},
    "penduduk.broad_title": {
        "id": "Penduduk umur 0–14, 15–64 dan 65+, {area}",
        "en": "Persons aged 0–14, 15–64 and 65+, {area}",
    },
    "penduduk.age_table": {"id": "Tabel kelompok umur", "en": "Age-group table"},
    "penduduk.age_table_title": {
        "id": "Penduduk menurut kelompok umur dan jenis kelamin, {area}",
        "en": "Persons by age group and sex, {area}",
    },
    # ------------------------------------------------------------------ page: Pendidikan
    "pendidikan.scope": {
        "id": "Pendidikan tertinggi yang ditamatkan (ijazah), penduduk umur 5 tahun ke atas.",
        "en": "Highest level completed (certificate), persons aged 5 and over.",
    },
    # ------------------------------------------------------------------ page: SP Online
    "online.date": {"id": "Keadaan pada tanggal", "en": "Status on"},
    "online.rate_card": {"id": "KK selesai, {date}", "en": "Households complete, {date}"},
    "online.days_left": {"id": "Sisa hari sampai {deadline}", "en": "Days left to {deadline}"},
    "online.needed": {"id": "KK yang masih diperlukan", "en": "Households still needed"},
    "online.pace_needed": {"id": "Laju yang diperlukan", "en": "Pace needed"},
    "online.pace_last_7_days": {"id": "Laju 7 hari terakhir", "en": "Pace of the last 7 days"},
    "online.pace_unit": {"id": "KK per hari", "en": "households a day"},
    "online.deadline_short": {
        "id": "batas waktu sudah tiba, kurang {households} KK",
        "en": "deadline day: {households} households short",
    },
    "online.deadline_met": {"id": "batas waktu sudah tiba, target tercapai", "en": "deadline day: target met"},
    "online.projected": {"id": "Target tercapai (perkiraan)", "en": "Target reached (projected)"},
    "online.projected_never": {"id": "tidak pada laju ini", "en": "not at this pace"},
    "online.projected_help": {
        "id": "Tanggal target tercapai jika laju 7 hari terakhir berlanjut.",
        "en": "The date the target is reached if the pace of the last 7 days continues.",
    },
    "online.attention": {
        "id": "Kelurahan/desa yang paling perlu perhatian, {date}",
        "en": "Villages most in need of attention, {date}",
    },
    "online.attention_help": {
        "id": "Persentase KK selesai terendah lebih dulu; hanya yang belum mencapai target.",
        "en": "Lowest share of households complete first; only those short of the target.",
    },
    "online.attention_none": {
        "id": "Semua kelurahan/desa sudah mencapai target pada {date}.",
        "en": "Every village had reached the target on {date}.",
    },
    # ------------------------------------------------------------------ page: ASN
    "asn.date": {"id": "Keadaan pada tanggal", "en": "Status on"},
    "asn.count_card": {"id": "Jumlah ASN selesai", "en": "Civil servants complete"},
    "asn.of_employees": {"id": "dari {employees} ASN", "en": "of {employees} civil servants"},
    "asn.scope": {
        "id": "ASN dihitung per OPD pemerintah {area}; angka ini tidak dibagi per kecamatan atau kelurahan.",
        "en": "Civil servants are counted by agency (OPD) of the {area} government; these figures are not split "
        "by district or village.",
    },
    "asn.none": {"id": "Tidak ada data ASN untuk wilayah ini.", "en": "There are no civil-servant data for this area."},
    # ------------------------------------------------------------------ page: Bandingkan
    "compare.areas": {"id": "Wilayah yang dibandingkan (2–4)", "en": "Areas to compare (2–4)"},
    "compare.too_few": {
        "id": "Pilih dua sampai empat wilayah untuk dibandingkan.",
        "en": "Choose two to four areas to compare.",
    },
    "compare.indicators": {"id": "Indikator utama", "en": "Headline indicators"},
    "compare.indicators_title": {
        "id": "Indikator utama wilayah yang dibandingkan",
        "en": "Headline indicators of the areas compared",
    },
    # ------------------------------------------------------------------ page: Data & metode
    "method.datasets": {"id": "Dataset yang dimuat", "en": "Datasets loaded"},
    "method.datasets_title": {
        "id": "Dataset di penyimpanan, dengan asal-usulnya",
        "en": "Datasets in the store, with their provenance",
    },
    "method.checks": {"id": "Pemeriksaan data", "en": "Data checks"},
    "method.checks_when": {
        "id": "Dijalankan setiap kali data dimuat; hasilnya disimpan bersama data.",
        "en": "Run whenever data is loaded; their results are kept with the data.",
    },
    "method.check_ok": {"id": "lolos", "en": "passed"},
    "method.check_fail": {"id": "GAGAL: {count} masalah", "en": "FAILED: {count} problems"},
    "method.definitions": {"id": "Metadata indikator", "en": "Indicator metadata"},
    "method.definitions_title": {
        "id": "Definisi, rumus dan sumber setiap indikator",
        "en": "Definition, formula and source of every indicator",
    },
    "method.indicators": {
        "id": "Indikator {area}, wilayah induk dan wilayah di bawahnya",
        "en": "Indicators of {area}, its parent area and the areas below it",
    },
    "method.about": {
        "id": "Penyimpanan hanya berisi agregat (jumlah orang per kelurahan, jenis kelamin, umur dan pendidikan); "
        "tidak ada catatan per orang. Setiap angka di dasbor berasal dari satu kueri bernama di folder "
        "queries/, dan setiap indikator dihitung dari kueri itu dengan rumus di bawah ini.",
        "en": "The store holds aggregates only (persons by village, sex, age and education); no record of any "
        "person. Every figure on the dashboard comes from one named query in the queries/ folder, and every "
        "indicator is computed from it with the formula below.",
    },
    "check.check_population_reconciles": {
        "id": "Penduduk: setiap kelurahan sama dengan datanya, setiap wilayah sama dengan jumlah wilayah di bawahnya",
        "en": "Population: every village equals its facts, every area the sum of the areas below it",
    },
    "check.check_online_reconciles": {
        "id": "SP Online: setiap kelurahan sama dengan datanya, setiap wilayah sama dengan jumlah di bawahnya, "
        "per hari",
        "en": "SP Online: every village equals its facts, every area the sum of the areas below it, day by day",
    },
    "check.check_progress_bounds": {
        "id": "SP Online dan ASN: 0 ≤ selesai ≤ mengirim ≤ basis, persentase antara 0 dan 100, tidak pernah turun",
        "en": "SP Online and ASN: 0 ≤ complete ≤ submitted ≤ base, rates within 0–100%, never falling",
    },
    "check.check_codes_known": {
        "id": "Setiap kode wilayah, jenis kelamin, pendidikan dan OPD dikenal; tidak ada jumlah negatif",
        "en": "Every area, sex, education and agency code is known; no negative count",
    },
    "check.check_datasets": {
        "id": "Setiap dataset tercatat dengan sumber dan sha256-nya",
        "en": "Every dataset is recorded with its source and sha256",
    },
    # ------------------------------------------------------------------ area levels
    "level.nation": {"id": "Nasional", "en": "Nation"},
    "level.province": {"id": "Provinsi", "en": "Province"},
    "level.regency": {"id": "Kabupaten/kota", "en": "Regency/city"},
    "level.district": {"id": "Kecamatan", "en": "District (kecamatan)"},
    "level.village": {"id": "Kelurahan/desa", "en": "Village (kelurahan/desa)"},
    "levels.province": {"id": "provinsi", "en": "provinces"},
    "levels.regency": {"id": "kabupaten/kota", "en": "regencies/cities"},
    "levels.district": {"id": "kecamatan", "en": "districts"},
    "levels.village": {"id": "kelurahan/desa", "en": "villages"},
    "noun.nation": {"id": "negara", "en": "nation"},
    "noun.province": {"id": "provinsi", "en": "province"},
    "noun.regency": {"id": "kabupaten/kota", "en": "regency/city"},
    "noun.district": {"id": "kecamatan", "en": "district"},
    "noun.village": {"id": "kelurahan/desa", "en": "village"},
    "filter.all": {"id": "Semua {levels}", "en": "All {levels}"},
    # ------------------------------------------------------------------ codes
    "sex.1": {"id": "Laki-laki", "en": "Male"},
    "sex.2": {"id": "Perempuan", "en": "Female"},
    "sex.all": {"id": "Laki-laki + perempuan", "en": "Male + female"},
    # ------------------------------------------------------------------ the "Lihat data" block and exports
    "data.show": {"id": "Lihat data", "en": "View data"},
    "data.csv": {"id": "Unduh CSV", "en": "Download CSV"},
    "data.xlsx": {"id": "Unduh XLSX", "en": "Download XLSX"},
    "data.suppressed": {"id": "<{k}", "en": "<{k}"},
    "data.withheld": {"id": "dirahasiakan", "en": "withheld"},
    # ------------------------------------------------------------------ the upload page (administrators)
    "upload.caption": {
        "id": "Muat ekstrak sensus dari berkas CSV, XLSX atau Parquet, diperiksa sama seperti `python -m sensus "
        "ingest`. Berkas dimuat ke salinan penyimpanan; salinan itu menggantikan data lama hanya bila "
        "seluruh berkas benar dan pemeriksaan lolos. Selama itu dasbor tetap menampilkan data lama.",
        "en": "Load a census extract from a CSV, XLSX or Parquet file, checked as `python -m sensus ingest` does. "
        "The file is loaded into a copy of the store, which replaces the old data only when the whole file "
        "is right and the checks pass. Meanwhile the dashboard keeps showing the old data.",
    },
    "upload.disabled": {
        "id": "Unggah data tidak tersedia: belum ada kata sandi administrator (admin_password di secrets "
        "Streamlit atau SENSUS_ADMIN_PASSWORD).",
        "en": "Uploading is not available: no administrator password is set (admin_password in Streamlit "
        "secrets or SENSUS_ADMIN_PASSWORD).",
    },
    "upload.password": {"id": "Kata sandi administrator", "en": "Administrator password"},
    "upload.sign_in": {"id": "Masuk", "en": "Sign in"},
    "upload.wrong_password": {"id": "Kata sandi salah.", "en": "Wrong password."},
    "upload.kind": {"id": "Jenis data", "en": "Kind of data"},
    "upload.kind.areas": {"id": "Wilayah", "en": "Areas"},
    "upload.kind.population": {"id": "Penduduk", "en": "Population"},
    "upload.kind.online": {"id": "SP Online", "en": "SP Online"},
    "upload.kind.asn": {"id": "ASN", "en": "Civil servants (ASN)"},
    "upload.file": {
        "id": "Berkas (CSV, XLSX atau Parquet, paling besar {mb} MB)",
        "en": "File (CSV, XLSX or Parquet, at most {mb} MB)",
    },
    "upload.sheet": {"id": "Lembar (XLSX, boleh kosong)", "en": "Sheet (XLSX, may be left empty)"},
    "upload.load": {"id": "Periksa dan muat", "en": "Check and load"},
    "upload.no_file": {"id": "Pilih berkas dulu.", "en": "Choose a file first."},
    "upload.too_large": {
        "id": "{name} berukuran {size} MB; batasnya {mb} MB. Tidak ada yang dimuat.",
        "en": "{name} is {size} MB; the limit is {mb} MB. Nothing was loaded.",
    },
    "upload.loading": {"id": "Memeriksa dan memuat {name}…", "en": "Checking and loading {name}…"},
    "upload.loaded": {
        "id": "{name} dimuat: data {kind} yang baru kini berlaku.",
        "en": "{name} loaded: the new {kind} data is now in force.",
    },
    "upload.refused": {
        "id": "{name} ditolak ({count} masalah); data lama tetap berlaku.",
        "en": "{name} was refused ({count} problems); the old data stays in force.",
    },
    "upload.read": {"id": "Yang dibaca", "en": "What was read"},
    "upload.problems": {"id": "Yang ditolak", "en": "What was refused"},
    "col.row": {"id": "Baris", "en": "Row"},
    "col.column": {"id": "Kolom", "en": "Column"},
    "col.expected": {"id": "Seharusnya", "en": "Expected"},
    # ------------------------------------------------------------------ small-cell protection (sensus.privacy)
    "privacy.on": {
        "id": "Perlindungan sel kecil aktif: di bawah tingkat kecamatan, jumlah 1–{top} orang "
        'ditampilkan sebagai "<{k}"',
        "en": 'Small-cell protection on: below kecamatan level, counts of 1–{top} persons are shown as "<{k}"',
    },
    "privacy.off": {
        "id": "Perlindungan sel kecil NONAKTIF: semua angka ditampilkan (hanya untuk penggunaan internal)",
        "en": "Small-cell protection OFF: every figure is shown (internal use only)",
    },
    "privacy.withheld": {
        "id": "Demi kerahasiaan data sensus (UU 16/1997), {cells} angka disembunyikan",
        "en": "To keep census answers confidential (Law 16/1997), {cells} figures are withheld",
    },
    "privacy.small": {
        "id": "{small} karena kurang dari {k} orang",
        "en": "{small} because they count fewer than {k} persons",
    },
    "privacy.second": {
        "id": "{second} agar tidak dapat dihitung dari totalnya",
        "en": "{second} so that they cannot be worked out from the totals",
    },
    "privacy.rest": {
        "id": "persentase yang bergantung padanya juga tidak ditampilkan. Tampilan yang sama di tingkat kecamatan "
        "memuat angka lengkap.",
        "en": "shares built on them are withheld too. The same view at kecamatan level has complete figures.",
    },
    "export.title": {"id": "Judul", "en": "Title"},
    "export.source": {"id": "Sumber", "en": "Source"},
    "export.area": {"id": "Wilayah", "en": "Area"},
    "export.date": {"id": "Tanggal data", "en": "Data date"},
    "export.filters": {"id": "Filter", "en": "Filters"},
    "export.exported": {"id": "Diunduh", "en": "Downloaded"},
    "export.synthetic": {"id": "Catatan", "en": "Note"},
    "export.census_date": {"id": "SP2020 (keadaan September 2020)", "en": "SP2020 (as of September 2020)"},
    # ------------------------------------------------------------------ column names of tables and downloads
    "col.code": {"id": "Kode", "en": "Code"},
    "col.name": {"id": "Nama", "en": "Name"},
    "col.area": {"id": "Wilayah", "en": "Area"},
    "col.district": {"id": "Kecamatan", "en": "District"},
    "col.level": {"id": "Tingkat", "en": "Level"},
    "col.age_group": {"id": "Kelompok umur", "en": "Age group"},
    "col.sex": {"id": "Jenis kelamin", "en": "Sex"},
    "col.male": {"id": "Laki-laki", "en": "Male"},
    "col.female": {"id": "Perempuan", "en": "Female"},
    "col.persons": {"id": "Penduduk", "en": "Persons"},
    "col.share": {"id": "Persentase", "en": "Share"},
    "col.parent_share": {"id": "Persentase {parent}", "en": "Share in {parent}"},
    "col.sex_ratio": {"id": "Rasio jenis kelamin", "en": "Sex ratio"},
    "col.education": {"id": "Pendidikan tertinggi", "en": "Highest education"},
    "col.date": {"id": "Tanggal", "en": "Date"},
    "col.base": {"id": "KK basis", "en": "Base households"},
    "col.submitted": {"id": "KK mengirim", "en": "Households submitted"},
    "col.complete": {"id": "KK selesai", "en": "Households complete"},
    "col.new_submitted": {"id": "Mengirim hari itu", "en": "Submitted that day"},
    "col.new_complete": {"id": "Selesai hari itu", "en": "Completed that day"},
    "col.rate": {"id": "Selesai (% basis)", "en": "Complete (% of base)"},
    "col.submitted_rate": {"id": "Mengirim (% basis)", "en": "Submitted (% of base)"},
    "col.target": {"id": "Target", "en": "Target"},
    "col.gap": {"id": "Kurang dari target", "en": "Short of target"},
    "col.rank": {"id": "Peringkat", "en": "Rank"},
    "col.agency": {"id": "OPD", "en": "Agency (OPD)"},
    "col.short_name": {"id": "Singkatan", "en": "Short name"},
    "col.employees": {"id": "ASN", "en": "Civil servants"},
    "col.asn_complete": {"id": "ASN selesai", "en": "Civil servants complete"},
    "col.higher_share": {"id": "Berpendidikan tinggi", "en": "Higher education"},
    "col.with_education": {"id": "Penduduk umur 5+", "en": "Persons aged 5+"},
    "col.dependency_young": {"id": "Rasio ketergantungan muda", "en": "Young dependency ratio"},
    "col.dependency_old": {"id": "Rasio ketergantungan tua", "en": "Old dependency ratio"},
    "col.indicator": {"id": "Indikator", "en": "Indicator"},
    "col.value": {"id": "Nilai", "en": "Value"},
    "col.definition": {"id": "Definisi", "en": "Definition"},
    "col.formula": {"id": "Rumus", "en": "Formula"},
    "col.data_source": {"id": "Sumber data", "en": "Data source"},
    "col.check": {"id": "Pemeriksaan", "en": "Check"},
    "col.result": {"id": "Hasil", "en": "Result"},
    "col.problems": {"id": "Masalah", "en": "Problems"},
    "col.id": {"id": "No.", "en": "No."},
    "col.kind": {"id": "Jenis", "en": "Kind"},
    "col.source_file": {"id": "Berkas sumber", "en": "Source file"},
    "col.rows_read": {"id": "Baris dibaca", "en": "Rows read"},
    "col.persons_read": {"id": "Penduduk dibaca", "en": "Persons read"},
    "col.loaded_at": {"id": "Dimuat", "en": "Loaded"},
    "col.synthetic": {"id": "Sintetis", "en": "Synthetic"},
    "col.description": {"id": "Keterangan", "en": "Description"},
    "col.sha256": {"id": "sha256", "en": "sha256"},
    "yes": {"id": "ya", "en": "yes"},
    "no": {"id": "tidak", "en": "no"},
    # ------------------------------------------------------------------ axes and legends
    "axis.age_group": {"id": "Kelompok umur", "en": "Age group"},
    "axis.persons": {"id": "Jumlah penduduk", "en": "Persons"},
    "axis.share_population": {"id": "Persentase dari seluruh penduduk", "en": "Share of the whole population"},
    "axis.sex_ratio": {"id": "Laki-laki per 100 perempuan", "en": "Males per 100 females"},
    "axis.share_within_sex": {"id": "Persentase dalam jenis kelamin", "en": "Share within sex"},
    "axis.share_within_age": {"id": "Persentase dalam kelompok umur", "en": "Share within age group"},
    "axis.share_within_area": {"id": "Persentase penduduk umur 5+", "en": "Share of persons aged 5+"},
    "axis.online_rate": {"id": "KK selesai (% basis)", "en": "Households complete (% of base)"},
    "axis.households": {"id": "Rumah tangga (KK)", "en": "Households"},
    "axis.asn_rate": {"id": "ASN selesai (% pegawai)", "en": "Civil servants complete (% of staff)"},
    "legend.parity": {"id": "Seimbang (100)", "en": "Parity (100)"},
    "legend.outline": {"id": "Bentuk {parent}", "en": "Shape of {parent}"},
    "legend.target": {"id": "Target {value}", "en": "Target {value}"},
    "legend.reached": {"id": "Mencapai target", "en": "Target reached"},
    "legend.below": {"id": "Belum mencapai target", "en": "Below target"},
    "legend.submitted": {"id": "Mengirim", "en": "Submitted"},
    "legend.complete": {"id": "Selesai (bersih)", "en": "Complete (clean)"},
    "legend.deadline_original": {"id": "Batas awal {date}", "en": "Original deadline {date}"},
    "legend.deadline_extended": {"id": "Diperpanjang s.d. {date}", "en": "Extended to {date}"},
    "legend.chosen_date": {"id": "Tanggal dipilih", "en": "Chosen date"},
    "hover.households": {"id": "{value} KK", "en": "{value} households"},
    "hover.of": {"id": "{part} dari {whole}", "en": "{part} of {whole}"},
    # ------------------------------------------------------------------ chart titles
    "chart.pyramid": {"id": "Piramida penduduk", "en": "Population pyramid"},
    "chart.sex_ratio_by_age": {"id": "Rasio jenis kelamin menurut umur", "en": "Sex ratio by age"},
    "chart.education_by_sex": {"id": "Pendidikan tertinggi menurut jenis kelamin", "en": "Highest education by sex"},
    "chart.education_by_age": {"id": "Pendidikan tertinggi menurut umur", "en": "Highest education by age"},
    "chart.education_by_child_area": {"id": "Pendidikan tertinggi per {level}", "en": "Highest education by {level}"},
    "chart.education_ranked": {
        "id": "Urut menurut persentase berpendidikan tinggi (Diploma I ke atas)",
        "en": "Ranked by the share with higher education (Diploma I and above)",
    },
    "chart.online_by_child_area": {
        "id": "KK selesai SP Online per {level}",
        "en": "Households complete in SP Online by {level}",
    },
    "chart.submitted_vs_complete": {
        "id": "KK mengirim dan selesai per {level}",
        "en": "Households submitted and complete by {level}",
    },
    "chart.online_trend": {"id": "SP Online dari hari ke hari", "en": "SP Online day by day"},
    "chart.asn_by_agency": {"id": "ASN selesai SP Online per OPD", "en": "Civil servants complete by agency (OPD)"},
    "chart.asn_trend": {"id": "ASN selesai SP Online dari hari ke hari", "en": "Civil servants complete, day by day"},
    "chart.compare_pyramids": {"id": "Piramida penduduk (persentase)", "en": "Population pyramids (shares)"},
    "chart.compare_education": {"id": "Pendidikan tertinggi, umur 5+", "en": "Highest education, aged 5+"},
    "chart.compare_online": {
        "id": "KK selesai SP Online dari hari ke hari",
        "en": "Households complete in SP Online, day by day",
    },
    # ------------------------------------------------------------------ indicators (BPS "Metadata Indikator" style)
    "indicator.persons": {"id": "Jumlah penduduk", "en": "Population"},
    "indicator.persons.definition": {
        "id": "Semua orang yang berdomisili di wilayah ini menurut SP2020.",
        "en": "Everyone living in the area according to SP2020.",
    },
    "indicator.persons.formula": {"id": "Σ penduduk", "en": "Σ persons"},
    "indicator.persons.source": {
        "id": "Tabel population (kubus agregat per kelurahan, jenis kelamin, umur, pendidikan).",
        "en": "Table population (aggregate cube by village, sex, age, education).",
    },
    "indicator.sex_ratio": {"id": "Rasio jenis kelamin", "en": "Sex ratio"},
    "indicator.sex_ratio.definition": {
        "id": "Banyaknya laki-laki untuk setiap 100 perempuan.",
        "en": "Males for every 100 females.",
    },
    "indicator.sex_ratio.formula": {"id": "100 × laki-laki / perempuan", "en": "100 × males / females"},
    "indicator.sex_ratio.source": {"id": "Tabel population.", "en": "Table population."},
    "indicator.median_age": {"id": "Umur median", "en": "Median age"},
    "indicator.median_age.definition": {
        "id": "Umur yang membagi penduduk menjadi dua kelompok sama besar: separuh lebih muda, separuh lebih tua.",
        "en": "The age that splits the population in two equal halves: half younger, half older.",
    },
    "indicator.median_age.formula": {
        "id": "L + (N/2 − F) / f × h, interpolasi dalam kelas umur median",
        "en": "L + (N/2 − F) / f × h, interpolated within the median age class",
    },
    "indicator.median_age.unit": {"id": "tahun", "en": "years"},
    "indicator.median_age.source": {
        "id": "Tabel population (umur tunggal atau kelompok).",
        "en": "Table population (single years or groups).",
    },
    "indicator.dependency_total": {"id": "Rasio ketergantungan", "en": "Dependency ratio"},
    "indicator.dependency_total.definition": {
        "id": "Penduduk umur 0–14 dan 65+ untuk setiap 100 penduduk umur produktif 15–64.",
        "en": "Persons aged 0–14 and 65+ for every 100 persons of working age 15–64.",
    },
    "indicator.dependency_total.formula": {
        "id": "100 × (P0–14 + P65+) / P15–64",
        "en": "100 × (P0–14 + P65+) / P15–64",
    },
    "indicator.dependency_total.source": {"id": "Tabel population.", "en": "Table population."},
    "indicator.density": {"id": "Kepadatan penduduk", "en": "Population density"},
    "indicator.density.definition": {
        "id": "Banyaknya penduduk per kilometer persegi luas wilayah.",
        "en": "Persons per square kilometre of land area.",
    },
    "indicator.density.formula": {"id": "penduduk / luas (km²)", "en": "persons / area (km²)"},
    "indicator.density.unit": {"id": "jiwa/km²", "en": "per km²"},
    "indicator.density.source": {
        "id": "Tabel population; luas dari tabel areas (BPS, Kota Kupang Dalam Angka 2021).",
        "en": "Table population; area from table areas (BPS, Kota Kupang Dalam Angka 2021).",
    },
    "indicator.higher_education_share": {"id": "Persentase berpendidikan tinggi", "en": "Share with higher education"},
    "indicator.higher_education_share.short": {"id": "Berpendidikan tinggi", "en": "Higher education"},
    "indicator.higher_education_share.definition": {
        "id": "Persentase penduduk umur 5 tahun ke atas yang ijazah tertingginya Diploma I atau lebih tinggi.",
        "en": "Share of persons aged 5 and over whose highest certificate is Diploma I or higher.",
    },
    "indicator.higher_education_share.formula": {
        "id": "100 × (D I–III + D IV/S1 + S2/S3) / penduduk umur 5+",
        "en": "100 × (D I–III + D IV/bachelor + master/doctorate) / persons aged 5+",
    },
    "indicator.higher_education_share.source": {
        "id": "Tabel population; jenjang dari tabel education_levels (pengelompokan publikasi BPS).",
        "en": "Table population; levels from table education_levels (BPS publication grouping).",
    },
    "indicator.online_rate": {"id": "KK selesai SP Online", "en": "Households complete in SP Online"},
    "indicator.online_rate.short": {"id": "KK selesai SP Online", "en": "SP Online complete"},
    "indicator.online_rate.definition": {
        "id": "Persentase keluarga (KK) dari basis Dukcapil yang sudah menyelesaikan SP Online dengan isian bersih.",
        "en": "Share of families (KK) in the Dukcapil registry base whose SP Online return is complete (clean).",
    },
    "indicator.online_rate.formula": {
        "id": "100 × KK selesai / KK basis",
        "en": "100 × households complete / base households",
    },
    "indicator.online_rate.source": {
        "id": "Tabel online_progress (kumulatif harian per kelurahan); target dari tabel targets.",
        "en": "Table online_progress (cumulative, daily, per village); target from table targets.",
    },
    "indicator.online_pace": {"id": "Laju yang diperlukan", "en": "Pace needed"},
    "indicator.online_pace.definition": {
        "id": "KK yang masih harus selesai setiap hari agar target tercapai pada batas waktu yang berlaku; "
        "dibandingkan dengan rata-rata KK selesai per hari selama 7 hari terakhir.",
        "en": "Households that must still complete each day to reach the target by the deadline in force; "
        "compared with the average households completed per day over the last 7 days.",
    },
    "indicator.online_pace.formula": {
        "id": "(⌈target × KK basis⌉ − KK selesai) / sisa hari",
        "en": "(⌈target × base households⌉ − households complete) / days left",
    },
    "indicator.online_pace.source": {
        "id": "Tabel online_progress dan timeline.",
        "en": "Tables online_progress and timeline.",
    },
    "indicator.asn_rate": {"id": "ASN selesai SP Online", "en": "Civil servants complete in SP Online"},
    "indicator.asn_rate.short": {"id": "ASN selesai SP Online", "en": "Civil servants complete"},
    "indicator.asn_rate.definition": {
        "id": "Persentase ASN (pegawai OPD pemerintah kota) yang sudah menyelesaikan SP Online.",
        "en": "Share of civil servants (staff of the city's agencies, OPD) who have completed SP Online.",
    },
    "indicator.asn_rate.formula": {
        "id": "100 × ASN selesai / ASN",
        "en": "100 × civil servants complete / civil servants",
    },
    "indicator.asn_rate.source": {
        "id": "Tabel asn_progress (kumulatif harian per OPD); target 80% dari rakor 18 Maret 2020.",
        "en": "Table asn_progress (cumulative, daily, per agency); 80% target from the 18 March 2020 meeting.",
    },
    # ------------------------------------------------------------------ comparisons in words
    "compare.sentence": {
        "id": "{indicator} {area} {ratio} angka {parent} ({value} dibanding {parent_value}).",
        "en": "{indicator} in {area} is {ratio} the {parent} figure ({value} against {parent_value}).",
    },
    "ratio.same": {"id": "hampir sama dengan", "en": "about the same as"},
    "ratio.above": {"id": "sedikit di atas", "en": "slightly above"},
    "ratio.below": {"id": "sedikit di bawah", "en": "slightly below"},
    "ratio.one_and_half": {"id": "sekitar satu setengah kali", "en": "about one and a half times"},
    "ratio.three_quarters": {"id": "sekitar tiga perempat", "en": "about three quarters of"},
    "ratio.two_thirds": {"id": "sekitar dua pertiga", "en": "about two thirds of"},
    "ratio.times": {"id": "sekitar {n} kali", "en": "about {n} times"},
    "ratio.fraction": {"id": "sekitar {fraction}", "en": "about {fraction}"},
    "ratio.more_than": {"id": "lebih dari {n} kali", "en": "more than {n} times"},
    "ratio.less_than": {"id": "kurang dari {fraction}", "en": "less than {fraction}"},
    # ------------------------------------------------------------------ rakor: presentation, deck, briefing
    "rakor.slide.title": {"id": "Rapat koordinasi SP2020", "en": "SP2020 coordination meeting"},
    "rakor.slide.indicators": {"id": "Indikator utama, {area}", "en": "Headline indicators, {area}"},
    "rakor.slide.pyramid": {"id": "Piramida penduduk, {area}", "en": "Population pyramid, {area}"},
    "rakor.slide.education": {
        "id": "Pendidikan tertinggi, umur 5+, {area}",
        "en": "Highest education, aged 5+, {area}",
    },
    "rakor.slide.online_areas": {"id": "SP Online per wilayah, {area}", "en": "SP Online by area, {area}"},
    "rakor.slide.online_trend": {"id": "Laju SP Online, {area}", "en": "SP Online pace, {area}"},
    "rakor.slide.asn_agencies": {"id": "ASN per OPD", "en": "Civil servants by agency (OPD)"},
    "rakor.slide.attention": {
        "id": "Kelurahan yang perlu perhatian, {area}",
        "en": "Villages that need attention, {area}",
    },
    "rakor.slide.sources": {"id": "Sumber dan definisi", "en": "Sources and definitions"},
    "rakor.headline.title": {"id": "Keadaan {date}", "en": "Status on {date}"},
    "rakor.headline.indicators": {
        "id": "{persons} penduduk, {density} per km²",
        "en": "{persons} people, {density} per km²",
    },
    "rakor.headline.pyramid": {
        "id": "Separuh penduduk berumur di bawah {median}",
        "en": "Half the population is younger than {median}",
    },
    "rakor.headline.pyramid_persons": {
        "id": "{persons} penduduk menurut umur dan jenis kelamin",
        "en": "{persons} people by age and sex",
    },
    "rakor.headline.education": {
        "id": "{share} penduduk umur 5+ berijazah Diploma I ke atas",
        "en": "{share} of people aged 5+ hold a diploma or a degree",
    },
    "rakor.headline.online_below": {
        "id": "Baru {rate} KK selesai SP Online; target {target}",
        "en": "Only {rate} of households have completed SP Online; target {target}",
    },
    "rakor.headline.online_reached": {
        "id": "{rate} KK selesai SP Online: target {target} tercapai",
        "en": "{rate} of households have completed SP Online: the {target} target is met",
    },
    "rakor.headline.trend": {
        "id": "Perlu {needed} KK selesai per hari sampai {deadline}; 7 hari terakhir {last} per hari",
        "en": "{needed} households a day are needed until {deadline}; the last 7 days averaged {last}",
    },
    "rakor.headline.trend_missed": {
        "id": "Batas waktu {deadline} telah tiba: masih kurang {gap} KK dari target",
        "en": "The {deadline} deadline has arrived: {gap} households short of the target",
    },
    "rakor.headline.trend_reached": {
        "id": "Target tercapai sebelum batas waktu {deadline}",
        "en": "The target is met ahead of the {deadline} deadline",
    },
    "rakor.headline.asn_below": {
        "id": "Baru {rate} ASN mengisi SP Online; target {target}",
        "en": "Only {rate} of civil servants have completed SP Online; target {target}",
    },
    "rakor.headline.asn_reached": {
        "id": "{rate} ASN sudah mengisi SP Online: target {target} tercapai",
        "en": "{rate} of civil servants have completed SP Online: the {target} target is met",
    },
    "rakor.headline.attention": {
        "id": "{first} baru {rate}: perlu {gap} KK lagi untuk mencapai target",
        "en": "{first} is at {rate}: {gap} more households are needed to reach the target",
    },
    "rakor.headline.attention_none": {
        "id": "Semua kelurahan sudah mencapai target",
        "en": "Every village has reached the target",
    },
    "rakor.headline.sources": {"id": "Dari mana angka-angka ini", "en": "Where these numbers come from"},
    "rakor.sources.dataset": {"id": "Data", "en": "Data"},
    "rakor.sources.target.online_households": {
        "id": "Target SP Online: {value} KK basis",
        "en": "SP Online target: {value} of base households",
    },
    "rakor.sources.target.asn": {"id": "Target ASN: {value}", "en": "Civil servant target: {value}"},
    "rakor.sources.privacy": {"id": "Kerahasiaan", "en": "Confidentiality"},
    "legend.pace_needed": {"id": "Laju yang diperlukan", "en": "Pace needed"},
    "rakor.date": {"id": "Tanggal rakor", "en": "Meeting date"},
    "rakor.previous": {"id": "Sebelumnya", "en": "Previous"},
    "rakor.next": {"id": "Berikutnya", "en": "Next"},
    "rakor.slide": {"id": "Slide", "en": "Slide"},
    "rakor.previous_area": {"id": "Wilayah sebelumnya", "en": "Previous area"},
    "rakor.next_area": {"id": "Wilayah berikutnya", "en": "Next area"},
    "rakor.download_deck": {"id": "Unduh PowerPoint", "en": "Download PowerPoint"},
    "rakor.download_briefing": {"id": "Unduh briefing offline (HTML)", "en": "Download offline briefing (HTML)"},
    "rakor.download_card": {"id": "Unduh kartu grafik (PNG)", "en": "Download chart card (PNG)"},
    "rakor.exit": {"id": "Keluar dari presentasi", "en": "Leave the presentation"},
    "rakor.keys": {
        "id": "Tombol panah: ← → pindah slide, ↑ ↓ pindah wilayah.",
        "en": "Arrow keys: ← → change slide, ↑ ↓ change area.",
    },
    "rakor.card.no_kaleido": {
        "id": "Kartu grafik (PNG) belum bisa dibuat: paket kaleido tidak terpasang (pip install -r requirements.txt).",
        "en": "Chart cards (PNG) cannot be made here: the kaleido package is not installed "
        "(pip install -r requirements.txt).",
    },
    "rakor.card.no_chromium": {
        "id": "Kartu grafik (PNG) belum bisa dibuat: server tidak memiliki Chrome atau Chromium "
        "(apt-get install chromium, atau tunjukkan lokasinya dengan BROWSER_PATH).",
        "en": "Chart cards (PNG) cannot be made here: the server has no Chrome or Chromium "
        "(apt-get install chromium, or point BROWSER_PATH at one).",
    },
}

NUMBER_WORDS = {
    "id": {
        2: "dua",
        3: "tiga",
        4: "empat",
        5: "lima",
        6: "enam",
        7: "tujuh",
        8: "delapan",
        9: "sembilan",
        10: "sepuluh",
    },
    "en": {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"},
}
FRACTION_WORDS = {
    "id": {
        2: "setengah",
        3: "sepertiga",
        4: "seperempat",
        5: "seperlima",
        6: "seperenam",
        7: "sepertujuh",
        8: "seperdelapan",
        9: "sepersembilan",
        10: "sepersepuluh",
    },
    "en": {
        2: "half",
        3: "a third of",
        4: "a quarter of",
        5: "a fifth of",
        6: "a sixth of",
        7: "a seventh of",
        8: "an eighth of",
        9: "a ninth of",
        10: "a tenth of",
    },
}

HEADLINE_INDICATORS = ("persons", "sex_ratio", "median_age", "dependency_total", "density", "higher_education_share")
INDICATORS = (*HEADLINE_INDICATORS, "online_rate", "online_pace", "asn_rate")


def t(key: str, lang: str, **values) -> str:
    """The text for `key` in `lang`, with {placeholders} filled from `values`."""
    try:
        text = STRINGS[key][lang]
    except KeyError:
        if key not in STRINGS:
            raise KeyError(f"no text for {key!r} in sensus/i18n.py") from None
        raise KeyError(f"no {lang!r} text for {key!r}; languages are {LANGUAGES}") from None
    return text.format(**values) if values else text


def sex_label(code: int, lang: str) -> str:
    return t(f"sex.{int(code)}", lang)


def level_label(level: str, lang: str) -> str:
    """The name of one area level: Kecamatan, Kelurahan/desa..."""
    return t(f"level.{level}", lang)


def level_noun(level: str, lang: str) -> str:
    """One area of a level, in running text: kecamatan, kelurahan/desa (id); district, village (en)."""
    return t(f"noun.{level}", lang)


def levels_label(level: str, lang: str) -> str:
    """The plural, in running text: kecamatan, kelurahan/desa (id); districts, villages (en)."""
    return t(f"levels.{level}", lang)


@cache
def _education() -> dict[str, dict[int, str]]:
    levels = read_reference("education.csv")
    return {lang: dict(zip(levels["code"].astype(int), levels[f"label_{lang}"])) for lang in LANGUAGES}


def education_labels(lang: str) -> dict[int, str]:
    """Education level code -> label, in the order of the levels (data/education.csv)."""
    return dict(_education()[lang])


def indicator_metadata(name: str, lang: str) -> dict[str, str]:
    """An indicator's name, definition, formula and data source."""
    return {
        "name": t(f"indicator.{name}", lang),
        "definition": t(f"indicator.{name}.definition", lang),
        "formula": t(f"indicator.{name}.formula", lang),
        "source": t(f"indicator.{name}.source", lang),
    }


def ratio_in_words(ratio: float, lang: str) -> str:
    """A ratio in plain words: 'sekitar empat kali', 'sekitar setengah', 'hampir sama dengan'."""
    if ratio is None or math.isnan(ratio) or ratio <= 0:
        raise ValueError(f"a ratio in words needs a positive number, got {ratio!r}")
    if 0.9 <= ratio <= 1.1:
        return t("ratio.same", lang)
    if 1.1 < ratio < 1.35:
        return t("ratio.above", lang)
    if 0.75 < ratio < 0.9:
        return t("ratio.below", lang)
    if 1.35 <= ratio < 1.75:
        return t("ratio.one_and_half", lang)
    if 0.6 <= ratio <= 0.75:
        return t("ratio.three_quarters" if ratio >= 0.71 else "ratio.two_thirds", lang)
    if ratio >= 1.75:
        times = round(ratio)
        if times > 10:
            return t("ratio.more_than", lang, n=NUMBER_WORDS[lang][10])
        return t("ratio.times", lang, n=NUMBER_WORDS[lang][times])
    parts = round(1 / ratio)
    if parts > 10:
        return t("ratio.less_than", lang, fraction=FRACTION_WORDS[lang][10])
    return t("ratio.fraction", lang, fraction=FRACTION_WORDS[lang][parts])


def indicator_short_name(name: str, lang: str) -> str:
    """The name on a card, where room is short: the indicator's short name if it has one."""
    key = f"indicator.{name}.short"
    return t(key if key in STRINGS else f"indicator.{name}", lang)


def indicator_unit(name: str, lang: str) -> str | None:
    """The unit an indicator is counted in (jiwa/km², tahun), or None for counts, ratios and shares."""
    key = f"indicator.{name}.unit"
    return t(key, lang) if key in STRINGS else None


def format_indicator(name: str, value, lang: str, *, unit: bool = True) -> str:
    """An indicator's value as a card or a sentence shows it, with its unit unless `unit` is false."""
    if name == "persons" or name == "density":
        text = formatting.number(value, lang)
    elif name in ("median_age", "sex_ratio", "dependency_total"):
        text = formatting.decimal(value, lang, 1)
    elif name.endswith(("_share", "_rate")):
        text = formatting.percent(value, lang, 1)
    else:
        raise KeyError(f"no display format for indicator {name!r}")
    units = indicator_unit(name, lang) if unit else None
    return f"{text} {units}" if units else text
