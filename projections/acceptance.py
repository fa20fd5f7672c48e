"""The acceptance pack (总结验收, due 2023-09-30): everything an auditor needs, in one go.

The ledger is filled in after the fact, so the pack is made with a business-date cut-off
(`through`, 2023-09-30 by default) over everything recorded so far — or, with `as_of`, over
what had been recorded by then (DESIGN 6). `write(db, cut, open_file)` writes four files
through `open_file(name)` (a directory for `hexie acceptance-pack`, a zip for
`GET /v1/acceptance-pack`):

- `和谐同行验收材料-<through>.xlsx` — one printable workbook, a sheet per annex, all at the same
  cut: 附件1 the completion matrix in two sheets (完成情况, 分年度) with completion colours (green
  ≥ 100 %, amber ≥ 80 %, red below; a year's 完成 against that year's target); 附件2 every
  Annex 2 measure's obligation and its status on `through`; 附件3–8 the registers as they stood
  on `through` (Annex 8 for 本年度 = the year of `through`), personal data masked.
- `timeline.ndjson` — the timeline export (the format of `hexie export`) of the whole log as
  recorded when the pack was made (or by `as_of`): a complete prefix of the chain, so
  `hexie verify --file` checks every link, ending with the digest at that point.
- `digest.json` — that digest (position, count, head), to keep apart from the export.
- `README.txt` — both times, what is in the pack and how to verify it.

A pack that would be empty or say nothing (no Annex 1 targets, no programme work within the
cut) is refused (`PackRefused`), not written. The read models (ledger, annex1, audit) must have
caught up with the log first; the CLI runs them, the server waits for them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any, BinaryIO, Callable, ContextManager

import orjson

from hexie.domain.calendar import NAMED_YEARS, PROGRAMME_END, PROGRAMME_TZ, PROGRAMME_YEARS
from hexie.domain.vocabulary import PLANS

from . import annex1, annex1_sheets, deadlines, registers
from .audit import digest_at
from .cut import Cut
from .engine import as_bytes, loads
from .export import Sheet, caption, to_xlsx
from .timeline import events, ndjson

GREEN, AMBER, RED = "C6EFCE", "FFEB9C", "FFC7CE"
STATUS_LABELS = {"upcoming": "未开始", "due": "待完成", "overdue": "逾期未完成", "done": "已完成"}
ANNEX2_TITLE = "岳阳市劳动关系“和谐同行”能力提升三年行动计划工作措施、责任分工及时间安排"  # the seed's
ANNEX2_COLUMNS = ["行动计划", "重点工作任务", "工作措施", "责任分工", "时间安排",  # the seed's
                  "编号", "责任单位", "年度", "完成期限", "状态", "完成日期", "最近报告"]


DEFAULT_THROUGH = PROGRAMME_END  # 总结验收: the programme's last business date
LAUNCH = "2020-09-01"  # nothing of the programme happened before it was launched


class PackRefused(ValueError):
    """The pack would be empty or contradict itself; `field` names the cut-off to change."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def workbook_name(through: str) -> str:
    return f"和谐同行验收材料-{through}.xlsx"


def colour(done: Any, target: Any) -> str | None:
    if not isinstance(done, (int, float)) or not target:
        return None
    share = 100.0 * done / target
    return GREEN if share >= 100 else AMBER if share >= 80 else RED


# -- the workbook ------------------------------------------------------------------------------

def _completion_fill(row, c: int) -> str | None:
    """附件1 完成情况: 完成率 against 100 %, the P03 quality bar against 80 %."""
    per_plan, plans_end = len(annex1_sheets.PLAN_COLUMNS), 1 + len(annex1_sheets.PLAN_COLUMNS) * len(PLANS)
    if c == plans_end:  # the P03 quality bar: ≥ 80 % of enrolled enterprises pass
        value = row[c]
        return None if value is None else (GREEN if value >= annex1.QUALITY_BAR else RED)
    if 0 < c < plans_end and (c - 1) % per_plan == 2:  # 完成率(%)
        return None if row[c] is None else colour(row[c], 100)
    return None


def _yearly_fill(row, c: int) -> str | None:
    """附件1 分年度: a year's 完成 against that year's 目标."""
    return colour(row[c], row[c - 1]) if c >= 2 and (c - 2) % len(annex1_sheets.YEAR_COLUMNS) == 1 else None


async def matrix_sheets(db, cut: Cut) -> list[Sheet]:
    completion, yearly = annex1.sheets(await annex1.matrix(db, cut))
    completion.fill, yearly.fill = _completion_fill, _yearly_fill
    return [completion, yearly]


