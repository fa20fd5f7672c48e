"""`hexie export` and `hexie verify`: the timeline with its chain links, and the chain checked."""

from __future__ import annotations

import argparse
import asyncio
import sys

from .read_side import caught_up


def export(args: argparse.Namespace) -> int:
    import datetime as dt

    from hexie.domain.application import Hexie
    from hexie.domain.calendar import parse_as_of
    from hexie.domain.store import database_url
    from hexie.http.auth import Principal, record_pii_reads
    from hexie.projections.engine import connect
    from hexie.projections.timeline import export

    Hexie(args.database_url).close()

    def moment(text):
        return None if text is None else parse_as_of(text).astimezone(dt.timezone.utc).isoformat(timespec="microseconds")

    async def run() -> int:
        db = connect(args.database_url or database_url())
        out = open(args.output, "wb") if args.output else sys.stdout.buffer
        seen: set[str] = set()
        try:
            await caught_up(db, ("audit",))
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


def verify(args: argparse.Namespace) -> int:
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
        from hexie.projections.engine import connect

        Hexie(args.database_url).close()

        async def run():
            db = connect(args.database_url or database_url())
            try:
                await caught_up(db, ("audit",))
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
