"""What a command is, what answers it, and the checks every command passes before its case decides.

A command opens a case (no `case_id`) or appends one event to it. Before the aggregate's
own `check_*` rules it passes, in this order: its JSON Schema (`schemas/`), its business
date (not in the future, not before the programme), the actor's unit scope, and its
idempotency key (a retry with the same key and body gets the first answer).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

import orjson

from hexie.schemas import problems

from .calendar import EARLIEST, today
from .case import Context, DomainError


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

    def fingerprint(self, data: dict[str, Any]) -> str:
        """What makes two requests under one idempotency key the same request (`data` as prepared)."""
        op = "open" if self.case_id is None else "append"
        body = orjson.dumps([op, str(self.case_id), self.type, data, self.expected_version], option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True)
class Receipt:
    case_id: UUID
    kind: str
    version: int
    position: int
    replayed: bool = False  # True when an idempotent retry got the first answer

    def as_dict(self) -> dict[str, Any]:
        return {"case_id": str(self.case_id), "kind": self.kind, "version": self.version, "position": self.position}


def prepare(command: Command) -> tuple[dict[str, Any], Context]:
    """The command's data checked against its schema, and its context dated (`occurred_on` leaves the data)."""
    errors = problems(command.type, command.data)
    if errors:
        raise ValidationFailed(errors)
    data = dict(command.data)
    occurred_on = data.pop("occurred_on", None) or today()
    if occurred_on > today():
        raise ValidationFailed([{"field": "data.occurred_on", "message": f"{occurred_on} is in the future / 不能晚于今天"}])
    if occurred_on < EARLIEST:
        raise ValidationFailed([{"field": "data.occurred_on", "message": f"must be on or after {EARLIEST} / 不能早于2020年"}])
    return data, replace(command.context, occurred_on=occurred_on)


def check_permitted(context: Context, unit: str | None) -> None:
    if context.units is not None and unit not in context.units:
        raise NotPermitted(unit)


def scoped_key(context: Context) -> str:
    """Idempotency keys are scoped by actor: two clients may choose the same key."""
    return f"{context.actor}\x1f{context.idempotency_key}"
