"""`hexie serve`: the HTTP API, on a store whose tables are made once, here."""

from __future__ import annotations

import argparse
import asyncio


def prepare_store(url: str | None) -> None:
    from hexie.domain.application import Hexie
    from hexie.domain.store import database_url
    from hexie.http.auth import ensure_tables
    from hexie.projections.engine import connect, create_read_tables
    from hexie.projections.read_models import live_projections

    hexie = Hexie(url)
    hexie.index_people()  # people registered before the person index existed (once)
    hexie.close()

    async def read_side() -> None:
        db = connect(url or database_url())
        try:
            await create_read_tables(db, live_projections())
            await ensure_tables(db)
        finally:
            await db.close()

    asyncio.run(read_side())


def serve(args: argparse.Namespace) -> int:
    from functools import partial

    from sanic import Sanic
    from sanic.worker.loader import AppLoader

    from hexie.http.app import create_app

    prepare_store(args.database_url)  # once, here: workers racing to create tables collide on PostgreSQL
    loader = AppLoader(factory=partial(create_app, args.database_url))
    app = loader.load()
    app.prepare(host=args.host, port=args.port, workers=args.workers, access_log=False, motd=False,
                single_process=args.workers == 1)
    Sanic.serve(primary=app, app_loader=loader)
    return 0
