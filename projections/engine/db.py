"""The read side's database access: asyncpg on PostgreSQL, the standard library on SQLite.

Projections and queries write SQL once, with asyncpg's `$1` placeholders; on SQLite
they become `?1` (sqlite3 numbers its parameters the same way). Portable types only:
TEXT, BIGINT, DOUBLE PRECISION; JSON is stored as TEXT, booleans as 0/1.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Iterable, Sequence
from urllib.parse import parse_qs, urlparse

from hexie.domain.sealing import AsyncVault
from hexie.domain.store import is_postgres

_PLACEHOLDER = re.compile(r"\$(\d+)")


class ReadDB:
    """What projections and queries need from a database."""

    postgres: bool
    events_table: str
    schema: str = ""  # PostgreSQL's schema of the tables ("" on SQLite)
    vault: AsyncVault  # opens the personal data sealed in events and read tables
    # Read-model documents cached with the projection position they were built at
    # (the current Annex 1 matrix): rebuilt only when the projection has moved on.
    memo: dict[str, tuple[int, Any]]

    def __init__(self, url: str):
        self.vault = AsyncVault(self, url)
        self.memo = {}

    async def fetch(self, sql: str, *args: Any) -> list[Any]: ...
    async def fetchrow(self, sql: str, *args: Any) -> Any | None: ...
    async def fetchval(self, sql: str, *args: Any) -> Any: ...
    async def execute(self, sql: str, *args: Any) -> None: ...
    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...
    def transaction(self) -> Any: ...
    async def close(self) -> None: ...


def connect(url: str) -> "ReadDB":
    return PostgresDB(url) if is_postgres(url) else SQLiteDB(url)


# -- SQLite -------------------------------------------------------------------


class _SQLiteTx:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    async def fetch(self, sql: str, *args: Any) -> list[Any]:
        return self.conn.execute(_PLACEHOLDER.sub(r"?\1", sql), args).fetchall()

    async def fetchrow(self, sql: str, *args: Any) -> Any | None:
        return self.conn.execute(_PLACEHOLDER.sub(r"?\1", sql), args).fetchone()

    async def fetchval(self, sql: str, *args: Any) -> Any:
        row = self.conn.execute(_PLACEHOLDER.sub(r"?\1", sql), args).fetchone()
        return None if row is None else row[0]

    async def execute(self, sql: str, *args: Any) -> None:
        self.conn.execute(_PLACEHOLDER.sub(r"?\1", sql), args)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(_PLACEHOLDER.sub(r"?\1", sql), rows)

    async def copy_rows(self, table: str, columns: Sequence[str], rows: list[Sequence[Any]]) -> None:
        marks = ", ".join("?" for _ in columns)
        self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    async def merge_rows(self, table: str, columns: Sequence[str], key: Sequence[str], rows: list[Sequence[Any]]) -> None:
        marks = ", ".join("?" for _ in columns)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}", rows)


class SQLiteDB(ReadDB):
    """sqlite3 with one connection per thread. Writes happen in the projection runner's
    transactions; reads run in worker threads so the event loop never waits on the disk."""

    postgres = False
    events_table = "stored_events"

    def __init__(self, url: str):
        super().__init__(url)
        self.path = url[len("sqlite:///"):]
        self.memory = ":memory:" in self.path
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._shared: sqlite3.Connection | None = None

    def _conn(self) -> sqlite3.Connection:
        if self.memory:  # one shared connection; there is no file to reopen
            if self._shared is None:
                self._shared = self._open()
            return self._shared
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._open()
        return conn

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA synchronous = FULL")
        return conn

    async def _run(self, fn, *args):
        return await asyncio.to_thread(fn, *args)

    async def fetch(self, sql: str, *args: Any) -> list[Any]:
        return await self._run(lambda: self._conn().execute(_PLACEHOLDER.sub(r"?\1", sql), args).fetchall())

    async def fetchrow(self, sql: str, *args: Any) -> Any | None:
        return await self._run(lambda: self._conn().execute(_PLACEHOLDER.sub(r"?\1", sql), args).fetchone())

    async def fetchval(self, sql: str, *args: Any) -> Any:
        row = await self.fetchrow(sql, *args)
        return None if row is None else row[0]

    async def execute(self, sql: str, *args: Any) -> None:
        await self._run(lambda: self._conn().execute(_PLACEHOLDER.sub(r"?\1", sql), args))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        await self._run(lambda: self._conn().executemany(_PLACEHOLDER.sub(r"?\1", sql), rows))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_SQLiteTx]:
        # The runner's transaction is short and CPU-bound; it runs on the loop's thread
        # holding one connection, so BEGIN … COMMIT is one unit.
        conn = self._conn()
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SQLiteTx(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    async def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
        if self._shared is not None:
            self._shared.close()


# -- PostgreSQL ---------------------------------------------------------------


def asyncpg_params(url: str) -> tuple[str, dict[str, str], str]:
    """(dsn without our query, server settings, schema) for asyncpg."""
    parsed = urlparse(url)
    schema = parse_qs(parsed.query).get("schema", ["public"])[0]
    dsn = parsed._replace(query="").geturl()
    return dsn, {"search_path": f'"{schema}"'}, schema


class PostgresDB(ReadDB):
    postgres = True
    events_table = "hexie_events"

    def __init__(self, url: str, min_size: int = 1, max_size: int = 8):
        super().__init__(url)
        self.dsn, self.settings, self.schema = asyncpg_params(url)
        self.min_size, self.max_size = min_size, max_size
        self._pool = None
        self._loop = None

    async def pool(self):
        # A pool belongs to one event loop; scripts and tests may run several in turn.
        loop = asyncio.get_running_loop()
        if self._pool is None or self._loop is not loop:
            import asyncpg

            self._drop_pool()
            self._loop = loop
            self._pool = None
            self._pool = await asyncpg.create_pool(
                self.dsn, min_size=self.min_size, max_size=self.max_size, server_settings=self.settings
            )
        return self._pool

    async def connect_one(self):
        import asyncpg

        return await asyncpg.connect(self.dsn, server_settings=self.settings)

    async def fetch(self, sql: str, *args: Any) -> list[Any]:
        return await (await self.pool()).fetch(sql, *args)

    async def fetchrow(self, sql: str, *args: Any) -> Any | None:
        return await (await self.pool()).fetchrow(sql, *args)

    async def fetchval(self, sql: str, *args: Any) -> Any:
        return await (await self.pool()).fetchval(sql, *args)

    async def execute(self, sql: str, *args: Any) -> None:
        await (await self.pool()).execute(sql, *args)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await (await self.pool()).executemany(sql, list(rows))

    @asynccontextmanager
    async def transaction(self):
        async with (await self.pool()).acquire() as conn:
            async with conn.transaction():
                yield _PostgresTx(conn)

    def _drop_pool(self) -> None:
        """Forget a pool made in another (maybe closed) event loop."""
        if self._pool is not None:
            try:
                self._pool.terminate()
            except RuntimeError:  # its loop is closed: the sockets close with it
                pass
            self._pool = None

    async def close(self) -> None:
        if self._pool is not None and self._loop is asyncio.get_running_loop():
            await self._pool.close()
            self._pool = None
        self._drop_pool()


class _PostgresTx:
    """An asyncpg connection in a transaction, with the bulk writes projections use."""

    def __init__(self, conn):
        self.conn = conn

    def __getattr__(self, name):
        return getattr(self.conn, name)

    async def copy_rows(self, table: str, columns: Sequence[str], rows: list[Sequence[Any]]) -> None:
        """Append rows with COPY: many times faster than INSERTs."""
        if rows:
            await self.conn.copy_records_to_table(table, records=rows, columns=list(columns))

    async def merge_rows(self, table: str, columns: Sequence[str], key: Sequence[str], rows: list[Sequence[Any]]) -> None:
        """Upsert rows: COPY them into a scratch table, then one INSERT … ON CONFLICT."""
        if not rows:
            return
        scratch = f"_merge_{table}"
        await self.conn.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {scratch} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
        await self.conn.copy_records_to_table(scratch, records=rows, columns=list(columns))
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
        cols = ", ".join(columns)
        await self.conn.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {scratch} "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}")
