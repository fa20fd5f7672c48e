"""The stored data set: `events` hexie events of the demo's programme drawn larger, generated once and reused.

The generator is the demo's (`scripts/demo`): the same planner, drawn at a `Scale` — each
unit's cases of every plan times `cases`, enrolled enterprises reporting their headcount in
most months (用工监测, most of the volume), and one enterprise with `long_case` reports (the
history and case-state figures). The demo appends those commands through the service layer;
here they are decided in memory (`encode`) and their events COPYed into `hexie_events` in
chunks (ids from the table's own sequence, in log order), in business-date order up to
exactly `events` (the last weeks of the programme may fall beyond). Going through the API at
~1k events/s would take too long. The result is still a valid store: `Hexie(url).get_case(id)`
reads it and the projections process it; they are brought up to date here, as a running server
would keep them. The full run's set stays in its schema for the next run (marked with what
made it, in `bench_dataset`); `--regen`, or a different generator or size, makes it anew.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from typing import Any
from uuid import UUID

import asyncpg

from ..demo import PROGRAMME_END, Scale, plan_programme
from ..programme import init_commands
from .common import Config, fresh_schema, log
from .encode import Encoder

GENERATOR = 2  # bump when the data set changes shape: older stored sets are regenerated (2: the demo's generator)
CHUNK = 20_000  # events per COPY
SEED = 2023
HEADCOUNT_SHARE = 0.5  # an enrolled enterprise reports its headcount in about every other month
EVENTS_PER_CASES = 10_000  # events the programme gains per step of `Scale.cases` at that share (measured ~10,700)


def scale(events: int, long_case: int) -> Scale:
    """The smallest scale whose programme holds at least `events` events (the rest is cut off)."""
    return Scale(cases=max(1, math.ceil((events - long_case) / EVENTS_PER_CASES)), headcount_share=HEADCOUNT_SHARE,
                 long_case=long_case)


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
        t0 = time.perf_counter()
        plan = plan_programme(SEED, PROGRAMME_END, scale(cfg.events, cfg.long_case))
        commands = plan.ordered()
        log(f"  planned {len(commands):,} commands at {plan.scale} in {time.perf_counter() - t0:.0f} s")
        enc, shown, last = Encoder(hexie.mapper), time.perf_counter(), None
        for command in init_commands():
            enc.init(command)
        if enc.emitted + len(commands) < cfg.events:
            raise RuntimeError(f"the programme holds {enc.emitted + len(commands):,} events, fewer than {cfg.events:,}")
        for n, c in enumerate(commands, 1):
            if enc.emitted >= cfg.events:
                break
            enc.command(c, f"bench-{SEED}-{n:07d}")
            last = c.on
            if len(enc.rows) >= CHUNK:
                await _copy(conn, schema, enc.rows)
                enc.rows = []
                if time.perf_counter() - shown > 2:
                    shown = time.perf_counter()
                    log(f"  generating: {enc.emitted:,}/{cfg.events:,} events, {c.on:%Y-%m}, "
                        f"{enc.emitted / (shown - t0):,.0f} ev/s")
        del enc.rows[len(enc.rows) - (enc.emitted - cfg.events):]  # a command may make more than one event: exactly `events`
        await _copy(conn, schema, enc.rows)
        seconds = time.perf_counter() - t0
        long_case = enc.cases.get(enc.ids.get(plan.notes["long_case"]))
        if long_case is None or long_case.version != cfg.long_case + 1:
            raise RuntimeError("the data set ended before the long case was complete")
        await conn.execute(f'VACUUM ANALYZE "{schema}".hexie_events')
        info = {"generator": str(GENERATOR), "events": str(cfg.events), "long_case_id": str(long_case.id),
                "long_case_events": str(long_case.version), "generated_at": dt.datetime.now().isoformat(),
                "generation_s": f"{seconds:.1f}", "last_business_month": f"{last:%Y-%m}",
                "scale": f"cases={plan.scale.cases} headcount_share={plan.scale.headcount_share}"}
        await conn.execute(f'CREATE TABLE "{schema}".bench_dataset (key text PRIMARY KEY, value text NOT NULL)')
        await conn.executemany(f'INSERT INTO "{schema}".bench_dataset VALUES ($1, $2)', list(info.items()))
        log(f"  generated {cfg.events:,} events in {seconds:.0f} s ({cfg.events / seconds:,.0f} ev/s), "
            f"business dates up to {last:%Y-%m}")
        return info
    finally:
        await conn.close()
        hexie.close()


async def catch_up_live(url: str) -> int:
    """The live projections brought up to the head, as a running server keeps them (untimed)."""
    from hexie.projections.engine import connect
    from hexie.projections.engine import Runner
    from hexie.projections.read_models import live_projections

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
