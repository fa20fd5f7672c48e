"""The case: what every hexie aggregate is.

A case has a `kind`, a responsible `unit` (the unit credited in Annex 1, named by
its creating event) and a lifecycle. Every event carries, besides its own data, a
`meta` envelope: the business date `occurred_on`, the case's `unit`, the `actor`
and their unit, the request id and the idempotency key. The library's
`timestamp` is the recorded time, so the store is bitemporal.

The envelope comes from the `Context` the application sets for a command, so
command methods keep the signature of their event (the event vocabulary is the
API contract) and rules stay in `check_*` methods, as in the library's examples.
"""

from __future__ import annotations

import contextvars
import functools
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Iterator

from eventsourcing.domain import Aggregate, CommandMethodDecorator

from .calendar import programme_year, today
from .identifiers import ERASED, id_number_problem, uscc_problem


class DomainError(Exception):
    """A command the case refuses. `rule` names the rule, `field` the datum at fault."""

    def __init__(self, rule: str, message: str, field: str | None = None):
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.field = field


class CaseClosedError(DomainError):
    def __init__(self, kind: str):
        super().__init__("case_closed", f"该{kind}案件已关闭 / the case is closed: no further events")


@dataclass(frozen=True)
class Context:
    """Who acts, on what date, under which request."""

    occurred_on: str | None = None  # ISO date the thing happened; None = today
    actor: str = "system"
    actor_unit: str | None = None
    request_id: str | None = None
    idempotency_key: str | None = None
    units: frozenset[str] | None = None  # the units the actor may act for; None = every unit


_context: contextvars.ContextVar[Context] = contextvars.ContextVar("hexie_context", default=Context())
_applying: contextvars.ContextVar[Any] = contextvars.ContextVar("hexie_applying", default=None)
_deciding: contextvars.ContextVar[bool] = contextvars.ContextVar("hexie_deciding", default=False)


def replaying() -> bool:
    """True while a stored event is applied again (a case loaded, a read model rebuilt), False
    while a command decides a new one. Stored events are facts: the rules that decided them
    stay silent on replay, so a rule made stricter later never stops an old case from loading."""
    return _applying.get() is not None and not _deciding.get()


def rule(check: Callable) -> Callable:
    """A `check_*` rule that holds for commands and stays silent on replay (see `replaying`)."""
    @functools.wraps(check)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if replaying():
            return None
        return check(*args, **kwargs)

    guarded.__hexie_rule__ = True  # type: ignore[attr-defined]
    return guarded


@contextmanager
def acting(context: Context) -> Iterator[Context]:
    token = _context.set(context)
    try:
        yield context
    finally:
        _context.reset(token)


def _envelope(unit: str | None) -> dict[str, Any]:
    c = _context.get()
    meta = {
        "occurred_on": c.occurred_on or today(),
        "unit": unit,
        "actor": c.actor,
    }
    for key in ("actor_unit", "request_id", "idempotency_key"):
        value = getattr(c, key)
        if value is not None:
            meta[key] = value
    return meta


