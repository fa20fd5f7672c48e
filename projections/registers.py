"""The registers of Annexes 3–8, read from the ledger (`ledger_cases`).

Each `annexN(db, …)` returns a `Register`: the seed's columns in the seed's order (its
exact Chinese headers; Annex 8 with its two header rows and the merged parent over the
layoff columns), the rows as display values (中文 labels for codes, 是/否 for booleans,
dates as dates, counts as numbers), `sheet()` for `export.to_csv` / `export.to_xlsx`, and
`document()` for JSON (`{"annex", "title", "columns", "rows"}`, each row keyed by the
column headers, plus the case's id and unit, and its plan in Annex 7).

Decisions:
- Rows are ordered by unit in the order of `vocabulary.UNITS` (the seed's Annex 1 order),
  then by the business date the case was opened, then by name (the ledger keeps no
  creation position to break ties by registration order).
- `unit` filters by the case's responsible unit and is written before the title
  (`岳阳楼区劳动人事争议调解组织情况表` — the seed leaves a blank there in Annexes 4–6).
- `reveal=False` masks 身份证号码 (`mask_id_number`) and phone numbers (`mask_phone`).
- A mediator who has been deregistered has left the register (Annex 5). Annex 8 lists the
  key employers on the list during the year asked: designated on or before that year and
  not delisted before it.
- Annex 4's 调解员人数 is the count of the body's mediators on Annex 5 (registered and not
  deregistered by the cut, `mediation_body_id`); Annex 6's 协调员人数 is the count the
  organisation registered with (coordinators name no organisation).
- Annex 7: 单位名称, 单位地址, 联系人, 联系电话 and 职工人数 come from the enterprise's own case
  (kept current by its amendments and headcount reports); 培育指导服务单位 is the
  cultivation's `service_unit`, and the responsible unit for wage guidance (P05) and
  new-enterprise service (P06).
- Annex 8, for 本年度 = `year` (default: this year in Asia/Shanghai): 所在地区 is the
  enterprise's unit; 目前职工数量 is the enterprise's latest reported headcount when it was
  reported on or after the designation, else the designation's `headcount_now`;
  已享的稳岗政策 are the policies recorded for that year or before, each named once;
  是否有裁员计划 is 是 when a plan for the year names at least one layoff, and then
  本年度计划裁员人数, 已裁员人数 (0 if none yet) and 裁员岗位 (the positions the year's layoff
  reports name, else the plan's) are filled; 是否结清劳动报酬 — what that year's latest layoff
  report said — only once layoffs have been reported for the year. Without a plan the four are blank.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from hexie.domain.calendar import NAMED_YEARS
from hexie.domain.annexes import ANNEX3, ANNEX4, ANNEX5, ANNEX6, ANNEX7, ANNEX8, Annex
from hexie.domain.identifiers import mask_id_number, mask_phone
from hexie.domain.vocabulary import (
    EDUCATION,
    ETHNICITY,
    GENDER,
    INDUSTRY,
    MEDIATION_NATURE,
    PLANS,
    SOCIAL_ORGANISATION_NATURE,
    STABILITY_POLICY,
    UNIT_ORDER,
    UNITS,
)

from . import ledger
from .cut import NOW, Cut
from .export import Sheet, caption

TABLE = "ledger_cases"
YES, NO = "是", "否"

# Annex 7 lists the enterprises of three plans; `plan=` picks one.
ENTERPRISE_PLANS = {"P03": "cultivation", "P05": "wage_guidance", "P06": "new_enterprise_service"}
PAPER = {"annex8": "A3"}  # landscape on A4, but Annex 8's fifteen columns would print too small there



class NotReady(Exception):
    """The ledger's table is not there yet: the projections are still being set up."""


def missing_table(error: BaseException) -> bool:
    """Whether `error` says a read-side table does not exist (yet), on SQLite or PostgreSQL."""
    if isinstance(error, NotReady):
        return True
    name = type(error).__name__
    return name == "UndefinedTableError" or (name == "OperationalError" and "no such table" in str(error))


