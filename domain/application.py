"""The programme's one service layer: open cases, append events, read them back.

Every command is validated against its JSON Schema (schemas/), dated, checked by
the aggregate's rules and saved in one transaction together with its idempotency
key. Queries return event envelopes:
`position, case_id, kind, version, type, data, occurred_on, recorded_at, actor, unit`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from hexie.schemas import problems

from . import store
from .case import PROGRAMME_TZ, Case, Context, DomainError, acting, today
from .identifiers import mask_personal
from .kinds import CREATORS, KINDS, REFERENCES, TOPICS
from .sealing import Vault

EARLIEST = "2020-01-01"  # nothing in this programme happened before 2020
APPEND_RETRIES = 10


class ValidationFailed(Exception):
    """The command's data breaks its schema; `errors` has one entry per bad field."""

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


class CaseNotFound(Exception):
    pass


class VersionConflict(Exception):
    def __init__(self, case_id: UUID, current: int, expected: int | None):
        super().__init__(f"case {case_id} is at version {current}, not {expected}")
        self.case_id, self.current, self.expected = case_id, current, expected


class DuplicateCase(Exception):
    def __init__(self, case_id: UUID, kind: str):
        super().__init__(f"this {kind} is already recorded as case {case_id}")
        self.case_id, self.kind = case_id, kind


class IdempotencyKeyReused(Exception):
    """The same Idempotency-Key came with a different request."""


class NotPermitted(Exception):
    """The actor may not act for this unit."""

    def __init__(self, unit: str | None):
        super().__init__(f"you may not act for {unit or 'this case'} / 无权操作该单位的案件")
        self.unit = unit


@dataclass(frozen=True)
class Receipt:
    case_id: UUID
    kind: str
    version: int
    position: int
    replayed: bool = False  # True when an idempotent retry got the first answer

    def as_dict(self) -> dict[str, Any]:
        return {"case_id": str(self.case_id), "kind": self.kind, "version": self.version, "position": self.position}


