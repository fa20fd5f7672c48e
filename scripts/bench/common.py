"""What every part of the benchmark shares: the run's settings, statistics,
result rows, the machine description and a few PostgreSQL chores.

Methods follow /work/shared/bench (read there, not copied): medians of repeated
timed runs, a CHECKPOINT before each write repetition, figures compared only
within one run, progress on stderr.
"""

from __future__ import annotations

import asyncio
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[2]  # the checkout (for the commit measured)
BENCH_DB = "hexie_bench"


@dataclass
class Config:
    dsn: str  # where we may create the bench database (never touched otherwise)
    quick: bool
    workers: int
    regen: bool
    prefix: str  # schema prefix; quick runs use their own, dropped at the end
    events: int  # the stored data set
    long_case: int  # events of the one long case (replay, case state)
    seconds: float  # one timed write repetition
    reps: int  # write and scan repetitions
    replay_reps: int
    matrix_calls: int
    state_samples: int  # get_case calls for the p99 (fewer if each is slow, see read.py)
    clients: int = 16
    lib_threads: int = 8
    created: list[str] = field(default_factory=list)  # schemas to drop at the end

    @property
    def db_dsn(self) -> str:
        """asyncpg / psycopg DSN of the bench database."""
        return urlparse(self.dsn)._replace(path="/" + BENCH_DB, query="").geturl()

    def url(self, schema: str) -> str:
        """hexie's HEXIE_DATABASE_URL for a schema of the bench database."""
        return f"{self.db_dsn}?schema={schema}"

    def schema(self, name: str) -> str:
        return f"{self.prefix}{name}"


def log(*args: Any) -> None:
    print(*args, file=sys.stderr, flush=True)


# -- statistics ------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: with 100 samples the p99 is the 99th smallest, never an interpolation."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float], digits: int = 1) -> dict[str, Any]:
    return {"median": round(median(values), digits), "min": round(min(values), digits),
            "max": round(max(values), digits), "reps": [round(v, digits) for v in values]}


def median_of(dicts: list[dict[str, float]]) -> dict[str, float]:
    """Key by key median of per-repetition measurements (CPU use and the like)."""
    return {k: round(median([d[k] for d in dicts if k in d]), 1) for k in (dicts[0] if dicts else {})}


def cpu_snapshot() -> tuple[float, int, int]:
    """(this process's CPU seconds, machine idle jiffies, machine total jiffies)."""
    with open("/proc/stat") as f:
        vals = [int(x) for x in f.readline().split()[1:9]]
    return time.process_time(), vals[3] + vals[4], sum(vals)


def cpu_usage(a: tuple[float, int, int], b: tuple[float, int, int], events: float) -> dict[str, float]:
    """Bench-process CPU per event and how busy the whole machine was (client + server + PostgreSQL)."""
    out = {"client_cpu_us_per_event": round((b[0] - a[0]) / max(events, 1) * 1e6, 1)}
    if b[2] > a[2]:
        out["machine_busy_pct"] = round(100.0 * (1 - (b[1] - a[1]) / (b[2] - a[2])), 1)
    return out


# -- result rows -------------------------------------------------------------------


def row(name: str, value: float | None, unit: str, *, ceiling: str | None = None, ratio: float | None = None,
        goal: str | None = None, met: bool | None = None, note: str | None = None, **detail: Any) -> dict[str, Any]:
    """One line of the table / one entry of `rows` in the JSON (the documented keys first;
    `note` and `detail` only when there is something to say)."""
    out: dict[str, Any] = {"name": name, "value": value, "unit": unit, "ceiling": ceiling,
                           "ratio": None if ratio is None else round(ratio, 3), "goal": goal, "met": met}
    if note:
        out["note"] = note
    if detail:
        out["detail"] = detail
    return out


def at_least(name: str, value: float, unit: str, ceiling: dict[str, Any], goal: float, **kw: Any) -> dict[str, Any]:
    """A throughput compared with a ceiling row: ratio = value / ceiling, met when ratio >= goal."""
    ratio = value / ceiling["value"] if ceiling.get("value") else None
    return row(name, value, unit, ceiling=ceiling["name"], ratio=ratio, goal=f"ratio >= {goal:g}",
               met=None if ratio is None else ratio >= goal, **kw)


def unavailable(name: str, unit: str, why: str, goal: str | None = None, ceiling: str | None = None) -> dict[str, Any]:
    return row(name, None, unit, ceiling=ceiling, goal=goal, note=f"not available: {why}")


# -- the machine -------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_mb() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def _git() -> dict[str, Any]:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                                timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True, timeout=5).stdout.strip()
        return {"hexie_commit": commit or None, "hexie_dirty": bool(dirty)}
    except (OSError, subprocess.SubprocessError):
        return {"hexie_commit": None}


PG_SETTINGS = ("server_version", "fsync", "synchronous_commit", "wal_sync_method", "full_page_writes",
               "shared_buffers", "commit_delay", "max_wal_size")


async def machine(cfg: Config) -> dict[str, Any]:
    import importlib.metadata as md

    import asyncpg

    conn = await asyncpg.connect(cfg.db_dsn)
    try:
        rows = await conn.fetch("SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1::text[])",
                                list(PG_SETTINGS))
    finally:
        await conn.close()
    pg = {r["name"]: r["setting"] + (f" ({r['unit']})" if r["unit"] else "") for r in rows}
    packages = {}
    for pkg in ("eventsourcing", "sanic", "asyncpg", "orjson", "psycopg", "hexie"):
        try:
            packages[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            packages[pkg] = None
    return {
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_mb": _mem_total_mb(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": packages,
        "postgresql": pg,
        **_git(),
    }


# -- PostgreSQL chores ---------------------------------------------------------------


async def ensure_database(cfg: Config) -> None:
    """Create the bench database once; other databases on the server are never touched."""
    import asyncpg

    admin = await asyncpg.connect(cfg.dsn)
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", BENCH_DB):
            try:
                await admin.execute(f'CREATE DATABASE "{BENCH_DB}"')
            except asyncpg.DuplicateDatabaseError:  # another run got there first
                pass
    finally:
        await admin.close()


async def fresh_schema(cfg: Config, schema: str, keep: bool = False) -> None:
    """An empty schema, dropped at the end of the run unless `keep`."""
    import asyncpg

    conn = await asyncpg.connect(cfg.db_dsn)
    try:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await conn.execute(f'CREATE SCHEMA "{schema}"')
    finally:
        await conn.close()
    if not keep and schema not in cfg.created:
        cfg.created.append(schema)


async def drop_schemas(cfg: Config, schemas: list[str]) -> None:
    import asyncpg

    conn = await asyncpg.connect(cfg.db_dsn)
    try:
        for schema in schemas:
            await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await conn.close()


async def checkpoint(conn: Any) -> None:
    """Each write repetition starts from a flushed WAL, as in the yardstick (needs a superuser)."""
    try:
        await conn.execute("CHECKPOINT")
    except Exception as e:  # not a superuser: carry on, as the yardstick does
        log("CHECKPOINT failed:", e)


def run(coro: Any) -> Any:
    return asyncio.run(coro)
