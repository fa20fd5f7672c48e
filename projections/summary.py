"""The yearly summary (逐年总结): where one programme year left the programme.

`summary(db, year, as_of=None)` reads everything as it stood at the year's end — 12-31, or
2023-09-30 for the last year (总结验收) — over what had been recorded by `as_of` (default now):

- per unit and plan: the year's target (null where Annex 1 gives a bare three-year total,
  which is shown beside it), done in that programme year, and done so far;
- the Annex 2 measures' status on the year's last day, per unit, with the overdue listed;
- wage arrears (动态清零): cases opened and closed in the year, open at its end, and the
  交办 / 督办 / 约谈 actions of the year, per unit;
- P04 forums held, appeals collected and resolved in the year; P10 typical cases published;
- the P03 pass rate at the year's end; P05 salary-survey feedback against the year's sample
  (≥ 90 %, ≥ 10 % personalised) and P07 coordinators in large and medium enterprises (`coverage`);
- the city-wide and per-district floors the seed's text sets for each year (`domain.floors`),
  met or not.

A programme year is the year events count to in Annex 1 (`calendar.programme_year`): 2021
includes the 2020 launch phase; nothing after 2023-09-30 belongs to any year.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from hexie.domain.calendar import PROGRAMME_END, PROGRAMME_YEARS, programme_year
from hexie.domain.floors import FLOORS, Floor
from hexie.domain.vocabulary import DISTRICTS, PLANS, UNITS

from . import annex1, coverage, deadlines
from .cut import Cut
from .export import Sheet, caption
from .history import admitted
from .matrix import percent

# Events counted per programme year, by kind and type.
ACTIONS = {
    "arrears_case": ("ArrearsClueReceived", "ArrearsCaseAssigned", "ArrearsCaseSupervised", "EmployerInterviewed",
                     "ArrearsCaseClosed"),
    "forum": ("ForumHeld", "AppealResolved"),
    "bargaining_model": ("BargainingModelNominated",),
    "key_employer": ("GuidanceVisitLogged",),
    "wage_guidance": ("WageGuidanceProvided", "WageGuidanceFollowedUp"),
}
ARREARS_ACTIONS = {"ArrearsClueReceived": "opened", "ArrearsCaseAssigned": "assigned", "ArrearsCaseSupervised": "supervised",
                   "EmployerInterviewed": "interviewed", "ArrearsCaseClosed": "closed"}
SERVED = {"P01": "BargainingModelNominated", "P02": "GuidanceVisitLogged", "P05": ("WageGuidanceProvided", "WageGuidanceFollowedUp")}


class UnknownYear(ValueError):
    def __init__(self, year: int):
        super().__init__(f"{year} 不是和谐同行的计划年度（{'、'.join(map(str, PROGRAMME_YEARS))}） / not a programme year")


def year_end(year: int) -> str:
    return min(f"{year}-12-31", PROGRAMME_END)


async def summary(db, year: int, as_of: str | None = None) -> dict[str, Any]:
    if year not in PROGRAMME_YEARS:
        raise UnknownYear(year)
    cut = Cut(year_end(year), as_of)
    matrix = await annex1.matrix(db, cut)
    counts, served = await _actions(db, cut, year)
    obligations = await deadlines.measures(db, None, None, cut)
    return {
        "year": year,
        **cut.as_dict(),
        "units": [_unit(row, year, counts.get(row["unit"], Counter())) for row in matrix["rows"]],
        "totals": {plan: _plan(cell, year) for plan, cell in matrix["totals"].items()},
        "notes": matrix["notes"],
        "measures": {**deadlines.summary(obligations), "overdue": [o for o in obligations if o["status"] == "overdue"]},
        "arrears": {**_sum(counts, ARREARS_ACTIONS.values()), "open_at_year_end": matrix["open_arrears"]},
        "migrant_workers": _sum(counts, ("forums_held", "appeals_collected", "appeals_resolved")),
        "typical_cases_published": matrix["totals"]["P10"]["by_year"][str(year)]["done"],
        "quality": matrix["quality"],
        "floors": [_floor(f, matrix, served, year) for f in FLOORS],
        # each year's feedback (by June, Annex 2 P05-M01) is on the survey of the year before
        "salary_survey": await coverage.salary_survey(db, cut, year - 1),
        "coordinator_coverage": await coverage.coordinator_coverage(db, cut),
    }


def _plan(cell: dict[str, Any], year: int) -> dict[str, Any]:
    """A unit's (or the totals row's) plan in the year: the year's target where Annex 1 splits it,
    and the three-year target not split by year beside it (a bare Annex 1 total is not a yearly 0)."""
    y = cell["by_year"][str(year)]
    if "yearly_split" in cell:  # a unit's cell
        unsplit = 0 if cell["yearly_split"] else (cell["target"] or 0)
    else:  # the totals row: what the seed splits, and what it does not
        unsplit = cell["unsplit_target"]
    target = y["target"] if y["target"] or not unsplit else None
    return {"target": target, "done": y["done"], "percent": percent(y["done"], target),
            "unsplit_three_year_target": unsplit, "three_year_target": cell["target"], "done_to_date": cell["done"]}


def _unit(row: dict[str, Any], year: int, counts: Counter) -> dict[str, Any]:
    return {
        "unit": row["unit"],
        "plans": {plan: _plan(cell, year) for plan, cell in row["cells"].items()},
        "quality": row["quality"],
        "open_arrears": row["open_arrears"],
        "arrears": {name: counts[name] for name in ARREARS_ACTIONS.values()},
        "migrant_workers": {name: counts[name] for name in ("forums_held", "appeals_collected", "appeals_resolved")},
    }


async def _actions(db, cut: Cut, year: int) -> tuple[dict[str, Counter], dict[str, dict[str, set]]]:
    """Per unit: the year's arrears and P04 actions; per plan and unit: the cases served in the year."""
    counts: dict[str, Counter] = defaultdict(Counter)
    served: dict[str, dict[str, set]] = {plan: defaultdict(set) for plan in SERVED}
    async for event in admitted(db, cut, list(ACTIONS)):
        name, unit = event["type"], event["unit"]
        if name not in ACTIONS[event["kind"]] or programme_year(event["occurred_on"]) != year:
            continue
        if name in ARREARS_ACTIONS:
            counts[unit][ARREARS_ACTIONS[name]] += 1
        elif name == "ForumHeld":
            counts[unit]["forums_held"] += 1
            counts[unit]["appeals_collected"] += len(event["data"].get("appeals") or [])
        elif name == "AppealResolved":
            counts[unit]["appeals_resolved"] += 1
        for plan, types in SERVED.items():
            if name in ((types,) if isinstance(types, str) else types):
                served[plan][unit].add(event["case_id"])
    return counts, served


