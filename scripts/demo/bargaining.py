"""P01 bargaining models: nominated, evaluated, selected, some recommended to the province or the nation."""

from __future__ import annotations

import datetime as dt

from hexie.domain.vocabulary import CITY_BODIES

from .achievement import done
from .places import PLACES
from .planner import Planner, Ref


INDUSTRY_MODELS = (("E", "建筑业"), ("H", "餐饮业"), ("C", "纺织服装业"), ("G", "物流运输业"), ("F", "商贸零售业"), ("O", "家政服务业"))


def bargaining(p: Planner, unit: str) -> None:
    rng = p.rng
    city = unit in CITY_BODIES
    used: set[str] = set()
    role = "union"
    for year, selected in done(p, unit, "P01").items():
        nominations = max(selected, 1) + (1 if rng.random() < 0.25 else 0)
        for i in range(nominations):
            nominated = p.in_year(year, 3, 5) if year < 2023 else p.date(dt.date(2023, 3, 1), dt.date(2023, 4, 30))
            if city or rng.random() < 0.15:
                scope = "industry" if rng.random() < 0.8 else "regional"
                for _ in range(20):  # a model's name is unique (it makes the case id)
                    industry, trade = rng.choice(INDUSTRY_MODELS)
                    name = (f"{PLACES[unit].prefixes[0]}{trade}工资集体协商（{year}）" if scope == "industry"
                            else f"{PLACES[unit].area}{rng.choice(PLACES[unit].towns)}区域性工资集体协商（{year}）")
                    if name not in p.names:
                        break
                name = p.unique(name)
                p.names.add(name)
                data = {"unit": unit, "scope": scope, "year": year, "name": name, "industry": industry}
                key = f"bargaining_model:{unit}:{scope}:{name}"
            else:
                company = p.established(unit, nominated, used) if rng.random() < 0.5 else None
                if company is None:
                    company = p.enterprise(unit, nominated - dt.timedelta(days=rng.randint(5, 40)), large=True)
                used.add(company.key)
                data = {"unit": unit, "scope": "enterprise", "year": year, "name": company.name,
                        "enterprise_id": Ref(company.key), "industry": company.industry}
                key = f"bargaining_model:{company.key}"
            p.open(key, "BargainingModelNominated", nominated, data, unit, role)
            chosen = i < selected
            if not chosen and year == 2023 and rng.random() < 0.5:
                continue  # still under evaluation at the end of the programme
            d = p.later(nominated, 30, 90)
            rates = (lambda: round(rng.uniform(88, 99.5), 1)) if chosen else (lambda: round(rng.uniform(62, 86), 1))
            p.add(key, "BargainingModelEvaluated", d, {
                "awareness_rate": rates(), "satisfaction_rate": rates(), "compliance_rate": rates(),
                "basis": f"问卷调查职工{rng.randint(40, 300)}人，查阅协商记录、工资协议及备案材料",
            }, "市总工会", "union")
            if not chosen:
                continue
            d = p.later(d, 20, 60)
            p.add(key, "BargainingModelSelected", d, {"level": "city", "year": year}, "市总工会", "union")
            if rng.random() < 0.35 and d < dt.date(2023, 6, 1):
                d = p.later(d, 30, 120)
                p.add(key, "BargainingModelRecommended", d, {"to": "provincial"}, "市总工会", "union")
                if not p.notes.get("national_model") and d < dt.date(2023, 3, 1):
                    p.notes["national_model"] = key
                    p.add(key, "BargainingModelRecommended", p.later(d, 60, 150), {"to": "national"}, "市总工会", "union")
