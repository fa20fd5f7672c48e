"""/v1/events: the global log, in commit order."""

from __future__ import annotations

import asyncio

from sanic import Blueprint, Request, json

from .cases import int_arg

bp = Blueprint("events", url_prefix="/v1/events")


@bp.get("/")
async def read_log(request: Request):
    after = int_arg(request, "after", 0, 0)
    limit = int_arg(request, "limit", 100, 1, 1000)
    events = await asyncio.to_thread(request.app.ctx.hexie.read_log, after, limit)
    return json({"events": events, "next_after": events[-1]["position"] if events else after})
