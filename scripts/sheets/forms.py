"""The forms a spreadsheet import takes (`hexie import --as <form>`), column by column.

A form is the bureau's sheet as circulated — the seed's Annex 3–8 headers, in the seed's
order (taken from `domain.annexes`, so the export and the import share one text) —
followed by the columns the ledger needs and the seed's form lacks (`seed=False`): the
responsible unit (责任单位), the 统一社会信用代码 of an Annex 7/8 enterprise, the plan of an
Annex 7 row, the business date (业务日期) …; `templates.py` writes them all, with drop-downs.

Each column names the row field it fills (`field`) and how its cells are read (`kind`:
`text`, `uscc`, `id_number`, `phone`, `date`, `count`, `year`, `bool`, `unit`, `plan`,
`policies`, or a value list of `domain.vocabulary.ENUMS`). Headers match after NFKC, with
spaces and line breaks removed, so `地 址`, `联系电话\\n` and full-width `（）` all match.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from hexie.domain import annexes

EXAMPLE = "示例"  # a row whose 序号 says 示例 is the template's example: never imported


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"
    required: bool = False  # the column must be there (its cells may still be optional per row)
    aliases: tuple[str, ...] = ()
    seed: bool = True  # one of the seed's columns (else added by hexie)
    note: str = ""  # 填写说明, shown in the template
    example: Any = None


@dataclass(frozen=True)
class Form:
    name: str  # the `--as` value
    title: str  # the seed's title
    columns: tuple[Column, ...]
    header_rows: tuple[tuple[str | None, ...], ...] = ()  # the seed's header rows when not one row
    merges: tuple[str, ...] = ()
    event: str | None = None  # Annexes 3–6: the one event a row becomes
    notes: tuple[str, ...] = field(default_factory=tuple)

    def column(self, field_name: str) -> Column | None:
        return next((c for c in self.columns if c.field == field_name), None)


SEQ = Column("序号", "seq", "seq", note=f"可留空；写“{EXAMPLE}”的行不导入")
DATE = Column("业务日期", "occurred_on", "date", aliases=("填报日期", "发生日期"), seed=False,
              note="该行所记之事发生的日期（YYYY-MM-DD），留空为导入当天", example="2021-03-01")
UNIT = Column("责任单位", "unit", "unit", aliases=("所属县市区", "县市区", "县区名称", "所属县区", "填报单位"), seed=False,
              note="计入附件1的单位（15个之一）；留空时取 --unit、表头标题中的单位或操作人所在单位", example="岳阳楼区")


def _people(event: str, annex: annexes.Annex, appointed: str, phone: str) -> Form:
    name, title = annex.name, annex.title
    s = dict(zip(("seq", "name", "gender", "ethnicity", "id_number", "employer", "position", "education",
                  "appointed_on", "phone"), annex.columns))
    columns = [
        SEQ,
        Column(s["name"], "name", required=True, example="李明"),
        Column(s["gender"], "gender", "gender", required=True, example="男"),
        Column(s["ethnicity"], "ethnicity", "ethnicity", required=True, example="汉族"),
        Column(s["id_number"], "id_number", "id_number", required=True, note="18位，末位可为X；请设为文本格式",
               example="430602198504120113"),
        Column(s["employer"], "employer", required=True, example="岳阳示范机械有限公司"),
        Column(s["position"], "position", required=True, example="人事主管"),
        Column(s["education"], "education", "education", required=True, example="本科"),
        Column(s["appointed_on"], "appointed_on", "date", required=True, aliases=(appointed,), example="2020-06-01"),
        Column(s["phone"], "phone", "phone", required=True, aliases=(phone,), example="13907301234"),
        UNIT,
    ]
    if event == "CoordinatorRegistered":
        columns.append(Column("是否专职集体协商指导员", "full_time_bargaining_instructor", "bool", seed=False,
                              note="是/否，留空为否", example="否"))
    columns.append(DATE)
    return Form(name, title, tuple(columns), event=event)


def _bodies(event: str, annex: annexes.Annex, nature: str, count: str) -> Form:
    s = annex.columns
    return Form(annex.name, annex.title, (
        SEQ,
        Column(s[1], "township", required=True, example="洞庭街道"),
        Column(s[2], "name", required=True, aliases=("组织名称", "调解组织名称"),
               example="洞庭街道劳动人事争议调解中心" if nature == "mediation_nature" else "岳阳楼区劳动关系协会"),
        Column(s[3], "nature", nature, required=True,
               example="乡镇（街道）劳动人事争议调解中心" if nature == "mediation_nature" else "社会团体"),
        Column(s[4], "address", required=True, example="岳阳楼区洞庭北路8号"),
        Column(s[5], "established_on", "date", required=True, example="2019-03-01"),
        Column(s[6], "head", required=True, example="陈主任"),
        Column(s[7], count, "count", required=True, example=5),
        Column(s[8], "contact_name", required=True, example="周联络"),
        Column(s[9], "contact_phone", "phone", required=True, example="0730-8221948"),
        Column("统一社会信用代码", "uscc", "uscc", aliases=("社会信用代码", "信用代码"), seed=False,
               note="有则填写：同一代码为同一组织，不能重复登记", example=None),
        UNIT,
        DATE,
    ), event=event)


# -- enterprises (the master list) ---------------------------------------------------

ENTERPRISE_DETAILS = (
    Column("企业类型", "ownership", "ownership", aliases=("登记注册类型", "经济类型", "企业性质"), seed=False,
           note="登记时必填；留空登记为“其他”，已登记企业留空则不改", example="私营"),
    Column("是否新注册企业", "newly_registered", "bool", aliases=("新注册企业",), seed=False,
           note="是/否；留空时按注册日期（2020年及以后为是）", example="否"),
)

ENTERPRISES = Form("enterprises", "企业名单", tuple(replace(c, seed=False) for c in (
    SEQ,
    Column("单位名称", "name", required=True, aliases=("企业名称",), example="岳阳示范机械有限公司"),
    Column("统一社会信用代码", "uscc", "uscc", required=True, aliases=("社会信用代码", "信用代码"), example="91430600000000011X"),
    Column("所在地区", "unit", "unit", required=True, aliases=("所属县市区", "县市区", "所在县市区", "区县", "所在区县"),
           example="岳阳楼区"),
    Column("单位地址", "address", required=True, aliases=("地址", "企业地址"), example="岳阳楼区青年中路1号"),
    Column("所属行业", "industry", "industry", required=True, aliases=("行业",), example="制造业"),
    Column("联系人", "contact_name", required=True, example="张三"),
    Column("联系电话", "contact_phone", "phone", required=True, example="13807301234"),
    Column("职工人数", "headcount", "count", required=True, aliases=("目前职工数量", "职工数"), example=320),
    Column("注册日期", "registration_date", "date", aliases=("成立日期", "注册时间", "成立时间"), example="2015-06-18"),
    *ENTERPRISE_DETAILS,
    DATE,
)))

# -- Annexes 3–6 ---------------------------------------------------------------------

ANNEX3 = _people("CoordinatorRegistered", annexes.ANNEX3, "任职时间", "联系电话")
ANNEX5 = _people("MediatorRegistered", annexes.ANNEX5, "任职时间", "联系方式")
ANNEX4 = _bodies("MediationBodyRegistered", annexes.ANNEX4, "mediation_nature", "mediator_count")
ANNEX6 = _bodies("SocialOrganisationRegistered", annexes.ANNEX6, "social_organisation_nature", "coordinator_count")

# -- Annex 7 ---------------------------------------------------------------------------

USCC = Column("统一社会信用代码", "uscc", "uscc", aliases=("社会信用代码", "信用代码"), seed=False,
              note="找到已登记的企业，未登记的按本行登记；无此列时按单位名称查找已登记企业", example="91430600000000011X")
_a7 = annexes.ANNEX7.columns
ANNEX7 = Form("annex7", annexes.ANNEX7.title, (
    SEQ,
    Column(_a7[1], "name", required=True, aliases=("企业名称",), example="岳阳示范机械有限公司"),
    Column(_a7[2], "address", required=True, example="岳阳楼区青年中路1号"),
    Column(_a7[3], "contact_name", required=True, example="张三"),
    Column(_a7[4], "contact_phone", "phone", required=True, example="13807301234"),
    Column(_a7[5], "headcount", "count", required=True, example=320),
    Column(_a7[6], "service_unit", required=True, aliases=("培育服务单位", "指导服务单位"),
           note="P03：培育指导服务单位；P05、P06：负责的县市区（15个单位之一）", example="市企业联合会"),
    Column("计划", "plan", "plan", aliases=("所属计划", "类别"), seed=False,
           note="和谐企业培育 / 企业薪酬指引 / 新企业用工服务（或 P03/P05/P06）；可用 --plan 代替", example="和谐企业培育"),
    USCC,
    Column("所在地区", "enterprise_unit", "unit", aliases=("企业所在地区",), seed=False, note="登记新企业时使用", example="岳阳楼区"),
    Column("所属行业", "industry", "industry", seed=False, note="登记新企业时必填", example="制造业"),
    *ENTERPRISE_DETAILS,
    Column("培育年度", "year", "year", seed=False, note="P03，留空取业务日期所在年", example=2021),
    Column("指引对象", "group", "wage_group", aliases=("指引群体",), seed=False, note="P05 必填", example=None),
    Column("服务方式", "method", "new_service_method", seed=False, note="P06 必填", example=None),
    Column("服务内容", "content", aliases=("指引内容",), seed=False, note="P05、P06 必填", example=None),
    UNIT,
    DATE,
))

# -- Annex 8 ---------------------------------------------------------------------------

_a8 = annexes.ANNEX8.columns
ANNEX8 = Form("annex8", annexes.ANNEX8.title, (
    SEQ,
    Column(_a8[1], "name", required=True, aliases=("企业名称",), example="岳阳示范机械有限公司"),
    Column(_a8[2], "enterprise_unit", "unit", required=True, example="岳阳楼区"),
    Column(_a8[3], "address", required=True, example="岳阳楼区青年中路1号"),
    Column(_a8[4], "industry", "industry", required=True, example="制造业"),
    Column(_a8[5], "contact_name", required=True, example="张三"),
    Column(_a8[6], "contact_phone", "phone", required=True, example="13807301234"),
    Column(_a8[7], "headcount_last_year_end", "count", required=True, example=340),
    Column(_a8[8], "headcount_now", "count", required=True, example=320),
    Column(_a8[9], "policies", "policies", required=True, aliases=("已享受的稳岗政策",),
           note="一项或多项，以“、”分隔", example="失业保险稳岗返还"),
    Column(_a8[10], "has_layoff_plan", "bool", required=True, example="是"),
    Column(_a8[11], "planned_layoffs", "count", required=True, example=25),
    Column(_a8[12], "laid_off", "count", required=True, example=10),
    Column(_a8[13], "layoff_positions", required=True, example="装配工"),
    Column(_a8[14], "wages_settled", "bool", required=True, example="是"),
    USCC,
    *ENTERPRISE_DETAILS,
    Column("列入原因", "reason", "key_employer_reason", aliases=("重点企业类型",), seed=False,
           note="新列入重点企业时必填", example="生产经营困难"),
    Column("经济补偿标准", "compensation_standard", "compensation_standard", aliases=("补偿标准",), seed=False,
           note="有裁员计划时填写；留空为“未确定”", example="N+1（含代通知金）"),
    Column("是否开展支付能力评估", "payment_capacity_assessed", "bool", aliases=("支付能力评估",), seed=False,
           note="有裁员计划时填写；留空为否", example="是"),
    Column("本年度", "year", "year", aliases=("年度",), seed=False, note="留空取 --year 或业务日期所在年", example=2021),
    UNIT,
    DATE,
), header_rows=tuple(tuple(r) for r in annexes.ANNEX8.header_rows), merges=tuple(annexes.ANNEX8.merges))
ANNEX8_PARENT = annexes.ANNEX8.parent

FORMS: dict[str, Form] = {f.name: f for f in (ENTERPRISES, ANNEX3, ANNEX4, ANNEX5, ANNEX6, ANNEX7, ANNEX8)}
ANNEX7_PLANS = {"P03": "和谐企业培育", "P05": "企业薪酬指引", "P06": "新企业用工服务"}
