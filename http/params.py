"""Query parameters, each kind read one way on every route.

Blank values are kept (`?unit=` is "", not absent) so that they are refused like any other
value off the list, never silently read as "no filter". A bad value is a 400 problem naming
`query.<name>`.

Two cut-offs are easy to confuse (DESIGN 6): a *business date* (YYYY-MM-DD, compared with
the events' `occurred_on`) and a *recorded time* (ISO 8601, compared with when the events were
recorded). Their helpers and their HTTP names live here only.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Callable, Iterable

from sanic import Request

from hexie.domain.calendar import parse_as_of, today
from hexie.projections.cut import Cut
from hexie.projections.engine import head, wait_for

from .problems import BadInput

# The HTTP names of the two cut-offs (DESIGN 6); the routes and their OpenAPI parameters
# take the names from here.
BUSINESS_DATE = "through"
RECORDED_TIME = "as_of"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _bad(name: str, detail: str, status: int = 400) -> BadInput:
    return BadInput(detail, f"query.{name}", status)


def raw(request: Request, name: str) -> str | None:
    """The parameter as sent: None when absent, "" when blank (refused by whoever checks it)."""
    return request.get_args(keep_blank_values=True).get(name)


def text(request: Request, name: str) -> str | None:
    """Free text, where a blank value would otherwise pass every check: refused outright."""
    value = raw(request, name)
    if value is not None and not value.strip():
        raise _bad(name, f"{name} is blank: give a value or leave it out")
    return value


def integer(request: Request, name: str, default: int | None, low: int, high: int | None = None) -> int | None:
    value_text = raw(request, name)
    if value_text is None:
        return default
    try:
        value = int(value_text)
    except ValueError:
        raise _bad(name, f"{name} must be an integer") from None
    if value < low or (high is not None and value > high):
        raise _bad(name, f"{name} must be between {low} and {high}" if high else f"{name} must be at least {low}")
    return value


def _one_of(allowed: Iterable[str]) -> str:
    allowed = list(allowed)
    return " or ".join(allowed) if len(allowed) == 2 else f"one of {', '.join(allowed)}"


def choice(request: Request, name: str, allowed: Iterable[str], *, required: bool = False) -> str | None:
    """One of `allowed` (a tuple, or a dict's keys); None when absent and not required."""
    value = raw(request, name)
    if (value is not None or required) and value not in allowed:
        raise _bad(name, f"{name} must be {_one_of(allowed)}")
    return value


def uuid_text(request: Request, name: str) -> str | None:
    """A case id, as text (the read models key cases by it)."""
    value = raw(request, name)
    if value is None:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise _bad(name, f"{name} must be a case id (UUID)") from None


def output_format(request: Request, allowed: tuple[str, ...] = ("json", "csv", "xlsx")) -> str:
    """`?format=`, the first of `allowed` by default."""
    return choice(request, "format", allowed) or allowed[0]


def date(request: Request, name: str, *, years: tuple[int, int] | None = None) -> str | None:
    """A calendar date YYYY-MM-DD, as sent (the read models compare the text)."""
    value = raw(request, name)
    if value is None:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        year = dt.date.fromisoformat(value).year
        if years is not None and not years[0] <= year <= years[1]:
            raise ValueError
    except ValueError:
        span = f" ({years[0]}-{years[1]})" if years else ""
        raise _bad(name, f"{name} must be a date YYYY-MM-DD{span}") from None
    return value


def business_date(request: Request, name: str = BUSINESS_DATE, default: Callable[[], str] = today) -> str:
    """The business-date cut-off: events whose `occurred_on` is on or before it; today in Yueyang by default."""
    return date(request, name) or default()


def recorded_time(request: Request, name: str = RECORDED_TIME) -> dt.datetime | None:
    """The recorded-time cut-off: what the system knew then. A bare date is the end of that
    day, Beijing time; a naive time is Beijing time."""
    value = raw(request, name)
    if value is None:
        return None
    try:
        return parse_as_of(value)
    except ValueError:
        raise _bad(name, f"{name} must be an ISO 8601 date or date-time") from None


def recorded_time_text(request: Request, name: str = RECORDED_TIME) -> str | None:
    """The recorded-time cut-off as the UTC ISO text recorded times are stored in (the read
    models compare text)."""
    moment = recorded_time(request, name)
    return None if moment is None else moment.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


def cut(request: Request) -> Cut:
    """Both cut-offs of a report: `through` (business date) and `as_of` (recorded time), each now by default."""
    return Cut.of(date(request, BUSINESS_DATE), recorded_time(request))


WAIT_FOR = "wait_for"


async def caught_up(request: Request, projections: list[str]) -> None:
    """`?wait_for=<position>`: answer only once `projections` have processed that position
    (the `position` a write returned), so a client reads its own write. 503 after 5 s."""
    position = integer(request, WAIT_FOR, None, 0)
    if position is None:
        return
    db = request.app.ctx.readdb
    if position > await head(db):
        raise _bad(WAIT_FOR, f"there is no event at position {position} yet")
    if not await wait_for(db, projections, position):
        raise _bad(WAIT_FOR, f"the read models have not reached position {position} yet; retry", 503)
