"""The programme as data: Annex 1 targets and Annex 2 measures, read from the seed.

`data/annex1_targets.json` holds Annex 1's cells exactly as the seed writes them;
`data/annex2_measures.json` one entry per 工作措施 row of Annex 2, with the seed's
texts verbatim and our reading of each window (its `note` says why where the
seed's layout is garbled). `target_commands()` and `measure_commands()` turn them
into `{"type", "data"}` commands ready to append (`Hexie.open_case(**command)`);
`record_init(hexie)` appends those not yet in the ledger, as `hexie init` (and the demo) do.

Annex 1 cells
    "3 (1/年)"   -> total 3, per_year {"2021": 1, "2022": 1, "2023": 1}
    "75 (25/年)" -> total 75, 25 a year
    "2"          -> total 2, per_year null (no yearly split given)
    ""           -> no target for that unit and plan
    The totals row ("15户", "40家", "780户" …) is read as its number.

Annex 2 责任分工 -> responsible_units (`responsible_units(text)`)
    The text is cut at spaces and "、" into items; an item may begin with a level,
    which carries on to the following items until another level appears:
      "各县市区" / "各县市" / "县市区" / "县（市区）" / "县" -> the 12 districts
        (each district reports for its own 人社局, 总工会, 三方四家, 根治办,
        农民工工作领导小组 alike);
      "市" -> a city body, by what follows:
        "人力资源和社会保障局" / "人力资源和社会保障厅" (the seed's slip) / "人社局" /
        "根治办" (市根治办 sits in the bureau) / "农民工工作领导小组" -> 市人社局;
        "总工会" -> 市总工会; "工商联" -> 市工商联;
        "三方四家" -> the three city bodies 市人社局, 市总工会, 市工商联 (the
        enterprise federation 企联 is the fourth party but has no Annex 1 unit).
    A bare "市" before "、" joins the next item ("市、县三方四家" = 市三方四家 and
    各县市区三方四家). A trailing "配合" (cooperating) still makes the unit report.
    Anything else is an error, so a new phrasing cannot slip through unmapped.

Dates
    Definitions are dated at the launch of the programme (`LAUNCH`, 2020年9月下旬)
    unless told otherwise, so progress and amendments may be back-dated to any
    day of the programme (an event cannot predate its case).
"""

from __future__ import annotations

import functools
import json
import re
from importlib.resources import files
from typing import Any
from uuid import UUID

from hexie.domain.commands import DuplicateCase
from hexie.domain.case import Context
from hexie.domain.measure import Measure
from hexie.domain.windows import read_window
from hexie.domain.target import Target
from hexie.domain.vocabulary import CITY_BODIES, CITY_OFFICE, DISTRICTS, UNITS
from hexie.domain.calendar import PROGRAMME_YEARS

LAUNCH = "2020-09-21"  # 启动实施: 2020年9月下旬
INIT_ACTOR = "hexie-init"  # who records the targets and measures
INIT_TYPES = frozenset({Target.created_event, Measure.created_event})  # what it records

_CELL_SPLIT = re.compile(r"^(\d+)\s*\((\d+)/年\)$")
_CELL_TOTAL = re.compile(r"^\d+$")
_TOTAL_ROW = re.compile(r"^(\d+)\s*(户|家|名|起)?$")

# Levels, longest first; "市" alone before "、" is handled as a prefix of the next item.
_DISTRICT_LEVELS = ("各县市区", "各县市", "县市区", "县（市区）", "县")
_CITY_BODY = (
    ("三方四家", CITY_BODIES),
    ("人力资源和社会保障局", (CITY_OFFICE,)),
    ("人力资源和社会保障厅", (CITY_OFFICE,)),
    ("人社局", (CITY_OFFICE,)),
    ("根治办", (CITY_OFFICE,)),
    ("农民工工作领导小组", (CITY_OFFICE,)),
    ("总工会", ("市总工会",)),
    ("工商联", ("市工商联",)),
)
_DISTRICT_BODY = ("三方四家", "人力资源和社会保障局", "资源和社会保障人社局", "人社局", "总工会", "工商联", "根治办", "农民工工作领导小组")


@functools.cache
def annex1() -> dict[str, Any]:
    return json.loads((files("hexie.scripts") / "data" / "annex1_targets.json").read_text(encoding="utf-8"))


@functools.cache
def annex2() -> dict[str, Any]:
    return json.loads((files("hexie.scripts") / "data" / "annex2_measures.json").read_text(encoding="utf-8"))


def parse_target_cell(cell: str) -> tuple[int, dict[str, int] | None] | None:
    """An Annex 1 cell as (total, per_year), or None for a blank cell."""
    cell = cell.strip()
    if not cell:
        return None
    if m := _CELL_SPLIT.match(cell):
        total, each = int(m[1]), int(m[2])
        if each * len(PROGRAMME_YEARS) != total:
            raise ValueError(f"Annex 1 cell {cell!r}: {each} a year does not make {total}")
        return total, {str(y): each for y in PROGRAMME_YEARS}
    if _CELL_TOTAL.match(cell):
        return int(cell), None
    raise ValueError(f"Annex 1 cell {cell!r} is not a number or 'N (n/年)'")


