"""The columns each kind of file has: each field's name, the headers it may go by (English or
Indonesian, matched after lower-casing and turning runs of other characters into _), the rule its
values follow (the macros <rule>_value and <rule>_problem of rules.sql), whether a cell may be empty, and
whether several columns may give it (`alike`: the same thing in the other code system or spelling, as
published tables repeat it; the column whose header comes first among the aliases is used)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    aliases: tuple[str, ...]
    rule: str
    required: bool = True  # a cell of this column may not be empty
    alike: bool = False  # several columns may give it; the first alias found wins, the others are ignored

    @property
    def shown(self) -> str:
        return f"{self.aliases[0]} ({self.name})" if self.aliases else self.name


VILLAGE_CODE = (
    "kode_wilayah",
    "kode_desa",
    "kode_kelurahan",
    "kode_desa_kelurahan",
    "kode_kampung",
    "village_code",
    "kode",
)
# Published tables (Open Data / Dukcapil) name the kelurahan in both systems, Kemendagri first.
PUBLISHED_VILLAGE_CODE = (
    "kode_kd",
    "kemendagri_kode_desa_kelurahan",
    "kode_kemendagri",
    "bps_kode_desa_kelurahan",
    "kode_bps_desa_kelurahan",
    "kode_bps",
)
VILLAGE_NAME = (
    "nama_kelurahan",
    "nama_desa",
    "nama_desa_kelurahan",
    "nama_kelurahan_desa",
    "kelurahan",
    "desa",
    "desa_kelurahan",
    "kelurahan_desa",
    "kampung",
    "nama_kampung",
    "kemendagri_nama_desa_kelurahan",
    "bps_desa_kelurahan",
    "bps_nama_desa_kelurahan",
    "village_name",
)
DISTRICT_CODE = (
    "kode_kecamatan",
    "kode_kec",
    "kode_distrik",
    "kemendagri_kode_kecamatan",
    "bps_kode_kecamatan",
    "district_code",
)
DISTRICT_NAME = (
    "nama_kecamatan",
    "kecamatan",
    "distrik",
    "nama_distrik",
    "kemendagri_nama_kecamatan",
    "bps_nama_kecamatan",
    "district_name",
)
REGENCY_NAME = (
    "nama_kabupaten_kota",
    "kabupaten_kota",
    "nama_kab_kota",
    "kab_kota",
    "nama_kabupaten",
    "kabupaten",
    "kemendagri_nama_kabupaten_kota",
    "bps_nama_kabupaten_kota",
    "regency_name",
)
REGENCY_CODE = (
    "kode_kabupaten_kota",
    "kode_kab_kota",
    "kode_kabupaten",
    "kode_kab",
    "kode_kota",
    "kemendagri_kode_kabupaten_kota",
    "bps_kode_kabupaten_kota",
)
PROVINCE_CODE = ("kode_provinsi", "kode_prov", "kemendagri_kode_provinsi", "bps_kode_provinsi")
DATE = ("tanggal", "tgl")

FIELDS = {
    "population": (
        # The areas, finest first: the finest the file has is the area of its rows.
        Field("area_code", VILLAGE_CODE + PUBLISHED_VILLAGE_CODE, "place", alike=True),
        Field("area_name", VILLAGE_NAME, "text", alike=True),
        Field("district_code", DISTRICT_CODE, "place", alike=True),
        Field("district_name", DISTRICT_NAME, "text", alike=True),
        Field("regency_code", REGENCY_CODE, "place", alike=True),
        Field("regency_name", REGENCY_NAME, "text", alike=True),
        Field("province_code", PROVINCE_CODE, "place", alike=True),
        Field("sex", ("jenis_kelamin", "jk", "kelamin", "gender"), "sex"),
        Field("age", ("umur", "usia"), "age"),
        Field(
            "age_group",
            ("kelompok_umur", "kelompok_usia", "kel_umur", "golongan_umur", "kategori_umur", "kategori_usia"),
            "age_group",
        ),
        Field(
            "education",
            ("pendidikan", "ijazah", "ijazah_tertinggi", "pendidikan_tertinggi", "jenis_pendidikan"),
            "education",
            False,
        ),
        Field(
            "persons",
            (
                "jumlah",
                "jumlah_penduduk",
                "jml_penduduk",
                "penduduk",
                "jiwa",
                "jumlah_jiwa",
                "jml_jiwa",
                "count",
                "n",
            ),
            "count",
        ),
        Field("weight", ("bobot", "perwt", "penimbang", "wt"), "weight"),
    ),
    "online": (
        Field("date", DATE, "date"),
        Field("area_code", VILLAGE_CODE, "village"),
        Field("households_base", ("kk_basis", "jumlah_kk"), "count"),
        Field("households_submitted", ("kk_terkirim",), "count"),
        Field("households_complete", ("kk_selesai",), "count"),
    ),
    "asn": (
        Field("date", DATE, "date"),
        Field("agency_code", ("kode_opd",), "text"),
        Field("agency_name", ("nama_opd",), "text"),
        Field("short_name", ("singkatan", "nama_singkat"), "text", False),
        Field("area_code", ("kode_wilayah",), "area"),
        Field("employees", ("jumlah_asn", "asn"), "count"),
        Field("complete", ("asn_selesai",), "count"),
    ),
    "areas": (
        Field("level", ("tingkat",), "level"),
        Field("code", ("kode", "kode_wilayah", "kode_kemendagri"), "kemendagri_code"),
        Field("bps_code", ("kode_bps",), "bps_code", False),
        Field("name", ("nama", "nama_wilayah"), "text"),
        Field("bps_name", ("nama_bps",), "text", False),
        Field("parent_code", ("kode_induk",), "kemendagri_code", False),
        Field("area_km2", ("luas_km2", "luas"), "area_km2", False),
        Field("area_source", ("sumber_luas",), "text", False),
        Field("lat", ("lintang", "latitude"), "latitude", False),
        Field("lon", ("bujur", "longitude"), "longitude", False),
    ),
}
