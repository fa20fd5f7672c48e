"""P07 coordinators, P08 mediation bodies and their mediators, P09 social organisations, and their gold selections."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hexie.domain.vocabulary import CITY_BODIES

from .achievement import done
from .places import ETHNICITIES, PLACES, TRADE_NAMES
from .planner import DEMO_START, Planner, Ref, iso, weighted


COORD_EMPLOYERS = ("人力资源和社会保障局劳动关系股", "总工会", "劳动保障服务站", "工业园区管委会", "企业家协会")
COORD_POSITIONS = ("人力资源部经理", "工会主席", "劳动保障站站长", "人事专员", "劳动关系协调员", "综合办主任")


def _education(rng: random.Random) -> str:
    return weighted(rng, (("bachelor", 45), ("junior_college", 33), ("postgraduate", 7), ("secondary_vocational", 9), ("senior_high", 6)))


def _person_data(p: Planner, unit: str, appointed: dt.date, employer: str, position: str) -> dict[str, Any]:
    name, gender = p.person()
    return {
        "unit": unit, "name": name, "gender": gender, "ethnicity": weighted(p.rng, ETHNICITIES),
        "id_number": p.id_number(gender), "employer": employer, "position": position,
        "education": _education(p.rng), "appointed_on": iso(appointed), "phone": p.mobile(),
    }


def coordinators(p: Planner, unit: str) -> None:
    rng = p.rng
    city = unit in CITY_BODIES
    golds = done(p, unit, "P07")
    plain = (rng.randint(3, 6) if not city else (rng.randint(2, 4) if unit == "市总工会" else 0)) * p.scale.cases
    people = [(year, True) for year, n in golds.items() for _ in range(n)] + [(None, False)] * plain
    for year, gold in people:
        if gold:
            registered = p.date(dt.date(year - 1, 10, 1) if year > 2021 else DEMO_START, dt.date(year, 4, 30))
        else:
            registered = p.date(DEMO_START, dt.date(2023, 6, 30))
        instructor = (unit == "市总工会") or rng.random() < 0.12
        employers = [c for c in p.companies[unit] if c.enrolled_on < registered]
        company = None
        if rng.random() < 0.5 and employers:
            # most serve one of the unit's larger enterprises (P07: 大中型企业配备协调员)
            larger = [c for c in employers if c.headcount >= 300]
            company = rng.choice(larger if larger and rng.random() < 0.8 else employers)
            employer, position = company.name, rng.choice(("人力资源部经理", "工会主席", "人事专员", "综合办主任"))
        else:
            employer = f"{PLACES[unit].prefixes[0]}{rng.choice(COORD_EMPLOYERS)}" if not city else unit.replace("市", "岳阳市", 1)
            position = "专职集体协商指导员" if instructor else rng.choice(COORD_POSITIONS)
        key = p.key("coordinator")
        appointed = registered - dt.timedelta(days=rng.randint(30, 1500))
        data = _person_data(p, unit, appointed, employer, position)
        data["full_time_bargaining_instructor"] = instructor
        if company is not None:
            data["enterprise_id"] = Ref(company.key)
        p.open(key, "CoordinatorRegistered", registered, data, unit)
        d = registered
        certified = gold and not instructor or (not gold and rng.random() < 0.65)
        if certified:
            d = p.later(d, 30, 150)
            if gold and d >= dt.date(year, 10, 31):
                d = p.date(registered, dt.date(year, 10, 31))
            level = weighted(rng, (("level_4", 45), ("level_3", 38), ("level_2", 13), ("level_1", 4)))
            p.add(key, "CoordinatorCertified", d, {
                "level": level, "certificate_type": "skill_level_certificate",
                "certificate_no": f"S0000430600002{d:%y}{rng.randint(0, 999_999):06d}",
            }, "市人社局")
        if rng.random() < 0.05:
            p.add(key, "CoordinatorDetailsAmended", p.later(d, 30, 300), {"position": rng.choice(COORD_POSITIONS), "phone": p.mobile()}, unit)
        if gold:
            on = p.date(max(d + dt.timedelta(days=10), dt.date(year, 11, 15)), dt.date(year, 12, 25)) if year < 2023 else p.date(max(d, dt.date(2023, 9, 1)), dt.date(2023, 9, 25))
            p.add(key, "GoldCoordinatorSelected", on, {
                "year": year, "citation": f"{year}年度金牌劳动关系协调员：扎根基层，全年参与调处劳动争议{rng.randint(8, 60)}件，指导{rng.randint(3, 20)}家企业开展工资集体协商",
            }, "市人社局")


# -- P08 mediation bodies and mediators -----------------------------------------------------

def mediation(p: Planner, unit: str) -> None:
    rng = p.rng
    golds = done(p, unit, "P08")
    bodies = [(year, True) for year, n in golds.items() for _ in range(n)] + [(None, False)] * (rng.randint(1, 3) * p.scale.cases)
    for year, gold in bodies:
        registered = p.date(DEMO_START, dt.date(year, 5, 31) if gold else dt.date(2023, 6, 30))
        for attempt in range(20):  # names are unique in the register
            town = rng.choice(PLACES[unit].towns)
            nature = weighted(rng, (("township_street_center", 5), ("enterprise_committee", 3), ("industry", 1), ("regional", 1), ("people_mediation", 1)))
            if nature == "enterprise_committee" and not p.companies[unit]:
                nature = "township_street_center"
            name = {
                "enterprise_committee": lambda: f"{rng.choice(p.companies[unit]).name}劳动争议调解委员会",
                "township_street_center": lambda: f"{town}劳动人事争议调解中心",
                "industry": lambda: f"{PLACES[unit].prefixes[0]}{rng.choice(('建筑业', '商贸业', '物流业', '餐饮业'))}劳动争议调解委员会",
                "regional": lambda: f"{PLACES[unit].prefixes[0]}{rng.choice(('工业园', '高新区', '产业园'))}区域性劳动争议调解委员会",
                "people_mediation": lambda: f"{town}人民调解委员会劳动争议调解室",
            }[nature]()
            if name not in p.names:
                break
        p.names.add(name)
        key = p.key("mediation_body")
        established = dt.date(rng.randint(2010, 2020), rng.randint(1, 12), rng.randint(1, 28))
        established = min(established, registered)
        head, _ = p.person()
        p.open(key, "MediationBodyRegistered", registered, {
            "unit": unit, "township": town, "name": name, "nature": nature, "address": p.address(unit),
            "established_on": iso(established), "head": head, "mediator_count": rng.randint(3, 12),
            "contact_name": p.person()[0], "contact_phone": p.landline() if rng.random() < 0.5 else p.mobile(),
        }, unit)
        d = registered
        for _ in range(rng.choice((0, 1, 2, 2, 3))):
            d2 = p.later(registered, 1, 120)
            m = p.key("mediator")
            appointed = d2 - dt.timedelta(days=rng.randint(10, 2000))
            data = _person_data(p, unit, appointed, name, rng.choice(("专职调解员", "兼职调解员", "调解委员会主任", "调解员")))
            data["mediation_body_id"] = Ref(key)
            p.open(m, "MediatorRegistered", d2, data, unit)
            if rng.random() < 0.05:
                p.add(m, "MediatorDeregistered", p.later(d2, 100, 600), {"reason": rng.choice(("工作调动", "退休", "本人申请辞去调解员职务"))}, unit)
        if gold:
            on = p.date(dt.date(year, 11, 1), dt.date(year, 12, 25)) if year < 2023 else p.date(dt.date(2023, 9, 1), dt.date(2023, 9, 25))
            p.add(key, "GoldMediationBodySelected", max(on, d), {
                "year": year, "citation": f"{year}年度金牌劳动人事争议调解组织：全年受理劳动争议{rng.randint(20, 160)}件，调解成功率{rng.randint(72, 96)}%",
            }, "市人社局")


# -- P09 social organisations ---------------------------------------------------------

def social_organisations(p: Planner, unit: str) -> None:
    rng = p.rng
    golds = done(p, unit, "P09")
    orgs = [(year, True) for year, n in golds.items() for _ in range(n)] + [(None, False)] * (rng.randint(0, 2) * p.scale.cases)
    for year, gold in orgs:
        registered = p.date(DEMO_START, dt.date(2021, 2, 26)) if rng.random() < 0.75 else p.date(dt.date(2021, 3, 1), dt.date(2022, 6, 30))
        if gold:
            registered = min(registered, dt.date(year, 6, 30))
        nature = weighted(rng, (("social_group", 6), ("social_service_agency", 4)))
        if nature == "social_group":
            name = f"{PLACES[unit].prefixes[0]}{rng.choice(('劳动关系协调促进会', '人力资源服务行业协会', '企业联合会', '职工服务协会'))}"
        else:
            name = f"{PLACES[unit].prefixes[0]}{rng.choice(TRADE_NAMES)}{rng.choice(('社会工作服务中心', '职工法律服务中心', '劳动关系事务所'))}"
        while name in p.names:
            name = p.unique(f"{PLACES[unit].prefixes[-1]}{rng.choice(TRADE_NAMES)}社会工作服务中心")
        p.names.add(name)
        key = p.key("social_organisation")
        established = min(registered, dt.date(rng.randint(2012, 2020), rng.randint(1, 12), rng.randint(1, 28)))
        p.open(key, "SocialOrganisationRegistered", registered, {
            "unit": unit, "township": rng.choice(PLACES[unit].towns), "name": name, "nature": nature,
            "address": p.address(unit), "established_on": iso(established), "head": p.person()[0],
            "coordinator_count": rng.randint(1, 8), "contact_name": p.person()[0], "contact_phone": p.mobile(),
        }, unit, "union")
        if gold:
            on = p.date(dt.date(year, 11, 1), dt.date(year, 12, 25)) if year < 2023 else p.date(dt.date(2023, 9, 1), dt.date(2023, 9, 25))
            p.add(key, "GoldSocialOrganisationSelected", on, {
                "year": year, "citation": f"{year}年度金牌协调劳动关系社会组织：为中小企业和职工提供劳动关系公共服务{rng.randint(30, 300)}次",
            }, "市总工会", "union")
