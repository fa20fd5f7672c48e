"""/v1/measures: each unit's share of the Annex 2 measures, due, overdue or done on a business date."""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, Request, json

from hexie.domain.vocabulary import PLANS, UNITS
from hexie.projections import deadlines

from . import params
from .openapi import (BUSINESS_DATE_QUERY, RECORDED_TIME_QUERY, DATE, DATE_OR_NULL, NOT_CAUGHT_UP, UNIT_QUERY, UUID_TEXT, WAIT_FOR_QUERY, ok,
                      operation, problem_doc, query, ref)

bp = Blueprint("measures", url_prefix="/v1/measures")

OBLIGATION_STATUS = ["upcoming", "due", "overdue", "done"]
STATUS_COUNTS = {
    "type": "object",
    "required": OBLIGATION_STATUS,
    "properties": {s: {"type": "integer", "minimum": 0} for s in OBLIGATION_STATUS},
}
SHAPES: dict[str, Any] = {
    "Obligation": {
        "type": "object",
        "description": "one responsible unit's share of an Annex 2 measure (for one year, if yearly) on as_of",
        "required": ["case_id", "code", "plan", "task", "text", "responsible", "unit", "period", "due", "status",
                     "done_on", "last_report"],
        "properties": {
            "case_id": {**UUID_TEXT, "description": "the measure's case (report progress to it)"},
            "code": {"type": "string", "description": "e.g. P02-M01"},
            "plan": {"type": "string", "enum": list(PLANS)},
            "task": {"type": "string", "description": "重点工作任务"},
            "text": {"type": "string", "description": "工作措施"},
            "responsible": {"type": "string", "description": "责任分工 as the seed writes it"},
            "unit": {"type": "string", "enum": list(UNITS)},
            "period": {"type": ["integer", "string", "null"],
                       "description": "the year (2022) of a yearly measure, the quarter (\"2022Q3\") of a continuous one"},
            "due": DATE,
            "status": {"type": "string", "enum": OBLIGATION_STATUS},
            "done_on": {**DATE_OR_NULL, "description": "date of the report that made it done"},
            "last_report": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "required": ["on", "period", "note", "done"],
                        "properties": {"on": DATE, "period": {"type": ["integer", "null"]}, "note": {"type": "string"},
                                       "done": {"type": "boolean"}},
                    },
                ],
                "description": "the unit's latest report on it dated by as_of",
            },
        },
    },
    "Measures": {
        "type": "object",
        "required": ["through", "as_of", "measures", "summary"],
        "properties": {
            "through": DATE,
            "as_of": {"type": ["string", "null"], "description": "recorded-time cut-off (UTC)"},
            "measures": {"type": "array", "items": ref("Obligation")},
            "summary": {
                "type": "object",
                "description": "obligations per unit and status, whatever the status filter",
                "required": ["by_unit", "total"],
                "properties": {
                    "by_unit": {"type": "object", "additionalProperties": STATUS_COUNTS},
                    "total": STATUS_COUNTS,
                },
            },
        },
    },
}


@bp.get("/")
@operation(
    "Annex 2 measures: each responsible unit's obligation, due, overdue or done on a business date",
    parameters=[
        query("status", {"type": "string", "enum": list(deadlines.FILTERS)},
              "upcoming obligations are listed only without it"),
        UNIT_QUERY,
        BUSINESS_DATE_QUERY,
        RECORDED_TIME_QUERY,
        WAIT_FOR_QUERY,
    ],
    responses={**ok("Measures"), "400": problem_doc("bad query, naming the field"), **NOT_CAUGHT_UP},
    schemas=SHAPES,
)
async def list_measures(request: Request):
    status = params.choice(request, "status", deadlines.FILTERS)
    unit = params.choice(request, "unit", UNITS)
    cut = params.cut(request)
    await params.caught_up(request, ["ledger"])
    items = await deadlines.measures(request.app.ctx.readdb, None, unit, cut)
    # The summary counts every status, whatever `status` filters, so a client can show
    # the count behind each filter from one answer.
    listed = items if status is None else [i for i in items if i["status"] == status]
    return json({"through": cut.business_date, "as_of": cut.as_of, "measures": listed, "summary": deadlines.summary(items)})
