"""How a problem is told: on which cell, with what value, in 中文 and English.

A refused command names an API field (`data.laid_off`); the command knows which row field
each of its data fields came from, and the layout which column that is, so the problem lands
on the cell the user must fix (`M3`, 已裁员人数). A refusal about the row as a whole (a rule
over several cells, an idempotency key reused) has no cell. Domain messages are already
"中文 / English"; schema messages (jsonschema, English) get a Chinese gloss.
"""

from __future__ import annotations

import re
from typing import Any

from hexie.domain.commands import DuplicateCase, IdempotencyKeyReused, NotPermitted, ValidationFailed
from hexie.domain.case import DomainError
from hexie.domain.identifiers import mask_id_number, mask_phone

from .rows import Command, Row
from .source import Layout

MAX_PROBLEMS = 10_000  # kept in the report (and marked in the workbook); more are counted


def refused(row: Row, command: Command, error: Exception) -> None:
    """The application's refusal of a command, as the row's problem on the cell it is about."""

    def fail(data_field: str | None, message: str, rule: str) -> None:
        name = _row_field(row, command, data_field)
        zh, en = bilingual(message)
        row.fail(name, zh, en, rule, data_field)

    if isinstance(error, ValidationFailed):
        for e in error.errors:
            fail(e["field"], e["message"], "schema")
    elif isinstance(error, DomainError):
        fail(error.field, error.message, error.rule)
    elif isinstance(error, NotPermitted):
        fail("data.unit", str(error), "not_permitted")
    elif isinstance(error, DuplicateCase):  # a person by 身份证号码, a body by code or unit and name
        identity = {"coordinator": "data.id_number", "mediator": "data.id_number"}.get(error.kind)
        if identity is None and "uscc" in command.data:
            identity = "data.uscc"
        fail(identity or "data.name", f"已登记为案件 {error.case_id}，不能重复登记 / already registered as case {error.case_id}",
             "already_registered")
    elif isinstance(error, IdempotencyKeyReused):
        fail(None, "该文件的这一行曾以不同内容导入 / this row of the same file was imported before with other data",
             "idempotency_key_reused")
    else:
        fail(None, f"{type(error).__name__}: {error}", "refused")


def add(outcome, p: dict[str, Any], layout: Layout, raw: dict[str, Any]) -> None:
    """A problem into the outcome's report, with its column, cell and (masked) value."""
    outcome.problem_count += 1
    if len(outcome.problems) >= MAX_PROBLEMS:
        return
    name = p.get("field")
    column = layout.columns.get(name) if name else p.get("column_index")
    header = p.get("header") or (layout.header_of(name) if name else None)
    value = raw.get(name) if name else None
    outcome.problems.append({
        "row": p["row"],
        "column": header,
        "cell": _cell(column, p["row"]),
        "value": _shown(name, value),
        "problem_zh": p["zh"],
        "problem_en": p["en"],
        "field": p.get("data_field") or name,
        "rule": p.get("rule"),
    })


def _row_field(row: Row, command: Command, data_field: str | None) -> str | None:
    """The row field (so the column) an API field name `data.x` came from."""
    if not data_field or not data_field.startswith("data."):
        return None
    name = data_field.split(".")[1]
    name = command.sources.get(name, name)
    if name == "enterprise_id":
        name = "uscc"
    return name if row.form.column(name) is not None else None


def _cell(column: int | None, row: int | None) -> str | None:
    if column is None or row is None:
        return None
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column + 1)}{row}"


def _shown(name: str | None, value: Any) -> Any:
    """The cell's value as the report shows it: personal data masked, dates as text."""
    if value is None:
        return None
    text = str(value).strip()
    if name == "id_number" and len(text) >= 10:  # a shorter value identifies nobody: shown as written
        return mask_id_number(text)
    if name in ("phone", "contact_phone") and len(text) >= 7:
        return mask_phone(text)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


_CJK = re.compile(r"[\u3400-\u9fff]")
_SCHEMA_ZH = [
    (re.compile(r"is not one of"), "不是允许的取值"),
    (re.compile(r"is not of type"), "类型不正确"),
    (re.compile(r"less than the minimum of (\S+)"), r"小于最小值 \1"),
    (re.compile(r"greater than the maximum of (\S+)"), r"大于最大值 \1"),
    (re.compile(r"is too long"), "内容过长"),
    (re.compile(r"should be non-empty|is too short|does not match"), "不能为空或格式不正确"),
    (re.compile(r"is not a '?date'?"), "不是有效日期（YYYY-MM-DD）"),
    (re.compile(r"^must be"), "格式不正确"),
]


def bilingual(message: str) -> tuple[str, str]:
    """(中文, English) of a domain or schema message: "中文 / English" split, else translated."""
    parts = [p.strip() for p in message.split(" / ") if p.strip()]
    if len(parts) >= 2:
        zh = max(parts, key=lambda p: len(_CJK.findall(p)) / max(len(p), 1))
        en = " / ".join(p for p in parts if p is not zh)
        return zh, en
    if _CJK.search(message) and len(_CJK.findall(message)) > len(message) / 3:
        return message, message
    for pattern, zh in _SCHEMA_ZH:
        if m := pattern.search(message):
            return m.expand(zh) + f"（{message}）", message
    return f"不符合要求（{message}）", message
