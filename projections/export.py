"""Spreadsheet exports shared by every report: a `Sheet`, and CSV and XLSX bytes from it.

A sheet is what a clerk prints: a heading (the seed's title, `附件8  重点用工企业情况表`), a
caption under it (the unit, and the cut-offs the report was made with: `caption()`), one or
more header rows (cells under a merge are `None`), the data rows as plain Python values, and
optionally totals rows (合计) whose counts carry the seed's units (户/家/名/起). Cell values
are written by type:

- `int`, `float`, `Decimal`: numbers;
- `str`: text, always, even when it is all digits (统一社会信用代码, 身份证号码, phone
  numbers): such cells get the text format `@` in XLSX, and a string that starts with
  `=` stays a string, never a formula;
- `datetime.date` / `datetime.datetime`: a date (XLSX `yyyy-mm-dd`), ISO text in CSV;
  an aware datetime is shown in Beijing time;
- `bool`: 是 / 否; `None`: an empty cell; anything else: its `str()`.

CSV (`to_csv`): UTF-8 with a BOM and CRLF line ends, so Excel and WPS open Chinese
text cleanly; the heading and the caption each on a line of their own, then one header
row (a merged parent and its child joined as `父-子`), the rows and the totals (numbers
without units, so they stay numbers); a text cell that a spreadsheet would run as a
formula (`=`, `+`, `-`, `@` first) gets a leading `'` (OWASP's advice against CSV injection).
The importer finds the header below such title lines (`scripts/sheet_rows.py`, HEADER_SCAN),
and the unit after `填报单位：` in the caption.

XLSX (`to_xlsx`, written by `projections/xlsx.py`): printable — see that module.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterable, Sequence

from openpyxl.utils.cell import range_boundaries

from hexie.domain.calendar import PROGRAMME_TZ, parse_as_of

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TRUE, FALSE = "是", "否"
PAPERS = ("A4", "A3")  # always landscape

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Sheet:
    title: str  # the worksheet's name (cut to Excel's 31 characters)
    header_rows: list[list[str | None]]
    rows: Iterable[Sequence[Any]]
    # A1-style ranges, counted from the first header row (the heading and caption above are not
    # counted): the header's merges, e.g. "L1:O1", and any merge of the rows below, e.g. "A3:A5".
    merges: list[str] = field(default_factory=list)
    widths: dict[str, float] | None = None  # column letter -> width; others are computed
    # XLSX only: (data or totals row, 0-based column) -> a fill colour ("C6EFCE") or None
    fill: Callable[[Sequence[Any], int], str | None] | None = None
    heading: str | None = None  # the seed's title, the first printed row: "附件8  重点用工企业情况表"
    caption: str | None = None  # the second row: unit and cut-offs, see `caption()`
    paper: str = "A4"  # "A4" or "A3", landscape, fitted to the page width
    pages_tall: int = 0  # 0: as many pages as the rows need; 1: a fixed-size report shrunk onto one page
    totals: list[Sequence[Any]] = field(default_factory=list)  # 合计 rows, after the data rows, bold
    units: dict[int, str] = field(default_factory=dict)  # 0-based column -> unit of the totals' counts: 户/家/名/起

    def __post_init__(self) -> None:
        if self.paper not in PAPERS:
            raise ValueError(f"paper must be one of {PAPERS}")

    @property
    def columns(self) -> int:
        return max((len(r) for r in self.header_rows), default=0)

    @property
    def above(self) -> list[str]:
        """The title lines printed above the header: the heading, then the caption."""
        return [text for text in (self.heading, self.caption) if text]


# -- the caption: which unit, and which cut-offs ------------------------------------------------

SEPARATOR = "　　"  # two ideographic spaces, as a form's 填报单位 / 填报日期 line is spaced


def moment_text(as_of: str | dt.datetime) -> str:
    """A recorded-time cut-off as a clerk reads it: Beijing time, the end of a day as 24:00."""
    moment = as_of if isinstance(as_of, dt.datetime) else parse_as_of(as_of)
    local = moment.astimezone(PROGRAMME_TZ) if moment.tzinfo else moment
    if local.time() >= dt.time(23, 59, 59):
        return f"{local.date().isoformat()} 24:00"
    return local.strftime("%Y-%m-%d %H:%M:%S")


def caption(*parts: str | None, unit: str | None = None, through: str | dt.date | None = None,
            as_of: str | dt.datetime | None = None, made: dt.datetime | None = None) -> str:
    """The line under a report's heading: its unit, any `parts` (`本年度：2022`), and the two
    cut-offs it was made with (DESIGN 6) — `through`, the business date (YYYY-MM-DD), and
    `as_of`, the recorded time (UTC ISO text as the read models compare it, or a datetime);
    `caption(**cut.as_dict())` for a report's `Cut`.

    Either left at None is "now", and the caption names it: the day and the moment the report
    was made (`made`, default now) — nothing is dated in the future, so a report of today
    covers every business date, and it covers what was recorded until it was made."""
    made = made or dt.datetime.now(PROGRAMME_TZ)
    items = [f"填报单位：{unit}"] if unit else []  # the importer reads a unit back after 填报单位
    items += [p for p in parts if p]
    if through is not None:
        items.append(f"业务日期截至：{through.isoformat() if isinstance(through, dt.date) else through}")
    else:
        items.append(f"业务日期截至：{made.astimezone(PROGRAMME_TZ).date().isoformat()}（当前）")
    if as_of is not None:
        items.append(f"记录时间截至：{moment_text(as_of)}（北京时间）")
    else:
        items.append(f"记录时间截至：导出时 {moment_text(made)}（北京时间）")
    return SEPARATOR.join(items)


# -- the header as one row -------------------------------------------------------


def flat_header(sheet: Sheet) -> list[str]:
    """One name per column: the texts over it, top to bottom, joined with `-`.

    A cell under a merge takes the text of the merge's top-left cell, so a parent merged
    across columns is joined to each child (`父-子`), and a column merged down its header
    rows is its text once.
    """
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for ref in sheet.merges:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                owner[r, c] = (min_row, min_col)
    names = []
    for c in range(1, sheet.columns + 1):
        parts: list[str] = []
        seen: set[tuple[int, int]] = set()
        for r in range(1, len(sheet.header_rows) + 1):
            top = owner.get((r, c), (r, c))
            if top in seen:
                continue
            seen.add(top)
            row = sheet.header_rows[top[0] - 1]
            text = row[top[1] - 1] if top[1] - 1 < len(row) else None
            if text not in (None, ""):
                parts.append(str(text))
        names.append("-".join(parts))
    return names


# -- CSV -------------------------------------------------------------------------


def local_time(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(PROGRAMME_TZ).replace(tzinfo=None) if moment.tzinfo else moment


def csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE if value else FALSE
    if isinstance(value, dt.datetime):
        return local_time(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    text = str(value)
    if len(text) > 1 and text.startswith(_FORMULA_START) and not isinstance(value, (int, Decimal)):
        return "'" + text
    return text


def to_csv(sheet: Sheet) -> bytes:
    """The sheet as CSV: UTF-8 with BOM, CRLF; heading and caption lines, one header row, rows, totals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line in sheet.above:
        writer.writerow([csv_text(line)])
    writer.writerow(flat_header(sheet))
    for rows in (sheet.rows, sheet.totals):
        for row in rows:
            writer.writerow([csv_text(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(sheets: list[Sheet]) -> bytes:
    """The sheets as one printable workbook, each sheet written row by row (`projections.xlsx`)."""
    from .xlsx import workbook  # here, not at the top: that module builds on this one

    return workbook(sheets)