def annex1_totals() -> dict[str, int]:
    """The seed's totals row (合计), by plan."""
    out = {}
    for plan, cell in annex1()["totals"]["cells"].items():
        m = _TOTAL_ROW.match(cell.strip())
        if not m:
            raise ValueError(f"Annex 1 total {cell!r} is not a number")
        out[plan] = int(m[1])
    return out


def responsible_units(text: str) -> list[str]:
    """The units that must report on a measure, from its 责任分工 text (rules in the module docstring)."""
    found: set[str] = set()
    items = [i for i in re.split(r"[\s、]+", text) if i]
    level: str | None = None
    pending_city = False
    for item in items:
        if item.endswith("配合"):
            item = item[: -len("配合")]
        levels: set[str] = set()
        if item == "市":  # "市、县…": the city level joins the next item
            pending_city = True
            continue
        for prefix in _DISTRICT_LEVELS:
            if item.startswith(prefix):
                levels, body = {"district"}, item[len(prefix):]
                break
        else:
            if item.startswith("市"):
                levels, body = {"city"}, item[1:]
            else:
                if level is None:
                    raise ValueError(f"责任分工 {text!r}: {item!r} has no level (市 or 县)")
                levels, body = {level}, item
        if pending_city:
            levels.add("city")
            pending_city = False
        level = "district" if "district" in levels else "city"
        if "city" in levels:
            for name, units in _CITY_BODY:
                if name in body:
                    found.update(units)
                    break
            else:
                raise ValueError(f"责任分工 {text!r}: no city unit for {body!r}")
        if "district" in levels:
            if not any(name in body for name in _DISTRICT_BODY):
                raise ValueError(f"责任分工 {text!r}: no district body in {body!r}")
            found.update(DISTRICTS)
    if pending_city:
        raise ValueError(f"责任分工 {text!r} ends with a bare 市")
    return [u for u in UNITS if u in found]


def target_commands(occurred_on: str | None = LAUNCH) -> list[dict[str, Any]]:
    """One TargetAssigned per non-blank Annex 1 cell, in the seed's row and column order."""
    out = []
    for row in annex1()["rows"]:
        for plan, cell in row["cells"].items():
            parsed = parse_target_cell(cell)
            if parsed is None:
                continue
            total, per_year = parsed
            data: dict[str, Any] = {
                "unit": row["unit"],
                "plan": plan,
                "total": total,
                "per_year": per_year,
                "note": f"附件1原文：{cell}",
            }
            if occurred_on is not None:
                data["occurred_on"] = occurred_on
            out.append({"type": Target.created_event, "data": data})
    return out


def window_of(measure: dict[str, Any]) -> dict[str, Any]:
    """A measure's window as the one rule reads its 时间安排 (`domain.windows`), with the entry's
    `reading` where the text cannot say what the seed means."""
    w = read_window(measure["window_text"])
    fields = {"window_start": w.start, "window_end": w.end, "cadence": w.cadence, "deadline": w.deadline,
              "yearly_due": w.yearly_due}
    fields.update({k: v for k, v in measure.get("reading", {}).items() if k != "why"})
    return {k: v for k, v in fields.items() if v is not None}


def measure_commands(occurred_on: str | None = LAUNCH, unit: str = CITY_OFFICE) -> list[dict[str, Any]]:
    """One MeasureDefined per Annex 2 row, defined by the programme office."""
    out = []
    for m in annex2()["measures"]:
        data: dict[str, Any] = {
            "unit": unit,
            "code": m["code"],
            "plan": m["plan"],
            "task": m["task"],
            "text": m["text"],
            "responsible": m["responsible"],
            "responsible_units": responsible_units(m["responsible"]),
            "window_text": m["window_text"],
            **window_of(m),
        }
        if occurred_on is not None:
            data["occurred_on"] = occurred_on
        out.append({"type": Measure.created_event, "data": data})
    return out


def init_commands() -> list[dict[str, Any]]:
    """What `hexie init` records: the Annex 1 targets, then the Annex 2 measures."""
    return [*target_commands(), *measure_commands()]


def init_case_id(command: dict[str, Any]) -> UUID:
    """The case an init command opens (targets and measures have ids derived from their data)."""
    data = command["data"]
    return Target.create_id(data["unit"], data["plan"]) if command["type"] == "TargetAssigned" else Measure.create_id(data["code"])


def record_init(hexie) -> tuple[int, int]:
    """Append the init commands not yet in the ledger, as `INIT_ACTOR`; (recorded, already present)."""
    context = Context(actor=INIT_ACTOR)
    recorded = present = 0
    for command in init_commands():
        if init_case_id(command) in hexie.repository:  # look first: a refused insert would still use up a log position
            present += 1
            continue
        try:
            hexie.open_case(command["type"], command["data"], context)
            recorded += 1
        except DuplicateCase:  # another process recorded it meanwhile
            present += 1
    return recorded, present
