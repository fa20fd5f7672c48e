"""Group commit: the writes that arrive together are saved together.

The eventsourcing library spends most of a save in client CPU per transaction, not
in the disk; one transaction for many events costs little more than for one. So
concurrent requests queue here, and whatever has queued while the previous batch
was being committed goes to the application as the next batch — each request
still gets its own answer (`Hexie.execute`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from hexie.domain.commands import Command, Receipt
from hexie.domain.application import Hexie

BATCH_LIMIT = 64


class Batcher:
    def __init__(self, hexie: Hexie, limit: int = BATCH_LIMIT):
        self.hexie, self.limit = hexie, limit
        self.pending: list[tuple[Command, asyncio.Future]] = []
        self.draining: asyncio.Task | None = None

    async def submit(self, command: Command) -> Receipt:
        future = asyncio.get_running_loop().create_future()
        self.pending.append((command, future))
        if self.draining is None or self.draining.done():
            self.draining = asyncio.create_task(self._drain())
        result: Any = await future
        if isinstance(result, Exception):
            raise result
        return result

    async def _drain(self) -> None:
        while self.pending:
            batch, self.pending = self.pending[: self.limit], self.pending[self.limit:]
            try:
                results = await asyncio.to_thread(self.hexie.execute, [c for c, _ in batch])
            except Exception as e:  # the store failed: nothing was acknowledged
                results = [e] * len(batch)
            for (_, future), result in zip(batch, results):
                if not future.done():
                    future.set_result(result)