async def measures_sheet(db, cut: Cut) -> Sheet:
    as_of_date = cut.business_date
    windows = {r[0]: (loads(r[1]) or {}).get("window_text")
               for r in await db.fetch("SELECT case_id, fields FROM ledger_cases WHERE kind = 'measure'")}
    rows = []
    for m in _per_unit(await deadlines.measures(db, None, None, cut)):
        last = m["last_report"]
        rows.append([
            f"{m['plan']} {PLANS.get(m['plan'], '')}", m["task"], m["text"], m["responsible"], windows.get(m["case_id"]),
            m["code"], m["unit"], m["period"], dt.date.fromisoformat(m["due"]), m["status_text"],
            dt.date.fromisoformat(m["done_on"]) if m["done_on"] else None,
            f"{last['on']} {last['note']}" if last else None,
        ])
    status_column = ANNEX2_COLUMNS.index("状态")
    fills = {"已完成": GREEN, "待完成": AMBER, "逾期未完成": RED}
    return Sheet(f"附件2 工作措施完成情况（截至{as_of_date}）", [list(ANNEX2_COLUMNS)], rows,
                 widths={"A": 14, "B": 16, "C": 40, "D": 20, "E": 18, "L": 30},
                 fill=lambda row, c: fills.get(str(row[c]).split("（")[0]) if c == status_column else None,
                 heading=f"附件2  {ANNEX2_TITLE}完成情况", caption=caption(**cut.as_dict()), paper="A3")


def _per_unit(obligations: list[dict]) -> list[dict]:
    """One printed row per measure and unit: a continuous measure's quarters are folded into one row
    (its worst state, with how many quarters were reported and which are overdue)."""
    out: list[dict] = []
    quarters: dict[tuple[str, str], list[dict]] = {}
    for o in obligations:
        if isinstance(o["period"], str):  # "2022Q3": a quarter of a continuous measure
            if (o["code"], o["unit"]) not in quarters:
                out.append({**o, "_quarters": quarters.setdefault((o["code"], o["unit"]), [])})
            quarters[(o["code"], o["unit"])].append(o)
        else:
            out.append({**o, "status_text": STATUS_LABELS[o["status"]]})
    for row in out:
        if "_quarters" not in row:
            continue
        qs = [q for q in row.pop("_quarters") if q["status"] != "upcoming"] or [row]
        overdue = [q["period"] for q in qs if q["status"] == "overdue"]
        worst = "overdue" if overdue else "due" if any(q["status"] == "due" for q in qs) else qs[-1]["status"]
        reported = sum(q["status"] == "done" for q in qs)
        text = f"{STATUS_LABELS[worst]}（按季报告 {reported}/{len(qs)}"
        row.update(period="按季", due=qs[-1]["due"], status=worst, done_on=qs[-1]["done_on"],
                   last_report=max((q["last_report"] for q in qs if q["last_report"]), key=lambda r: r["on"], default=None),
                   status_text=text + (f"，逾期：{'、'.join(overdue)}）" if overdue else "）"))
    return out


async def workbook(db, cut: Cut) -> bytes:
    year = min(max(int(cut.business_date[:4]), NAMED_YEARS[0]), NAMED_YEARS[1])
    sheets = [*await matrix_sheets(db, cut), await measures_sheet(db, cut)]
    for annex in registers.REGISTERS:
        found = await registers.build(db, annex, year=year if annex == "annex8" else None, cut=cut)
        sheets.append(found.sheet())
    return await asyncio.to_thread(to_xlsx, sheets)


async def check(db, cut: Cut) -> dict[str, Any]:
    """The matrix at `cut`, or PackRefused when a pack made with it would be empty or say nothing."""
    if cut.through is None or cut.through < LAUNCH:
        raise PackRefused(f"业务日期截至 {cut.through}：早于和谐同行启动（{LAUNCH}） / through {cut.through} is before the"
                          f" programme was launched ({LAUNCH})", "through")
    document = await annex1.matrix(db, cut)
    when = f"（记录时间截至 {cut.as_of_local}）" if cut.as_of else ""
    if not any(t["target"] for t in document["totals"].values()):
        raise PackRefused(f"截至 {cut.through}{when} 尚未录入附件1目标任务（先运行 hexie init） / no Annex 1 targets"
                          " within these cut-offs (run `hexie init` first, or choose a later as_of)",
                          "as_of" if cut.as_of else "through")
    if not any(t["done"] for t in document["totals"].values()):
        raise PackRefused(f"截至 {cut.through}{when} 没有任何计入附件1的业务记录，验收材料将为空 / nothing counts to"
                          " Annex 1 within these cut-offs: the pack would be empty", "as_of" if cut.as_of else "through")
    return document


# -- the timeline up to that moment ------------------------------------------------------------------


async def _first_at_or_after(db, position: int) -> tuple[int, str] | None:
    order = "notification_id" if db.postgres else "rowid"
    row = await db.fetchrow(f"SELECT {order}, state FROM {db.events_table} WHERE {order} >= $1 ORDER BY {order} LIMIT 1",
                            position)
    return None if row is None else (row[0], orjson.loads(as_bytes(row[1]))["timestamp"])


async def position_at(db, until: str) -> int:
    """The last log position recorded by `until` (binary search: recorded times rise with positions)."""
    moment = dt.datetime.fromisoformat(until)
    lo = 0
    hi = await db.fetchval("SELECT COALESCE(MAX(position), 0) FROM audit_chain") or 0
    while lo < hi:
        mid = (lo + hi + 1) // 2
        found = await _first_at_or_after(db, mid)
        if found is None or found[0] > hi or dt.datetime.fromisoformat(found[1]) > moment:
            hi = mid - 1
        else:
            lo = found[0]
    return lo


