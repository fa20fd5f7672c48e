"""/v1/registers/annex3 … annex8: the registers of Annexes 3–8 as JSON, CSV or XLSX.

`?format=json|csv|xlsx`, `?unit=` (the responsible unit), `?plan=P03|P05|P06` (Annex 7),
`?year=` (Annex 8's 本年度; default this year), `?wait_for=<position>` (read your own
write). Personal data is always masked here (身份证号码, phone numbers).
"""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from sanic import Blueprint, HTTPResponse, Request, json

from hexie.domain.calendar import NAMED_YEARS
from hexie.domain.vocabulary import UNITS
from hexie.projections import export, registers

from .auth import principal_of, record_pii_reads, unit_scope
from .cases import arg, int_arg
from .problems import BadInput, problem
from .reading import caught_up, fmt

bp = Blueprint("registers", url_prefix="/v1/registers")

EXTENSIONS = {"csv": ("csv", export.CSV_TYPE), "xlsx": ("xlsx", export.XLSX_TYPE)}


def attachment(filename: str, fallback: str) -> str:
    """Content-Disposition with an ASCII name for old clients and the UTF-8 name (RFC 6266 / 5987)."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@bp.get("/<annex:str>")
async def register(request: Request, annex: str):
    if annex not in registers.REGISTERS:
        return problem(404, "Not found", f"no register {annex!r}; the registers are {', '.join(registers.REGISTERS)}")
    form = fmt(request)
    unit, plan = arg(request, "unit"), arg(request, "plan")
    if unit in UNITS or unit is None:
        unit = unit_scope(request, unit)  # a unit officer sees its own unit's register only
    year = int_arg(request, "year", None, *NAMED_YEARS)
    try:
        registers.check_query(annex, unit, plan, year)
    except registers.RegisterQueryError as e:
        raise BadInput(str(e), f"query.{e.field}") from None
    try:
        await caught_up(request, ["ledger"])
        principal = principal_of(request)
        # Listings cover one unit (a unit officer's) or all: clear only for who sees every row's unit in clear.
        reveal = principal.sees_pii(unit) if unit is not None else principal.sees_pii(None)
        found = await registers.build(request.app.ctx.readdb, annex, unit=unit, plan=plan, year=year, reveal=reveal)
        if reveal:
            people = [x.get(k) for x in found.extras for k in ("case_id", "enterprise_id") if x.get(k)]
            await record_pii_reads(request.app.ctx.readdb, principal, people, request.path)
    except Exception as e:
        if not registers.missing_table(e):
            raise
        # a server that has just started may not have created the read side's tables yet
        response = problem(503, "Service unavailable", "the read models are being set up; retry in a moment")
        response.headers["Retry-After"] = "1"
        return response
    if form == "json":
        return json(found.document())
    ext, content_type = EXTENSIONS[form]
    if form == "csv":
        body = await asyncio.to_thread(export.to_csv, found.sheet())
    else:
        body = await asyncio.to_thread(export.to_xlsx, [found.sheet()])
    headers = {"Content-Disposition": attachment(f"{found.filename}.{ext}", f"{annex}.{ext}")}
    return HTTPResponse(body, status=200, headers=headers, content_type=content_type)
