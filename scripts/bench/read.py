"""Reading the stored data set: the log in order, one long case, the Annex 1 matrix.

raw_keyset_orjson_scan           asyncpg keyset pages of 10,000 over hexie_events in
                                 log order, every state decoded by orjson (ceiling)
library_projection_runner_count  the library's ProjectionRunner over the same table
                                 (hexie's mapper), its projection only counting and
                                 tracking in memory (baseline, as the yardstick's scan.py)
hexie_rebuild                    projections.rebuild.rebuild(db) of every projection
raw_fetch_fold                   asyncpg fetch of the long case + orjson + a fold (ceiling)
hexie_case_history / _state      Hexie.case_history / Hexie.get_case of the long case
hexie_matrix                     projections.annex1.matrix(db)
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from typing import Any
from uuid import UUID

import asyncpg
import orjson

from .common import Config, log

PAGE = 10_000


async def raw_scan(url_dsn: str, schema: str) -> int:
    conn = await asyncpg.connect(url_dsn)
    try:
        st = await conn.prepare(
            f'SELECT notification_id, originator_id, originator_version, topic, state FROM "{schema}".hexie_events '
            "WHERE notification_id > $1 ORDER BY notification_id LIMIT $2")
        loads, n, last = orjson.loads, 0, 0
        while rows := await st.fetch(last, PAGE):
            for r in rows:
                loads(r[4])
            n += len(rows)
            last = rows[-1][0]
        return n
    finally:
        await conn.close()


def timed_passes(name: str, reps: int, expect: int, fn: Any) -> list[float]:
    rates = []
    for rep in range(reps):
        t0 = time.perf_counter()
        n = fn()
        dt = time.perf_counter() - t0
        if n != expect:
            raise RuntimeError(f"{name}: read {n} events, expected {expect}")
        rates.append(n / dt)
        log(f"  {name} rep {rep + 1}: {rates[-1]:,.0f} ev/s ({dt:.2f} s)")
    return rates


def library_runner(url: str, events: int) -> int:
    """The library's ProjectionRunner over hexie's store; returns when `events` were counted."""
    from eventsourcing.dispatch import singledispatchmethod
    from eventsourcing.persistence import Tracking
    from eventsourcing.popo import POPOTrackingRecorder
    from eventsourcing.projection import Projection, ProjectionRunner

    from hexie.domain.application import Hexie

    class BenchHexie(Hexie):
        # The runner constructs its application as `cls(env)`: bind the data set's URL here
        # (and keep the name: the library would name a subclass, and its table, after the class).
        name = Hexie.name

        def __init__(self, env: Any = None):
            super().__init__(url, env)

    class CountProjection(Projection[POPOTrackingRecorder]):
        name = "CountProjection"

        def __init__(self, view: POPOTrackingRecorder) -> None:
            super().__init__(view)
            self.count, self.done = 0, threading.Event()

        @singledispatchmethod
        def process_event(self, domain_event: Any, tracking: Tracking) -> None:
            self.view.insert_tracking(tracking)
            self.count += 1
            if tracking.notification_id >= events:
                self.done.set()

    # The library's own mapper, not hexie's sealing one: a counting view needs no personal
    # data, and opening it costs a key lookup per person (that is hexie's work, not the
    # library's). hexie's transcoder stays: it is how the stored bytes are written.
    env = {"COUNTPROJECTION_PERSISTENCE_MODULE": "eventsourcing.popo",
           "MAPPER_TOPIC": "eventsourcing.persistence:Mapper"}
    with ProjectionRunner(application_class=BenchHexie, projection_class=CountProjection,
                          view_class=POPOTrackingRecorder, env=env) as runner:
        projection: Any = runner.projection
        if not projection.done.wait(timeout=max(60, events / 2000)):
            raise TimeoutError("the library's projection runner did not finish")
        return int(projection.count)


class Phases:
    """`out` for rebuild(): notes when the build pass ends (its final progress line ends with a newline)."""

    def __init__(self) -> None:
        self.built_at: float | None = None
        self.text = ""

    def write(self, s: str) -> None:
        if self.built_at is None and s.endswith("\n"):
            self.built_at = time.perf_counter()
        self.text = (self.text + s)[-2000:]

    def flush(self) -> None:
        pass


async def hexie_rebuild(url: str) -> dict[str, Any]:
    from hexie.projections.engine import connect, rebuild
    from hexie.projections.read_models import PROJECTIONS

    db = connect(url)
    try:
        phases = Phases()
        t0 = time.perf_counter()
        result = await rebuild(db, PROJECTIONS, None, out=phases)
        total = time.perf_counter() - t0
    finally:
        await db.close()
    if not result.identical:
        log(f"  rebuild: {result.line()}")
    return {"seconds": total, "build_s": None if phases.built_at is None else phases.built_at - t0,
            "identical": result.identical, "position": result.position}


# -- one long case ---------------------------------------------------------------------------


async def raw_fetch_fold(cfg: Config, schema: str, case_id: UUID, expect: int) -> list[float]:
    """ms per load: fetch the case's rows, decode each state, fold them into a dict."""
    conn = await asyncpg.connect(cfg.db_dsn)
    try:
        st = await conn.prepare(f'SELECT originator_version, topic, state FROM "{schema}".hexie_events '
                                "WHERE originator_id = $1 ORDER BY originator_version")
        loads = orjson.loads

        async def load() -> int:
            state: dict[str, Any] = {}
            for version, topic, raw in await st.fetch(case_id):
                data = loads(raw)
                data.pop("meta"), data.pop("timestamp"), data.pop("originator_topic", None)
                state.update(data)  # every field the event carries is the case's latest value of it
                state["version"] = version
            return state["version"]

        return await _repeat_async(load, cfg.replay_reps, expect)
    finally:
        await conn.close()


