"""The read models the server keeps current, by name (the names `hexie rebuild` takes)."""

from __future__ import annotations

from .annex1 import Annex1
from .audit import AuditChain
from .engine import Projection
from .ledger import Ledger

PROJECTIONS: dict[str, type[Projection]] = {cls.name: cls for cls in (Ledger, Annex1, AuditChain)}


def live_projections() -> list[Projection]:
    return [cls() for cls in PROJECTIONS.values()]
