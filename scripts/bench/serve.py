"""What is measured through the real server: appends, the matrix over HTTP, the export.

hexie_http_append_c16  a fresh schema; `hexie serve --workers N`; 16 enterprises opened per
                       repetition (plus 16 for the warm-up); then 16 clients, one keep-alive
                       connection each, append HeadcountReported to their own case for
                       `seconds`; durable (server defaults); CHECKPOINT before each repetition.
hexie_export           GET /v1/export/timeline?format=ndjson over the whole data set, read as it
                       streams; the server's resident memory sampled meanwhile and read when a
                       tenth of the lines and when all of them have arrived.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import asyncpg
import orjson

from .common import Config, checkpoint, cpu_snapshot, cpu_usage, fresh_schema, log, median_of
from .server import Http, Server, cpu_seconds, create_token, latencies, rss_kb

EXPORT_PATH = "/v1/export/timeline?format=ndjson"


def enterprise(i: int, tag: int) -> dict[str, Any]:
    from hexie.domain.identifiers import uscc_check_char

    first17 = f"91430602{tag:03d}{i:06d}"
    return {"type": "EnterpriseEnrolled", "data": {
        "name": f"岳阳基准测试{tag}-{i}有限公司", "uscc": first17 + uscc_check_char(first17), "unit": "岳阳楼区",
        "address": "岳阳市岳阳楼区青年中路1号", "industry": "C", "ownership": "private", "contact_name": "张伟",
        "contact_phone": "13800000000", "headcount": 120, "newly_registered": False}}


async def _open_cases(conns: list[Http], tag: int) -> list[str]:
    async def one(k: int) -> str:
        status, body = await conns[k].request("POST", "/v1/cases/", orjson.dumps(enterprise(k, tag)))
        if status != 201:
            raise RuntimeError(f"opening a case: HTTP {status}: {body[:300]!r}")
        return orjson.loads(body)["case_id"]

    return list(await asyncio.gather(*[one(k) for k in range(len(conns))]))


async def _client(conn: Http, case_id: str, deadline: float, lat: list[float]) -> int:
    path, n = f"/v1/cases/{case_id}/events", 0
    while time.perf_counter() < deadline:
        body = orjson.dumps({"type": "HeadcountReported", "data": {"headcount": 100 + n % 50}})
        t0 = time.perf_counter()
        status, answer = await conn.request("POST", path, body)
        if status != 201:
            raise RuntimeError(f"append: HTTP {status}: {answer[:300]!r}")
        lat.append((time.perf_counter() - t0) * 1000)
        n += 1
    return n


async def _appends(cfg: Config, port: int, token: str, schema: str, pids: list[int]) -> dict[str, Any]:
    conns = [await Http(port, token).open() for _ in range(cfg.clients)]
    admin = await asyncpg.connect(cfg.db_dsn)
    try:
        case_sets = [await _open_cases(conns, tag) for tag in range(cfg.reps + 1)]
        warm = time.perf_counter() + 1.0
        acknowledged = sum(map(len, case_sets))
        acknowledged += sum(await asyncio.gather(*[_client(c, k, warm, []) for c, k in zip(conns, case_sets[0])]))
        rates, cpu, lat = [], [], []
        for rep in range(cfg.reps):
            await checkpoint(admin)
            rep_lat: list[float] = []
            backends = [r[0] for r in await admin.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'")]
            b0, s0, c0, t0 = cpu_seconds(backends), cpu_seconds(pids), cpu_snapshot(), time.perf_counter()
            counts = await asyncio.gather(*[_client(c, k, t0 + cfg.seconds, rep_lat)
                                            for c, k in zip(conns, case_sets[rep + 1])])
            elapsed = time.perf_counter() - t0
            # Where the CPU went: this client, the server's processes, and the machine as a whole
            # (the rest of it is PostgreSQL and whatever else shares the machine).
            cpu.append({**cpu_usage(c0, cpu_snapshot(), sum(counts)),
                        "server_cpu_us_per_event": round((cpu_seconds(pids) - s0) / max(sum(counts), 1) * 1e6, 1),
                        "postgres_backends_cpu_us_per_event":
                            round((cpu_seconds(backends) - b0) / max(sum(counts), 1) * 1e6, 1)})
            rates.append(sum(counts) / elapsed)
            acknowledged += sum(counts)
            lat += rep_lat
            log(f"  hexie_http_append_c16 rep {rep + 1}: {rates[-1]:,.0f} ev/s")
        # Every 201 is an event durably stored: count them back.
        stored = await admin.fetchval(f'SELECT count(*) FROM "{schema}".hexie_events')
        if stored != acknowledged:
            raise RuntimeError(f"{acknowledged} events acknowledged with 201, {stored} stored")
        return {"rates": rates, "latencies": lat, "stored": stored, **median_of(cpu)}
    finally:
        await admin.close()
        for c in conns:
            await c.close()


def http_append(cfg: Config) -> dict[str, Any]:
    schema = cfg.schema("http")
    asyncio.run(fresh_schema(cfg, schema))
    url = cfg.url(schema)
    token = create_token(url)  # auth is being added: the server may or may not ask for it yet
    with Server(url, cfg.workers) as srv:
        log(f"  server up on port {srv.port} ({cfg.workers} workers)")
        measured = asyncio.run(_appends(cfg, srv.port, token, schema, srv.pids()))
        return {**measured, "server_start_attempts": srv.attempts}


# -- on the stored data set ---------------------------------------------------------------------


class RssSampler(threading.Thread):
    """Peak resident memory of each server process, sampled every 20 ms."""

    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.pids, self.peak = pids, {p: rss_kb(p) for p in pids}
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.02):
            for p in self.pids:
                self.peak[p] = max(self.peak[p], rss_kb(p))


async def _export(port: int, token: str, pids: list[int], events: int) -> dict[str, Any] | None:
    c = await Http(port, token).open()
    try:
        before = {p: rss_kb(p) for p in pids}
        sampler = RssSampler(pids)
        sampler.start()
        t0 = time.perf_counter()
        status, body = await c.stream(EXPORT_PATH)
        if status != 200:
            text = b"".join([chunk async for chunk in body])
            sampler.stopping.set()
            if status == 404:
                return None  # the route is not there (yet)
            raise RuntimeError(f"GET {EXPORT_PATH}: HTTP {status}: {text[:300]!r}")
        lines, mark, at_mark, t_mark = 0, max(1, events // 10), None, None
        async for chunk in body:
            lines += chunk.count(b"\n")
            if at_mark is None and lines >= mark:
                at_mark, t_mark = {p: rss_kb(p) for p in pids}, time.perf_counter()
        elapsed = time.perf_counter() - t0
        at_end = {p: rss_kb(p) for p in pids}
        sampler.stopping.set()
        sampler.join()
        # The serving worker is the process whose memory moved the most.
        pid = max(pids, key=lambda p: sampler.peak[p] - before[p])
        # The first line says what was exported and the last is the digest: count events only.
        exported = events if lines >= events else lines
        return {"lines": lines, "seconds": elapsed, "events_per_s": exported / elapsed, "pid": pid,
                "rss_before_mb": before[pid] / 1024, "rss_at_tenth_mb": (at_mark or at_end)[pid] / 1024,
                "rss_at_end_mb": at_end[pid] / 1024, "peak_rss_mb": sampler.peak[pid] / 1024,
                "tenth_at_s": None if t_mark is None else t_mark - t0}
    finally:
        await c.close()


def on_data_set(cfg: Config, url: str, events: int) -> dict[str, Any]:
    """The matrix over HTTP and the export, from one server on the data set."""
    token = create_token(url)
    with Server(url, cfg.workers) as srv:
        log(f"  server up on port {srv.port} ({cfg.workers} workers) over the data set")
        matrix = asyncio.run(latencies(srv.port, token, "/v1/reports/annex1", cfg.matrix_calls))
        export = asyncio.run(_export(srv.port, token, srv.pids(), events))
        if export is not None:
            log(f"  export: {export['lines']:,} lines in {export['seconds']:.1f} s, peak RSS "
                f"{export['peak_rss_mb']:.0f} MB")
    return {"matrix_http": matrix, "export": export, "server_start_attempts": srv.attempts}

