"""/v1/audit: the chain's digest, verification, and who read personal data in clear."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import tempfile

from sanic import Blueprint, Request, json

from hexie.domain.calendar import parse_as_of
from hexie.domain.kinds import KINDS
from hexie.domain.vocabulary import PLANS, UNITS
from hexie.projections import audit
from hexie.projections.engine import head, wait_for
from hexie.projections.timeline import export, verify_lines

from .auth import pii_reads, principal_of, record_pii_reads, require
from .cases import arg, int_arg
from .problems import BadInput
from .reading import caught_up
from .reports import choice

bp = Blueprint("audit", url_prefix="/v1/audit")


@bp.get("/digest")
async def digest(request: Request):
    require(request, principal_of(request).may_export(), "read the audit digest")
    await caught_up(request, ["audit"])
    db = request.app.ctx.readdb
    return json({**await audit.digest(db), "recorded": await audit.recorded_digests(db, limit=20)})


@bp.get("/pii-reads")
async def personal_data_reads(request: Request):
    require(request, principal_of(request).role == "city_admin", "list reads of personal data")
    limit = int_arg(request, "limit", 500, 1, 10000)
    return json({"reads": await pii_reads(request.app.ctx.readdb, limit)})


export_bp = Blueprint("export", url_prefix="/v1/export")

FILTERS = ("from", "to", "unit", "plan", "kind")


@export_bp.get("/timeline")
async def timeline(request: Request):
    """The full history as NDJSON or CSV, streamed in constant memory, each event with its
    chain link, ending with the digest."""
    principal = principal_of(request)
    require(request, principal.may_export(), "export the timeline")
    form = arg(request, "format") or "ndjson"
    if form not in ("ndjson", "csv"):
        raise BadInput("format must be ndjson or csv", "query.format")
    filters = {
        "since": _moment(request, "from"), "until": _moment(request, "to"),
        "unit": choice(request, "unit", UNITS), "plan": choice(request, "plan", PLANS), "kind": choice(request, "kind", KINDS),
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


def _moment(request: Request, name: str) -> str | None:
    text = arg(request, name)
    if text is None:
        return None
    try:
        return parse_as_of(text).astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
    except ValueError:
        raise BadInput(f"{name} must be an ISO 8601 date or date-time", f"query.{name}") from None


@bp.post("/verify", stream=True)
async def verify_upload(request: Request):
    """Verify an uploaded export (the request body), against a kept digest if given
    (`?digest_position=&digest_head=`). The body is spooled to disk, not held in memory."""
    require(request, principal_of(request).may_export(), "verify exports")
    kept = None
    position = int_arg(request, "digest_position", None, 0)
    head_hex = arg(request, "digest_head")
    if (position is None) != (head_hex is None):
        raise BadInput("give digest_position and digest_head together", "query.digest_head")
    if position is not None:
        if not re.fullmatch(r"[0-9a-f]{64}", head_hex or ""):
            raise BadInput("digest_head must be the 64 hexadecimal digits of a digest's head", "query.digest_head")
        kept = {"position": position, "head": head_hex}
    with tempfile.TemporaryFile() as spool:
        size = 0
        while True:
            chunk = await request.stream.read()
            if chunk is None:
                break
            spool.write(chunk)
            size += len(chunk)
        if size == 0:
            raise BadInput("send the export (NDJSON or CSV) as the request body", "body")
        spool.seek(0)
        result = await asyncio.to_thread(verify_lines, spool, kept)
    return json(result)
