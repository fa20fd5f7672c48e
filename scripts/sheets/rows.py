"""What a row of each form stands for: the commands that bring the ledger to what the row says.

A row is read against the ledger as it is (and, while a file is being checked, as earlier
rows of the same file would leave it), and becomes only the commands needed — so a row
already recorded becomes none, and importing the same file twice records nothing new:

- enterprises: `EnterpriseEnrolled` for a new 统一社会信用代码; for a known one,
  `EnterpriseDetailsAmended` with just the filled-in cells that differ, and
  `HeadcountReported` when 职工人数 differs. A blank cell never erases anything. An
  enterprise's unit cannot change by import (the domain has no such event): a row naming
  another 所在地区 is a problem. On enrolment a blank 企业类型 is recorded as 其他 (other)
  and 是否新注册企业, when blank, is 是 for a registration dated 2020 or later.
- annex3 … annex6: one registration each (`CoordinatorRegistered`, `MediationBodyRegistered`,
  `MediatorRegistered`, `SocialOrganisationRegistered`); these cases have random ids, so a
  re-import is recognised by its idempotency keys (same file, same actor). The same
  身份证号码 (Annexes 3, 5) or unit and name (Annexes 4, 6) twice in a file is a problem.
- annex7, annex8: see `enterprise_rows.py`; their enterprise is found, enrolled or amended
  by `enterprise()` here. Without a 统一社会信用代码 column (the bureau's Annex 7/8 as
  circulated), an enterprise is found by its exact 单位名称 among those enrolled, and must be there.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Callable
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from hexie.domain.case import Case
from hexie.domain.calendar import today
from hexie.domain.enterprise import Enterprise

from . import cells
from .forms import Form

NEW_SINCE = "2020-01-01"  # registered on or after: a new enterprise (P06), unless the row says
AMENDABLE = ("name", "address", "industry", "ownership", "contact_name", "contact_phone", "newly_registered",
             "registration_date")
PEOPLE = {"annex3", "annex5"}


@dataclass
class Command:
    type: str
    data: dict[str, Any]
    case_id: UUID | None = None  # appended to; None: the command opens a case
    opens: UUID | None = None  # the id of the case it opens, when the kind derives it
    sources: dict[str, str] = field(default_factory=dict)  # data field -> the row field it came from
    tag: str = ""  # names the command within its row (its idempotency key)


class World:
    """The cases a row is read against: the store, under what earlier rows of the file would record."""

    def __init__(self, hexie, overlay: dict[UUID, Case] | None = None):
        self.hexie = hexie
        self.overlay = overlay if overlay is not None else {}

    def get(self, case_id: UUID) -> Case | None:
        if case_id in self.overlay:
            return self.overlay[case_id]
        try:
            return self.hexie.repository.get(case_id)
        except AggregateNotFoundError:
            return None

    def working_copy(self, case_id: UUID) -> Case | None:
        case = self.get(case_id)
        return None if case is None else copy.deepcopy(case)  # never change a (possibly cached) aggregate


@dataclass
class Row:
    """One row's cells, read; its problems; the defaults that apply to it."""

    number: int
    raw: dict[str, Any]
    form: Form
    present: set[str]  # the fields the file has a column for
    default_unit: str | None  # --unit, else a title's unit, else the officer's unit
    options: Any
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)
    bad: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for name, raw in self.raw.items():
            column = self.form.column(name)
            value, problem = cells.read(column.kind, raw)
            if problem is not None:
                self.fail(name, problem.zh, problem.en, problem.rule)
            elif value is not None:
                self.values[name] = value

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def fail(self, name: str | None, zh: str, en: str, rule: str = "invalid", data_field: str | None = None) -> None:
        if name is not None and name in self.bad:
            return  # one problem per cell: the first says what is wrong
        if name is not None:
            self.bad.add(name)
        self.problems.append({"row": self.number, "field": name, "data_field": data_field, "zh": zh, "en": en,
                              "rule": rule})

    def required(self, name: str, why_zh: str = "", why_en: str = "") -> Any:
        value = self.get(name)
        if value is None and name not in self.bad:
            header = self.form.column(name).header
            self.fail(name, f"“{header}”必填{why_zh}", f"{header} is required{why_en}", "required")
        return value

    def dated(self, data: dict[str, Any]) -> dict[str, Any]:
        occurred_on = self.get("occurred_on") or self.options.occurred_on
        out = {k: v for k, v in data.items() if v is not None}
        if occurred_on:
            out["occurred_on"] = occurred_on
        return out

    @property
    def business_year(self) -> int:
        return int((self.get("occurred_on") or self.options.occurred_on or today())[:4])

    def unit(self) -> tuple[str | None, str | None]:
        """The case's unit and the field it came from (None: an option, a title or the officer)."""
        if self.get("unit"):
            return self.get("unit"), "unit"
        return self.default_unit, None


# -- enterprises -------------------------------------------------------------------------------


