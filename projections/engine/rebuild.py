"""Rebuild projections from the first event into fresh tables and swap them in.

The server keeps answering from the live tables meanwhile. Steps:
1. build `<table>__rebuild` from position 0 up to the head of the log (progress on stderr);
2. pause the live projection (a lease in `projection_positions.paused_until`, renewed
   while we work, so a crashed rebuild releases it within seconds), bring live and
   rebuilt to the same position and compare them table by table;
3. catch up to the head again and, in one transaction, drop the live tables, rename
   the rebuilt ones and bump the projection's generation (live runners then reload).
"""

from __future__ import annotations

import gc
import hashlib
import sys
import time
from dataclasses import dataclass
from typing import Mapping, Sequence

import orjson

from .db import ReadDB
from .projection import Projection
from .runner import Lock, Runner, ensure_positions, head, read_positions

SUFFIX = "__rebuild"
LEASE = 30.0  # seconds a pause lasts unless renewed
HOLD = 200_000  # events a rebuild applies in memory between commits (each changed row written once per commit)


@dataclass
class Comparison:
    position: int
    tables: dict[str, tuple[int, int, bool]]  # table -> (live rows, rebuilt rows, identical)

    @property
    def identical(self) -> bool:
        return all(same for _, _, same in self.tables.values())

    def line(self) -> str:
        rows = sum(live for live, _, _ in self.tables.values())
        if self.identical:
            return f"rebuilt == live at position {self.position}: {len(self.tables)} tables, {rows} rows, identical"
        diffs = ", ".join(f"{t} (live {a} rows, rebuilt {b})" for t, (a, b, same) in self.tables.items() if not same)
        return f"rebuilt != live at position {self.position}: differences in {diffs}"


class Progress:
    def __init__(self, label: str, start: int, goal: int, out=None):
        self.label, self.start, self.goal, self.out = label, start, max(goal, 1), out or sys.stderr
        self.t0 = time.monotonic()
        self.last = 0.0

    def __call__(self, position: int, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self.last < 0.2:
            return
        self.last = now
        done = position - self.start
        rate = done / max(now - self.t0, 1e-9)
        left = max(self.goal - position, 0)
        eta = left / rate if rate > 0 else 0
        width = 30
        filled = int(width * min(position / self.goal, 1))
        self.out.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {position:,}/{self.goal:,} events "
            f"{rate:,.0f} ev/s ETA {int(eta // 60)}:{int(eta % 60):02d}" + ("\n" if final else "")
        )
        self.out.flush()


def _canonical(value):
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return orjson.dumps(orjson.loads(value), option=orjson.OPT_SORT_KEYS).decode()
        except orjson.JSONDecodeError:
            return value
    return value


async def table_digest(db: ReadDB, table: str) -> tuple[int, str]:
    if db.postgres:  # the server sorts and hashes the rows' text itself
        row = await db.fetchrow(f"SELECT COUNT(*), md5(string_agg(t::text, E'\\n' ORDER BY t::text)) FROM {table} t")
        return row[0], row[1] or ""
    rows = await db.fetch(f"SELECT * FROM {table}")
    lines = sorted(orjson.dumps([_canonical(v) for v in tuple(r)]) for r in rows)
    h = hashlib.sha256()
    for line in lines:
        h.update(line)
    return len(lines), h.hexdigest()


async def compare(db: ReadDB, projections: Sequence[Projection], position: int) -> Comparison:
    tables = {}
    for p in projections:
        for table in p.tables:
            summary = p.summaries.get(table)
            if summary is not None:  # a table that vouches for itself (the hash chain's head)
                live, new = await db.fetchrow(summary.format(t=table)), await db.fetchrow(summary.format(t=table + SUFFIX))
                tables[table] = (live[0], new[0], tuple(live) == tuple(new))
                continue
            live_n, live_h = await table_digest(db, table)
            new_n, new_h = await table_digest(db, table + SUFFIX)
            tables[table] = (live_n, new_n, live_h == new_h)
    return Comparison(position, tables)


