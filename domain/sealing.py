"""Personal data sealed at rest, one key per person, so a person can be erased.

身份证号码 and phone numbers (`identifiers.ID_FIELDS | PHONE_FIELDS`) are stored as
`enc:v1:<base64 nonce+ciphertext>`, encrypted with AES-GCM under a key of their own
case (the person: a coordinator, a mediator, an enterprise's contact). The keys live
in `hexie_person_keys`, apart from the events, themselves wrapped with the master key
(`HEXIE_MASTER_KEY`, base64 of 32 bytes; or a key file, created on first use, at
`HEXIE_KEY_FILE` or beside the SQLite database or in `var/`). Destroying a person's
key (`hexie erase-person`) leaves their events — and the audit chain over them —
intact, but nobody can read those fields again: they read as `ERASED`.

Keys are cached for `CACHE_SECONDS`, so an erasure reaches every server process
within that time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import Mapper

from .identifiers import ERASED, ID_FIELDS, PHONE_FIELDS

SEALED_FIELDS = ID_FIELDS | PHONE_FIELDS
PREFIX = "enc:v1:"
CACHE_SECONDS = 5.0

KEYS_DDL = (
    "CREATE TABLE IF NOT EXISTS hexie_person_keys (case_id TEXT PRIMARY KEY, wrapped TEXT, "
    "created_at DOUBLE PRECISION NOT NULL, erased_at DOUBLE PRECISION)"
)


def master_key(database_url: str) -> bytes:
    text = os.environ.get("HEXIE_MASTER_KEY")
    if text:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        if len(key) != 32:
            raise ValueError("HEXIE_MASTER_KEY must be the base64 of 32 bytes")
        return key
    path = Path(os.environ.get("HEXIE_KEY_FILE") or _default_key_file(database_url))
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    return base64.urlsafe_b64decode(path.read_text().strip())


def _default_key_file(database_url: str) -> str:
    if database_url.startswith("sqlite:///") and ":memory:" not in database_url:
        return str(Path(database_url[len("sqlite:///"):]).with_name("hexie-master.key"))
    return "var/hexie-master.key"


def is_sealed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def seal(key: bytes, case_id: str, field: str, value: str) -> str:
    nonce = secrets.token_bytes(12)
    ciphertext = AESGCM(key).encrypt(nonce, value.encode(), f"{case_id}:{field}".encode())
    return PREFIX + base64.b64encode(nonce + ciphertext).decode()


def unseal(key: bytes | None, case_id: str, field: str, token: str) -> str:
    if key is None:
        return ERASED
    raw = base64.b64decode(token[len(PREFIX):])
    return AESGCM(key).decrypt(raw[:12], raw[12:], f"{case_id}:{field}".encode()).decode()


def wrap(master: bytes, case_id: str, key: bytes) -> str:
    nonce = secrets.token_bytes(12)
    return base64.b64encode(nonce + AESGCM(master).encrypt(nonce, key, case_id.encode())).decode()


def unwrap(master: bytes, case_id: str, wrapped: str) -> bytes:
    raw = base64.b64decode(wrapped)
    return AESGCM(master).decrypt(raw[:12], raw[12:], case_id.encode())


class KeyCache:
    """Person keys by case id, for a short while (see CACHE_SECONDS)."""

    def __init__(self) -> None:
        self._keys: dict[str, tuple[float, bytes | None]] = {}

    def get(self, case_id: str) -> tuple[bool, bytes | None]:
        hit = self._keys.get(case_id)
        if hit is None or time.monotonic() - hit[0] > CACHE_SECONDS:
            return False, None
        return True, hit[1]

    def put(self, case_id: str, key: bytes | None) -> None:
        if len(self._keys) > 50_000:
            self._keys.clear()
        self._keys[case_id] = (time.monotonic(), key)


def seal_fields(data: dict[str, Any], case_id: str, key: bytes) -> dict[str, Any]:
    return {
        k: seal(key, case_id, k, v) if k in SEALED_FIELDS and isinstance(v, str) and not is_sealed(v) and v != ERASED else v
        for k, v in data.items()
    }


def unseal_fields(data: dict[str, Any], case_id: str, key: bytes | None) -> dict[str, Any]:
    return {k: unseal(key, case_id, k, v) if k in SEALED_FIELDS and is_sealed(v) else v for k, v in data.items()}


def needs_key(data: dict[str, Any]) -> bool:
    return any(k in SEALED_FIELDS and isinstance(v, str) for k, v in data.items())


class Vault:
    """The write side's keys (synchronous: the eventsourcing library calls it from its mapper)."""

    def __init__(self, recorder: Any, database_url: str, postgres: bool):
        self.recorder, self.postgres = recorder, postgres
        self.master = master_key(database_url)
        self.cache = KeyCache()
        self.index_key = hmac.new(self.master, b"hexie person index v1", hashlib.sha256).digest()
        self._execute(KEYS_DDL)

    def _execute(self, sql: str, params: tuple = (), fetch: bool = False):
        ds = self.recorder.datastore
        if self.postgres:
            for table in ("hexie_person_keys", "hexie_person_index"):
                sql = sql.replace(table, f'"{ds.schema}".{table}')
            sql = sql.replace("?", "%s")
            with ds.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
                curs.execute(sql, params)
                return curs.fetchone() if fetch else None
        with ds.transaction(commit=True) as c:
            c.execute(sql, params)
            return c.fetchone() if fetch else None

    def key(self, case_id: UUID | str, create: bool = False) -> bytes | None:
        case_id = str(case_id)
        hit, key = self.cache.get(case_id)
        if hit and (key is not None or not create):
            return key
        row = self._execute("SELECT wrapped, erased_at FROM hexie_person_keys WHERE case_id = ?", (case_id,), fetch=True)
        if row is None and create:
            fresh = secrets.token_bytes(32)
            self._execute(
                "INSERT INTO hexie_person_keys (case_id, wrapped, created_at) VALUES (?, ?, ?) ON CONFLICT (case_id) DO NOTHING",
                (case_id, wrap(self.master, case_id, fresh), time.time()),
            )
            row = self._execute("SELECT wrapped, erased_at FROM hexie_person_keys WHERE case_id = ?", (case_id,), fetch=True)
        wrapped = _first(row)
        key = unwrap(self.master, case_id, wrapped) if wrapped else None
        self.cache.put(case_id, key)
        return key

    def erase(self, case_id: UUID | str) -> bool:
        """Destroy the person's key, and the index entry that could confirm their 身份证号码 was registered."""
        case_id = str(case_id)
        row = self._execute("SELECT wrapped FROM hexie_person_keys WHERE case_id = ?", (case_id,), fetch=True)
        if row is None or _first(row) is None:
            return False
        self._execute("UPDATE hexie_person_keys SET wrapped = NULL, erased_at = ? WHERE case_id = ?", (time.time(), case_id))
        self._execute("DELETE FROM hexie_person_index WHERE case_id = ?", (case_id,))
        self.cache.put(case_id, None)
        return True

    # -- who is registered, without keeping their number (DESIGN 7) -----------------------

    def person_digest(self, kind: str, id_number: str) -> str:
        """A keyed hash of a 身份证号码 (HMAC under a key derived from the master key): the index
        can find a person by their number, and nothing in it reads back as a number."""
        return hmac.new(self.index_key, f"{kind}:{id_number}".encode(), hashlib.sha256).hexdigest()

    def person_case(self, digest: str) -> UUID | None:
        row = self._execute("SELECT case_id FROM hexie_person_index WHERE digest = ?", (digest,), fetch=True)
        return None if row is None else UUID(str(_first(row)))

    def index_person(self, digest: str, kind: str, case_id: UUID | str) -> None:
        """An entry made outside a command's transaction (indexing people registered before the index)."""
        self._execute("INSERT INTO hexie_person_index VALUES (?, ?, ?) ON CONFLICT (digest) DO NOTHING",
                      (digest, kind, str(case_id)))

    def seal(self, case_id: UUID | str, data: dict[str, Any]) -> dict[str, Any]:
        if not needs_key(data):
            return data
        key = self.key(case_id, create=True)
        if key is None:  # an erased person's data is not recorded again
            return {k: ERASED if k in SEALED_FIELDS and isinstance(v, str) else v for k, v in data.items()}
        return seal_fields(data, str(case_id), key)

    def unseal(self, case_id: UUID | str, data: dict[str, Any]) -> dict[str, Any]:
        if not any(is_sealed(v) for v in data.values()):
            return data
        return unseal_fields(data, str(case_id), self.key(case_id))


