"""Annex 2 measures: defined with a window and cadence; responsible units report progress."""

import pytest

from hexie.domain.case import Context, DomainError, acting
from hexie.domain.measure import Measure
from hexie.domain.vocabulary import DISTRICTS
from hexie.schemas import problems


def on(date: str):
    return acting(Context(occurred_on=date, actor="city-admin"))


def define(**changes) -> Measure:
    data = dict(
        unit="市人社局", code="P05-M01", plan="P05", task="提供薪酬数据服务",
        text="配合省里向不少于 90%的我市参加国家薪酬调查企业及相关主体提供薪酬数据反馈服务，提供多维度、多层次的工资价位信息服务。",
        responsible="市人力资源和社会保障局", responsible_units=["市人社局"],
        window_start="2021-01-01", window_end="2023-09-30", cadence="yearly", yearly_due="06-30",
        window_text="每年 6 月底前",
    )
    data.update(changes)
    with on("2020-09-21"):
        return Measure(**data)


def once(**changes) -> Measure:
    data = dict(
        code="P02-M01", plan="P02", task="建立重点企业用工监测机制", text="建立重点企业清单",
        responsible="各县市区人力资源和社会保障局 市人力资源和社会保障局",
        responsible_units=[*DISTRICTS, "市人社局"], window_start="2020-09-21", window_end="2021-04-30",
        cadence="once", deadline="2021-04-30", yearly_due=None, window_text="2021年5月前前",
    )
    data.update(changes)
    return define(**data)


def refused(call, date: str = "2021-03-01") -> DomainError:
    with pytest.raises(DomainError) as caught, on(date):
        call()
    return caught.value


def test_a_yearly_measure_is_due_every_year_and_reported_per_year():
    m = define()
    assert m.deadline is None and m.yearly_due == "06-30"
    assert [(d["period"], d["due"]) for d in m.due_dates()] == [(2021, "2021-06-30"), (2022, "2022-06-30"), (2023, "2023-06-30")]
    with on("2021-06-20"):
        m.report_progress(unit="市人社局", period=2021, note="反馈覆盖率 93%", done=True)
    with on("2022-05-01"):
        m.report_progress(unit="市人社局", period=2022, note="进行中", done=False)
    status = {o["period"]: o["status"] for o in m.obligations("2022-07-01")}
    assert status == {2021: "done", 2022: "overdue", 2023: "upcoming"}
    # On a business date before the 2021 report, 2021 was still due.
    assert {o["period"]: o["status"] for o in m.obligations("2021-06-01")}[2021] == "due"
    assert m.is_done("市人社局", 2021) and not m.is_done("市人社局", 2022)


def test_a_yearly_measure_without_a_due_day_is_due_at_year_end_within_the_window():
    m = define(yearly_due=None)
    assert m.yearly_due == "12-31"
    assert [d["due"] for d in m.due_dates()] == ["2021-12-31", "2022-12-31", "2023-09-30"]


def test_a_once_measure_is_due_by_its_deadline_for_every_responsible_unit():
    m = once()
    with on("2021-04-01"):
        m.report_progress(unit="岳阳楼区", note="重点企业清单已建立", done=True)
    states = {o["unit"]: o["status"] for o in m.obligations("2021-04-15")}
    assert states["岳阳楼区"] == "done" and states["君山区"] == "due" and len(states) == 13
    assert {o["status"] for o in m.obligations("2021-05-01")} == {"done", "overdue"}


def test_a_continuous_measure_owes_a_progress_report_every_quarter():
    m = define(code="P05-M02", cadence="continuous", yearly_due=None)
    quarters = m.due_dates()
    assert len(quarters) == 11 and quarters[0] == {"period": "2021Q1", "opens": "2021-01-01", "due": "2021-03-31"}
    assert quarters[-1] == {"period": "2023Q3", "opens": "2023-07-01", "due": "2023-09-30"}
    with on("2021-02-01"):
        m.report_progress(unit="市人社局", note="开展中", done=False)
    with on("2021-08-15"):  # nothing in the second quarter
        m.report_progress(unit="市人社局", note="继续开展", done=False)
    status = {o["period"]: o["status"] for o in m.obligations("2021-08-20")}
    # A quarter passed without a report: overdue long before the window closes in 2023.
    assert (status["2021Q1"], status["2021Q2"], status["2021Q3"], status["2021Q4"]) == ("done", "overdue", "done", "upcoming")
    assert {o["period"]: o["status"] for o in m.obligations("2021-06-30")}["2021Q2"] == "due"
    assert m.is_done("市人社局", "2021Q3") and not m.is_done("市人社局", "2021Q2")


def test_only_responsible_units_report():
    m = once()
    error = refused(lambda: m.report_progress(unit="市总工会", note="x", done=True))
    assert (error.rule, error.field) == ("not_responsible", "data.unit")
    assert m.reports == []


def test_a_yearly_report_names_a_year_of_the_window():
    m = define()
    error = refused(lambda: m.report_progress(unit="市人社局", note="x", done=True))
    assert (error.rule, error.field) == ("period_required", "data.period")
    error = refused(lambda: m.report_progress(unit="市人社局", period=2024, note="x", done=True))
    assert (error.rule, error.field) == ("period_outside_window", "data.period")


@pytest.mark.parametrize(
    "changes, rule, field",
    [
        ({"code": "P06-M01"}, "code_plan_mismatch", "data.code"),
        ({"window_end": "2020-12-31"}, "window_ends_before_start", "data.window_end"),
        ({"cadence": "once", "yearly_due": None}, "deadline_required", "data.deadline"),
        ({"deadline": "2021-06-30"}, "deadline_not_for_yearly", "data.deadline"),
        ({"cadence": "continuous", "yearly_due": None, "deadline": "2024-01-01"}, "deadline_outside_window", "data.deadline"),
        ({"cadence": "continuous"}, "yearly_due_not_yearly", "data.yearly_due"),
        ({"yearly_due": "02-30"}, "invalid_yearly_due", "data.yearly_due"),
    ],
)
def test_definition_rules(changes, rule, field):
    error = refused(lambda: define(**changes), "2020-09-21")
    assert (error.rule, error.field) == (rule, field)


def test_one_case_per_code():
    assert define().id == define(text="另一种写法").id == Measure.create_id("P05-M01")
    assert define(code="P05-M02").id != define().id


def test_nothing_dated_before_the_definition():
    m = define()
    error = refused(lambda: m.report_progress(unit="市人社局", period=2021, note="x", done=True), "2020-09-01")
    assert error.field == "data.occurred_on"


def test_schemas():
    assert problems("MeasureProgressReported", {"unit": "岳阳楼区", "period": None, "note": "进展", "done": False}) == []
    assert problems("MeasureProgressReported", {"unit": "岳阳楼区", "note": "进展", "done": True}) == []
    assert [p["field"] for p in problems("MeasureProgressReported", {"unit": "岳阳楼区", "note": "进展"})] == ["data.done"]
    bad = {"unit": "市人社局", "code": "M01", "plan": "P05", "task": "t", "text": "t", "responsible": "r",
           "responsible_units": [], "window_start": "2021-01-01", "window_end": "2023-09-30", "cadence": "monthly",
           "yearly_due": "6-30"}
    assert sorted(p["field"] for p in problems("MeasureDefined", bad)) == [
        "data.cadence", "data.code", "data.responsible_units", "data.yearly_due"]
    dup = {**bad, "code": "P05-M01", "cadence": "yearly", "yearly_due": "06-30", "responsible_units": ["市人社局", "市人社局"]}
    assert [p["field"] for p in problems("MeasureDefined", dup)] == ["data.responsible_units"]
