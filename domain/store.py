"""Where events are kept: the library's recorders, orjson, and the request table.

`HEXIE_DATABASE_URL` picks the backend:
  sqlite:///var/hexie.sqlite3          a file, relative to the working directory (default)
  sqlite:////abs/path/hexie.sqlite3    an absolute path
  sqlite:///:memory:                   in memory (tests)
  postgresql://user[:pw]@host:port/db[?schema=name]   PostgreSQL, optionally in a schema

Events are stored as plain orjson bytes, so the read side can scan and decode
them without the library. An idempotency key is written to `hexie_requests` in
the same transaction as the events it answered, so a retry can never store twice.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import parse_qs, unquote, urlparse
from uuid import UUID

import orjson
from eventsourcing.persistence import Transcoder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL, Identifier

DEFAULT_DATABASE_URL = "sqlite:///var/hexie.sqlite3"


def database_url() -> str:
    return os.environ.get("HEXIE_DATABASE_URL") or DEFAULT_DATABASE_URL


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def library_env(url: str) -> dict[str, str]:
    """The eventsourcing library's environment for a database URL."""
    parsed = urlparse(url)
    common = {"TRANSCODER_TOPIC": "hexie.domain.store:OrjsonTranscoder", "MAPPER_TOPIC": "hexie.domain.sealing:SealingMapper"}
    if parsed.scheme == "sqlite":
        path = url[len("sqlite:///"):]
        if ":memory:" not in path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return {
            **common,
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "APPLICATION_RECORDER_TOPIC": "hexie.domain.store:SQLiteRecorder",
            "SQLITE_DBNAME": path,
            "SQLITE_LOCK_TIMEOUT": "30",
        }
    if is_postgres(url):
        query = parse_qs(parsed.query)
        env = {
            **common,
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "APPLICATION_RECORDER_TOPIC": "hexie.domain.store:PostgresRecorder",
            "POSTGRES_DBNAME": parsed.path.lstrip("/") or "postgres",
            "POSTGRES_HOST": parsed.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parsed.port or 5432),
            "POSTGRES_USER": unquote(parsed.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parsed.password or ""),
            "POSTGRES_POOL_SIZE": "10",
            "POSTGRES_MAX_OVERFLOW": "10",
            "POSTGRES_LOCK_TIMEOUT": "10",
        }
        if "schema" in query:
            env["POSTGRES_SCHEMA"] = query["schema"][0]
        return env
    raise ValueError(f"HEXIE_DATABASE_URL must start with sqlite:/// or postgresql://, not {url!r}")


class OrjsonTranscoder(Transcoder):
    """Event state as plain JSON. Only the library's own fields need their types back."""

    def encode(self, obj: Any) -> bytes:
        return orjson.dumps(obj)

    def decode(self, data: bytes) -> Any:
        d = orjson.loads(data)
        ts = d.get("timestamp")
        if isinstance(ts, str):
            d["timestamp"] = dt.datetime.fromisoformat(ts)
        state = d.get("state")
        if isinstance(state, dict) and "topic" in d:  # a snapshot of an aggregate
            if "_id" in state:
                state["_id"] = UUID(state["_id"])
            for key in ("_created_on", "_modified_on"):
                if isinstance(state.get(key), str):
                    state[key] = dt.datetime.fromisoformat(state[key])
        return d


REQUESTS_COLUMNS = ("idempotency_key", "fingerprint", "case_id", "version", "kind")
# 身份证号码 -> case, by keyed hash (DESIGN 7): outside the immutable log, so erasing a person deletes it.
PEOPLE_DDL = ("CREATE TABLE IF NOT EXISTS {schema}hexie_person_index (digest TEXT PRIMARY KEY, kind TEXT NOT NULL, "
              "case_id TEXT NOT NULL)")


class SQLiteRecorder(SQLiteApplicationRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS hexie_requests ("
            "idempotency_key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, "
            "case_id TEXT NOT NULL, version INTEGER NOT NULL, kind TEXT NOT NULL)",
            PEOPLE_DDL.format(schema=""),
        ]

    def _insert_events(self, c, stored_events, *, requests: Sequence[tuple] = (), people: Sequence[tuple] = (), **kwargs):
        for row in requests:
            c.execute("INSERT INTO hexie_requests VALUES (?, ?, ?, ?, ?)", row)
        for row in people:  # a second registration of the same person fails here, with the events
            c.execute("INSERT INTO hexie_person_index VALUES (?, ?, ?)", row)
        return super()._insert_events(c, stored_events, **kwargs)

    def select_originators(self, topics: Sequence[str]) -> list[UUID]:
        """The cases with an event of these topics."""
        marks = ", ".join("?" for _ in topics)
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT DISTINCT originator_id FROM {self.events_table_name} WHERE topic IN ({marks})", tuple(topics))
            return [UUID(row[0]) for row in c.fetchall()]

    def find_request(self, key: str) -> dict[str, Any] | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT r.fingerprint, r.case_id, r.version, r.kind, e.rowid AS position "
                f"FROM hexie_requests r JOIN {self.events_table_name} e "
                "ON e.originator_id = replace(r.case_id, '-', '') AND e.originator_version = r.version "
                "WHERE r.idempotency_key = ?",
                (key,),
            )
            row = c.fetchone()
            return dict(zip(("fingerprint", "case_id", "version", "kind", "position"), row)) if row else None


class PostgresRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        schema = Identifier(self.datastore.schema)
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {schema}.hexie_requests ("
                "idempotency_key text PRIMARY KEY, fingerprint text NOT NULL, "
                "case_id uuid NOT NULL, version bigint NOT NULL, kind text NOT NULL)"
            ).format(schema=schema)
        )
        self._insert_request = SQL("INSERT INTO {schema}.hexie_requests VALUES (%s, %s, %s, %s, %s)").format(
            schema=schema
        )
        self._find_request = SQL(
            "SELECT r.fingerprint, r.case_id::text, r.version, r.kind, e.notification_id "
            "FROM {schema}.hexie_requests r JOIN {schema}.{table} e "
            "ON e.originator_id = r.case_id AND e.originator_version = r.version "
            "WHERE r.idempotency_key = %s"
        ).format(schema=schema, table=Identifier(self.events_table_name))
        self.sql_create_statements.append(SQL(PEOPLE_DDL.format(schema="{schema}.")).format(schema=schema))
        self._insert_person = SQL("INSERT INTO {schema}.hexie_person_index VALUES (%s, %s, %s)").format(schema=schema)
        self._select_originators = SQL("SELECT DISTINCT originator_id FROM {schema}.{table} WHERE topic = ANY(%s)").format(
            schema=schema, table=Identifier(self.events_table_name))

    def select_originators(self, topics: Sequence[str]) -> list[UUID]:
        """The cases with an event of these topics."""
        from psycopg.rows import tuple_row

        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(self._select_originators, (list(topics),))
            return [row[0] for row in curs.fetchall()]

    def _insert_events(self, curs, stored_events, *, requests: Sequence[tuple] = (), people: Sequence[tuple] = (),
                       **kwargs) -> None:
        for row in requests:
            curs.execute(self._insert_request, row)
        for row in people:  # a second registration of the same person fails here, with the events
            curs.execute(self._insert_person, row)
        super()._insert_events(curs, stored_events, **kwargs)

    def find_request(self, key: str) -> dict[str, Any] | None:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._find_request, (key,))
            row = curs.fetchone()
            if row is None:
                return None
            values = list(row.values()) if isinstance(row, dict) else list(row)
            return dict(zip(("fingerprint", "case_id", "version", "kind", "position"), values))
