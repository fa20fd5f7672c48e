"""What every read-model route shares: query arguments and read-your-own-write."""

from __future__ import annotations

from sanic import Request

from hexie.projections.engine import head, wait_for

from .cases import arg, int_arg
from .problems import BadInput


async def caught_up(request: Request, names: list[str]) -> None:
    """`?wait_for=<position>`: answer only once the projections have processed that position
    (the `position` a write returned), so a client reads its own write. 503 after 5 s."""
    position = int_arg(request, "wait_for", None, 0)
    if position is None:
        return
    if position > await head(request.app.ctx.readdb):
        raise BadInput(f"there is no event at position {position} yet", "query.wait_for")
    if not await wait_for(request.app.ctx.readdb, names, position):
        raise BadInput(f"the read models have not reached position {position} yet; retry", "query.wait_for", 503)


def fmt(request: Request, allowed: tuple[str, ...] = ("json", "csv", "xlsx")) -> str:
    value = arg(request, "format")
    value = "json" if value is None else value
    if value not in allowed:
        raise BadInput(f"format must be one of {', '.join(allowed)}", "query.format")
    return value