class Case(Aggregate):
    kind: ClassVar[str] = "case"
    plan: ClassVar[str | None] = None
    # Event name -> command method name; filled for each subclass from its @event methods.
    commands: ClassVar[dict[str, str]] = {}
    created_event: ClassVar[str] = ""
    # Events still allowed once the case is closed (e.g. publishing a closed arrears case).
    after_close: ClassVar[frozenset[str]] = frozenset()
    # How the case shows in the ledger and counts in Annex 1 (DESIGN 1), stated with its rules:
    counted_by: ClassVar[str | None] = None  # the event that counts the case to its plan's Annex 1 cell
    statuses: ClassVar[dict[str, str]] = {}  # event -> the status the case enters with it
    closing: ClassVar[frozenset[str]] = frozenset()  # events that close the case
    # A person's case (Annexes 3, 5): the creating event's field that identifies them. One case per
    # person and kind; the case id stays random (DESIGN 7), the lookup is a keyed hash (`Vault`).
    identity: ClassVar[str | None] = None

    class Event(Aggregate.Event):
        meta: dict[str, Any]

        def mutate(self, aggregate):
            # Rules and bodies read the business date of the event being applied.
            token = _applying.set(self)
            try:
                return super().mutate(aggregate)
            finally:
                _applying.reset(token)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        commands: dict[str, str] = {}
        for klass in reversed(cls.__mro__):
            for name, attr in list(vars(klass).items()):
                if isinstance(attr, CommandMethodDecorator) and attr.event_cls_name:
                    if name == "__init__":
                        cls.created_event = attr.event_cls_name
                    else:
                        commands[attr.event_cls_name] = name
        cls.commands = commands
        for klass in cls.__mro__:  # the case's rules and its mixins' (gold selection, visits, people …)
            for name, attr in list(vars(klass).items()):
                if name.startswith("check_") and not getattr(getattr(attr, "__func__", attr), "__hexie_rule__", False):
                    if isinstance(attr, staticmethod):
                        setattr(klass, name, staticmethod(rule(attr.__func__)))
                    elif isinstance(attr, classmethod):
                        setattr(klass, name, classmethod(rule(attr.__func__)))
                    elif callable(attr):
                        setattr(klass, name, rule(attr))

    @classmethod
    def _create(cls, event_class, **kwargs):
        kwargs.setdefault("meta", _envelope(kwargs.get("unit")))
        cls.check_dated(kwargs["meta"]["occurred_on"], None)
        token = _deciding.set(True)
        try:
            return super()._create(event_class, **kwargs)
        finally:
            _deciding.reset(token)

    def trigger_event(self, event_class, **kwargs) -> None:
        kwargs.setdefault("meta", _envelope(self.unit))
        if event_class.__name__ not in self.after_close:
            self.check_open()
        self.check_dated(kwargs["meta"]["occurred_on"], self.opened_on)
        token = _deciding.set(True)
        try:
            super().trigger_event(event_class, **kwargs)
        finally:
            _deciding.reset(token)

    # -- state every case has ------------------------------------------------

    @property
    def event_date(self) -> str:
        """`occurred_on` of the event being applied (ISO date)."""
        return _applying.get().meta["occurred_on"]

    def open_case(self, unit: str) -> None:
        """Common part of every creating event's body."""
        self.unit = unit
        self.opened_on = self.event_date
        self.closed = False

    def close_case(self) -> None:
        self.closed = True
        self.closed_on = self.event_date

    def execute(self, name: str, data: dict[str, Any]) -> None:
        """Call the command method for event `name` with its data."""
        try:
            method = self.commands[name]
        except KeyError:
            raise DomainError(
                "unknown_event_for_kind", f"{self.kind} 案件没有事件 {name} / no event {name} for kind {self.kind}", "type"
            ) from None
        getattr(self, method)(**data)

    def state(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    # -- rules every case has --------------------------------------------------

    def check_open(self) -> None:
        if getattr(self, "closed", False):
            raise CaseClosedError(self.kind)

    @staticmethod
    def check_dated(occurred_on: str, opened_on: str | None) -> None:
        if opened_on is not None and occurred_on < opened_on:
            raise DomainError(
                "occurred_before_case_opened",
                f"日期 {occurred_on} 早于案件建立日期 {opened_on} / dated before the case was opened ({opened_on})",
                "data.occurred_on",
            )

    def check_changes(self, changes: dict[str, Any]) -> None:
        """An amendment must change something. (An erased person's fields read as ERASED on
        replay, so an amendment of them is taken as the change it was.)"""
        if ERASED in changes.values():
            return
        if not any(getattr(self, k, None) != v for k, v in changes.items()):
            raise DomainError("nothing_to_amend", "没有需要修改的内容 / nothing differs from the recorded details", "data")

    def check_year_of_date(self, year: int, announced_later: bool = False) -> None:
        """A `year` an event names is the year of its business date (a 2020 launch-phase action may
        name 2021, the year it counts to). A selection or award (`announced_later`) may be announced
        in January–March for the year before: then Annex 1 counts the stated year."""
        on = self.event_date
        dated = int(on[:4])
        allowed = {dated, programme_year(on)} - {None}
        if announced_later and int(on[5:7]) <= 3:
            allowed.add(dated - 1)
        if year not in allowed:
            later = "（评选、授牌可于次年1–3月公布上一年度）" if announced_later else ""
            raise DomainError(
                "year_not_of_date",
                f"年度 {year} 与业务日期 occurred_on {on} 不符{later} / year {year} does not match occurred_on {on}"
                + (" (a selection may be announced in January–March for the year before)" if announced_later else ""),
                "data.year",
            )

    @staticmethod
    def check_uscc(uscc: str, field: str = "data.uscc") -> None:
        problem = uscc_problem(uscc)
        if problem:
            raise DomainError("invalid_uscc", problem, field)

    @staticmethod
    def check_id_number(number: str, field: str = "data.id_number") -> None:
        if number == ERASED:  # replaying an erased person's registration
            return
        problem = id_number_problem(number)
        if problem:
            raise DomainError("invalid_id_number", problem, field)
