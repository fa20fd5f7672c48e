"""/v1/audit: the chain's digest, verification, and who read personal data in clear."""

from __future__ import annotations

from sanic import Blueprint, Request, json

from hexie.projections import audit

from .auth import pii_reads, principal_of, require
from .cases import int_arg
from .reading import caught_up

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
