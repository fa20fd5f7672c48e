"""Spreadsheet imports on real databases: real-shaped workbooks in, all rows or none, reports out.

The workbooks are made here with openpyxl as the bureau's staff make them: title rows above
the header, the seed's Chinese headers with stray spaces, line breaks and full-width
characters, Annex 8's two-row header with merged cells, dates as Excel dates, as serial
numbers and as text, numbers stored as numbers.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from hexie.domain.case import Context
from hexie.domain.enterprise import Enterprise
from hexie.domain.key_employer import KeyEmployer
from hexie.projections import registers
from hexie.projections.engine import connect
from hexie.projections.ledger import Ledger
from hexie.projections.engine import Runner
from hexie.scripts import cli
from hexie.scripts.commands.spreadsheets import enterprise_names_loader
from hexie.scripts.sheets import LIST_TITLE, Batch, Import, Options, marked_workbook
from tests import samples
from tests.integration.test_registers import ANNEX8_CHILDREN, ANNEX8_PARENT, ANNEX8_TOP, SEED
from tests.reading import read_log

ENTERPRISE_HEADER = ["序号", "单位名称", "统一社会信用代码", "所在地区", "单位地址", "所属行业", "联系人", "联系电话", "职工人数", "注册日期"]
ID = {n: samples.id_number(n) for n in range(30, 40)}


def fullwidth(text: str) -> str:
    """ASCII digits and letters as their full-width forms (what a Chinese IME may type)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def enterprise_row(n: int, **changes) -> list:
    row = {"序号": n, "单位名称": f"岳阳导入企业{n}有限公司", "统一社会信用代码": samples.uscc(100 + n), "所在地区": "岳阳楼区",
           "单位地址": f"岳阳楼区青年中路{n}号", "所属行业": "制造业", "联系人": "张三", "联系电话": "13807301234",
           "职工人数": 100 + n, "注册日期": "2019-05-01"}
    row.update(changes)
    return [row[h] for h in ENTERPRISE_HEADER]


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list], merges: tuple[str, ...] = (), formats: dict[str, str] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "填报表"
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    wb.save(path)
    return path


def do_import(hexie, path, form, context=Context(actor="hexie-import"), **options):
    names = enterprise_names_loader(hexie.database_url)
    return Import(hexie, path, Options(form, **options), context, names=names).run()


async def _catch_up(url):
    db = connect(url)
    try:
        runner = Runner(db, [Ledger()])
        await runner.setup()
        await runner.catch_up()
    finally:
        await db.close()


def register(url, annex, **kwargs):
    async def build():
        await _catch_up(url)
        db = connect(url)
        try:
            return await registers.build(db, annex, reveal=True, **kwargs)
        finally:
            await db.close()

    return asyncio.run(build())


def events(hexie):
    return read_log(hexie, 0, 10_000, reveal=True)


def given(data: dict) -> dict:
    """An event's data without the parameters left at their default (None)."""
    return {k: v for k, v in data.items() if v is not None}


def problems_at(outcome) -> set[tuple]:
    return {(p["row"], p["column"]) for p in outcome.problems}


# -- Annex 3 as filled in by hand: titles, ragged headers, full-width text, four kinds of date --


def annex3_rows() -> list[list]:
    header = ["序 号", "姓名", "性别 ", "民\n族", "身份证号码（18位）", "工作单位", "职务", "学历", "任职协调员\n时间", "联系方式"]
    return [
        ["附件3", None, None],
        ["岳阳楼区劳动关系协调员情况表"],
        header,
        [1, " 李明 ", "男", "汉族", fullwidth(ID[30]), "岳阳示范机械有限公司", "人事主管", "大学本科", 43983, 13907301234],
        [2, "王芳", "女", "土家", ID[31].lower() if ID[31].endswith("X") else ID[31], "岳阳包装有限公司", "工会主席", "大专",
         "2019年9月1日", "0730－8221948"],
        [3, "刘强\u3000", "male", "06", ID[32], "岳阳物流有限公司", "经理", "junior_high_or_below", dt.datetime(2018, 1, 15), "13600003333"],
        [4, "赵敏", "女", "１５", ID[33], "君山茶业有限公司", "行政", "硕士", "2020/3/1", "13700001111"],
        [None, None, None, None],  # a blank line, and the seed's pre-numbered empty rows
        [5],
    ]


