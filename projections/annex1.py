"""Annex 1: the completion matrix, 15 units x 10 plans, target / done / per programme year.

Counting (DESIGN 1): a case counts once, for the unit named by its creating event, in the
programme year of its first counting event by business date (`domain.kinds.COUNTING`, stated
by each case class). In a ledger filled in after the fact the first counting event recorded
need not be the first that happened (a visit of 2021 recorded after one of 2022), so every
counting event is kept (`annex1_counts`) and a case counts by its earliest. Beside the matrix:
the P03 quality bar (share of enrolled enterprises whose latest assessment passed, >= 80 %)
and the P10 count of open arrears cases (to be driven to zero).

Every row carries its business date and its recorded time, so the matrix and its evidence
are answered for any pair of cut-offs (`Cut`: `through` a business date, `as_of` a recorded
time). The current matrix reads a few hundred rows kept up to date incrementally
(`annex1_cells`, `annex1_units`), so it stays fast however long the log grows.
"""

from __future__ import annotations

from typing import Any, Callable

from hexie.domain.arrears import ArrearsCase
from hexie.domain.calendar import programme_year
from hexie.domain.cultivation import Cultivation
from hexie.domain.kinds import CASE_OF, COUNTING
from hexie.domain.target import Target
from hexie.domain.vocabulary import PLANS, UNITS

from .annex1_sheets import sheet, sheets  # noqa: F401 — the matrix as printable spreadsheets
from .cut import NOW, Cut
from .engine import Projection, dumps, loads
from .matrix import QUALITY_BAR, build_matrix  # noqa: F401 (QUALITY_BAR: the reports colour by it)


