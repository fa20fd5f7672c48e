"""/v1/events: the global log, in commit order."""

from __future__ import annotations

from sanic import Blueprint, Request, json

from hexie.projections import history

from . import params
from .auth import principal_of
from .openapi import ok, operation, problem_doc, query, ref

bp = Blueprint("events", url_prefix="/v1/events")

LOG = {
    "type": "object",
    "required": ["events", "next_after"],
    "properties": {"events": {"type": "array", "items": ref("Event")}, "next_after": {"type": "integer", "minimum": 0}},
}


@bp.get("/")
@operation(
    "The global log in commit order",
    parameters=[query("after", {"type": "integer", "minimum": 0}),
                query("limit", {"type": "integer", "minimum": 1, "maximum": 1000})],
    responses={**ok("Log"), "400": problem_doc("bad query")},
    schemas={"Log": LOG},
)
async def read_log(request: Request):
    after = params.integer(request, "after", 0, 0)
    limit = params.integer(request, "limit", 100, 1, 1000)
    principal = principal_of(request)
    db = request.app.ctx.readdb
    if principal.units is None:
        events = await history.read_log(db, after, limit)
        return json({"events": events, "next_after": events[-1]["position"] if events else after})
    # A unit officer's feed: the log filtered to its unit, paged by the last position scanned.
    mine, scanned = [], after
    while len(mine) < limit:
        page = await history.read_log(db, scanned, 1000)
        if not page:
            break
        for e in page:
            scanned = e["position"]
            if e["unit"] in principal.units:
                mine.append(e)
                if len(mine) == limit:
                    break
    return json({"events": mine, "next_after": scanned})
