"""Annex 1: the completion matrix, 15 units x 10 plans, target / done / per programme year.

Counting (DESIGN 1): a case counts once, for the unit named by its creating event,
in the programme year of its first counting event's `occurred_on` (see
`domain.kinds.COUNTING`, stated by each case class). Each counted case is kept as evidence, so every cell drills
down to the cases behind it. Beside the matrix: the P03 quality bar (share of
enrolled enterprises that passed the assessment, >= 80 %) and the P10 count of
open arrears cases (to be driven to zero).

Everything carries its recorded time, so `as_of` gives the matrix as the system
knew it then. The current matrix reads a few hundred rows kept up to date
incrementally (`annex1_cells`), so it stays fast however long the log grows.
"""

from __future__ import annotations

from typing import Any, Callable

from hexie.domain.arrears import ArrearsCase
from hexie.domain.cultivation import Cultivation
from hexie.domain.kinds import CASE_OF, COUNTING
from hexie.domain.target import Target
from hexie.domain.calendar import PROGRAMME_YEARS, programme_year
from hexie.domain.vocabulary import PLANS, UNITS

from .annex1_sheets import sheet, sheets  # noqa: F401 — the matrix as printable spreadsheets
from .engine import Projection, dumps, loads

QUALITY_BAR = 80.0  # percent of enrolled P03 enterprises that must pass


