"""P06 new-enterprise services (the bulk of the programme), each on a newly registered enterprise."""

from __future__ import annotations

import datetime as dt

from .achievement import done
from .planner import DEMO_START, Planner, Ref, weighted


NEW_SERVICE = {
    "online_push": "通过湖南省劳动用工备案系统推送劳动合同示范文本、用工风险提示和稳岗政策",
    "handbook": "发放《新办企业用工指导手册》口袋书，讲解劳动合同签订、工资支付和社会保险登记",
    "training": "组织参加新办企业劳动用工政策培训班",
    "on_site": "服务队上门指导建立职工名册、劳动合同台账和工资支付台账",
    "purchased_service": "通过政府购买服务，由律师事务所开展用工体检并出具风险提示",
}


def new_enterprise_services(p: Planner, unit: str) -> None:
    rng = p.rng
    for year, n in done(p, unit, "P06").items():
        for _ in range(n):
            served = p.in_year(year, 1, 12, launch=rng.random() < 0.15) if year < 2023 else p.date(dt.date(2023, 1, 10), dt.date(2023, 9, 25))
            enrolled = served - dt.timedelta(days=rng.randint(0, 20))
            if enrolled < DEMO_START:
                enrolled = served
            company = p.enterprise(unit, enrolled, large=False, new=True, keep=False)
            key = f"new_enterprise_service:{company.key}"
            method = weighted(rng, (("online_push", 35), ("handbook", 20), ("training", 20), ("on_site", 15), ("purchased_service", 10)))
            p.open(key, "NewEnterpriseServiceProvided", served, {"unit": unit, "enterprise_id": Ref(company.key), "method": method,
                                                                 "content": NEW_SERVICE[method]}, unit)
            if rng.random() < 0.08:
                m = rng.choice(("on_site", "training", "handbook"))
                p.add(key, "NewEnterpriseServiceFollowedUp", p.later(served, 30, 180), {"method": m, "content": NEW_SERVICE[m]}, unit)
            if rng.random() < 0.02:
                p.add(company.key, "EnterpriseDetailsAmended", p.later(served, 20, 200), {"contact_name": p.person()[0], "contact_phone": p.mobile()}, unit)
