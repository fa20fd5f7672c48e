"""P02 重点企业指导: key employers, their guidance visits and their layoff plans (Annex 8).

A key employer counts to Annex 1 in the year of its first guidance visit. Layoffs
are watched per year: reported layoffs cannot exceed the year's planned count
unless the employer first reports a revised plan. Annex 8 is a yearly register, so what
a layoff report says — the positions cut, whether wages were settled (是否结清劳动报酬) —
is kept per year, the latest report of that year standing.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import event

from .case import Case, DomainError
from .guidance import GuidanceVisits
from .ids import NAMESPACE


class KeyEmployer(GuidanceVisits, Case):
    kind = "key_employer"
    plan = "P02"
    counted_by = "GuidanceVisitLogged"  # the first visit: a case counts once
    # Version 2 keeps layoff reports' wages_settled and positions per year (version 1 kept one
    # wages_settled for the case); snapshots of version 1 are read through `upcast_v1_v2`.
    class_version = 2
    statuses = {"KeyEmployerDesignated": "designated", "KeyEmployerDelisted": "delisted"}
    closing = frozenset({"KeyEmployerDelisted"})

    @staticmethod
    def create_id(enterprise_id: str) -> UUID:
        # An enterprise is on the key-employer list once; designating it again is a conflict.
        return uuid5(NAMESPACE, f"key_employer:{enterprise_id}")

    @event("KeyEmployerDesignated")
    def __init__(
        self,
        unit: str,
        enterprise_id: str,
        reason: str,
        headcount_last_year_end: int,
        headcount_now: int,
    ) -> None:
        self.open_case(unit)
        self.enterprise_id = enterprise_id
        self.reason = reason
        self.headcount_last_year_end = headcount_last_year_end
        self.headcount_now = headcount_now
        self.policies: list[dict] = []
        self.visits: list[dict] = []
        self.first_visit_on: str | None = None
        self.layoff_plans: dict[str, dict] = {}  # by year, as a string (JSON keys)
        self.laid_off: dict[str, int] = {}  # by year: the year's total laid off so far
        self.wages_settled: dict[str, bool] = {}  # by year: what the year's latest layoff report said
        self.layoff_positions: dict[str, str] = {}  # by year: the positions its layoff reports name

    @staticmethod
    def upcast_v1_v2(state: dict) -> None:
        """A version-1 snapshot kept the latest report's wages_settled for the whole case: it is
        taken as the answer for the latest year with layoffs (what version 1's Annex 8 showed)."""
        settled, laid_off = state.get("wages_settled"), state.get("laid_off") or {}
        state["wages_settled"] = {max(laid_off): settled} if isinstance(settled, bool) and laid_off else {}
        state.setdefault("layoff_positions", {})

    @event("StabilityPolicyRecorded")
    def record_policy(self, policy: str, year: int, amount: str | None = None, note: str | None = None) -> None:
        self.policies.append({"policy": policy, "year": year, "amount": amount, "note": note})

    @event("GuidanceVisitLogged")
    def log_visit(self, visitor: str, method: str, findings: str, follow_up: str | None = None) -> None:
        self.note_visit(visitor, method, findings, follow_up)

    @event("LayoffPlanReported")
    def report_layoff_plan(
        self,
        year: int,
        planned_layoffs: int,
        positions: str,
        compensation_standard: str,
        payment_capacity_assessed: bool,
        note: str | None = None,
    ) -> None:
        self.check_plan_covers_layoffs_done(year, planned_layoffs)
        previous = self.layoff_plans.get(str(year))
        self.layoff_plans[str(year)] = {
            "year": year,
            "planned_layoffs": planned_layoffs,
            "positions": positions,
            "compensation_standard": compensation_standard,
            "payment_capacity_assessed": payment_capacity_assessed,
            "note": note,
            "reported_on": self.event_date,
            "revision": 0 if previous is None else previous["revision"] + 1,
        }

    @event("LayoffsReported")
    def report_layoffs(self, year: int, laid_off: int, wages_settled: bool, positions: str | None = None) -> None:
        self.check_layoffs_within_plan(year, laid_off)
        self.laid_off[str(year)] = self.laid_off.get(str(year), 0) + laid_off
        self.wages_settled[str(year)] = wages_settled
        if positions:
            self.layoff_positions[str(year)] = positions

    @event("KeyEmployerDelisted")
    def delist(self, reason: str) -> None:
        self.delisted_reason = reason
        self.close_case()

    # -- rules -------------------------------------------------------------

    def check_layoffs_within_plan(self, year: int, laid_off: int) -> None:
        plan = self.layoff_plans.get(str(year))
        if plan is None:
            raise DomainError(
                "no_layoff_plan",
                f"{year}年未报告裁员计划，不能报告已裁员人数 / no layoff plan reported for {year}",
                "data.year",
            )
        done = self.laid_off.get(str(year), 0)
        if done + laid_off > plan["planned_layoffs"]:
            raise DomainError(
                "layoffs_exceed_plan",
                f"已裁员累计 {done + laid_off} 人超过{year}年计划裁员 {plan['planned_layoffs']} 人，请先报告修订后的裁员计划"
                f" / {done + laid_off} laid off would exceed the {plan['planned_layoffs']} planned for {year};"
                " report a revised plan first",
                "data.laid_off",
            )

    def check_plan_covers_layoffs_done(self, year: int, planned: int) -> None:
        done = self.laid_off.get(str(year), 0)
        if planned < done:
            raise DomainError(
                "plan_below_layoffs_done",
                f"计划裁员人数 {planned} 少于{year}年已裁员 {done} 人 / plan is below the {done} already laid off in {year}",
                "data.planned_layoffs",
            )
