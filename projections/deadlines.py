"""What is due, overdue and done on a business date: Annex 2 measures and assigned arrears cases.

Both are read from the ledger as it stood at the report's cut (`Cut`): the business date
`through` (default today) is the day statuses are judged on, and only what happened by then
counts; `as_of` limits them to what had been recorded by then.

Measures: a measure's row keeps the aggregate's whole state; each is revived and
asked for `obligations(date)`, so the rules of due / overdue / done live in one
place, the aggregate.

Arrears cases (P10): a case counts on the date when it was assigned (交办) by then
and not closed by then; it is overdue when its deadline is before that date, counted in
official working days (`domain.calendar`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from hexie.domain.arrears import ArrearsCase
from hexie.domain.calendar import is_workday, working_days_between
from hexie.domain.measure import Measure
from hexie.domain.vocabulary import UNIT_ORDER, UNITS

from . import ledger
from .cut import NOW, Cut
from .ledger import revive

STATUSES = ("upcoming", "due", "overdue", "done")
FILTERS = ("due", "overdue", "done")  # `upcoming` is only listed when no status is asked for



# -- Annex 2 measures -------------------------------------------------------------


async def measures(db, status: str | None = None, unit: str | None = None, cut: Cut = NOW) -> list[dict]:
    """Every responsible unit's obligation per measure (and year) with its state on the cut's
    business date (as recorded by its `as_of`), filtered.

    Sorted by due date, then measure code, then unit in Annex 1 order.
    """
    as_of = cut.business_date
    items = []
    for row in await ledger.rows(db, cut, (Measure.kind,)):
        case_id = row["case_id"]
        measure = revive(Measure, UUID(case_id), row["version"], row["fields"])
        if measure.opened_on > as_of:
            continue  # not yet defined on that date
        for obligation in measure.obligations(as_of):
            if unit is not None and obligation["unit"] != unit:
                continue
            if status is not None and obligation["status"] != status:
                continue
            items.append(_item(case_id, measure, obligation, as_of))
    items.sort(key=lambda i: (i["due"], i["code"], UNIT_ORDER.get(i["unit"], len(UNITS))))
    return items


def _item(case_id: str, m: Measure, obligation: dict, as_of: str) -> dict[str, Any]:
    unit, period = obligation["unit"], obligation["period"]
    reports = m.reports_for(unit, period, as_of)
    done_on = None
    if obligation["status"] == "done" and m.cadence == "continuous":
        done_on = reports[0]["on"]  # the quarter's first progress report
    elif obligation["status"] == "done":
        # The report that made it done: the first of the latest unbroken run of done reports.
        for report in reversed(reports):
            if not report["done"]:
                break
            done_on = report["on"]
    last = reports[-1] if reports else None
    return {
        "case_id": case_id,
        "code": m.code,
        "plan": m.plan,
        "task": m.task,
        "text": m.text,
        "responsible": m.responsible,
        "unit": unit,
        "period": period,
        "due": obligation["due"],
        "status": obligation["status"],
        "done_on": done_on,
        "last_report": None if last is None else {k: last[k] for k in ("on", "period", "note", "done")},
    }


def summary(items: list[dict]) -> dict[str, Any]:
    """Obligations counted per unit (Annex 1 order) and status, and in total."""
    by_unit: dict[str, dict[str, int]] = {}
    total = dict.fromkeys(STATUSES, 0)
    for item in items:
        by_unit.setdefault(item["unit"], dict.fromkeys(STATUSES, 0))[item["status"]] += 1
        total[item["status"]] += 1
    return {"by_unit": dict(sorted(by_unit.items(), key=lambda kv: UNIT_ORDER.get(kv[0], len(UNITS)))), "total": total}


# -- P10 arrears cases past their deadline --------------------------------------------


async def open_arrears(db, unit: str | None = None, cut: Cut = NOW) -> list[dict]:
    """Arrears cases assigned and not closed on `as_of`, each `overdue` or `due`, most overdue first.

    `unit` matches the case's unit or the unit it is assigned to (承办单位).
    `working_days_left` needs the calendar up to the deadline; see `CalendarNotCovered`.
    """
    as_of = cut.business_date
    day = dt.date.fromisoformat(as_of)
    is_workday(day)  # an uncovered date is an error even when there is nothing to count
    out = []
    for row in await _assigned_and_open(db, unit, cut):
        deadline = dt.date.fromisoformat(row["deadline"])
        overdue = deadline < day
        row["status"] = "overdue" if overdue else "due"
        row["working_days_overdue"] = working_days_between(deadline, day) if overdue else 0
        row["working_days_left"] = 0 if overdue else working_days_between(day, deadline)
        out.append(row)
    return out


async def overdue_arrears(db, unit: str | None = None, cut: Cut = NOW) -> list[dict]:
    """Assigned cases still open on `as_of` whose deadline is before it, most overdue first.

    `working_days_overdue` counts the official working days after the deadline up to
    and including `as_of` (0 when only a weekend or holiday has passed).
    """
    as_of = cut.business_date
    day = dt.date.fromisoformat(as_of)
    is_workday(day)
    out = []
    for row in await _assigned_and_open(db, unit, cut):
        deadline = dt.date.fromisoformat(row["deadline"])
        if deadline < day:
            # Only days up to `as_of` are counted here, so a far deadline of a case
            # that is not overdue never needs the calendar.
            row.update(status="overdue", working_days_overdue=working_days_between(deadline, day), working_days_left=0)
            out.append(row)
    return out


async def _assigned_and_open(db, unit: str | None, cut: Cut) -> list[dict]:
    as_of = cut.business_date
    out = []
    for row in await ledger.rows(db, cut, (ArrearsCase.kind,)):
        case_id, case_unit, closed_on, fields = row["case_id"], row["unit"], row["closed_on"], row["fields"]
        if fields.get("deadline") is None or fields["assigned_on"] > as_of:
            continue  # not assigned (交办) on that date
        if closed_on is not None and closed_on <= as_of:
            continue  # closed by then; closed later means it was open then
        if unit is not None and unit not in (case_unit, fields["assigned_to"]):
            continue
        owed = Decimal(fields["amount_owed"])
        recovered = Decimal(fields.get("recovered", "0"))
        out.append({
            "case_id": case_id,
            "unit": case_unit,
            "assigned_to": fields["assigned_to"],
            "employer_name": fields["employer_name"],
            "project": fields.get("project"),
            "amount_owed": f"{owed:.2f}",
            "recovered": f"{recovered:.2f}",
            "outstanding": f"{owed - recovered:.2f}",
            "workers_affected": fields["workers_affected"],
            "assigned_on": fields["assigned_on"],
            "deadline": fields["deadline"],
            "closed_on": closed_on,
        })
    out.sort(key=lambda r: (r["deadline"], r["case_id"]))
    return out