class Annex1(Projection):
    name = "annex1"
    tables = {
        "annex1_targets": [
            "CREATE TABLE IF NOT EXISTS {t} (unit TEXT NOT NULL, plan TEXT NOT NULL, total BIGINT NOT NULL, "
            "per_year TEXT, recorded_at TEXT NOT NULL, position BIGINT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS {t}_unit_plan ON {t} (unit, plan, position)",
        ],
        "annex1_evidence": [
            "CREATE TABLE IF NOT EXISTS {t} (plan TEXT NOT NULL, case_id TEXT NOT NULL, unit TEXT NOT NULL, "
            "kind TEXT NOT NULL, year BIGINT, counted_on TEXT NOT NULL, position BIGINT NOT NULL, "
            "recorded_at TEXT NOT NULL, PRIMARY KEY (plan, case_id))",
            "CREATE INDEX IF NOT EXISTS {t}_unit_plan ON {t} (unit, plan, position)",
        ],
        "annex1_cells": [
            "CREATE TABLE IF NOT EXISTS {t} (unit TEXT NOT NULL, plan TEXT NOT NULL, year BIGINT NOT NULL, "
            "done BIGINT NOT NULL, PRIMARY KEY (unit, plan, year))",
        ],
        "annex1_assessments": [
            "CREATE TABLE IF NOT EXISTS {t} (case_id TEXT NOT NULL, unit TEXT NOT NULL, passed BIGINT NOT NULL, "
            "recorded_at TEXT NOT NULL, position BIGINT NOT NULL)",
        ],
        "annex1_arrears": [
            "CREATE TABLE IF NOT EXISTS {t} (case_id TEXT PRIMARY KEY, unit TEXT NOT NULL, "
            "received_at TEXT NOT NULL, closed_at TEXT)",
        ],
        # Per unit, kept current: P03 enrolled / passed (each case's latest assessment), open P10 cases.
        "annex1_units": [
            "CREATE TABLE IF NOT EXISTS {t} (unit TEXT PRIMARY KEY, enrolled BIGINT NOT NULL, passed BIGINT NOT NULL, "
            "open_arrears BIGINT NOT NULL)",
        ],
    }

    def __init__(self, suffix: str = ""):
        super().__init__(suffix)
        self.counted: set[tuple[str, str]] = set()
        self.cells: dict[tuple[str, str, int], int] = {}
        self.new_evidence: list[tuple] = []
        self.new_targets: list[tuple] = []
        self.new_assessments: list[tuple] = []
        self.new_arrears: list[tuple] = []
        self.closed_arrears: list[tuple] = []
        self.assessed: dict[str, tuple[str, int]] = {}  # P03 case -> (unit, passed now)
        self.units: dict[str, list[int]] = {}  # unit -> [enrolled, passed, open arrears]
        self.dirty_cells: set[tuple[str, str, int]] = set()
        self.dirty_units: set[str] = set()

    async def load(self, db) -> None:
        self.counted = {(r[0], r[1]) for r in await db.fetch(f"SELECT plan, case_id FROM {self.t('annex1_evidence')}")}
        self.cells = {(r[0], r[1], r[2]): r[3] for r in await db.fetch(f"SELECT unit, plan, year, done FROM {self.t('annex1_cells')}")}
        self.units = {r[0]: [r[1], r[2], r[3]] for r in await db.fetch(
            f"SELECT unit, enrolled, passed, open_arrears FROM {self.t('annex1_units')}")}
        self.assessed = {r[0]: (r[1], r[2]) for r in await db.fetch(
            f"SELECT a.case_id, a.unit, a.passed FROM {self.t('annex1_assessments')} a JOIN ("
            f"SELECT case_id, MAX(position) AS position FROM {self.t('annex1_assessments')} GROUP BY case_id) latest "
            "ON a.case_id = latest.case_id AND a.position = latest.position")}
        self.new_evidence, self.new_targets, self.new_assessments = [], [], []
        self.new_arrears, self.closed_arrears = [], []
        self.dirty_cells, self.dirty_units = set(), set()

    async def flush(self, tx) -> None:
        await tx.copy_rows(self.t("annex1_evidence"),
                           ("plan", "case_id", "unit", "kind", "year", "counted_on", "position", "recorded_at"), self.new_evidence)
        await tx.copy_rows(self.t("annex1_targets"), ("unit", "plan", "total", "per_year", "recorded_at", "position"),
                           self.new_targets)
        await tx.copy_rows(self.t("annex1_assessments"), ("case_id", "unit", "passed", "recorded_at", "position"),
                           self.new_assessments)
        await tx.copy_rows(self.t("annex1_arrears"), ("case_id", "unit", "received_at", "closed_at"), self.new_arrears)
        if self.closed_arrears:
            await tx.executemany(f"UPDATE {self.t('annex1_arrears')} SET closed_at = $1 WHERE case_id = $2", self.closed_arrears)
        await tx.merge_rows(self.t("annex1_cells"), ("unit", "plan", "year", "done"), ("unit", "plan", "year"),
                            [(*key, self.cells[key]) for key in self.dirty_cells])
        await tx.merge_rows(self.t("annex1_units"), ("unit", "enrolled", "passed", "open_arrears"), ("unit",),
                            [(unit, *self.units[unit]) for unit in self.dirty_units])
        self.new_evidence, self.new_targets, self.new_assessments = [], [], []
        self.new_arrears, self.closed_arrears = [], []
        self.dirty_cells, self.dirty_units = set(), set()

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

    def count(self, event: Any, position: int) -> None:
        plan = COUNTING.get(type(event))
        if plan is None:
            return
        case_id = str(event.originator_id)
        if (plan, case_id) in self.counted:
            return  # a case counts once: later visits, a second publication … change nothing
        self.counted.add((plan, case_id))
        unit, on = event.meta["unit"], event.meta["occurred_on"]
        year = programme_year(on)
        kind = CASE_OF[type(event)].kind
        self.new_evidence.append((plan, case_id, unit, kind, year, on, position, event.timestamp))
        if year is not None:
            key = (unit, plan, year)
            self.cells[key] = self.cells.get(key, 0) + 1
            self.dirty_cells.add(key)

    def on_target(self, event: Any, position: int) -> None:
        unit, plan = event.meta["unit"], getattr(event, "plan", None)
        if plan is None:  # an amendment names neither: they are the case's, by its id
            unit, plan = TARGET_KEYS[str(event.originator_id)]
        per_year = dumps(event.per_year) if event.per_year is not None else None
        self.new_targets.append((unit, plan, event.total, per_year, event.timestamp, position))

    def on_enrolled(self, event: Cultivation.CultivationEnrolled, position: int) -> None:
        self.count(event, position)  # enrolment is what counts for P03
        case_id, unit = str(event.originator_id), event.meta["unit"]
        self.assessed[case_id] = (unit, 0)
        self.unit(unit)[0] += 1
        self.new_assessments.append((case_id, unit, 0, event.timestamp, position))

    def on_assessed(self, event: Cultivation.CultivationAssessed, position: int) -> None:
        case_id, unit, passed = str(event.originator_id), event.meta["unit"], int(event.passed)
        self.unit(unit)[1] += passed - self.assessed.get(case_id, (unit, 0))[1]  # the latest assessment counts
        self.assessed[case_id] = (unit, passed)
        self.new_assessments.append((case_id, unit, passed, event.timestamp, position))

    def on_arrears_received(self, event: ArrearsCase.ArrearsClueReceived, position: int) -> None:
        self.new_arrears.append((str(event.originator_id), event.meta["unit"], event.timestamp, None))
        self.unit(event.meta["unit"])[2] += 1

    def on_arrears_closed(self, event: ArrearsCase.ArrearsCaseClosed, position: int) -> None:
        self.closed_arrears.append((event.timestamp, str(event.originator_id)))
        self.unit(event.meta["unit"])[2] -= 1


