"""The registers of Annexes 3–8 on real databases: JSON rows, XLSX and CSV, masking, filters."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import zipfile

import orjson
import pytest
from openpyxl import load_workbook

from hexie.domain.case import Context
from hexie.domain.calendar import today
from hexie.domain.identifiers import mask_id_number, mask_phone
from hexie.projections import registers
from hexie.projections.engine import connect
from hexie.projections.export import CSV_TYPE, XLSX_TYPE, Sheet, flat_header, to_csv, to_xlsx
from hexie.projections.ledger import Ledger
from hexie.projections.registers import RegisterQueryError
from hexie.projections.engine import Runner
from tests import samples

OFFICER = Context(actor="officer-test")

# The seed's column headers, copied from 附件3–8 (seed/000_fa905e9bd15579af.txt).
SEED = {
    "annex3": "序号 姓名 性别 民族 身份证号码 工作单位 职务 学历 任职协调员时间 联系方式".split(),
    "annex4": "序号 所属乡镇街道 调解组织名称 调解组织性质 地址 成立时间 负责人 调解员人数 联系人 联系电话".split(),
    "annex5": "序号 姓名 性别 民族 身份证号码 工作单位 职务 学历 任职调解员时间 联系电话".split(),
    "annex6": "序号 所属乡镇街道 组织名称 组织性质 地址 成立时间 负责人 协调员人数 联系人 联系电话".split(),
    "annex7": "序号 单位名称 单位地址 联系人 联系电话 职工人数 培育指导服务单位".split(),
}
ANNEX8_TOP = "序号 单位名称 所在地区 单位地址 所属行业 联系人 联系电话 上年底职工数量 目前职工数量 已享的稳岗政策 是否有裁员计划".split()
ANNEX8_PARENT = "以下内容为拟裁员或已裁员企业填写"
ANNEX8_CHILDREN = "本年度计划裁员人数 已裁员人数 裁员岗位 是否结清劳动报酬".split()
SEED["annex8"] = ANNEX8_TOP + ANNEX8_CHILDREN

ID = {n: samples.id_number(n) for n in (11, 12, 13, 21, 22)}
PHONES = {
    "c1": "13911112222", "c2": "0730-8221948", "c3": "13600003333", "c3_new": "13700001111",
    "mb": "13812345678", "m1": "15073001234", "m2": "15073005678", "so": "18907301111",
    "e1": "13507301001", "e2": "13507301002", "e3": "13507301003", "e4": "13507301004", "e5": "13507301005",
}
CLEAR = [*ID.values(), *PHONES.values()]


def run(coro):
    return asyncio.run(coro)


def person(unit, name, gender, ethnicity, n, phone, appointed_on, occurred_on, **more):
    return {"unit": unit, "name": name, "gender": gender, "ethnicity": ethnicity, "id_number": ID[n],
            "employer": f"{name}的单位", "position": "人事主管", "education": "bachelor", "appointed_on": appointed_on,
            "phone": phone, "occurred_on": occurred_on, **more}


def record(hexie) -> dict[str, str]:
    """A handful of cases for every register; returns their ids by nickname."""
    o, a = hexie.open_case, hexie.append
    ids: dict[str, str] = {}
    # Annex 3 — out of unit order on purpose: 岳阳楼区 comes before 君山区 (vocabulary.UNITS)
    ids["c1"] = str(o("CoordinatorRegistered", person("君山区", "李明", "male", "01", 11, PHONES["c1"], "2020-06-01", "2021-03-05"), OFFICER).case_id)
    ids["c2"] = str(o("CoordinatorRegistered", {**person("岳阳楼区", "王芳", "female", "15", 12, PHONES["c2"], "2019-09-01", "2021-04-01"),
                                                "education": "junior_college"}, OFFICER).case_id)
    ids["c3"] = str(o("CoordinatorRegistered", person("岳阳楼区", "刘强", "male", "06", 13, PHONES["c3"], "2018-01-15", "2021-02-01"), OFFICER).case_id)
    a(ids["c3"], "CoordinatorDetailsAmended", {"phone": PHONES["c3_new"], "occurred_on": "2021-05-01"}, OFFICER)
    # Annexes 4 and 5
    ids["mb"] = str(o("MediationBodyRegistered", {
        "unit": "岳阳楼区", "township": "洞庭街道", "name": "洞庭街道劳动人事争议调解中心", "nature": "township_street_center",
        "address": "岳阳楼区洞庭北路8号", "established_on": "2019-03-01", "head": "陈主任", "mediator_count": 5,
        "contact_name": "周联络", "contact_phone": PHONES["mb"], "occurred_on": "2021-02-10"}, OFFICER).case_id)
    ids["m1"] = str(o("MediatorRegistered", person("岳阳楼区", "孙调解", "female", "01", 21, PHONES["m1"], "2020-01-01", "2021-02-11",
                                                   mediation_body_id=ids["mb"]), OFFICER).case_id)
    ids["m2"] = str(o("MediatorRegistered", person("岳阳楼区", "钱离任", "male", "01", 22, PHONES["m2"], "2020-01-01", "2021-02-12"), OFFICER).case_id)
    a(ids["m2"], "MediatorDeregistered", {"reason": "调离", "occurred_on": "2021-10-01"}, OFFICER)
    # Annex 6
    ids["so"] = str(o("SocialOrganisationRegistered", {
        "unit": "华容县", "township": "章华镇", "name": "华容县劳动关系协会", "nature": "social_group",
        "address": "华容县章华镇1号", "established_on": "2018-05-20", "head": "吴会长", "coordinator_count": 12,
        "contact_name": "郑秘书", "contact_phone": PHONES["so"], "occurred_on": "2021-03-01"}, OFFICER).case_id)
    # Enterprises, Annex 7
    def enterprise(n, unit, **changes):
        data = samples.enterprise(n, unit=unit, contact_phone=PHONES[f"e{n}"], occurred_on="2021-01-10", **changes)
        return str(o("EnterpriseEnrolled", data, OFFICER).case_id)

    ids["e1"] = enterprise(1, "岳阳楼区", newly_registered=True, name="岳阳新星科技有限公司", address="岳阳楼区金鹗中路2号",
                           contact_name="黄经理", headcount=40)
    ids["e2"] = enterprise(2, "君山区", name="君山茶业有限公司", address="君山区柳林洲1号", contact_name="何经理", headcount=210)
    ids["e3"] = enterprise(3, "岳阳楼区", name="岳阳包装有限公司", address="岳阳楼区青年中路9号", industry="C", headcount=470)
    ids["e4"] = enterprise(4, "君山区", name="君山物流有限公司", industry="G", headcount=150)
    ids["e5"] = enterprise(5, "岳阳楼区", name="岳阳旧厂有限公司", headcount=90)
    a(ids["e1"], "HeadcountReported", {"headcount": 55, "occurred_on": "2021-09-30"}, OFFICER)
    ids["cultivation"] = str(o("CultivationEnrolled", {"unit": "君山区", "enterprise_id": ids["e2"], "service_unit": "市企业联合会",
                                                       "year": 2021, "occurred_on": "2021-04-01"}, OFFICER).case_id)
    ids["wage"] = str(o("WageGuidanceProvided", {"unit": "岳阳楼区", "enterprise_id": ids["e1"], "group": "skilled",
                                                 "content": "技能人才薪酬分配指引", "occurred_on": "2021-05-01"}, OFFICER).case_id)
    ids["service"] = str(o("NewEnterpriseServiceProvided", {"unit": "岳阳楼区", "enterprise_id": ids["e1"], "method": "on_site",
                                                            "content": "用工指导", "occurred_on": "2021-03-01"}, OFFICER).case_id)
    # Annex 8
    ids["ke3"] = str(o("KeyEmployerDesignated", {"unit": "岳阳楼区", "enterprise_id": ids["e3"], "reason": "layoff_risk",
                                                 "headcount_last_year_end": 500, "headcount_now": 460, "occurred_on": "2021-03-01"},
                       OFFICER).case_id)
    for policy, year in [("ui_job_retention_refund", 2021), ("si_fee_deferral", 2022), ("ui_job_retention_refund", 2022),
                         ("hiring_subsidy", 2023)]:
        a(ids["ke3"], "StabilityPolicyRecorded", {"policy": policy, "year": year, "occurred_on": "2021-04-01"}, OFFICER)
    a(ids["ke3"], "LayoffPlanReported", {"year": 2022, "planned_layoffs": 40, "positions": "包装工", "compensation_standard": "statutory_n",
                                         "payment_capacity_assessed": True, "occurred_on": "2022-03-01"}, OFFICER)
    a(ids["ke3"], "LayoffsReported", {"year": 2022, "laid_off": 15, "wages_settled": False, "occurred_on": "2022-05-01"}, OFFICER)
    a(ids["ke3"], "LayoffsReported", {"year": 2022, "laid_off": 10, "wages_settled": True, "occurred_on": "2022-06-01"}, OFFICER)
    a(ids["e3"], "HeadcountReported", {"headcount": 430, "as_of_date": "2022-06-30", "occurred_on": "2022-07-01"}, OFFICER)
    ids["ke4"] = str(o("KeyEmployerDesignated", {"unit": "君山区", "enterprise_id": ids["e4"], "reason": "large_employer",
                                                 "headcount_last_year_end": 160, "headcount_now": 150, "occurred_on": "2022-01-10"},
                       OFFICER).case_id)
    ids["ke5"] = str(o("KeyEmployerDesignated", {"unit": "岳阳楼区", "enterprise_id": ids["e5"], "reason": "operating_difficulty",
                                                 "headcount_last_year_end": 100, "headcount_now": 90, "occurred_on": "2021-01-15"},
                       OFFICER).case_id)
    a(ids["ke5"], "KeyEmployerDelisted", {"reason": "经营好转", "occurred_on": "2021-12-01"}, OFFICER)
    return ids


async def _catch_up(url: str) -> None:
    db = connect(url)
    try:
        runner = Runner(db, [Ledger()])
        await runner.setup()
        await runner.catch_up()
    finally:
        await db.close()


async def _build(url: str, annex: str, **kwargs) -> registers.Register:
    db = connect(url)
    try:
        return await registers.build(db, annex, **kwargs)
    finally:
        await db.close()


@pytest.fixture
def recorded(hexie, database_url):
    ids = record(hexie)
    run(_catch_up(database_url))
    return ids


def build(url, annex, **kwargs) -> registers.Register:
    return run(_build(url, annex, **kwargs))


def workbook(register: registers.Register):
    return load_workbook(io.BytesIO(to_xlsx([register.sheet()]))).active


def values(ws, row: int) -> list:
    return [c.value for c in ws[row]]


def xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(name).decode("utf-8", "replace") for name in z.namelist())


class RegisterStory:
    def test_annex3_coordinators(self, recorded, database_url):
        reg = build(database_url, "annex3")
        doc = reg.document()
        assert doc["annex"] == "annex3" and doc["title"] == "劳动关系协调员情况表" and doc["columns"] == SEED["annex3"]
        assert [r["姓名"] for r in doc["rows"]] == ["刘强", "王芳", "李明"]  # 岳阳楼区 by opening date, then 君山区
        liu, wang, li = doc["rows"]
        assert liu == {
            "case_id": recorded["c3"], "unit": "岳阳楼区", "序号": 1, "姓名": "刘强", "性别": "男", "民族": "苗族",
            "身份证号码": mask_id_number(ID[13]), "工作单位": "刘强的单位", "职务": "人事主管", "学历": "本科",
            "任职协调员时间": "2018-01-15", "联系方式": mask_phone(PHONES["c3_new"]),  # amended
        }
        assert (wang["序号"], wang["性别"], wang["民族"], wang["学历"]) == (2, "女", "土家族", "大专")
        assert wang["联系方式"] == mask_phone(PHONES["c2"]) and wang["联系方式"].endswith("1948") and li["身份证号码"] == "430602********" + ID[11][-4:]

        ws = workbook(reg)  # the seed's title, the caption, then the header (row 3) and the rows
        assert ws.title == "附件3 劳动关系协调员情况表" and ws.freeze_panes == "A4"
        assert ws["A1"].value == "附件3  劳动关系协调员情况表"
        assert ws["A2"].value.startswith(f"业务日期截至：{today()}（当前）　　记录时间截至：导出时")
        assert values(ws, 3) == SEED["annex3"]
        assert values(ws, 4)[:4] == [1, "刘强", "男", "苗族"]
        id_cell, date_cell, phone_cell = ws["E4"], ws["I4"], ws["J4"]
        assert id_cell.data_type == "s" and id_cell.value == mask_id_number(ID[13])
        assert date_cell.is_date and date_cell.value.date() == dt.date(2018, 1, 15)
        assert phone_cell.data_type == "s" and ws["A4"].data_type == "n"
        assert ws.max_row == 6

        csv = to_csv(reg.sheet())
        assert csv.startswith(b"\xef\xbb\xbf") and csv.count(b"\r\n") == 6
        lines = csv[3:].decode("utf-8").split("\r\n")
        assert lines[0] == "附件3  劳动关系协调员情况表" and lines[1].startswith("业务日期截至：")
        assert lines[2] == ",".join(SEED["annex3"])
        assert lines[3].startswith("1,刘强,男,苗族,430602********") and "2018-01-15" in lines[3]

    def test_annex4_5_6_bodies_and_mediators(self, recorded, database_url):
        a4 = build(database_url, "annex4").document()
        assert a4["columns"] == SEED["annex4"]
        assert a4["rows"] == [{
            "case_id": recorded["mb"], "unit": "岳阳楼区", "序号": 1, "所属乡镇街道": "洞庭街道",
            "调解组织名称": "洞庭街道劳动人事争议调解中心", "调解组织性质": "乡镇（街道）劳动人事争议调解中心",
            "地址": "岳阳楼区洞庭北路8号", "成立时间": "2019-03-01", "负责人": "陈主任", "调解员人数": 1,  # its mediators on Annex 5 (one left), not the 5 typed in at registration
            "联系人": "周联络", "联系电话": "138****5678",
        }]
        a5 = build(database_url, "annex5")
        assert a5.columns == SEED["annex5"]
        assert [r["姓名"] for r in a5.json_rows()] == ["孙调解"]  # the deregistered mediator has left the register
        assert a5.json_rows()[0]["任职调解员时间"] == "2020-01-01"
        a6 = build(database_url, "annex6")
        assert a6.columns == SEED["annex6"]
        row = a6.json_rows()[0]
        assert (row["所属乡镇街道"], row["组织名称"], row["组织性质"], row["协调员人数"], row["联系电话"]) == (
            "章华镇", "华容县劳动关系协会", "社会团体", 12, mask_phone(PHONES["so"]))
        for reg in (build(database_url, "annex4"), a5, a6):
            ws = workbook(reg)
            assert values(ws, 3) == SEED[reg.annex] and ws.max_row == 4
            assert len(ws.title) <= 31 and ws.title.startswith(f"附件{reg.number} ")
            assert to_csv(reg.sheet())[3:].decode().split("\r\n")[2] == ",".join(SEED[reg.annex])

    def test_annex7_enterprises_of_three_plans(self, recorded, database_url):
        reg = build(database_url, "annex7")
        doc = reg.document()
        assert doc["columns"] == SEED["annex7"] and doc["plan"] is None
        assert doc["title"] == "“和谐同行”能力提升和谐企业培育（企业薪酬指引、新企业用工服务）企业名单"
        assert [(r["plan"], r["单位名称"]) for r in doc["rows"]] == [
            ("P06", "岳阳新星科技有限公司"), ("P05", "岳阳新星科技有限公司"), ("P03", "君山茶业有限公司")]
        service, wage, cultivation = doc["rows"]
        assert service == {
            "case_id": recorded["service"], "unit": "岳阳楼区", "plan": "P06", "enterprise_id": recorded["e1"],
            "序号": 1, "单位名称": "岳阳新星科技有限公司", "单位地址": "岳阳楼区金鹗中路2号", "联系人": "黄经理",
            "联系电话": mask_phone(PHONES["e1"]), "职工人数": 55, "培育指导服务单位": "岳阳楼区",
        }
        assert wage["培育指导服务单位"] == "岳阳楼区" and cultivation["培育指导服务单位"] == "市企业联合会"
        assert cultivation["职工人数"] == 210 and cultivation["序号"] == 3

        only = build(database_url, "annex7", plan="P03").document()
        assert only["plan"] == "P03" and [r["case_id"] for r in only["rows"]] == [recorded["cultivation"]]
        assert only["rows"][0]["序号"] == 1
        mine = build(database_url, "annex7", unit="岳阳楼区").document()
        assert mine["title"].startswith("岳阳楼区“和谐同行”") and {r["unit"] for r in mine["rows"]} == {"岳阳楼区"}
        assert len(mine["rows"]) == 2

        ws = workbook(reg)
        assert ws["A1"].value == f"附件7  {doc['title']}"
        assert values(ws, 3) == SEED["annex7"] and ws.max_row == 6 and len(ws.title) <= 31
        assert values(ws, 4) == [1, "岳阳新星科技有限公司", "岳阳楼区金鹗中路2号", "黄经理", mask_phone(PHONES["e1"]), 55, "岳阳楼区"]
        assert ws["F4"].data_type == "n" and ws["E4"].data_type == "s"
        assert workbook(build(database_url, "annex7", plan="P03"))["A2"].value.startswith("计划：和谐企业培育")

    def test_annex8_key_employers_with_their_layoffs(self, recorded, database_url):
        reg = build(database_url, "annex8", year=2022)
        doc = reg.document()
        assert doc["year"] == 2022 and doc["columns"] == SEED["annex8"]
        # ke5 was delisted in 2021; ke4 was designated in 2022
        assert [r["case_id"] for r in doc["rows"]] == [recorded["ke3"], recorded["ke4"]]
        ke3, ke4 = doc["rows"]
        assert ke3 == {
            "case_id": recorded["ke3"], "unit": "岳阳楼区", "enterprise_id": recorded["e3"], "序号": 1,
            "单位名称": "岳阳包装有限公司", "所在地区": "岳阳楼区", "单位地址": "岳阳楼区青年中路9号", "所属行业": "制造业",
            "联系人": "张三", "联系电话": mask_phone(PHONES["e3"]), "上年底职工数量": 500, "目前职工数量": 430,
            "已享的稳岗政策": "失业保险稳岗返还、社会保险费缓缴", "是否有裁员计划": "是",
            "本年度计划裁员人数": 40, "已裁员人数": 25, "裁员岗位": "包装工", "是否结清劳动报酬": "是",
        }
        assert (ke4["所在地区"], ke4["所属行业"], ke4["目前职工数量"], ke4["已享的稳岗政策"], ke4["是否有裁员计划"]) == (
            "君山区", "交通运输、仓储和邮政业", 150, None, "否")
        assert [ke4[c] for c in ANNEX8_CHILDREN] == [None] * 4

        y2021 = build(database_url, "annex8", year=2021).document()
        assert [r["case_id"] for r in y2021["rows"]] == [recorded["ke5"], recorded["ke3"]]  # by designation date
        ke3_2021 = y2021["rows"][1]
        assert ke3_2021["已享的稳岗政策"] == "失业保险稳岗返还" and ke3_2021["是否有裁员计划"] == "否"
        assert [ke3_2021[c] for c in ANNEX8_CHILDREN] == [None] * 4
        assert build(database_url, "annex8").document()["year"] == int(today()[:4])

        ws = workbook(reg)
        assert ws.title == "附件8 重点用工企业情况表" and ws.freeze_panes == "A5"
        assert ws["A1"].value == "附件8  重点用工企业情况表" and ws["A2"].value.startswith("本年度：2022")
        assert values(ws, 3) == ANNEX8_TOP + [ANNEX8_PARENT, None, None, None]
        assert values(ws, 4) == [None] * len(ANNEX8_TOP) + ANNEX8_CHILDREN
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert {"A1:O1", "A2:O2", "L3:O3"} <= merged and {f"{c}3:{c}4" for c in "ABCDEFGHIJK"} <= merged
        assert values(ws, 5) == [1, "岳阳包装有限公司", "岳阳楼区", "岳阳楼区青年中路9号", "制造业", "张三", mask_phone(PHONES["e3"]),
                                 500, 430, "失业保险稳岗返还、社会保险费缓缴", "是", 40, 25, "包装工", "是"]
        assert values(ws, 6)[11:] == [None] * 4 and ws.max_row == 6

        header = to_csv(reg.sheet())[3:].decode().split("\r\n")[2].split(",")
        assert header == ANNEX8_TOP + [f"{ANNEX8_PARENT}-{c}" for c in ANNEX8_CHILDREN]

    def test_personal_data_is_masked_in_every_export(self, recorded, database_url):
        for annex in registers.REGISTERS:
            for kwargs in ({}, {"year": 2021} if annex == "annex8" else {}):
                reg = build(database_url, annex, **kwargs)
                assert reg.rows, annex
                outputs = {
                    "json": orjson.dumps(reg.document()).decode(),
                    "csv": to_csv(reg.sheet()).decode("utf-8-sig"),
                    "xlsx": xlsx_text(to_xlsx([reg.sheet()])),
                    "cells": " ".join(str(c.value) for row in workbook(reg).iter_rows() for c in row),
                }
                for name, text in outputs.items():
                    for clear in CLEAR:
                        assert clear not in text, (annex, name, clear)

    def test_reveal_shows_the_clear_values_as_text(self, recorded, database_url):
        ws = workbook(build(database_url, "annex3", reveal=True))
        assert ws["E4"].value == ID[13] and ws["E4"].data_type == "s" and ws["E4"].number_format == "@"
        assert ws["J4"].value == PHONES["c3_new"] and ws["J4"].data_type == "s"
        a8 = build(database_url, "annex8", year=2022, reveal=True)
        assert a8.json_rows()[0]["联系电话"] == PHONES["e3"]

    def test_filters_are_checked(self, recorded, database_url):
        assert [r["姓名"] for r in build(database_url, "annex3", unit="君山区").json_rows()] == ["李明"]
        assert build(database_url, "annex3", unit="市工商联").rows == []
        for annex, kwargs, field in [
            ("annex3", {"unit": "岳阳市"}, "unit"), ("annex7", {"plan": "P02"}, "plan"), ("annex3", {"plan": "P03"}, "plan"),
            ("annex8", {"year": 2019}, "year"), ("annex8", {"year": 2031}, "year"), ("annex4", {"year": 2022}, "year"),
        ]:
            with pytest.raises(RegisterQueryError) as bad:
                build(database_url, annex, **kwargs)
            assert bad.value.field == field
        with pytest.raises(KeyError):
            build(database_url, "annex9")


    def test_before_the_ledger_exists_it_is_not_ready(self, database_url):
        with pytest.raises(registers.NotReady):
            build(database_url, "annex8")


class FidelityStory:
    """Issue 12's register fixes on each backend: Annex 8 per year; Annex 4's mediators counted from Annex 5."""

    def test_annex8_gives_each_year_its_own_layoffs_and_settlement(self, hexie, database_url):
        ids = record(hexie)
        a = hexie.append
        a(ids["ke3"], "LayoffPlanReported", {"year": 2023, "planned_layoffs": 12, "positions": "装配工",
                                             "compensation_standard": "n_plus_1", "payment_capacity_assessed": True,
                                             "occurred_on": "2023-02-01"}, OFFICER)
        a(ids["ke3"], "LayoffsReported", {"year": 2023, "laid_off": 6, "wages_settled": False, "positions": "装配工、仓管",
                                          "occurred_on": "2023-04-01"}, OFFICER)
        run(_catch_up(database_url))
        row = {year: next(r for r in build(database_url, "annex8", year=year).document()["rows"] if r["case_id"] == ids["ke3"])
               for year in (2022, 2023)}
        assert [row[2022][c] for c in ANNEX8_CHILDREN] == [40, 25, "包装工", "是"]
        assert [row[2023][c] for c in ANNEX8_CHILDREN] == [12, 6, "装配工、仓管", "否"]


class TestSQLite(RegisterStory, FidelityStory):
    backend = "sqlite"


class TestPostgres(RegisterStory, FidelityStory):
    backend = "postgres"


# -- the export module, without a database --------------------------------------------


def test_a_two_row_header_flattens_to_parent_child():
    sheet = Sheet("t", [["序号", "父", None], [None, "子1", "子2"]], [], merges=["A1:A2", "B1:C1"])
    assert flat_header(sheet) == ["序号", "父-子1", "父-子2"]
    assert flat_header(Sheet("t", [["a", "b"]], [])) == ["a", "b"]


def test_cells_are_typed_and_formulas_stay_text():
    rows = [[1, 2.5, "=1+1", "-5", "91430600000000011X", "13807301234", dt.date(2021, 3, 1), True, None]]
    sheet = Sheet("一个非常非常长的工作表标题：超过了三十一个字符的限制[测试]/结束", [list("ABCDEFGHI")], rows)
    ws = load_workbook(io.BytesIO(to_xlsx([sheet, sheet]))).worksheets[0]
    assert len(ws.title) <= 31 and not set(ws.title) & set("[]:*?/\\")
    cells = ws[2]
    assert [c.data_type for c in cells[:6]] == ["n", "n", "s", "s", "s", "s"]
    assert [c.value for c in cells[:6]] == [1, 2.5, "=1+1", "-5", "91430600000000011X", "13807301234"]
    assert cells[6].is_date and cells[7].value == "是" and cells[8].value is None
    assert load_workbook(io.BytesIO(to_xlsx([sheet, sheet]))).sheetnames[1] != ws.title  # unique titles
    line = to_csv(sheet).decode("utf-8-sig").split("\r\n")[1]
    assert line == "1,2.5,'=1+1,'-5,91430600000000011X,13807301234,2021-03-01,是,"
    assert CSV_TYPE.startswith("text/csv") and XLSX_TYPE.endswith("spreadsheetml.sheet")


def test_ten_thousand_rows_stream():
    rows = ([n, f"岳阳测试企业{n}有限公司", "138****1234", dt.date(2021, 1, 1)] for n in range(10_000))
    data = to_xlsx([Sheet("big", [["序号", "单位名称", "联系电话", "日期"]], rows)])
    ws = load_workbook(io.BytesIO(data), read_only=True).active
    got = list(ws.iter_rows(values_only=True))
    assert len(got) == 10_001 and got[-1][:3] == (9_999, "岳阳测试企业9999有限公司", "138****1234")
