"""Annex 2 measures: the responsible units' progress reports (most on time, a few late, a few missing)."""

from __future__ import annotations

import datetime as dt

from .planner import DEMO_START, Planner, iso
from hexie.domain.measure import due_dates

from ..programme import measure_commands


def measure_reports(p: Planner) -> None:
    rng = p.rng
    weak = set(p.notes["weak_reporters"])
    late: list[dict] = []
    missing: list[dict] = []
    for command in measure_commands():
        m = command["data"]
        key = f"measure:{m['code']}"
        window_start = max(dt.date.fromisoformat(m["window_start"]), DEMO_START)
        periods = [(d["period"], dt.date.fromisoformat(d["opens"]), dt.date.fromisoformat(d["due"]))
                   for d in due_dates(m["cadence"], m["window_start"], m["window_end"], m.get("deadline"), m.get("yearly_due"))]
        for unit in m["responsible_units"]:
            w = 0.12 if unit in weak else 0.012
            for period, opens, due in periods:
                opens = max(opens, window_start)
                if opens > p.end:
                    continue  # a quarter the demo's programme does not reach
                roll = rng.random()
                if due < dt.date(2023, 7, 1) and roll < w and m["cadence"] != "continuous":
                    fate = "late"  # reported after the due date (a quarter's late report is the next quarter's)
                elif roll > 1 - w / 2:
                    fate = "missing"  # never reported: overdue
                else:
                    fate = "on_time"
                data = {"unit": unit}
                if isinstance(period, int):
                    data["period"] = period
                if fate == "missing":
                    if m["cadence"] != "continuous" and rng.random() < 0.4:
                        on = p.date(max(opens, due - dt.timedelta(days=60)), due)
                        p.add(key, "MeasureProgressReported", on, {**data, "done": False, "note": f"{unit}：{m['task']}进度滞后，正在推进"}, unit)
                    missing.append({"code": m["code"], "unit": unit, "period": period, "due": iso(due)})
                    continue
                if fate == "late":
                    on = p.date(due + dt.timedelta(days=10), due + dt.timedelta(days=80))
                    late.append({"code": m["code"], "unit": unit, "period": period, "due": iso(due), "reported": iso(on)})
                else:
                    lo = max(opens, due - dt.timedelta(days=80 if m["cadence"] == "continuous" else 90 if m["cadence"] == "yearly" else 150))
                    on = p.date(lo, min(due, p.end))
                done = m["cadence"] != "continuous" or due == dt.date.fromisoformat(m["window_end"])
                note = f"{unit}已完成：{m['task']}" if done else f"{unit}本季度推进{m['task']}，按计划开展"
                p.add(key, "MeasureProgressReported", on, {**data, "done": done, "note": note}, unit)
    p.notes["measures_late"] = late
    p.notes["measures_missing"] = missing
