"""/v1/measures and /v1/arrears/overdue: what is due, overdue and done on a business date."""

from __future__ import annotations

import datetime as dt
import re

from sanic import Blueprint, Request, json

from hexie.domain.calendar import today
from hexie.domain.vocabulary import UNITS
from hexie.projections import deadlines

from .problems import BadInput
from .reading import caught_up

bp = Blueprint("measures", url_prefix="/v1")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def arg(request: Request, name: str) -> str | None:
    # Blank values are kept so that `unit=` is refused like any other value off the list,
    # rather than silently meaning "no filter" (the OpenAPI document says what is allowed).
    return request.get_args(keep_blank_values=True).get(name)


def choice_arg(request: Request, name: str, allowed: tuple[str, ...]) -> str | None:
    value = arg(request, name)
    if value is not None and value not in allowed:
        raise BadInput(f"{name} must be one of {', '.join(allowed)}", f"query.{name}")
    return value


def as_of_arg(request: Request) -> str:
    """`?as_of=YYYY-MM-DD`, a business date; today in Yueyang by default."""
    text = arg(request, "as_of")
    if text is None:
        return today()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput("as_of must be a date YYYY-MM-DD", "query.as_of") from None
    return text


@bp.get("/measures")
async def list_measures(request: Request):
    status = choice_arg(request, "status", deadlines.FILTERS)
    unit = choice_arg(request, "unit", UNITS)
    as_of = as_of_arg(request)
    await caught_up(request, ["ledger"])
    items = await deadlines.measures(request.app.ctx.readdb, None, unit, as_of)
    # The summary counts every status, whatever `status` filters, so a client can show
    # the count behind each filter from one answer.
    listed = items if status is None else [i for i in items if i["status"] == status]
    return json({"as_of": as_of, "measures": listed, "summary": deadlines.summary(items)})


@bp.get("/arrears/overdue")
async def overdue_arrears(request: Request):
    unit = choice_arg(request, "unit", UNITS)
    as_of = as_of_arg(request)
    await caught_up(request, ["ledger"])
    try:
        cases = await deadlines.overdue_arrears(request.app.ctx.readdb, unit, as_of)
    except deadlines.CalendarNotCovered as e:
        # Only days up to as_of are counted, so it is as_of that lies outside the calendar.
        raise BadInput(str(e), "query.as_of") from None
    return json({"as_of": as_of, "cases": cases})
