"""The seed's Annex 1 and Annex 2 as commands: valid, complete, and faithful to the seed."""

import inspect
import os
from collections import Counter
from pathlib import Path

import pytest

from hexie.domain.arrears import ArrearsCase
from hexie.domain.case import Context, acting
from hexie.domain.measure import Measure
from hexie.domain.target import Target
from hexie.domain.vocabulary import CITY_BODIES, DISTRICTS, PLANS, UNITS
from hexie.schemas import event_schemas, problems
from hexie.scripts.programme import (
    LAUNCH,
    annex1,
    annex1_totals,
    annex2,
    measure_commands,
    parse_target_cell,
    responsible_units,
    target_commands,
)

SEED = Path(os.environ.get("HEXIE_SEED", "/work/shared/seed/000_fa905e9bd15579af.txt"))
SEED_TOTALS = {"P01": 15, "P02": 40, "P03": 40, "P04": 40, "P05": 40, "P06": 780, "P07": 32, "P08": 32, "P09": 12, "P10": 12}


def test_every_command_passes_its_schema():
    commands = target_commands() + measure_commands()
    assert len(commands) == 129 + 60
    for command in commands:
        assert problems(command["type"], command["data"]) == [], command["data"]


def test_every_command_is_accepted_by_its_case():
    for command in target_commands() + measure_commands():
        cls = Target if command["type"] == "TargetAssigned" else Measure
        data = dict(command["data"])
        with acting(Context(occurred_on=data.pop("occurred_on"))):
            case = cls(**data)
        assert case.opened_on == LAUNCH


def test_annex1_totals_match_the_seed_totals_row():
    assert annex1_totals() == SEED_TOTALS
    done = Counter()
    for command in target_commands():
        done[command["data"]["plan"]] += command["data"]["total"]
        if command["data"]["per_year"] is not None:
            assert sum(command["data"]["per_year"].values()) == command["data"]["total"]
    assert dict(done) == SEED_TOTALS


def test_targets_are_for_the_units_the_seed_shows():
    by_plan: dict[str, set[str]] = {p: set() for p in PLANS}
    for command in target_commands():
        by_plan[command["data"]["plan"]].add(command["data"]["unit"])
    assert [row["unit"] for row in annex1()["rows"]] == list(UNITS)
    # P02 and P03: every one of the 15 units; P04–P06: the districts and the city bodies the seed names.
    assert by_plan["P02"] == by_plan["P03"] == set(UNITS)
    assert by_plan["P04"] == {*DISTRICTS, "市总工会"}
    assert by_plan["P05"] == {*DISTRICTS, "市人社局"}
    assert by_plan["P06"] == set(DISTRICTS)
    assert by_plan["P01"] == {*DISTRICTS, "市总工会"}
    for plan in ("P07", "P08", "P09", "P10"):
        assert by_plan[plan] == set(DISTRICTS)
    pairs = [(c["data"]["unit"], c["data"]["plan"]) for c in target_commands()]
    assert len(set(pairs)) == len(pairs)


def test_target_cells_as_the_seed_writes_them():
    assert parse_target_cell("3 (1/年)") == (3, {"2021": 1, "2022": 1, "2023": 1})
    assert parse_target_cell("75 (25/年)") == (75, {"2021": 25, "2022": 25, "2023": 25})
    assert parse_target_cell("2") == (2, None)
    assert parse_target_cell("") is None
    with pytest.raises(ValueError):
        parse_target_cell("4 (1/年)")
    with pytest.raises(ValueError):
        parse_target_cell("约3")
    cells = {(c["data"]["unit"], c["data"]["plan"]): c["data"] for c in target_commands()}
    assert cells[("屈原区", "P02")]["total"] == 1 and cells[("屈原区", "P02")]["per_year"] is None
    assert cells[("南湖新区", "P07")]["total"] == 1 and cells[("君山区", "P06")]["per_year"]["2022"] == 20
    assert cells[("市总工会", "P04")] == {"unit": "市总工会", "plan": "P04", "total": 6, "per_year": None,
                                        "note": "附件1原文：6", "occurred_on": LAUNCH}


def test_measure_codes_are_unique_and_per_plan():
    codes = [c["data"]["code"] for c in measure_commands()]
    assert len(set(codes)) == len(codes) == 60
    for command in measure_commands():
        assert command["data"]["code"].startswith(command["data"]["plan"] + "-M")
        assert command["data"]["unit"] == "市人社局"
    per_plan = Counter(c["data"]["plan"] for c in measure_commands())
    assert per_plan == {"P01": 6, "P02": 6, "P03": 6, "P04": 3, "P05": 9, "P06": 5, "P07": 11, "P08": 5, "P09": 5, "P10": 4}


def test_measure_windows_read_as_noted():
    m = {c["data"]["code"]: c["data"] for c in measure_commands()}
    assert (m["P02-M01"]["cadence"], m["P02-M01"]["deadline"]) == ("once", "2021-05-31")  # 2021年5月前前
    assert (m["P05-M01"]["cadence"], m["P05-M01"]["yearly_due"]) == ("yearly", "06-30")  # 每年6月底前
    assert m["P03-M02"]["cadence"] == "yearly" and "deadline" not in m["P03-M02"]  # 每年定期开展
    assert (m["P02-M02"]["cadence"], m["P02-M02"]["window_end"]) == ("continuous", "2023-09-30")  # 实时开展
    assert m["P05-M07"]["window_start"] < "2020-12-31" <= m["P05-M07"]["window_end"]  # 2020年12月底前…
    assert m["P08-M05"]["deadline"] == m["P05-M09"]["deadline"] == "2023-09-30"  # 2023年9月前 = 2023年9月底前
    for data in m.values():
        if data["cadence"] == "once":
            assert data["deadline"] == data["window_end"]


