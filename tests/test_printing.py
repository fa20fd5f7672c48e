"""Every workbook a clerk prints is printable (issue 11 points 1 and 5).

The workbook itself (openpyxl): the seed's title row, a caption naming the cut-offs, the
header repeated on every page, landscape on A4/A3 fitted to the page width, every cell
boxed, columns wide enough for a 身份证号码, the seed's units in the 合计 row. Then the pages
themselves, printed to PDF by LibreOffice (skipped without it unless HEXIE_REQUIRE_OFFICE=1).
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

from hexie.domain.calendar import PROGRAMME_TZ
from hexie.domain.vocabulary import PLANS
from hexie.projections import annex1
from hexie.projections.export import Sheet, caption, to_csv, to_xlsx
from hexie.scripts.sheets import FORMS
from hexie.scripts.sheets.source import HEADER_SCAN, Source, find_layout  # the importer reads what the exports write
from tests.printing import ID_NUMBER, annex3_register, annex8_register, matrix_document, pdf_pages, to_pdf

SEED_TOTALS = {"P01": "15户", "P02": "40户", "P03": "40户", "P04": "40家", "P05": "40", "P06": "780户",
               "P07": "32名", "P08": "32家", "P09": "12家", "P10": "12起"}  # the seed's 合计 row


def book(sheets: list[Sheet]):
    return load_workbook(io.BytesIO(to_xlsx(sheets)))


def assert_printable(ws, paper: int, header: str, tall: int = 0) -> None:
    setup = ws.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == paper, ws.title
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == tall
    assert ws.print_title_rows == header  # the header rows on every printed page
    assert "&P" in ws.oddFooter.center.text


def assert_boxed(ws, first_row: int) -> None:
    """Every cell of the table, header to last row, has its four borders (a merge: its first cell,
    openpyxl reads the others with only the merge's outer edges)."""
    for row in ws.iter_rows(min_row=first_row, max_row=ws.max_row, max_col=ws.max_column):
        for cell in row:
            if isinstance(cell, MergedCell):
                continue
            sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
            assert all(side.style == "thin" for side in sides), cell.coordinate


def test_the_caption_names_the_cut_offs():
    made = dt.datetime(2026, 12, 3, 9, 30, tzinfo=PROGRAMME_TZ)
    text = caption("本年度：2022", unit="岳阳楼区", through="2022-12-31", as_of="2023-01-01T02:00:00+00:00")
    assert text.split("　　") == ["填报单位：岳阳楼区", "本年度：2022", "业务日期截至：2022-12-31",
                                 "记录时间截至：2023-01-01 10:00:00（北京时间）"]
    assert caption(as_of="2023-09-30T15:59:59.999999+00:00").endswith("2023-09-30 24:00（北京时间）")  # the end of that day
    assert caption(as_of="2023-09-30") == caption(as_of="2023-09-30T15:59:59.999999+00:00")
    # left at now, both name the moment the report was made
    assert caption(made=made) == "业务日期截至：2026-12-03（当前）　　记录时间截至：导出时 2026-12-03 09:30:00（北京时间）"


def test_a_register_prints_with_the_seeds_title_its_caption_and_its_header_on_every_page():
    ws = book([annex8_register(10, unit="岳阳楼区").sheet()]).active
    assert ws["A1"].value == "附件8  岳阳楼区重点用工企业情况表" and ws["A1"].font.b
    assert ws["A2"].value.startswith("填报单位：岳阳楼区　　本年度：2022　　业务日期截至：")
    assert "记录时间截至：导出时 " in ws["A2"].value
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A1:O1", "A2:O2", "L3:O3"} <= merged and {f"{c}3:{c}4" for c in "ABCDEFGHIJK"} <= merged
    assert ws["A3"].value == "序号" and ws["L4"].value == "本年度计划裁员人数" and ws.freeze_panes == "A5"
    assert_printable(ws, paper=8, header="$3:$4")  # Annex 8's fifteen columns: A3
    assert_boxed(ws, first_row=3)
    assert ws["A1"].border.left.style is None  # the title is not part of the table
    assert ws.max_row == 14


def test_columns_show_an_id_number_and_a_phone_number_whole():
    ws = book([annex3_register().sheet()]).active
    assert ws["E3"].value == "身份证号码" and ws["E4"].value == ID_NUMBER
    # a column's width counts digits of the default font, and a cell needs a little padding
    assert ws.column_dimensions["E"].width >= len(ID_NUMBER) + 1
    assert ws["J3"].value == "联系方式" and ws.column_dimensions["J"].width >= len("13807301234") + 1
    assert ws.column_dimensions["F"].width <= 26  # long text wraps rather than shrinking the page
    assert_printable(ws, paper=9, header="$3:$3")  # A4


def test_annex1_prints_as_two_sheets_with_the_seeds_units_in_the_totals():
    wb = book(annex1.sheets(matrix_document()))
    completion, yearly = wb.worksheets
    assert (completion.title, yearly.title) == ("附件1 完成情况", "附件1 分年度")
    assert completion["A1"].value == "附件1  岳阳市劳动关系“和谐同行”能力提升三年行动计划任务安排表完成情况"
    assert completion["A2"].value.endswith("记录时间截至：2023-09-30 24:00（北京时间）")
    dated = book(annex1.sheets(matrix_document(through="2022-12-31"))).active  # the document's own cut-offs
    assert dated["A2"].value.startswith("业务日期截至：2022-12-31　　")
    assert completion.max_column == 1 + 3 * len(PLANS) + 2
    for ws in (completion, yearly):
        assert_printable(ws, paper=8, header="$3:$4", tall=1)  # a fixed-size report: one A3 page each
        assert_boxed(ws, first_row=3)
    total = [c for c in completion[completion.max_row]]
    assert total[0].value == "合计" and total[0].font.b
    for i, plan in enumerate(PLANS):
        target, done, percent = total[1 + 3 * i: 4 + 3 * i]
        number, unit = int(SEED_TOTALS[plan].rstrip("户家名起")), SEED_TOTALS[plan][-1:].strip("0123456789")
        assert target.value == number and target.data_type == "n", plan  # a number, its unit in the format
        assert target.number_format == (f'0"{unit}"' if unit else "General") == done.number_format, plan
        assert percent.number_format == "General"
    assert [c.value for c in yearly[5]][:2] == ["岳阳楼区", "2021年"] and "A5:A7" in {str(m) for m in yearly.merged_cells.ranges}
    assert "2020年启动阶段计入2021年" in yearly["A2"].value
    last = yearly.max_row
    assert [yearly.cell(row=r, column=c).value for r in (last - 2, last - 1, last) for c in (1, 2)] == [
        "合计", "2021年", None, "2022年", None, "2023年"]  # 合计 merged over its three years
    assert yearly.cell(row=yearly.max_row, column=13).number_format == '0"户"'  # P06 in 2023


def test_csv_starts_with_the_title_and_caption_and_the_importer_still_finds_the_header(tmp_path):
    register = annex8_register(3, unit="岳阳楼区")
    lines = to_csv(register.sheet()).decode("utf-8-sig").split("\r\n")
    assert lines[0] == "附件8  岳阳楼区重点用工企业情况表" and lines[1].startswith("填报单位：岳阳楼区")
    assert lines[2].startswith("序号,单位名称,") and lines[3].startswith("1,岳阳市第1精密")
    assert to_csv(Sheet("t", [["a"]], [["=1+1"]], heading="=HYPERLINK()")).decode("utf-8-sig").split("\r\n")[:3] == [
        "'=HYPERLINK()", "a", "'=1+1"]  # the title lines keep the injection rule
    (tmp_path / "a8.csv").write_bytes(to_csv(register.sheet()))
    (tmp_path / "a8.xlsx").write_bytes(to_xlsx([register.sheet()]))
    for name, header_rows in (("a8.csv", [3]), ("a8.xlsx", [3, 4])):
        layout = find_layout(FORMS["annex8"], Source(tmp_path / name))
        assert layout.header_rows == header_rows and max(header_rows) <= HEADER_SCAN, name
        assert layout.title_unit() == "岳阳楼区" and not layout.problems, name  # read back from 填报单位


def test_annex1_fits_two_pages_and_annex8_with_ten_rows_one(office, tmp_path):
    pdfs = to_pdf(office, {
        "annex1": to_xlsx(annex1.sheets(matrix_document())),
        "annex8": to_xlsx([annex8_register(10).sheet()]),
    }, tmp_path)
    assert pdf_pages(pdfs["annex1"]) <= 2
    assert pdf_pages(pdfs["annex8"]) == 1
