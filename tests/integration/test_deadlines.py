"""What is due, overdue and done: the real Annex 2 measures and arrears cases, read from the ledger on each backend."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from hexie.domain.application import Hexie
from hexie.domain.case import Context
from hexie.projections import engine as readdb
from hexie.projections.cut import Cut
from hexie.projections import deadlines
from hexie.domain.calendar import CalendarNotCovered, add_working_days
from hexie.projections.ledger import Ledger
from hexie.projections.engine import Runner
from hexie.scripts.programme import measure_commands

OFFICE = Context(actor="officer-city", actor_unit="市人社局")


def read(database_url: str, query, *args):
    """Bring the ledger up to date, then run one query on it."""

    async def go():
        db = readdb.connect(database_url)
        try:
            runner = Runner(db, [Ledger()])
            await runner.setup()
            await runner.catch_up()
            return await query(db, *args)
        finally:
            await db.close()

    return asyncio.run(go())


def report(hexie: Hexie, case_id, unit: str, on: str, done: bool, period: int | None = None, note: str = "进展"):
    data = {"unit": unit, "note": note, "done": done, "occurred_on": on}
    if period is not None:
        data["period"] = period
    hexie.append(case_id, "MeasureProgressReported", data, OFFICE)


@pytest.fixture
def programme(hexie: Hexie) -> dict[str, object]:
    """The 60 Annex 2 measures, recorded as `hexie init` does; code -> case id."""
    return {c["data"]["code"]: hexie.open_case(**c).case_id for c in measure_commands()}


def by(items, **match):
    return [i for i in items if all(i[k] == v for k, v in match.items())]


def one(items, **match):
    found = by(items, **match)
    assert len(found) == 1, (match, found)
    return found[0]


class DeadlinesStory:
    # -- measures ------------------------------------------------------------------

    def test_a_once_measure_is_due_then_overdue_unless_reported_done(self, hexie, programme, database_url):
        m = programme["P02-M01"]  # 建立重点企业用工监测机制: "2021年5月前" -> due 2021-05-31 (domain.windows)
        report(hexie, m, "岳阳楼区", "2021-03-15", True, note="重点企业清单已建立")
        report(hexie, m, "君山区", "2021-05-10", False, note="正在摸底")

        may = read(database_url, deadlines.measures, None, None, Cut("2021-05-01"))
        assert one(may, code="P02-M01", unit="岳阳楼区")["status"] == "done"
        assert one(may, code="P02-M01", unit="岳阳楼区")["done_on"] == "2021-03-15"
        junshan = one(may, code="P02-M01", unit="君山区")
        # The 05-10 report is after the business date: not known to count yet.
        assert (junshan["status"], junshan["due"], junshan["last_report"], junshan["done_on"]) == ("due", "2021-05-31", None, None)
        assert junshan["plan"] == "P02" and junshan["period"] is None and junshan["task"] == "建立重点企业用工监测机制"
        assert "upcoming" in {i["status"] for i in may}  # listed when no status is asked for

        june = read(database_url, deadlines.measures, None, None, Cut("2021-06-01"))
        junshan = one(june, code="P02-M01", unit="君山区")
        assert junshan["status"] == "overdue"
        assert junshan["last_report"] == {"on": "2021-05-10", "period": None, "note": "正在摸底", "done": False}
        assert one(june, code="P02-M01", unit="岳阳楼区")["status"] == "done"
        assert {i["unit"] for i in by(june, code="P02-M01")} == set(hexie.get_case(m).responsible_units)

        # 君山区's overdue list on 1 June 2021: the once-measures due before then, and every quarter of a
        # continuous measure that ended without a report (nobody reported in this test).
        overdue = read(database_url, deadlines.measures, "overdue", "君山区", Cut("2021-06-01"))
        once = [i["code"] for i in overdue if i["period"] is None]
        assert once == ["P06-M01", "P09-M03", "P02-M01", "P05-M04"]  # by due date, then code
        quarters = {(i["code"], i["period"]) for i in overdue if isinstance(i["period"], str)}
        continuous = [c["data"] for c in measure_commands() if c["data"]["cadence"] == "continuous"
                      and "君山区" in c["data"]["responsible_units"] and c["data"]["window_start"] <= "2021-03-31"]
        assert quarters == {(c["code"], "2021Q1") for c in continuous} and quarters
        assert {i["unit"] for i in overdue} == {"君山区"} and {i["status"] for i in overdue} == {"overdue"}
        done = read(database_url, deadlines.measures, "done", None, Cut("2021-06-01"))
        assert [(i["code"], i["unit"]) for i in done] == [("P02-M01", "岳阳楼区")]
        due = read(database_url, deadlines.measures, "due", "君山区", Cut("2021-06-01"))
        assert due and {i["status"] for i in due} == {"due"} and all(i["due"] >= "2021-06-01" for i in due)

    def test_a_continuous_measure_is_overdue_when_a_quarter_passes_without_a_report(self, hexie, programme, database_url):
        m = programme["P02-M02"]  # 实时开展, 2021年1月-2023年9月
        report(hexie, m, "平江县", "2021-02-10", False, note="已建立台账")
        report(hexie, m, "平江县", "2021-08-20", False, note="更新台账")
        items = by(read(database_url, deadlines.measures, None, "平江县", Cut("2021-10-15")), code="P02-M02")
        status = {i["period"]: i["status"] for i in items}
        assert (status["2021Q1"], status["2021Q2"], status["2021Q3"], status["2021Q4"]) == ("done", "overdue", "done", "due")
        assert status["2023Q3"] == "upcoming" and len(items) == 11
        assert one(items, period="2021Q3")["done_on"] == "2021-08-20"

    def test_a_yearly_measure_is_owed_every_year(self, hexie, programme, database_url):
        m = programme["P05-M01"]  # 薪酬调查数据反馈: "每年6月底前", 市人社局 alone
        report(hexie, m, "市人社局", "2021-06-20", True, 2021, "反馈覆盖率 93%")
        report(hexie, m, "市人社局", "2021-06-25", True, 2021, "补充个性化反馈")
        report(hexie, m, "市人社局", "2021-07-02", False, 2021, "发现数据错误，重新反馈")
        report(hexie, m, "市人社局", "2021-07-10", True, 2021, "已重新反馈")
        report(hexie, m, "市人社局", "2022-05-01", False, 2022, "进行中")

        def states(as_of):
            items = read(database_url, deadlines.measures, None, "市人社局", Cut(as_of))
            return {i["period"]: (i["status"], i["due"], i["done_on"]) for i in by(items, code="P05-M01")}

        assert states("2021-06-30") == {
            2021: ("done", "2021-06-30", "2021-06-20"),  # the first report of the run that made it done
            2022: ("upcoming", "2022-06-30", None),
            2023: ("upcoming", "2023-06-30", None),
        }
        assert states("2021-07-05")[2021] == ("overdue", "2021-06-30", None)  # withdrawn after the due date
        assert states("2021-08-01")[2021] == ("done", "2021-06-30", "2021-07-10")
        assert states("2022-03-01")[2022] == ("due", "2022-06-30", None)
        assert states("2022-07-01") == {
            2021: ("done", "2021-06-30", "2021-07-10"),
            2022: ("overdue", "2022-06-30", None),
            2023: ("upcoming", "2023-06-30", None),
        }

    def test_the_summary_counts_every_obligation_per_unit_and_status(self, hexie, programme, database_url):
        report(hexie, programme["P02-M01"], "岳阳楼区", "2021-03-15", True)
        items = read(database_url, deadlines.measures, None, None, Cut("2021-05-01"))
        # One obligation per responsible unit and period: once; each year of a yearly measure; each quarter
        # of a continuous one (counted here from the window's months).
        def periods(d) -> int:
            if d["cadence"] == "once":
                return 1
            if d["cadence"] == "yearly":
                return int(d["window_end"][:4]) - int(d["window_start"][:4]) + 1
            first = int(d["window_start"][:4]) * 4 + (int(d["window_start"][5:7]) - 1) // 3
            last = int(d["window_end"][:4]) * 4 + (int(d["window_end"][5:7]) - 1) // 3
            return last - first + 1

        expected = sum(len(c["data"]["responsible_units"]) * periods(c["data"]) for c in measure_commands())
        assert len(items) == expected
        assert [(i["due"], i["code"]) for i in items] == sorted((i["due"], i["code"]) for i in items)

        s = deadlines.summary(items)
        assert sum(s["total"].values()) == expected and s["total"]["done"] == 1
        assert list(s["by_unit"])[:3] == ["岳阳楼区", "君山区", "云溪区"] and list(s["by_unit"])[-1] == "市工商联"
        assert s["by_unit"]["岳阳楼区"]["done"] == 1
        # On 1 May: two once-measures (due in February) and the first quarter of each continuous measure.
        quarters = sum(1 for c in measure_commands() if c["data"]["cadence"] == "continuous"
                       and "君山区" in c["data"]["responsible_units"] and c["data"]["window_start"] <= "2021-03-31")
        assert s["by_unit"]["君山区"]["overdue"] == 2 + quarters
        for status in deadlines.STATUSES:
            assert sum(counts[status] for counts in s["by_unit"].values()) == s["total"][status]
        assert deadlines.summary([]) == {"by_unit": {}, "total": {"upcoming": 0, "due": 0, "overdue": 0, "done": 0}}

    def test_nothing_is_owed_before_the_measures_were_defined(self, programme, database_url):
        assert read(database_url, deadlines.measures, None, None, Cut("2020-09-20")) == []

    # -- arrears cases ---------------------------------------------------------------

    def arrears(self, hexie: Hexie, unit: str, received: str, amount: str = "86000.00", **changes):
        data = {"unit": unit, "channel": "hotline_12345", "employer_name": f"{unit}某建筑劳务有限公司",
                "amount_owed": amount, "workers_affected": 12, "description": "拖欠农民工工资",
                "occurred_on": received, **changes}
        return hexie.open_case("ArrearsClueReceived", data, OFFICE).case_id

    def test_an_assigned_case_is_overdue_by_working_days_across_a_holiday(self, hexie, database_url):
        case = self.arrears(hexie, "平江县", "2021-09-20")
        deadline = add_working_days(dt.date(2021, 9, 24), 5).isoformat()  # 5 个工作日内, 09-26 (Sunday) worked
        assert deadline == "2021-09-30"
        hexie.append(case, "ArrearsCaseAssigned", {"to_unit": "平江县", "deadline": deadline, "working_days": 5,
                                                   "occurred_on": "2021-09-24"}, OFFICE)
        self.arrears(hexie, "平江县", "2021-09-21")  # received, never assigned: never listed
        later = self.arrears(hexie, "平江县", "2021-09-21")
        hexie.append(later, "ArrearsCaseAssigned", {"to_unit": "平江县", "deadline": "2021-10-15", "occurred_on": "2021-10-09"},
                     OFFICE)

        def overdue(as_of, unit=None):
            return {c["case_id"]: c["working_days_overdue"] for c in read(database_url, deadlines.overdue_arrears, unit, Cut(as_of))}

        key = str(case)
        assert overdue("2021-09-30") == {}  # due today is not overdue
        assert overdue("2021-10-07") == {key: 0}  # past the deadline, but only 国庆 days have passed
        assert overdue("2021-10-08") == {key: 1}
        assert overdue("2021-10-09") == {key: 2}  # the make-up Saturday counts
        assert overdue("2021-10-10") == {key: 2}
        assert overdue("2021-10-18") == {key: 8, str(later): 1}  # 10-08, 10-09, 10-11 … 10-15, 10-18
        assert overdue("2021-10-18", "平江县") == overdue("2021-10-18") and overdue("2021-10-18", "华容县") == {}

        [item] = read(database_url, deadlines.overdue_arrears, None, Cut("2021-10-08"))
        assert item == {
            "case_id": key, "unit": "平江县", "assigned_to": "平江县", "employer_name": "平江县某建筑劳务有限公司",
            "project": None, "amount_owed": "86000.00", "recovered": "0.00", "outstanding": "86000.00",
            "workers_affected": 12, "assigned_on": "2021-09-24", "deadline": "2021-09-30", "closed_on": None,
            "status": "overdue", "working_days_overdue": 1, "working_days_left": 0,
        }

        opened = {c["case_id"]: c for c in read(database_url, deadlines.open_arrears, None, Cut("2021-09-27"))}
        assert list(opened) == [key]  # `later` was not assigned yet
        assert (opened[key]["status"], opened[key]["working_days_left"], opened[key]["working_days_overdue"]) == ("due", 3, 0)
        opened = {c["case_id"]: c for c in read(database_url, deadlines.open_arrears, None, Cut("2021-10-09"))}
        assert opened[key]["status"] == "overdue" and opened[key]["working_days_overdue"] == 2
        assert opened[str(later)]["status"] == "due" and opened[str(later)]["working_days_left"] == 5

    def test_a_case_closed_later_was_open_then_and_units_match_either_side(self, hexie, database_url):
        case = self.arrears(hexie, "岳阳楼区", "2022-01-20", "120000")
        hexie.append(case, "ArrearsCaseAssigned", {"to_unit": "市人社局", "deadline": "2022-01-28", "occurred_on": "2022-01-21"},
                     OFFICE)
        hexie.append(case, "WagesRecovered", {"amount": "50000.00", "workers": 5, "occurred_on": "2022-01-25"}, OFFICE)
        hexie.append(case, "ArrearsCaseClosed", {"outcome": "court_enforcement", "occurred_on": "2022-02-10"}, OFFICE)

        [item] = read(database_url, deadlines.overdue_arrears, None, Cut("2022-02-08"))
        # 春节 2022: 01-29 and 01-30 were make-up working days, 01-31 … 02-06 off.
        assert item["working_days_overdue"] == 4 and item["closed_on"] is None  # as it stood then: closed later
        assert (item["amount_owed"], item["recovered"], item["outstanding"]) == ("120000.00", "50000.00", "70000.00")
        for unit in ("岳阳楼区", "市人社局"):  # the case's unit and the unit it is assigned to
            assert len(read(database_url, deadlines.overdue_arrears, unit, Cut("2022-02-08"))) == 1
        assert read(database_url, deadlines.overdue_arrears, "平江县", Cut("2022-02-08")) == []
        assert read(database_url, deadlines.overdue_arrears, None, Cut("2022-02-10")) == []  # closed that day

    def test_a_date_outside_the_holiday_calendar_is_an_error(self, hexie, database_url):
        with pytest.raises(CalendarNotCovered):
            read(database_url, deadlines.overdue_arrears, None, Cut("2099-01-04"))


class TestSQLite(DeadlinesStory):
    backend = "sqlite"


class TestPostgres(DeadlinesStory):
    backend = "postgres"
