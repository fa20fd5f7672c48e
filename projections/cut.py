"""The two cut-offs every report takes (DESIGN 6).

- `through`: the business date — only events whose `occurred_on` is on or before it
  (inclusive, Beijing calendar): "where did the programme stand on 2022-12-31?"
- `as_of`: the recorded time — only events recorded by then: "what did the system know then?"

Both default to now and combine. A report made at "now" reads the live read models; any other
cut is answered from the events it admits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hexie.domain.calendar import PROGRAMME_TZ, parse_as_of, today


@dataclass(frozen=True)
class Cut:
    through: str | None = None  # YYYY-MM-DD, compared with `occurred_on`
    as_of: str | None = None  # UTC ISO text, compared with recorded times as they are stored

    @classmethod
    def of(cls, through: str | None = None, as_of: str | dt.datetime | None = None) -> "Cut":
        """From what a user gives: a date, and an ISO 8601 date or time (a date is the end of that day)."""
        if through is not None:
            dt.date.fromisoformat(through)  # ValueError names a bad one
        if isinstance(as_of, str):
            as_of = parse_as_of(as_of)
        if isinstance(as_of, dt.datetime):
            as_of = as_of.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
        return cls(through, as_of)

    @property
    def now(self) -> bool:
        return self.through is None and self.as_of is None

    def admits(self, occurred_on: str, recorded_at: str) -> bool:
        return (self.through is None or occurred_on <= self.through) and (self.as_of is None or recorded_at <= self.as_of)

    @property
    def business_date(self) -> str:
        """The date the report is about: `through`, or today."""
        return self.through or today()

    @property
    def as_of_local(self) -> str | None:
        """`as_of` in Beijing time, to the minute, as a caption shows it."""
        if self.as_of is None:
            return None
        return dt.datetime.fromisoformat(self.as_of).astimezone(PROGRAMME_TZ).strftime("%Y-%m-%d %H:%M")

    def as_dict(self) -> dict[str, str | None]:
        return {"through": self.through, "as_of": self.as_of}


NOW = Cut()
