"""The sanic application: `create_app()` wires the service layer to the routes.

The eventsourcing application is synchronous (psycopg / sqlite3); handlers call it
with `asyncio.to_thread`, never on the event loop.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid

import orjson
import structlog
from sanic import HTTPResponse, Request, Sanic, html, json

from hexie.domain.application import Hexie
from hexie.domain.store import database_url, is_postgres
from hexie.projections import engine as readdb
from hexie.projections.engine import create_read_tables, follow
from hexie.projections.read_models import live_projections

from . import arrears, audit, auth, cases, events, export, ledger, logs, measures, problems, registers, reports, spreadsheets
from . import spreadsheets_openapi  # noqa: F401 (importing it documents spreadsheets.bp's routes)
from .batching import Batcher
from .openapi import document, ok, operation

# One blueprint per resource (sanic's guide); each documents its own routes (http/openapi.py).
BLUEPRINTS = (cases.bp, events.bp, ledger.bp, registers.bp, reports.bp, measures.bp, arrears.bp, audit.bp, export.bp,
              spreadsheets.bp)

HEALTH = {"type": "object", "required": ["status"],
          "properties": {"status": {"const": "ok"}, "backend": {"type": "string"}, "position": {"type": "integer"}}}

MAX_BODY = 1_000_000  # bytes; a command is a few kilobytes

# Request ids: unique per process start and counter, and cheaper than a uuid4 per request.
_request_ids = (f"{uuid.uuid4().hex[:16]}{n:016x}" for n in itertools.count(1))

log = structlog.get_logger("hexie.http")

DOCS_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>hexie API</title>
<link rel="stylesheet" href="https://unpkg.com/swagger-ui-dist@5/swagger-ui.css"></head>
<body><div id="ui"><p>The API is described in <a href="/openapi.json">/openapi.json</a>.</p></div>
<script src="https://unpkg.com/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
<script>if (window.SwaggerUIBundle) SwaggerUIBundle({url: "/openapi.json", dom_id: "#ui"});</script>
</body></html>"""


def create_app(url: str | None = None, name: str = "hexie") -> Sanic:
    logs.configure()
    app = Sanic(name, dumps=orjson.dumps, loads=orjson.loads)
    app.config.REQUEST_MAX_SIZE = MAX_BODY
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.config.HEXIE_DATABASE_URL = url or database_url()
    problems.install(app)
    for bp in BLUEPRINTS:
        app.blueprint(bp)

    @app.before_server_start
    async def open_store(app: Sanic):
        app.ctx.hexie = await asyncio.to_thread(Hexie, app.config.HEXIE_DATABASE_URL)
        app.ctx.batcher = Batcher(app.ctx.hexie)
        app.ctx.readdb = readdb.connect(app.config.HEXIE_DATABASE_URL)
        await create_read_tables(app.ctx.readdb, live_projections())  # before the first request, so no query finds them missing
        await auth.ensure_tables(app.ctx.readdb)
        app.ctx.tokens = auth.Tokens(app.ctx.readdb)
        # Every worker offers to run the projections; the locks pick one per projection.
        app.ctx.stopping = asyncio.Event()
        app.ctx.wake = asyncio.Event()
        app.ctx.runner = asyncio.create_task(
            follow(app.ctx.readdb, live_projections(), app.ctx.stopping, wake=app.ctx.wake)
        )

    @app.after_server_stop
    async def close_store(app: Sanic):
        app.ctx.stopping.set()
        await app.ctx.runner
        await app.ctx.readdb.close()
        await asyncio.to_thread(app.ctx.hexie.close)

    @app.on_request
    async def start(request: Request):
        request.ctx.request_id = request.headers.get("x-request-id") or next(_request_ids)
        request.ctx.actor = "anonymous"
        request.ctx.started = time.perf_counter()
        structlog.contextvars.bind_contextvars(request_id=request.ctx.request_id)
        await auth.authenticate(request)

    @app.on_response
    async def finish(request: Request, response: HTTPResponse):
        response.headers["X-Request-ID"] = getattr(request.ctx, "request_id", "")
        started = getattr(request.ctx, "started", None)
        log.info(
            "request",
            method=request.method,
            path=request.path,  # ids only; query strings and bodies are never logged
            status=response.status,
            ms=round((time.perf_counter() - started) * 1000, 2) if started else None,
            actor=getattr(request.ctx, "actor", None),
        )
        structlog.contextvars.clear_contextvars()

    @app.get("/healthz")
    @operation("Liveness and the store's head position", responses=ok("Health"), schemas={"Health": HEALTH})
    async def healthz(request: Request):
        hexie = request.app.ctx.hexie
        position = await asyncio.to_thread(hexie.head)
        backend = "postgresql" if is_postgres(hexie.database_url) else "sqlite"
        return json({"status": "ok", "backend": backend, "position": position})

    @app.get("/openapi.json")
    async def openapi(request: Request):
        if getattr(request.app.ctx, "openapi", None) is None:
            request.app.ctx.openapi = document(request.app)  # the routes are fixed once the server runs
        return json(request.app.ctx.openapi)

    @app.get("/docs")
    async def docs(request: Request):
        return html(DOCS_PAGE)

    return app
