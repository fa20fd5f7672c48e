"""The read models: brought up to the head of the log (`caught_up`), rebuilt (`hexie rebuild`)."""

from __future__ import annotations

import argparse
import asyncio
import sys


async def caught_up(db, names: tuple[str, ...] | None = None) -> None:
    """Bring the read models (all, or those named) up to the head of the log (a server may be doing it too)."""
    from hexie.projections.engine import Paused, Runner, StaleGeneration
    from hexie.projections.read_models import live_projections

    runner = Runner(db, [p for p in live_projections() if names is None or p.name in names])
    await runner.setup()
    for _ in range(50):
        try:
            await runner.catch_up()
            return
        except (StaleGeneration, Paused):
            await asyncio.sleep(0.2)


def read(url: str | None, reader, names: tuple[str, ...] | None = None):
    """`await reader(db)` over read models brought up to the head (all, or those named), on a
    database whose event store may not exist yet; the one way a CLI report reads."""
    from hexie.domain.application import Hexie
    from hexie.domain.store import database_url
    from hexie.projections.engine import connect

    Hexie(url).close()  # the event store's tables, on a fresh database

    async def run():
        db = connect(url or database_url())
        try:
            await caught_up(db, names)
            return await reader(db)
        finally:
            await db.close()

    return asyncio.run(run())


def rebuild(args: argparse.Namespace) -> int:
    from hexie.domain.application import Hexie
    from hexie.domain.store import database_url
    from hexie.projections.engine import connect, rebuild
    from hexie.projections.read_models import PROJECTIONS

    Hexie(args.database_url).close()  # the event store's tables, on a fresh database

    async def run() -> bool:
        db = connect(args.database_url or database_url())
        try:
            return (await rebuild(db, PROJECTIONS, args.names or None)).identical
        finally:
            await db.close()

    try:
        return 0 if asyncio.run(run()) else 3
    except (ValueError, RuntimeError) as e:
        print(f"rebuild: {e}", file=sys.stderr)
        return 2
