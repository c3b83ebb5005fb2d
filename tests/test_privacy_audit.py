"""The privacy audit: the attack worked by hand on small systems, then on the sample and on Kota Bandung
as published: without protection it must find every small count; with protection, none."""

from pathlib import Path

import pandas as pd
import pytest

from sensus import privacy, store
from sensus.cli import main
from tools import privacy_audit

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real" / "bandung"
BANDUNG_TABLES = (
    "bandung_jumlah_penduduk.csv",
    "bandung_jumlah_kelompok_umur.csv",
    "bandung_jumlah_penduduk_pendidikan.csv",
)


def exact(*rows):
    return pd.DataFrame(rows, columns=["cells", "value"])


def solved(found: pd.DataFrame) -> dict:
    return {cells: (lower, upper) for cells, lower, upper in found[["cells", "lower", "upper"]].itertuples(index=False)}


def test_a_cell_within_its_range_beside_an_exact_total():
    # Three cells within [0, 6], [8, 12] and [0, 1], adding up to 10: the first is at most 10 - 8 - 0.
    low, high = [0.0, 8.0, 0.0], [6.0, 12.0, 1.0]
    found = privacy_audit.bounds(exact(((0, 1, 2), 10)), [(0,), (1,), (0, 2)], low, high)
    assert solved(found) == {(0,): (0, 2), (1,): (8, 10), (0, 2): (0, 2)}


def test_a_cell_bound_by_no_exact_count_keeps_its_range():
    found = privacy_audit.bounds(exact(), [(0,), (0, 1)], [1.0, 5.0], [7.0, 8.0])
    assert solved(found) == {(0,): (1, 7), (0, 1): (6, 15)}


def test_a_table_with_exact_row_and_column_totals_is_solved_by_linear_programming():
    # Two rows of two cells, each within [0, 10], numbered 0 1 / 2 3, with exact totals:
    #   W0 + W1 = 5, W2 + W3 = 9, W0 + W2 = 6, W1 + W3 = 8. With W0 = t: W1 = 5 - t, W2 = 6 - t,
    #   W3 = 3 + t, all within [0, 10]: 0 <= t <= 5.
    totals = exact(((0, 1), 5), ((2, 3), 9), ((0, 2), 6), ((1, 3), 8))
    found = privacy_audit.bounds(totals, [(0,), (3,)], [0.0] * 4, [10.0] * 4)
    assert solved(found) == {(0,): (0, 5), (3,): (3, 8)}


def test_what_a_published_count_can_hide():
    # k = 5, moves of at most 2: a published 0 is a count of 0-4 rounded down, or of 5 or 6 moved
    # below 5 first; a published 5 is a count of 1-4 rounded up, or 5-7 moved; 6 is 5-8 moved (4 would
    # be rounded, never moved).
    table = privacy.perturbation_table(5)
    assert privacy_audit.preimages(table, [0, 5, 6, 9]) == {0: (0, 6), 5: (1, 7), 6: (5, 8), 9: (7, 11)}


def small_counts(con) -> int:
    """How many counts from 1 to 4 the pages publish about the sample's kelurahan, from its persons: the
    pyramid (age group x sex), its broad groups (by sex and in all), education by sex, by age group and
    in all (on the kecamatan's page), and the headline counts (on the kelurahan's page and the
    kecamatan's)."""
    persons = con.execute("select area_code as area, sex, age_from, education, persons from population").df()
    persons = persons.assign(
        age_group=(persons["age_from"].clip(upper=75) // 5) * 5,
        broad=pd.cut(persons["age_from"], [-1, 14, 64, 200], labels=["0-14", "15-64", "65+"]),
    )
    educated = persons[persons["education"].notna()]

    def small(frame, keys):
        counts = frame.groupby(keys, observed=True)["persons"].sum()
        return int(counts.between(1, 4).sum())

    headline = [
        small(persons, ["area"]),
        small(persons, ["area", "sex"]),
        small(persons, ["area", "broad"]),
        small(educated, ["area"]),
        small(educated[educated["education"] >= 6], ["area"]),
    ]
    tables = [
        small(persons, ["area", "age_group", "sex"]),
        small(persons, ["area", "broad", "sex"]) + small(persons, ["area", "broad"]),
        small(educated, ["area", "education", "sex"]),
        small(educated, ["area", "age_group", "education"]),
        small(educated, ["area", "education"]),
    ]
    return sum(tables) + 2 * sum(headline)


def test_without_protection_the_attack_finds_every_small_count_of_the_sample(sample):
    result = privacy_audit.audit(sample)
    assert result["summary"]["level"].unique().tolist() == ["village"]
    assert result["totals"]["small"] == small_counts(sample) > 200
    assert result["totals"]["exposed"] == result["totals"]["exact"] == result["totals"]["small"]


def test_with_protection_the_attack_recovers_nothing_in_the_sample(sample, monkeypatch):
    monkeypatch.delenv("SENSUS_PROTECTION")
    result = privacy_audit.audit(sample)
    assert result["totals"]["small"] == small_counts(sample)
    assert {figure: result["totals"][figure] for figure in ("exposed", "exact", "below_k")} == {
        "exposed": 0,
        "exact": 0,
        "below_k": 0,
    }
    assert result["cells"].loc[result["cells"]["truth"].between(1, 4), "width"].min() >= 5


@pytest.fixture(scope="module")
def bandung(tmp_path_factory):
    if not REAL.exists():
        pytest.skip("../shared/real is not beside the project")
    path = tmp_path_factory.mktemp("bandung") / "bandung.duckdb"
    assert main(["init", "--area", "32.73", "--db", str(path)]) == 0
    for name in BANDUNG_TABLES:
        assert main(["ingest", "population", str(REAL / name), "--db", str(path)]) == 0
    con = store.connect(path)
    yield con
    con.close()


@pytest.mark.parametrize("protected", [False, True])
def test_the_attack_on_kota_bandung_as_published(bandung, monkeypatch, protected):
    """Kota Bandung's tables hold a few counts of 1-4 (persons by education in a kelurahan, shown on the
    kecamatan's page): the attack, on the period that holds them and on the pages of each one's
    kecamatan, finds them all unprotected and none protected."""
    small = bandung.execute(
        """
        select pop.period, areas.parent_code as kecamatan
        from population as pop
        join areas
            on areas.code = pop.area_code
        where pop.persons between 1 and 4
        """
    ).fetchall()
    assert len(small) > 0
    if protected:
        monkeypatch.delenv("SENSUS_PROTECTION")
    found = {"small": 0, "exposed": 0, "exact": 0, "below_k": 0}
    for period, kecamatan in sorted(set(small)):
        totals = privacy_audit.audit(bandung, period=period, within=kecamatan)["totals"]
        found = {figure: found[figure] + totals[figure] for figure in found}
    if protected:
        assert found == {"small": len(small), "exposed": 0, "exact": 0, "below_k": 0}
    else:
        assert found == {"small": len(small), "exposed": len(small), "exact": len(small), "below_k": 0}
