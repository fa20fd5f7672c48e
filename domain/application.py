"""The programme's one service layer: open cases, append events, read a case back.

A command is prepared (`commands.prepare`: schema, business date), permitted for the
actor's units, answered from its idempotency key if it was seen before, then decided
by its case's own rules and saved — with its idempotency key, in one transaction.
Writes that arrive together are decided together and saved in one transaction (group
commit), each keeping its own answer. `dry_run` decides a command the same way and
saves nothing (the spreadsheet import checks a whole file with it first).
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections import OrderedDict
from typing import Any, Mapping
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from . import store
from .case import Case, Context, acting
from .identifiers import ERASED
from .commands import (
    REFUSALS,
    CaseNotFound,
    Command,
    DuplicateCase,
    IdempotencyKeyReused,
    Receipt,
    ValidationFailed,
    VersionConflict,
    check_permitted,
    prepare,
    scoped_key,
)
from .kinds import CREATORS, KINDS, check_references
from .sealing import Vault

APPEND_RETRIES = 10
INDEXED = "indexed-v1"  # the person index's marker: people registered before it have been indexed
CACHE_CASES = 10_000


class Conflict(Exception):
    """A batch's transaction lost a race (or met a duplicate); nothing of it was stored."""

    def __init__(self, case_ids: list[UUID]):
        super().__init__(f"conflict on {len(case_ids)} cases")
        self.case_ids = case_ids


class RecentCases:
    """The cases this process last saved, so a busy case is not read back for every append.

    Only the writer (under its lock) uses it; a conflict with another process forgets them."""

    def __init__(self, limit: int = CACHE_CASES):
        self.limit = limit
        self.cases: OrderedDict[UUID, Case] = OrderedDict()

    def get(self, case_id: UUID) -> Case | None:
        case = self.cases.get(case_id)
        if case is not None:
            self.cases.move_to_end(case_id)
        return case

    def remember(self, case: Case) -> None:
        self.cases[case.id] = case
        self.cases.move_to_end(case.id)
        while len(self.cases) > self.limit:
            self.cases.popitem(last=False)

    def forget(self, case_ids) -> None:
        for case_id in case_ids:
            self.cases.pop(case_id, None)