def _first(row: Any) -> Any:
    if row is None:
        return None
    if isinstance(row, dict):
        return next(iter(row.values()))
    return row[0]


class AsyncVault:
    """The read side's keys (asyncpg or sqlite3 through `projections.db.ReadDB`)."""

    def __init__(self, db: Any, database_url: str):
        self.db = db
        self.master = master_key(database_url)
        self.cache = KeyCache()

    async def key(self, case_id: str) -> bytes | None:
        hit, key = self.cache.get(case_id)
        if hit:
            return key
        wrapped = await self.db.fetchval("SELECT wrapped FROM hexie_person_keys WHERE case_id = $1", case_id)
        key = unwrap(self.master, case_id, wrapped) if wrapped else None
        self.cache.put(case_id, key)
        return key

    async def unseal(self, case_id: str, data: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(data, dict) or not any(is_sealed(v) for v in data.values()):
            return data
        return unseal_fields(data, case_id, await self.key(case_id))

    async def prefetch(self, case_ids) -> None:
        """Fetch many people's keys in a few queries (an export or a register meets thousands)."""
        wanted = [c for c in dict.fromkeys(case_ids) if not self.cache.get(c)[0]]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ", ".join(f"${i + 1}" for i in range(len(chunk)))
            found = {r[0]: r[1] for r in await self.db.fetch(
                f"SELECT case_id, wrapped FROM hexie_person_keys WHERE case_id IN ({marks})", *chunk)}
            for case_id in chunk:
                wrapped = found.get(case_id)
                self.cache.put(case_id, unwrap(self.master, case_id, wrapped) if wrapped else None)


class SealingMapper(Mapper):
    """The library's mapper, sealing personal data on the way to the store and opening it on the way back."""

    vault: Vault | None = None

    def to_stored_event(self, domain_event):
        if self.vault is not None:
            state = vars(domain_event)
            sealed = self._apply(self.vault.seal, domain_event.originator_id, state)
            if sealed is not state:
                copy = object.__new__(type(domain_event))
                object.__setattr__(copy, "__dict__", sealed)
                domain_event = copy
        return super().to_stored_event(domain_event)

    def to_domain_event(self, stored_event):
        event = super().to_domain_event(stored_event)
        if self.vault is not None:
            state = event.__dict__
            opened = self._apply(self.vault.unseal, event.originator_id, state)
            if opened is not state:
                object.__setattr__(event, "__dict__", opened)
        return event

    @staticmethod
    def _apply(fn, case_id, state: dict[str, Any]) -> dict[str, Any]:
        inner = state.get("state")
        if isinstance(inner, dict) and "topic" in state:  # a snapshot: the aggregate's attributes
            changed = fn(case_id, inner)
            return state if changed is inner else {**state, "state": changed}
        return fn(case_id, state)
