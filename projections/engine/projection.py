"""What a projection is, and how stored events reach it.

A projection keeps tables in the event store's database. The runner feeds it events
in global order, in batches; the projection changes its in-memory rows, and `flush`
writes the changed rows in the same transaction that records the projection's
position, so every event is counted exactly once across restarts and crashes.

Events arrive as the domain's own event classes (decoded straight from the stored
JSON, without the library's mapper); `handlers()` maps each event class a projection
cares about to its handler, and `default` takes the others.
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar
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
    """Base of the read models. Subclasses define `name`, `tables` and `handlers` (or `handle_raw`)."""

    name: ClassVar[str]
    # table name -> CREATE TABLE statement with `{t}` for the table's name (so a
    # rebuild can create the same tables under a new name), then index statements.
    tables: ClassVar[dict[str, list[str]]]

    # What its tables hold: raise it when an upgrade changes that, and the projection is rebuilt
    # from the first event when the server starts (`runner.create_read_tables`).
    version: ClassVar[int] = 1
    retired_tables: ClassVar[tuple[str, ...]] = ()  # tables earlier versions kept, dropped on the upgrade
    # The runner hands a projection with `needs_raw` the stored rows (`handle_raw`), not decoded events.
    needs_raw: ClassVar[bool] = False
    # table -> a query whose one row stands for the whole table when a rebuild compares it
    # (a hash chain vouches for itself by its head); other tables are compared row by row.
    summaries: ClassVar[dict[str, str]] = {}

    def __init__(self, suffix: str = ""):
        self.suffix = suffix  # "" for the live tables, "__rebuild" while rebuilding
        self._dispatch = self.handlers()

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

    def handlers(self) -> dict[type, Callable[[Any, int], None]]:
        """Event class -> handler(event, position); events not named go to `default`."""
        return {}

    def default(self, event: Any, position: int) -> None:
        """What an event without a handler of its own does (nothing, unless a projection says)."""

    def apply(self, event: Any, position: int) -> None:
        self._dispatch.get(type(event), self.default)(event, position)

    async def flush(self, tx) -> None:
        """Write the changed rows (inside the runner's transaction)."""


def dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def loads(text: str | None) -> Any:
    return None if text is None else orjson.loads(text)
