"""Deterministic case ids, so the same thing can't be recorded as two cases."""

from uuid import UUID

# uuid5 namespace of hexie; never change it: stored case ids derive from it.
NAMESPACE = UUID("6f1c1c3e-5d0b-4b7e-9a53-8e0c6a3d2a10")
