"""The timeline export, and its offline verification.

An export streams the global log (optionally filtered) page by page, in constant
memory, as NDJSON or CSV. Each event line has the envelope of every listing plus
what re-computing its chain link needs: `topic`, `meta`, `originator_topic` (for a
creating event), `sealed` (the stored, encrypted form of the personal data that
`data` shows masked or in clear) and `chain: {prev, hash, link}`. The first line
says what was exported; the last is the audit digest at the export's end.

`verify_lines` re-computes everything from the lines alone and names the first
event that was altered, removed, inserted or reordered.
"""

from __future__ import annotations

import csv
import io
from typing import Any, AsyncIterator, Iterable, Iterator

import orjson

from hexie.domain.identifiers import mask_personal
from hexie.domain.kinds import KINDS, TOPICS
from hexie.domain.sealing import SEALED_FIELDS, is_sealed

from .audit import GENESIS, event_hash, link
from .engine import as_bytes
from .history import SEALED_MARK, case_text, envelope

PAGE = 5000
CSV_COLUMNS = (
    "position", "case_id", "kind", "version", "type", "occurred_on", "recorded_at", "actor", "unit", "data",
    "topic", "meta", "originator_topic", "sealed", "prev", "hash", "link",
)
JSON_COLUMNS = ("data", "meta", "sealed")


def plan_of(kind: str, data: dict[str, Any]) -> str | None:
    return KINDS[kind].plan or data.get("plan")


async def events(
    db, upto: int, *, since: str | None = None, until: str | None = None, unit: str | None = None,
    plan: str | None = None, kind: str | None = None, reveal: bool = False, page: int = PAGE,
) -> AsyncIterator[dict[str, Any]]:
    """Export lines up to position `upto`, in order, one page of rows in memory at a time.

    `since`/`until` bound the recorded time (UTC ISO text); `unit`, `plan`, `kind` filter."""
    order = "notification_id" if db.postgres else "rowid"
    sql = (f"SELECT e.{order}, e.originator_id, e.originator_version, e.topic, e.state, c.prev, c.event_hash, c.link "
           f"FROM {db.events_table} e JOIN audit_chain c ON c.position = e.{order} "
           f"WHERE e.{order} > $1 AND e.{order} <= $2 ORDER BY e.{order} LIMIT $3")
    vault = db.vault
    plans: dict[str, str | None] = {}  # targets and measures name their plan only in their creating event
    wanted_kind = kind
    after = 0
    while True:
        rows = await db.fetch(sql, after, upto, page)
        if not rows:
            return
        raws = [as_bytes(r[4]) for r in rows]
        # the page's people's keys, in a query or two rather than one each
        await vault.prefetch([case_text(r[1], db.postgres) for r, raw in zip(rows, raws) if SEALED_MARK in raw])
        for (position, case_id, version, topic, _, prev, hash_, link_), raw in zip(rows, raws):
            stored = orjson.loads(raw)
            meta, originator_topic = stored["meta"], stored.get("originator_topic")
            line = envelope(position, case_text(case_id, db.postgres), version, topic, stored)
            del line["request_id"]  # in `meta`, which the line carries whole
            kind, case_id, recorded_at = line["kind"], line["case_id"], line["recorded_at"]
            if plan is not None and originator_topic is not None:
                plans[case_id] = plan_of(kind, stored)
            if ((wanted_kind and kind != wanted_kind) or (unit and meta["unit"] != unit)
                    or (since and recorded_at < since) or (until and recorded_at > until)
                    or (plan and plans.get(case_id, KINDS[kind].plan) != plan)):
                continue
            line.update(topic=topic, meta=meta)
            if originator_topic is not None:
                line["originator_topic"] = originator_topic
            line["chain"] = {"prev": prev, "hash": hash_, "link": link_}
            if SEALED_MARK in raw:
                line["sealed"] = {k: v for k, v in stored.items() if k in SEALED_FIELDS and is_sealed(v)}
                opened = await vault.unseal(case_id, stored)
                line["data"] = opened if reveal else mask_personal(opened)
            yield line
        after = rows[-1][0]


