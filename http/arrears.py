"""/v1/arrears/overdue: wage-arrears cases past their 交办 deadline on a business date, in working days."""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, Request, json

from hexie.domain.calendar import CalendarNotCovered
from hexie.domain.vocabulary import UNITS
from hexie.projections import deadlines

from . import params
from .openapi import (BUSINESS_DATE_QUERY, RECORDED_TIME_QUERY, DATE, DATE_OR_NULL, NOT_CAUGHT_UP, UNIT_QUERY, UUID_TEXT, WAIT_FOR_QUERY, ok,
                      operation, problem_doc, ref)
from .problems import BadInput

bp = Blueprint("arrears", url_prefix="/v1/arrears")

MONEY = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "description": "yuan"}
SHAPES: dict[str, Any] = {
    "OverdueArrearsCase": {
        "type": "object",
        "required": ["case_id", "unit", "assigned_to", "employer_name", "amount_owed", "recovered", "outstanding",
                     "workers_affected", "assigned_on", "deadline", "status", "working_days_overdue"],
        "properties": {
            "case_id": UUID_TEXT,
            "unit": {"type": "string", "description": "the case's unit"},
            "assigned_to": {"type": "string", "description": "承办单位"},
            "employer_name": {"type": "string"},
            "project": {"type": ["string", "null"]},
            "amount_owed": MONEY,
            "recovered": {**MONEY, "description": "yuan, as of now"},
            "outstanding": {**MONEY, "description": "yuan, as of now"},
            "workers_affected": {"type": "integer"},
            "assigned_on": DATE,
            "deadline": DATE,
            "closed_on": {**DATE_OR_NULL, "description": "always null here: the case as it stood on `through` was open"},
            "status": {"const": "overdue"},
            "working_days_overdue": {"type": "integer", "minimum": 0,
                                     "description": "official working days after the deadline up to and including as_of"},
            "working_days_left": {"const": 0},
        },
    },
    "OverdueArrears": {
        "type": "object",
        "required": ["through", "as_of", "cases"],
        "properties": {"through": DATE, "as_of": {"type": ["string", "null"], "description": "recorded-time cut-off (UTC)"},
                       "cases": {"type": "array", "items": ref("OverdueArrearsCase")}},
    },
}


@bp.get("/overdue")
@operation(
    "Wage-arrears cases assigned (交办), open on as_of and past their deadline, in working days",
    parameters=[
        {**UNIT_QUERY, "description": "the case's unit or the unit it is assigned to"},
        {**BUSINESS_DATE_QUERY, "description": BUSINESS_DATE_QUERY["description"]
         + "; the day the deadlines are judged on; 400 for a year the official holiday calendar does not cover"},
        RECORDED_TIME_QUERY,
        WAIT_FOR_QUERY,
    ],
    responses={**ok("OverdueArrears"), "400": problem_doc("bad query, naming the field"), **NOT_CAUGHT_UP},
    schemas=SHAPES,
)
async def overdue_arrears(request: Request):
    unit = params.choice(request, "unit", UNITS)
    cut = params.cut(request)
    await params.caught_up(request, ["ledger"])
    try:
        cases = await deadlines.overdue_arrears(request.app.ctx.readdb, unit, cut)
    except CalendarNotCovered as e:
        # Only days up to the cut-off are counted, so it is the cut-off that lies outside the calendar.
        raise BadInput(str(e), f"query.{params.BUSINESS_DATE}") from None
    return json({"through": cut.business_date, "as_of": cut.as_of, "cases": cases})
