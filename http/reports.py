"""/v1/reports and /v1/ledger: the Annex 1 matrix, the evidence behind a cell, the ledger of cases."""

from __future__ import annotations

import datetime as dt

from urllib.parse import quote, unquote

from sanic import Blueprint, HTTPResponse, Request, json

from hexie.domain.calendar import parse_as_of
from hexie.domain.identifiers import has_personal_data, mask_personal
from hexie.domain.kinds import KINDS
from hexie.domain.vocabulary import PLANS, UNITS
from hexie.projections import annex1, ledger
from hexie.projections.export import CSV_TYPE, XLSX_TYPE, to_csv, to_xlsx

from .auth import principal_of, record_pii_reads, unit_scope
from .cases import arg, int_arg
from .problems import BadInput
from .reading import caught_up, fmt

bp = Blueprint("reports", url_prefix="/v1")


def as_of_arg(request: Request) -> str | None:
    """`as_of` (recorded time) as the UTC ISO text recorded times are stored in."""
    text = arg(request, "as_of")
    if text is None:
        return None
    try:
        moment = parse_as_of(text)
    except ValueError:
        raise BadInput("as_of must be an ISO 8601 date or date-time", "query.as_of") from None
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


def spreadsheet(sheet, form: str, name: str, ascii_name: str) -> HTTPResponse:
    body, content_type = (to_csv(sheet), CSV_TYPE) if form == "csv" else (to_xlsx([sheet]), XLSX_TYPE)
    disposition = f"attachment; filename=\"{ascii_name}.{form}\"; filename*=UTF-8''{quote(name)}.{form}"
    return HTTPResponse(body, content_type=content_type, headers={"Content-Disposition": disposition})


def choice(request: Request, name: str, allowed) -> str | None:
    value = arg(request, name)
    if value is not None and value not in allowed:
        raise BadInput(f"{name} must be one of {', '.join(allowed)}", f"query.{name}")
    return value


@bp.get("/reports/annex1")
async def annex1_matrix(request: Request):
    form = fmt(request)
    await caught_up(request, ["annex1"])
    document = await annex1.matrix(request.app.ctx.readdb, as_of_arg(request))
    if form == "json":
        return json(document)
    return spreadsheet(annex1.sheet(document), form, "附件1任务安排表完成情况", "annex1")


@bp.get("/reports/annex1/<unit>/<plan>")
async def annex1_evidence(request: Request, unit: str, plan: str):
    unit = unquote(unit)  # sanic hands path parameters over still percent-encoded
    if unit not in UNITS:
        raise BadInput(f"unknown unit {unit!r}", "path.unit", 404)
    if plan not in PLANS:
        raise BadInput(f"unknown plan {plan!r}", "path.plan", 404)
    await caught_up(request, ["annex1"])
    return json(await annex1.evidence(request.app.ctx.readdb, unit, plan, as_of_arg(request)))


@bp.get("/ledger")
async def ledger_cases(request: Request):
    await caught_up(request, ["ledger"])
    filters = {
        "kind": choice(request, "kind", KINDS),
        "unit": unit_scope(request, choice(request, "unit", UNITS)),
        "plan": choice(request, "plan", PLANS),
        "status": arg(request, "status"),
        "year": int_arg(request, "year", None, 2020, 2030),
    }
    limit = int_arg(request, "limit", 100, 1, 1000)
    offset = int_arg(request, "offset", 0, 0)
    rows = await ledger.cases(request.app.ctx.readdb, limit=limit, offset=offset, **filters)
    principal = principal_of(request)
    revealed = [r["case_id"] for r in rows if principal.sees_pii(r["unit"]) and has_personal_data(r["fields"])]
    await record_pii_reads(request.app.ctx.readdb, principal, revealed, request.path)
    shown = set(revealed)
    rows = [r if r["case_id"] in shown else mask_personal(r) for r in rows]
    return json({"cases": rows, "limit": limit, "offset": offset})