class RegisterQueryError(ValueError):
    """A filter the register cannot take; `field` names it (unit, plan, year)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


# -- the register ----------------------------------------------------------------


@dataclass
class Register:
    annex: str  # "annex3" … "annex8"
    title: str  # the seed's title, after the unit when filtered by one
    sheet_title: str  # "附件3 劳动关系协调员情况表": ≤ 31 characters
    columns: list[str]  # one name per column (Annex 8: the child headers under the merged parent)
    header_rows: list[list[str | None]]
    rows: list[list[Any]]
    extras: list[dict[str, Any]]  # per row: case_id, unit (and plan, enterprise_id) for JSON
    merges: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # unit, plan, year as asked

    @property
    def number(self) -> int:
        return int(self.annex.removeprefix("annex"))

    @property
    def filename(self) -> str:
        """The download's name without extension: 附件8重点用工企业情况表."""
        return f"附件{self.number}{self.title}"

    @property
    def heading(self) -> str:
        """The seed's title as printed: 附件8  重点用工企业情况表."""
        return f"附件{self.number}  {self.title}"

    def caption(self) -> str:
        """The unit, Annex 7's plan, Annex 8's 本年度, and the cut-offs (`through`, `as_of` in
        `meta` when the register was read with them)."""
        meta = self.meta
        plan = f"计划：{PLANS[meta['plan']]}" if meta.get("plan") else None
        year = f"本年度：{meta['year']}" if meta.get("year") else None
        return caption(plan, year, unit=meta.get("unit"), through=meta.get("through"), as_of=meta.get("as_of"))

    def sheet(self) -> Sheet:
        return Sheet(self.sheet_title, self.header_rows, self.rows, list(self.merges),
                     heading=self.heading, caption=self.caption(), paper=PAPER.get(self.annex, "A4"))

    def json_rows(self) -> list[dict[str, Any]]:
        return [{**extra, **{c: _jsonable(v) for c, v in zip(self.columns, row)}}
                for extra, row in zip(self.extras, self.rows)]

    def document(self) -> dict[str, Any]:
        return {"annex": self.annex, "title": self.title, **self.meta, "columns": list(self.columns),
                "rows": self.json_rows()}


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


# -- reading the ledger ------------------------------------------------------------


def check_unit(unit: str | None) -> None:
    if unit is not None and unit not in UNIT_ORDER:
        raise RegisterQueryError("unit", f"unit must be one of {'、'.join(UNITS)}")


def check_plan(plan: str | None) -> None:
    if plan is not None and plan not in ENTERPRISE_PLANS:
        raise RegisterQueryError("plan", f"plan must be one of {', '.join(ENTERPRISE_PLANS)}")


def check_year(year: int | None) -> None:
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not NAMED_YEARS[0] <= year <= NAMED_YEARS[1]):
        raise RegisterQueryError("year", f"year must be between {NAMED_YEARS[0]} and {NAMED_YEARS[1]}")


def _order(row: dict[str, Any]) -> tuple:
    return (UNIT_ORDER.get(row["unit"], len(UNITS)), row["opened_on"] or "", row["name"] or "", row["case_id"])


async def _cases(db, kinds: tuple[str, ...], unit: str | None, cut: Cut, enterprise: bool = False) -> list[dict[str, Any]]:
    """Ledger rows of these kinds (and unit) as they stood at `cut`, in register order, personal
    data opened (then masked or shown by the register); with the enterprise's row joined."""
    try:
        found = await ledger.rows(db, cut, kinds, unit)
        enterprises = await ledger.rows_by_id(db, cut, [r["enterprise_id"] for r in found]) if enterprise else {}
    except Exception as e:
        if missing_table(e):
            raise NotReady(TABLE) from e
        raise
    out = []
    for r in found:
        row = {k: r[k] for k in ("case_id", "kind", "plan", "unit", "opened_on", "closed_on", "name", "enterprise_id")}
        row["fields"] = await db.vault.unseal(r["case_id"], r["fields"] or {})
        if enterprise:
            e = enterprises.get(r["enterprise_id"])
            row["enterprise_unit"] = e["unit"] if e else None
            row["enterprise"] = await db.vault.unseal(r["enterprise_id"], e["fields"]) if e else {}
        out.append(row)
    out.sort(key=_order)
    return out


def _date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _label(labels: dict[str, str], code: Any) -> Any:
    return labels.get(code, code) if code is not None else None


def _phone(value: Any, reveal: bool) -> Any:
    return value if reveal or not isinstance(value, str) else mask_phone(value)


def _id_number(value: Any, reveal: bool) -> Any:
    return value if reveal or not isinstance(value, str) else mask_id_number(value)


def _titled(title: str, unit: str | None) -> str:
    return f"{unit}{title}" if unit else title


def _register(annex: Annex, unit: str | None, rows: list[list[Any]], extras: list[dict[str, Any]],
              **meta: Any) -> Register:
    return Register(annex.name, _titled(annex.title, unit), annex.sheet_title, list(annex.columns), annex.header_rows,
                    rows, extras, annex.merges, meta={"unit": unit, **meta})


