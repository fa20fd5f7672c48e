"""The Annex 1 matrix computed from its ingredients (`matrix.build_matrix`), without a database."""

from __future__ import annotations

from hexie.domain.vocabulary import PLANS, UNITS
from hexie.projections.matrix import QUALITY_BAR, build_matrix
from hexie.scripts.programme import annex1_totals, parse_target_cell, annex1 as seed_annex1


def seed_targets() -> dict:
    """Annex 1's cells as the seed prints them, parsed: (unit, plan) -> (total, per_year)."""
    out = {}
    for row in seed_annex1()["rows"]:
        for plan, cell in row["cells"].items():
            parsed = parse_target_cell(cell)
            if parsed is not None:
                out[(row["unit"], plan)] = parsed
    return out


def cell(document: dict, unit: str, plan: str) -> dict:
    return next(r for r in document["rows"] if r["unit"] == unit)["cells"][plan]


def test_an_empty_ledger_shows_the_seeds_targets_and_nothing_done():
    m = build_matrix(seed_targets(), {}, {}, {}, {})
    assert [r["unit"] for r in m["rows"]] == list(UNITS)
    assert {p: t["target"] for p, t in m["totals"].items()} == annex1_totals()
    assert all(t["done"] == 0 and t["percent"] == 0.0 for t in m["totals"].values())
    assert m["quality"]["percent"] is None and m["quality"]["meets_bar"] is None


def test_done_adds_up_by_year_unit_and_plan_with_percentages():
    done = {("岳阳楼区", "P02", 2021): 2, ("岳阳楼区", "P02", 2023): 1, ("平江县", "P06", 2022): 30}
    m = build_matrix(seed_targets(), done, {}, {}, {})
    p02 = cell(m, "岳阳楼区", "P02")
    assert p02["done"] == 3 and p02["by_year"]["2021"]["done"] == 2 and p02["by_year"]["2022"]["done"] == 0
    assert p02["percent"] == round(100 * 3 / p02["target"], 1)
    assert m["totals"]["P06"]["done"] == 30
    assert m["totals"]["P02"]["done"] == 3
    assert sum(t["done"] for t in m["totals"].values()) == 33


def test_a_cell_without_a_target_has_no_percentage():
    m = build_matrix({}, {("君山区", "P01", 2022): 1}, {}, {}, {})
    c = cell(m, "君山区", "P01")
    assert (c["target"], c["done"], c["percent"]) == (None, 1, None)


def test_the_p03_bar_is_met_at_eighty_percent_per_unit_and_city_wide():
    m = build_matrix(seed_targets(), {}, {"岳阳楼区": 5, "君山区": 10}, {"岳阳楼区": 4, "君山区": 7}, {})
    quality = {r["unit"]: r["quality"] for r in m["rows"]}
    assert (quality["岳阳楼区"]["percent"], quality["岳阳楼区"]["meets_bar"]) == (80.0, True)
    assert (quality["君山区"]["percent"], quality["君山区"]["meets_bar"]) == (70.0, False)
    assert quality["云溪区"]["meets_bar"] is None  # nobody enrolled: no verdict
    assert m["quality"]["percent"] == round(100 * 11 / 15, 1) and m["quality"]["meets_bar"] is False
    assert m["quality"]["bar"] == QUALITY_BAR


def test_open_arrears_are_listed_per_unit_and_in_total():
    m = build_matrix({}, {}, {}, {}, {"华容县": 2, "市人社局": 1})
    assert {r["unit"]: r["open_arrears"] for r in m["rows"] if r["open_arrears"]} == {"华容县": 2, "市人社局": 1}
    assert m["open_arrears"] == 3
    assert list(m["plans"]) == list(PLANS)


def test_a_bare_annex1_total_is_a_three_year_target_not_a_yearly_zero():
    m = build_matrix(seed_targets(), {("岳阳楼区", "P01", 2022): 1}, {}, {}, {})
    p01 = cell(m, "岳阳楼区", "P01")  # Annex 1 writes "1": one model in three years
    assert (p01["target"], p01["yearly_split"]) == (1, False)
    assert {y: c["target"] for y, c in p01["by_year"].items()} == {"2021": None, "2022": None, "2023": None}
    assert p01["percent"] == 100.0
    p02 = cell(m, "岳阳楼区", "P02")  # "3 (1/年)"
    assert p02["yearly_split"] and {y: c["target"] for y, c in p02["by_year"].items()} == {"2021": 1, "2022": 1, "2023": 1}


def test_the_totals_row_is_the_sum_of_the_units_and_the_seeds_totals_row():
    m = build_matrix(seed_targets(), {}, {}, {}, {})
    seed = annex1_totals()
    for plan in PLANS:
        units = sum(r["cells"][plan]["target"] or 0 for r in m["rows"])
        total = m["totals"][plan]
        assert total["target"] == units == seed[plan]
        assert total["split_target"] + total["unsplit_target"] == total["target"]
        # the yearly totals add only the split cells, and the document says so
        assert sum(y["target"] for y in total["by_year"].values()) == total["split_target"]
    assert m["totals"]["P01"]["split_target"] == 0 and m["totals"]["P01"]["unsplit_target"] == 15
    assert any("三年目标" in note for note in m["notes"])
