"""A `Sheet` as a printable XLSX workbook: what a clerk downloads and prints.

Streaming (`write_only`): rows are written as they come, so ten thousand rows take little
memory. Each worksheet:

- row 1 the heading (the seed's title, bold, merged across the columns), row 2 the caption
  (unit and cut-offs), then the header rows — bold, centred, wrapped, shaded, with their
  merges — then the data rows and the totals rows (bold; counts as numbers whose format
  shows the seed's unit, `0"户"`);
- prints landscape on the sheet's paper (A4 or A3), fitted to the page width (as many pages
  tall as needed, or one for a fixed-size report), the header rows repeated on every page,
  page numbers in the footer, panes frozen under the header;
- every cell of the table boxed; data cells wrap, so a long text grows its row instead of
  being cut at the column's edge;
- column widths from the header and the first rows (a CJK or full-width character counts two):
  an 18-digit 身份证号码 or a 13-digit phone number is shown whole;
- titles cut to Excel's 31 characters, without the characters Excel forbids, and unique.

LibreOffice and WPS render the Chinese with whatever CJK font the machine has: on Debian,
`fonts-noto-cjk` (without it, a PDF conversion shows empty boxes).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import re
import unicodedata
from copy import copy
from decimal import Decimal
from typing import Any, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.properties import PageSetupProperties

from .export import FALSE, TRUE, Sheet, csv_text, local_time

MAX_TITLE = 31  # Excel's limit on a sheet title
WIDTH_SAMPLE = 500  # rows looked at to size the columns
MIN_WIDTH, MAX_WIDTH = 5.0, 26.0  # wider text wraps rather than shrinking the whole page
LINE_PT = 16  # the height of a line of 11-point text (CJK fonts run taller than Latin ones)
PAPER_SIZE = {"A4": 9, "A3": 8}  # the codes of SpreadsheetML's paperSize
HEADING_PT, CAPTION_PT, BODY_PT = 16, 10, 11
FOOTER = "第 &P 页，共 &N 页"

_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
_NUMBER_LIKE = re.compile(r"[0-9*X+\-. ]+")  # text a spreadsheet would take for a number

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADING_FONT = Font(bold=True, size=HEADING_PT)
_HEADING_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_CAPTION_FONT = Font(size=CAPTION_PT)
_CAPTION_ALIGN = Alignment(horizontal="left", vertical="center", wrap_text=True)
_HEADER_FONT = Font(bold=True)
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEADER_FILL = PatternFill("solid", fgColor="E7EEF7")
_DATA_ALIGN = Alignment(vertical="center", wrap_text=True)
_TOTAL_FONT = Font(bold=True)
_HEADING = (_HEADING_FONT, _HEADING_ALIGN, HEADING_PT, 28)  # font, alignment, points, row height per line
_CAPTION = (_CAPTION_FONT, _CAPTION_ALIGN, CAPTION_PT, 16)


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


# -- sizes -------------------------------------------------------------------------


def _header_width(text: Any) -> float:
    """What a header asks of its column: up to five CJK characters on one line, a longer one on two."""
    w = display_width(text)
    return w if w <= 10 else math.ceil(w / 4) * 2


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
                widths[c] = max(widths.get(c, 0), _header_width(text))
    for row in sample:
        for c, value in enumerate(row, 1):
            widths[c] = max(widths.get(c, 0), display_width(value))
    for row in sheet.totals:  # a total shows its unit after the number
        for c, value in enumerate(row, 1):
            widths[c] = max(widths.get(c, 0), display_width(value) + 2 * len(sheet.units.get(c - 1, "")))
    return {c: min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for c, w in widths.items()}


def _lines(value: Any, width: float, points: int = BODY_PT) -> int:
    """How many lines a value takes, wrapped in a column `width` units wide, in a `points` font."""
    if value is None or isinstance(value, (int, float, Decimal, dt.date)):
        return 1
    room = max(width - 1.5, 1) * BODY_PT / points
    return sum(max(1, math.ceil(display_width(line) / room)) for line in csv_text(value).splitlines() or [""])


def _height(cells: Sequence[tuple[Any, float]]) -> float | None:
    """The height of a row whose text wraps (set, since neither Excel nor LibreOffice grows a
    streamed row by itself); None for a row of single lines."""
    lines = max((_lines(value, width) for value, width in cells), default=1)
    return LINE_PT * lines if lines > 1 else None


def _header_cells(sheet: Sheet, widths: list[float]) -> list[list[tuple[Any, float]]]:
    """Per header row, (text, width) of each cell that sizes the row: a merge across columns is
    as wide as its columns; a merge down the rows sizes none (it has their joint height)."""
    owned: dict[tuple[int, int], float | None] = {}
    for ref in sheet.merges:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                owned[r, c] = None
        if max_row == min_row:
            owned[min_row, min_col] = sum(widths[min_col - 1:max_col])
    rows = []
    for r, header in enumerate(sheet.header_rows, 1):
        rows.append([(text, owned.get((r, c), widths[c - 1])) for c, text in enumerate(header, 1)
                     if owned.get((r, c), 0) is not None])
    return rows


def _shift(ref: str, down: int) -> str:
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return f"{get_column_letter(min_col)}{min_row + down}:{get_column_letter(max_col)}{max_row + down}"


# -- cells -------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    return None if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _styled(ws, value: Any, font=None, align=None, border=None, fill=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    for name, style in (("font", font), ("alignment", align), ("border", border), ("fill", fill)):
        if style is not None:
            setattr(cell, name, style)
    return cell


class _Looks:
    """A data cell's style, made once per look (border, number format, bold, fill) and copied:
    openpyxl hashes a style each time one is set, which for every cell of a big register is slow."""

    def __init__(self, ws):
        self.ws, self.made = ws, {}

    def give(self, cell, number_format: str, total: bool, colour: str | None) -> None:
        key = (number_format, total, colour)
        if key not in self.made:
            model = WriteOnlyCell(self.ws)
            model.border, model.alignment, model.number_format = _BOX, _DATA_ALIGN, number_format
            if total:
                model.font = _TOTAL_FONT
            if colour is not None:
                model.fill = PatternFill("solid", fgColor=colour)
            self.made[key] = model._style
        cell._style = copy(self.made[key])


def _data_cell(ws, value: Any, unit: str | None) -> tuple[WriteOnlyCell, str]:
    """A value as written, and its number format: numbers (with a unit's format), text (digits
    stay text), dates."""
    cell, number_format = WriteOnlyCell(ws), "General"
    if isinstance(value, bool):
        cell.value = TRUE if value else FALSE
    elif value is None or isinstance(value, (int, float, Decimal)):
        cell.value = value
        if unit and value is not None:
            number_format = f'0"{unit}"' if value == int(value) else f'0.0"{unit}"'  # stays a number
    elif isinstance(value, dt.datetime):
        cell.value, number_format = local_time(value), "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, dt.date):
        cell.value, number_format = value, "yyyy-mm-dd"
    else:
        text = _text(value)
        cell.value = text
        if text.startswith("=") or _NUMBER_LIKE.fullmatch(text):
            cell.data_type = "s"  # text, never a formula or a number
            number_format = "@"
    return cell, number_format


def _row(ws, looks: _Looks, sheet: Sheet, row: Sequence[Any], ncols: int, total: bool) -> list[WriteOnlyCell]:
    padded = list(row) + [None] * (ncols - len(row))
    cells = []
    for c, value in enumerate(padded):
        cell, number_format = _data_cell(ws, value, sheet.units.get(c) if total else None)
        colour = sheet.fill(padded, c) if sheet.fill is not None and c < len(row) else None
        looks.give(cell, number_format, total, colour)
        cells.append(cell)
    return cells


# -- the page ----------------------------------------------------------------------


def _page(ws, sheet: Sheet, first_header: int, last_header: int) -> None:
    setup = ws.page_setup
    setup.orientation, setup.paperSize = "landscape", PAPER_SIZE[sheet.paper]
    setup.fitToWidth, setup.fitToHeight = 1, sheet.pages_tall  # 0: as many pages tall as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    margins = ws.page_margins
    margins.left = margins.right = 0.4
    margins.top, margins.bottom, margins.header, margins.footer = 0.5, 0.6, 0.3, 0.3
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = FOOTER
    if last_header >= first_header:
        ws.print_title_rows = f"{first_header}:{last_header}"  # the header on every printed page
        ws.freeze_panes = f"A{last_header + 1}"


def _write(ws, sheet: Sheet) -> None:
    rows: Iterator[Sequence[Any]] = iter(sheet.rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE))
    ncols = max(sheet.columns, max((len(r) for r in [*sample, *sheet.totals]), default=0), 1)
    computed, given = _widths(sheet, sample), sheet.widths or {}
    widths = [given.get(get_column_letter(c), computed.get(c, MIN_WIDTH)) for c in range(1, ncols + 1)]
    for c, width in enumerate(widths, 1):  # column widths must come before the first row
        ws.column_dimensions[get_column_letter(c)].width = width
    above = [(text, style) for text, style in ((sheet.heading, _HEADING), (sheet.caption, _CAPTION)) if text]
    top = len(above)
    _page(ws, sheet, top + 1, top + len(sheet.header_rows))
    for n, (text, (_, _, points, line_height)) in enumerate(above, 1):
        if ncols > 1:
            ws.merged_cells.add(f"A{n}:{get_column_letter(ncols)}{n}")
        # a merged row does not grow by itself: give it the lines its text needs
        ws.row_dimensions[n].height = line_height * _lines(text, sum(widths), points)
    for ref in sheet.merges:
        ws.merged_cells.add(_shift(ref, top))
    for text, (font, align, _, _) in above:
        ws.append([_styled(ws, _text(text), font, align)])
    n = top
    for header, sizing in zip(sheet.header_rows, _header_cells(sheet, widths)):
        n += 1
        _grow(ws, n, sizing)
        padded = list(header) + [None] * (ncols - len(header))
        ws.append([_styled(ws, _text(v), _HEADER_FONT, _HEADER_ALIGN, _BOX, _HEADER_FILL) for v in padded])
    looks = _Looks(ws)
    for total, part in ((False, itertools.chain(sample, rows)), (True, sheet.totals)):
        for row in part:
            n += 1
            _grow(ws, n, list(zip(row, widths)))
            ws.append(_row(ws, looks, sheet, row, ncols, total))


def _grow(ws, n: int, cells: Sequence[tuple[Any, float]]) -> None:
    """Row `n`'s height, when its text wraps (before the row is written: a streamed row is final)."""
    height = _height(cells)
    if height is not None:
        ws.row_dimensions[n].height = height


def workbook(sheets: list[Sheet]) -> bytes:
    """The sheets as one workbook, each sheet written row by row."""
    wb = Workbook(write_only=True)
    for sheet, title in zip(sheets, sheet_titles(sheets)):
        _write(wb.create_sheet(title), sheet)
    if not sheets:
        wb.create_sheet("Sheet1")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
