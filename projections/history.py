"""Events as every listing shows them: the one envelope, a case's history and the global log.

The envelope (DESIGN 2b): `position, case_id, kind, version, type, data, occurred_on,
recorded_at, actor, unit` (and `request_id`). HTTP (`/v1/cases/{id}/events`,
`/v1/events`), the timeline export and the tests all read events through here.

Personal data is sealed at rest; only events whose stored bytes carry a sealed field are
opened, then shown in clear (`reveal`) or masked.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson

from hexie.domain.identifiers import mask_personal
from hexie.domain.kinds import TOPICS
from hexie.domain.sealing import unseal_fields

from .engine import ReadDB, as_bytes

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
