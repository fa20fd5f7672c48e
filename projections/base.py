"""What a projection is, and how stored events reach it.

A projection keeps tables in the event store's database. The runner feeds it events
in global order, in batches; the projection changes its in-memory rows, and `flush`
writes the changed rows in the same transaction that records the projection's
position, so every event is counted exactly once across restarts and crashes.

Events arrive as the domain's own event classes (decoded straight from the stored
JSON, without the library's mapper), so handlers dispatch on them with
`functools.singledispatchmethod`, one handler per event.
"""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID

import orjson
from eventsourcing.utils import resolve_topic

from hexie.domain.kinds import TOPICS

# topic -> event class; resolved once per topic
_CLASSES: dict[str, type] = {}


def decode(topic: str, case_id: Any, version: int, state: bytes | dict) -> Any:
    """A stored event as a domain event object (its `timestamp` stays an ISO string).
    `state` may be already parsed (the dict is then used, not copied)."""
    cls = _CLASSES.get(topic)
    if cls is None:
        if topic not in TOPICS:
            raise KeyError(f"unknown event topic {topic}")
        cls = _CLASSES[topic] = resolve_topic(topic)
    data = state if isinstance(state, dict) else orjson.loads(state)
    data["originator_id"] = case_id if isinstance(case_id, UUID) else UUID(case_id)
    data["originator_version"] = version
    event = object.__new__(cls)
    object.__setattr__(event, "__dict__", data)
    return event


def as_bytes(state: Any) -> bytes:
    """A stored state as bytes (SQLite may hand back TEXT if someone rewrote the row)."""
    return state.encode() if isinstance(state, str) else bytes(state)


def event_type(event: Any) -> str:
    return type(event).__name__


class Projection:
    """Base of the read models. Subclasses define `name`, `tables` and `handle`."""

    name: ClassVar[str]
    # table name -> CREATE TABLE statement with `{t}` for the table's name (so a
    # rebuild can create the same tables under a new name), then index statements.
    tables: ClassVar[dict[str, list[str]]]

    def __init__(self, suffix: str = ""):
        self.suffix = suffix  # "" for the live tables, "__rebuild" while rebuilding
        self._handlers: dict[type, Any] = {}

    def t(self, table: str) -> str:
        return table + self.suffix

    async def create_tables(self, db) -> None:
        for table, statements in self.tables.items():
            for statement in statements:
                await db.execute(statement.format(t=self.t(table)))

    async def load(self, db) -> None:
        """(Re)load whatever the projection keeps in memory from its tables."""

    async def prefetch(self, db, events: list[tuple[int, Any]]) -> None:
        """Load the rows this batch of events will touch."""

    def handle(self, event: Any, position: int) -> None:
        raise NotImplementedError

    def apply(self, event: Any, position: int) -> None:
        """`handle`, without singledispatchmethod's cost of binding on every call (Python 3.11
        wraps a new function per attribute access): the handler per event class, found once."""
        cls = type(event)
        handler = self._handlers.get(cls)
        if handler is None:
            dispatcher = type(self).__dict__["handle"].dispatcher
            handler = self._handlers[cls] = dispatcher.dispatch(cls)
        handler(self, event, position)

    async def flush(self, tx) -> None:
        """Write the changed rows (inside the runner's transaction)."""


def dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def loads(text: str | None) -> Any:
    return None if text is None else orjson.loads(text)
