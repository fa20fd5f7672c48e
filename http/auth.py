"""Who may do what (DESIGN 4): bearer tokens, stored hashed, and the four roles.

- city_admin: everything, personal data in clear;
- unit_officer: appends to and reads the cases of its own unit (personal data of
  those in clear); the programme-wide reports, but no other unit's cases;
- inspector: reads and replays everything, personal data always masked;
- auditor: exports and verifies, personal data masked unless granted `pii`.

Tokens are created and revoked with `hexie token …`; only their SHA-256 is stored.
Every read of personal data in clear is recorded (who, when, which case).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Iterable

ROLES = ("city_admin", "unit_officer", "inspector", "auditor")
GRANTS = ("pii",)
CACHE_SECONDS = 5.0  # a revoked token stops working within this long

TOKENS_DDL = (
    "CREATE TABLE IF NOT EXISTS hexie_tokens (token_id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, "
    "role TEXT NOT NULL, unit TEXT, grants TEXT NOT NULL, label TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL, "
    "revoked_at DOUBLE PRECISION)"
)
PII_READS_DDL = (
    "CREATE TABLE IF NOT EXISTS hexie_pii_reads (at DOUBLE PRECISION NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, "
    "case_id TEXT NOT NULL, route TEXT NOT NULL)"
)


@dataclass(frozen=True)
class Principal:
    token_id: str
    role: str
    unit: str | None
    label: str
    grants: frozenset[str] = field(default_factory=frozenset)

    @property
    def actor(self) -> str:
        return f"{self.label} ({self.token_id})"

    @property
    def units(self) -> frozenset[str] | None:
        """The units whose cases this principal may touch; None = all."""
        return frozenset({self.unit}) if self.role == "unit_officer" else None

    def may_write(self) -> bool:
        return self.role in ("city_admin", "unit_officer")

    def may_read_unit(self, unit: str | None) -> bool:
        return self.role != "unit_officer" or unit == self.unit

    def sees_pii(self, unit: str | None) -> bool:
        if self.role == "city_admin":
            return True
        if self.role == "unit_officer":
            return unit == self.unit
        return self.role == "auditor" and "pii" in self.grants

    def may_export(self) -> bool:
        return self.role in ("city_admin", "inspector", "auditor")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def ensure_tables(db) -> None:
    await db.execute(TOKENS_DDL)
    await db.execute(PII_READS_DDL)


async def create_token(db, role: str, unit: str | None, label: str, grants: Iterable[str] = ()) -> tuple[str, str]:
    """A new token; returns (token_id, token). The token itself is shown once and never stored."""
    from hexie.domain.vocabulary import UNITS

    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if (role == "unit_officer") != (unit is not None):
        raise ValueError("a unit_officer token needs --unit, and only a unit_officer token takes one")
    if unit is not None and unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}")
    grants = sorted(set(grants))
    if set(grants) - set(GRANTS):
        raise ValueError(f"grants must be among {', '.join(GRANTS)}")
    await ensure_tables(db)
    token_id = "tok_" + secrets.token_hex(4)
    token = "hx_" + secrets.token_urlsafe(32)
    await db.execute(
        "INSERT INTO hexie_tokens (token_id, token_hash, role, unit, grants, label, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        token_id, _hash(token), role, unit, ",".join(grants), label, time.time(),
    )
    return token_id, token


async def revoke_token(db, token_id: str) -> bool:
    await ensure_tables(db)
    found = await db.fetchval("SELECT COUNT(*) FROM hexie_tokens WHERE token_id = $1 AND revoked_at IS NULL", token_id)
    await db.execute("UPDATE hexie_tokens SET revoked_at = $1 WHERE token_id = $2 AND revoked_at IS NULL", time.time(), token_id)
    return bool(found)


async def list_tokens(db) -> list[dict[str, Any]]:
    await ensure_tables(db)
    rows = await db.fetch("SELECT token_id, role, unit, grants, label, created_at, revoked_at FROM hexie_tokens ORDER BY created_at")
    return [dict(zip(("token_id", "role", "unit", "grants", "label", "created_at", "revoked_at"), r)) for r in rows]


class Tokens:
    """Looks tokens up for the server, with a short cache."""

    def __init__(self, db):
        self.db = db
        self._cache: dict[str, tuple[float, Principal | None]] = {}

    async def principal(self, token: str) -> Principal | None:
        key = _hash(token)
        hit = self._cache.get(key)
        if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS:
            return hit[1]
        row = await self.db.fetchrow(
            "SELECT token_id, role, unit, grants, label FROM hexie_tokens WHERE token_hash = $1 AND revoked_at IS NULL", key
        )
        found = None
        if row is not None:
            found = Principal(row[0], row[1], row[2], row[4], frozenset(g for g in row[3].split(",") if g))
        self._cache[key] = (time.monotonic(), found)
        return found


async def record_pii_reads(db, principal: Principal, case_ids: Iterable[str], route: str) -> None:
    rows = [(time.time(), principal.actor, principal.role, str(c), route) for c in dict.fromkeys(case_ids)]
    if rows:
        await db.executemany(
            "INSERT INTO hexie_pii_reads (at, actor, role, case_id, route) VALUES ($1, $2, $3, $4, $5)", rows
        )


async def pii_reads(db, limit: int = 500) -> list[dict[str, Any]]:
    rows = await db.fetch("SELECT at, actor, role, case_id, route FROM hexie_pii_reads ORDER BY at DESC LIMIT $1", limit)
    return [dict(zip(("at", "actor", "role", "case_id", "route"), r)) for r in rows]


# -- in the server ---------------------------------------------------------------

OPEN_PATHS = ("/healthz", "/docs", "/openapi.json")


class Unauthorized(Exception):
    """No valid bearer token (401)."""


class Forbidden(Exception):
    """A valid token that may not do this (403)."""


async def authenticate(request) -> None:
    """Request middleware: every /v1 route needs a bearer token."""
    if not request.path.startswith("/v1/") and request.path != "/v1":
        return
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("a bearer token is required: Authorization: Bearer <token> (see `hexie token create`)")
    principal = await request.app.ctx.tokens.principal(token.strip())
    if principal is None:
        raise Unauthorized("the token is unknown or revoked")
    request.ctx.principal = principal
    request.ctx.actor = principal.actor


def principal_of(request) -> Principal:
    return request.ctx.principal


def require(request, allowed: bool, what: str) -> None:
    if not allowed:
        p = principal_of(request)
        raise Forbidden(f"a {p.role}{' of ' + p.unit if p.unit else ''} may not {what} / 无此权限")


def unit_scope(request, unit: str | None) -> str | None:
    """The unit filter a listing must use: a unit officer sees only its own unit."""
    p = principal_of(request)
    if p.role != "unit_officer":
        return unit
    require(request, unit in (None, p.unit), f"read the cases of {unit}")
    return p.unit
