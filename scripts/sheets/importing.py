"""`hexie import FILE --as <form>` and `POST /v1/imports`: a filled-in form into the ledger, all or nothing.

Two passes over the file, streamed (`source`), so a 100,000-row file is never in memory:

1. **Check.** Every row's cells are read (`cells`), the row becomes its commands
   (`rows`, `enterprise_rows`), and each command is run against the domain *without
   saving*, by the application's own dry run (`Hexie.dry_run`): the same schema, date,
   permission, idempotency and reference checks as an HTTP append, then the case's rules. Every problem of every row is collected
   (with the row, the field, 中文 and English); what the pass keeps is those problems, the
   count, an index of what must not repeat within the file, and — for Annex 7, whose rows may
   name one enterprise twice — the enterprises earlier rows would enrol.
2. **Append**, only when the check found nothing: the file is read again, each row becomes
   its commands again (now against the ledger as the rows before it left it), and the
   commands go to `Hexie.execute` (group commit) in batches of up to `Batch.SIZE`, one
   transaction each, every command with the idempotency key
   `import:<sha256 of the file, 32 hex>:<row>:<command>`.

"In one go" means: a file with any problem stores nothing; a clean file stores every row
(in as many transactions as batches; only a writer changing the same cases between the two
passes can make a batch refuse something, and the import then stops there and says so).
If the process dies half-way through pass 2, importing the same file again completes it: rows already stored read as unchanged (their
commands are derived from the ledger's state) and keyed commands replay. Idempotency keys
are scoped by actor (`Hexie`), so "the same file" means the same file by the same actor
(the CLI imports as `hexie-import`).
"""

from __future__ import annotations

import hashlib
from collections import ChainMap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from uuid import UUID

from hexie.domain.case import Case, Context
from hexie.domain.commands import REFUSALS
from hexie.domain.commands import Command as AppCommand
from hexie.domain.kinds import REFERENCES

from .enterprise_rows import annex7, annex8
from .forms import FORMS, Form
from .problems import add, refused
from .rows import Command, Row, World, duplicate_key, enterprises, register
from .source import Layout, Source, data_rows, find_layout

