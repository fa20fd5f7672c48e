"""The projection engine: it follows the log and keeps read models current, knowing none of them.

Its public surface: `Projection` (what a read model is), `ReadDB`/`connect` (the read side's
database), `Runner`/`follow` (exactly-once batches, one runner per projection),
`create_read_tables`, `wait_for`/`head` (read your own write), and `rebuild` (fresh tables
built from the first event, compared and swapped in). The read models are given to it by
the caller (`projections.read_models`).
"""

from .db import ReadDB, connect
from .projection import Projection, as_bytes, decode, dumps, loads
from .rebuild import Comparison, rebuild
from .runner import Paused, Runner, StaleGeneration, create_read_tables, follow, head, wait_for

__all__ = [
    "Comparison", "Paused", "Projection", "ReadDB", "Runner", "StaleGeneration", "as_bytes", "connect",
    "create_read_tables", "decode", "dumps", "follow", "head", "loads", "rebuild", "wait_for",
]
