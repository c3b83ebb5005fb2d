"""The synthetic sample hits its calibration targets, exactly where they are exact."""

from datetime import date

import numpy as np
import pytest

from queries import run
from sensus import check, store
from sensus.sample import apportion, build_sample

CITY = "53.71"


def test_apportion_is_exact_and_proportional():
    assert apportion(10, [1, 1, 1]).tolist() == [4, 3, 3]
    assert apportion(7, [0, 2, 5]).tolist() == [0, 2, 5]
    assert apportion(10, [1, 1], caps=[2, 100]).tolist() == [2, 8]
    with pytest.raises(ValueError, match="within the caps"):
        apportion(10, [1, 1], caps=[2, 3])


def test_total_areas_and_codes_are_the_published_ones(sample):
    summary = run(sample, "store_summary")
    assert summary[["code", "persons", "districts", "villages"]].values.tolist() == [[CITY, 442_758, 6, 51]]
    reference = store.read_reference("areas_5371.csv")
    stored = sample.execute("select code, bps_code, name, area_km2 from areas order by code").df()
    assert stored["code"].tolist() == sorted(reference["code"])
    assert dict(zip(stored["code"], stored["bps_code"])) == dict(zip(reference["code"], reference["bps_code"]))
    districts = stored[stored["code"].str.len() == 8]
    assert dict(zip(districts["name"], districts["area_km2"])) == {
        "Alak": 86.91,
        "Maulafa": 54.80,
        "Kelapa Lima": 15.02,
        "Oebobo": 14.22,
        "Kota Raja": 6.10,
        "Kota Lama": 3.22,
    }


def test_proxies_are_followed(sample):
    city = run(sample, "indicator_counts", area=CITY).iloc[0]
    assert 100 * city["male"] / city["female"] == pytest.approx(101.4, abs=0.01)
    shares = np.array([city["age_0_14"], city["age_15_64"], city["age_65_plus"]]) / city["persons"] * 100
    assert shares == pytest.approx([24.64, 69.47, 5.89], abs=0.1)


def test_sp_online_passes_through_the_published_points(sample):
    trend = run(sample, "online_trend", area=CITY).set_index("date")
    on_2_march = trend.loc[date(2020, 3, 2)]
    assert (on_2_march["submitted"], on_2_march["complete"]) == (4_800, 3_040)
    last = trend.iloc[-1]
    assert trend.index[0] == date(2020, 2, 15) and trend.index[-1] == date(2020, 5, 29)
    assert last["base"] == 78_400
    assert last["complete"] == round(0.184 * 78_400)
    assert trend["target"].iloc[0] == 0.278


def test_asn_near_30_percent_at_the_rakor(sample):
    agencies = run(sample, "asn_by_agency", area=CITY, date=date(2020, 3, 18))
    assert len(agencies) == 55
    assert agencies["complete"].sum() / agencies["employees"].sum() == pytest.approx(0.30, abs=0.001)
    assert (agencies["target"] == 0.8).all()


def test_every_check_passes_and_the_sample_says_it_is_synthetic(sample):
    assert all(result.ok for result in check.run_checks(sample))
    datasets = run(sample, "current_datasets")
    assert datasets["synthetic"].all()
    calibration = sample.execute("select count(*) from calibration").fetchone()[0]
    assert calibration == len(store.read_reference("calibration_5371.csv"))


def test_same_seed_same_numbers_other_seed_other_numbers(tmp_path, sample_db):
    again = build_sample(tmp_path / "again.duckdb")
    other = build_sample(tmp_path / "other.duckdb", seed=7)
    digests = []
    for path in (sample_db, again, other):
        with store.connect(path) as con:
            digests.append(con.execute("select sha256 from datasets").fetchone()[0])
    assert digests[0] == digests[1] != digests[2]


def test_scale_adds_synthetic_regencies_under_a_province(tmp_path):
    path = build_sample(tmp_path / "scaled.duckdb", scale=3)
    with store.connect(path) as con:
        summary = run(con, "store_summary")
        assert summary[["code", "level", "regencies", "districts", "villages"]].values.tolist() == [
            ["53", "province", 3, 18, 153]
        ]
        assert run(con, "indicator_counts", area=CITY).iloc[0]["persons"] == 442_758
        assert all(result.ok for result in check.run_checks(con))


def test_scale_out_of_range_is_refused(tmp_path):
    with pytest.raises(ValueError, match="scale"):
        build_sample(tmp_path / "x.duckdb", scale=0)
