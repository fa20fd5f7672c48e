"""`hexie token create|revoke|list`: the API's bearer tokens."""

from __future__ import annotations

import argparse
import asyncio
import sys


def token(args: argparse.Namespace) -> int:
    from hexie.domain.store import database_url
    from hexie.http.auth import create_token, list_tokens, revoke_token
    from hexie.projections.engine import connect

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
