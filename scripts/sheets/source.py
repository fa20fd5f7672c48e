"""Streaming the rows of an uploaded form (XLSX or CSV) and finding its header.

Nothing holds the file's rows: an XLSX is read with openpyxl's `read_only=True`, a CSV
record by record, so a 100,000-row file takes the memory of one row. Row numbers are the
ones a spreadsheet shows (a CSV's records counted from 1, the header included).

The header is the row, among the first `HEADER_SCAN`, that names most of the form's
columns (title rows above it — `附件4`, `岳阳楼区劳动人事争议调解组织情况表` — are kept for
the unit they may name). A second header row under it (the seed's Annex 8: a parent merged
over four child columns) is taken too; so is a CSV's flattened `父-子` header. Header text
matches after NFKC with spaces and line breaks removed; a trailing `*` or `（说明）` is
ignored. An XLSX is read from the first sheet whose header matches.
"""

from __future__ import annotations

import codecs
import csv
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from openpyxl import load_workbook

from hexie.domain.vocabulary import UNITS

from .cells import ALIASES, Problem, key, trim
from .forms import ANNEX8_PARENT, EXAMPLE, Form

HEADER_SCAN = 15
XLSX_MAGIC = b"PK\x03\x04"
EXAMPLE_MARKS = {key(EXAMPLE), key("例"), key("填写示例"), key("样例")}


@dataclass
class Layout:
    """Where the form's columns are in the file."""

    form: Form
    sheet: str | None = None  # the XLSX sheet read
    header_rows: list[int] = field(default_factory=list)  # 1-based
    columns: dict[str, int] = field(default_factory=dict)  # field -> 0-based column
    headers: dict[str, str] = field(default_factory=dict)  # field -> the header as written
    titles: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # headers that are none of the form's
    problems: list[tuple[int | None, int | None, str | None, Problem]] = field(default_factory=list)

    @property
    def first_data_row(self) -> int:
        return (self.header_rows[-1] if self.header_rows else 0) + 1

    def header_of(self, field_name: str) -> str | None:
        column = self.form.column(field_name)
        return column.header if column else None

    def title_unit(self) -> str | None:
        """A unit named at the start of a title (`岳阳楼区劳动人事争议调解组织情况表`) or after 填报单位."""
        names = {key(u): u for u in UNITS} | {key(a): u for a, u in ALIASES["unit"].items()}
        for text in self.titles:
            k = key(text)
            k = k.split("填报单位:", 1)[1] if "填报单位:" in k else k
            for name in sorted(names, key=len, reverse=True):
                if k.startswith(name):
                    return names[name]
        return None


# -- opening the file ------------------------------------------------------------------------


def is_xlsx(path: str | Path) -> bool:
    with open(path, "rb") as f:
        return f.read(4) == XLSX_MAGIC


class Source:
    """A form file, read from its start each time `rows()` is called."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.xlsx = is_xlsx(self.path)
        self.sheet: str | None = None
        self.encoding = None if self.xlsx else _encoding(self.path)

    @contextmanager
    def workbook(self, data_only: bool = True):
        """The workbook, read-only; opened from a file object, so the file's name does not matter."""
        with open(self.path, "rb") as f:
            wb = load_workbook(f, read_only=True, data_only=data_only)
            try:
                yield wb
            finally:
                wb.close()

    def sheets(self) -> list[str]:
        if not self.xlsx:
            return [""]
        with self.workbook() as wb:
            return [ws.title for ws in wb.worksheets]

    def rows(self, sheet: str | None = None) -> Iterator[tuple[int, tuple]]:
        """(row number, cell values) from the first row on."""
        if self.xlsx:
            with self.workbook() as wb:
                ws = wb[sheet or self.sheet] if (sheet or self.sheet) else wb.worksheets[0]
                for n, values in enumerate(ws.iter_rows(min_row=1, values_only=True), 1):
                    yield n, values
            return
        with open(self.path, newline="", encoding=self.encoding) as f:
            sample = f.read(4096)
            f.seek(0)
            first = sample.splitlines()[0] if sample else ""
            delimiter = "\t" if first.count("\t") > first.count(",") else ","
            for n, record in enumerate(csv.reader(f, delimiter=delimiter), 1):
                yield n, tuple(v if v != "" else None for v in record)

    def total_rows(self) -> int | None:
        """How many rows there are, for a progress bar (None if the file does not say)."""
        if self.xlsx:
            with self.workbook(data_only=False) as wb:
                ws = wb[self.sheet] if self.sheet else wb.worksheets[0]
                return ws.max_row
        with open(self.path, "rb") as f:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def _encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030 — what Excel on a Chinese Windows saves."""
    with open(path, "rb") as f:
        if f.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8"


# -- the header -----------------------------------------------------------------------------------

_NOTE = re.compile(r"[*]+|\([^)]*\)$")


def _names(form: Form) -> dict[str, str]:
    names = {}
    for column in form.columns:
        for name in (column.header, *column.aliases):
            names.setdefault(key(name), column.field)
    return names


def match(form: Form, cell: Any) -> str | None:
    """The form's field a header cell names, or None."""
    if not isinstance(cell, str) or not cell.strip():
        return None
    names = _names(form)
    k = key(cell)
    parent = key(ANNEX8_PARENT)
    for candidate in (k, _NOTE.sub("", k), k.removeprefix(parent).lstrip("-—_:")):
        if candidate in names:
            return names[candidate]
    return None


