"""/v1/reports: the Annex 1 completion matrix, and the evidence behind one of its cells."""

from __future__ import annotations

from urllib.parse import unquote

from sanic import Blueprint, Request, json

from hexie.domain.vocabulary import PLANS, UNITS
from hexie.projections import annex1

from . import params
from .downloads import spreadsheet
from .openapi import (FORMAT_QUERY, OBJECT, RECORDED_TIME_QUERY, SPREADSHEET, WAIT_FOR_QUERY, operation, path_parameter,
                      problem_doc)
from .problems import BadInput

bp = Blueprint("reports", url_prefix="/v1/reports")


@bp.get("/annex1")
@operation(
    "Annex 1 completion matrix: 15 units x 10 plans, target / done / per year / percent, totals, "
    "P03 quality bar, P10 open arrears; as the system knew it at `as_of`",
    parameters=[RECORDED_TIME_QUERY, FORMAT_QUERY, WAIT_FOR_QUERY],
    responses={"200": {"description": "the matrix", "content": {**OBJECT, **SPREADSHEET}},
               "400": problem_doc("bad query, naming the field")},
)
async def annex1_matrix(request: Request):
    form = params.output_format(request)
    await params.caught_up(request, ["annex1"])
    document = await annex1.matrix(request.app.ctx.readdb, params.recorded_time_text(request))
    if form == "json":
        return json(document)
    return await spreadsheet(annex1.sheets(document), form, "附件1任务安排表完成情况", "annex1")


@bp.get("/annex1/<unit>/<plan>")
@operation(
    "The cases behind one cell, each with the position of the event that counted it",
    parameters=[path_parameter("unit", {"type": "string"}), path_parameter("plan", {"type": "string"}),
                RECORDED_TIME_QUERY, WAIT_FOR_QUERY],
    responses={"200": {"description": "evidence", "content": OBJECT},
               "400": problem_doc("bad query"), "404": problem_doc("unknown unit or plan")},
)
async def annex1_evidence(request: Request, unit: str, plan: str):
    unit = unquote(unit)  # sanic hands path parameters over still percent-encoded
    if unit not in UNITS:
        raise BadInput(f"unknown unit {unit!r}", "path.unit", 404)
    if plan not in PLANS:
        raise BadInput(f"unknown plan {plan!r}", "path.plan", 404)
    await params.caught_up(request, ["annex1"])
    return json(await annex1.evidence(request.app.ctx.readdb, unit, plan, params.recorded_time_text(request)))
