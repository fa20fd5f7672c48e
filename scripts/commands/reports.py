"""`hexie summary`: the yearly summary (逐年总结) as a workbook and a JSON document."""

from __future__ import annotations

import argparse
import sys

from .read_side import read


def summary(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from hexie.projections import summary as yearly
    from hexie.projections.cut import Cut
    from hexie.projections.export import to_xlsx

    try:
        as_of = Cut.of(None, args.as_of).as_of
    except ValueError:
        print("summary: --as-of must be an ISO 8601 date or time / 记录时间格式应为 ISO 8601", file=sys.stderr)
        return 2
    try:
        document = read(args.database_url, lambda db: yearly.summary(db, args.year, as_of), ("ledger", "annex1"))
    except yearly.UnknownYear as e:
        print(f"summary: {e}", file=sys.stderr)
        return 2
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        out = Path(args.output)
        out.write_bytes(to_xlsx(yearly.sheets(document)) if out.suffix == ".xlsx" else text.encode())
    floors = [f"{f['label']}：{'达到' if f['met'] else '未达到'}" for f in document["floors"]]
    done = sum(t["done"] for t in document["totals"].values())
    print(f"summary: {args.year}年 计入附件1 {done} 件；年末欠薪未结 {document['arrears']['open_at_year_end']} 件；"
          f"逾期措施 {document['measures']['total']['overdue']} 项；" + "；".join(floors)
          + (f"\nsummary: written to {args.output}" if args.output else ""), file=sys.stderr)
    return 0
