"""P02 key employers: designated, visited, their stability policies, layoff plans and layoffs."""

from __future__ import annotations

import datetime as dt

from hexie.domain.vocabulary import CITY_BODIES

from .achievement import done
from .planner import Company, Planner, Ref, iso, weighted


FINDINGS = (
    "订单较上年减少约两成，企业有减员打算，已宣讲稳岗返还政策并建议通过协商调整工时稳定岗位",
    "用工总体稳定，劳动合同签订率100%，工资按月足额发放",
    "受原材料涨价影响生产经营困难，指导企业依法制定经济性裁员方案并与工会协商",
    "企业转型升级，部分岗位调整，指导企业通过内部转岗安置职工",
    "企业计划扩产，缺工约60人，已对接人力资源市场开展专场招聘",
    "疫情影响下部分生产线停产，指导企业采取轮岗轮休、协商薪酬等方式稳定劳动关系",
    "核查工资台账及社保缴费情况，未发现拖欠工资问题",
)
FOLLOW_UPS = ("一个月后电话回访", "纳入季度监测名单", "协调稳岗返还资金及时到位", "指导召开职工代表大会审议相关方案", "下次实地走访复核整改情况")
POLICY_YEARS = {  # which stability policies an employer could enjoy in which year (DOMAIN-NOTES 6)
    "ui_job_retention_refund": (2020, 2021, 2022, 2023), "si_fee_exemption_2020": (2020,), "work_for_training_subsidy": (2020,),
    "reduced_insurance_rates": (2020, 2021, 2022, 2023), "si_fee_deferral": (2020, 2022), "retention_training_subsidy": (2022,),
    "job_expansion_subsidy": (2022, 2023), "skill_upgrade_subsidy": (2020, 2021, 2022, 2023), "hiring_subsidy": (2021, 2022, 2023),
}
POSITIONS_LAID_OFF = ("一线操作工", "包装工、搬运工", "辅助生产岗位", "销售业务员", "行政后勤岗位", "质检员")


def key_employers(p: Planner, unit: str, extra_unvisited: bool) -> None:
    rng = p.rng
    city = unit in CITY_BODIES
    role = "officer"
    for year, n in done(p, unit, "P02").items():
        for _ in range(n):
            designated = p.in_year(year, 1, 6, launch=True)
            company = p.enterprise(unit, designated - dt.timedelta(days=rng.randint(2, 20)), large=True,
                                   ownership="state_owned" if city and rng.random() < 0.6 else None)
            first_visit = p.later(designated, 3, 40)
            _key_employer(p, unit, company, designated, first_visit, role)
    if extra_unvisited:  # on the list since late in the programme, not served yet: does not count
        designated = p.date(dt.date(2023, 8, 20), dt.date(2023, 9, 20))
        company = p.enterprise(unit, designated - dt.timedelta(days=5), large=True)
        _key_employer(p, unit, company, designated, None, role)


def _key_employer(p: Planner, unit: str, company: Company, designated: dt.date, first_visit: dt.date | None, role: str) -> None:
    rng = p.rng
    key = f"key_employer:{company.key}"
    reason = weighted(rng, (("large_employer", 45), ("operating_difficulty", 35), ("layoff_risk", 20)))
    last_year = int(rng.uniform(0.9, 1.12) * company.headcount)
    p.open(key, "KeyEmployerDesignated", designated, {
        "unit": unit, "enterprise_id": Ref(company.key), "reason": reason,
        "headcount_last_year_end": last_year, "headcount_now": company.headcount,
    }, unit, role)
    d = designated
    for _ in range(rng.randint(1, 3)):
        d = p.later(d, 1, 20)
        year = rng.choice([y for y in (d.year - 1, d.year) if y >= 2020])
        policy = rng.choice([code for code, years in POLICY_YEARS.items() if year in years])
        amount = f"{rng.randint(2, 90) * 1000 + rng.choice((0, 500))}.00"
        p.add(key, "StabilityPolicyRecorded", d, {"policy": policy, "year": year, "amount": amount}, unit, role)
    if first_visit is None:
        return
    d = max(d, first_visit)
    visits = [d]
    for _ in range(rng.randint(1, 4)):
        d = p.later(d, 60, 160)
        visits.append(d)
    for i, on in enumerate(visits):
        p.add(key, "GuidanceVisitLogged", on, {
            "visitor": p.staff(unit), "method": "on_site" if i == 0 else weighted(rng, (("on_site", 5), ("phone", 3), ("online", 1), ("meeting", 1))),
            "findings": rng.choice(FINDINGS), "follow_up": rng.choice(FOLLOW_UPS),
        }, unit, role)
        if i == 0 and reason != "large_employer" and rng.random() < 0.55:
            _layoffs(p, key, unit, company, on, role)
    last = p.last[key]
    if rng.random() < 0.08 and last < p.end - dt.timedelta(days=30):
        p.add(key, "KeyEmployerDelisted", p.later(last, 10, 90),
              {"reason": rng.choice(("生产经营好转，用工稳定，经评估移出重点企业名单", "企业已整体搬迁至外市", "企业进入破产清算程序，职工已妥善安置"))},
              unit, role)


def _layoffs(p: Planner, key: str, unit: str, company: Company, after: dt.date, role: str) -> None:
    rng = p.rng
    on = p.later(after, 5, 40)
    year = on.year
    if year < 2021 or on >= p.end:
        return
    planned = max(20, int(company.headcount * rng.uniform(0.05, 0.12)))
    positions = rng.choice(POSITIONS_LAID_OFF)
    p.add(key, "LayoffPlanReported", on, {
        "year": year, "planned_layoffs": planned, "positions": positions,
        "compensation_standard": weighted(rng, (("statutory_n", 5), ("n_plus_1", 3), ("above_statutory", 1), ("per_collective_agreement", 1))),
        "payment_capacity_assessed": True, "note": "已向工会说明情况并听取职工意见，经济补偿资金已落实",
    }, unit, role)
    first = rng.randint(planned // 2, planned)
    on = p.later(on, 30, 60)
    if on.year != year:
        return
    p.add(key, "LayoffsReported", on, {"year": year, "laid_off": first, "wages_settled": True, "positions": positions}, unit, role)
    if not p.notes.get("revised_layoff_plan") and first == planned and on.month < 10:
        # More layoffs than planned: a revised plan is reported first (the rule), then the layoffs.
        p.notes["revised_layoff_plan"] = key
        on = p.later(on, 20, 40)
        revised = planned + rng.randint(8, 20)
        p.add(key, "LayoffPlanReported", on, {
            "year": year, "planned_layoffs": revised, "positions": positions + "、车间辅助岗位",
            "compensation_standard": "n_plus_1", "payment_capacity_assessed": True,
            "note": "订单持续下滑，经与工会协商修订裁员计划",
        }, unit, role)
        on = p.later(on, 30, 45)
        p.add(key, "LayoffsReported", on, {"year": year, "laid_off": revised - planned, "wages_settled": True}, unit, role)
        first = revised
    elif first < planned and rng.random() < 0.5:
        on = p.later(on, 20, 60)
        if on.year == year:
            p.add(key, "LayoffsReported", on, {"year": year, "laid_off": planned - first, "wages_settled": True}, unit, role)
            first = planned
    p.add(company.key, "HeadcountReported", p.later(on, 1, 10), {"headcount": max(1, company.headcount - first), "as_of_date": iso(on)}, unit, role)
