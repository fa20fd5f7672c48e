"""The Annex 1 matrix computed from its ingredients: targets, done per year, P03 and P10 figures.

Pure (no database), so the live matrix, the matrix at any cut-off and the yearly summary
build it alike, and it is tested on its own.

Annex 1 writes most cells "3 (1/年)" — a three-year total split by year — but some as a bare
total ("1" for 集体协商 in every district; 南湖新区 and 屈原区; the city bodies): those are
three-year targets with no yearly split. A cell says which (`yearly_split`); a bare cell's
yearly targets are null, never 0. The totals row's yearly targets add only what the seed
splits (`split_target`), and say how much is not split (`unsplit_target`); its three-year
target is the sum of every unit's (15 / 40 / 40 / 40 / 40 / 780 / 32 / 32 / 12 / 12).
"""

from __future__ import annotations

from typing import Any

from hexie.domain.calendar import PROGRAMME_YEARS
from hexie.domain.vocabulary import PLANS, UNITS

QUALITY_BAR = 80.0  # percent of enrolled P03 enterprises that must pass

YEARLY_NOTE = ("分年度目标合计只含附件1分年度下达的目标；未分年度的目标是三年目标，见 unsplit_target"
               " / the yearly target totals add only the targets Annex 1 splits by year; the others are"
               " three-year targets (unsplit_target)")


def percent(done: int, target: int | None) -> float | None:
    return round(100.0 * done / target, 1) if target else None


def quality(enrolled: int, passed: int) -> dict[str, Any]:
    share = percent(passed, enrolled)
    return {"plan": "P03", "enrolled": enrolled, "passed": passed, "percent": share,
            "meets_bar": None if share is None else share >= QUALITY_BAR}


def build_matrix(
    targets: dict[tuple[str, str], tuple[int, dict | None]],
    done: dict[tuple[str, str, int], int],
    enrolled: dict[str, int],
    passed: dict[str, int],
    open_arrears: dict[str, int],
) -> dict[str, Any]:
    """The matrix document: `targets` (unit, plan) -> (total, per_year or None), `done`
    (unit, plan, year) -> cases, P03 enrolled/passed and open P10 cases per unit."""
    rows = []
    totals: dict[str, dict[str, Any]] = {
        p: {"target": 0, "done": 0, "split_target": 0, "unsplit_target": 0,
            "by_year": {str(y): {"target": 0, "done": 0} for y in PROGRAMME_YEARS}} for p in PLANS
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
            cells[plan] = {"target": total, "done": n_done, "percent": percent(n_done, total),
                           "yearly_split": per_year is not None, "by_year": by_year}
            totals[plan]["target"] += total or 0
            totals[plan]["split_target" if per_year is not None else "unsplit_target"] += total or 0
            totals[plan]["done"] += n_done
        rows.append({
            "unit": unit,
            "cells": cells,
            "quality": quality(enrolled.get(unit, 0), passed.get(unit, 0)),
            "open_arrears": open_arrears.get(unit, 0),
        })
    for cell in totals.values():
        cell["percent"] = percent(cell["done"], cell["target"])
    return {
        "years": list(PROGRAMME_YEARS),
        "plans": dict(PLANS),
        "rows": rows,
        "totals": totals,
        "notes": [YEARLY_NOTE],
        "quality": {**quality(sum(enrolled.values()), sum(passed.values())), "bar": QUALITY_BAR},
        "open_arrears": sum(open_arrears.values()),
    }