# -- Annexes 3 and 5: people ---------------------------------------------------------

def _people(cases: list[dict[str, Any]], reveal: bool) -> tuple[list[list[Any]], list[dict[str, Any]]]:
    rows, extras = [], []
    for n, case in enumerate(cases, 1):
        f = case["fields"]
        rows.append([
            n, f.get("name"), _label(GENDER, f.get("gender")), _label(ETHNICITY, f.get("ethnicity")),
            _id_number(f.get("id_number"), reveal), f.get("employer"), f.get("position"),
            _label(EDUCATION, f.get("education")), _date(f.get("appointed_on")), _phone(f.get("phone"), reveal),
        ])
        extras.append({"case_id": case["case_id"], "unit": case["unit"]})
    return rows, extras


async def annex3(db, unit: str | None = None, reveal: bool = False, cut: Cut = NOW) -> Register:
    """附件3 劳动关系协调员情况表: every registered coordinator."""
    check_unit(unit)
    rows, extras = _people(await _cases(db, ("coordinator",), unit, cut), reveal)
    return _register(ANNEX3, unit, rows, extras, **cut.as_dict())


async def annex5(db, unit: str | None = None, reveal: bool = False, cut: Cut = NOW) -> Register:
    """附件5 劳动人事争议调解组织调解员情况表: registered mediators, less those deregistered."""
    check_unit(unit)
    cases = [c for c in await _cases(db, ("mediator",), unit, cut) if c["closed_on"] is None]
    rows, extras = _people(cases, reveal)
    return _register(ANNEX5, unit, rows, extras, **cut.as_dict())


# -- Annexes 4 and 6: bodies ---------------------------------------------------------

def _bodies(cases: list[dict[str, Any]], natures: dict[str, str], counts: Callable[[dict[str, Any]], Any], reveal: bool):
    rows, extras = [], []
    for n, case in enumerate(cases, 1):
        f = case["fields"]
        rows.append([
            n, f.get("township"), f.get("name"), _label(natures, f.get("nature")), f.get("address"),
            _date(f.get("established_on")), f.get("head"), counts(case), f.get("contact_name"),
            _phone(f.get("contact_phone"), reveal),
        ])
        extras.append({"case_id": case["case_id"], "unit": case["unit"]})
    return rows, extras


async def annex4(db, unit: str | None = None, reveal: bool = False, cut: Cut = NOW) -> Register:
    """附件4 劳动人事争议调解组织情况表: every registered mediation body."""
    check_unit(unit)
    # 调解员人数 is the count of the body's mediators on Annex 5 at the cut (registered, not deregistered)
    mediators = Counter(m["fields"].get("mediation_body_id") for m in await ledger.rows(db, cut, ("mediator",))
                        if m["closed_on"] is None)
    rows, extras = _bodies(await _cases(db, ("mediation_body",), unit, cut), MEDIATION_NATURE,
                           lambda case: mediators[case["case_id"]], reveal)
    return _register(ANNEX4, unit, rows, extras, **cut.as_dict())


async def annex6(db, unit: str | None = None, reveal: bool = False, cut: Cut = NOW) -> Register:
    """附件6 协调劳动关系社会组织情况表: every registered social organisation."""
    check_unit(unit)
    cases = await _cases(db, ("social_organisation",), unit, cut)
    rows, extras = _bodies(cases, SOCIAL_ORGANISATION_NATURE, lambda case: case["fields"].get("coordinator_count"), reveal)
    return _register(ANNEX6, unit, rows, extras, **cut.as_dict())


# -- Annex 7: cultivated, wage-guided and newly served enterprises ----------------------

async def annex7(db, unit: str | None = None, plan: str | None = None, reveal: bool = False, cut: Cut = NOW) -> Register:
    """附件7 企业名单: one row per cultivation (P03), wage guidance (P05) and new-enterprise service (P06)."""
    check_unit(unit)
    check_plan(plan)
    kinds = (ENTERPRISE_PLANS[plan],) if plan else tuple(ENTERPRISE_PLANS.values())
    plan_of = {kind: code for code, kind in ENTERPRISE_PLANS.items()}
    rows, extras = [], []
    for n, case in enumerate(await _cases(db, kinds, unit, cut, enterprise=True), 1):
        e, f = case["enterprise"], case["fields"]
        service_unit = f.get("service_unit") if case["kind"] == "cultivation" else case["unit"]
        rows.append([
            n, e.get("name"), e.get("address"), e.get("contact_name"), _phone(e.get("contact_phone"), reveal),
            e.get("headcount"), service_unit,
        ])
        extras.append({"case_id": case["case_id"], "unit": case["unit"], "plan": plan_of[case["kind"]],
                       "enterprise_id": case["enterprise_id"]})
    return _register(ANNEX7, unit, rows, extras, plan=plan, **cut.as_dict())


