"""/v1/ledger: the current state of cases, by kind, unit, plan, status and programme year."""

from __future__ import annotations

from sanic import Blueprint, Request, json

from hexie.domain.calendar import NAMED_YEARS
from hexie.domain.identifiers import has_personal_data, mask_personal
from hexie.domain.kinds import KINDS
from hexie.domain.vocabulary import PLANS, UNITS
from hexie.projections import ledger

from . import params
from .auth import principal_of, record_pii_reads, unit_scope
from .openapi import CUT_QUERIES, OBJECT, WAIT_FOR_QUERY, operation, problem_doc, query
from .problems import BadInput

bp = Blueprint("ledger", url_prefix="/v1/ledger")


@bp.get("/")
@operation(
    "Current state of cases, by kind, unit, plan, status and programme year",
    parameters=[
        *(query(name, {"type": "string"}) for name in ("kind", "unit", "plan", "status")),
        query("year", {"type": "integer", "minimum": NAMED_YEARS[0], "maximum": NAMED_YEARS[1]}),
        query("limit", {"type": "integer", "minimum": 1, "maximum": 1000}),
        query("offset", {"type": "integer", "minimum": 0}),
        query("q", {"type": "string", "minLength": 1, "maxLength": 100}, "part of a name or 统一社会信用代码"),
        query("enterprise_id", {"type": "string", "format": "uuid"}, "the cases that name this enterprise"),
        *CUT_QUERIES,
        WAIT_FOR_QUERY,
    ],
    responses={"200": {"description": "ledger rows", "content": OBJECT}, "400": problem_doc("bad query")},
)
async def ledger_cases(request: Request):
    await params.caught_up(request, ["ledger"])
    filters = {
        "kind": params.choice(request, "kind", KINDS),
        "unit": unit_scope(request, params.choice(request, "unit", UNITS)),
        "plan": params.choice(request, "plan", PLANS),
        "status": params.raw(request, "status"),
        "year": params.integer(request, "year", None, *NAMED_YEARS),
        "enterprise_id": params.uuid_text(request, "enterprise_id"),
    }
    q = params.text(request, "q")
    if q is not None and len(q) > 100:
        raise BadInput("q is at most 100 characters", "query.q")
    limit = params.integer(request, "limit", 100, 1, 1000)
    offset = params.integer(request, "offset", 0, 0)
    rows = await ledger.cases(request.app.ctx.readdb, params.cut(request), limit=limit, offset=offset, q=q, **filters)
    principal = principal_of(request)
    revealed = [r["case_id"] for r in rows if principal.sees_pii(r["unit"]) and has_personal_data(r["fields"])]
    await record_pii_reads(request.app.ctx.readdb, principal, revealed, request.path)
    shown = set(revealed)
    rows = [r if r["case_id"] in shown else mask_personal(r) for r in rows]
    return json({"cases": rows, "limit": limit, "offset": offset})
