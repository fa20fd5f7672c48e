"""The report of a refused import: JSON, and a copy of the workbook with the bad cells marked.

JSON (`Outcome.as_dict()`): `{"ok": false, "form", "rows", "problems": [{"row", "column",
"cell", "value", "problem_zh", "problem_en", "field", "rule"}], "problem_count", "truncated"}`
— `row` and `cell` as the spreadsheet shows them (`E5`), `column` the form's header, `field`
the API's field (`data.id_number`) when the API's validation found it, else the form's field;
personal data (身份证号码, phone numbers) masked in `value`. A problem of the whole row (a
rule about several cells) has no cell; a missing column has the header row.

The marked copy: bad cells filled red with a comment (中文, then English); a row's own
problem on its first cell; a last sheet 问题清单 listing every problem. An XLSX up to
`FULL_COPY_BYTES` is copied whole (its formats, merges, other sheets kept); a bigger one, or
a CSV, is copied value by value in streaming mode (a CSV becomes an XLSX).
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from .importing import Outcome
from .source import Source

FULL_COPY_BYTES = 5_000_000
RED = PatternFill("solid", fgColor="FFC7CE")
AUTHOR = "hexie"
LIST_TITLE = "问题清单"
LIST_HEADER = ["行 row", "列 column", "单元格 cell", "值 value", "问题", "problem", "字段 field"]


def _marks(outcome: Outcome) -> dict[tuple[int, int], list[str]]:
    """(row, 1-based column) -> the texts of its problems."""
    marks: dict[tuple[int, int], list[str]] = {}
    for p in outcome.problems:
        if p["row"] is None:
            continue
        column = 1
        if p["cell"]:
            letters, _ = coordinate_from_string(p["cell"])
            column = column_index_from_string(letters)
        marks.setdefault((p["row"], column), []).append(f"{p['problem_zh']}\n{p['problem_en']}")
    return marks


def _comment(texts: list[str]) -> Comment:
    comment = Comment("\n\n".join(texts), AUTHOR)
    comment.width, comment.height = 320, 60 + 50 * len(texts)
    return comment


def marked_workbook(source: Source, outcome: Outcome) -> bytes:
    marks = _marks(outcome)
    if source.xlsx and source.path.stat().st_size <= FULL_COPY_BYTES:
        return _marked_copy(source, marks, outcome)
    return _streamed_copy(source, marks, outcome)


def _marked_copy(source: Source, marks: dict[tuple[int, int], list[str]], outcome: Outcome) -> bytes:
    with open(source.path, "rb") as f:
        wb = load_workbook(f)
    ws = wb[source.sheet] if source.sheet else wb.worksheets[0]
    for (row, column), texts in marks.items():
        cell = ws.cell(row=row, column=column)
        if isinstance(cell, MergedCell):  # under a merge: mark the merge's first cell
            for merged in ws.merged_cells.ranges:
                if cell.coordinate in merged:
                    cell = ws.cell(row=merged.min_row, column=merged.min_col)
                    break
        cell.fill = RED
        cell.comment = _comment(texts)
    _problem_list(wb.create_sheet(LIST_TITLE), outcome)
    wb.active = wb.worksheets.index(ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _streamed_copy(source: Source, marks: dict[tuple[int, int], list[str]], outcome: Outcome) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(source.sheet or "导入文件")
    marked_rows = {r for r, _ in marks}
    for n, values in source.rows():
        if n not in marked_rows:
            ws.append([_value(v) for v in values])
            continue
        width = max([len(values)] + [c for r, c in marks if r == n])
        cells: list[Any] = []
        for c in range(1, width + 1):
            value = _value(values[c - 1]) if c - 1 < len(values) else None
            if (n, c) in marks:
                cell = WriteOnlyCell(ws, value=value)
                cell.fill = RED
                cell.comment = _comment(marks[n, c])
                cells.append(cell)
            else:
                cells.append(value)
        ws.append(cells)
    _problem_list(wb.create_sheet(LIST_TITLE), outcome)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _value(value: Any) -> Any:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _problem_list(ws, outcome: Outcome) -> None:
    for letter, width in zip("ABCDEFG", (8, 18, 10, 22, 60, 60, 22)):
        ws.column_dimensions[letter].width = width
    header = []
    for text in LIST_HEADER:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for p in outcome.problems:
        ws.append([p["row"], p["column"], p["cell"], None if p["value"] is None else _value(str(p["value"])),
                   p["problem_zh"], p["problem_en"], p["field"]])