async def _repeat_async(fn: Any, reps: int, expect: int) -> list[float]:
    if await fn() != expect:  # warm-up, and the check that we read the whole case
        raise RuntimeError("raw fetch did not read the whole case")
    out = []
    for _ in range(reps):
        gc.collect()  # every repetition starts with the same (empty) GC debt, as the yardstick
        t0 = time.perf_counter()
        await fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def repeat(fn: Any, reps: int, budget_s: float | None = None, minimum: int = 10) -> list[float]:
    """ms per call after one warm-up call; stops early past `budget_s` (with at least `minimum` calls)."""
    fn()
    out, start = [], time.perf_counter()
    for i in range(reps):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
        if budget_s is not None and i + 1 >= minimum and time.perf_counter() - start > budget_s:
            break
    return out


async def _history(url: str, case_id: UUID, expect: int, reps: int) -> list[float]:
    """ms per full history, as `GET /v1/cases/{id}/events` reads it (asyncpg, the read side's pool,
    opened by a warm-up call before the clock starts)."""
    from hexie.projections.engine import connect
    from hexie.projections.history import case_events

    db = connect(url)
    try:
        async def once() -> None:
            if len(await case_events(db, str(case_id))) != expect:
                raise RuntimeError("case_events read a different number of events")

        await once()
        out = []
        for _ in range(reps):
            gc.collect()
            t0 = time.perf_counter()
            await once()
            out.append((time.perf_counter() - t0) * 1000)
        return out
    finally:
        await db.close()


def case_reads(cfg: Config, url: str, case_id: UUID, expect: int) -> dict[str, list[float]]:
    from hexie.domain.application import Hexie

    hexie = Hexie(url)
    try:
        case = hexie.get_case(case_id)
        if case.version != expect:
            raise RuntimeError(f"get_case read version {case.version}, expected {expect}")
        history = asyncio.run(_history(url, case_id, expect, cfg.replay_reps))
        # p99 wants ~100 calls; if each one replays the whole case that takes a while,
        # so cap the time (the row says how many calls the p99 is of).
        state = repeat(lambda: hexie.get_case(case_id), cfg.state_samples, budget_s=30 if not cfg.quick else 5)
        return {"history": history, "state": state}
    finally:
        hexie.close()


async def matrix_latencies(url: str, calls: int) -> list[float]:
    from hexie.projections import annex1
    from hexie.projections.engine import connect

    db = connect(url)
    try:
        document = await annex1.matrix(db)
        if not document["rows"]:
            raise RuntimeError("the Annex 1 matrix is empty")
        for _ in range(3):
            await annex1.matrix(db)
        out = []
        for _ in range(calls):
            t0 = time.perf_counter()
            await annex1.matrix(db)
            out.append((time.perf_counter() - t0) * 1000)
        return out
    finally:
        await db.close()


def scan_rates(cfg: Config, data: dict[str, Any]) -> dict[str, list[float]]:
    events, schema, url = int(data["events"]), data["schema"], data["url"]
    asyncio.run(raw_scan(cfg.db_dsn, schema))  # warm the page cache and shared buffers once (untimed)
    raw = timed_passes("raw_keyset_orjson_scan", cfg.reps, events, lambda: asyncio.run(raw_scan(cfg.db_dsn, schema)))
    lib = timed_passes("library_projection_runner_count", cfg.reps, events, lambda: library_runner(url, events))
    return {"raw": raw, "library": lib}