# Target case id -> (unit, plan): the id derives from them (`Target.create_id`).
TARGET_KEYS = {str(Target.create_id(unit, plan)): (unit, plan) for unit in UNITS for plan in PLANS}


# -- queries -------------------------------------------------------------------


def _percent(done: int, target: int | None) -> float | None:
    return round(100.0 * done / target, 1) if target else None


def build_matrix(
    targets: dict[tuple[str, str], tuple[int, dict | None]],
    done: dict[tuple[str, str, int], int],
    enrolled: dict[str, int],
    passed: dict[str, int],
    open_arrears: dict[str, int],
) -> dict[str, Any]:
    """The matrix document from its ingredients (shared by the live and the as-of query)."""
    rows = []
    totals: dict[str, dict[str, Any]] = {
        p: {"target": 0, "done": 0, "by_year": {str(y): {"target": 0, "done": 0} for y in PROGRAMME_YEARS}} for p in PLANS
    }
    for unit in UNITS:
        cells = {}
        for plan in PLANS:
            total, per_year = targets.get((unit, plan), (None, None))
            by_year = {}
            for y in PROGRAMME_YEARS:
                n = done.get((unit, plan, y), 0)
                year_target = per_year.get(str(y)) if per_year else None
                by_year[str(y)] = {"target": year_target, "done": n}
                totals[plan]["by_year"][str(y)]["done"] += n
                totals[plan]["by_year"][str(y)]["target"] += year_target or 0
            n_done = sum(c["done"] for c in by_year.values())
            cells[plan] = {"target": total, "done": n_done, "percent": _percent(n_done, total), "by_year": by_year}
            totals[plan]["target"] += total or 0
            totals[plan]["done"] += n_done
        n_enrolled, n_passed = enrolled.get(unit, 0), passed.get(unit, 0)
        share = _percent(n_passed, n_enrolled)
        rows.append({
            "unit": unit,
            "cells": cells,
            "quality": {"plan": "P03", "enrolled": n_enrolled, "passed": n_passed, "percent": share,
                        "meets_bar": None if share is None else share >= QUALITY_BAR},
            "open_arrears": open_arrears.get(unit, 0),
        })
    for plan, cell in totals.items():
        cell["percent"] = _percent(cell["done"], cell["target"])
    all_enrolled, all_passed = sum(enrolled.values()), sum(passed.values())
    share = _percent(all_passed, all_enrolled)
    return {
        "years": list(PROGRAMME_YEARS),
        "plans": dict(PLANS),
        "rows": rows,
        "totals": totals,
        "quality": {"plan": "P03", "enrolled": all_enrolled, "passed": all_passed, "percent": share,
                    "bar": QUALITY_BAR, "meets_bar": None if share is None else share >= QUALITY_BAR},
        "open_arrears": sum(open_arrears.values()),
    }


