"""/v1/events: the global log, in commit order."""

from __future__ import annotations

from sanic import Blueprint, Request, json

from hexie.projections import history

from .auth import principal_of
from .cases import int_arg

bp = Blueprint("events", url_prefix="/v1/events")


@bp.get("/")
async def read_log(request: Request):
    after = int_arg(request, "after", 0, 0)
    limit = int_arg(request, "limit", 100, 1, 1000)
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
