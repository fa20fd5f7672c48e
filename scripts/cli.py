"""`hexie`: the command line for every operation (init, serve, …).

The database comes from HEXIE_DATABASE_URL (default sqlite:///var/hexie.sqlite3).
Each command is a function of `commands/` taking the parsed arguments and returning the exit code.
"""

from __future__ import annotations

import argparse
import sys

from hexie.domain.calendar import PROGRAMME_END

from .commands import audit, ledger, read_side, reports, server, spreadsheets, tokens


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hexie", description=__doc__)
    parser.add_argument("--database-url", default=None, help="overrides HEXIE_DATABASE_URL")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("init", help="record the Annex 1 targets and Annex 2 measures (idempotent)").set_defaults(func=ledger.init)

    serve = sub.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=server.serve)

    rebuild = sub.add_parser("rebuild", help="rebuild projections from the first event and swap them in (server may run)")
    rebuild.add_argument("names", nargs="*", help="projections to rebuild (default: all): ledger, annex1, audit")
    rebuild.set_defaults(func=read_side.rebuild)

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
    token.set_defaults(func=tokens.token)

    export = sub.add_parser("export", help="the timeline as NDJSON or CSV, each event with its chain link, then the digest")
    export.add_argument("--format", choices=["ndjson", "csv"], default="ndjson")
    export.add_argument("--from", dest="since", help="recorded on or after (ISO date or date-time)")
    export.add_argument("--to", dest="until", help="recorded on or before")
    export.add_argument("--unit")
    export.add_argument("--plan")
    export.add_argument("--kind")
    export.add_argument("--reveal", action="store_true", help="personal data in clear (the read is recorded)")
    export.add_argument("-o", "--output", help="file (default: standard output)")
    export.set_defaults(func=audit.export)

    verify = sub.add_parser("verify", help="recompute the audit chain over the database, or over an export file")
    verify.add_argument("--file", help="an export (NDJSON or CSV); no database needed")
    verify.add_argument("--digest-position", type=int, help="a digest you kept: its position …")
    verify.add_argument("--digest-head", help="… and its head hash")
    verify.set_defaults(func=audit.verify)

    erase = sub.add_parser("erase-person", help="destroy a person's key: their 身份证号码 and phones become unreadable")
    erase.add_argument("case_id", help="the person's case (a coordinator, a mediator, an enterprise's contact)")
    erase.set_defaults(func=ledger.erase_person)

    demo = sub.add_parser("demo", help="record a realistic demo programme (2020-10 … 2023-09) on an empty ledger")
    demo.add_argument("--seed", type=int, default=2023, help="the same seed gives the same programme (default 2023)")
    demo.set_defaults(func=ledger.demo)

    imp = sub.add_parser("import", help="import a filled-in form (XLSX or CSV): all rows or, on any problem, none")
    imp.add_argument("file", help="the .xlsx or .csv file")
    imp.add_argument("--as", dest="form", required=True,
                     choices=["enterprises", "annex3", "annex4", "annex5", "annex6", "annex7", "annex8"])
    imp.add_argument("--unit", help="the responsible unit of rows that name none (e.g. 岳阳楼区)")
    imp.add_argument("--plan", choices=["P03", "P05", "P06"], help="annex7: the plan of rows without a 计划 column")
    imp.add_argument("--year", type=int, help="annex8: 本年度 of rows without a 本年度 column")
    imp.add_argument("--occurred-on", help="the business date of rows without a 业务日期 column (default today)")
    imp.set_defaults(func=spreadsheets.import_file)

    year = sub.add_parser("summary", help="the yearly summary (逐年总结) of a programme year: JSON, or a workbook with -o FILE.xlsx")
    year.add_argument("--year", type=int, required=True, help="2021, 2022 or 2023")
    year.add_argument("--as-of", default=None, help="recorded time (ISO 8601): only what was recorded by then (default now)")
    year.add_argument("-o", "--output", default=None, help="write here (.xlsx: the workbook; else JSON) instead of stdout")
    year.set_defaults(func=reports.summary)

    pack = sub.add_parser("acceptance-pack", help="the acceptance pack (总结验收): workbook, timeline, digest, README")
    pack.add_argument("--through", default=PROGRAMME_END,
                      help=f"business date YYYY-MM-DD: the annexes as they stood then (default {PROGRAMME_END})")
    pack.add_argument("--as-of", default=None, help="recorded time (ISO 8601): only what was recorded by then (default now)")
    pack.add_argument("out", help="the directory to write into")
    pack.set_defaults(func=spreadsheets.acceptance_pack)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