async def write_timeline(db, upto: int, until: str, out: BinaryIO) -> dict[str, Any]:
    """The export's lines up to `upto`, masked; returns the digest at its end."""
    out.write(ndjson({"export": {"complete": True, "filters": {}, "upto": upto, "as_of": until,
                                 "personal_data": "masked"}}))
    chunk: list[bytes] = []
    async for line in events(db, upto):
        chunk.append(ndjson(line))
        if len(chunk) >= 1000:
            out.write(b"".join(chunk))
            chunk = []
    out.write(b"".join(chunk))
    final = await digest_at(db, upto)
    out.write(ndjson({"digest": final}))
    return final


# -- the pack ------------------------------------------------------------------------------------------


def readme(cut: Cut, made_at: str, digest: dict[str, Any], book: str) -> str:
    through = cut.through
    recorded = f"{cut.as_of_local}（北京时间）前记录的事件" if cut.as_of else f"制作本包时（{made_at}，北京时间）已记录的全部事件"
    return f"""和谐同行 验收材料（业务日期截至 {through}） / "和谐同行" acceptance pack through {through}

两个时间 / The two times
  业务日期截至 / business date through: {through}
      附件1–8 反映截至该日（含当日，北京时间）实际发生的工作（按事件的业务日期 occurred_on）。
      Annexes 1-8 show the work that happened on or before that date (by each event's occurred_on).
  记录时间 / recorded time: {recorded}
      台账是事后补录的：本包采用{recorded}。审计链 timeline.ndjson 也截至该时点。
      The ledger is filled in after the fact: the pack reads what had been recorded by then
      ({cut.as_of or made_at}), and the timeline is the complete chain up to that point.

本包内容 / Contents
  {book}
      附件1 任务安排表完成情况：“完成情况”表每个计划含目标、完成、完成率，“分年度”表含 {"、".join(map(str, PROGRAMME_YEARS))} 年度目标与完成；
        颜色：绿 ≥100%，黄 ≥80%，红 <80%（年度“完成”按该年目标计）；和谐企业培育达标率 ≥80% 为绿。
      附件2 工作措施完成情况：各责任单位每项措施在 {through} 的状态（已完成/待完成/逾期未完成/未开始）。
      附件3–8 各登记表截至 {through} 的内容（附件8 本年度 = {through[:4]}），个人信息已脱敏。
  timeline.ndjson  全部已记录事件（自第1条起，共 {digest['count']} 条），每条带审计链，末行为审计摘要。
  digest.json      该时点的审计摘要：position {digest['position']}，head {digest['head']}。

如何核验 / How to verify the timeline
  1. 将 digest.json 另行保存（例如打印或发送给审计方），不要与 timeline.ndjson 放在一起修改。
     Keep digest.json apart from the export (print it, or send it to the audit office).
  2. 运行 / run:
       hexie verify --file timeline.ndjson --digest-position {digest['position']} --digest-head {digest['head']}
     输出 "ok": true 且 checked = {digest['count']} 表示：每条事件的内容与其哈希一致，审计链前后相连，
     没有事件被修改、删除、插入或调换顺序，且链的末端与保存的摘要相同。
     "ok": true with checked = {digest['count']} means every event matches its hash, the chain is unbroken
     (nothing altered, removed, inserted or reordered) and it ends at the digest you kept.
     否则输出第一处问题（altered / removed / inserted / reordered / digest_mismatch）及其位置。
  3. 核验不需要数据库；也可上传到 POST /v1/audit/verify?digest_position=…&digest_head=… 。
     No database is needed; the export can also be posted to POST /v1/audit/verify.
"""


async def write(db, cut: Cut, open_file: Callable[[str], ContextManager[BinaryIO]]) -> dict[str, Any]:
    """Write the pack's files; returns a summary (files, cut-offs, position, digest). PackRefused first
    when the pack would be empty or say nothing."""
    await check(db, cut)
    made_at = dt.datetime.now(dt.timezone.utc)
    book = workbook_name(cut.through)
    data = await workbook(db, cut)
    with open_file(book) as f:
        f.write(data)
    upto = await position_at(db, cut.as_of) if cut.as_of else await db.fetchval(
        "SELECT COALESCE(MAX(position), 0) FROM audit_chain")
    with open_file("timeline.ndjson") as f:
        digest = await write_timeline(db, upto, cut.as_of or made_at.isoformat(timespec="microseconds"), f)
    digest = {**digest, **cut.as_dict(), "made_at": made_at.isoformat(timespec="seconds")}
    with open_file("digest.json") as f:
        f.write(orjson.dumps(digest, option=orjson.OPT_INDENT_2) + b"\n")
    local = made_at.astimezone(PROGRAMME_TZ).strftime("%Y-%m-%d %H:%M")
    with open_file("README.txt") as f:
        f.write(readme(cut, local, digest, book).encode("utf-8"))
    return {**cut.as_dict(), "made_at": digest["made_at"], "files": [book, "timeline.ndjson", "digest.json", "README.txt"],
            "digest": digest}
