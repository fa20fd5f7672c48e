"""Annex 1 as spreadsheets a clerk prints: two sheets, each on one landscape A3 page.

The matrix has 15 units x 10 plans x (target, done, percent, and target / done for each of
three years): 93 columns in one sheet would print as a strip of unreadable pages. So:

1. 附件1 完成情况 — per unit, per plan 目标 / 完成 / 完成率(%), then the P03 quality bar
   (share of enrolled enterprises that passed) and the open P10 arrears cases; the 合计 row's
   counts carry the units of the seed's 合计 row (15户 … 40家 … 32名 … 12起).
2. 附件1 分年度 — rows unit x programme year (the unit merged over its three years), per
   plan 目标 / 完成 of that year; a 合计 per year.

CSV has room for one sheet: the first. The caption names the cut-offs the document was made
with: its `as_of` (recorded time) and, once reports take it, its `through` (business date).
"""

from __future__ import annotations

from typing import Any

from openpyxl.utils import get_column_letter

from hexie.domain.calendar import PROGRAMME_YEARS
from hexie.domain.vocabulary import PLANS

from .export import Sheet, caption

SEED_TITLE = "岳阳市劳动关系“和谐同行”能力提升三年行动计划任务安排表"
PLAN_COLUMNS = ("目标", "完成", "完成率(%)")  # per plan, in the first sheet
YEAR_COLUMNS = ("目标", "完成")  # per plan, in the yearly sheet
EXTRA_COLUMNS = ("和谐企业培育达标率(%)", "欠薪案件未办结数")
# The units of the seed's 合计 row: 15户 40户 40户 40家 40 780户 32名 32家 12家 12起 (P05: none).
TOTAL_UNITS = {"P01": "户", "P02": "户", "P03": "户", "P04": "家", "P05": "", "P06": "户",
               "P07": "名", "P08": "家", "P09": "家", "P10": "起"}
LAUNCH_NOTE = "2020年启动阶段计入2021年"


def _plan_header(sub: tuple[str, ...], before: list[str]) -> tuple[list, list, list[str]]:
    """Two header rows: `before` merged down, each plan merged over its `sub` columns."""
    top: list[str | None] = list(before)
    below: list[str | None] = [None] * len(before)
    merges = [f"{get_column_letter(c)}1:{get_column_letter(c)}2" for c in range(1, len(before) + 1)]
    for label in PLANS.values():
        start = len(top) + 1
        top += [label] + [None] * (len(sub) - 1)
        below += list(sub)
        merges.append(f"{get_column_letter(start)}1:{get_column_letter(start + len(sub) - 1)}1")
    return top, below, merges


def _units(first: int, per_plan: int, counted: tuple[int, ...]) -> dict[int, str]:
    """0-based column -> unit, for the count columns (`counted` offsets) of each plan's block."""
    return {first + per_plan * i + k: TOTAL_UNITS[plan]
            for i, plan in enumerate(PLANS) for k in counted if TOTAL_UNITS[plan]}


def _caption(document: dict[str, Any], *parts: str) -> str:
    return caption(*parts, through=document.get("through"), as_of=document.get("as_of"))


def completion_sheet(document: dict[str, Any]) -> Sheet:
    top, below, merges = _plan_header(PLAN_COLUMNS, ["县区名称"])
    for label in EXTRA_COLUMNS:
        top.append(label)
        below.append(None)
        col = get_column_letter(len(top))
        merges.append(f"{col}1:{col}2")

    def line(name: str, cells: dict[str, Any], quality: dict[str, Any], open_arrears: int) -> list[Any]:
        out: list[Any] = [name]
        for plan in PLANS:
            out += [cells[plan]["target"], cells[plan]["done"], cells[plan]["percent"]]
        return out + [quality["percent"], open_arrears]

    rows = [line(r["unit"], r["cells"], r["quality"], r["open_arrears"]) for r in document["rows"]]
    total = line("合计", document["totals"], document["quality"], document["open_arrears"])
    widths = {get_column_letter(2 + len(PLAN_COLUMNS) * i + 2): 7.5 for i in range(len(PLANS))}  # 完成率 wraps in two
    return Sheet("附件1 完成情况", [top, below], rows, merges, widths=widths,
                 heading=f"附件1  {SEED_TITLE}完成情况", caption=_caption(document), paper="A3", pages_tall=1,
                 totals=[total], units=_units(1, len(PLAN_COLUMNS), (0, 1)))


def yearly_sheet(document: dict[str, Any]) -> Sheet:
    top, below, merges = _plan_header(YEAR_COLUMNS, ["县区名称", "年度"])
    years = len(PROGRAMME_YEARS)

    def block(name: str, cells: dict[str, Any]) -> list[list[Any]]:
        out = []
        for y in PROGRAMME_YEARS:
            row: list[Any] = [name, f"{y}年"]
            for plan in PLANS:
                year = cells[plan]["by_year"][str(y)]
                # a plan with no yearly split (P01, P09, P10: "1" in all) has no yearly target: blank, not 0
                row += [year["target"] or None, year["done"]]
            out.append(row)
        return out

    rows = [row for r in document["rows"] for row in block(r["unit"], r["cells"])]
    totals = block("合计", document["totals"])
    first = 3  # the first data row, counted from the first header row (two header rows)
    for n in range(len(document["rows"]) + 1):  # each unit (and 合计) over its three years
        start = first + n * years
        merges.append(f"A{start}:A{start + years - 1}")
    return Sheet("附件1 分年度", [top, below], rows, merges,
                 heading=f"附件1  {SEED_TITLE}分年度完成情况", caption=_caption(document, LAUNCH_NOTE),
                 paper="A3", pages_tall=1, totals=totals, units=_units(2, len(YEAR_COLUMNS), (0, 1)))


def sheets(document: dict[str, Any]) -> list[Sheet]:
    """The matrix document (`annex1.matrix`) as its printable workbook's sheets."""
    return [completion_sheet(document), yearly_sheet(document)]


def sheet(document: dict[str, Any]) -> Sheet:
    """The first sheet alone: what a CSV holds."""
    return completion_sheet(document)
