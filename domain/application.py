"""The programme's one service layer: open cases, append events, read them back.

Every command is validated against its JSON Schema (schemas/), dated, checked by
the aggregate's rules and saved in one transaction together with its idempotency
key. Queries return event envelopes:
`position, case_id, kind, version, type, data, occurred_on, recorded_at, actor, unit`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import IntegrityError

from hexie.schemas import problems

from . import store
from .case import PROGRAMME_TZ, Case, Context, DomainError, acting, today
from .identifiers import mask_personal
from .kinds import CREATORS, KINDS, REFERENCES, TOPICS
from .sealing import Vault

PERSONAL = re.compile(rb'"(id_number|phone|contact_phone)":"')  # an event that may need masking
EARLIEST = "2020-01-01"  # nothing in this programme happened before 2020
APPEND_RETRIES = 10
CACHE_CASES = 10_000


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


# What refuses a command (an answer for its client), as opposed to a failure of the system.
REFUSALS = (ValidationFailed, DomainError, CaseNotFound, VersionConflict, DuplicateCase, IdempotencyKeyReused, NotPermitted)


@dataclass(frozen=True)
class Command:
    """Open a case (no `case_id`) or append to one."""

    type: str
    data: Any
    context: Context = Context()
    case_id: UUID | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class Conflict:
    """The batch's transaction lost a race (or met a duplicate); nothing of it was stored."""

    case_ids: list[UUID]


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
        self._cache: OrderedDict[UUID, Case] = OrderedDict()  # cases as this process last saved them
        self._writing = threading.Lock()  # one batch at a time: the cached cases are not shared

    # -- saving -----------------------------------------------------------------

    def save(self, *aggregates: Case, **kwargs: Any):
        """The library's save, without its protocol checks (costly in a hot loop): hexie only
        saves its own aggregates."""
        processing = ProcessingEvent()
        for aggregate in aggregates:
            processing.events.extend(aggregate.collect_events())
            processing.aggregates[aggregate.id] = aggregate
        processing.saved_kwargs.update(kwargs)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        return recordings

    def _take_snapshots(self, processing: ProcessingEvent) -> None:
        """Snapshot a case from memory when its new events crossed a multiple of the interval:
        the library would read and replay it again from the store to take the same picture."""
        if self.snapshots is None:
            return
        versions: dict[UUID, tuple[int, int]] = {}
        for event in processing.events:
            low, high = versions.get(event.originator_id, (event.originator_version, event.originator_version))
            versions[event.originator_id] = (min(low, event.originator_version), max(high, event.originator_version))
        snapshots = []
        for case_id, (low, high) in versions.items():
            case = processing.aggregates.get(case_id)
            interval = self.snapshotting_intervals.get(type(case))
            if interval and (low - 1) // interval < high // interval and case.version == high:
                snapshots.append(Snapshot.take(case))
        if snapshots:
            self.snapshots.put(snapshots)

    # -- commands ------------------------------------------------------------

    def open_case(self, type: str, data: Any, context: Context = Context()) -> Receipt:
        return self._one(Command(type, data, context))

    def append(
        self,
        case_id: UUID,
        type: str,
        data: Any,
        context: Context = Context(),
        expected_version: int | None = None,
    ) -> Receipt:
        case_id = case_id if isinstance(case_id, UUID) else UUID(str(case_id))
        return self._one(Command(type, data, context, case_id, expected_version))

    def _one(self, command: "Command") -> Receipt:
        result = self.execute([command])[0]
        if isinstance(result, Exception):
            raise result
        return result

    def execute(self, commands: list["Command"]) -> list[Receipt | Exception]:
        """Decide every command, then save all their events in one transaction (group commit).

        Each command gets its own answer: a receipt, or the exception that refused it.
        Commands on the same case apply in order. Cases come from this process's cache;
        if the transaction conflicts (another process wrote first, or a duplicate), each
        command is decided again on its own from fresh state, and saved on its own.
        """
        with self._writing:
            results = self._batch(commands, cached=True)
            if isinstance(results, Conflict):
                self._forget(results.case_ids)
                return [self._single(c) for c in commands]
            return results

    def _single(self, command: "Command") -> Receipt | Exception:
        for _ in range(APPEND_RETRIES):
            results = self._batch([command], cached=False)
            if not isinstance(results, Conflict):
                return results[0]
            # A retried request gets its first answer; a duplicate creation is a conflict;
            # a request that named the version it saw gets a conflict; others try again.
            prepared = self._prepared(command)
            if isinstance(prepared, Exception):
                return prepared
            data, context = prepared
            fingerprint = self._command_fingerprint(command, data)
            try:
                if (receipt := self._replay(context, fingerprint)) is not None:
                    return receipt
            except IdempotencyKeyReused as e:
                return e
            if command.case_id is None:
                return DuplicateCase(results.case_ids[0], CREATORS[command.type].kind)
            if command.expected_version is not None:
                return VersionConflict(command.case_id, self.get_case(command.case_id).version, command.expected_version)
        return VersionConflict(command.case_id, self.get_case(command.case_id).version, command.expected_version)

    def _batch(self, commands: list["Command"], cached: bool) -> "list[Receipt | Exception] | Conflict":
        results: list[Receipt | Exception | None] = [None] * len(commands)
        cases: dict[UUID, Case] = {}
        from_cache: set[UUID] = set()
        decided: list[tuple[int, Case, int]] = []  # (command index, case, version after it)
        requests: list[tuple] = []
        for i, command in enumerate(commands):
            try:
                outcome = self._decide(command, cases, from_cache if cached else None)
            except REFUSALS as e:
                results[i] = e
                continue
            if isinstance(outcome, Receipt):
                results[i] = outcome
                continue
            case, request = outcome
            decided.append((i, case, case.version))
            if request is not None:
                requests.append((*request[:3], case.version, request[3]))
        if decided:
            changed = {id(c): c for _, c, _ in decided}
            try:
                recordings = self.save(*changed.values(), requests=requests)
            except IntegrityError:
                return Conflict([c.id for c in changed.values()])
            positions = {(r.domain_event.originator_id, r.domain_event.originator_version): r.notification.id
                         for r in recordings}
            for i, case, version in decided:
                results[i] = Receipt(case.id, case.kind, version, positions[(case.id, version)])
            for case in changed.values():
                self._remember(case)
        # A refusal decided on a cached case may rest on stale state (another process
        # appended since): decide it again from the store.
        for i, command in enumerate(commands):
            if isinstance(results[i], Exception) and command.case_id in from_cache:
                self._forget([command.case_id])
                results[i] = self._single(command)
        return results  # type: ignore[return-value]

    def _prepared(self, command: "Command") -> tuple[dict[str, Any], Context] | Exception:
        try:
            return self._prepare(command.type, command.data, command.context)
        except REFUSALS as e:
            return e

    @staticmethod
    def _command_fingerprint(command: "Command", data: dict[str, Any]) -> str:
        op = "open" if command.case_id is None else "append"
        return Hexie._fingerprint(op, command.case_id, command.type, data, command.expected_version)

    def _decide(self, command: "Command", cases: dict[UUID, Case], from_cache: set[UUID] | None):
        """Check a command and apply it to its case (not saved). Returns a replayed Receipt,
        or (case, idempotency request row without the version)."""
        if command.case_id is None:
            cls = CREATORS.get(command.type)
            if cls is None:
                raise ValidationFailed([{"field": "type", "message": f"{command.type!r} does not open a case; one of {sorted(CREATORS)}"}])
        else:
            case = cases.get(command.case_id) or self._load(command.case_id, from_cache)
            if command.type not in case.commands:
                raise ValidationFailed(
                    [{"field": "type", "message": f"{case.kind} cases take {sorted(case.commands)}, not {command.type!r}"}]
                )
        data, context = self._prepare(command.type, command.data, command.context)
        if command.case_id is None:
            self._check_permitted(context, data.get("unit"))
        else:
            # A progress report names the unit reporting (on a city measure); other events act for the case's unit.
            self._check_permitted(context, data["unit"] if "unit" in data else case.unit)
        fingerprint = self._command_fingerprint(command, data)
        if (receipt := self._replay(context, fingerprint)) is not None:
            return receipt
        if command.case_id is None:
            self._check_references(cls, data)
            with acting(context):
                case = cls(**data)
            if case.id in cases:
                raise DuplicateCase(case.id, cls.kind)
        else:
            self._check_references(case.__class__, data)
            if command.expected_version is not None and case.version != command.expected_version:
                raise VersionConflict(case.id, case.version, command.expected_version)
            with acting(context):
                case.execute(command.type, data)
        cases[case.id] = case
        request = None
        if context.idempotency_key is not None:
            request = (self._scoped(context), fingerprint, str(case.id), case.kind)
        return case, request

    # -- the write side's cache of cases ------------------------------------------------

    def _load(self, case_id: UUID, from_cache: set[UUID] | None) -> Case:
        if from_cache is not None:
            case = self._cache.get(case_id)
            if case is not None:
                self._cache.move_to_end(case_id)
                from_cache.add(case_id)
                return case
        return self.get_case(case_id)

    def _remember(self, case: Case) -> None:
        self._cache[case.id] = case
        self._cache.move_to_end(case.id)
        while len(self._cache) > CACHE_CASES:
            self._cache.popitem(last=False)

    def _forget(self, case_ids) -> None:
        for case_id in case_ids:
            self._cache.pop(case_id, None)

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
        case_text = str(case_id)
        return [envelope(p, case_text, v, t, s, reveal, self.vault) for p, v, t, s in rows]

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
    state = state.encode() if isinstance(state, str) else bytes(state)
    data = orjson.loads(state)
    meta = data.pop("meta")
    recorded_at = data.pop("timestamp")
    data.pop("originator_topic", None)
    kind, name = TOPICS[topic]
    if not isinstance(case_id, str) or len(case_id) != 36:  # a UUID, or SQLite's hex
        case_id = str(case_id) if isinstance(case_id, UUID) else str(UUID(case_id))
    if vault is not None and b"enc:v1:" in state:  # only events carrying sealed personal data
        data = vault.unseal(case_id, data)
    return {
        "position": position,
        "case_id": case_id,
        "kind": kind,
        "version": version,
        "type": name,
        "data": data if reveal or not PERSONAL.search(state) else mask_personal(data),
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
