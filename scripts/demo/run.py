"""The run: the whole programme planned, then appended through the service layer in business-date order."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections import Counter
from typing import Any, Callable

from hexie.domain.application import Hexie
from hexie.domain.calendar import today
from hexie.projections import history
from hexie.projections.engine import connect

from ..programme import INIT_TYPES, init_commands, record_init
from .plan import plan_programme
from .planner import PROGRAMME_END, Planner, init_ids, iso


Progress = Callable[[int, int, str], None]


class DemoRefused(Exception):
    """The ledger already holds cases other than the Annex 1 targets and Annex 2 measures."""


class DemoFailed(Exception):
    """The domain refused a demo command: a bug in the demo."""


def check_ledger_empty(hexie: Hexie) -> None:
    """Refuse unless the ledger holds nothing but what `hexie init` records."""
    async def page_after(after: int) -> list[dict[str, Any]]:
        db = connect(hexie.database_url)
        try:
            return await history.read_log(db, after, 500)
        finally:
            await db.close()

    after = 0
    while True:
        page = asyncio.run(page_after(after))
        if not page:
            return
        for event in page:
            if event["type"] not in INIT_TYPES:
                request = event.get("request_id") or ""
                what = (f"demo data (seed {request.split('-')[1]})" if request.startswith("demo-")
                        else f"programme data ({event['type']} of a {event['kind']} case, by {event['actor']})")
                raise DemoRefused(
                    f"the ledger already holds {what} at position {event['position']}; the demo only runs on an empty"
                    " ledger or one holding nothing but the targets and measures `hexie init` records"
                    " / 账本中已有业务数据，演示数据只能写入空账本"
                )
        after = page[-1]["position"]


def run_demo(hexie: Hexie, seed: int = 2023, progress: Progress | None = None) -> dict[str, Any]:
    """Append a whole demo programme through the service layer; returns a summary (see the module docstring)."""
    started = time.perf_counter()
    check_ledger_empty(hexie)
    end = min(PROGRAMME_END, dt.date.fromisoformat(today()))
    plan = plan_programme(seed, end)
    commands = plan.ordered()
    init = init_commands()
    total = len(init) + len(commands)
    report = progress or (lambda done, total, stage: None)

    # 1. Annex 1 targets and Annex 2 measures, exactly as `hexie init` records them.
    report(0, total, "targets and measures")
    recorded, present = record_init(hexie)
    report(len(init), total, "targets and measures")

    # 2. The programme, in business-date order.
    ids = init_ids()
    cases: Counter = Counter()
    events: Counter = Counter()
    types: Counter = Counter()
    for n, c in enumerate(commands, 1):
        data = c.data_for(ids)
        context = c.context(f"demo-{seed}-{n:05d}")
        try:
            if c.opens:
                receipt = hexie.open_case(c.type, data, context)
                ids[c.key] = receipt.case_id
                cases[receipt.kind] += 1
            else:
                receipt = hexie.append(ids[c.key], c.type, data, context)
        except Exception as e:
            raise DemoFailed(f"demo command {n} ({c.type} on {c.key}, {iso(c.on)}) was refused: {e}") from e
        events[receipt.kind] += 1
        types[c.type] += 1
        if n % 100 == 0:
            report(len(init) + n, total, c.on.strftime("%Y-%m"))
    report(total, total, "done")

    behind = plan.notes["behind"]
    open_cases = _open_arrears(plan)
    return {
        "seed": seed,
        "programme": {"from": iso(commands[0].on), "to": iso(commands[-1].on)},
        "init": {"recorded": recorded, "already_present": present},
        "cases": dict(sorted(cases.items())),
        "events": dict(sorted(events.items())),
        "event_types": dict(sorted(types.items())),
        "total_events": sum(events.values()) + recorded,
        "behind_target": behind,
        "above_target": plan.notes["ahead"],
        "p03_below_quality_bar": [{"unit": u, "failed": n, "of": plan.cells[(u, "P03")].total} for u, n in plan.notes["p03_fails"].items()],
        "arrears_open": open_cases,
        "measures_late": plan.notes["measures_late"],
        "measures_missing": plan.notes["measures_missing"],
        "seconds": round(time.perf_counter() - started, 1),
    }


def _open_arrears(plan: Planner) -> dict[str, Any]:
    """How many arrears cases the programme ends with open, and how many of those are past their deadline."""
    state: dict[str, dict[str, Any]] = {}
    for c in plan.commands:
        if c.key.startswith("arrears_case:"):
            s = state.setdefault(c.key, {"open": True, "deadline": None})
            if c.type == "ArrearsCaseAssigned":
                s["deadline"] = c.data["deadline"]
            elif c.type == "ArrearsCaseClosed":
                s["open"] = False
    still = [s for s in state.values() if s["open"]]
    end = iso(plan.end)
    return {
        "total": len(state),
        "open": len(still),
        "open_past_deadline_at_programme_end": sum(1 for s in still if s["deadline"] and s["deadline"] < end),
        "open_unassigned": sum(1 for s in still if s["deadline"] is None),
    }
