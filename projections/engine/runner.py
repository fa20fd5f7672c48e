"""The projection runner: follows the global log and keeps the read models current.

Exactly once: a batch of events changes the projections in memory and is written,
with each projection's new position, in one transaction. A crash before the commit
loses nothing: the runner reloads from the tables and reads the batch again.

One runner per projection at a time: on PostgreSQL each projection is guarded by a
session advisory lock held on a dedicated connection (released by the server when
that process dies, so another process takes over within `LOCK_RETRY` seconds); on
SQLite by an exclusive file lock next to the database.

A rebuild (see `rebuild.py`) swaps new tables in and bumps the projection's
`generation`; a runner whose generation is stale discards its memory and reloads.
"""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import os
import time
from typing import Any, Callable, Sequence

import orjson
import structlog

from .db import ReadDB
from .projection import Projection, as_bytes, decode

log = structlog.get_logger("hexie.projections")

BATCH = 5000
LOCK_RETRY = 1.0  # seconds between attempts to take over a projection
POLL = 0.25  # seconds between looks at the log when nothing notifies us

POSITIONS_DDL = (
    "CREATE TABLE IF NOT EXISTS projection_positions ("
    "name TEXT PRIMARY KEY, position BIGINT NOT NULL, generation BIGINT NOT NULL, updated_at DOUBLE PRECISION, "
    "paused_until DOUBLE PRECISION)"
)


class StaleGeneration(Exception):
    """The projection's tables were swapped by a rebuild under this runner."""


class Paused(Exception):
    """A rebuild holds the projection still while it compares and swaps tables."""


async def ensure_positions(db: ReadDB) -> None:
    await db.execute(POSITIONS_DDL)


VERSIONS_DDL = "CREATE TABLE IF NOT EXISTS projection_versions (name TEXT PRIMARY KEY, version BIGINT NOT NULL)"


async def create_read_tables(db: ReadDB, projections: Sequence[Projection], attempts: int = 5) -> None:
    """The projections' tables, once; several server processes may race here at start.

    A projection whose `version` differs from the one its tables were built by (an upgrade that
    changed what it keeps) is started again from the first event: its tables are dropped and made
    anew, and its position goes back to 0 with a new generation, so runners reload."""
    for attempt in range(attempts):
        try:
            await ensure_positions(db)
            await db.execute(VERSIONS_DDL)
            for p in projections:
                await _upgrade(db, p)
                await p.create_tables(db)
            return
        except Exception:  # e.g. two CREATE TABLE IF NOT EXISTS racing on PostgreSQL's catalog
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.2 * (attempt + 1))


async def _upgrade(db: ReadDB, p: Projection) -> None:
    stored = await db.fetchval("SELECT version FROM projection_versions WHERE name = $1", p.name)
    if stored is None:  # tables from before versions were kept were built by version 1; new ones by this
        built = await db.fetchval("SELECT COUNT(*) FROM projection_positions WHERE name = $1", p.name)
        stored = 1 if built else p.version
    if stored != p.version:
        log.warning("projection changed shape: rebuilding it from the first event", name=p.name,
                    was=stored, now=p.version)
        async with db.transaction() as tx:
            for table in (*p.tables, *p.retired_tables):
                await tx.execute(f"DROP TABLE IF EXISTS {p.t(table)}")
            await tx.execute("UPDATE projection_positions SET position = 0, generation = generation + 1 WHERE name = $1",
                             p.name)
    await db.execute("INSERT INTO projection_versions (name, version) VALUES ($1, $2) "
                     "ON CONFLICT (name) DO UPDATE SET version = excluded.version", p.name, p.version)


async def read_positions(db: ReadDB) -> dict[str, tuple[int, int]]:
    rows = await db.fetch("SELECT name, position, generation FROM projection_positions")
    return {r[0]: (r[1], r[2]) for r in rows}


async def fetch_events(db: ReadDB, after: int, limit: int, stop: int | None = None) -> list[Any]:
    order = "notification_id" if db.postgres else "rowid"
    sql = f"SELECT {order}, originator_id, originator_version, topic, state FROM {db.events_table} WHERE {order} > $1"
    args: list[Any] = [after]
    if stop is not None:
        sql += f" AND {order} <= $2"
        args.append(stop)
    sql += f" ORDER BY {order} LIMIT ${len(args) + 1}"
    return await db.fetch(sql, *args, limit)


