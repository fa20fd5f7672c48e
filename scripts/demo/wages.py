"""P05 wage guidance, and the salary survey fed back to the surveyed enterprises."""

from __future__ import annotations

import datetime as dt

from hexie.domain.vocabulary import CITY_BODIES, UNITS
from hexie.domain.calendar import PROGRAMME_YEARS

from .achievement import done
from .planner import Planner, Ref, weighted


GUIDANCE = {
    "low_income": "依据当地最低工资标准和工资价位信息，指导企业合理确定一线岗位工资水平，建立正常增长机制",
    "skilled": "指导企业建立技能等级与薪酬挂钩的岗位工资制度，设立技能津贴",
    "sci_tech": "指导企业对科技人才实行项目工资、年薪制和成果转化收益分享",
    "state_owned_reform": "指导企业推进市场化薪酬分配改革，完善工资总额决定机制和经理层任期制契约化管理",
}


def wage_guidance(p: Planner, unit: str) -> None:
    rng = p.rng
    city = unit in CITY_BODIES
    for year, n in done(p, unit, "P05").items():
        for _ in range(n):
            on = p.in_year(year, 3, 10)
            company = p.enterprise(unit, on - dt.timedelta(days=rng.randint(5, 30)), large=True,
                                   ownership="state_owned" if city else None)
            group = "state_owned_reform" if city else weighted(rng, (("low_income", 4), ("skilled", 4), ("sci_tech", 2)))
            key = f"wage_guidance:{company.key}"
            p.open(key, "WageGuidanceProvided", on, {"unit": unit, "enterprise_id": Ref(company.key), "group": group, "content": GUIDANCE[group]}, unit)
            d = on
            for _ in range(rng.choice((0, 0, 1, 2))):
                d = p.later(d, 60, 200)
                g = rng.choice(("low_income", "skilled", "sci_tech")) if not city else group
                p.add(key, "WageGuidanceFollowedUp", d, {"group": g, "content": "回访指导：" + GUIDANCE[g]}, unit)


def salary_survey(p: Planner) -> None:
    """The city bureau feeds the national salary survey back to the surveyed enterprises."""
    rng = p.rng
    for year in PROGRAMME_YEARS:
        on_lo, on_hi = dt.date(year, 6, 1), dt.date(year, 9, 20)
        sampled_on = dt.date(year, 5, 15)  # last year's survey: its sample, as the province hands it back
        pool = [c for unit in UNITS for c in p.companies[unit] if c.enrolled_on < sampled_on and c.headcount >= 200]
        sample = rng.sample(pool, min(len(pool), rng.randint(18, 24) * p.scale.cases))
        p.open(f"salary_survey:{year - 1}", "SalarySurveySampleRecorded", sampled_on, {
            "unit": "市人社局", "survey_year": year - 1, "enterprise_ids": [Ref(c.key) for c in sample],
            "note": f"{year - 1}年度国家薪酬调查岳阳样本企业",
        }, "市人社局")
        if year == 2022:  # the province corrected one year's list: the sample is amended
            extra = [c for c in pool if c not in sample][:1]
            if extra:
                sample = sample + extra
                p.add(f"salary_survey:{year - 1}", "SalarySurveySampleAmended", dt.date(year, 5, 25), {
                    "enterprise_ids": [Ref(c.key) for c in sample], "reason": "省厅补报样本企业1家"}, "市人社局")
        # feedback to most of the sample (the seed asks for 90 %), now and then short of it
        reached = sample[:max(1, round(len(sample) * rng.choice((0.92, 0.95, 1.0, 0.85))))]
        for company in reached:
            p.open(f"salary_survey_feedback:{company.key}:{year - 1}", "SalarySurveyFeedbackProvided", p.date(on_lo, on_hi), {
                "unit": "市人社局", "enterprise_id": Ref(company.key), "survey_year": year - 1, "personalised": rng.random() < 0.15,
            }, "市人社局")
