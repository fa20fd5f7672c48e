"""`hexie`: the command line for every operation (init, serve, …).

The database comes from HEXIE_DATABASE_URL (default sqlite:///var/hexie.sqlite3).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import structlog

log = structlog.get_logger("hexie.cli")


def cmd_init(args: argparse.Namespace) -> int:
    from hexie.domain.application import DuplicateCase, Hexie
    from hexie.domain.case import Context
    from hexie.domain.measure import Measure
    from hexie.domain.target import Target

    from .programme import measure_commands, target_commands

    hexie = Hexie(args.database_url)
    context = Context(actor="hexie-init")
    recorded = skipped = 0
    for command in [*target_commands(), *measure_commands()]:
        data = command["data"]
        case_id = Target.create_id(data["unit"], data["plan"]) if command["type"] == "TargetAssigned" else Measure.create_id(data["code"])
        if case_id in hexie.repository:  # look first: a refused insert would still use up a log position
            skipped += 1
            continue
        try:
            hexie.open_case(command["type"], data, context)
            recorded += 1
        except DuplicateCase:
            skipped += 1
    hexie.close()
    print(f"init: {recorded} targets and measures recorded, {skipped} already present", file=sys.stderr)
    token = asyncio.run(_first_admin_token(args.database_url))
    if token:
        print(f"init: the first city_admin token (shown once; keep it): {token}", file=sys.stderr)
    return 0


async def _first_admin_token(url: str | None) -> str | None:
    from hexie.domain.store import database_url
    from hexie.http.auth import create_token, list_tokens
    from hexie.projections.db import connect

    db = connect(url or database_url())
    try:
        if await list_tokens(db):
            return None
        return (await create_token(db, "city_admin", None, "first admin"))[1]
    finally:
        await db.close()


def cmd_rebuild(args: argparse.Namespace) -> int:
    from hexie.domain.application import Hexie
    from hexie.domain.store import database_url
    from hexie.projections.db import connect
    from hexie.projections.rebuild import rebuild

    Hexie(args.database_url).close()  # the event store's tables, on a fresh database

    async def run() -> bool:
        db = connect(args.database_url or database_url())
        try:
            return (await rebuild(db, args.names or None)).identical
        finally:
            await db.close()

    try:
        return 0 if asyncio.run(run()) else 3
    except (ValueError, RuntimeError) as e:
        print(f"rebuild: {e}", file=sys.stderr)
        return 2


def cmd_export(args: argparse.Namespace) -> int:
    import datetime as dt

    from hexie.domain.application import Hexie, parse_as_of
    from hexie.domain.store import database_url
    from hexie.http.auth import Principal, record_pii_reads
    from hexie.projections.db import connect
    from hexie.projections.timeline import export

    Hexie(args.database_url).close()

    def moment(text):
        return None if text is None else parse_as_of(text).astimezone(dt.timezone.utc).isoformat(timespec="microseconds")

    async def run() -> int:
        db = connect(args.database_url or database_url())
        out = open(args.output, "wb") if args.output else sys.stdout.buffer
        seen: set[str] = set()
        try:
            await _caught_up(db, ("audit",))
            try:
                async for chunk in export(db, args.format, reveal=args.reveal, seen=seen, since=moment(args.since),
                                          until=moment(args.until), unit=args.unit, plan=args.plan, kind=args.kind):
                    out.write(chunk)
            except BrokenPipeError:  # `hexie export | head`
                return 0
            if seen:
                await record_pii_reads(db, Principal("cli", "city_admin", None, "hexie export"), seen, "hexie export --reveal")
            return 0
        finally:
            if args.output:
                out.close()
            await db.close()

    return asyncio.run(run())


def cmd_verify(args: argparse.Namespace) -> int:
    import orjson

    kept = None
    if args.digest_position is not None or args.digest_head is not None:
        kept = {"position": args.digest_position, "head": args.digest_head}
    if args.file:
        from hexie.projections.timeline import verify_lines

        with open(args.file, "rb") as f:
            result = verify_lines(f, kept)
    else:
        from hexie.domain.application import Hexie
        from hexie.domain.store import database_url
        from hexie.projections.audit import verify_database
        from hexie.projections.db import connect

        Hexie(args.database_url).close()

        async def run():
            db = connect(args.database_url or database_url())
            try:
                await _caught_up(db, ("audit",))
                return await verify_database(db)
            finally:
                await db.close()

        result = asyncio.run(run())
    print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
    problem = result.get("first_problem")
    if problem:
        print(f"verify: {problem['problem']} at position {problem['position']}: {problem['detail']}", file=sys.stderr)
    else:
        print(f"verify: {result['checked']} events verify clean", file=sys.stderr)
    return 0 if result["ok"] else 1


def cmd_erase_person(args: argparse.Namespace) -> int:
    from uuid import UUID

    from hexie.domain.application import Hexie

    hexie = Hexie(args.database_url)
    try:
        case = hexie.get_case(UUID(args.case_id))
    except Exception as e:
        print(f"erase-person: {e}", file=sys.stderr)
        return 1
    if not hexie.vault.erase(case.id):
        print(f"erase-person: case {case.id} holds no personal data, or it was erased already", file=sys.stderr)
        return 1
    hexie.close()
    print(f"erase-person: the key of {case.kind} case {case.id} is destroyed; its 身份证号码 and phone numbers "
          "can no longer be read (the events stay, and verify)", file=sys.stderr)
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    from hexie.domain.store import database_url
    from hexie.http.auth import create_token, list_tokens, revoke_token
    from hexie.projections.db import connect

    async def run() -> int:
        db = connect(args.database_url or database_url())
        try:
            if args.action == "create":
                token_id, token = await create_token(db, args.role, args.unit, args.label or args.role, args.grant or ())
                print(f"token {token_id} ({args.role}{' ' + args.unit if args.unit else ''}) created; shown once:", file=sys.stderr)
                print(token)
            elif args.action == "revoke":
                if not await revoke_token(db, args.token_id):
                    print(f"no active token {args.token_id}", file=sys.stderr)
                    return 1
                print(f"token {args.token_id} revoked", file=sys.stderr)
            else:
                for t in await list_tokens(db):
                    state = "revoked" if t["revoked_at"] else "active"
                    print(f"{t['token_id']}\t{t['role']}\t{t['unit'] or '-'}\t{t['grants'] or '-'}\t{state}\t{t['label']}")
            return 0
        except ValueError as e:
            print(f"token: {e}", file=sys.stderr)
            return 2
        finally:
            await db.close()

    return asyncio.run(run())


def _prepare_store(url: str | None) -> None:
    from hexie.domain.application import Hexie
    from hexie.domain.store import database_url
    from hexie.http.auth import ensure_tables
    from hexie.projections.db import connect
    from hexie.projections.runner import create_read_tables

    Hexie(url).close()

    async def read_side() -> None:
        db = connect(url or database_url())
        try:
            await create_read_tables(db)
            await ensure_tables(db)
        finally:
            await db.close()

    asyncio.run(read_side())


def cmd_serve(args: argparse.Namespace) -> int:
    from functools import partial

    from sanic import Sanic
    from sanic.worker.loader import AppLoader

    from hexie.http.app import create_app

    _prepare_store(args.database_url)  # once, here: workers racing to create tables collide on PostgreSQL
    loader = AppLoader(factory=partial(create_app, args.database_url))
    app = loader.load()
    app.prepare(host=args.host, port=args.port, workers=args.workers, access_log=False, motd=False,
                single_process=args.workers == 1)
    Sanic.serve(primary=app, app_loader=loader)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Record a realistic demo programme (scripts/demo.py); refused unless the ledger is empty or only initialised."""
    import json

    from hexie.domain.application import Hexie

    from .demo import DemoRefused, run_demo

    def progress(done: int, total: int, stage: str) -> None:
        print(f"\rdemo: {done}/{total} commands ({stage})\033[K", end="", file=sys.stderr, flush=True)

    hexie = Hexie(args.database_url)
    try:
        summary = run_demo(hexie, seed=args.seed, progress=progress)
    except DemoRefused as e:
        print(f"demo refused: {e}", file=sys.stderr)
        return 1
    finally:
        hexie.close()
    print(file=sys.stderr)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0


