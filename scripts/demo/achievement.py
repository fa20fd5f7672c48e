"""Who meets, misses or exceeds which Annex 1 target, and so how many cases each unit's plan gets."""

from __future__ import annotations

import random

from hexie.domain.vocabulary import DISTRICTS
from hexie.domain.calendar import PROGRAMME_YEARS

from .planner import Cell, Planner
from ..programme import target_commands


def _split(rng: random.Random, total: int) -> dict[int, int]:
    """A total without a yearly split, spread over the programme years."""
    out = {y: total // 3 for y in PROGRAMME_YEARS}
    for y in rng.sample(PROGRAMME_YEARS, total % 3):
        out[y] += 1
    return out


def plan_achievement(p: Planner) -> None:
    rng = p.rng
    for command in target_commands():
        d = command["data"]
        per_year = {int(y): n for y, n in d["per_year"].items()} if d["per_year"] else _split(rng, d["total"])
        p.cells[(d["unit"], d["plan"])] = Cell(d["unit"], d["plan"], d["total"], per_year, dict(per_year))

    def has(unit, plan, total):
        return (unit, plan) in p.cells and p.cells[(unit, plan)].total == total

    order = list(DISTRICTS)
    rng.shuffle(order)
    used: set[str] = set()

    def pick(*needs: tuple[str, int]) -> str:
        for unit in order:
            if unit not in used and all(has(unit, plan, total) for plan, total in needs):
                used.add(unit)
                return unit
        raise AssertionError(f"no district left for {needs}")

    behind, ahead = [], []

    def shortfall(unit, plan, years: dict[int, int], why: str):
        cell = p.cells[(unit, plan)]
        cell.done = {y: years.get(y, cell.per_year[y]) for y in PROGRAMME_YEARS}
        behind.append({"unit": unit, "plan": plan, "target": cell.total, "done": sum(cell.done.values()), "why": why})

    def surplus(unit, plan, extra: dict[int, int], why: str):
        cell = p.cells[(unit, plan)]
        cell.done = {y: cell.per_year[y] + extra.get(y, 0) for y in PROGRAMME_YEARS}
        ahead.append({"unit": unit, "plan": plan, "target": cell.total, "done": sum(cell.done.values()), "why": why})

    weak1 = pick(("P06", 75), ("P01", 1))
    c = p.cells[(weak1, "P06")]
    shortfall(weak1, "P06", {2021: c.per_year[2021] - rng.randint(3, 5), 2022: c.per_year[2022] - rng.randint(8, 10),
                             2023: c.per_year[2023] - rng.randint(11, 13)}, "新企业服务进度滞后（约65%）")
    shortfall(weak1, "P01", {2021: 0, 2022: 0, 2023: 0}, "三年申报的集体协商典型均未评选上")
    weak2 = pick(("P06", 75), ("P10", 1))
    c = p.cells[(weak2, "P06")]
    shortfall(weak2, "P06", {2022: c.per_year[2022] - rng.randint(7, 9), 2023: c.per_year[2023] - rng.randint(10, 12)},
              "新企业服务进度滞后（约75%）")
    shortfall(weak2, "P10", {y: 0 for y in PROGRAMME_YEARS}, "尚未发布欠薪典型案例")
    weak3 = pick(("P02", 3), ("P07", 3))
    shortfall(weak3, "P02", {2023: 0}, "2023年重点企业尚未开展首次指导")
    shortfall(weak3, "P07", {2022: 0}, "2022年未选树金牌协调员")
    weak4 = pick(("P04", 3))
    shortfall(weak4, "P04", {2023: 0}, "2023年签约的协作单位尚未授牌")
    quality_low = pick(("P03", 3))
    quality_mid = pick(("P03", 3))
    p.notes["p03_fails"] = {quality_low: 2, quality_mid: 1}
    p.notes["weak_reporters"] = [weak1, weak2]
    p.notes["p01_missing"] = weak1

    star = pick(("P06", 75), ("P01", 1), ("P10", 1))
    surplus(star, "P06", {2021: 2, 2022: 3, 2023: 2}, "新企业服务超额完成")
    surplus(star, "P01", {2022: 1}, "两户企业评为工资集体协商典型")
    surplus(star, "P10", {2022: 1}, "发布两起欠薪典型案例")
    star2 = pick(("P06", 45))
    surplus(star2, "P06", {2021: 2, 2022: 2, 2023: 2}, "新企业服务超额完成")
    star3 = pick(("P02", 3))
    surplus(star3, "P02", {2022: 1}, "多指导服务一户重点企业")
    star4 = pick(("P08", 3))
    surplus(star4, "P08", {2023: 1}, "多选树一家金牌调解组织")
    surplus("市总工会", "P04", {2022: 1}, "多授牌一家协作单位")
    p.notes["behind"] = behind
    p.notes["ahead"] = ahead


def done(p: Planner, unit: str, plan: str) -> dict[int, int]:
    """The cases the unit's plan gets per programme year (times the scale's `cases`)."""
    cell = p.cells.get((unit, plan))
    return {y: n * p.scale.cases for y, n in cell.done.items()} if cell else {y: 0 for y in PROGRAMME_YEARS}