async def head(db: ReadDB) -> int:
    order = "notification_id" if db.postgres else "rowid"
    return await db.fetchval(f"SELECT COALESCE(MAX({order}), 0) FROM {db.events_table}") or 0


class Lock:
    """Who runs a projection: a PostgreSQL advisory lock or a file lock."""

    def __init__(self, db: ReadDB, key: str):
        self.db, self.key, self.held = db, key, False
        self._conn = None
        self._fd: int | None = None

    def _ids(self) -> tuple[int, int]:
        digest = hashlib.sha256(f"hexie:{self.db.schema}:{self.key}".encode()).digest()
        return int.from_bytes(digest[:4], "big", signed=True), int.from_bytes(digest[4:8], "big", signed=True)

    async def try_acquire(self) -> bool:
        if self.held and not (self.db.postgres and (self._conn is None or self._conn.is_closed())):
            return True
        self.held = False
        if self.db.postgres:
            if self._conn is None or self._conn.is_closed():
                self._conn = await self.db.connect_one()
            self.held = await self._conn.fetchval("SELECT pg_try_advisory_lock($1, $2)", *self._ids())
        else:
            if self.db.memory:
                self.held = True
                return True
            if self._fd is None:
                self._fd = os.open(f"{self.db.path}.{self.key}.lock", os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self.held = True
            except BlockingIOError:
                self.held = False
        return self.held

    @property
    def connection(self):
        return self._conn

    async def release(self) -> None:
        if self.db.postgres and self._conn is not None:
            if not self._conn.is_closed():
                await self._conn.close()  # closing the session releases its advisory locks
            self._conn = None
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None
        self.held = False


class Runner:
    """Feeds a set of projections from the log, in batches, each batch one transaction."""

    def __init__(
        self, db: ReadDB, projections: Sequence[Projection], batch: int = BATCH, pauser: bool = False, hold: int = 0
    ):
        self.db = db
        self.projections = list(projections)
        self.batch = batch
        self.pauser = pauser  # the rebuild itself may move a paused projection
        # Events applied in memory before a commit: a rebuild holds many (each changed row
        # is written once per commit, however many events touched it); a live runner none.
        self.hold = hold
        self.held = 0
        self.applied: dict[str, int] = {}
        self.positions: dict[str, int] = {}
        self.generations: dict[str, int] = {}

    async def setup(self) -> None:
        await ensure_positions(self.db)
        for p in self.projections:
            await p.create_tables(self.db)
            key = self.key(p)
            await self.db.execute(
                "INSERT INTO projection_positions (name, position, generation, updated_at) VALUES ($1, 0, 0, $2) "
                "ON CONFLICT (name) DO NOTHING",
                key, time.time(),
            )
        await self.reload()

    @staticmethod
    def key(p: Projection) -> str:
        return p.name + p.suffix

    async def reload(self) -> None:
        stored = await read_positions(self.db)
        for p in self.projections:
            self.positions[p.name], self.generations[p.name] = stored[self.key(p)]
            await p.load(self.db)
        self.applied = dict(self.positions)
        self.held = 0

    async def step(self, stop: int | None = None) -> int:
        """Read and apply one batch; commit when `hold` events have gathered (every batch by
        default). Returns how many events it read; at the end of the log it commits what is held."""
        if not self.pauser:
            keys = [self.key(p) for p in self.projections]
            marks = ", ".join(f"${i + 2}" for i in range(len(keys)))
            if await self.db.fetchval(
                f"SELECT COUNT(*) FROM projection_positions WHERE paused_until > $1 AND name IN ({marks})", time.time(), *keys
            ):
                raise Paused(",".join(keys))
        try:
            rows = await fetch_events(self.db, min(self.applied.values()), self.batch, stop)
            if not rows:
                if self.held:
                    await self.commit()
                return 0
            await self.apply(rows)
            self.held += len(rows)
            if self.held >= self.hold:
                await self.commit()
        except BaseException:
            await self.reload()  # memory may hold changes that were never committed
            raise
        return len(rows)

    async def apply(self, rows: list[Any]) -> None:
        last = rows[-1][0]
        raw = [p for p in self.projections if p.needs_raw]
        decoded = [p for p in self.projections if not p.needs_raw]
        states = [orjson.loads(as_bytes(r[4])) for r in rows]  # parsed once, for every projection
        for p in raw:  # before `decode` adds the envelope's keys to the parsed states
            since = self.applied[p.name]
            handle = p.handle_raw
            for r, state in zip(rows, states):
                if r[0] > since:
                    handle(r[0], r[1], r[2], r[3], state)
        if decoded:
            events = [(r[0], decode(r[3], r[1], r[2], state)) for r, state in zip(rows, states)]
            for p in decoded:
                since = self.applied[p.name]
                mine = events if events[0][0] > since else [(pos, ev) for pos, ev in events if pos > since]
                await p.prefetch(self.db, mine)
                apply = p.apply
                for pos, ev in mine:
                    apply(ev, pos)
        for p in self.projections:  # a projection ahead of the others stays where it is
            self.applied[p.name] = max(self.applied[p.name], last)

    async def commit(self) -> None:
        async with self.db.transaction() as tx:
            for p in self.projections:
                row = await tx.fetchrow(
                    "SELECT generation, position, paused_until FROM projection_positions WHERE name = $1"
                    + (" FOR UPDATE" if self.db.postgres else ""),
                    self.key(p),
                )
                if row[2] is not None and row[2] > time.time() and not self.pauser:
                    raise Paused(p.name)
                # Tables swapped by a rebuild, or another runner got here first: start over.
                if (row[0], row[1]) != (self.generations[p.name], self.positions[p.name]):
                    raise StaleGeneration(p.name)
            for p in self.projections:
                await p.flush(tx)
                await tx.execute(
                    "UPDATE projection_positions SET position = $1, updated_at = $2 WHERE name = $3",
                    self.applied[p.name], time.time(), self.key(p),
                )
        self.positions = dict(self.applied)
        self.held = 0

    async def catch_up(self, stop: int | None = None, progress: Callable[[int], None] | None = None) -> int:
        total = 0
        while True:
            n = await self.step(stop)
            if n == 0:
                return total
            total += n
            if progress:
                progress(min(self.applied.values()))


async def follow(
    db: ReadDB, projections: Sequence[Projection], stopping: asyncio.Event, batch: int = BATCH,
    wake: asyncio.Event | None = None,
) -> None:
    """Run in a server process: take over whichever projections nobody runs, keep them current.

    Every server process runs this; the locks make exactly one of them work on each
    projection, and the others wait to take over.
    """
    locks = {p.name: Lock(db, f"projection:{p.name}") for p in projections}
    wake = wake or asyncio.Event()  # set by NOTIFY, or by this process's own writes
    listening = None
    runner: Runner | None = None
    try:
        await ensure_positions(db)
        while not stopping.is_set():
            held = [p for p in projections if await locks[p.name].try_acquire()]
            if not held:
                await _sleep(stopping, LOCK_RETRY)
                continue
            if runner is None or {p.name for p in runner.projections} != {p.name for p in held}:
                runner = Runner(db, held, batch)
                await runner.setup()
                log.info("projections running", names=[p.name for p in held], pid=os.getpid())
                if db.postgres and listening is None:
                    listening = locks[held[0].name].connection
                    await listening.add_listener(db.events_table, lambda *_: wake.set())
            try:
                n = await runner.step()
            except StaleGeneration as e:
                log.info("projection moved under us (rebuild or another runner); reloaded", name=str(e))
                continue
            except Paused:
                await _sleep(stopping, POLL)
                continue
            except Exception:
                log.exception("projection batch failed; retrying")
                await _sleep(stopping, LOCK_RETRY)
                continue
            if n == 0:
                wake.clear()
                await _wait(stopping, wake, POLL if not db.postgres else LOCK_RETRY)
            if len(held) < len(projections):
                await asyncio.sleep(0)  # look for orphaned projections on the next turn
    finally:
        for lock in locks.values():
            await lock.release()


async def _sleep(stopping: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stopping.wait(), seconds)
    except asyncio.TimeoutError:
        pass


async def _wait(stopping: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    done, pending = await asyncio.wait(
        [asyncio.ensure_future(stopping.wait()), asyncio.ensure_future(wake.wait())],
        timeout=seconds, return_when=asyncio.FIRST_COMPLETED,
    )
    for task in pending:
        task.cancel()


async def wait_for(db: ReadDB, names: Sequence[str], position: int, timeout: float = 5.0) -> bool:
    """Wait until every named projection has processed `position` (read your own write)."""
    deadline = time.monotonic() + timeout
    placeholders = ", ".join(f"${i + 1}" for i in range(len(names)))
    while True:
        low = await db.fetchval(f"SELECT MIN(position) FROM projection_positions WHERE name IN ({placeholders})", *names)
        if low is not None and low >= position:
            return True
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(0.02)