def stored_state(line: dict[str, Any]) -> dict[str, Any]:
    """The event's state as stored, rebuilt from an export line (what its hash was taken over)."""
    state = {**line["data"], **line.get("sealed", {}), "meta": line["meta"], "timestamp": line["recorded_at"]}
    if "originator_topic" in line:
        state["originator_topic"] = line["originator_topic"]
    return state


# -- formats ------------------------------------------------------------------------------


def ndjson(obj: dict[str, Any]) -> bytes:
    return orjson.dumps(obj) + b"\n"


def csv_header(complete: bool) -> bytes:
    return _csv_row(["export", "complete" if complete else "partial"]) + _csv_row(CSV_COLUMNS)


def csv_line(line: dict[str, Any]) -> bytes:
    chain = line["chain"]
    values = [line.get(c) for c in CSV_COLUMNS[:-3]] + [chain["prev"], chain["hash"], chain["link"]]
    return _csv_row(orjson.dumps(v).decode() if c in JSON_COLUMNS and v is not None else v
                    for c, v in zip(CSV_COLUMNS, values))


def csv_digest(digest: dict[str, Any]) -> bytes:
    return _csv_row(["digest", digest["position"], digest["count"], digest["head"], digest["time"]])


def _csv_row(values: Iterable[Any]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(["" if v is None else v for v in values])
    return out.getvalue().encode()


def parse(lines: Iterable[bytes | str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) from an NDJSON or CSV export; records are `{"export"}`, events, `{"digest"}`."""
    it = iter(lines)
    first = next(it, None)
    if first is None:
        return
    first_text = first.decode("utf-8-sig") if isinstance(first, bytes) else first.lstrip("\ufeff")
    if first_text.startswith("{"):
        yield 1, _json(first_text, 1)
        for n, raw in enumerate(it, 2):
            text = raw.decode() if isinstance(raw, bytes) else raw
            if text.strip():
                yield n, _json(text, n)
        return
    texts = (raw.decode() if isinstance(raw, bytes) else raw for raw in it)
    reader = csv.reader(_chain([first_text], texts))
    header = next(reader)
    if header and header[0] == "export":
        yield 1, {"export": {"complete": header[1:2] == ["complete"]}}
        header = next(reader, [])
    if tuple(header) != CSV_COLUMNS:
        raise ValueError("line 1: not a hexie timeline export (CSV header differs)")
    for n, row in enumerate(reader, 2):
        if not row:
            continue
        if row[0] == "digest":
            yield n, {"digest": {"position": int(row[1]), "count": int(row[2]), "head": row[3], "time": row[4]}}
            continue
        record = dict(zip(CSV_COLUMNS, row))
        for c in JSON_COLUMNS:
            record[c] = orjson.loads(record[c]) if record[c] else ({} if c != "sealed" else None)
        if record["sealed"] is None:
            del record["sealed"]
        if not record["originator_topic"]:
            del record["originator_topic"]
        record["position"], record["version"] = int(record["position"]), int(record["version"])
        record["chain"] = {"prev": record.pop("prev"), "hash": record.pop("hash"), "link": record.pop("link")}
        yield n, record


def _chain(*iterables):
    for it in iterables:
        yield from it


def _json(text: str, n: int) -> dict[str, Any]:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as e:
        raise ValueError(f"line {n}: not JSON ({e})") from None


def verify_lines(lines: Iterable[bytes | str], digest: dict[str, Any] | None = None) -> dict[str, Any]:
    """Check an export without the database; `digest` is one the auditor kept (position, head[, count])."""
    complete, checked, prev_link, prev_position = True, 0, GENESIS, 0
    pending = None  # position of a line whose `prev` is not the previous line's link
    links_before: dict[str, int] = {}  # link -> position, for telling an inserted line from a removed one
    final = None

    def problem(kind: str, position: Any, detail: str) -> dict[str, Any]:
        return {"ok": False, "checked": checked, "first_problem": {"problem": kind, "position": position, "detail": detail}}

    try:
        for n, record in parse(lines):
            if "export" in record:
                complete = bool(record["export"].get("complete", True))
                continue
            if "digest" in record:
                final = record["digest"]
                continue
            position = record.get("position")
            try:
                h = event_hash(position, record["case_id"], record["version"], record["topic"], stored_state(record))
            except (KeyError, TypeError) as e:
                return problem("altered", position, f"line {n} lacks {e}")
            chain = record["chain"]
            if position == prev_position and checked:
                return problem("inserted", position, f"line {n} repeats position {position}")
            if isinstance(position, int) and position < prev_position:
                return problem("reordered", position, f"line {n}: position {position} comes after {prev_position}")
            if h != chain["hash"]:
                return problem("altered", position, f"line {n}: the event's content does not match its hash")
            meta = record["meta"]
            shown = (record.get("actor"), record.get("unit"), record.get("occurred_on"), record.get("kind"), record.get("type"))
            if shown != (meta.get("actor"), meta.get("unit"), meta.get("occurred_on"), *TOPICS.get(record["topic"], (None, None))):
                return problem("altered", position, f"line {n}: its envelope disagrees with the recorded event")
            if link(chain["prev"], chain["hash"]) != chain["link"]:
                return problem("altered", position, f"line {n}: its chain link was changed")
            if pending is not None:  # the line before broke the chain: this one tells how
                if position < pending:
                    return problem("reordered", pending, f"position {pending} comes before {position}")
                return problem("removed", pending, f"an event before position {pending} is missing")
            if complete and chain["prev"] != prev_link:
                if chain["prev"] in links_before:
                    return problem("inserted", prev_position, f"the line before line {n} is not in the chain")
                pending = position
            links_before[chain["link"]] = position
            prev_link, prev_position = chain["link"], position
            checked += 1
    except ValueError as e:
        return problem("malformed", None, str(e))
    if pending is not None:
        return problem("removed", pending, f"an event before position {pending} is missing")
    if final is None:
        return problem("removed", None, "the digest at the end of the export is missing (truncated?)")
    if complete and (final["head"] != prev_link or final["count"] != checked):
        return problem("removed", prev_position, "the export ends before its digest: events are missing at the end")
    if digest is not None:
        if digest.get("position") == final["position"] and digest.get("head") != final["head"]:
            return problem("digest_mismatch", final["position"], "the export's digest differs from the one kept")
        if complete and digest.get("position", 0) <= final["position"] and digest.get("position") != final["position"]:
            kept = digest.get("position")
            if kept in links_before.values() and digest.get("head") not in links_before:
                return problem("digest_mismatch", kept, "the chain at the kept digest's position differs from it")
    return {"ok": True, "checked": checked, "complete": complete, "digest": final}


async def export(
    db, fmt: str = "ndjson", *, reveal: bool = False, seen: set[str] | None = None, **filters: Any
) -> AsyncIterator[bytes]:
    """The whole export as chunks of bytes: the export line, the events, the digest.

    The audit chain must have caught up with the log (callers wait for it or run it);
    the export goes up to the chain's head at the start. `seen` collects the cases whose
    personal data was shown in clear (for the record of such reads)."""
    from .audit import digest_at

    upto = await db.fetchval("SELECT COALESCE(MAX(position), 0) FROM audit_chain") or 0
    active = {k: v for k, v in filters.items() if v is not None}
    complete = not active
    if fmt == "csv":
        yield csv_header(complete)
    else:
        yield ndjson({"export": {"complete": complete, "filters": active, "upto": upto,
                                 "personal_data": "clear" if reveal else "masked"}})
    chunk: list[bytes] = []
    async for line in events(db, upto, reveal=reveal, **filters):
        if seen is not None and reveal and "sealed" in line:
            seen.add(line["case_id"])
        chunk.append(csv_line(line) if fmt == "csv" else ndjson(line))
        if len(chunk) >= 1000:
            yield b"".join(chunk)
            chunk = []
    if chunk:
        yield b"".join(chunk)
    final = await digest_at(db, upto)
    yield csv_digest(final) if fmt == "csv" else ndjson({"digest": final})
