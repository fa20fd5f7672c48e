"""`hexie import` (a filled-in form, all or nothing) and `hexie acceptance-pack`."""

from __future__ import annotations

import argparse
import sys

from .read_side import read


def progress_bar(label: str):
    """A one-line progress bar on standard error: `import: check  12,345 / 100,000 [#####-----] 12%`."""
    def show(stage: str, done: int, total: int | None) -> None:
        if total:
            share = min(done / total, 1.0)
            bar = "#" * int(share * 30)
            text = f"{label}: {stage:<6} {done:>9,} / {total:,} rows [{bar:<30}] {share:4.0%}"
        else:
            text = f"{label}: {stage:<6} {done:>9,} rows"
        print(f"\r{text}\033[K", end="", file=sys.stderr, flush=True)
    return show


def enterprise_names_loader(url: str | None):
    """Enrolled enterprises by name (for Annex 7/8 forms without a 统一社会信用代码 column)."""
    def load() -> dict[str, list[str]]:
        from ..sheets import enterprise_names

        return read(url, enterprise_names, ("ledger",))
    return load


def import_file(args: argparse.Namespace) -> int:
    """Import a filled-in form; on any problem nothing is stored and FILE.report.json / .xlsx say why."""
    import json
    from pathlib import Path

    from hexie.domain.application import Hexie

    from ..sheets import Import, Options, marked_workbook

    path = Path(args.file)
    if not path.is_file():
        print(f"import: no file {path}", file=sys.stderr)
        return 2
    hexie = Hexie(args.database_url)
    try:
        run = Import(hexie, path, Options(args.form, unit=args.unit, plan=args.plan, year=args.year,
                                          occurred_on=args.occurred_on),
                     names=enterprise_names_loader(args.database_url), progress=progress_bar("import"))
        outcome = run.run()
    except ValueError as e:
        print(f"import: {e}", file=sys.stderr)
        return 2
    finally:
        hexie.close()
    print(file=sys.stderr)
    report = outcome.as_dict()
    if outcome.ok:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        print(f"import: {outcome.rows} rows, {outcome.recorded} events recorded "
              f"({outcome.unchanged_rows} rows unchanged)", file=sys.stderr)
        return 0
    json_path = path.with_name(path.name + ".report.json")
    xlsx_path = path.with_name(path.name + ".report.xlsx")
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    xlsx_path.write_bytes(marked_workbook(run.source, outcome))
    for p in outcome.problems[:20]:
        where = f"row {p['row']}" + (f", {p['column']}" if p["column"] else "")
        print(f"  {where}: {p['problem_zh']} / {p['problem_en']}", file=sys.stderr)
    stored = (f"{outcome.recorded} events were stored before the refusal (the cases changed meanwhile)"
              if outcome.recorded else "nothing was stored")
    print(f"import: {outcome.problem_count} problems in {outcome.rows} rows; {stored}. "
          f"See {json_path} and {xlsx_path}", file=sys.stderr)
    return 1


def acceptance_pack(args: argparse.Namespace) -> int:
    """The acceptance pack through a business date (and as recorded by a time), written into a directory."""
    import json
    from pathlib import Path

    from hexie.projections import acceptance
    from hexie.projections.cut import Cut

    try:
        cut = Cut.of(args.through, args.as_of)
    except ValueError:
        print("acceptance-pack: --through must be a date YYYY-MM-DD; --as-of an ISO 8601 date or time", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        summary = read(args.database_url, lambda db: acceptance.write(db, cut, lambda name: open(out / name, "wb")))
    except acceptance.PackRefused as e:
        print(f"acceptance-pack: {e}", file=sys.stderr)
        return 2
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"acceptance-pack: {len(summary['files'])} files in {out}; verify with "
          f"hexie verify --file {out / 'timeline.ndjson'} --digest-position {summary['digest']['position']} "
          f"--digest-head {summary['digest']['head']}", file=sys.stderr)
    return 0
