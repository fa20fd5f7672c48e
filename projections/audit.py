"""The audit chain: a hash chain over the global log, and the digests an auditor keeps.

Each event's hash is SHA-256 over its canonical bytes (position, case id, version,
topic and the stored state, as sorted-key JSON); each link is SHA-256 over the
previous link and that hash. The chain table keeps every event's hash and link, so
`verify` can name the first event that was altered, removed, inserted or
reordered; digests (position, count, head link, time) are recorded every
`DIGEST_EVERY` events and at least once a minute while events arrive.

Export lines carry `chain: {prev, hash, link}`, so an export verifies offline,
line by line and against a digest, without the database.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any
from uuid import UUID

import orjson

from .engine import Projection, as_bytes

GENESIS = "0" * 64
DIGEST_EVERY = 10_000
DIGEST_SECONDS = 60.0


def event_hash(position: int, case_id: str, version: int, topic: str, state: Any) -> str:
    """`state` is the stored JSON (bytes) or its decoded object: both hash the same."""
    if isinstance(state, (bytes, bytearray, memoryview, str)):
        state = orjson.loads(bytes(state) if not isinstance(state, str) else state)
    canonical = orjson.dumps([position, str(case_id), version, topic, state], option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()


def link(prev: str, hash_: str) -> str:
    return hashlib.sha256(bytes.fromhex(prev) + bytes.fromhex(hash_)).hexdigest()


class AuditChain(Projection):
    """Every event is handled alike, from its stored row (`needs_raw`)."""

    name = "audit"
    tables = {
        "audit_chain": [
            "CREATE TABLE IF NOT EXISTS {t} (position BIGINT PRIMARY KEY, case_id TEXT NOT NULL, version BIGINT NOT NULL, "
            "event_hash TEXT NOT NULL, prev TEXT NOT NULL, link TEXT NOT NULL)",
        ],
    }
    # Digests are what the system said at a time: history, not a projection, so a
    # rebuild neither replaces nor repeats them (only the live chain records them).
    DIGESTS_DDL = (
        "CREATE TABLE IF NOT EXISTS audit_digests (position BIGINT PRIMARY KEY, count BIGINT NOT NULL, "
        "head TEXT NOT NULL, recorded_at DOUBLE PRECISION NOT NULL)"
    )
    needs_raw = True  # the runner hands this projection the stored rows, not decoded events
    # Two chains are equal when their lengths and heads are: every link hashes all before it.
    summaries = {"audit_chain": "SELECT COUNT(*), MAX(position), (SELECT link FROM {t} ORDER BY position DESC LIMIT 1) FROM {t}"}

    def __init__(self, suffix: str = ""):
        super().__init__(suffix)
        self.head, self.count, self.last_digest_at = GENESIS, 0, 0.0
        self.rows: list[tuple] = []
        self.digests: list[tuple] = []

    async def create_tables(self, db) -> None:
        await super().create_tables(db)
        await db.execute(self.DIGESTS_DDL)

    async def load(self, db) -> None:
        row = await db.fetchrow(f"SELECT link, position FROM {self.t('audit_chain')} ORDER BY position DESC LIMIT 1")
        self.head = row[0] if row else GENESIS
        self.count = await db.fetchval(f"SELECT COUNT(*) FROM {self.t('audit_chain')}") or 0
        self.last_digest_at = await db.fetchval("SELECT MAX(recorded_at) FROM audit_digests") or 0.0
        self.rows, self.digests = [], []

    def handle_raw(self, position: int, case_id: Any, version: int, topic: str, state: Any) -> None:
        """`state`: the stored state, as bytes or parsed (unchanged)."""
        case_id = _uuid(case_id)
        h = event_hash(position, case_id, version, topic, state)
        new = link(self.head, h)
        self.rows.append((position, case_id, version, h, self.head, new))
        self.head = new
        self.count += 1
        if self.count % DIGEST_EVERY == 0 and not self.suffix:
            self.digests.append((position, self.count, new, time.time()))

    async def flush(self, tx) -> None:
        if self.rows and not self.digests and not self.suffix and time.time() - self.last_digest_at > DIGEST_SECONDS:
            last = self.rows[-1]
            self.digests.append((last[0], self.count, last[5], time.time()))
        if self.rows:
            await tx.copy_rows(self.t("audit_chain"), ("position", "case_id", "version", "event_hash", "prev", "link"), self.rows)
        if self.digests:
            await tx.executemany(
                "INSERT INTO audit_digests (position, count, head, recorded_at) VALUES ($1, $2, $3, $4) "
                "ON CONFLICT (position) DO NOTHING", self.digests
            )
            self.last_digest_at = self.digests[-1][3]
        self.rows, self.digests = [], []


def _uuid(case_id: Any) -> str:
    return str(case_id if isinstance(case_id, UUID) else UUID(str(case_id)))


# -- digests and verification -------------------------------------------------------


async def digest(db) -> dict[str, Any]:
    """The chain's current head: what an auditor writes down."""
    row = await db.fetchrow("SELECT position, link FROM audit_chain ORDER BY position DESC LIMIT 1")
    count = await db.fetchval("SELECT COUNT(*) FROM audit_chain") or 0
    position, head = (row[0], row[1]) if row else (0, GENESIS)
    return {"position": position, "count": count, "head": head, "time": _now()}


