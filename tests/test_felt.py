"""The browser benchmark's apps (tools/perf/felt.py): the tour changes one select a step, the floor draws
the dashboard's own figures for an area, and the naive peer counts an area's population as the store holds
it (never a timing assertion)."""

import base64
import json

import numpy as np

from tools.perf import felt
from tools.perf.apps import common, peer

KOTA_LAMA, AIRMATA = "53.71.06", "53.71.06.1001"


def population_by_age_group(con, code: str):
    """Persons of the area by sex and five-year age group (75+ the last), from the store's village rows."""
    return con.sql(
        """select sex, least(age_from // 5 * 5, 75) as lower, sum(persons) as persons
        from population where area_code like ? || '%' group by all order by sex, lower""",
        params=[code],
    ).df()


def array(values) -> np.ndarray:
    """A figure's array as plotly sends it: a list, or typed ({"dtype", "bdata": base64})."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values)


def test_the_tour_takes_each_kecamatan_then_its_first_kelurahan(sample):
    areas = common.read_areas(sample)
    steps = common.tour(areas)
    districts = areas[areas["level"] == "district"].sort_values("code")["code"].head(common.TOUR_BRANCHES)
    assert [trail[-1][1] for trail in steps[::2]] == districts.tolist()
    for district, village in zip(steps[::2], steps[1::2], strict=True):
        assert village[0] == district[0]
        assert village[1][0] == "village"
        assert village[1][1].startswith(district[0][1] + ".")


def test_the_floor_draws_the_figures_the_dashboard_draws_for_the_area(sample_db, sample, monkeypatch):
    monkeypatch.setenv("SENSUS_DB", str(sample_db))
    charts = felt.dashboard_figures(sample_db, "penduduk", [(("district", KOTA_LAMA, "Kota Lama"),)])[KOTA_LAMA]
    assert len(charts) == 2  # the pyramid and the sex ratio by age
    pyramid = json.loads(charts[0][0])
    assert "Kota Lama" in pyramid["layout"]["title"]["subtitle"]["text"]
    assert len(pyramid["data"]) == 4  # males, females, and the kota's shape outlined for each
    expected = population_by_age_group(sample, KOTA_LAMA)
    for trace, sex, sign in ((pyramid["data"][0], 1, -1), (pyramid["data"][1], 2, 1)):
        assert (sign * array(trace["x"])).tolist() == expected[expected["sex"] == sex]["persons"].tolist()


def test_the_peer_counts_an_areas_population_as_the_store_holds_it(sample):
    cube = sample.sql(peer.CUBE).df()
    areas = common.read_areas(sample)
    for code in (KOTA_LAMA, AIRMATA):
        area = areas[areas["code"] == code].iloc[0]
        drawn = peer.pyramid(peer.within(cube, area)).sort_values(["sex", "lower"])
        expected = population_by_age_group(sample, code)
        assert drawn["persons"].tolist() == expected["persons"].tolist()
        assert drawn["sex"].tolist() == expected["sex"].map(peer.SEXES).tolist()
