"""`hexie`: the command line for every operation (init, serve, …).

The database comes from HEXIE_DATABASE_URL (default sqlite:///var/hexie.sqlite3).
"""

from __future__ import annotations

import argparse
import sys

import structlog

log = structlog.get_logger("hexie.cli")


def cmd_init(args: argparse.Namespace) -> int:
    from hexie.domain.application import DuplicateCase, Hexie
    from hexie.domain.case import Context

    from .programme import measure_commands, target_commands

    hexie = Hexie(args.database_url)
    context = Context(actor="hexie-init")
    recorded = skipped = 0
    for command in [*target_commands(), *measure_commands()]:
        try:
            hexie.open_case(command["type"], command["data"], context)
            recorded += 1
        except DuplicateCase:
            skipped += 1
    hexie.close()
    print(f"init: {recorded} targets and measures recorded, {skipped} already present", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from functools import partial

    from sanic import Sanic
    from sanic.worker.loader import AppLoader

    from hexie.http.app import create_app

    loader = AppLoader(factory=partial(create_app, args.database_url))
    app = loader.load()
    app.prepare(host=args.host, port=args.port, workers=args.workers, access_log=False, motd=False,
                single_process=args.workers == 1)
    Sanic.serve(primary=app, app_loader=loader)
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

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
