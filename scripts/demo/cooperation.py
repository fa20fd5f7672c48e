"""P04 cooperation units (signed, awarded plaques, one revoked) and migrant-worker forums with their appeals."""

from __future__ import annotations

import datetime as dt

from hexie.domain.calendar import PROGRAMME_YEARS

from .achievement import done
from .places import PLACES, TRADE_NAMES
from .planner import Planner, weighted


COOP_SERVICES = (
    "为农民工提供免费职业介绍、岗位推荐和技能培训",
    "设立农民工服务驿站，提供法律咨询、工资维权代理和心理疏导",
    "优先招用本地农民工，落实同工同酬，开展农民工子女暑期托管",
    "组织农民工参加职业技能等级认定，提供返乡创业指导",
)
APPEALS = (
    ("labour_remuneration", "希望工程项目按月足额发放工资，不要年底集中结算"),
    ("social_insurance", "灵活就业人员参加养老保险的缴费档次和补贴政策不清楚"),
    ("skills_training", "希望多开展电工、焊工等技能培训并发放补贴"),
    ("children_schooling", "随迁子女在城区就读的入学手续较繁琐"),
    ("rest_and_leave", "部分企业加班较多，休息休假难以保障"),
    ("equal_employment", "招聘中存在年龄限制，40岁以上农民工求职困难"),
    ("urban_integration", "希望公租房申请向进城务工人员放开"),
    ("public_services", "希望在工业园区设立劳动保障服务窗口"),
)


def cooperation_units(p: Planner, unit: str, extra_unawarded: bool) -> None:
    rng = p.rng
    role = "union" if unit == "市总工会" else "officer"
    for year, n in done(p, unit, "P04").items():
        for _ in range(n):
            signed = p.in_year(year, 1, 5, launch=True) if year < 2023 else p.date(dt.date(2023, 1, 10), dt.date(2023, 4, 30))
            key = _coop_unit(p, unit, signed, role)
            award = p.date(max(signed + dt.timedelta(days=20), dt.date(year, 6, 1)), dt.date(year, 12, 20) if year < 2023 else dt.date(2023, 9, 20))
            p.counter["plaque"] += 1
            p.add(key, "PlaqueAwarded", award, {"year": year, "plaque_no": f"岳湘融湘爱〔{year}〕{p.counter['plaque']:03d}号"}, unit, role)
    if extra_unawarded:
        _coop_unit(p, unit, p.date(dt.date(2023, 6, 1), dt.date(2023, 9, 10)), role)
    if (unit, "P04") in p.cells and rng.random() < 0.15:
        key = _coop_unit(p, unit, p.date(dt.date(2021, 3, 1), dt.date(2021, 9, 1)), role)
        p.add(key, "CooperationUnitRevoked", p.date(dt.date(2022, 3, 1), dt.date(2022, 10, 1)),
              {"reason": "企业经营范围变更，不再开展农民工服务，经本人申请终止协作"}, unit, role)


def _coop_unit(p: Planner, unit: str, signed: dt.date, role: str) -> str:
    rng = p.rng
    category = weighted(rng, (("enterprise", 5), ("intermediary", 3), ("social_organisation", 2)))
    if category == "enterprise":
        name = p.company_name(unit, rng.choice(("建筑工程", "劳务", "物业管理", "家政服务")))
    elif category == "intermediary":
        name = p.company_name(unit, "人力资源服务")
    else:
        name = f"{PLACES[unit].prefixes[0]}{rng.choice(TRADE_NAMES)}农民工服务中心"
    key = p.key("cooperation_unit")
    p.open(key, "CooperationUnitSigned", signed, {
        "unit": unit, "name": name, "category": category, "address": p.address(unit),
        "contact_name": p.person()[0], "contact_phone": p.mobile(), "services": rng.choice(COOP_SERVICES),
    }, unit, role)
    return key


def forums(p: Planner, unit: str) -> None:
    rng = p.rng
    role = "union"
    per_year = (2 if unit == "市总工会" else 1) * p.scale.cases
    for year in PROGRAMME_YEARS:
        for _ in range(per_year):
            held = p.in_year(year, 1, 2) if rng.random() < 0.6 else p.in_year(year, 5, 9)
            key = p.key("forum")
            appeals = []
            for n, (category, text) in enumerate(rng.sample(APPEALS, rng.randint(2, 5)), 1):
                appeals.append({"appeal_no": f"{year}-{n:02d}", "text": text, "category": category})
            p.open(key, "ForumHeld", held, {
                "unit": unit, "title": f"{year}年“湘融湘爱”农民工恳谈会",
                "venue": f"{PLACES[unit].area}{rng.choice(PLACES[unit].towns)}{rng.choice(('党群服务中心', '工会职工之家', '人力资源市场'))}",
                "participants": rng.randint(25, 120), "appeals": appeals,
            }, unit, role)
            d = held
            for a in appeals:
                if rng.random() < (0.45 if year == 2023 else 0.06):
                    continue  # still being followed up
                d = p.later(d, 5, 60)
                p.add(key, "AppealResolved", d, {"appeal_no": a["appeal_no"], "resolution": "已转交相关部门办理并电话回复诉求人，诉求人表示满意"}, unit, "officer")
