"""What `hexie init`, `hexie demo` and `hexie erase-person` record in the ledger."""

from __future__ import annotations

import argparse
import asyncio
import sys


def init(args: argparse.Namespace) -> int:
    from hexie.domain.application import Hexie

    from ..programme import record_init

    hexie = Hexie(args.database_url)
    recorded, skipped = record_init(hexie)
    hexie.index_people()  # people registered before the person index existed
    hexie.close()
    print(f"init: {recorded} targets and measures recorded, {skipped} already present", file=sys.stderr)
    token = asyncio.run(first_admin_token(args.database_url))
    if token:
        print(f"init: the first city_admin token (shown once; keep it): {token}", file=sys.stderr)
    return 0


async def first_admin_token(url: str | None) -> str | None:
    from hexie.domain.store import database_url
    from hexie.http.auth import create_token, list_tokens
    from hexie.projections.engine import connect

    db = connect(url or database_url())
    try:
        if await list_tokens(db):
            return None
        return (await create_token(db, "city_admin", None, "first admin"))[1]
    finally:
        await db.close()


def demo(args: argparse.Namespace) -> int:
    """Record a realistic demo programme (scripts/demo/); refused unless the ledger is empty or only initialised."""
    import json

    from hexie.domain.application import Hexie

    from ..demo import DemoRefused, run_demo

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


def erase_person(args: argparse.Namespace) -> int:
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
