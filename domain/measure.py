"""Annex 2 measures (工作措施): what must be done, by whom, by when; units report progress.

A measure belongs to a plan and a key task (重点工作任务), names its responsible
parties as the seed writes them (责任分工) and as the unit codes that must report
(`responsible_units`), and has a time window with a cadence:

- `once`: done once, by `deadline` (e.g. "2021年5月前" → 2021-04-30);
- `yearly`: done every year of the window, by `yearly_due` ("MM-DD", default
  "12-31"); the last year's due date never falls after the window's end;
- `continuous`: carried on throughout the window ("实时开展", "根据国家的统筹安排", a
  plain range): each responsible unit owes a progress report every quarter of the
  window (period "2021Q3"), due by the quarter's last day — so a unit that stops
  reporting is overdue within three months, not only when the window closes.

(The window texts are read by one rule, `domain.windows`.) Each responsible unit
reports progress; a yearly measure's report names the year (`period`) it is about.
A unit has done its share of a once or yearly obligation when its latest report for
that period says `done`, and of a quarter of a continuous one when it reported on
the measure in that quarter. Which obligations are due or overdue on a date is
`obligations(as_of)`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from .case import Case, DomainError
from .ids import NAMESPACE

CADENCES = ("once", "yearly", "continuous")
YEAR_END = "12-31"
QUARTERS = (("01-01", "03-31"), ("04-01", "06-30"), ("07-01", "09-30"), ("10-01", "12-31"))


def due_dates(cadence: str, window_start: str, window_end: str, deadline: str | None = None,
              yearly_due: str | None = None) -> list[dict[str, Any]]:
    """Every obligation period of a measure, when it opens and its due date:
    [{"period": 2021 | "2021Q3" | None, "opens": ISO date, "due": ISO date}]."""
    if cadence == "once":
        return [{"period": None, "opens": window_start, "due": deadline or window_end}]
    out: list[dict[str, Any]] = []
    for year in range(int(window_start[:4]), int(window_end[:4]) + 1):
        if cadence == "yearly":
            due = min(f"{year}-{yearly_due or YEAR_END}", window_end)
            if due >= window_start:
                out.append({"period": year, "opens": max(window_start, f"{year}-01-01"), "due": due})
            continue
        for quarter, (first, last) in enumerate(QUARTERS, 1):
            opens, due = max(window_start, f"{year}-{first}"), min(window_end, f"{year}-{last}")
            if opens <= due:
                out.append({"period": f"{year}Q{quarter}", "opens": opens, "due": due})
    return out


class Measure(Case):
    kind = "measure"
    statuses = {"MeasureDefined": "defined"}

    @staticmethod
    def create_id(code: str) -> UUID:
        # One case per measure code: defining the same measure twice is a conflict.
        return uuid5(NAMESPACE, f"measure:{code}")

    @event("MeasureDefined")
    def __init__(
        self,
        unit: str,
        code: str,
        plan: str,
        task: str,
        text: str,
        responsible: str,
        responsible_units: list[str],
        window_start: str,
        window_end: str,
        cadence: str,
        deadline: str | None = None,
        yearly_due: str | None = None,
        window_text: str | None = None,
    ) -> None:
        self.check_code_in_plan(code, plan)
        self.check_window(window_start, window_end)
        self.check_cadence(cadence, deadline, yearly_due, window_start, window_end)
        self.open_case(unit)
        self.code = code
        self.plan = plan  # per case here: the plan the measure serves
        self.task = task
        self.text = text
        self.responsible = responsible
        self.responsible_units = list(responsible_units)
        self.window_start = window_start
        self.window_end = window_end
        self.window_text = window_text
        self.cadence = cadence
        self.deadline = None if cadence == "yearly" else (deadline or window_end)
        self.yearly_due = (yearly_due or YEAR_END) if cadence == "yearly" else None
        self.reports: list[dict] = []
        # unit -> period ("2021" … for yearly measures, "all" otherwise) -> latest report
        self.progress: dict[str, dict[str, dict]] = {}

    @event("MeasureProgressReported")
    def report_progress(self, unit: str, note: str, done: bool, period: int | None = None) -> None:
        self.check_responsible(unit)
        self.check_period(period)
        report = {"on": self.event_date, "unit": unit, "period": period, "note": note, "done": done}
        self.reports.append(report)
        self.progress.setdefault(unit, {})[self._period_key(period)] = report

    # -- queries (pure: no events) ---------------------------------------------

    def due_dates(self) -> list[dict[str, Any]]:
        """Every obligation period, when it opens and its due date (see `due_dates`)."""
        return due_dates(self.cadence, self.window_start, self.window_end, self.deadline, self.yearly_due)

    def reports_for(self, unit: str, period: int | str | None, as_of: str | None = None) -> list[dict]:
        """The unit's reports on one obligation dated by `as_of`, in business-date order (recorded
        order breaks ties): for a quarter of a continuous measure, those dated in the quarter."""
        if self.cadence == "continuous":
            item = next((d for d in self.due_dates() if d["period"] == period), None)
            found = [r for r in self.reports if r["unit"] == unit and item and item["opens"] <= r["on"] <= item["due"]]
        else:
            key = self._period_key(period)
            found = [r for r in self.reports if r["unit"] == unit and self._period_key(r["period"]) == key]
        return sorted((r for r in found if as_of is None or r["on"] <= as_of), key=lambda r: r["on"])

    def is_done(self, unit: str, period: int | str | None = None, as_of: str | None = None) -> bool:
        """Whether the unit has done its share of the obligation (by `as_of`, if given): a quarter of a
        continuous measure by reporting on it then; otherwise its latest report says done ("latest" by
        business date: a back-dated report does not overrule a later one)."""
        reports = self.reports_for(unit, period, as_of)
        if self.cadence == "continuous":
            return bool(reports)
        return bool(reports and reports[-1]["done"])

    def obligations(self, as_of: str) -> list[dict[str, Any]]:
        """Each unit's share per period with its state on `as_of` (a business date): done, overdue, due or upcoming.

        Only reports dated on or before `as_of` count. An obligation is `due` from when it opens
        (the window's start; a year's or a quarter's first day) until its due date, `overdue` after it.
        """
        out = []
        for item in self.due_dates():
            period, due, opens = item["period"], item["due"], item["opens"]
            for unit in self.responsible_units:
                if self.is_done(unit, period, as_of):
                    status = "done"
                elif as_of > due:
                    status = "overdue"
                elif as_of >= opens:
                    status = "due"
                else:
                    status = "upcoming"
                out.append({"unit": unit, "period": period, "due": due, "status": status})
        return out

    def _period_key(self, period: int | None) -> str:
        return str(period) if self.cadence == "yearly" else "all"

    # -- rules -------------------------------------------------------------

    @staticmethod
    def check_code_in_plan(code: str, plan: str) -> None:
        if not code.startswith(f"{plan}-"):
            raise DomainError(
                "code_plan_mismatch", f"措施编号 {code} 应以 {plan}- 开头 / the code must start with {plan}-", "data.code"
            )

    @staticmethod
    def check_window(window_start: str, window_end: str) -> None:
        if window_end < window_start:
            raise DomainError(
                "window_ends_before_start",
                f"时间安排结束日期 {window_end} 早于开始日期 {window_start} / the window ends before it starts",
                "data.window_end",
            )

    @staticmethod
    def check_cadence(
        cadence: str, deadline: str | None, yearly_due: str | None, window_start: str, window_end: str
    ) -> None:
        if cadence == "once" and deadline is None:
            raise DomainError(
                "deadline_required", "一次性措施须有完成期限 / a once-only measure needs a deadline", "data.deadline"
            )
        if cadence == "yearly" and deadline is not None:
            raise DomainError(
                "deadline_not_for_yearly",
                "按年开展的措施用 yearly_due 表示每年期限，不设 deadline / a yearly measure has a yearly_due, not a deadline",
                "data.deadline",
            )
        if deadline is not None and not window_start <= deadline <= window_end:
            raise DomainError(
                "deadline_outside_window",
                f"完成期限 {deadline} 不在时间安排 {window_start}～{window_end} 内 / the deadline is outside the window",
                "data.deadline",
            )
        if yearly_due is not None:
            if cadence != "yearly":
                raise DomainError(
                    "yearly_due_not_yearly",
                    "只有按年开展的措施才有每年期限 / only a yearly measure has a yearly_due",
                    "data.yearly_due",
                )
            try:
                dt.date(2021, int(yearly_due[:2]), int(yearly_due[3:]))
            except ValueError:
                raise DomainError(
                    "invalid_yearly_due", f"每年期限 {yearly_due} 不是有效日期 / not a day of the year", "data.yearly_due"
                ) from None

    def check_responsible(self, unit: str) -> None:
        if unit not in self.responsible_units:
            raise DomainError(
                "not_responsible",
                f"{unit} 不是该措施的责任单位（{'、'.join(self.responsible_units)}） / {unit} is not responsible for"
                " this measure",
                "data.unit",
            )

    def check_period(self, period: int | None) -> None:
        if self.cadence == "yearly" and period is None:
            raise DomainError(
                "period_required", "按年开展的措施须注明报告年度 / a yearly measure's report names its year", "data.period"
            )
        first, last = int(self.window_start[:4]), int(self.window_end[:4])
        if period is not None and not first <= period <= last:
            raise DomainError(
                "period_outside_window",
                f"报告年度 {period} 不在时间安排 {first}～{last} 年内 / the year is outside the measure's window",
                "data.period",
            )