def _progress_bar(label: str):
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


async def _caught_up(db, names: tuple[str, ...] | None = None) -> None:
    """Bring the read models (all, or those named) up to the head of the log (a server may be doing it too)."""
    from hexie.projections.runner import Paused, Runner, StaleGeneration
    from hexie.projections.views import live_projections

    runner = Runner(db, [p for p in live_projections() if names is None or p.name in names])
    await runner.setup()
    for _ in range(50):
        try:
            await runner.catch_up()
            return
        except (StaleGeneration, Paused):
            await asyncio.sleep(0.2)


def _enterprise_names(url: str | None):
    """Enrolled enterprises by name (for Annex 7/8 forms without a 统一社会信用代码 column)."""
    def load() -> dict[str, list[str]]:
        from hexie.domain.store import database_url
        from hexie.projections.db import connect

        from .sheets import enterprise_names

        async def run():
            db = connect(url or database_url())
            try:
                await _caught_up(db, ("ledger",))
                return await enterprise_names(db)
            finally:
                await db.close()

        return asyncio.run(run())
    return load


def cmd_import(args: argparse.Namespace) -> int:
    """Import a filled-in form; on any problem nothing is stored and FILE.report.json / .xlsx say why."""
    import json
    from pathlib import Path

    from hexie.domain.application import Hexie

    from .sheets import Import, Options, marked_workbook

    path = Path(args.file)
    if not path.is_file():
        print(f"import: no file {path}", file=sys.stderr)
        return 2
    hexie = Hexie(args.database_url)
    try:
        run = Import(hexie, path, Options(args.form, unit=args.unit, plan=args.plan, year=args.year,
                                          occurred_on=args.occurred_on),
                     names=_enterprise_names(args.database_url), progress=_progress_bar("import"))
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


