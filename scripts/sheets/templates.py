"""`GET /v1/templates/<form>.xlsx`: the empty forms, ready to fill in and import.

Each template has, on its first sheet, the form's title (附件N …) over the seed's header rows
(Annex 8 with its merged parent over the four layoff columns), then the columns hexie adds
(shaded yellow, each with a comment saying what it is for); one example row whose 序号 is
`示例` (the importer skips it); and, for `TEMPLATE_ROWS` rows below, drop-downs for every
value list (县市区, 性别, 民族, 学历, 所属行业, 调解组织性质 … and 是/否), with the lists on a
hidden sheet 代码表, and text format on 身份证号码, 统一社会信用代码 and phone columns so
Excel keeps their digits. A second sheet 填写说明 explains every column.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import labels
from .forms import EXAMPLE, FORMS, Column, Form

TEMPLATE_ROWS = 2000
LISTS = "代码表"
GUIDE = "填写说明"
YES_NO = ["是", "否"]
TEXT_KINDS = {"uscc", "id_number", "phone"}
KIND_TEXT = {
    "text": "文字", "seq": "序号", "date": "日期 YYYY-MM-DD", "count": "整数", "year": "年度（2020–2030）",
    "bool": "是/否", "uscc": "18位统一社会信用代码", "id_number": "18位身份证号码", "phone": "手机或固定电话",
    "policies": "稳岗政策，多项以“、”分隔",
}

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_SEED_FILL = PatternFill("solid", fgColor="E7EEF7")
_ADDED_FILL = PatternFill("solid", fgColor="FFF2CC")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _options(column: Column) -> list[str] | None:
    if column.kind == "bool":
        return YES_NO
    if column.kind == "policies":
        return list(labels("stability_policy").values())
    try:
        return list(labels(column.kind).values())
    except KeyError:
        return None


def sheet_title(form: Form) -> str:
    number = form.name.removeprefix("annex")
    return f"附件{number}" if number.isdigit() else form.title


def template(name: str) -> bytes:
    """The form `name` (enterprises, annex3 … annex8) as an empty workbook."""
    form = FORMS[name]
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(form)
    lists = wb.create_sheet(LISTS)
    guide = wb.create_sheet(GUIDE)
    columns = form.columns
    width = len(columns)

    number = form.name.removeprefix("annex")
    ws.cell(row=1, column=1, value=(f"附件{number} " if number.isdigit() else "") + form.title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    header_rows = [list(r) for r in form.header_rows] or [[c.header for c in columns if c.seed]]
    depth = len(header_rows)
    for r, header in enumerate(header_rows, 2):
        for c, text in enumerate(header, 1):
            ws.cell(row=r, column=c, value=text)
    for ref in form.merges:  # the seed's merges, one row lower (under the title)
        ws.merge_cells(_shift(ref, 1))
    first_added = sum(1 for c in columns if c.seed) + 1
    for c, column in enumerate(columns, 1):
        if not column.seed:
            ws.cell(row=2, column=c, value=column.header)
            if depth > 1:
                ws.merge_cells(start_row=2, start_column=c, end_row=1 + depth, end_column=c)
            ws.cell(row=2, column=c).comment = Comment(f"hexie 补充列：{column.note or column.header}", "hexie")
        for r in range(2, 2 + depth):
            cell = ws.cell(row=r, column=c)
            cell.font, cell.alignment, cell.border = Font(bold=True), _CENTER, _BOX
            cell.fill = _SEED_FILL if c < first_added else _ADDED_FILL
        ws.column_dimensions[get_column_letter(c)].width = max(8, min(30, 2 * len(column.header) + 2))
    ws.freeze_panes = ws.cell(row=2 + depth, column=1)

    example_row = 2 + depth
    first, last = example_row, example_row + TEMPLATE_ROWS
    for c, column in enumerate(columns, 1):
        cell = ws.cell(row=example_row, column=c, value=EXAMPLE if column.field == "seq" else column.example)
        cell.font = Font(italic=True, color="808080")
        letter = get_column_letter(c)
        if column.kind in TEXT_KINDS:
            for r in range(first, last + 1):
                ws.cell(row=r, column=c).number_format = "@"
        elif column.kind == "date":
            cell.number_format = "yyyy-mm-dd"
        options = _options(column)
        if options:
            _drop_down(ws, lists, column, options, f"{letter}{first}:{letter}{last}")
    _guide(guide, form)
    lists.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _shift(ref: str, rows: int) -> str:
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return f"{get_column_letter(min_col)}{min_row + rows}:{get_column_letter(max_col)}{max_row + rows}"


def _drop_down(ws, lists, column: Column, options: list[str], cells: str) -> None:
    c = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1
    lists.cell(row=1, column=c, value=column.header)
    for r, option in enumerate(options, 2):
        lists.cell(row=r, column=c, value=option)
    letter = get_column_letter(c)
    formula = f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(options) + 1}"
    free = column.kind == "policies"  # several policies are written in one cell
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=not free,
                        errorTitle="不在列表中", error=f"请从下拉列表中选择{column.header}",
                        promptTitle=column.header, prompt=(column.note or "从下拉列表中选择")[:255], showInputMessage=True)
    dv.add(cells)
    ws.add_data_validation(dv)


def _guide(ws, form: Form) -> None:
    ws.append(["列名", "是否原表列", "必填", "填写方式", "说明"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for column in form.columns:
        options = _options(column)
        how = KIND_TEXT.get(column.kind) or ("、".join(options[:12]) + (" …" if len(options) > 12 else "") if options else "")
        ws.append([column.header, "是" if column.seed else "hexie 补充", "是" if column.required else "",
                   how, column.note])
    ws.append([])
    ws.append([f"序号写“{EXAMPLE}”的行是示例，不会导入；空行跳过。可填代码或中文名称；日期可写 2021-03-01、2021/3/1、2021年3月1日。"])
    for letter, w in zip("ABCDE", (22, 12, 6, 40, 60)):
        ws.column_dimensions[letter].width = w
