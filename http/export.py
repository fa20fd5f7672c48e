"""/v1/export: the whole history, streamed with each event's chain link, ending with the digest."""

from __future__ import annotations

from sanic import Blueprint, Request

from hexie.domain.kinds import KINDS
from hexie.domain.vocabulary import PLANS, UNITS
from hexie.projections.engine import head, wait_for
from hexie.projections.timeline import export

from . import params
from .auth import principal_of, record_pii_reads, require
from .openapi import DATE_OR_TIME, operation, problem_doc, query
from .problems import BadInput

bp = Blueprint("export", url_prefix="/v1/export")

FORMATS = ("ndjson", "csv")


@bp.get("/timeline")
@operation(
    "The full history, streamed: NDJSON or CSV, each event with its chain link, ending with the digest",
    parameters=[
        query("format", {"type": "string", "enum": list(FORMATS)}),
        query("from", DATE_OR_TIME),
        query("to", DATE_OR_TIME),
        *(query(name, {"type": "string"}) for name in ("unit", "plan", "kind")),
    ],
    responses={"200": {"description": "the export", "content": {
        "application/x-ndjson": {"schema": {"type": "string"}}, "text/csv": {"schema": {"type": "string"}}}},
        "400": problem_doc("bad query"), "503": problem_doc("the audit chain is still catching up")},
)
async def timeline(request: Request):
    """The full history as NDJSON or CSV, streamed in constant memory, each event with its
    chain link, ending with the digest."""
    principal = principal_of(request)
    require(request, principal.may_export(), "export the timeline")
    # A blank `format=` has always meant the default here (elsewhere it is refused); kept as served.
    form = params.output_format(request, FORMATS) if params.raw(request, "format") != "" else FORMATS[0]
    filters = {
        "since": params.recorded_time_text(request, "from"), "until": params.recorded_time_text(request, "to"),
        "unit": params.choice(request, "unit", UNITS), "plan": params.choice(request, "plan", PLANS),
        "kind": params.choice(request, "kind", KINDS),
    }
    db = request.app.ctx.readdb
    if not await wait_for(db, ["audit"], await head(db), timeout=30):
        raise BadInput("the audit chain is catching up with the log; retry shortly", None, 503)
    reveal = principal.sees_pii(None)
    content_type = "application/x-ndjson" if form == "ndjson" else "text/csv; charset=utf-8"
    response = await request.respond(content_type=content_type, headers={
        "Content-Disposition": f'attachment; filename="hexie-timeline.{form}"'})
    seen: set[str] = set()
    async for chunk in export(db, form, reveal=reveal, seen=seen, **filters):
        await response.send(chunk)
        if len(seen) >= 1000:  # recorded as we go, so memory stays flat however many people
            await record_pii_reads(db, principal, seen, request.path)
            seen.clear()
    await response.eof()
    await record_pii_reads(db, principal, seen, request.path)
