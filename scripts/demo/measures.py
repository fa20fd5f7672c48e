"""Annex 2 measures: the responsible units' progress reports (most on time, a few late, a few missing)."""

from __future__ import annotations

import datetime as dt

from .planner import DEMO_START, Planner, iso
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
        if m["cadence"] == "yearly":
            due_day = m.get("yearly_due", "12-31")
            periods = [(y, min(dt.date.fromisoformat(f"{y}-{due_day}"), dt.date.fromisoformat(m["window_end"])))
                       for y in range(int(m["window_start"][:4]), int(m["window_end"][:4]) + 1)]
            periods = [(y, due) for y, due in periods if due >= dt.date.fromisoformat(m["window_start"])]
        else:
            periods = [(None, dt.date.fromisoformat(m.get("deadline") or m["window_end"]))]
        for unit in m["responsible_units"]:
            for period, due in periods:
                opens = max(window_start, dt.date(period, 1, 1)) if period else window_start
                w = 0.12 if unit in weak else 0.012
                roll = rng.random()
                if due < dt.date(2023, 7, 1) and roll < w:
                    fate = "late"  # reported done after the due date
                elif roll > 1 - w / 2:
                    fate = "missing"  # never reported done: overdue
                else:
                    fate = "on_time"
                data = {"unit": unit}
                if period is not None:
                    data["period"] = period
                if m["cadence"] == "continuous" and (due - opens).days > 400 and rng.random() < 0.5:
                    mid = p.date(opens + dt.timedelta(days=120), opens + dt.timedelta(days=400))
                    p.add(key, "MeasureProgressReported", mid, {**data, "done": False, "note": f"{unit}正在推进：{m['task']}，已完成阶段性工作"}, unit)
                if fate == "missing":
                    if rng.random() < 0.4:
                        on = p.date(max(opens, due - dt.timedelta(days=60)), due)
                        p.add(key, "MeasureProgressReported", on, {**data, "done": False, "note": f"{unit}：{m['task']}进度滞后，正在推进"}, unit)
                    missing.append({"code": m["code"], "unit": unit, "period": period, "due": iso(due)})
                    continue
                if fate == "late":
                    on = p.date(due + dt.timedelta(days=10), due + dt.timedelta(days=80))
                    late.append({"code": m["code"], "unit": unit, "period": period, "due": iso(due), "reported": iso(on)})
                else:
                    lo = max(opens, due - dt.timedelta(days=90 if m["cadence"] != "once" else 150))
                    on = p.date(lo, min(due, p.end))
                p.add(key, "MeasureProgressReported", on, {**data, "done": True, "note": f"{unit}已完成：{m['task']}"}, unit)
    p.notes["measures_late"] = late
    p.notes["measures_missing"] = missing
