"""The stored data set: `events` hexie events (see bench_programme), generated once and reused.

The events are COPYed into `hexie_events` in chunks (ids from the table's own
sequence, in log order): going through the API at ~1k events/s would take too
long. The result is still a valid store: `Hexie(url).get_case(id)` reads it and the
projections process it; they are brought up to date here, as a running server
would keep them. The full run's set stays in its schema for the next run (marked
with what made it, in `bench_dataset`); `--regen`, or a different generator or
size, makes it anew.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any
from uuid import UUID

import asyncpg

from .common import Config, fresh_schema, log
from .programme import Programme, Writer

GENERATOR = 1  # bump when the data set changes shape: older stored sets are regenerated
CHUNK = 20_000  # events per COPY


# -- generation, reuse, projections ------------------------------------------------------------


async def _copy(conn: asyncpg.Connection, schema: str, rows: list[tuple]) -> None:
    await conn.copy_records_to_table("hexie_events", schema_name=schema, records=rows,
                                     columns=["originator_id", "originator_version", "topic", "state"])


async def _marker(conn: asyncpg.Connection, schema: str) -> dict[str, str]:
    if not await conn.fetchval("SELECT to_regclass($1)", f'"{schema}".bench_dataset'):
        return {}
    return {r[0]: r[1] for r in await conn.fetch(f'SELECT key, value FROM "{schema}".bench_dataset')}


async def generate(cfg: Config, schema: str) -> dict[str, Any]:
    from hexie.domain.application import Hexie

    await fresh_schema(cfg, schema, keep=not cfg.quick)
    hexie = Hexie(cfg.url(schema))  # creates the event store's tables; its mapper stores our events
    conn = await asyncpg.connect(cfg.db_dsn)
    try:
        w = Writer(hexie.mapper)
        prog = Programme(w, cfg.events, cfg.long_case)
        t0, shown = time.perf_counter(), 0.0
        prog.launch()
        first = dt.date(2020, 10, 1)
        while w.emitted < cfg.events:
            if first > dt.date.today():
                raise RuntimeError(f"the programme ran out of months at {w.emitted} of {cfg.events} events")
            for on, thunk in prog.month(first):
                thunk(on)
                if w.emitted >= cfg.events:
                    break
                if len(w.buffer) >= CHUNK:
                    await _copy(conn, schema, w.buffer)
                    w.buffer = []
                    if time.perf_counter() - shown > 2:
                        shown = time.perf_counter()
                        log(f"  generating: {w.emitted:,}/{cfg.events:,} events, {first:%Y-%m}, "
                            f"{w.emitted / (shown - t0):,.0f} ev/s")
            first = (first + dt.timedelta(days=32)).replace(day=1)
        del w.buffer[cfg.events - (w.emitted - len(w.buffer)):]  # the last command may overshoot: exactly `events`
        await _copy(conn, schema, w.buffer)
        seconds = time.perf_counter() - t0
        if prog.long_left or prog.long_case is None:
            raise RuntimeError("the data set ended before the long case was complete")
        await conn.execute(f'VACUUM ANALYZE "{schema}".hexie_events')
        info = {"generator": str(GENERATOR), "events": str(cfg.events), "long_case_id": str(prog.long_case.id),
                "long_case_events": str(prog.long_case.version), "generated_at": dt.datetime.now().isoformat(),
                "generation_s": f"{seconds:.1f}", "last_business_month": f"{first:%Y-%m}"}
        await conn.execute(f'CREATE TABLE "{schema}".bench_dataset (key text PRIMARY KEY, value text NOT NULL)')
        await conn.executemany(f'INSERT INTO "{schema}".bench_dataset VALUES ($1, $2)', list(info.items()))
        log(f"  generated {cfg.events:,} events in {seconds:.0f} s ({cfg.events / seconds:,.0f} ev/s), "
            f"business dates up to {first:%Y-%m}")
        return info
    finally:
        await conn.close()
        hexie.close()


async def catch_up_live(url: str) -> int:
    """The live projections brought up to the head, as a running server keeps them (untimed)."""
    from hexie.projections.db import connect
    from hexie.projections.runner import Runner
    from hexie.projections.views import live_projections

    db = connect(url)
    try:
        runner = Runner(db, live_projections())
        await runner.setup()
        return await runner.catch_up()
    finally:
        await db.close()


async def ensure_snapshots(cfg: Config, schema: str) -> int:
    """The snapshots hexie's `save` takes (every `snapshotting_intervals` events of a case),
    for the cases COPY wrote past an interval, as a running system would have them (untimed)."""
    from hexie.domain.application import Hexie
    from hexie.domain.kinds import KINDS, TOPICS

    intervals = getattr(Hexie, "snapshotting_intervals", None) or {}
    if not intervals:
        return 0
    conn = await asyncpg.connect(cfg.db_dsn)
    try:
        long_ones = await conn.fetch(
            f'SELECT e.originator_id, e.topic, m.top FROM "{schema}".hexie_events e JOIN ('
            f'SELECT originator_id, max(originator_version) AS top FROM "{schema}".hexie_events GROUP BY 1 '
            "HAVING max(originator_version) >= $1) m ON m.originator_id = e.originator_id "
            "WHERE e.originator_version = 1", min(intervals.values()))
    finally:
        await conn.close()
    hexie, taken = Hexie(cfg.url(schema)), 0
    try:
        have = set()
        if long_ones:
            with hexie.recorder.datastore.get_connection() as c:  # the snapshots table is the library's
                rows = c.execute(f'SELECT originator_id, originator_version FROM "{schema}".hexie_snapshots '
                                 "WHERE originator_id = ANY(%s)", ([UUID(str(r[0])) for r in long_ones],)).fetchall()
                have = {(UUID(str(r["originator_id"])), r["originator_version"]) for r in rows}
        for row in long_ones:
            case_id, interval = UUID(str(row[0])), intervals.get(KINDS[TOPICS[row[1]][0]])
            if not interval:
                continue
            for version in range(interval, row[2] + 1, interval):
                if (case_id, version) not in have:
                    hexie.take_snapshot(case_id, version=version)  # in order: each starts from the last
                    taken += 1
        return taken
    finally:
        hexie.close()


async def ensure(cfg: Config) -> dict[str, Any]:
    """The data set's schema, generated unless an identical one is stored (or `--regen`)."""
    schema = cfg.schema(f"data_{cfg.events}")
    conn = await asyncpg.connect(cfg.db_dsn)
    try:
        found = await _marker(conn, schema)
        head = await conn.fetchval(f'SELECT max(notification_id) FROM "{schema}".hexie_events') if found else None
    finally:
        await conn.close()
    want = {"generator": str(GENERATOR), "events": str(cfg.events)}
    if cfg.regen or not found or any(found.get(k) != v for k, v in want.items()) or head != cfg.events \
            or found.get("long_case_events") != str(cfg.long_case + 1):
        log(f"data set: generating {cfg.events:,} events into schema {schema}")
        found = await generate(cfg, schema)
        reused = False
    else:
        log(f"data set: reusing {cfg.events:,} events in schema {schema} (generated {found['generated_at']})")
        reused = True
    if cfg.quick and schema not in cfg.created:
        cfg.created.append(schema)
    t0 = time.perf_counter()
    n = await catch_up_live(cfg.url(schema))
    if n:
        log(f"  live projections brought up to date: {n:,} events in {time.perf_counter() - t0:.0f} s")
    if taken := await ensure_snapshots(cfg, schema):
        log(f"  {taken:,} snapshots taken, as hexie's save would have")
    return {**found, "schema": schema, "url": cfg.url(schema), "reused": reused}
