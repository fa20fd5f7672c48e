"""Spreadsheet exports shared by every report: a `Sheet`, and CSV and XLSX bytes from it.

A sheet is a title, one or more header rows (cells under a merge are `None`), the
A1-style ranges merged in the header, and the data rows as plain Python values.
Cell values are written by type:

- `int`, `float`, `Decimal`: numbers;
- `str`: text, always, even when it is all digits (统一社会信用代码, 身份证号码, phone
  numbers): such cells get the text format `@` in XLSX, and a string that starts with
  `=` stays a string, never a formula;
- `datetime.date` / `datetime.datetime`: a date (XLSX `yyyy-mm-dd`), ISO text in CSV;
  an aware datetime is shown in Beijing time;
- `bool`: 是 / 否; `None`: an empty cell; anything else: its `str()`.

CSV (`to_csv`): UTF-8 with a BOM and CRLF line ends, so Excel and WPS open Chinese
text cleanly; one header row (a merged parent and its child joined as `父-子`); a text
cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a
leading `'` (OWASP's advice against CSV injection).

XLSX (`to_xlsx`): a streaming (`write_only`) workbook, so rows are written as they
come and ten thousand rows take little memory; header rows bold, centred, wrapped and
boxed, with their merges; panes frozen under the header; column widths from the
header and the first rows (a CJK character counts two); sheet titles cut to Excel's
31 characters, without the characters Excel forbids, and unique. A sheet's optional `fill`
colours data cells (the acceptance pack's completion colours); CSV ignores it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from hexie.domain.calendar import PROGRAMME_TZ

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TRUE, FALSE = "是", "否"
MAX_TITLE = 31  # Excel's limit on a sheet title
WIDTH_SAMPLE = 500  # rows looked at to size the columns
MIN_WIDTH, MAX_WIDTH = 6.0, 60.0

_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"[0-9*X+\-. ]+")  # text a spreadsheet would take for a number

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FONT = Font(bold=True)
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEADER_FILL = PatternFill("solid", fgColor="E7EEF7")


@dataclass
class Sheet:
    title: str
    header_rows: list[list[str | None]]
    rows: Iterable[Sequence[Any]]
    merges: list[str] = field(default_factory=list)  # A1-style ranges in the header, e.g. "L1:O1"
    widths: dict[str, float] | None = None  # column letter -> width; others are computed
    # XLSX only: (data row, 0-based column) -> a fill colour ("C6EFCE") or None, e.g. completion colours
    fill: Callable[[Sequence[Any], int], str | None] | None = None

    @property
    def columns(self) -> int:
        return max((len(r) for r in self.header_rows), default=0)


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


def csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE if value else FALSE
    if isinstance(value, dt.datetime):
        return _local(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    text = str(value)
    if len(text) > 1 and text.startswith(_FORMULA_START) and not isinstance(value, (int, Decimal)):
        return "'" + text
    return text


def to_csv(sheet: Sheet) -> bytes:
    """The sheet as CSV: UTF-8 with BOM, CRLF, one header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(flat_header(sheet))
    for row in sheet.rows:
        writer.writerow([csv_text(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


# -- XLSX ------------------------------------------------------------------------


def display_width(value: Any) -> float:
    """Roughly how many character widths a value takes (CJK and full-width count two)."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 10
    text = csv_text(value)
    longest = max((line for line in text.splitlines()), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def sheet_titles(sheets: Sequence[Sheet]) -> list[str]:
    """Titles Excel accepts: no \\ / * ? : [ ], at most 31 characters, unique."""
    titles: list[str] = []
    for n, sheet in enumerate(sheets, 1):
        base = _TITLE_FORBIDDEN.sub("_", sheet.title or "").strip("' ") or f"Sheet{n}"
        title = base[:MAX_TITLE]
        k = 2
        while title.lower() in {t.lower() for t in titles}:
            suffix = f"({k})"
            title = base[:MAX_TITLE - len(suffix)] + suffix
            k += 1
        titles.append(title)
    return titles


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(PROGRAMME_TZ).replace(tzinfo=None) if moment.tzinfo else moment


def _widths(sheet: Sheet, sample: list[Sequence[Any]]) -> dict[int, float]:
    spans: set[tuple[int, int]] = set()  # header cells merged across columns: they do not size one column
    for ref in sheet.merges:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if max_col > min_col:
            spans.update((r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1))
    widths: dict[int, float] = {}
    for r, row in enumerate(sheet.header_rows, 1):
        for c, text in enumerate(row, 1):
            if (r, c) not in spans:
                # headers wrap: a long one takes two or three lines rather than a wide column
                w = display_width(text)
                widths[c] = max(widths.get(c, 0), w if w <= 12 else max(12, w / 2))
    for row in sample:
        for c, value in enumerate(row, 1):
            widths[c] = max(widths.get(c, 0), display_width(value))
    return {c: min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for c, w in widths.items()}


def _header_cell(ws, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=None if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.font, cell.alignment, cell.border, cell.fill = _HEADER_FONT, _HEADER_ALIGN, _BOX, _HEADER_FILL
    return cell


def _data_cell(ws, value: Any) -> Any:
    """A value as written: plain for numbers and empties, a styled cell for text, dates, formulas."""
    if value is None or (isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)):
        return value
    if isinstance(value, bool):
        return TRUE if value else FALSE
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(ws, value=_local(value))
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text.startswith("=") or _NUMBER_LIKE.fullmatch(text):
        cell = WriteOnlyCell(ws, value=text)
        cell.data_type = "s"  # text, never a formula or a number
        cell.number_format = "@"
        return cell
    return text


def _write(ws, sheet: Sheet) -> None:
    rows: Iterator[Sequence[Any]] = iter(sheet.rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE))
    ncols = max(sheet.columns, max((len(r) for r in sample), default=0))
    widths = _widths(sheet, sample)
    given = sheet.widths or {}
    for c in range(1, ncols + 1):  # column widths must come before the first row
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = given.get(letter, widths.get(c, MIN_WIDTH))
    if sheet.header_rows:
        ws.freeze_panes = f"A{len(sheet.header_rows) + 1}"
    for ref in sheet.merges:
        ws.merged_cells.add(ref)
    for header in sheet.header_rows:
        padded = list(header) + [None] * (ncols - len(header))
        ws.append([_header_cell(ws, v) for v in padded])
    for row in itertools.chain(sample, rows):
        cells = [_data_cell(ws, v) for v in row]
        if sheet.fill is not None:
            cells = [_filled(ws, cell, sheet.fill(row, c)) for c, cell in enumerate(cells)]
        ws.append(cells)


def _filled(ws, cell: Any, colour: str | None) -> Any:
    if colour is None:
        return cell
    if not hasattr(cell, "fill"):  # a plain value: make it a cell to colour
        cell = WriteOnlyCell(ws, value=cell)
    cell.fill = PatternFill("solid", fgColor=colour)
    return cell


def to_xlsx(sheets: list[Sheet]) -> bytes:
    """The sheets as one workbook, each sheet written row by row."""
    wb = Workbook(write_only=True)
    for sheet, title in zip(sheets, sheet_titles(sheets)):
        _write(wb.create_sheet(title), sheet)
    if not sheets:
        wb.create_sheet("Sheet1")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