async def digest_at(db, position: int) -> dict[str, Any]:
    """The digest as it stood after the event at `position`."""
    row = await db.fetchrow("SELECT position, link FROM audit_chain WHERE position <= $1 ORDER BY position DESC LIMIT 1", position)
    count = await db.fetchval("SELECT COUNT(*) FROM audit_chain WHERE position <= $1", position) or 0
    at, head = (row[0], row[1]) if row else (0, GENESIS)
    return {"position": at, "count": count, "head": head, "time": _now()}


async def recorded_digests(db, limit: int = 100) -> list[dict[str, Any]]:
    rows = await db.fetch("SELECT position, count, head, recorded_at FROM audit_digests ORDER BY position DESC LIMIT $1", limit)
    return [{"position": r[0], "count": r[1], "head": r[2], "time": _iso(r[3])} for r in rows]


def _now() -> str:
    return _iso(time.time())


def _iso(seconds: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).isoformat(timespec="seconds")


class Finding(dict):
    """{"problem": altered|removed|inserted|reordered|broken_link|digest_mismatch, "position", "detail"}"""


async def verify_database(db, page: int = 10_000) -> dict[str, Any]:
    """Recompute every event's hash and the chain; compare with the recorded chain and digests.

    The first difference is named: `altered` (content changed), `reordered` (an event
    now sits at another event's position), `inserted` (a position the chain never
    recorded), `removed` (a recorded event is gone), `broken_link` (the chain table
    itself was edited) or `digest_mismatch` (a kept digest disagrees).
    """
    order = "notification_id" if db.postgres else "rowid"
    recorded: dict[int, tuple[str, int, str, str]] = {}
    where: dict[tuple[str, int], int] = {}
    for r in await db.fetch("SELECT position, case_id, version, event_hash, link FROM audit_chain ORDER BY position"):
        recorded[r[0]] = (r[1], r[2], r[3], r[4])
        where[(r[1], r[2])] = r[0]
    chain_head = max(recorded) if recorded else 0
    order_of_record = sorted(recorded)
    next_index = 0
    seen: set[int] = set()
    head, count, after, first = GENESIS, 0, 0, None
    while first is None:
        rows = await db.fetch(
            f"SELECT {order}, originator_id, originator_version, topic, state FROM {db.events_table} "
            f"WHERE {order} > $1 AND {order} <= $2 ORDER BY {order} LIMIT $3", after, chain_head, page)
        if not rows:
            break
        for position, case_id, version, topic, state in rows:
            seen.add(position)
            case_id = _uuid(case_id)
            while next_index < len(order_of_record) and order_of_record[next_index] < position:
                missing = order_of_record[next_index]
                first = Finding(problem="removed", position=missing, detail="a recorded event is no longer in the store")
                break
            if first is not None:
                break
            expected = recorded.get(position)
            if expected is not None:
                next_index += 1
            if expected is None:
                first = Finding(problem="inserted", position=position, detail="an event at a position the chain never recorded")
                break
            h = event_hash(position, case_id, version, topic, as_bytes(state))
            if h != expected[2]:
                elsewhere = where.get((case_id, version))
                if elsewhere is not None and elsewhere != position:
                    first = Finding(problem="reordered", position=position,
                                    detail=f"the event recorded at position {elsewhere} is now here")
                else:
                    first = Finding(problem="altered", position=position, detail="the event's content changed")
                break
            head = link(head, h)
            count += 1
            if head != expected[3]:
                first = Finding(problem="broken_link", position=position, detail="the chain table was changed")
                break
        else:
            after = rows[-1][0]
            continue
        break
    if first is None:
        missing = sorted(set(recorded) - seen)
        if missing:
            first = Finding(problem="removed", position=missing[0], detail="a recorded event is no longer in the store")
    if first is None:
        for d in await recorded_digests(db, limit=1_000_000):
            if d["position"] in recorded and recorded[d["position"]][3] != d["head"]:
                first = Finding(problem="digest_mismatch", position=d["position"], detail="a recorded digest disagrees")
                break
    return {"ok": first is None, "checked": count, "head": head, "position": chain_head, "first_problem": first}