class ImportStory:
    def test_enterprises_csv_enrol_then_nothing_new_then_only_what_changed(self, hexie, tmp_path):
        rows = [ENTERPRISE_HEADER] + [enterprise_row(n) for n in range(1, 4)]
        first = do_import(hexie, write_csv(tmp_path / "list.csv", rows), "enterprises", occurred_on="2021-03-01")
        assert first.ok, first.as_dict()
        assert (first.rows, first.recorded, first.by_type) == (3, 3, {"EnterpriseEnrolled": 3})
        case = hexie.get_case(Enterprise.create_id(samples.uscc(101)))
        assert (case.name, case.unit, case.industry, case.ownership, case.headcount) == ("岳阳导入企业1有限公司", "岳阳楼区", "C", "other", 101)
        assert case.registration_date == "2019-05-01" and case.newly_registered is False and case.opened_on == "2021-03-01"

        again = do_import(hexie, tmp_path / "list.csv", "enterprises")
        assert again.ok and again.recorded == 0 and again.unchanged_rows == 3
        head = hexie.head()
        # The same list, edited: one new address, one new headcount, one blank phone (a blank never erases)
        rows[1] = enterprise_row(1, 单位地址="岳阳楼区新路8号")
        rows[2] = enterprise_row(2, 职工人数=150)
        rows[3] = enterprise_row(3, 联系电话=None)
        edited = do_import(hexie, write_csv(tmp_path / "list2.csv", rows), "enterprises", occurred_on="2022-01-05")
        assert edited.ok and edited.by_type == {"EnterpriseDetailsAmended": 1, "HeadcountReported": 1}
        assert edited.unchanged_rows == 1
        new = events(hexie)[head:]
        assert [(e["type"], given(e["data"])) for e in new] == [
            ("EnterpriseDetailsAmended", {"address": "岳阳楼区新路8号"}), ("HeadcountReported", {"headcount": 150})]
        assert {e["occurred_on"] for e in new} == {"2022-01-05"}

    def test_enterprises_xlsx_with_gbk_free_excel_types(self, hexie, tmp_path):
        rows = [["企业名单"], [h + (" " if i % 2 else "") for i, h in enumerate(ENTERPRISE_HEADER)] + ["企业类型", "是否新注册企业"]]
        rows.append(enterprise_row(7, 统一社会信用代码=" " + fullwidth(samples.uscc(107)).lower() + " ", 所属行业="C 制造业",
                                   职工人数=320.0, 注册日期=dt.datetime(2021, 6, 18)) + ["私营企业", "是"])
        rows.append(enterprise_row(8, 所在地区="岳阳经济技术开发区", 所属行业="G", 注册日期=44562) + [None, None])
        outcome = do_import(hexie, write_xlsx(tmp_path / "list.xlsx", rows), "enterprises")
        assert outcome.ok, outcome.as_dict()
        e7 = hexie.get_case(Enterprise.create_id(samples.uscc(107)))
        assert (e7.uscc, e7.industry, e7.headcount, e7.registration_date, e7.ownership, e7.newly_registered) == (
            samples.uscc(107), "C", 320, "2021-06-18", "private", True)
        e8 = hexie.get_case(Enterprise.create_id(samples.uscc(108)))
        assert (e8.unit, e8.industry, e8.registration_date, e8.newly_registered) == ("经开区", "G", "2022-01-01", True)

        # A CSV saved by Excel on a Chinese Windows: GB18030, no BOM
        gbk = write_csv(tmp_path / "gbk.csv", [ENTERPRISE_HEADER, enterprise_row(9)], encoding="gb18030")
        assert do_import(hexie, gbk, "enterprises").by_type == {"EnterpriseEnrolled": 1}

    def test_annex3_titles_ragged_headers_fullwidth_and_every_kind_of_date(self, hexie, tmp_path, database_url):
        path = write_xlsx(tmp_path / "附件3.xlsx", annex3_rows(), merges=("A1:C1",))
        outcome = do_import(hexie, path, "annex3", occurred_on="2021-04-01")  # the unit comes from the title
        assert outcome.ok, outcome.as_dict()
        assert (outcome.rows, outcome.recorded) == (4, 4)
        reg = register(database_url, "annex3")
        assert reg.columns == SEED["annex3"]
        assert sorted(r[1:] for r in reg.rows) == sorted([
            ["李明", "男", "汉族", ID[30], "岳阳示范机械有限公司", "人事主管", "本科", dt.date(2020, 6, 1), "13907301234"],
            ["王芳", "女", "土家族", ID[31], "岳阳包装有限公司", "工会主席", "大专", dt.date(2019, 9, 1), "0730-8221948"],
            ["刘强", "男", "苗族", ID[32], "岳阳物流有限公司", "经理", "初中及以下", dt.date(2018, 1, 15), "13600003333"],
            ["赵敏", "女", "土家族", ID[33], "君山茶业有限公司", "行政", "研究生", dt.date(2020, 3, 1), "13700001111"],
        ])
        assert {e["unit"] for e in events(hexie)} == {"岳阳楼区"}
        assert do_import(hexie, path, "annex3").recorded == 0  # the same file again: its keys replay
        assert len(register(database_url, "annex3").rows) == 4

    def test_annex8_two_row_merged_header_enrols_designates_and_reports_layoffs(self, hexie, tmp_path, database_url):
        extra = ["统一社会信用代码", "企业类型", "列入原因", "经济补偿标准", "本年度"]
        top = ANNEX8_TOP + [ANNEX8_PARENT, None, None, None] + extra
        below = [None] * len(ANNEX8_TOP) + ANNEX8_CHILDREN + [None] * len(extra)
        merges = tuple(f"{c}1:{c}2" for c in "ABCDEFGHIJK") + ("L1:O1",) + tuple(f"{c}1:{c}2" for c in "PQRST")
        row = [1, "岳阳重点机械有限公司", "岳阳楼区", "岳阳楼区工业路1号", "制造业", "周经理", "13807305555", 500, 460,
               "失业保险稳岗返还、社会保险费缓缴", "是", 40, 25, "装配工", "是", samples.uscc(201), "国有企业", "生产经营困难",
               "N+1", 2022]
        quiet = [2, "君山重点物流有限公司", "君山区", "君山区柳林洲2号", "交通运输、仓储和邮政业", "吴经理", "13807306666", 160,
                 150, None, "否", None, None, None, None, samples.uscc(202), "私营", "用工规模较大", None, 2022]
        path = write_xlsx(tmp_path / "附件8.xlsx", [top, below, row, quiet], merges=merges)
        outcome = do_import(hexie, path, "annex8", occurred_on="2022-06-01")
        assert outcome.ok, outcome.as_dict()
        assert outcome.by_type == {"EnterpriseEnrolled": 2, "KeyEmployerDesignated": 2, "StabilityPolicyRecorded": 2,
                                   "LayoffPlanReported": 1, "LayoffsReported": 1}
        ke = hexie.get_case(KeyEmployer.create_id(str(Enterprise.create_id(samples.uscc(201)))))
        assert ke.layoff_plans["2022"]["compensation_standard"] == "n_plus_1" and ke.laid_off == {"2022": 25}
        reg = register(database_url, "annex8", year=2022)
        assert reg.header_rows == [top[:15], below[:15]]
        assert reg.rows[0][1:] == ["岳阳重点机械有限公司", "岳阳楼区", "岳阳楼区工业路1号", "制造业", "周经理", "13807305555", 500, 460,
                                   "失业保险稳岗返还、社会保险费缓缴", "是", 40, 25, "装配工", "是"]
        assert reg.rows[1][10:] == ["否", None, None, None, None]
        assert do_import(hexie, path, "annex8").recorded == 0

        # The next month's form: 35 laid off in all, so 10 more; the rest unchanged
        row[12] = 35
        later = do_import(hexie, write_xlsx(tmp_path / "附件8-7月.xlsx", [top, below, row, quiet], merges=merges), "annex8",
                          occurred_on="2022-07-01")
        assert later.ok and later.by_type == {"LayoffsReported": 1}
        assert given(events(hexie)[-1]["data"]) == {"year": 2022, "laid_off": 10, "wages_settled": True}

    def test_the_bureaus_annex8_without_a_uscc_column_finds_enterprises_by_name(self, hexie, tmp_path):
        hexie.open_case("EnterpriseEnrolled", samples.enterprise(301, name="岳阳老厂有限公司", occurred_on="2021-01-05"))
        top = ANNEX8_TOP + [ANNEX8_PARENT, None, None, None, "列入原因"]
        below = [None] * len(ANNEX8_TOP) + ANNEX8_CHILDREN + [None]
        rows = [["重点用工企业情况表"], top, below,
                [1, "岳阳老厂有限公司", "岳阳楼区", "岳阳市岳阳楼区青年中路1号", "制造业", "张三", "13807301234", 330, 320, None, "否",
                 None, None, None, None, "有裁员苗头"],
                [2, "不存在的公司", "岳阳楼区", "某地", "制造业", "李四", "13807301234", 10, 10, None, "否", None, None, None, None, "有裁员苗头"]]
        path = write_xlsx(tmp_path / "a8.xlsx", rows, merges=("L2:O2",))
        outcome = do_import(hexie, path, "annex8", occurred_on="2021-06-01")
        assert not outcome.ok and problems_at(outcome) == {(5, "单位名称")}
        assert "统一社会信用代码" in outcome.problems[0]["problem_zh"]
        del rows[4]
        outcome = do_import(hexie, write_xlsx(tmp_path / "a8b.xlsx", rows, merges=("L2:O2",)), "annex8", occurred_on="2021-06-01")
        assert outcome.ok and outcome.by_type == {"KeyEmployerDesignated": 1}

    def test_annex7_three_plans_one_enterprise_twice(self, hexie, tmp_path, database_url):
        header = SEED["annex7"] + ["计划", "统一社会信用代码", "所属行业", "服务方式", "指引对象", "服务内容"]
        rows = [header,
                [1, "岳阳培育企业有限公司", "岳阳楼区a路1号", "黄经理", "13507301001", 55, "市企业联合会", "和谐企业培育", samples.uscc(401),
                 "制造业", None, None, None],
                [2, "岳阳培育企业有限公司", "岳阳楼区a路1号", "黄经理", "13507301001", 55, "岳阳楼区", "P05", samples.uscc(401),
                 "制造业", None, "技能人才", "技能人才薪酬分配指引"],
                [3, "岳阳新开企业有限公司", "岳阳楼区b路2号", "何经理", "13507301002", 12, "岳阳楼区", "新企业用工服务",
                 samples.uscc(402), "批发和零售业", "实地指导", None, "用工指导"]]
        outcome = do_import(hexie, write_csv(tmp_path / "a7.csv", rows), "annex7", unit="岳阳楼区", occurred_on="2021-05-10")
        assert outcome.ok, outcome.as_dict()
        assert outcome.by_type == {"EnterpriseEnrolled": 2, "CultivationEnrolled": 1, "WageGuidanceProvided": 1,
                                   "NewEnterpriseServiceProvided": 1}
        new = hexie.get_case(Enterprise.create_id(samples.uscc(402)))
        assert new.newly_registered is True and new.industry == "F"
        doc = register(database_url, "annex7").document()
        assert sorted((r["plan"], r["单位名称"], r["培育指导服务单位"]) for r in doc["rows"]) == [
            ("P03", "岳阳培育企业有限公司", "市企业联合会"), ("P05", "岳阳培育企业有限公司", "岳阳楼区"),
            ("P06", "岳阳新开企业有限公司", "岳阳楼区")]
        assert do_import(hexie, tmp_path / "a7.csv", "annex7", unit="岳阳楼区").recorded == 0

    def test_every_kind_of_bad_row_is_reported_and_nothing_is_stored(self, hexie, tmp_path):
        hexie.open_case("EnterpriseEnrolled", samples.enterprise(501, occurred_on="2021-01-05"))  # 岳阳楼区
        head = hexie.head()
        bad_uscc = samples.uscc(502)[:-1] + ("0" if samples.uscc(502)[-1] != "0" else "1")
        bad_id = ID[34][:-1] + ("0" if ID[34][-1] != "0" else "1")
        rows = [ENTERPRISE_HEADER,
                enterprise_row(1),  # fine
                enterprise_row(2, 单位名称=None),  # a required cell missing
                enterprise_row(3, 统一社会信用代码=bad_uscc),  # a wrong check character
                enterprise_row(4, 所在地区="岳阳市"),  # no such district
                enterprise_row(5, 注册日期="2021-13-45"),  # not a date
                enterprise_row(6, 职工人数="三百"),  # not a number
                enterprise_row(7, 统一社会信用代码=samples.uscc(101 + 0)),  # repeats row 2's code
                enterprise_row(8, 统一社会信用代码=samples.uscc(501), 所在地区="君山区")]  # enrolled under another unit
        outcome = do_import(hexie, write_csv(tmp_path / "bad.csv", rows), "enterprises")
        assert not outcome.ok and hexie.head() == head
        assert problems_at(outcome) == {(3, "单位名称"), (4, "统一社会信用代码"), (5, "所在地区"), (6, "注册日期"),
                                        (7, "职工人数"), (8, "统一社会信用代码"), (9, "所在地区")}
        by_cell = {p["cell"]: p for p in outcome.problems}
        assert by_cell["C4"]["problem_zh"].startswith("统一社会信用代码校验位错误") and "check character" in by_cell["C4"]["problem_en"]
        assert by_cell["B3"]["field"] == "data.name" and by_cell["B3"]["problem_zh"] == "必填"
        assert by_cell["D5"]["value"] == "岳阳市" and by_cell["D5"]["rule"] == "unknown_unit"
        assert "第2行" in by_cell["C8"]["problem_zh"] and by_cell["D9"]["rule"] == "unit_differs"

        # Annex 3: a wrong 身份证号码 check digit, and one Excel turned into a number
        a3 = annex3_rows()
        a3[3][4] = bad_id
        a3[4][4] = 430602198504120000
        a3[5][8] = "去年"
        outcome = do_import(hexie, write_xlsx(tmp_path / "bad3.xlsx", a3), "annex3")
        assert problems_at(outcome) == {(4, "身份证号码"), (5, "身份证号码"), (6, "任职协调员时间")}
        id_problem = next(p for p in outcome.problems if p["row"] == 4)
        assert id_problem["problem_en"].startswith("check digit") and id_problem["value"] == bad_id[:6] + "********" + bad_id[-4:]
        assert "15" in next(p for p in outcome.problems if p["row"] == 5)["problem_zh"]
        assert hexie.head() == head

        # Annex 8: a domain rule — more laid off than planned — named on its cell
        top = ANNEX8_TOP + [ANNEX8_PARENT, None, None, None, "统一社会信用代码", "列入原因", "本年度"]
        below = [None] * len(ANNEX8_TOP) + ANNEX8_CHILDREN + [None] * 3
        over = [1, "岳阳超裁有限公司", "岳阳楼区", "某路1号", "制造业", "周", "13807305555", 100, 90, None, "是", 10, 15, "普工", "否",
                samples.uscc(503), "有裁员苗头", 2022]
        outcome = do_import(hexie, write_xlsx(tmp_path / "bad8.xlsx", [top, below, over], merges=("L1:O1",)), "annex8",
                            occurred_on="2022-05-01")
        assert problems_at(outcome) == {(3, "已裁员人数")}
        rule = outcome.problems[0]
        assert rule["rule"] == "layoffs_exceed_plan" and rule["field"] == "data.laid_off" and rule["cell"] == "M3"
        assert "超过" in rule["problem_zh"] and "exceed" in rule["problem_en"]
        assert hexie.head() == head

    def test_the_marked_workbook_and_the_header_problems(self, hexie, tmp_path):
        a3 = annex3_rows()
        a3[4][4] = "123"
        path = write_xlsx(tmp_path / "marked.xlsx", a3)
        run = Import(hexie, path, Options("annex3"), Context(actor="t"))
        outcome = run.run()
        assert not outcome.ok and problems_at(outcome) == {(5, "身份证号码")}
        wb = load_workbook(io.BytesIO(marked_workbook(run.source, outcome)))
        ws = wb["填报表"]
        assert ws["E5"].fill.fgColor.rgb.endswith("FFC7CE") and "身份证号码应为18位" in ws["E5"].comment.text
        assert ws["E4"].comment is None and ws["B4"].value == " 李明 "  # the rest is the file as it was
        listed = list(wb[LIST_TITLE].iter_rows(min_row=2, values_only=True))
        assert listed == [(5, "身份证号码", "E5", "123", outcome.problems[0]["problem_zh"], outcome.problems[0]["problem_en"],
                           "data.id_number")]
        # A CSV's marked copy is a workbook too
        csv_path = write_csv(tmp_path / "bad.csv", [ENTERPRISE_HEADER, enterprise_row(1, 所在地区="火星")])
        run = Import(hexie, csv_path, Options("enterprises"))
        outcome = run.run()
        ws = load_workbook(io.BytesIO(marked_workbook(run.source, outcome))).worksheets[0]
        assert ws["D2"].comment is not None and ws["D2"].value == "火星"
        # Columns missing, or no header at all
        no_phone = [h for h in SEED["annex3"] if h != "联系方式"]
        outcome = do_import(hexie, write_csv(tmp_path / "cols.csv", [no_phone]), "annex3")
        assert [(p["row"], p["column"], p["rule"]) for p in outcome.problems] == [(1, "联系方式", "missing_column")]
        outcome = do_import(hexie, write_csv(tmp_path / "none.csv", [["a", "b"], [1, 2]]), "annex3")
        assert outcome.problems[0]["rule"] == "no_header"

    def test_a_unit_officer_imports_only_its_own_units_rows(self, hexie, tmp_path):
        officer = Context(actor="officer", actor_unit="君山区", units=frozenset({"君山区"}))
        rows = [SEED["annex3"] + ["责任单位"],
                [1, "甲", "男", "汉族", ID[35], "单位", "职务", "本科", "2020-01-01", "13900001111", None],  # defaults to 君山区
                [2, "乙", "女", "汉族", ID[36], "单位", "职务", "本科", "2020-01-01", "13900002222", "岳阳楼区"]]
        outcome = do_import(hexie, write_csv(tmp_path / "mine.csv", rows), "annex3", context=officer)
        assert not outcome.ok and problems_at(outcome) == {(3, "责任单位")}
        assert outcome.problems[0]["rule"] == "not_permitted" and hexie.head() == 0
        del rows[2]
        outcome = do_import(hexie, write_csv(tmp_path / "mine2.csv", rows), "annex3", context=officer)
        assert outcome.ok and events(hexie)[-1]["unit"] == "君山区"

    def test_an_import_that_died_half_way_completes_without_duplicates(self, hexie, tmp_path, monkeypatch):
        rows = [SEED["annex3"]] + [[n, f"协调员{n}", "男", "汉族", ID[30 + n], "单位", "职务", "本科", "2020-01-01", "13900001111"]
                                   for n in range(5)]
        path = write_csv(tmp_path / "five.csv", rows)
        monkeypatch.setattr(Batch, "SIZE", 2)
        real = type(hexie).execute
        calls = []

        def dying(self, commands):
            calls.append(len(commands))
            if len(calls) == 2:
                raise RuntimeError("the process died")
            return real(self, commands)

        monkeypatch.setattr(type(hexie), "execute", dying)
        with pytest.raises(RuntimeError):
            do_import(hexie, path, "annex3", unit="屈原区")
        assert hexie.head() == 2
        monkeypatch.setattr(type(hexie), "execute", real)
        outcome = do_import(hexie, path, "annex3", unit="屈原区")
        assert outcome.ok and (outcome.recorded, outcome.replayed) == (3, 2) and hexie.head() == 5

    def test_the_command_line(self, hexie, tmp_path, database_url, capsys):
        bad = write_csv(tmp_path / "bad.csv", [ENTERPRISE_HEADER, enterprise_row(1, 联系电话="12")])
        assert cli.main(["--database-url", database_url, "import", str(bad), "--as", "enterprises"]) == 1
        assert (tmp_path / "bad.csv.report.json").exists() and (tmp_path / "bad.csv.report.xlsx").exists()
        assert "row 2, 联系电话" in capsys.readouterr().err
        good = write_csv(tmp_path / "good.csv", [ENTERPRISE_HEADER, enterprise_row(1)])
        assert cli.main(["--database-url", database_url, "import", str(good), "--as", "enterprises", "--occurred-on",
                         "2021-02-01"]) == 0
        assert '"recorded": 1' in capsys.readouterr().out
        assert cli.main(["--database-url", database_url, "import", str(good), "--as", "annex3", "--unit", "火星"]) == 2


class TestSQLite(ImportStory):
    backend = "sqlite"


class TestPostgres(ImportStory):
    backend = "postgres"
