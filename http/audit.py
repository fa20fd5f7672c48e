"""/v1/audit: the chain's digest, verification of an export, and who read personal data in clear."""

from __future__ import annotations

import asyncio
import re
import tempfile

from sanic import Blueprint, Request, json

from hexie.projections import audit
from hexie.projections.timeline import verify_lines

from . import params
from .auth import pii_reads, principal_of, require
from .openapi import OBJECT, WAIT_FOR_QUERY, operation, problem_doc, query
from .problems import BadInput

bp = Blueprint("audit", url_prefix="/v1/audit")


@bp.get("/digest")
@operation(
    "The audit chain's current digest (position, count, head, time) and recent recorded digests",
    parameters=[WAIT_FOR_QUERY],
    responses={"200": {"description": "digest", "content": OBJECT}, "400": problem_doc("bad query")},
)
async def digest(request: Request):
    require(request, principal_of(request).may_export(), "read the audit digest")
    await params.caught_up(request, ["audit"])
    db = request.app.ctx.readdb
    return json({**await audit.digest(db), "recorded": await audit.recorded_digests(db, limit=20)})


@bp.get("/pii-reads")
@operation(
    "Who read personal data in clear, when, which case (city admin only)",
    parameters=[query("limit", {"type": "integer", "minimum": 1, "maximum": 10000})],
    responses={"200": {"description": "reads", "content": OBJECT}, "400": problem_doc("bad query")},
)
async def personal_data_reads(request: Request):
    require(request, principal_of(request).role == "city_admin", "list reads of personal data")
    limit = params.integer(request, "limit", 500, 1, 10000)
    return json({"reads": await pii_reads(request.app.ctx.readdb, limit)})


@bp.post("/verify", stream=True)
@operation(
    "Verify an uploaded export (the body), optionally against a digest you kept",
    parameters=[query("digest_position", {"type": "integer", "minimum": 0}), query("digest_head", {"type": "string"})],
    body={"required": True, "description": "the export file's bytes, as `GET /v1/export/timeline` gave them",
          "content": {"application/x-ndjson": {"schema": {}}, "text/csv": {"schema": {}}}},
    responses={"200": {"description": "the verdict: ok, checked, first_problem {problem, position, detail}",
                       "content": OBJECT}, "400": problem_doc("bad query")},
)
async def verify_upload(request: Request):
    """Verify an uploaded export (the request body), against a kept digest if given
    (`?digest_position=&digest_head=`). The body is spooled to disk, not held in memory."""
    require(request, principal_of(request).may_export(), "verify exports")
    kept = None
    position = params.integer(request, "digest_position", None, 0)
    head_hex = params.raw(request, "digest_head")
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