class Annex1(Projection):
    name = "annex1"
    version = 2  # 2: every counting event kept (annex1_counts); business dates beside recorded times
    retired_tables = ("annex1_evidence",)  # version 1's first counting event per case
    tables = {
        "annex1_targets": [
            "CREATE TABLE IF NOT EXISTS {t} (unit TEXT NOT NULL, plan TEXT NOT NULL, total BIGINT NOT NULL, "
            "per_year TEXT, occurred_on TEXT NOT NULL, recorded_at TEXT NOT NULL, position BIGINT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS {t}_unit_plan ON {t} (unit, plan, position)",
        ],
        # Every counting event: a case counts by its earliest (business date, then position).
        "annex1_counts": [
            "CREATE TABLE IF NOT EXISTS {t} (position BIGINT PRIMARY KEY, plan TEXT NOT NULL, case_id TEXT NOT NULL, "
            "unit TEXT NOT NULL, kind TEXT NOT NULL, year BIGINT, counted_on TEXT NOT NULL, recorded_at TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS {t}_unit_plan ON {t} (unit, plan, case_id)",
        ],
        "annex1_cells": [
            "CREATE TABLE IF NOT EXISTS {t} (unit TEXT NOT NULL, plan TEXT NOT NULL, year BIGINT NOT NULL, "
            "done BIGINT NOT NULL, PRIMARY KEY (unit, plan, year))",
        ],
        # P03: enrolment (passed 0) and every assessment; a case's latest by business date counts.
        "annex1_assessments": [
            "CREATE TABLE IF NOT EXISTS {t} (case_id TEXT NOT NULL, unit TEXT NOT NULL, passed BIGINT NOT NULL, "
            "occurred_on TEXT NOT NULL, recorded_at TEXT NOT NULL, position BIGINT NOT NULL)",
        ],
        "annex1_arrears": [
            "CREATE TABLE IF NOT EXISTS {t} (case_id TEXT PRIMARY KEY, unit TEXT NOT NULL, received_on TEXT NOT NULL, "
            "received_at TEXT NOT NULL, closed_on TEXT, closed_at TEXT)",
        ],
        # Per unit, kept current: P03 enrolled / passed, open P10 cases.
        "annex1_units": [
            "CREATE TABLE IF NOT EXISTS {t} (unit TEXT PRIMARY KEY, enrolled BIGINT NOT NULL, passed BIGINT NOT NULL, "
            "open_arrears BIGINT NOT NULL)",
        ],
    }

    def __init__(self, suffix: str = ""):
        super().__init__(suffix)
        self.first: dict[tuple[str, str], tuple[str, int, str, int | None]] = {}  # (plan, case) -> (on, pos, unit, year)
        self.cells: dict[tuple[str, str, int], int] = {}
        self.assessed: dict[str, tuple[str, int, str, int]] = {}  # P03 case -> (unit, passed, on, position)
        self.units: dict[str, list[int]] = {}  # unit -> [enrolled, passed, open arrears]
        self._fresh()

    def _fresh(self) -> None:
        self.new_counts: list[tuple] = []
        self.new_targets: list[tuple] = []
        self.new_assessments: list[tuple] = []
        self.new_arrears: list[tuple] = []
        self.closed_arrears: list[tuple] = []
        self.dirty_cells: set[tuple[str, str, int]] = set()
        self.dirty_units: set[str] = set()

    async def load(self, db) -> None:
        self.first = {}
        for plan, case_id, unit, year, on, position in await db.fetch(
                f"SELECT plan, case_id, unit, year, counted_on, position FROM {self.t('annex1_counts')}"):
            self._earliest(plan, case_id, on, position, unit, year)
        self.cells = {(r[0], r[1], r[2]): r[3] for r in await db.fetch(f"SELECT unit, plan, year, done FROM {self.t('annex1_cells')}")}
        self.units = {r[0]: [r[1], r[2], r[3]] for r in await db.fetch(
            f"SELECT unit, enrolled, passed, open_arrears FROM {self.t('annex1_units')}")}
        self.assessed = {}
        for case_id, unit, passed, on, position in await db.fetch(
                f"SELECT case_id, unit, passed, occurred_on, position FROM {self.t('annex1_assessments')}"):
            self._latest(case_id, unit, passed, on, position)
        self._fresh()

    async def flush(self, tx) -> None:
        await tx.copy_rows(self.t("annex1_counts"),
                           ("position", "plan", "case_id", "unit", "kind", "year", "counted_on", "recorded_at"), self.new_counts)
        await tx.copy_rows(self.t("annex1_targets"),
                           ("unit", "plan", "total", "per_year", "occurred_on", "recorded_at", "position"), self.new_targets)
        await tx.copy_rows(self.t("annex1_assessments"), ("case_id", "unit", "passed", "occurred_on", "recorded_at", "position"),
                           self.new_assessments)
        await tx.copy_rows(self.t("annex1_arrears"), ("case_id", "unit", "received_on", "received_at", "closed_on", "closed_at"),
                           self.new_arrears)
        if self.closed_arrears:
            await tx.executemany(f"UPDATE {self.t('annex1_arrears')} SET closed_on = $1, closed_at = $2 WHERE case_id = $3",
                                 self.closed_arrears)
        await tx.merge_rows(self.t("annex1_cells"), ("unit", "plan", "year", "done"), ("unit", "plan", "year"),
                            [(*key, self.cells[key]) for key in self.dirty_cells])
        await tx.merge_rows(self.t("annex1_units"), ("unit", "enrolled", "passed", "open_arrears"), ("unit",),
                            [(unit, *self.units[unit]) for unit in self.dirty_units])
        self._fresh()

    def unit(self, unit: str) -> list[int]:
        self.dirty_units.add(unit)
        return self.units.setdefault(unit, [0, 0, 0])

    def handlers(self) -> dict[type, Callable[[Any, int], None]]:
        return {
            Target.TargetAssigned: self.on_target,
            Target.TargetAmended: self.on_target,
            Cultivation.CultivationEnrolled: self.on_enrolled,
            Cultivation.CultivationAssessed: self.on_assessed,
            ArrearsCase.ArrearsClueReceived: self.on_arrears_received,
            ArrearsCase.ArrearsCaseClosed: self.on_arrears_closed,
        }

    def default(self, event: Any, position: int) -> None:
        self.count(event, position)

    def _earliest(self, plan: str, case_id: str, on: str, position: int, unit: str, year: int | None):
        """Keep (plan, case)'s earliest counting event; returns the one it replaces (or None)."""
        key = (plan, case_id)
        before = self.first.get(key)
        if before is None or (on, position) < before[:2]:
            self.first[key] = (on, position, unit, year)
        return before

    def _cell(self, unit: str, plan: str, year: int | None, change: int) -> None:
        if year is not None:
            key = (unit, plan, year)
            self.cells[key] = self.cells.get(key, 0) + change
            self.dirty_cells.add(key)

    def count(self, event: Any, position: int) -> None:
        plan = COUNTING.get(type(event))
        if plan is None:
            return
        case_id, unit, on = str(event.originator_id), event.meta["unit"], event.meta["occurred_on"]
        year = programme_year(on, getattr(event, "year", None))
        self.new_counts.append((position, plan, case_id, unit, CASE_OF[type(event)].kind, year, on, event.timestamp))
        before = self._earliest(plan, case_id, on, position, unit, year)
        if before is None:
            self._cell(unit, plan, year, +1)
        elif self.first[(plan, case_id)] != before:  # an earlier action, recorded later: the case moves year
            self._cell(unit, plan, before[3], -1)
            self._cell(unit, plan, year, +1)

    def on_target(self, event: Any, position: int) -> None:
        unit, plan = event.meta["unit"], getattr(event, "plan", None)
        if plan is None:  # an amendment names neither: they are the case's, by its id
            unit, plan = TARGET_KEYS[str(event.originator_id)]
        per_year = dumps(event.per_year) if event.per_year is not None else None
        self.new_targets.append((unit, plan, event.total, per_year, event.meta["occurred_on"], event.timestamp, position))

    def _latest(self, case_id: str, unit: str, passed: int, on: str, position: int) -> int:
        """Keep a P03 case's latest assessment by business date; returns the change in `passed`."""
        before = self.assessed.get(case_id)
        if before is not None and (on, position) < before[2:]:
            return 0  # an older assessment recorded late does not overrule a later one
        self.assessed[case_id] = (unit, passed, on, position)
        return passed - (before[1] if before else 0)

    def on_enrolled(self, event: Cultivation.CultivationEnrolled, position: int) -> None:
        self.count(event, position)  # enrolment is what counts for P03
        case_id, unit, on = str(event.originator_id), event.meta["unit"], event.meta["occurred_on"]
        self._latest(case_id, unit, 0, on, position)
        self.unit(unit)[0] += 1
        self.new_assessments.append((case_id, unit, 0, on, event.timestamp, position))

    def on_assessed(self, event: Cultivation.CultivationAssessed, position: int) -> None:
        case_id, unit, passed, on = str(event.originator_id), event.meta["unit"], int(event.passed), event.meta["occurred_on"]
        self.unit(unit)[1] += self._latest(case_id, unit, passed, on, position)
        self.new_assessments.append((case_id, unit, passed, on, event.timestamp, position))

    def on_arrears_received(self, event: ArrearsCase.ArrearsClueReceived, position: int) -> None:
        self.new_arrears.append((str(event.originator_id), event.meta["unit"], event.meta["occurred_on"], event.timestamp,
                                 None, None))
        self.unit(event.meta["unit"])[2] += 1

    def on_arrears_closed(self, event: ArrearsCase.ArrearsCaseClosed, position: int) -> None:
        self.closed_arrears.append((event.meta["occurred_on"], event.timestamp, str(event.originator_id)))
        self.unit(event.meta["unit"])[2] -= 1


