"""The OpenAPI operations of http/spreadsheets.py's routes.

They belong beside their routes, as `@operation(...)` everywhere else; they are attached from
here only while another engineer rewrites that module's imports (issue 10), so the two changes
do not collide. Importing this module attaches them; move each above its handler afterwards.
"""

from __future__ import annotations

from hexie.domain.calendar import NAMED_YEARS
from hexie.scripts.sheets import FORMS

from . import spreadsheets
from .openapi import BINARY, BUSINESS_DATE_QUERY, RECORDED_TIME_QUERY, OBJECT, UNIT_QUERY, XLSX, operation, path_parameter, problem_doc, query, ref

IMPORT_FORMS = list(FORMS)
IMPORT_PROBLEM = {
    "type": "object",
    "required": ["row", "column", "cell", "value", "problem_zh", "problem_en", "field"],
    "properties": {
        "row": {"type": ["integer", "null"], "description": "the row as the spreadsheet shows it"},
        "column": {"type": ["string", "null"], "description": "the form's column header"},
        "cell": {"type": ["string", "null"], "description": "e.g. E5; null for a problem of the whole row"},
        "value": {"description": "the cell as written (personal data masked)"},
        "problem_zh": {"type": "string"},
        "problem_en": {"type": "string"},
        "field": {"type": ["string", "null"], "description": "the API field (data.id_number) or the form's field"},
        "rule": {"type": ["string", "null"]},
    },
}
IMPORT_REFUSED = {"allOf": [
    ref("Problem"),
    {"type": "object", "properties": {"ok": {"const": False}, "rows": {"type": "integer"},
                                      "problems": {"type": "array", "items": IMPORT_PROBLEM},
                                      "problem_count": {"type": "integer"}}},
]}

operation(
    "Import a filled-in form (XLSX or CSV): every row validated as the API validates it; "
    "all rows stored, or none and a report",
    parameters=[
        query("as", {"type": "string", "enum": IMPORT_FORMS}, "enterprises (企业名单) or the Annex 3-8 form", required=True),
        {**UNIT_QUERY, "description": "the responsible unit of rows that name none (a unit officer's own by default)"},
        query("plan", {"type": "string"}, "annex7: the plan of rows without a 计划 column (P03/P05/P06 or its name)"),
        query("year", {"type": "integer", "minimum": NAMED_YEARS[0], "maximum": NAMED_YEARS[1]}, "annex8: 本年度 of rows without a 本年度 column"),
        query("occurred_on", {"type": "string", "format": "date"},
              "the business date of rows without a 业务日期 column (default today)"),
        query("report", {"type": "string", "enum": ["json", "xlsx"]},
              "xlsx: a refused import answers with the workbook, bad cells marked red with comments"),
    ],
    body={"required": True, "description": "the file's bytes (streamed to disk; at most 200 MB)",
          "content": {XLSX: {"schema": BINARY}, "text/csv": {"schema": {"type": "string"}}}},
    responses={
        "201": {"description": "every row stored: rows, recorded, replayed, unchanged_rows, by_type, position",
                "content": OBJECT},
        "422": {"description": "nothing stored: the report (problem+json with ok=false, rows, problems, "
                               "problem_count), or with ?report=xlsx the marked workbook",
                "content": {"application/problem+json": {"schema": IMPORT_REFUSED}, XLSX: {"schema": BINARY}}},
        "400": problem_doc("bad query or an empty or unreadable body"),
        "413": problem_doc("the file is too large"),
        "415": problem_doc("the body is neither XLSX nor CSV"),
    },
)(spreadsheets.import_file)

operation(
    "The empty form: the seed's headers and hexie's added columns, drop-downs, an example row",
    parameters=[path_parameter("form", {"type": "string", "enum": IMPORT_FORMS})],
    responses={"200": {"description": "the template", "content": {XLSX: {"schema": BINARY}}},
               "404": problem_doc("no such template")},
    path="/v1/templates/{form}.xlsx",  # the route takes any file name and answers 404 unless it is a form's .xlsx
)(spreadsheets.template)

operation(
    "The acceptance pack (总结验收) through a business date (default 2023-09-30): a zip of the workbook (Annex 1 "
    "matrix with colours, Annex 2 measures, Annexes 3-8, all at that date), timeline.ndjson (the whole chain as "
    "recorded when the pack is made, or by as_of), digest.json and README.txt",
    parameters=[{**BUSINESS_DATE_QUERY, "description": "业务日期截至: the annexes as they stood on this date; default 2023-09-30"},
                RECORDED_TIME_QUERY],
    responses={"200": {"description": "the zip", "content": {"application/zip": {"schema": BINARY}}},
               "400": problem_doc("bad query"),
               "422": problem_doc("the pack would be empty or say nothing (no targets, no work within the cut-offs)"),
               "503": problem_doc("the read models are still catching up")},
)(spreadsheets.acceptance_pack)
