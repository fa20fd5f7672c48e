"""P03 和谐企业培育: point-to-point cultivation of harmonious enterprises (Annex 7).

An enterprise is enrolled with its 培育指导服务单位 (counted to Annex 1 in the year
of enrolment), gets a tailored plan (制定方案), training and regular guidance
(加强指导), and is assessed against the seed's three criteria: 用工管理规范、民主协商
机制健全、和谐共赢理念融入企业文化. The quality bar (≥80 % of enrolled enterprises
pass) is read from each case's latest assessment; re-assessment is allowed.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import event

from .case import Case, DomainError
from .guidance import GuidanceVisits
from .ids import NAMESPACE

CRITERIA = {
    "employment_management": "用工管理规范",
    "democratic_consultation": "民主协商机制健全",
    "harmony_culture": "和谐共赢理念融入企业文化",
}


class Cultivation(GuidanceVisits, Case):
    kind = "cultivation"
    plan = "P03"  # the class's plan code; the cultivation plan's text is `cultivation_plan`
    counted_by = "CultivationEnrolled"
    # An assessment sets `passed` or `failed` (the ledger reads it from the event).
    statuses = {"CultivationEnrolled": "enrolled", "CultivationPlanSet": "planned"}

    @staticmethod
    def create_id(enterprise_id: str) -> UUID:
        # An enterprise is cultivated once; enrolling it again is a conflict.
        return uuid5(NAMESPACE, f"cultivation:{enterprise_id}")

    @event("CultivationEnrolled")
    def __init__(self, unit: str, enterprise_id: str, service_unit: str, year: int) -> None:
        self.check_year_of_date(year)
        self.open_case(unit)
        self.enterprise_id = enterprise_id
        self.service_unit = service_unit
        self.year = year
        self.cultivation_plan: dict | None = None
        self.trainings: list[dict] = []
        self.visits: list[dict] = []
        self.first_visit_on: str | None = None
        self.assessments: list[dict] = []
        self.passed: bool | None = None  # the latest assessment counts
        self.assessed_on: str | None = None

    @event("CultivationPlanSet")
    def set_plan(self, plan: str, focus: str | None = None) -> None:
        # Stored as `cultivation_plan`: `plan` is the class's plan code (P03).
        previous = self.cultivation_plan
        self.cultivation_plan = {
            "plan": plan,
            "focus": focus,
            "set_on": self.event_date,
            "revision": 0 if previous is None else previous["revision"] + 1,
        }

    @event("CultivationTrainingHeld")
    def hold_training(self, topic: str, attendees: int) -> None:
        self.trainings.append({"on": self.event_date, "topic": topic, "attendees": attendees})

    @event("GuidanceVisitLogged")
    def log_visit(self, visitor: str, method: str, findings: str, follow_up: str | None = None) -> None:
        self.note_visit(visitor, method, findings, follow_up)

    @event("CultivationAssessed")
    def assess(
        self,
        passed: bool,
        employment_management: bool,
        democratic_consultation: bool,
        harmony_culture: bool,
        assessor: str,
        note: str | None = None,
    ) -> None:
        self.check_plan_set()
        self.check_passed(passed, employment_management, democratic_consultation, harmony_culture)
        self.assessments.append(
            {
                "on": self.event_date,
                "passed": passed,
                "employment_management": employment_management,
                "democratic_consultation": democratic_consultation,
                "harmony_culture": harmony_culture,
                "assessor": assessor,
                "note": note,
            }
        )
        self.passed = passed
        self.assessed_on = self.event_date

    # -- rules -------------------------------------------------------------

    def check_plan_set(self) -> None:
        if self.cultivation_plan is None:
            raise DomainError(
                "no_cultivation_plan",
                "尚未制定培育方案，不能评估 / no cultivation plan has been set: cannot assess",
                "data",
            )

    @staticmethod
    def check_passed(
        passed: bool, employment_management: bool, democratic_consultation: bool, harmony_culture: bool
    ) -> None:
        met = (employment_management, democratic_consultation, harmony_culture)
        unmet = [code for code, ok in zip(CRITERIA, met) if not ok]
        if passed and unmet:
            raise DomainError(
                "passed_without_criteria",
                f"未达到{'、'.join(CRITERIA[c] for c in unmet)}，不能评为达标"
                f" / cannot pass while criteria are unmet: {', '.join(unmet)}",
                "data.passed",
            )
