"""`hexie import FILE --as <form>` and `POST /v1/imports`: a filled-in form into the ledger, all or nothing.

Two passes over the file, streamed (`sheet_rows`), so a 100,000-row file is never in memory:

1. **Check.** Every row's cells are read (`cells`), the row becomes its commands
   (`row_commands`), and each command is run against the domain *without saving*, exactly
   as the API runs it: the application's own schema and date checks (`Hexie._prepare`), its
   unit permission check, its reference checks, then the aggregate built or its command
   method called inside `acting(Context(...))`. Every problem of every row is collected
   (with the row, the field, 中文 and English); what the pass keeps is those problems, the
   count, an index of what must not repeat within the file, and — for Annex 7, whose rows may
   name one enterprise twice — the enterprises earlier rows would enrol.
2. **Append**, only when the check found nothing: the file is read again and each command is
   given to `Hexie.open_case` / `Hexie.append` with the idempotency key
   `import:<sha256 of the file, 32 hex>:<row>:<command>`.

The library saves one aggregate per command, so "in one go" means: a file with any problem
stores nothing; a clean file stores every row. If the process dies half-way through pass 2,
importing the same file again completes it: rows already stored read as unchanged (their
commands are derived from the ledger's state) and keyed commands replay. Idempotency keys
are scoped by actor (`Hexie`), so "the same file" means the same file by the same actor
(the CLI imports as `hexie-import`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from uuid import UUID

from hexie.domain.application import IdempotencyKeyReused, NotPermitted, ValidationFailed
from hexie.domain.case import Case, Context, DomainError, acting
from hexie.domain.identifiers import mask_id_number, mask_phone
from hexie.domain.kinds import CREATORS, REFERENCES

from .forms import FORMS, Form
from .row_commands import PLANNERS, Command, Row, World, duplicate_key
from .sheet_rows import Layout, Source, data_rows, find_layout

MAX_PROBLEMS = 10_000  # kept in the report; more are counted
CLI_ACTOR = "hexie-import"


@dataclass
class Options:
    form: str
    unit: str | None = None  # the responsible unit of rows that name none
    plan: str | None = None  # Annex 7: the plan of rows without a 计划 column
    year: int | None = None  # Annex 8: 本年度 of rows without a 本年度 column
    occurred_on: str | None = None  # the business date of rows without a 业务日期 column


@dataclass
class Outcome:
    ok: bool
    form: str
    rows: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    problem_count: int = 0
    recorded: int = 0  # events stored by this run
    replayed: int = 0  # commands an earlier run of the same file had stored
    unchanged_rows: int = 0  # rows that needed no command
    by_type: dict[str, int] = field(default_factory=dict)
    position: int = 0  # the log position of the last event stored (for ?wait_for=)
    layout: Layout | None = None
    ignored_columns: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": self.ok, "form": self.form, "rows": self.rows}
        if self.ok:
            out.update(recorded=self.recorded, replayed=self.replayed, unchanged_rows=self.unchanged_rows,
                       by_type=dict(sorted(self.by_type.items())), position=self.position)
        else:
            out.update(problems=self.problems, problem_count=self.problem_count,
                       truncated=self.problem_count > len(self.problems))
        if self.ignored_columns:
            out["ignored_columns"] = self.ignored_columns
        return out


def file_digest(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Import:
    """One file into the ledger: `run()` checks every row, then appends them all or nothing."""

    def __init__(self, hexie, path: str | Path, options: Options, context: Context = Context(actor=CLI_ACTOR),
                 names: Callable[[], dict[str, list[str]]] | None = None,
                 progress: Callable[[str, int, int | None], None] | None = None):
        if options.form not in FORMS:
            raise ValueError(f"--as must be one of {', '.join(FORMS)}")
        self.hexie, self.path, self.options, self.context = hexie, Path(path), options, context
        self.form: Form = FORMS[options.form]
        self.source = Source(self.path)
        self.digest = file_digest(self.path)
        self._names, self._names_cache = names, None
        self.progress = progress or (lambda stage, done, total: None)
        self.total: int | None = None

    def names(self) -> dict[str, list[str]]:
        if self._names_cache is None:
            self._names_cache = self._names() if self._names else {}
        return self._names_cache

    # -- the two passes ----------------------------------------------------------------------

    def run(self) -> Outcome:
        outcome = self.check()
        if not outcome.ok:
            return outcome
        return self.apply(outcome)

    def check(self) -> Outcome:
        layout = find_layout(self.form, self.source)
        outcome = Outcome(ok=False, form=self.form.name, layout=layout, ignored_columns=list(layout.ignored))
        for row_number, col, header, problem in layout.problems:
            self._add(outcome, {"row": row_number, "field": None, "column_index": col, "header": header,
                                "zh": problem.zh, "en": problem.en, "rule": problem.rule}, layout, {})
        if layout.problems:
            return outcome
        self.total = self.source.total_rows()
        seen: dict[tuple, int] = {}
        overlay: dict[UUID, Case] | None = {} if self.form.name == "annex7" else None
        world = World(self.hexie, overlay)
        for n, raw in data_rows(self.source, layout):
            outcome.rows += 1
            row = self._row(n, raw, layout)
            commands = PLANNERS[self.form.name](row, world, self.names)
            dup = duplicate_key(self.form.name, row)
            if dup is not None and dup[-1] is not None:
                if dup in seen:
                    name = "uscc" if self.form.name in ("enterprises", "annex7", "annex8") and row.get("uscc") else (
                        "id_number" if dup[0] == "id" else "name")
                    row.fail(name, f"与第{seen[dup]}行重复", f"repeats row {seen[dup]}", "duplicate_in_file")
                else:
                    seen[dup] = n
            working = self._dry_run(row, commands, world)
            if not row.problems and overlay is not None:
                overlay.update(working)
            for p in row.problems:
                self._add(outcome, p, layout, raw)
            if n % 500 == 0:
                self.progress("check", n, self.total)
        self.progress("check", self.total or outcome.rows, self.total)
        outcome.ok = outcome.problem_count == 0
        return outcome

    def apply(self, checked: Outcome) -> Outcome:
        layout = checked.layout
        if file_digest(self.path) != self.digest:
            raise RuntimeError(f"{self.path} changed while it was being imported; import it again")
        outcome = Outcome(ok=True, form=self.form.name, rows=checked.rows, layout=layout,
                          ignored_columns=checked.ignored_columns)
        world = World(self.hexie)
        for n, raw in data_rows(self.source, layout):
            row = self._row(n, raw, layout)
            commands = PLANNERS[self.form.name](row, world, self.names)
            if row.problems:  # the ledger changed since the check (another writer)
                for p in row.problems:
                    self._add(outcome, p, layout, raw)
                outcome.ok = False
                return outcome
            if not commands:
                outcome.unchanged_rows += 1
            for command in commands:
                try:
                    receipt = self._execute(row, command)
                except Exception as e:  # noqa: BLE001 - every refusal becomes the row's problem
                    self._refused(row, command, e)
                    for p in row.problems:
                        self._add(outcome, p, layout, raw)
                    outcome.ok = False
                    return outcome
                if receipt.replayed:
                    outcome.replayed += 1
                else:
                    outcome.recorded += 1
                    outcome.by_type[command.type] = outcome.by_type.get(command.type, 0) + 1
                    outcome.position = max(outcome.position, receipt.position)
            if n % 500 == 0:
                self.progress("import", n, self.total)
        self.progress("import", self.total or outcome.rows, self.total)
        return outcome

    # -- one row ------------------------------------------------------------------------------

    def _row(self, n: int, raw: dict[str, Any], layout: Layout) -> Row:
        officer_unit = next(iter(self.context.units)) if self.context.units and len(self.context.units) == 1 else None
        default_unit = self.options.unit or layout.title_unit() or officer_unit
        return Row(n, raw, self.form, set(layout.columns), default_unit, self.options)

    def _context(self, row: Row, command: Command) -> Context:
        key = f"import:{self.digest[:32]}:{row.number}:{command.tag or command.type}"
        return Context(actor=self.context.actor, actor_unit=self.context.actor_unit, units=self.context.units,
                       request_id=self.context.request_id or f"import:{self.digest[:12]}", idempotency_key=key)

    def _execute(self, row: Row, command: Command):
        context = self._context(row, command)
        if command.case_id is None:
            return self.hexie.open_case(command.type, command.data, context)
        return self.hexie.append(command.case_id, command.type, command.data, context)

    def _dry_run(self, row: Row, commands: list[Command], world: World) -> dict[UUID, Case]:
        """Each command as the application would run it, on copies, saving nothing."""
        hexie = self.hexie
        working: dict[UUID, Case] = {}
        failed: set[UUID] = set()
        for command in commands:
            if command.case_id in failed:
                continue
            context = self._context(row, command)
            try:
                data, context = hexie._prepare(command.type, command.data, context)
                if command.case_id is None:
                    cls = CREATORS[command.type]
                    hexie._check_permitted(context, data.get("unit"))
                    if command.opens is None and self._replayed("open", None, command.type, data, context):
                        continue
                    self._references(cls, data, working, world, failed)
                    with acting(context):
                        case = cls(**data)
                else:
                    case = working.get(command.case_id) or world.working_copy(command.case_id)
                    if case is None:
                        failed.add(command.case_id)
                        continue  # a case this row opens failed: its own problem says why
                    hexie._check_permitted(context, data["unit"] if "unit" in data else case.unit)
                    if self._replayed("append", case.id, command.type, data, context):
                        continue
                    self._references(type(case), data, working, world, failed)
                    with acting(context):
                        case.execute(command.type, data)
                working[case.id] = case
            except Exception as e:  # noqa: BLE001
                self._refused(row, command, e)
                failed.add(command.case_id or command.opens or UUID(int=0))
        return working

    def _replayed(self, op: str, case_id, type_: str, data: dict, context: Context) -> bool:
        fingerprint = self.hexie._fingerprint(op, case_id, type_, data, None)
        return self.hexie._replay(context, fingerprint) is not None

    def _references(self, cls, data: dict, working: dict, world: World, failed: set) -> None:
        """As `Hexie._check_references`, also seeing the cases this file would open first."""
        for name, kind in REFERENCES.items():
            ref = data.get(name)
            if ref is None:
                continue
            try:
                rid = UUID(ref)
            except ValueError:
                rid = None
            if rid in failed:
                continue
            other = working.get(rid) or (world.overlay.get(rid) if rid else None)
            if other is None:
                self.hexie._check_references(cls, {name: ref})
                continue
            if other.kind != kind:
                raise DomainError(f"unknown_{kind}", f"没有该{kind}案件 / no {kind} case {ref}", f"data.{name}")
            check = getattr(cls, f"check_{kind}", None)
            if check is not None:
                check(other.state())

    def _refused(self, row: Row, command: Command, error: Exception) -> None:
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
        elif isinstance(error, IdempotencyKeyReused):
            fail(None, "该文件的这一行曾以不同内容导入 / this row of the same file was imported before with other data",
                 "idempotency_key_reused")
        else:
            fail(None, f"{type(error).__name__}: {error}", "refused")

    # -- problems -------------------------------------------------------------------------------

    def _add(self, outcome: Outcome, p: dict[str, Any], layout: Layout, raw: dict[str, Any]) -> None:
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
    if name == "id_number" and isinstance(value, str):
        return mask_id_number(value.strip())
    if name in ("phone", "contact_phone"):
        return mask_phone(str(value).strip())
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
