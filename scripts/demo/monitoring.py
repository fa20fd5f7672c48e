"""用工监测: enrolled enterprises report their headcount month by month, and one reports very often.

The demo draws neither (`Scale()`); the benchmark's data set draws both: the monthly reports are
most of its volume, as they would be of a ledger in use, and the long case is the one whose
history and state it times.
"""

from __future__ import annotations

import datetime as dt

from hexie.domain.vocabulary import DISTRICTS

from .planner import DEMO_START, Planner


def _next_month(d: dt.date) -> dt.date:
    return (d.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def headcount_reports(p: Planner) -> None:
    """Each month after its enrolment, an enterprise reports its headcount with the scale's `headcount_share`."""
    share, rng = p.scale.headcount_share, p.rng
    if not share:
        return
    for c in [c for c in p.commands if c.type == "EnterpriseEnrolled"]:
        headcount, month = c.data["headcount"], _next_month(c.on)
        while month <= p.end:
            if rng.random() < share:
                headcount = max(1, headcount + rng.randint(-1 - headcount // 20, 1 + headcount // 20))
                p.add(c.key, "HeadcountReported", p.date(month, month.replace(day=28)), {"headcount": headcount},
                      c.data["unit"])
            month = _next_month(month)


def long_case(p: Planner) -> None:
    """An enterprise enrolled on the first day that reports its headcount `long_case` times over the
    next six months (`notes["long_case"]` is its key)."""
    n = p.scale.long_case
    if not n:
        return
    unit = DISTRICTS[0]
    company = p.enterprise(unit, DEMO_START, large=True, keep=False)
    for i in range(n):
        p.add(company.key, "HeadcountReported", DEMO_START + dt.timedelta(days=i * 182 // n),
              {"headcount": p.rng.randint(900, 1100)}, unit)
    p.notes["long_case"] = company.key
