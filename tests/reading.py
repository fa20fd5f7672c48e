"""The tests read events as HTTP and the export do: through `projections.history`.

Synchronous wrappers, each on its own event loop (closed when done), for stories that
drive the service layer synchronously.
"""

from __future__ import annotations

import asyncio
from typing import Any

from hexie.projections import history
from hexie.projections.engine import connect


def _run(url: str, read) -> Any:
    async def go():
        db = connect(url)
        try:
            return await read(db)
        finally:
            await db.close()

    return asyncio.run(go())


def read_log(hexie, after: int = 0, limit: int = 100, reveal: bool = False) -> list[dict[str, Any]]:
    """The global log after `after`, as `GET /v1/events` shows it."""
    return _run(hexie.database_url, lambda db: history.read_log(db, after, limit, reveal))


def case_history(hexie, case_id, reveal: bool = False) -> list[dict[str, Any]]:
    """One case's events, as `GET /v1/cases/{id}/events` shows them."""
    return _run(hexie.database_url, lambda db: history.case_events(db, str(case_id), reveal))


def whole_log(hexie, reveal: bool = False) -> list[dict[str, Any]]:
    """Every event, read in pages."""
    events, after = [], 0
    while page := read_log(hexie, after, 2000, reveal):
        events += page
        after = page[-1]["position"]
    return events
