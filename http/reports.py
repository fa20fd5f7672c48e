"""/v1/reports: the Annex 1 completion matrix, and the evidence behind one of its cells."""

from __future__ import annotations

from urllib.parse import unquote

from sanic import Blueprint, Request, json

from hexie.domain.vocabulary import PLANS, UNITS
from hexie.domain.calendar import PROGRAMME_YEARS
from hexie.projections import annex1, summary

from . import params
from .downloads import spreadsheet
from .openapi import (CUT_QUERIES, FORMAT_QUERY, OBJECT, RECORDED_TIME_QUERY, SPREADSHEET, WAIT_FOR_QUERY, operation, path_parameter,
                      problem_doc)
from .problems import BadInput

bp = Blueprint("reports", url_prefix="/v1/reports")


@bp.get("/annex1")
@operation(
    "Annex 1 completion matrix: 15 units x 10 plans, target / done / per year / percent, totals, "
    "P03 quality bar, P10 open arrears; through a business date and as recorded by a time",
    parameters=[*CUT_QUERIES, FORMAT_QUERY, WAIT_FOR_QUERY],
    responses={"200": {"description": "the matrix", "content": {**OBJECT, **SPREADSHEET}},
               "400": problem_doc("bad query, naming the field")},
)
async def annex1_matrix(request: Request):
    form = params.output_format(request)
    await params.caught_up(request, ["annex1"])
    document = await annex1.matrix(request.app.ctx.readdb, params.cut(request))
    if form == "json":
        return json(document)
    return await spreadsheet(annex1.sheets(document), form, "附件1任务安排表完成情况", "annex1")


@bp.get("/summary/<year:int>")
@operation(
    "The yearly summary (逐年总结) of one programme year: per unit and plan the year's target and done, the "
    "Annex 2 measures at the year's end, wage arrears opened / closed / open at the year's end (动态清零) with "
    "交办/督办/约谈, forums and appeals, typical cases, the P03 pass rate, and the seed's yearly floors, met or not",
    parameters=[path_parameter("year", {"type": "integer", "enum": list(PROGRAMME_YEARS)}),
                RECORDED_TIME_QUERY, {**FORMAT_QUERY, "schema": {"type": "string", "enum": ["json", "xlsx"], "default": "json"}},
                WAIT_FOR_QUERY],
    responses={"200": {"description": "the summary", "content": {**OBJECT, **SPREADSHEET}},
               "400": problem_doc("bad query"), "404": problem_doc("not a programme year")},
)
async def yearly_summary(request: Request, year: int):
    if year not in PROGRAMME_YEARS:
        raise BadInput(f"{year} 不是计划年度 / not a programme year ({', '.join(map(str, PROGRAMME_YEARS))})", "path.year", 404)
    form = params.output_format(request, ("json", "xlsx"))
    await params.caught_up(request, ["ledger", "annex1"])
    document = await summary.summary(request.app.ctx.readdb, year, params.cut(request).as_of)
    if form == "json":
        return json(document)
    return await spreadsheet(summary.sheets(document), form, f"和谐同行{year}年度总结", f"summary-{year}")


@bp.get("/annex1/<unit>/<plan>")
@operation(
    "The cases behind one cell, each with the position of the event that counted it",
    parameters=[path_parameter("unit", {"type": "string"}), path_parameter("plan", {"type": "string"}),
                *CUT_QUERIES, WAIT_FOR_QUERY],
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
    return json(await annex1.evidence(request.app.ctx.readdb, unit, plan, params.cut(request)))