def cmd_acceptance_pack(args: argparse.Namespace) -> int:
    """The acceptance pack as of a date, written into a directory."""
    import datetime as dt
    import json
    from pathlib import Path

    from hexie.domain.application import Hexie
    from hexie.domain.store import database_url
    from hexie.projections import acceptance
    from hexie.projections.db import connect

    try:
        dt.date.fromisoformat(args.as_of)
    except ValueError:
        print("acceptance-pack: --as-of must be a date YYYY-MM-DD", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    Hexie(args.database_url).close()  # the event store's tables, on a fresh database

    async def run():
        db = connect(args.database_url or database_url())
        try:
            await _caught_up(db)
            return await acceptance.write(db, args.as_of, lambda name: open(out / name, "wb"))
        finally:
            await db.close()

    summary = asyncio.run(run())
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"acceptance-pack: {len(summary['files'])} files in {out}; verify with "
          f"hexie verify --file {out / 'timeline.ndjson'} --digest-position {summary['digest']['position']} "
          f"--digest-head {summary['digest']['head']}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hexie", description=__doc__)
    parser.add_argument("--database-url", default=None, help="overrides HEXIE_DATABASE_URL")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("init", help="record the Annex 1 targets and Annex 2 measures (idempotent)").set_defaults(func=cmd_init)

    serve = sub.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)

    rebuild = sub.add_parser("rebuild", help="rebuild projections from the first event and swap them in (server may run)")
    rebuild.add_argument("names", nargs="*", help="projections to rebuild (default: all): ledger, annex1, audit")
    rebuild.set_defaults(func=cmd_rebuild)

    token = sub.add_parser("token", help="create, revoke or list API tokens")
    token_sub = token.add_subparsers(dest="action", required=True)
    create = token_sub.add_parser("create", help="a new bearer token, printed once")
    create.add_argument("--role", required=True, choices=["city_admin", "unit_officer", "inspector", "auditor"])
    create.add_argument("--unit", help="the unit of a unit_officer (e.g. 岳阳楼区)")
    create.add_argument("--label", help="who holds it (recorded as the actor of their events)")
    create.add_argument("--grant", action="append", choices=["pii"], help="let an auditor see personal data in clear")
    revoke = token_sub.add_parser("revoke", help="revoke a token by its id (tok_…)")
    revoke.add_argument("token_id")
    token_sub.add_parser("list", help="the tokens, without their secrets")
    token.set_defaults(func=cmd_token)

    export = sub.add_parser("export", help="the timeline as NDJSON or CSV, each event with its chain link, then the digest")
    export.add_argument("--format", choices=["ndjson", "csv"], default="ndjson")
    export.add_argument("--from", dest="since", help="recorded on or after (ISO date or date-time)")
    export.add_argument("--to", dest="until", help="recorded on or before")
    export.add_argument("--unit")
    export.add_argument("--plan")
    export.add_argument("--kind")
    export.add_argument("--reveal", action="store_true", help="personal data in clear (the read is recorded)")
    export.add_argument("-o", "--output", help="file (default: standard output)")
    export.set_defaults(func=cmd_export)

    verify = sub.add_parser("verify", help="recompute the audit chain over the database, or over an export file")
    verify.add_argument("--file", help="an export (NDJSON or CSV); no database needed")
    verify.add_argument("--digest-position", type=int, help="a digest you kept: its position …")
    verify.add_argument("--digest-head", help="… and its head hash")
    verify.set_defaults(func=cmd_verify)

    erase = sub.add_parser("erase-person", help="destroy a person's key: their 身份证号码 and phones become unreadable")
    erase.add_argument("case_id", help="the person's case (a coordinator, a mediator, an enterprise's contact)")
    erase.set_defaults(func=cmd_erase_person)

    demo = sub.add_parser("demo", help="record a realistic demo programme (2020-10 … 2023-09) on an empty ledger")
    demo.add_argument("--seed", type=int, default=2023, help="the same seed gives the same programme (default 2023)")
    demo.set_defaults(func=cmd_demo)

    imp = sub.add_parser("import", help="import a filled-in form (XLSX or CSV): all rows or, on any problem, none")
    imp.add_argument("file", help="the .xlsx or .csv file")
    imp.add_argument("--as", dest="form", required=True,
                     choices=["enterprises", "annex3", "annex4", "annex5", "annex6", "annex7", "annex8"])
    imp.add_argument("--unit", help="the responsible unit of rows that name none (e.g. 岳阳楼区)")
    imp.add_argument("--plan", choices=["P03", "P05", "P06"], help="annex7: the plan of rows without a 计划 column")
    imp.add_argument("--year", type=int, help="annex8: 本年度 of rows without a 本年度 column")
    imp.add_argument("--occurred-on", help="the business date of rows without a 业务日期 column (default today)")
    imp.set_defaults(func=cmd_import)

    pack = sub.add_parser("acceptance-pack", help="the acceptance pack as of a date: workbook, timeline, digest, README")
    pack.add_argument("--as-of", required=True, help="YYYY-MM-DD, e.g. 2023-09-30")
    pack.add_argument("out", help="the directory to write into")
    pack.set_defaults(func=cmd_acceptance_pack)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