def find_layout(form: Form, source: Source) -> Layout:
    """The header of the first sheet that has the form's; problems if none does or columns lack."""
    best: Layout | None = None
    for sheet in source.sheets():
        layout = _layout(form, source, sheet or None)
        if best is None or len(layout.columns) > len(best.columns):
            best = layout
        if len(layout.columns) >= 2:
            break
    assert best is not None
    if len(best.columns) < 2:
        best.problems.append((None, None, None, Problem(
            f"找不到“{form.title}”的表头（前{HEADER_SCAN}行中没有该表的列名）",
            f"no header of the form {form.name} ({form.title}) in the first {HEADER_SCAN} rows", "no_header")))
        return best
    header_row = best.header_rows[-1]
    for column in form.columns:
        if column.required and column.field not in best.columns:
            best.problems.append((header_row, None, column.header, Problem(
                f"缺少“{column.header}”列", f"the column {column.header!r} is missing", "missing_column")))
    source.sheet = best.sheet
    return best


def _layout(form: Form, source: Source, sheet: str | None) -> Layout:
    top: list[tuple[int, tuple]] = []
    for n, values in source.rows(sheet):
        top.append((n, values))
        if n >= HEADER_SCAN + 1:
            break
    layout = Layout(form, sheet)
    scored = [(len({f for f in (match(form, v) for v in values) if f}), -i) for i, (_, values) in enumerate(top)]
    score, at = max(scored, default=(0, 0))  # the most columns named; the first such row
    at = -at
    if score < 2:
        return layout
    n, values = top[at]
    layout.header_rows = [n]
    layout.titles = [str(trim(v)) for _, row in top[:at] for v in row if trim(v) is not None]
    _take(layout, n, values)
    if at + 1 < len(top):  # a second header row: children under a merged parent, or columns merged down
        below_n, below = top[at + 1]
        found = {i: match(form, v) for i, v in enumerate(below)}
        if any(f and f not in layout.columns for f in found.values()):
            layout.header_rows.append(below_n)
            _take(layout, below_n, below)
    return layout


def _take(layout: Layout, row: int, values: tuple) -> None:
    for i, value in enumerate(values):
        f = match(layout.form, value)
        if f is None:
            if trim(value) is not None and key(value) != key(ANNEX8_PARENT) and row == layout.header_rows[0]:
                layout.ignored.append(str(trim(value)))
            continue
        if f in layout.columns and layout.columns[f] != i:
            header = layout.header_of(f)
            layout.problems.append((row, i, header, Problem(
                f"“{header}”列出现了两次", f"the column {header!r} appears twice", "duplicate_column")))
            continue
        layout.columns[f] = i
        layout.headers[f] = str(trim(value))


# -- the data rows ----------------------------------------------------------------------------------


def data_rows(source: Source, layout: Layout) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {field: raw cell}) of every row below the header that has something in it;
    the template's example row (序号 示例) is skipped."""
    start = layout.first_data_row
    seq = layout.columns.get("seq")
    wanted = {f: i for f, i in layout.columns.items() if f != "seq"}
    for n, values in source.rows():
        if n < start:
            continue
        if seq is not None and seq < len(values) and key(values[seq] or "") in EXAMPLE_MARKS:
            continue
        raw = {f: (values[i] if i < len(values) else None) for f, i in wanted.items()}
        if all(trim(v) is None for v in raw.values()):
            continue
        yield n, raw
