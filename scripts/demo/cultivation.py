"""P03 cultivation: enrolled, a plan, training, visits, assessed (some fail, one passes on a second try)."""

from __future__ import annotations

import datetime as dt

from .achievement import done
from .places import PLACES, TRADE_NAMES
from .planner import Planner, Ref, weighted


SERVICE_UNITS = ("劳动关系和谐企业培育指导服务组", "人社局劳动关系股", "总工会法律服务中心", "工商联法律服务中心")
CULTIVATION_PLANS = (
    "一企一策：规范劳动合同管理，完善规章制度民主程序，建立工资集体协商机制，开展企业文化建设",
    "围绕用工管理规范化、民主协商制度化、企业文化人本化，分三个阶段推进，每季度对照标准自查",
    "健全职工代表大会制度，推行厂务公开，建立劳动争议内部调解委员会，开展和谐班组评选",
)
TRAINING_TOPICS = ("劳动合同法及配套规定解读", "工资集体协商实务", "劳动争议预防与调解", "企业民主管理与厂务公开", "和谐劳动关系企业创建标准")


def cultivation(p: Planner, unit: str, fails: int, retries: int) -> None:
    rng = p.rng
    cases = []
    for year, n in done(p, unit, "P03").items():
        for _ in range(n):
            enrolled = p.in_year(year, 2, 5) if year < 2023 else p.date(dt.date(2023, 1, 10), dt.date(2023, 3, 20))
            company = p.enterprise(unit, enrolled - dt.timedelta(days=rng.randint(5, 30)), large=True)
            cases.append((year, enrolled, company))
    rng.shuffle(cases)
    cases.sort(key=lambda case: retries > 0 and case[0] == 2023)  # a re-assessment needs time: not on a 2023 case
    for i, (year, enrolled, company) in enumerate(cases):
        key = f"cultivation:{company.key}"
        role = "union" if rng.random() < 0.3 else "officer"
        service = f"{PLACES[unit].prefixes[0]}{rng.choice(SERVICE_UNITS)}" if rng.random() < 0.7 else f"湖南{rng.choice(TRADE_NAMES)}律师事务所"
        p.open(key, "CultivationEnrolled", enrolled, {"unit": unit, "enterprise_id": Ref(company.key), "service_unit": service, "year": year}, unit, role)
        d = p.later(enrolled, 7, 30)
        p.add(key, "CultivationPlanSet", d, {"plan": rng.choice(CULTIVATION_PLANS), "focus": rng.choice(("劳动合同管理", "工资集体协商", "民主管理", "企业文化"))}, unit, role)
        for _ in range(rng.randint(1, 2)):
            d = p.later(d, 15, 60)
            p.add(key, "CultivationTrainingHeld", d, {"topic": rng.choice(TRAINING_TOPICS), "attendees": rng.randint(20, 120)}, unit, role)
        for _ in range(rng.randint(1, 3)):
            d = p.later(d, 20, 70)
            p.add(key, "GuidanceVisitLogged", d, {"visitor": p.staff(unit), "method": weighted(rng, (("on_site", 4), ("meeting", 2), ("training", 1))),
                                                   "findings": rng.choice(("规章制度已按民主程序修订", "职代会制度运行正常", "工资集体协商协议已备案", "劳动合同台账不完整，已指导补正"))}, unit, role)
        due = dt.date(year, 11, 1) if year < 2023 else dt.date(2023, 8, 15)
        d = max(p.later(d, 10, 40), p.date(due, due + dt.timedelta(days=40)))
        if i < fails:
            unmet = rng.sample(("employment_management", "democratic_consultation", "harmony_culture"), rng.randint(1, 2))
            crit = {c: c not in unmet for c in ("employment_management", "democratic_consultation", "harmony_culture")}
            p.add(key, "CultivationAssessed", d, {"passed": False, **crit, "assessor": f"{unit}和谐企业评估组",
                                                   "note": "未达到劳动关系和谐企业要求，继续培育"}, unit, role)
        elif i < fails + retries and year < 2023:
            crit = {"employment_management": True, "democratic_consultation": False, "harmony_culture": True}
            p.add(key, "CultivationAssessed", d, {"passed": False, **crit, "assessor": f"{unit}和谐企业评估组",
                                                   "note": "民主协商机制尚不健全，限期整改后复评"}, unit, role)
            d = p.later(d, 90, 200)
            p.add(key, "CultivationAssessed", d, {"passed": True, "employment_management": True, "democratic_consultation": True,
                                                   "harmony_culture": True, "assessor": f"{unit}和谐企业评估组", "note": "整改到位，复评达标"}, unit, role)
        else:
            p.add(key, "CultivationAssessed", d, {"passed": True, "employment_management": True, "democratic_consultation": True,
                                                   "harmony_culture": True, "assessor": f"{unit}和谐企业评估组"}, unit, role)
