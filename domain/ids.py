"""Deterministic case ids, so the same thing can't be recorded as two cases."""

import re
import unicodedata
from uuid import UUID, uuid5

# uuid5 namespace of hexie; never change it: stored case ids derive from it.
NAMESPACE = UUID("6f1c1c3e-5d0b-4b7e-9a53-8e0c6a3d2a10")


def body_id(kind: str, unit: str, name: str, uscc: str | None = None) -> UUID:
    """A body (mediation body, social organisation) is one case per 统一社会信用代码, or per unit and
    name where it has none (DESIGN 7): the same body registered again, by anyone, is a 409.
    Names compare after NFKC with spaces removed, so full-width and spaced spellings meet."""
    key = uscc if uscc else unit + ":" + re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    return uuid5(NAMESPACE, f"{kind}:{key}")
