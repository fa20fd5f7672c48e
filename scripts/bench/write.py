"""The two write yardsticks measured beside hexie's HTTP append, in the same run.

raw_ordered_locktable_c16  16 asyncpg connections, each BEGIN; LOCK TABLE .. IN EXCLUSIVE
                           MODE; INSERT .. RETURNING id; COMMIT, one event per transaction
                           (gap-free global order, like the library and hexie), into a table
                           shaped like the yardstick's.
library_app_save_t8        the eventsourcing library's own `Application.save` of a trivial
                           one-event-per-command aggregate, 8 threads, each keeping its
                           aggregate in memory (the yardstick's es_write "append" mode).
Both durable (server defaults), median of `reps` repetitions of `seconds`, table
emptied and a CHECKPOINT before each repetition, 0.5 s of untimed warm-up.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlparse

import asyncpg
import orjson

from .common import (Config, checkpoint, cpu_snapshot, cpu_usage, fresh_schema, log, median, median_of, row,
                          spread)

NOTE = "benchmark deposit note, padded to be about sixty characters."  # ~100-byte payload, as the yardstick


# -- raw asyncpg ------------------------------------------------------------------------


async def _jsonb_orjson(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", schema="pg_catalog", format="binary",
                              encoder=lambda v: b"\x01" + orjson.dumps(v), decoder=lambda b: orjson.loads(b[1:]))


async def _raw_worker(conn: asyncpg.Connection, table: str, deadline: float) -> int:
    insert = (f"INSERT INTO {table} (stream_id, version, type, data, meta) "
              "VALUES ($1, $2, $3, $4, $5) RETURNING id")
    st = await conn.prepare(insert)
    # prepare() ends with Flush, not Sync: the implicit transaction (and the lock the
    # INSERT's parse took) stays open until the next statement, and LOCK TABLE would
    # then be a lock upgrade that deadlocks the writers. A simple query ends it.
    await conn.execute("SELECT 1")
    stream, version, n = uuid.uuid4(), 0, 0
    meta = {"correlation_id": str(stream), "causation_id": str(stream), "user": "bench"}
    while time.perf_counter() < deadline:
        if version >= 100:  # a new stream every 100 events, as the yardstick
            stream, version = uuid.uuid4(), 0
        version += 1
        async with conn.transaction():
            await conn.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
            await st.fetchval(stream, version, "Deposited", {"amount": version, "currency": "EUR", "note": NOTE}, meta)
        n += 1
    return n


async def raw_ordered_locktable(cfg: Config) -> dict[str, Any]:
    schema = cfg.schema("raw")
    await fresh_schema(cfg, schema)
    table = f'"{schema}".bench_raw_events'
    admin = await asyncpg.connect(cfg.db_dsn)
    await admin.execute(
        f"CREATE TABLE {table} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, stream_id uuid NOT NULL, "
        "version int NOT NULL, type text NOT NULL, data jsonb NOT NULL, meta jsonb NOT NULL, "
        "recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, version))")
    pool = await asyncpg.create_pool(cfg.db_dsn, min_size=cfg.clients, max_size=cfg.clients, init=_jsonb_orjson)
    rates, cpu = [], []
    try:
        conns = [await pool.acquire() for _ in range(cfg.clients)]
        warm = time.perf_counter() + 0.5
        await asyncio.gather(*[_raw_worker(c, table, warm) for c in conns])
        for rep in range(cfg.reps):
            await admin.execute(f"TRUNCATE {table} RESTART IDENTITY")
            await checkpoint(admin)
            c0, t0 = cpu_snapshot(), time.perf_counter()
            counts = await asyncio.gather(*[_raw_worker(c, table, t0 + cfg.seconds) for c in conns])
            elapsed = time.perf_counter() - t0
            cpu.append(cpu_usage(c0, cpu_snapshot(), sum(counts)))
            rates.append(sum(counts) / elapsed)
            log(f"  raw_ordered_locktable_c16 rep {rep + 1}: {rates[-1]:,.0f} ev/s")
        top, count = await admin.fetchrow(f"SELECT max(id), count(*) FROM {table}")
        if top != count:  # the point of the lock: ids commit in order, without gaps
            raise RuntimeError(f"raw ordered writes left gaps: max id {top}, {count} rows")
        for c in conns:
            await pool.release(c)
    finally:
        await pool.close()
        await admin.close()
    return row("raw_ordered_locktable_c16", round(median(rates), 1), "events/s",
               note=f"ceiling: {cfg.clients} asyncpg connections, LOCK TABLE tx, 1 event/tx, durable",
               **spread(rates), **median_of(cpu))


# -- the eventsourcing library --------------------------------------------------------------


def _library_classes() -> tuple[type, type]:
    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate, event

    class Account(Aggregate):
        @event("Opened")
        def __init__(self, owner: str) -> None:
            self.owner = owner
            self.balance = 0

        @event("Deposited")
        def deposit(self, amount: int, currency: str, note: str) -> None:
            self.balance += amount

    class LibWrite(Application):
        name = "LibWrite"  # table libwrite_events

    return Account, LibWrite


def library_env(cfg: Config, schema: str) -> dict[str, str]:
    p = urlparse(cfg.db_dsn)
    return {"PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": p.path.lstrip("/"),
            "POSTGRES_HOST": p.hostname or "127.0.0.1", "POSTGRES_PORT": str(p.port or 5432),
            "POSTGRES_USER": p.username or "postgres", "POSTGRES_PASSWORD": p.password or "",
            "POSTGRES_SCHEMA": schema, "POSTGRES_POOL_SIZE": "10"}  # 8 threads without overflow churn


def _timed_saves(app: Any, account_cls: type, threads: int, seconds: float) -> tuple[float, int]:
    barrier = threading.Barrier(threads + 1)
    counts, errors = [0] * threads, []

    def worker(k: int) -> None:
        try:
            acc = account_cls(owner=f"t{k}")
            app.save(acc)
            barrier.wait()
            deadline, n = time.perf_counter() + seconds, 0
            while time.perf_counter() < deadline:
                acc.deposit(amount=n, currency="EUR", note=NOTE)
                app.save(acc)
                n += 1
            counts[k] = n
        except BaseException as e:  # surface errors from the threads
            errors.append(e)
            barrier.abort()

    ts = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in ts:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - t0, sum(counts)


def library_app_save(cfg: Config) -> dict[str, Any]:
    schema = cfg.schema("lib")
    asyncio.run(fresh_schema(cfg, schema))
    account_cls, app_cls = _library_classes()
    app = app_cls(env=library_env(cfg, schema))
    rates, cpu = [], []

    async def reset() -> None:
        conn = await asyncpg.connect(cfg.db_dsn)
        await conn.execute(f'TRUNCATE "{schema}".libwrite_events RESTART IDENTITY')
        await checkpoint(conn)
        await conn.close()

    try:
        _timed_saves(app, account_cls, cfg.lib_threads, 0.5)  # warm-up
        for rep in range(cfg.reps):
            asyncio.run(reset())
            c0 = cpu_snapshot()
            elapsed, n = _timed_saves(app, account_cls, cfg.lib_threads, cfg.seconds)
            cpu.append(cpu_usage(c0, cpu_snapshot(), n))
            rates.append(n / elapsed)
            log(f"  library_app_save_t8 rep {rep + 1}: {rates[-1]:,.0f} ev/s")
    finally:
        app.close()
    return row("library_app_save_t8", round(median(rates), 1), "events/s",
               note=f"baseline: eventsourcing Application.save, {cfg.lib_threads} threads, 1 event/save, durable",
               **spread(rates), **median_of(cpu))
