"""Events as every listing shows them: the one envelope, a case's history and the global log.

The envelope (DESIGN 2b): `position, case_id, kind, version, type, data, occurred_on,
recorded_at, actor, unit` (and `request_id`). HTTP (`/v1/cases/{id}/events`,
`/v1/events`), the timeline export and the tests all read events through here.

Personal data is sealed at rest; only events whose stored bytes carry a sealed field are
opened, then shown in clear (`reveal`) or masked.
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Sequence
from uuid import UUID

import orjson

from hexie.domain.identifiers import mask_personal
from hexie.domain.kinds import TOPICS
from hexie.domain.sealing import unseal_fields

from .cut import Cut
from .engine import ReadDB, as_bytes, head

SEALED_MARK = b'"enc:v1:'  # in a stored state: some personal data is sealed in it


def envelope(position: int, case_id: str, version: int, topic: str, stored: dict[str, Any]) -> dict[str, Any]:
    """A stored event, parsed (`stored`, whose envelope keys it takes out), as every listing shows it."""
    meta = stored.pop("meta")
    recorded_at = stored.pop("timestamp")
    stored.pop("originator_topic", None)
    kind, name = TOPICS[topic]
    return {"position": position, "case_id": case_id, "kind": kind, "version": version, "type": name, "data": stored,
            "occurred_on": meta["occurred_on"], "recorded_at": recorded_at, "actor": meta["actor"],
            "unit": meta["unit"], "request_id": meta.get("request_id")}


def case_text(case_id: Any, postgres: bool) -> str:
    """A stored originator id as text: PostgreSQL gives a UUID, SQLite its 32 hex digits."""
    return str(case_id) if postgres else str(UUID(case_id))


async def case_events(db: ReadDB, case_id: str, reveal: bool = False) -> list[dict[str, Any]]:
    """One case's history, oldest first ([] for no such case).

    Built in one lean loop: this is the read a long case's history costs, event by event."""
    if db.postgres:
        rows = await db.fetch(f"SELECT notification_id, originator_version, topic, state FROM {db.events_table} "
                              "WHERE originator_id = $1 ORDER BY originator_version", UUID(case_id))
    else:
        rows = await db.fetch(f"SELECT rowid, originator_version, topic, state FROM {db.events_table} "
                              "WHERE originator_id = $1 ORDER BY originator_version", UUID(case_id).hex)
    loads, out, sealed = orjson.loads, [], []
    for position, version, topic, state in rows:
        raw = state if type(state) is bytes else as_bytes(state)
        event = envelope(position, case_id, version, topic, loads(raw))
        out.append(event)
        if SEALED_MARK in raw:  # personal data is always sealed at rest: only these events hold any
            sealed.append(event)
    if sealed:
        key = await db.vault.key(case_id)
        for event in sealed:
            opened = unseal_fields(event["data"], case_id, key)
            event["data"] = opened if reveal else mask_personal(opened)
    return out


async def stored(db: ReadDB, kinds: Sequence[str] | None = None, upto: int | None = None,
                 page: int = 5000) -> AsyncIterator[tuple[int, Any, int, str, dict[str, Any]]]:
    """Every stored event (of these kinds) up to `upto`, in log order, a page at a time:
    (position, originator id as stored, version, topic, parsed state)."""
    topics = [t for t, (kind, _) in TOPICS.items() if kinds is None or kind in kinds]
    order = "notification_id" if db.postgres else "rowid"
    upto = upto if upto is not None else await head(db)
    marks = ", ".join(f"${i + 3}" for i in range(len(topics)))
    sql = (f"SELECT {order}, originator_id, originator_version, topic, state FROM {db.events_table} "
           f"WHERE {order} > $1 AND {order} <= $2 AND topic IN ({marks}) ORDER BY {order} LIMIT {page}")
    after = 0
    while batch := await db.fetch(sql, after, upto, *topics):
        for position, case_id, version, topic, state in batch:
            yield position, case_id, version, topic, orjson.loads(as_bytes(state))
        after = batch[-1][0]


async def admitted(db: ReadDB, cut: Cut, kinds: Sequence[str] | None = None) -> AsyncIterator[dict[str, Any]]:
    """The events `cut` admits (of these kinds), as listings show them (personal data still sealed)."""
    async for position, case_id, version, topic, state in stored(db, kinds):
        if cut.admits(state["meta"]["occurred_on"], state["timestamp"]):
            yield envelope(position, case_text(case_id, db.postgres), version, topic, state)


async def read_log(db: ReadDB, after: int = 0, limit: int = 100, reveal: bool = False) -> list[dict[str, Any]]:
    """The global log after position `after`, in commit order, at most `limit` events."""
    order = "notification_id" if db.postgres else "rowid"
    rows = await db.fetch(f"SELECT {order}, originator_id, originator_version, topic, state FROM {db.events_table} "
                          f"WHERE {order} > $1 ORDER BY {order} LIMIT $2", after, limit)
    raws = [as_bytes(r[4]) for r in rows]
    await db.vault.prefetch([case_text(r[1], db.postgres) for r, raw in zip(rows, raws) if SEALED_MARK in raw])
    out = []
    for (position, case_id, version, topic, _), raw in zip(rows, raws):
        event = envelope(position, case_text(case_id, db.postgres), version, topic, orjson.loads(raw))
        if SEALED_MARK in raw:
            opened = await db.vault.unseal(event["case_id"], event["data"])
            event["data"] = opened if reveal else mask_personal(opened)
        out.append(event)
    return out
