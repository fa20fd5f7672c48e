"""What an Annex 7 or Annex 8 row stands for: an enterprise's plan cases and its key-employer file.

- annex7: the enterprise (found by 统一社会信用代码, enrolled from the row if new, amended
  like the enterprise list), then its plan's case unless it has one: `CultivationEnrolled`
  (P03; 培育指导服务单位 is its service unit, 培育年度 its year), `WageGuidanceProvided` (P05)
  or `NewEnterpriseServiceProvided` (P06) — for P05/P06 培育指导服务单位 is the responsible
  unit, as the register shows it. A new enterprise on a P06 row is enrolled as newly registered.
- annex8, for 本年度: the enterprise as above (enrolled from 所在地区, 单位地址 … 目前职工数量),
  `KeyEmployerDesignated` unless it is on the list, `HeadcountReported` when 目前职工数量
  differs from what the register shows, one `StabilityPolicyRecorded` per policy not yet
  recorded for that year or before, `LayoffPlanReported` when 是否有裁员计划 is 是 and the
  year's plan is new or differs (a blank 经济补偿标准 is 未确定, a blank 是否开展支付能力评估 否,
  or what the recorded plan says), and `LayoffsReported` for the layoffs beyond those
  recorded (已裁员人数 is the year's total). 已裁员人数 below the recorded total, 否 over a
  recorded plan, or a changed 是否结清劳动报酬 without new layoffs are problems: no event says so.
"""

from __future__ import annotations

from uuid import UUID

from hexie.domain.cultivation import Cultivation
from hexie.domain.key_employer import KeyEmployer
from hexie.domain.new_enterprise_service import NewEnterpriseService
from hexie.domain.wage_guidance import WageGuidance

from . import cells
from .rows import Command, Row, World, enterprise


# -- Annex 7 ---------------------------------------------------------------------------------------------


def annex7(row: Row, world: World, names=None) -> list[Command]:
    plan = row.get("plan") or row.options.plan
    if plan is None and "plan" not in row.bad:
        row.fail("plan", "“计划”必填（和谐企业培育、企业薪酬指引或新企业用工服务），或用 --plan 指定",
                 "计划 is required (P03, P05 or P06), or give --plan", "required")
    service = row.get("service_unit")
    unit, source = row.unit()
    if plan in ("P05", "P06") and service is not None and not row.get("unit"):
        code, problem = cells.read("unit", service)
        if problem:
            row.fail("service_unit", f"企业薪酬指引、新企业用工服务的“培育指导服务单位”应为负责的县市区（{problem.zh}）",
                     f"for P05 and P06, 培育指导服务单位 is the responsible unit: {problem.en}", "unknown_unit")
        else:
            unit, source = code, "service_unit"
    eid, commands = enterprise(row, world, names, unit_field="enterprise_unit", headcount_field="headcount",
                               enrol_headcount="headcount", newly=True if plan == "P06" else None,
                               fallback_unit=unit)
    if eid is None or plan is None:
        return commands
    if unit is None:
        unit, source = _enterprise_unit(row, world, eid, commands), "enterprise_unit"
    sources = {"unit": source or "unit", "enterprise_id": "uscc"}
    eid_text = str(eid)
    if plan == "P03":
        if world.get(Cultivation.create_id(eid_text)) is None:
            data = {"unit": unit, "enterprise_id": eid_text, "service_unit": service,
                    "year": row.get("year") or row.business_year}
            commands.append(Command("CultivationEnrolled", row.dated(data), opens=Cultivation.create_id(eid_text),
                                    tag="P03", sources={**sources, "service_unit": "service_unit"}))
    elif plan == "P05":
        if world.get(WageGuidance.create_id(eid_text)) is None:
            data = {"unit": unit, "enterprise_id": eid_text, "group": row.get("group"), "content": row.get("content")}
            commands.append(Command("WageGuidanceProvided", row.dated(data), opens=WageGuidance.create_id(eid_text),
                                    tag="P05", sources=sources))
    elif world.get(NewEnterpriseService.create_id(eid_text)) is None:
        data = {"unit": unit, "enterprise_id": eid_text, "method": row.get("method"), "content": row.get("content")}
        commands.append(Command("NewEnterpriseServiceProvided", row.dated(data),
                                opens=NewEnterpriseService.create_id(eid_text), tag="P06", sources=sources))
    return commands


def _enterprise_unit(row: Row, world: World, eid: UUID, commands: list[Command]) -> str | None:
    state = world.get(eid)
    if state is not None:
        return state.unit
    enrol = next((c for c in commands if c.type == "EnterpriseEnrolled"), None)
    return enrol.data.get("unit") if enrol else None


# -- Annex 8 ---------------------------------------------------------------------------------------------


