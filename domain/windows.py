"""Annex 2's 时间安排: one rule reads every window text of the seed.

- A month deadline — "2021年5月前", "2021年6月底前", "2023年9月底" — is the last day of that
  month. The seed itself uses "N月前" and "N月底前" for the same thing: P05-M07 asks for the
  same yearly report "2020年12月底前" and "2021年、2022年12月前"; and the summary acceptance,
  "总结验收（2023年9月前）", closes the programme whose full implementation runs "2021年5月-
  2023年9月". So "N月前" never means "before month N begins".
- A range — "2021年1月-2023年9月", "2021-2023年9月", "2021年-2023年" — runs from the first day
  of its first month (or year) to the last day of its last month (or year).
- "每年N月底前" is due every year by the end of month N.
- Cadence: "每年…开展" and "(定期开展)" are yearly (due by each year's end, the last year no later
  than the window's end); a range otherwise ("实时开展", "根据国家的统筹安排", or nothing said)
  is continuous: carried on throughout, with a progress report due each quarter; a single
  deadline is once.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from .calendar import PROGRAMME_END

LAUNCH = "2020-09-21"  # 启动实施: 2020年9月下旬 — where a window with only a deadline opens

_MONTH = r"(\d{4})\s*年\s*(\d{1,2})\s*月"
_DEADLINE = re.compile(_MONTH + r"\s*(?:底前|前|底)")
_RANGE = re.compile(r"(\d{4})\s*年?\s*(?:(\d{1,2})\s*月)?\s*[-－—~至]\s*(\d{4})\s*年\s*(?:(\d{1,2})\s*月)?")
_YEARLY_DUE = re.compile(r"每年\s*(\d{1,2})\s*月\s*(?:底前|前|底)")
_YEARLY = re.compile(r"每年[^)）]*开展|定期开展")


@dataclass(frozen=True)
class Window:
    start: str
    end: str
    cadence: str  # once | yearly | continuous
    deadline: str | None = None  # once: the date; continuous: the window's end
    yearly_due: str | None = None  # yearly: MM-DD


def month_end(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def read_window(text: str) -> Window:
    """The window a 时间安排 text states (see the module's rule); ValueError for a text it cannot read."""
    if m := _YEARLY_DUE.search(text):
        month = int(m[1])
        return Window("2021-01-01", PROGRAMME_END, "yearly", yearly_due=month_end(2021, month)[5:])
    if m := _RANGE.search(text):
        first_year, first_month, last_year, last_month = int(m[1]), m[2], int(m[3]), m[4]
        start = f"{first_year:04d}-{int(first_month or 1):02d}-01"
        end = month_end(last_year, int(last_month or 12))
        if end < start:
            raise ValueError(f"时间安排 {text!r}: the range ends before it starts")
        if _YEARLY.search(text):
            return Window(start, end, "yearly", yearly_due="12-31")
        return Window(start, end, "continuous", deadline=end)
    if m := _DEADLINE.search(text):
        deadline = month_end(int(m[1]), int(m[2]))
        return Window(LAUNCH, deadline, "once", deadline=deadline)
    raise ValueError(f"时间安排 {text!r} states no window this rule reads")