async def matrix(db, as_of: str | None = None) -> dict[str, Any]:
    """The matrix now, or as recorded by `as_of` (an ISO timestamp in UTC, compared with recorded times).

    The current one is built again only when the projection has moved on."""
    position = await db.fetchval("SELECT position FROM projection_positions WHERE name = 'annex1'") or 0
    latest = db.memo.get("annex1")  # (position, document)
    if as_of is None and latest is not None and latest[0] == position:
        return latest[1]
    if as_of is None:
        target_rows = await db.fetch(
            "SELECT t.unit, t.plan, t.total, t.per_year FROM annex1_targets t JOIN ("
            "SELECT unit, plan, MAX(position) AS position FROM annex1_targets GROUP BY unit, plan) latest "
            "ON t.unit = latest.unit AND t.plan = latest.plan AND t.position = latest.position")
        done = {(r[0], r[1], r[2]): r[3] for r in await db.fetch("SELECT unit, plan, year, done FROM annex1_cells")}
        units = await db.fetch("SELECT unit, enrolled, passed, open_arrears FROM annex1_units")
        assessed = [(r[0], r[1], r[2]) for r in units]
        arrears = [(r[0], r[3]) for r in units]
    else:
        target_rows = await db.fetch(
            "SELECT t.unit, t.plan, t.total, t.per_year FROM annex1_targets t JOIN ("
            "SELECT unit, plan, MAX(position) AS position FROM annex1_targets WHERE recorded_at <= $1 GROUP BY unit, plan) latest "
            "ON t.unit = latest.unit AND t.plan = latest.plan AND t.position = latest.position", as_of)
        done = {(r[0], r[1], r[2]): r[3] for r in await db.fetch(
            "SELECT unit, plan, year, COUNT(*) FROM annex1_evidence WHERE recorded_at <= $1 AND year IS NOT NULL "
            "GROUP BY unit, plan, year", as_of)}
        assessed = await db.fetch(
            "SELECT a.unit, COUNT(*), SUM(a.passed) FROM annex1_assessments a JOIN ("
            "SELECT case_id, MAX(position) AS position FROM annex1_assessments WHERE recorded_at <= $1 GROUP BY case_id) latest "
            "ON a.case_id = latest.case_id AND a.position = latest.position GROUP BY a.unit", as_of)
        arrears = await db.fetch(
            "SELECT unit, COUNT(*) FROM annex1_arrears WHERE received_at <= $1 AND (closed_at IS NULL OR closed_at > $1) "
            "GROUP BY unit", as_of)
        position = await db.fetchval(
            "SELECT MAX(position) FROM (SELECT MAX(position) AS position FROM annex1_evidence WHERE recorded_at <= $1 "
            "UNION ALL SELECT MAX(position) FROM annex1_targets WHERE recorded_at <= $1) p", as_of) or 0
    targets = {(r[0], r[1]): (r[2], loads(r[3])) for r in target_rows}
    document = build_matrix(
        targets, done,
        enrolled={r[0]: r[1] for r in assessed},
        passed={r[0]: int(r[2] or 0) for r in assessed},
        open_arrears={r[0]: r[1] for r in arrears},
    )
    result = {"as_of": as_of, "position": position, **document}
    if as_of is None:
        db.memo["annex1"] = (position, result)
    return result


async def evidence(db, unit: str, plan: str, as_of: str | None = None) -> dict[str, Any]:
    """The cases behind one cell, each with the position of the event that counted it."""
    sql = "SELECT case_id, kind, year, counted_on, position, recorded_at FROM annex1_evidence WHERE unit = $1 AND plan = $2"
    args: list[Any] = [unit, plan]
    if as_of is not None:
        sql += " AND recorded_at <= $3"
        args.append(as_of)
    rows = await db.fetch(sql + " ORDER BY position", *args)
    return {
        "unit": unit,
        "plan": plan,
        "as_of": as_of,
        "cases": [
            {"case_id": r[0], "kind": r[1], "year": r[2], "counted_on": r[3], "position": r[4], "recorded_at": r[5]}
            for r in rows
        ],
    }