def enterprise(row: Row, world: World, names: Callable[[], dict[str, list[str]]] | None, *, unit_field: str,
               headcount_field: str | None, enrol_headcount: str, newly: bool | None = None,
               fallback_unit: str | None = None) -> tuple[UUID | None, list[Command]]:
    """The enterprise a row names, and the commands that enrol or amend it."""
    uscc = row.get("uscc")
    if uscc is None:
        if "uscc" in row.present or "uscc" in row.bad:
            row.required("uscc")
            return None, []
        eid = _by_name(row, names)
        state = world.get(eid) if eid is not None else None
        return eid, (_amendments(row, state, unit_field, headcount_field) if state is not None else [])
    eid = Enterprise.create_id(uscc)
    state = world.get(eid)
    if state is None:
        registered = row.get("registration_date")
        newly_registered = row.get("newly_registered")
        if newly_registered is None:
            newly_registered = newly if newly is not None else bool(registered and registered >= NEW_SINCE)
        data = {
            "name": row.get("name"), "uscc": uscc, "unit": row.get(unit_field) or fallback_unit,
            "address": row.get("address"), "industry": row.get("industry"),
            "ownership": row.get("ownership") or "other", "contact_name": row.get("contact_name"),
            "contact_phone": row.get("contact_phone"), "headcount": row.get(enrol_headcount),
            "newly_registered": newly_registered, "registration_date": registered,
        }
        return eid, [Command("EnterpriseEnrolled", row.dated(data), opens=eid, tag="enrol",
                             sources={"unit": unit_field, "headcount": enrol_headcount})]
    return eid, _amendments(row, state, unit_field, headcount_field)


def _amendments(row: Row, state: Case, unit_field: str, headcount_field: str | None) -> list[Command]:
    commands = []
    unit = row.get(unit_field)
    if unit is not None and unit != state.unit:
        header = row.form.column(unit_field).header
        row.fail(unit_field, f"该企业已登记在{state.unit}，导入不能更改其{header}",
                 f"the enterprise is enrolled under {state.unit}; an import cannot move it", "unit_differs")
    changes = {k: row.get(k) for k in AMENDABLE if row.get(k) is not None and row.get(k) != getattr(state, k, None)}
    if changes:
        commands.append(Command("EnterpriseDetailsAmended", row.dated(changes), case_id=state.id, tag="amend"))
    headcount = row.get(headcount_field) if headcount_field else None
    if headcount is not None and headcount != state.headcount:
        commands.append(Command("HeadcountReported", row.dated({"headcount": headcount}), case_id=state.id,
                                tag=f"headcount:{headcount}", sources={"headcount": headcount_field}))
    return commands


def _by_name(row: Row, names: Callable[[], dict[str, list[str]]] | None) -> UUID | None:
    name = row.required("name")
    if name is None:
        return None
    found = (names() if names else {}).get(cells.key(name), [])
    if len(found) == 1:
        return UUID(found[0])
    if found:
        row.fail("name", f"有{len(found)}家已登记企业名为“{name}”，请加“统一社会信用代码”列以区分",
                 f"{len(found)} enrolled enterprises are named {name!r}: add a 统一社会信用代码 column", "ambiguous_name")
    else:
        row.fail("name", f"没有名为“{name}”的已登记企业；请先导入企业名单，或加“统一社会信用代码”列",
                 f"no enrolled enterprise is named {name!r}: import the enterprise list first, or add a"
                 " 统一社会信用代码 column", "unknown_enterprise")
    return None


async def enterprise_names(db) -> dict[str, list[str]]:
    """Enrolled enterprises' ids by name, keyed as cells match (what `_by_name` looks in), from the
    ledger read model as `db` has it: the caller brings it up to date first."""
    found: dict[str, list[str]] = {}
    for case_id, name in await db.fetch("SELECT case_id, name FROM ledger_cases WHERE kind = 'enterprise'"):
        found.setdefault(cells.key(name or ""), []).append(case_id)
    return found


def enterprises(row: Row, world: World, names=None) -> list[Command]:
    return enterprise(row, world, names, unit_field="unit", headcount_field="headcount", enrol_headcount="headcount")[1]


# -- Annexes 3–6 -------------------------------------------------------------------------------------


def register(row: Row, world: World, names=None) -> list[Command]:
    unit, source = row.unit()
    if unit is None:
        row.fail("unit", "责任单位未知：请加“责任单位”列、在表头标题写明单位，或用 --unit 指定",
                 "which unit? add a 责任单位 column, name the unit in the title, or give --unit", "unit_unknown")
    data = {k: v for k, v in row.values.items() if k not in ("seq", "occurred_on", "unit")}
    return [Command(row.form.event, row.dated({"unit": unit, **data}), tag=row.form.event,
                    sources={"unit": source or "unit"})]


def duplicate_key(form: str, row: Row) -> tuple | None:
    """What must not repeat within one file."""
    if form == "enterprises" or form == "annex8":
        return ("uscc", row.get("uscc")) if row.get("uscc") else ("name", row.get("name"))
    if form == "annex7":
        return (row.get("uscc") or row.get("name"), row.get("plan") or row.options.plan)
    if form in PEOPLE:
        return ("id", row.get("id_number")) if row.get("id_number") else None
    return (row.get("unit") or row.default_unit, row.get("name")) if row.get("name") else None