# -- Annex 8: key employers and their layoffs ---------------------------------------------

def _on_list(case: dict[str, Any], year: int) -> bool:
    opened, closed = case["opened_on"] or "", case["closed_on"]
    return opened[:4] <= str(year) and (closed is None or closed[:4] >= str(year))


def _headcount_now(case: dict[str, Any]) -> Any:
    e, f = case["enterprise"], case["fields"]
    reported_on = e.get("headcount_as_of")  # set only by HeadcountReported
    if reported_on and e.get("headcount") is not None and reported_on >= (case["opened_on"] or ""):
        return e["headcount"]
    return f.get("headcount_now")


def _policies(fields: dict[str, Any], year: int) -> str | None:
    names: list[str] = []
    for p in fields.get("policies") or []:
        if p.get("year") is not None and p["year"] > year:
            continue
        name = _label(STABILITY_POLICY, p.get("policy"))
        if name and name not in names:
            names.append(name)
    return "、".join(names) or None


def _layoffs(fields: dict[str, Any], year: int) -> list[Any]:
    """是否有裁员计划 and the four layoff columns for the year."""
    plan = (fields.get("layoff_plans") or {}).get(str(year))
    if not plan or not plan.get("planned_layoffs"):
        return [NO, None, None, None, None]
    done = (fields.get("laid_off") or {}).get(str(year), 0)
    settled = (fields.get("wages_settled") or {}).get(str(year))  # that year's latest layoff report
    positions = (fields.get("layoff_positions") or {}).get(str(year)) or plan.get("positions")
    return [YES, plan["planned_layoffs"], done, positions,
            (YES if settled else NO) if done and settled is not None else None]


async def annex8(db, unit: str | None = None, year: int | None = None, reveal: bool = False, cut: Cut = NOW) -> Register:
    """附件8 重点用工企业情况表 for 本年度 = `year`: the key employers on the list that year."""
    check_unit(unit)
    check_year(year)
    year = year or int(cut.business_date[:4])  # 本年度: the year of the business date
    rows, extras = [], []
    cases = [c for c in await _cases(db, ("key_employer",), unit, cut, enterprise=True) if _on_list(c, year)]
    for n, case in enumerate(cases, 1):
        e, f = case["enterprise"], case["fields"]
        rows.append([
            n, e.get("name"), case["enterprise_unit"] or case["unit"], e.get("address"),
            _label(INDUSTRY, e.get("industry")), e.get("contact_name"), _phone(e.get("contact_phone"), reveal),
            f.get("headcount_last_year_end"), _headcount_now(case), _policies(f, year), *_layoffs(f, year),
        ])
        extras.append({"case_id": case["case_id"], "unit": case["unit"], "enterprise_id": case["enterprise_id"]})
    return _register(ANNEX8, unit, rows, extras, year=year, **cut.as_dict())


# -- by name ---------------------------------------------------------------------------

REGISTERS: dict[str, Callable[..., Awaitable[Register]]] = {
    "annex3": annex3, "annex4": annex4, "annex5": annex5, "annex6": annex6, "annex7": annex7, "annex8": annex8,
}


def check_query(annex: str, unit: str | None = None, plan: str | None = None, year: int | None = None) -> None:
    """Refuse what the register cannot take, before any waiting or reading."""
    if annex not in REGISTERS:
        raise KeyError(annex)
    check_unit(unit)
    if plan is not None and annex != "annex7":
        raise RegisterQueryError("plan", "plan filters Annex 7 only (annex7)")
    check_plan(plan)
    if year is not None and annex != "annex8":
        raise RegisterQueryError("year", "year applies to Annex 8 only (annex8)")
    check_year(year)


async def build(db, annex: str, unit: str | None = None, plan: str | None = None, year: int | None = None,
                reveal: bool = False, cut: Cut = NOW) -> Register:
    """The register named `annex3` … `annex8` as it stood at `cut`, with the filters it takes."""
    check_query(annex, unit, plan, year)
    kwargs: dict[str, Any] = {"unit": unit, "reveal": reveal, "cut": cut}
    if annex == "annex7":
        kwargs["plan"] = plan
    if annex == "annex8":
        kwargs["year"] = year
    return await REGISTERS[annex](db, **kwargs)