class Hexie(Application):
    name = "hexie"
    # A snapshot every 50 events of a case, so reading a case costs the same
    # however long its history grows (the snapshot plus fewer than that many events).
    snapshotting_intervals = {cls: 50 for cls in KINDS.values()}

    def __init__(self, database_url: str | None = None, env: dict[str, str] | None = None):
        self.database_url = database_url or store.database_url()
        super().__init__(env={**store.library_env(self.database_url), **(env or {})})
        self.vault = self.mapper.vault = Vault(self.recorder, self.database_url, store.is_postgres(self.database_url))

    # -- commands ------------------------------------------------------------

    def open_case(self, type: str, data: Any, context: Context = Context()) -> Receipt:
        cls = CREATORS.get(type)
        if cls is None:
            raise ValidationFailed([{"field": "type", "message": f"{type!r} does not open a case; one of {sorted(CREATORS)}"}])
        data, context = self._prepare(type, data, context)
        self._check_permitted(context, data.get("unit"))
        fingerprint = self._fingerprint("open", None, type, data, None)
        if (receipt := self._replay(context, fingerprint)) is not None:
            return receipt
        self._check_references(cls, data)
        with acting(context):
            case = cls(**data)
        try:
            recordings = self.save(case, requests=self._requests(context, fingerprint, case, cls.kind))
        except IntegrityError:
            if (receipt := self._replay(context, fingerprint)) is not None:
                return receipt
            raise DuplicateCase(case.id, cls.kind) from None
        return Receipt(case.id, cls.kind, case.version, recordings[-1].notification.id)

    def append(
        self,
        case_id: UUID,
        type: str,
        data: Any,
        context: Context = Context(),
        expected_version: int | None = None,
    ) -> Receipt:
        case = self.get_case(case_id)
        if type not in case.commands:
            raise ValidationFailed(
                [{"field": "type", "message": f"{case.kind} cases take {sorted(case.commands)}, not {type!r}"}]
            )
        data, context = self._prepare(type, data, context)
        # A progress report names the unit reporting (on a city measure); other events act for the case's unit.
        self._check_permitted(context, data["unit"] if "unit" in data else case.unit)
        fingerprint = self._fingerprint("append", case_id, type, data, expected_version)
        if (receipt := self._replay(context, fingerprint)) is not None:
            return receipt
        self._check_references(case.__class__, data)
        for _ in range(APPEND_RETRIES):
            if expected_version is not None and case.version != expected_version:
                raise VersionConflict(case_id, case.version, expected_version)
            with acting(context):
                case.execute(type, data)
            try:
                recordings = self.save(case, requests=self._requests(context, fingerprint, case, case.kind))
            except IntegrityError:
                # Someone appended first: a retried request gets its first answer, a
                # request that named the version it saw gets a conflict, others retry.
                if (receipt := self._replay(context, fingerprint)) is not None:
                    return receipt
                case = self.get_case(case_id)
                continue
            return Receipt(case.id, case.kind, case.version, recordings[-1].notification.id)
        raise VersionConflict(case_id, case.version, expected_version)

    def _prepare(self, type: str, data: Any, context: Context) -> tuple[dict[str, Any], Context]:
        errors = problems(type, data)
        if errors:
            raise ValidationFailed(errors)
        data = dict(data)
        occurred_on = data.pop("occurred_on", None) or today()
        if occurred_on > today():
            raise ValidationFailed([{"field": "data.occurred_on", "message": f"{occurred_on} is in the future / 不能晚于今天"}])
        if occurred_on < EARLIEST:
            raise ValidationFailed([{"field": "data.occurred_on", "message": f"must be on or after {EARLIEST} / 不能早于2020年"}])
        return data, replace(context, occurred_on=occurred_on)

    @staticmethod
    def _check_permitted(context: Context, unit: str | None) -> None:
        if context.units is not None and unit not in context.units:
            raise NotPermitted(unit)

    def _check_references(self, cls: type[Case], data: dict[str, Any]) -> None:
        """A field naming another case must name an existing case of the right kind."""
        for field, kind in REFERENCES.items():
            if data.get(field) is None:
                continue
            try:
                other = self.repository.get(UUID(data[field]))
            except AggregateNotFoundError:
                other = None
            if other is None or other.kind != kind:
                raise DomainError(f"unknown_{kind}", f"没有该{kind}案件 / no {kind} case {data[field]}", f"data.{field}")
            check = getattr(cls, f"check_{kind}", None)
            if check is not None:
                check(other.state())

    # -- idempotency -------------------------------------------------------------

    @staticmethod
    def _fingerprint(op: str, case_id: UUID | None, type: str, data: dict, expected_version: int | None) -> str:
        body = orjson.dumps([op, str(case_id), type, data, expected_version], option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(body).hexdigest()

    @staticmethod
    def _scoped(context: Context) -> str:
        return f"{context.actor}\x1f{context.idempotency_key}"

    def _requests(self, context: Context, fingerprint: str, case: Case, kind: str) -> list[tuple]:
        if context.idempotency_key is None:
            return []
        return [(self._scoped(context), fingerprint, str(case.id), case.version, kind)]

    def _replay(self, context: Context, fingerprint: str) -> Receipt | None:
        if context.idempotency_key is None:
            return None
        found = self.recorder.find_request(self._scoped(context))
        if found is None:
            return None
        if found["fingerprint"] != fingerprint:
            raise IdempotencyKeyReused(context.idempotency_key)
        return Receipt(UUID(str(found["case_id"])), found["kind"], found["version"], found["position"], replayed=True)

    # -- queries -------------------------------------------------------------

    def get_case(self, case_id: UUID, version: int | None = None, as_of: dt.datetime | None = None) -> Case:
        """The case now, at a version, or as the system knew it at a moment."""
        case_id = case_id if isinstance(case_id, UUID) else UUID(str(case_id))
        if as_of is None:
            try:
                case = self.repository.get(case_id, version=version)
            except AggregateNotFoundError:
                raise CaseNotFound(f"no case {case_id}") from None
            if version is not None and case.version != version:
                raise CaseNotFound(f"case {case_id} has no version {version}")
            return case
        case = None
        for event in self.events.get(case_id):
            if event.timestamp > as_of:
                break
            case = event.mutate(case)
        if case is None:
            raise CaseNotFound(f"case {case_id} did not exist at {as_of.isoformat()}")
        return case

    def case_history(self, case_id: UUID, reveal: bool = False) -> list[dict[str, Any]]:
        case_id = case_id if isinstance(case_id, UUID) else UUID(str(case_id))
        rows = self.recorder.select_case_events(case_id)
        if not rows:
            raise CaseNotFound(f"no case {case_id}")
        return [envelope(p, case_id, v, t, s, reveal, self.vault) for p, v, t, s in rows]

    def read_log(self, after: int = 0, limit: int = 100, reveal: bool = False) -> list[dict[str, Any]]:
        notifications = self.recorder.select_notifications(start=after, limit=limit, inclusive_of_start=False)
        return [envelope(n.id, n.originator_id, n.originator_version, n.topic, n.state, reveal, self.vault)
                for n in notifications]

    def head(self) -> int:
        return self.recorder.max_notification_id() or 0


def envelope(
    position: int, case_id: Any, version: int, topic: str, state: bytes, reveal: bool = False, vault: Vault | None = None
) -> dict[str, Any]:
    """A stored event as every listing and export shows it (personal data opened, then masked unless `reveal`)."""
    data = orjson.loads(state)
    meta = data.pop("meta")
    recorded_at = data.pop("timestamp")
    data.pop("originator_topic", None)
    kind, name = TOPICS[topic]
    case_id = str(case_id) if isinstance(case_id, UUID) else str(UUID(case_id))
    if vault is not None:
        data = vault.unseal(case_id, data)
    return {
        "position": position,
        "case_id": case_id,
        "kind": kind,
        "version": version,
        "type": name,
        "data": data if reveal else mask_personal(data),
        "occurred_on": meta["occurred_on"],
        "recorded_at": recorded_at,
        "actor": meta["actor"],
        "unit": meta["unit"],
        "request_id": meta.get("request_id"),
    }


def parse_as_of(text: str) -> dt.datetime:
    """ISO 8601 date or time; a date means the end of that day, a naive time is Beijing time."""
    if len(text) == 10:
        moment = dt.datetime.combine(dt.date.fromisoformat(text), dt.time.max)
    else:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PROGRAMME_TZ)
    return moment