class Hexie(Application):
    name = "hexie"
    # A snapshot every 50 events of a case, so reading a case costs the same
    # however long its history grows (the snapshot plus fewer than that many events).
    snapshotting_intervals = {cls: 50 for cls in KINDS.values()}

    def __init__(self, database_url: str | None = None, env: dict[str, str] | None = None):
        self.database_url = database_url or store.database_url()
        super().__init__(env={**store.library_env(self.database_url), **(env or {})})
        self.vault = self.mapper.vault = Vault(self.recorder, self.database_url, store.is_postgres(self.database_url))
        self.recent = RecentCases()
        self._writing = threading.Lock()  # one batch at a time: the recent cases are not shared

    # -- saving -----------------------------------------------------------------

    def save(self, *aggregates: Case, **kwargs: Any):
        """The library's save, without its protocol checks (costly in a hot loop): hexie only
        saves its own aggregates. Snapshots are taken from memory when a case's new events
        cross a multiple of the interval (the library would read and replay it again)."""
        processing = ProcessingEvent()
        for aggregate in aggregates:
            processing.events.extend(aggregate.collect_events())
            processing.aggregates[aggregate.id] = aggregate
        processing.saved_kwargs.update(kwargs)
        recordings = self._record(processing)
        if self.snapshots is not None:
            due = [Snapshot.take(case) for case in processing.aggregates.values() if self._snapshot_due(case, processing)]
            if due:
                self.snapshots.put(due)
        return recordings

    def _snapshot_due(self, case: Case, processing: ProcessingEvent) -> bool:
        versions = [e.originator_version for e in processing.events if e.originator_id == case.id]
        interval = self.snapshotting_intervals.get(type(case))
        return bool(versions and interval and (min(versions) - 1) // interval < max(versions) // interval
                    and case.version == max(versions))

    # -- commands ------------------------------------------------------------

    def open_case(self, type: str, data: Any, context: Context = Context()) -> Receipt:
        return self._one(Command(type, data, context))

    def append(self, case_id: UUID | str, type: str, data: Any, context: Context = Context(),
               expected_version: int | None = None) -> Receipt:
        return self._one(Command(type, data, context, _uuid(case_id), expected_version))

    def _one(self, command: Command) -> Receipt:
        result = self.execute([command])[0]
        if isinstance(result, Exception):
            raise result
        return result

    def execute(self, commands: list[Command]) -> list[Receipt | Exception]:
        """Decide every command, then save all their events in one transaction (group commit).

        Each command gets its own answer: a receipt, or the exception that refused it.
        Commands on the same case apply in order. Cases come from the recent cases; if the
        transaction conflicts (another process wrote first, or a duplicate), each command is
        decided again on its own from the store, and saved on its own.
        """
        with self._writing:
            try:
                return self._batch(commands, recent=True)
            except Conflict as conflict:
                self.recent.forget(conflict.case_ids)
                return [self._single(c) for c in commands]

    def dry_run(self, command: Command, pending: Mapping[UUID, Case] | None = None) -> Case | Receipt:
        """Decide `command` exactly as `execute` would, saving nothing.

        Returns the case as the command would leave it (a copy: nothing stored or cached
        changes), or the Receipt an idempotent retry would replay; raises the refusal.
        `pending` are cases not stored yet that the command may name or append to (the
        cases earlier rows of the same file would record)."""
        pending = pending or {}
        cases: dict[UUID, Case] = {}
        if command.case_id is not None:  # a copy of the one case it changes
            cases[command.case_id] = copy.deepcopy(pending.get(command.case_id) or self.get_case(command.case_id))
        outcome = self._decide(command, cases, recent=None, pending=pending)
        if isinstance(outcome, Receipt):
            return outcome
        case = outcome[0]
        if command.case_id is None and case.id in pending:
            raise DuplicateCase(case.id, case.kind)
        return case

    def _single(self, command: Command) -> Receipt | Exception:
        for _ in range(APPEND_RETRIES):
            try:
                return self._batch([command], recent=False)[0]
            except Conflict as conflict:
                # A retried request gets its first answer; a duplicate creation is a conflict;
                # a request that named the version it saw gets a conflict; others try again.
                try:
                    data, context = prepare(command)
                    if (receipt := self._replay(context, command.fingerprint(data))) is not None:
                        return receipt
                except REFUSALS as e:
                    return e
                if command.case_id is None and CREATORS[command.type].identity is None:
                    return DuplicateCase(conflict.case_ids[0], CREATORS[command.type].kind)  # the same derived id
                # (a person registered meanwhile: deciding again finds them in the index)
                if command.expected_version is not None:
                    break
        return VersionConflict(command.case_id, self.get_case(command.case_id).version, command.expected_version)

    def _batch(self, commands: list[Command], recent: bool) -> list[Receipt | Exception]:
        results: list[Receipt | Exception | None] = [None] * len(commands)
        cases: dict[UUID, Case] = {}
        from_recent: set[UUID] = set()
        decided: list[tuple[int, Case, int]] = []  # (command index, case, version after it)
        requests: list[tuple] = []
        people: list[tuple] = []  # (digest, kind, case id) of the people these commands register
        for i, command in enumerate(commands):
            try:
                outcome = self._decide(command, cases, from_recent if recent else None)
            except REFUSALS as e:
                results[i] = e
                continue
            if isinstance(outcome, Receipt):
                results[i] = outcome
                continue
            case, request, person = outcome
            decided.append((i, case, case.version))
            if request is not None:
                requests.append((*request[:3], case.version, request[3]))
            if person is not None:
                people.append(person)
        if decided:
            changed = {id(c): c for _, c, _ in decided}
            try:
                recordings = self.save(*changed.values(), requests=requests, people=people)
            except IntegrityError:
                raise Conflict([c.id for c in changed.values()]) from None
            positions = {(r.domain_event.originator_id, r.domain_event.originator_version): r.notification.id
                         for r in recordings}
            for i, case, version in decided:
                results[i] = Receipt(case.id, case.kind, version, positions[(case.id, version)])
            for case in changed.values():
                self.recent.remember(case)
        # A refusal decided on a recent case may rest on stale state (another process
        # appended since): decide it again from the store.
        for i, command in enumerate(commands):
            if isinstance(results[i], Exception) and command.case_id in from_recent:
                self.recent.forget([command.case_id])
                results[i] = self._single(command)
        return results  # type: ignore[return-value]

    def _decide(self, command: Command, cases: dict[UUID, Case], recent: set[UUID] | None,
                pending: Mapping[UUID, Case] | None = None):
        """Check a command and apply it to its case (not saved). Returns a replayed Receipt, or (case,
        idempotency request row without the version, person index row)."""
        if command.case_id is None:
            cls = CREATORS.get(command.type)
            if cls is None:
                raise ValidationFailed([{"field": "type", "message": f"{command.type!r} does not open a case; one of {sorted(CREATORS)}"}])
        else:
            case = cases.get(command.case_id) or self._load(command.case_id, recent)
            if command.type not in case.commands:
                raise ValidationFailed(
                    [{"field": "type", "message": f"{case.kind} cases take {sorted(case.commands)}, not {command.type!r}"}]
                )
        data, context = prepare(command)
        # A progress report names the unit reporting (on a city measure); other events act for the case's unit.
        check_permitted(context, data.get("unit") if command.case_id is None or "unit" in data else case.unit)
        fingerprint = command.fingerprint(data)
        if (receipt := self._replay(context, fingerprint)) is not None:
            return receipt
        person = None
        if command.case_id is None:
            self.check_references(cls, data, pending)
            if cls.identity is not None:  # one case per person: 409 with the case that has them
                digest = self.vault.person_digest(cls.kind, data[cls.identity])
                if (existing := self.vault.person_case(digest)) is not None:
                    raise DuplicateCase(existing, cls.kind)
            with acting(context):
                case = cls(**data)
            if case.id in cases:
                raise DuplicateCase(case.id, cls.kind)
            if cls.identity is not None:
                person = (digest, cls.kind, str(case.id))
        else:
            self.check_references(type(case), data, pending)
            if command.expected_version is not None and case.version != command.expected_version:
                raise VersionConflict(case.id, case.version, command.expected_version)
            with acting(context):
                case.execute(command.type, data)
        cases[case.id] = case
        request = None
        if context.idempotency_key is not None:
            request = (scoped_key(context), fingerprint, str(case.id), case.kind)
        return case, request, person

    def _load(self, case_id: UUID, recent: set[UUID] | None) -> Case:
        if recent is not None and (case := self.recent.get(case_id)) is not None:
            recent.add(case_id)
            return case
        return self.get_case(case_id)

    def check_references(self, cls: type[Case], data: dict[str, Any], pending: Mapping[UUID, Case] | None = None) -> None:
        """The cases a command names exist (in the store, or in `pending`) and are of the right kind."""
        def find(case_id: UUID) -> Case | None:
            try:
                return (pending or {}).get(case_id) or self.repository.get(case_id)
            except AggregateNotFoundError:
                return None

        check_references(cls, data, find)

    def _replay(self, context: Context, fingerprint: str) -> Receipt | None:
        if context.idempotency_key is None:
            return None
        found = self.recorder.find_request(scoped_key(context))
        if found is None:
            return None
        if found["fingerprint"] != fingerprint:
            raise IdempotencyKeyReused(context.idempotency_key)
        return Receipt(UUID(str(found["case_id"])), found["kind"], found["version"], found["position"], replayed=True)

    # -- queries -------------------------------------------------------------

    def get_case(self, case_id: UUID | str, version: int | None = None, as_of: dt.datetime | None = None) -> Case:
        """The case now, at a version, or as the system knew it at a moment (recorded time)."""
        case_id = _uuid(case_id)
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

    def index_people(self) -> int:
        """Index the people registered before the person index existed (once: a marker entry says it
        was done); returns how many were indexed."""
        if self.vault.person_case(INDEXED) is not None:
            return 0
        indexed = 0
        for cls in (c for c in KINDS.values() if c.identity is not None):
            for case_id in self.recorder.select_originators([get_topic(getattr(cls, cls.created_event))]):
                number = getattr(self.get_case(case_id), cls.identity, None)
                if number and number != ERASED:
                    self.vault.index_person(self.vault.person_digest(cls.kind, number), cls.kind, case_id)
                    indexed += 1
        self.vault.index_person(INDEXED, "marker", UUID(int=0))
        return indexed

    def exists(self, case_id: UUID) -> bool:
        return case_id in self.repository

    def head(self) -> int:
        return self.recorder.max_notification_id() or 0


def _uuid(case_id: UUID | str) -> UUID:
    return case_id if isinstance(case_id, UUID) else UUID(str(case_id))
