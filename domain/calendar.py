"""The programme's clock: its years, its time zone, and China's official working days.

Two times run through hexie (DESIGN 6): the business date `occurred_on` (when a thing
happened, in Yueyang) and the recorded time (when the ledger learnt of it). Both are
read here once for every layer.

Working days are the official ones: weekends and public holidays off, 调休 make-up working
days on, as published by the State Council and packaged in `chinese_calendar`. That
package covers a fixed range of years; a day outside it raises `CalendarNotCovered`
rather than a guess.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import chinese_calendar

PROGRAMME_TZ = zoneinfo.ZoneInfo("Asia/Shanghai")

# The three programme years of Annex 1; the launch phase (2020-09 … 2020-11) counts to the first.
PROGRAMME_YEARS = (2021, 2022, 2023)
PROGRAMME_END = "2023-09-30"  # 总结验收: the programme's last business date
EARLIEST = "2020-01-01"  # nothing in this programme happened before 2020
# The years an event's `year` field or a report's `year` may name: the programme's, with room
# for the follow-up years the bureau keeps recording (a layoff plan of 2024 …).
NAMED_YEARS = (2020, 2030)


def today() -> str:
    """The business date in Yueyang, whatever the server's clock zone."""
    return dt.datetime.now(PROGRAMME_TZ).date().isoformat()


def programme_year(occurred_on: str, stated: int | None = None) -> int | None:
    """The Annex 1 year an action dated `occurred_on` counts to (DESIGN 1, DESIGN 6).

    The 2020 launch phase counts to 2021; an action dated after the programme's end
    (2023-09-30) counts to no year. `stated` is the year an event names for itself where
    its schema lets it differ from its date (a selection announced in January for the year
    before): then that year counts.
    """
    if occurred_on > PROGRAMME_END:
        return None
    year = stated if stated is not None else int(occurred_on[:4])
    if year > PROGRAMME_YEARS[-1]:
        return None
    return max(year, PROGRAMME_YEARS[0])


def parse_as_of(text: str) -> dt.datetime:
    """A recorded-time cut-off: ISO 8601 date or time; a date means the end of that day,
    a naive time is Beijing time."""
    if len(text) == 10:
        moment = dt.datetime.combine(dt.date.fromisoformat(text), dt.time.max)
    else:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PROGRAMME_TZ)
    return moment


# -- official working days ------------------------------------------------------


class CalendarNotCovered(ValueError):
    """The holiday calendar has no data for the year of `day`."""

    def __init__(self, day: dt.date):
        self.day = day
        super().__init__(
            f"法定节假日数据不含 {day.year} 年（{day.isoformat()}），无法计算工作日 / the official holiday calendar"
            f" (chinese_calendar {getattr(chinese_calendar, '__version__', '')}) has no data for {day.year}:"
            " working days cannot be counted"
        )


def is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise CalendarNotCovered(day) from None


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Official working days after `start` up to and including `end`; 0 when `end` is not after `start`.

    Days overdue on a date = working_days_between(deadline, date);
    days left = working_days_between(date, deadline).
    """
    return sum(is_workday(start + dt.timedelta(days=k)) for k in range(1, (end - start).days + 1))


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th official working day after `start`: the deadline of "n 个工作日内" counted from `start`.

    As with every legal time limit, the day it starts from is not counted, so
    working_days_between(start, add_working_days(start, n)) == n.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n:
        day += dt.timedelta(days=1)
        n -= is_workday(day)
    return day