# Target case id -> (unit, plan): the id derives from them (`Target.create_id`).
TARGET_KEYS = {str(Target.create_id(unit, plan)): (unit, plan) for unit in UNITS for plan in PLANS}


# -- queries -------------------------------------------------------------------

def _admits(cut: Cut, on: str, at: str, args: list[Any]) -> str:
    """SQL: the row's business date (`on`) and recorded time (`at`) columns within `cut`."""
    where = []
    if cut.through is not None:
        args.append(cut.through)
        where.append(f"{on} <= ${len(args)}")
    if cut.as_of is not None:
        args.append(cut.as_of)
        where.append(f"{at} <= ${len(args)}")
    return " AND ".join(where) or "1 = 1"


async def _first_counts(db, cut: Cut, unit: str | None = None, plan: str | None = None) -> list[tuple]:
    """Each counted case's earliest counting event within `cut`:
    (plan, case_id, unit, kind, year, counted_on, position, recorded_at)."""
    args: list[Any] = []
    where = _admits(cut, "counted_on", "recorded_at", args)
    for name, value in (("unit", unit), ("plan", plan)):
        if value is not None:
            args.append(value)
            where += f" AND {name} = ${len(args)}"
    return await db.fetch(
        "SELECT plan, case_id, unit, kind, year, counted_on, position, recorded_at FROM ("
        "SELECT *, ROW_NUMBER() OVER (PARTITION BY plan, case_id ORDER BY counted_on, position) AS n "
        f"FROM annex1_counts WHERE {where}) f WHERE n = 1 ORDER BY position", *args)


