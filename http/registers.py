"""/v1/registers/annex3 … annex8: the registers of Annexes 3–8 as JSON, CSV or XLSX.

`?format=json|csv|xlsx`, `?unit=` (the responsible unit), `?plan=P03|P05|P06` (Annex 7),
`?year=` (Annex 8's 本年度; default this year), `?wait_for=<position>` (read your own
write). Personal data is always masked here (身份证号码, phone numbers).
"""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, Request, json

from hexie.domain.calendar import NAMED_YEARS
from hexie.domain.vocabulary import UNITS
from hexie.projections import registers

from . import params
from .auth import principal_of, record_pii_reads, unit_scope
# attachment is unused here: spreadsheets.py imports it from this module until its imports are rewritten (issue 10).
from .downloads import attachment, spreadsheet  # noqa: F401
from .openapi import (CUT_QUERIES, FORMAT_QUERY, NOT_CAUGHT_UP, SPREADSHEET, UNIT_QUERY, WAIT_FOR_QUERY, operation, path_parameter,
                      problem_doc, query, ref)
from .problems import BadInput, problem

bp = Blueprint("registers", url_prefix="/v1/registers")

ANNEXES = list(registers.REGISTERS)
SHAPES: dict[str, Any] = {
    "Register": {
        "type": "object",
        "required": ["annex", "title", "columns", "rows"],
        "properties": {
            "annex": {"type": "string", "enum": ANNEXES},
            "title": {"type": "string", "description": "the seed's title, after the unit when filtered by one"},
            "unit": {"type": ["string", "null"], "description": "the unit filter, if any"},
            "plan": {"type": ["string", "null"], "description": "Annex 7: the plan filter, if any"},
            "year": {"type": "integer", "description": "Annex 8: 本年度"},
            "through": {"type": ["string", "null"], "format": "date", "description": "business-date cut-off, if any"},
            "as_of": {"type": ["string", "null"], "description": "recorded-time cut-off (UTC), if any"},
            "columns": {"type": "array", "items": {"type": "string"},
                        "description": "the seed's column headers in order (Annex 8: the child headers under the merged one)"},
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["case_id", "unit"],
                    "description": "one value per column, keyed by its header; personal data masked",
                    "properties": {
                        "case_id": {"type": "string", "format": "uuid"},
                        "unit": {"type": "string", "description": "the case's responsible unit"},
                        "plan": {"type": "string", "enum": ["P03", "P05", "P06"], "description": "Annex 7"},
                        "enterprise_id": {"type": ["string", "null"], "description": "Annexes 7 and 8"},
                    },
                    "additionalProperties": {"type": ["string", "integer", "null"]},
                },
            },
        },
    },
}


@bp.get("/<annex:str>")
@operation(
    "The register of Annex 3-8 (附件3-8), with the seed's column headers, as JSON, CSV or XLSX",
    parameters=[
        path_parameter("annex", {"type": "string", "enum": ANNEXES},
                       "annex3 协调员 · annex4 调解组织 · annex5 调解员 · annex6 社会组织 · annex7 企业名单 · annex8 重点用工企业"),
        {**FORMAT_QUERY, "description": "csv: UTF-8 with BOM, the title and caption lines, then one header row; "
                                         "xlsx: printable, the seed's title, header rows and merges"},
        {**UNIT_QUERY, "description": "only the cases of this responsible unit"},
        query("plan", {"type": "string", "enum": ["P03", "P05", "P06"]},
              "annex7 only: cultivation (P03), wage guidance (P05) or new-enterprise service (P06); 400 elsewhere"),
        query("year", {"type": "integer", "minimum": NAMED_YEARS[0], "maximum": NAMED_YEARS[1]},
              "annex8 only: 本年度, default the year of `through` (this year); 400 elsewhere"),
        *CUT_QUERIES,
        WAIT_FOR_QUERY,
    ],
    responses={
        "200": {
            "description": "the register (personal data masked)",
            "headers": {"Content-Disposition": {
                "description": "csv and xlsx: attachment; filename=\"annex8.xlsx\"; filename*=UTF-8''附件8重点用工企业情况表.xlsx",
                "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": ref("Register")}, **SPREADSHEET},
        },
        "400": problem_doc("bad query, naming the field"),
        "404": problem_doc("no such register"),
        **NOT_CAUGHT_UP,
    },
    schemas=SHAPES,
)
async def register(request: Request, annex: str):
    if annex not in registers.REGISTERS:
        return problem(404, "Not found", f"no register {annex!r}; the registers are {', '.join(registers.REGISTERS)}")
    form = params.output_format(request)
    unit, plan = params.raw(request, "unit"), params.raw(request, "plan")
    if unit in UNITS or unit is None:
        unit = unit_scope(request, unit)  # a unit officer sees its own unit's register only
    year = params.integer(request, "year", None, *NAMED_YEARS)
    cut = params.cut(request)
    try:
        registers.check_query(annex, unit, plan, year)
    except registers.RegisterQueryError as e:
        raise BadInput(str(e), f"query.{e.field}") from None
    try:
        await params.caught_up(request, ["ledger"])
        principal = principal_of(request)
        # Listings cover one unit (a unit officer's) or all: clear only for who sees every row's unit in clear.
        reveal = principal.sees_pii(unit) if unit is not None else principal.sees_pii(None)
        found = await registers.build(request.app.ctx.readdb, annex, unit=unit, plan=plan, year=year, reveal=reveal, cut=cut)
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
    return await spreadsheet(found.sheet(), form, found.filename, annex)
