"""The whole programme: every plan's section, unit by unit, in the order the draws are made;
at scale (the benchmark) also the monthly headcount reports and the long case, drawn last."""

from __future__ import annotations

import datetime as dt

from hexie.domain.vocabulary import DISTRICTS, UNITS

from .achievement import plan_achievement
from .arrears import arrears, open_arrears
from .bargaining import bargaining
from .cooperation import cooperation_units, forums
from .cultivation import cultivation
from .key_employers import key_employers
from .measures import measure_reports
from .monitoring import headcount_reports, long_case
from .new_enterprises import new_enterprise_services
from .people import coordinators, mediation, social_organisations
from .planner import Planner, Scale
from .wages import salary_survey, wage_guidance


def plan_programme(seed: int, end: dt.date, scale: Scale = Scale()) -> Planner:
    p = Planner(seed, end, scale)
    plan_achievement(p)
    behind = {(b["unit"], b["plan"]) for b in p.notes["behind"]}
    fails = p.notes["p03_fails"]
    retry_unit = p.rng.choice([u for u in DISTRICTS if u not in fails and (u, "P03") in p.cells and p.cells[(u, "P03")].total == 3])
    for unit in UNITS:
        key_employers(p, unit, extra_unvisited=(unit, "P02") in behind)
        cultivation(p, unit, fails.get(unit, 0), 1 if unit == retry_unit else 0)
        wage_guidance(p, unit)
    for unit in UNITS:
        if (unit, "P01") in p.cells:  # the districts and 市总工会 nominate models
            bargaining(p, unit)
        if (unit, "P04") in p.cells:
            cooperation_units(p, unit, extra_unawarded=(unit, "P04") in behind)
            forums(p, unit)
        new_enterprise_services(p, unit)
        coordinators(p, unit)
        if unit in DISTRICTS:
            mediation(p, unit)
            social_organisations(p, unit)
        if unit in DISTRICTS or unit == "市人社局":  # 根治欠薪: the bureau's 根治办 and the districts
            arrears(p, unit)
    salary_survey(p)
    open_arrears(p)
    measure_reports(p)
    headcount_reports(p)
    long_case(p)
    return p
