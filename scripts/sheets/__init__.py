"""The bureau's spreadsheets: the forms, their empty templates, and importing a filled-in one.

`hexie import` and `POST /v1/imports` use this package through the names below only.

- forms (`forms`): `FORMS`, each a `Form` — the seed's Annex 3–8 headers and the enterprise
  list, plus the columns the ledger needs; cells are read by `cells`.
- templates (`templates`): `template(name)` the empty workbook, `sheet_title(form)` its name.
- import (`importing`, streaming the file with `source`, a row into commands with `rows` and
  `enterprise_rows`, problems told by `problems`): `Import(hexie, path, Options(...)).run()`
  checks every row, then stores all or nothing; `enterprise_names(db)` is what Annex 7/8
  rows without a 统一社会信用代码 are matched against; `XLSX_MAGIC` tells a workbook.
- report (`report`): `marked_workbook(source, outcome)`, the file with the bad cells marked on
  a copy and the list of problems on its sheet `LIST_TITLE`.
"""

from .forms import FORMS, Form
from .importing import Batch, Import, Options, Outcome
from .report import LIST_TITLE, marked_workbook
from .rows import enterprise_names
from .source import XLSX_MAGIC
from .templates import sheet_title, template

__all__ = ["FORMS", "Form", "Batch", "Import", "Options", "Outcome", "LIST_TITLE", "marked_workbook",
           "enterprise_names", "XLSX_MAGIC", "sheet_title", "template"]