async def matrix(db, cut: Cut = NOW) -> dict[str, Any]:
    """The matrix within `cut` (business date and recorded time; both now by default).

    The current one is built again only when the projection has moved on."""
    position = await db.fetchval("SELECT position FROM projection_positions WHERE name = 'annex1'") or 0
    latest = db.memo.get("annex1")  # (position, document)
    if cut.now and latest is not None and latest[0] == position:
        return latest[1]
    if cut.now:
        target_rows = await db.fetch(
            "SELECT t.unit, t.plan, t.total, t.per_year FROM annex1_targets t JOIN ("
            "SELECT unit, plan, MAX(position) AS position FROM annex1_targets GROUP BY unit, plan) latest "
            "ON t.unit = latest.unit AND t.plan = latest.plan AND t.position = latest.position")
        done = {(r[0], r[1], r[2]): r[3] for r in await db.fetch("SELECT unit, plan, year, done FROM annex1_cells")}
        units = await db.fetch("SELECT unit, enrolled, passed, open_arrears FROM annex1_units")
        assessed = [(r[0], r[1], r[2]) for r in units]
        arrears = [(r[0], r[3]) for r in units]
    else:
        args: list[Any] = []
        target_rows = await db.fetch(
            "SELECT unit, plan, total, per_year FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY unit, plan "
            f"ORDER BY occurred_on DESC, position DESC) AS n FROM annex1_targets WHERE {_admits(cut, 'occurred_on', 'recorded_at', args)}) t "
            "WHERE n = 1", *args)
        done: dict[tuple[str, str, int], int] = {}
        counted = await _first_counts(db, cut)
        for plan, _, unit, _, year, _, _, _ in counted:
            if year is not None:
                done[(unit, plan, year)] = done.get((unit, plan, year), 0) + 1
        args = []
        assessed = await db.fetch(
            "SELECT unit, COUNT(*), SUM(passed) FROM (SELECT unit, passed, ROW_NUMBER() OVER (PARTITION BY case_id "
            f"ORDER BY occurred_on DESC, position DESC) AS n FROM annex1_assessments WHERE {_admits(cut, 'occurred_on', 'recorded_at', args)}) a "
            "WHERE n = 1 GROUP BY unit", *args)
        args = []
        received = _admits(cut, "received_on", "received_at", args)
        closed = _admits(cut, "closed_on", "closed_at", args)
        arrears = await db.fetch(
            f"SELECT unit, COUNT(*) FROM annex1_arrears WHERE {received} AND NOT (closed_on IS NOT NULL AND {closed}) "
            "GROUP BY unit", *args)
        position = max([c[6] for c in counted] + [await _last_position(db, cut)])
    targets = {(r[0], r[1]): (r[2], loads(r[3])) for r in target_rows}
    document = build_matrix(
        targets, done,
        enrolled={r[0]: r[1] for r in assessed},
        passed={r[0]: int(r[2] or 0) for r in assessed},
        open_arrears={r[0]: r[1] for r in arrears},
    )
    result = {**cut.as_dict(), "position": position, **document}
    if cut.now:
        db.memo["annex1"] = (position, result)
    return result


async def _last_position(db, cut: Cut) -> int:
    args: list[Any] = []
    return await db.fetchval(
        f"SELECT MAX(position) FROM annex1_targets WHERE {_admits(cut, 'occurred_on', 'recorded_at', args)}", *args) or 0


async def evidence(db, unit: str, plan: str, cut: Cut = NOW) -> dict[str, Any]:
    """The cases behind one cell within `cut`, each with the position of the event that counted it."""
    rows = await _first_counts(db, cut, unit, plan)
    return {
        "unit": unit,
        "plan": plan,
        **cut.as_dict(),
        "cases": [
            {"case_id": r[1], "kind": r[3], "year": r[4], "counted_on": r[5], "position": r[6], "recorded_at": r[7]}
            for r in rows
        ],
    }