def _sum(counts: dict[str, Counter], names) -> dict[str, Any]:
    names = list(names)
    return {**{n: sum(c[n] for c in counts.values()) for n in names},
            "by_unit": {u: {n: counts[u][n] for n in names} for u in UNITS if any(counts[u][n] for n in names)}}


def _floor(floor: Floor, matrix: dict[str, Any], served: dict[str, dict[str, set]], year: int) -> dict[str, Any]:
    out: dict[str, Any] = {"plan": floor.plan, "plan_name": PLANS[floor.plan], "label": floor.label, "text": floor.text,
                           "scope": floor.scope, "minimum": floor.minimum, "about": floor.about, "counts": floor.counts}
    if floor.scope == "city":
        n = matrix["totals"][floor.plan]["by_year"][str(year)]["done"]
        return {**out, "count": n, "met": n >= floor.minimum}
    by_unit = {u: len(served[floor.plan].get(u, ())) for u in DISTRICTS}
    short = [u for u, n in by_unit.items() if n < floor.minimum]
    return {**out, "by_unit": by_unit, "short": short, "met": not short}


# -- the workbook --------------------------------------------------------------------------

STATUS_LABELS = {"done": "已完成", "due": "待完成", "overdue": "逾期未完成", "upcoming": "未开始"}
ARREARS_LABELS = {"opened": "新受理", "assigned": "交办", "supervised": "督办", "interviewed": "约谈", "closed": "结案"}


def _target_text(cell: dict[str, Any]) -> Any:
    """A year's target as printed: the number, with the three-year target Annex 1 does not split by year."""
    unsplit = cell["unsplit_three_year_target"]
    if not unsplit:
        return cell["target"]
    return f"三年{unsplit}" if not cell["target"] else f"{cell['target']}（另三年{unsplit}）"