async def _lease(db: ReadDB, names: Sequence[str], until: float | None) -> None:
    marks = ", ".join(f"${i + 2}" for i in range(len(names)))
    await db.execute(f"UPDATE projection_positions SET paused_until = $1 WHERE name IN ({marks})", until, *names)


async def rebuild(db: ReadDB, projections: Mapping[str, type[Projection]], names: Sequence[str] | None = None,
                  out=None, batch: int = 20_000) -> Comparison:
    """Rebuild `names` (default: all) of `projections` (name -> projection class)."""
    out = out or sys.stderr
    names = list(names or projections)
    unknown = set(names) - set(projections)
    if unknown:
        raise ValueError(f"unknown projection(s) {sorted(unknown)}; known: {sorted(projections)}")
    await ensure_positions(db)
    guard = Lock(db, "rebuild")
    if not await guard.try_acquire():
        raise RuntimeError("another rebuild is running")
    try:
        fresh = [projections[n](suffix=SUFFIX) for n in names]
        for p in fresh:
            for table in p.tables:
                await db.execute(f"DROP TABLE IF EXISTS {p.t(table)}")
            await db.execute("DELETE FROM projection_positions WHERE name = $1", p.name + SUFFIX)
        builder = Runner(db, fresh, batch, pauser=True, hold=HOLD)
        await builder.setup()
        goal = await head(db)
        progress = Progress("rebuild " + ",".join(names), 0, goal, out)
        # The rows held in memory are many long-lived objects: the cyclic collector would scan
        # them again and again for nothing (they hold no cycles). It runs once at the end.
        gc.disable()
        try:
            await builder.catch_up(stop=goal, progress=progress)
        finally:
            gc.enable()
            gc.collect()
        progress(goal, final=True)

        # Hold the live projections still, and bring both sides to one position.
        await _lease(db, names, time.time() + LEASE)
        live = Runner(db, [projections[n]() for n in names], batch, pauser=True)
        await live.setup()
        at = max(min(live.positions.values()), min(builder.positions.values()))
        await live.catch_up(stop=at)
        await builder.catch_up(stop=at)
        await _lease(db, names, time.time() + LEASE)
        result = await compare(db, fresh, at)

        # Catch up with whatever arrived meanwhile, then swap in one transaction.
        await builder.catch_up()
        await _swap(db, fresh, builder)
        out.write(result.line() + "\n")
        return result
    finally:
        try:
            await _lease(db, names, None)
        finally:
            await guard.release()


async def _swap(db: ReadDB, fresh: Sequence[Projection], builder: Runner) -> None:
    async with db.transaction() as tx:
        for p in fresh:
            await tx.fetchrow(
                "SELECT generation FROM projection_positions WHERE name = $1" + (" FOR UPDATE" if db.postgres else ""), p.name
            )
            for table, statements in p.tables.items():
                for index in statements[1:]:  # the rebuilt table's indexes carry its name: recreate them
                    index_name = index.split(" IF NOT EXISTS ")[1].split(" ")[0].format(t=p.t(table))
                    await tx.execute(f"DROP INDEX IF EXISTS {index_name}")
                await tx.execute(f"DROP TABLE IF EXISTS {table}")
                await tx.execute(f"ALTER TABLE {p.t(table)} RENAME TO {table}")
                for index in statements[1:]:
                    await tx.execute(index.format(t=table))
            await tx.execute(
                "UPDATE projection_positions SET position = $1, generation = generation + 1, paused_until = NULL, "
                "updated_at = $2 WHERE name = $3",
                builder.positions[p.name], time.time(), p.name,
            )
            await tx.execute("DELETE FROM projection_positions WHERE name = $1", p.name + SUFFIX)


async def positions(db: ReadDB) -> dict[str, tuple[int, int]]:
    await ensure_positions(db)
    return await read_positions(db)