def annex8(row: Row, world: World, names=None) -> list[Command]:
    eid, commands = enterprise(row, world, names, unit_field="enterprise_unit", headcount_field=None,
                               enrol_headcount="headcount_now")
    if eid is None:
        return commands
    unit, source = (row.get("unit"), "unit") if row.get("unit") else (row.get("enterprise_unit"), "enterprise_unit")
    if unit is None:
        unit, source = row.default_unit or _enterprise_unit(row, world, eid, commands), None
    year = row.get("year") or row.options.year or row.business_year
    kid = KeyEmployer.create_id(str(eid))
    ke = world.get(kid)
    if ke is None:
        data = {"unit": unit, "enterprise_id": str(eid), "reason": row.get("reason"),
                "headcount_last_year_end": row.get("headcount_last_year_end"), "headcount_now": row.get("headcount_now")}
        if data["reason"] is None:
            row.required("reason", "（新列入重点企业时）", " to designate a key employer")
        commands.append(Command("KeyEmployerDesignated", row.dated(data), opens=kid, tag="designate",
                                sources={"unit": source or "unit", "enterprise_id": "uscc"}))
    else:
        state = world.get(eid)
        now = row.get("headcount_now")
        shown = state.headcount if state and (state.headcount_as_of or "") >= (ke.opened_on or "") else ke.headcount_now
        if now is not None and now != shown:
            commands.append(Command("HeadcountReported", row.dated({"headcount": now}), case_id=eid,
                                    tag=f"headcount:{now}", sources={"headcount": "headcount_now"}))
    target = ke.id if ke is not None else kid
    recorded = {p["policy"] for p in (ke.policies if ke else []) if p.get("year") is None or p["year"] <= year}
    for policy in row.get("policies") or []:
        if policy not in recorded:
            commands.append(Command("StabilityPolicyRecorded", row.dated({"policy": policy, "year": year}),
                                    case_id=target, tag=f"policy:{year}:{policy}", sources={"policy": "policies"}))
    commands += _layoffs(row, ke, target, year)
    return commands


LAYOFF_FIELDS = ("planned_layoffs", "laid_off", "layoff_positions", "wages_settled")


def _layoffs(row: Row, ke: KeyEmployer | None, target: UUID, year: int) -> list[Command]:
    has = row.get("has_layoff_plan")
    filled = any(row.get(f) is not None for f in LAYOFF_FIELDS)
    plan = (ke.layoff_plans if ke else {}).get(str(year))
    done = (ke.laid_off if ke else {}).get(str(year), 0)
    if has is None:
        has = filled
    if not has:
        if filled:
            row.fail("has_layoff_plan", "“是否有裁员计划”为否，但填写了裁员情况", "是否有裁员计划 is 否 but layoff columns are filled",
                     "layoff_columns_without_plan")
        elif plan and plan.get("planned_layoffs"):
            row.fail("has_layoff_plan", f"已记录{year}年的裁员计划（{plan['planned_layoffs']}人），导入不能撤回",
                     f"a layoff plan for {year} is recorded ({plan['planned_layoffs']}); an import cannot withdraw it",
                     "plan_recorded")
        return []
    planned = row.required("planned_layoffs", "（有裁员计划时）", " when there is a layoff plan")
    positions = row.required("layoff_positions", "（有裁员计划时）", " when there is a layoff plan")
    if planned == 0:
        row.fail("planned_layoffs", "有裁员计划时，本年度计划裁员人数应大于0", "a layoff plan needs at least one planned layoff",
                 "invalid_number")
    if planned is None or positions is None or planned == 0:
        return []
    commands = []
    wanted = {
        "year": year, "planned_layoffs": planned, "positions": positions,
        "compensation_standard": row.get("compensation_standard") or (plan or {}).get("compensation_standard") or "undetermined",
        "payment_capacity_assessed": row.get("payment_capacity_assessed") if row.get("payment_capacity_assessed") is not None
        else bool((plan or {}).get("payment_capacity_assessed", False)),
    }
    if plan is None or any(plan.get(k) != v for k, v in wanted.items()):
        commands.append(Command("LayoffPlanReported", row.dated(wanted), case_id=target,
                                tag=f"plan:{year}:{planned}:{positions}",
                                sources={"positions": "layoff_positions", "year": "year"}))
    laid_off = row.get("laid_off") or 0
    settled = row.get("wages_settled")
    if laid_off > done:
        if settled is None:
            row.required("wages_settled", "（已裁员人数大于0时）", " when people were laid off")
        commands.append(Command("LayoffsReported", row.dated({"year": year, "laid_off": laid_off - done,
                                                               "wages_settled": settled}),
                                case_id=target, tag=f"layoffs:{year}:{laid_off}", sources={"year": "year"}))
    elif laid_off < done:
        row.fail("laid_off", f"已裁员人数 {laid_off} 少于已记录的{year}年已裁员 {done} 人（本栏填全年累计）",
                 f"{laid_off} is below the {done} already recorded as laid off in {year} (this column is the year's total)",
                 "below_recorded")
    elif done and settled is not None and str(year) in ke.wages_settled and settled != ke.wages_settled[str(year)]:
        row.fail("wages_settled", "是否结清劳动报酬与已记录的不同，但没有新的裁员；账本中没有单独记录结清的事件",
                 "是否结清劳动报酬 differs from the record without new layoffs; the ledger has no event for a later settlement",
                 "settlement_without_layoffs")
    return commands