def sheets(document: dict[str, Any]) -> list[Sheet]:
    year = document["year"]
    title = f"和谐同行{year}年度总结"
    top: list[str | None] = ["县区名称"]
    sub: list[str | None] = [None]
    merges = ["A1:A2"]
    for plan, name in PLANS.items():
        col = len(top)
        top += [name, None]
        sub += ["年度目标", "年度完成"]
        merges.append(f"{_col(col)}1:{_col(col + 1)}1")
    for label in ("和谐企业培育达标率(%)", "年末欠薪案件未结数"):
        merges.append(f"{_col(len(top))}1:{_col(len(top))}2")
        top.append(label)
        sub.append(None)
    rows = [[u["unit"], *[v for p in PLANS for v in (_target_text(u["plans"][p]), u["plans"][p]["done"])],
             u["quality"]["percent"], u["open_arrears"]] for u in document["units"]]
    rows.append(["合计", *[v for p in PLANS for v in (_target_text(document["totals"][p]), document["totals"][p]["done"])],
                 document["quality"]["percent"], document["arrears"]["open_at_year_end"]])
    targets = Sheet(f"{year}年 目标完成", [top, sub], rows, merges)

    measures = Sheet(f"{year}年 工作措施", [["责任单位", *STATUS_LABELS.values()]], [
        [unit, *[counts[s] for s in STATUS_LABELS]] for unit, counts in document["measures"]["by_unit"].items()
    ] + [["合计", *[document["measures"]["total"][s] for s in STATUS_LABELS]]])

    arrears_rows = []
    for u in document["units"]:
        a, m = u["arrears"], u["migrant_workers"]
        arrears_rows.append([u["unit"], *[a[k] for k in ARREARS_LABELS], u["open_arrears"], m["forums_held"],
                             m["appeals_collected"], m["appeals_resolved"]])
    a, m = document["arrears"], document["migrant_workers"]
    arrears_rows.append(["合计", *[a[k] for k in ARREARS_LABELS], a["open_at_year_end"], m["forums_held"],
                         m["appeals_collected"], m["appeals_resolved"]])
    arrears = Sheet(f"{year}年 欠薪清零与恳谈会", [["县区名称", *ARREARS_LABELS.values(), "年末未结", "恳谈会", "收集诉求", "办结诉求"]],
                    arrears_rows)

    floors = Sheet(f"{year}年 年度底线", [["计划", "要求（方案原文）", "统计", "数量", "未达到的县市区", "是否达到"]], [
        [f"{f['plan']} {f['plan_name']}", f["text"], f["label"],
         f.get("count", sum(f.get("by_unit", {}).values())), "、".join(f.get("short", [])) or None, "是" if f["met"] else "否"]
        for f in document["floors"]
    ] + [["P10 工资支付亮剑", "典型案例发布", "当年发布", document["typical_cases_published"], None, None]]
      + _shares(document))
    line = caption(f"计划年度：{year}", through=document["through"], as_of=document["as_of"])
    for sheet, paper in ((targets, "A3"), (measures, "A4"), (arrears, "A4"), (floors, "A4")):
        sheet.heading, sheet.caption, sheet.paper = f"{title}  {sheet.title}", line, paper
    targets.totals, measures.totals, arrears.totals = [targets.rows.pop()], [measures.rows.pop()], [arrears.rows.pop()]
    return [targets, measures, arrears, floors]


def _shares(document: dict[str, Any]) -> list[list[Any]]:
    """The floors' sheet's last lines: the P05 survey feedback and the P07 coordinator coverage."""
    s, c = document["salary_survey"], document["coordinator_coverage"]
    yes = lambda met: None if met is None else ("是" if met else "否")  # noqa: E731
    short = [u for u, v in c["by_unit"].items() if v["majority"] is False]
    return [
        ["P05 企业薪酬指引", "向不少于90%的参加国家薪酬调查企业提供薪酬数据反馈服务", f"反馈 {s['feedback']}/{s['surveyed']}",
         s["feedback_percent"], None if s["sample_recorded"] else "未登记调查样本", yes(s["feedback_met"])],
        ["P05 企业薪酬指引", "其中不少于10%提供针对性、个性化服务", f"个性化 {s['personalised']}/{s['surveyed']}",
         s["personalised_percent"], None, yes(s["personalised_met"])],
        ["P07 协调员配备覆盖", "力争3年内辖区大多数大中型企业配备至少1名劳动关系协调员",
         f"已配备 {c['with_coordinator']}/{c['large_medium']}", c["percent"], "、".join(short) or None,
         yes(None if c["percent"] is None else not short)],
    ]


def _col(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