PLANNERS: dict[str, Callable[..., list[Command]]] = {
    "enterprises": enterprises, "annex3": register, "annex4": register, "annex5": register, "annex6": register,
    "annex7": annex7, "annex8": annex8,
}

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
            if self.recorded:  # refused while appending (another writer changed the cases meanwhile)
                out.update(partial=True, recorded=self.recorded, position=self.position)
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
        options = self._checked(options)
        self.source = Source(self.path)
        self.digest = file_digest(self.path)
        self._names, self._names_cache = names, None
        self.progress = progress or (lambda stage, done, total: None)
        self.total: int | None = None

    @staticmethod
    def _checked(options: Options) -> Options:
        """The file-wide options, read as cells are (a label or code); ValueError names a bad one."""
        from .cells import read

        for name, kind in (("unit", "unit"), ("plan", "plan"), ("occurred_on", "date"), ("year", "year")):
            value = getattr(options, name)
            if value is None:
                continue
            value, problem = read(kind, value)
            if problem is not None:
                raise ValueError(f"{name}: {problem.zh} / {problem.en}")
            setattr(options, name, value)
        return options

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
            add(outcome, {"row": row_number, "field": None, "column_index": col, "header": header,
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
                add(outcome, p, layout, raw)
            if n % 500 == 0:
                self.progress("check", n, self.total)
        self.progress("check", self.total or outcome.rows, self.total)
        outcome.ok = outcome.problem_count == 0
        return outcome

    def apply(self, checked: Outcome) -> Outcome:
        """Append every row's commands, a batch at a time (`Hexie.execute`: one transaction per batch)."""
        layout = checked.layout
        if file_digest(self.path) != self.digest:
            raise RuntimeError(f"{self.path} changed while it was being imported; import it again")
        outcome = Outcome(ok=True, form=self.form.name, rows=checked.rows, layout=layout,
                          ignored_columns=checked.ignored_columns)
        world = World(self.hexie)
        batch = Batch(self, outcome, layout)
        for n, raw in data_rows(self.source, layout):
            row = self._row(n, raw, layout)
            if batch.holds(subject(self.form.name, row)) and not batch.flush():
                return outcome
            commands = PLANNERS[self.form.name](row, world, self.names)
            if row.problems:  # the ledger changed since the check (another writer)
                batch.flush()
                for p in row.problems:
                    add(outcome, p, layout, raw)
                outcome.ok = False
                return outcome
            if not commands:
                outcome.unchanged_rows += 1
            for command in commands:
                if batch.needs_flush(command) and not batch.flush():
                    return outcome
                batch.add(row, raw, command)
            if batch.full() and not batch.flush():
                return outcome
            if n % 500 == 0:
                self.progress("import", n, self.total)
        batch.flush()
        self.progress("import", self.total or outcome.rows, self.total)
        return outcome

    # -- one row ------------------------------------------------------------------------------

    def _row(self, n: int, raw: dict[str, Any], layout: Layout) -> Row:
        officer_unit = next(iter(self.context.units)) if self.context.units and len(self.context.units) == 1 else None
        default_unit = self.options.unit or layout.title_unit() or officer_unit
        return Row(n, raw, self.form, set(layout.columns), default_unit, self.options)

    def context_for(self, row: Row, command: Command) -> Context:
        key = f"import:{self.digest[:32]}:{row.number}:{command.tag or command.type}"
        return Context(actor=self.context.actor, actor_unit=self.context.actor_unit, units=self.context.units,
                       request_id=self.context.request_id or f"import:{self.digest[:12]}", idempotency_key=key)

    def _dry_run(self, row: Row, commands: list[Command], world: World) -> dict[UUID, Case]:
        """Each command decided by the application (`Hexie.dry_run`), seeing what earlier rows and
        commands of the file would record; nothing is saved. Returns the cases the row leaves."""
        working: dict[UUID, Case] = {}
        failed: set[UUID] = set()  # cases this row failed to open: what names them is not checked again
        for command in commands:
            names = {command.case_id, *(_uuid_or_none(command.data.get(f)) for f in REFERENCES)}
            if names & failed:
                continue
            try:
                outcome = self.hexie.dry_run(AppCommand(command.type, command.data, self.context_for(row, command),
                                                        command.case_id), ChainMap(working, world.overlay))
            except REFUSALS as e:
                refused(row, command, e)
                failed.add(command.case_id or command.opens or UUID(int=0))
                continue
            if isinstance(outcome, Case):
                working[outcome.id] = outcome
        return working


def _uuid_or_none(value: Any) -> UUID | None:
    try:
        return UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


def subject(form: str, row: Row) -> Any:
    """The enterprise a row is about (rows about one enterprise must see each other's commands)."""
    if form in ("enterprises", "annex7", "annex8"):
        return row.get("uscc") or row.get("name")
    return None


class Batch:
    """Commands of consecutive rows, saved together by `Hexie.execute` (group commit).

    A batch is flushed when full, before a command that names (`enterprise_id`) a case the
    batch opens or changes — the application checks references against the store — and
    before a row about an enterprise an earlier row of the batch is about."""

    SIZE = 500

    def __init__(self, run: "Import", outcome: Outcome, layout: Layout):
        self.run, self.outcome, self.layout = run, outcome, layout
        self.items: list[tuple[Row, dict[str, Any], Command]] = []
        self.touched: set[str] = set()
        self.subjects: set[Any] = set()

    def holds(self, subject_: Any) -> bool:
        return subject_ is not None and subject_ in self.subjects

    def needs_flush(self, command: Command) -> bool:
        return any(str(command.data.get(name)) in self.touched for name in REFERENCES if command.data.get(name))

    def full(self) -> bool:
        return len(self.items) >= self.SIZE

    def add(self, row: Row, raw: dict[str, Any], command: Command) -> None:
        self.items.append((row, raw, command))
        self.touched.add(str(command.case_id or command.opens))
        if (s := subject(self.run.form.name, row)) is not None:
            self.subjects.add(s)

    def flush(self) -> bool:
        """Save the batch; False (and the outcome's problems) if anything in it was refused."""
        items, self.items, self.touched, self.subjects = self.items, [], set(), set()
        if not items:
            return self.outcome.ok
        commands = [AppCommand(c.type, c.data, self.run.context_for(row, c), c.case_id) for row, _, c in items]
        results = self.run.hexie.execute(commands)
        for (row, raw, command), result in zip(items, results):
            if isinstance(result, Exception):
                refused(row, command, result)
                for p in row.problems:
                    add(self.outcome, p, self.layout, raw)
                row.problems.clear()
                self.outcome.ok = False
            elif result.replayed:
                self.outcome.replayed += 1
            else:
                self.outcome.recorded += 1
                self.outcome.by_type[command.type] = self.outcome.by_type.get(command.type, 0) + 1
                self.outcome.position = max(self.outcome.position, result.position)
        return self.outcome.ok