# Every month deadline in the seed's 时间安排 column, and the day the one rule gives it.
MONTH_DEADLINES = {"2021年5月前": "2021-05-31", "2021 年 12 月前": "2021-12-31", "2021年2月底前": "2021-02-28",
                   "2021年6月底前": "2021-06-30", "2021年10月底前": "2021-10-31", "2023 年 9 月底前": "2023-09-30",
                   "2020 年 12 月底前": "2020-12-31", "2023 年 9 月前": "2023-09-30"}


def test_one_rule_reads_every_window_text_of_the_seed():
    from hexie.domain.windows import read_window

    for text, day in MONTH_DEADLINES.items():
        assert read_window(text).deadline == day, text
    assert read_window("2021 年 5 月前").deadline == read_window("2021年5月底前").deadline == "2021-05-31"
    overridden = set()
    for entry in annex2()["measures"]:
        window = read_window(entry["window_text"])  # every text of the seed reads, none is left to a guess
        data = next(c["data"] for c in measure_commands() if c["data"]["code"] == entry["code"])
        if "reading" in entry:
            assert entry["reading"]["why"], entry["code"]  # an override says why
            overridden.add(entry["code"])
            continue
        assert (data["window_start"], data["window_end"], data["cadence"]) == (window.start, window.end, window.cadence)
    assert overridden == {"P03-M06", "P05-M07", "P07-M10", "P10-M03"}
    cadences = {c["data"]["cadence"] for c in measure_commands()}
    assert cadences == {"once", "yearly", "continuous"}


def test_responsible_units_follow_the_mapping_rules():
    assert responsible_units("市三方四家 各县市区三方四家") == list(UNITS)
    assert responsible_units("市三方四家") == list(CITY_BODIES)
    assert responsible_units("各县市区人力资源和社会保障局") == list(DISTRICTS)
    assert responsible_units("市人力资源和社会保障局") == ["市人社局"]
    assert responsible_units("市、县（市区）根治办") == [*DISTRICTS, "市人社局"]
    assert responsible_units("市农民工工作领导小组 各县市区农民工工作领导小组") == [*DISTRICTS, "市人社局"]
    assert responsible_units("市总工会、人力资源和社会保障局 各县市区三方四家") == [*DISTRICTS, "市人社局", "市总工会"]
    assert responsible_units("市人力资源和社会保障厅、总工会 各县市区人力资源和社会保障局、 总工会") == [
        *DISTRICTS, "市人社局", "市总工会"]
    assert responsible_units("市、县三方四家") == list(UNITS)
    assert responsible_units("市三方四家 各县市区三方四家配合") == list(UNITS)
    for unknown in ("市发展改革委", "省三方四家", "市"):
        with pytest.raises(ValueError):
            responsible_units(unknown)


@pytest.mark.skipif(not SEED.exists(), reason="the seed file is not here")
def test_measure_texts_are_the_seeds_verbatim():
    lines = SEED.read_text(encoding="utf-8").split("\n")
    previous = None
    for entry in annex2()["measures"]:
        cells = lines[entry["seed_line"] - 1].split("\t")
        assert entry["text"] in cells, entry["code"]
        assert entry["window_text"] in cells, entry["code"]
        for part in entry["responsible"].split(" "):
            assert any(part in cell for cell in cells), (entry["code"], part)
        # The task is the row's cell with its line-wrap spaces taken out, the task above when the
        # cell is empty (a merged cell), or a reading the note explains.
        own = entry["task"] in [c.replace(" ", "") for c in cells]
        task_cell = cells[cells.index(entry["text"]) - 1]  # the column left of the measure
        merged = task_cell == "" and previous is not None and previous["task"] == entry["task"]
        assert own or merged or "note" in entry, entry["code"]
        previous = entry


@pytest.mark.skipif(not SEED.exists(), reason="the seed file is not here")
def test_annex1_cells_are_the_seeds_verbatim():
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = lines.index("县区名称\t" + "\t".join(c["header"] for c in annex1()["columns"]))
    for i, row in enumerate(annex1()["rows"], start=start + 1):
        assert lines[i].split("\t") == [row["unit"], *row["cells"].values()]
    assert lines[start + 16].split("\t") == [annex1()["totals"]["label"], *annex1()["totals"]["cells"].values()]


@pytest.mark.parametrize("cls", [ArrearsCase, Target, Measure])
def test_command_signatures_are_the_schemas(cls):
    schemas = event_schemas()
    methods = {cls.created_event: "__init__", **cls.commands}
    for event_type, name in methods.items():
        func = vars(cls)[name].decorated_func  # the @event method as written
        params = [p for p in inspect.signature(func).parameters.values() if p.name != "self"]
        schema = schemas[event_type]
        assert {p.name for p in params} == set(schema["properties"]) - {"occurred_on"}, event_type
        assert {p.name for p in params if p.default is inspect.Parameter.empty} == set(schema["required"]), event_type
