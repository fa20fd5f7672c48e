"""The simulated programme behind the bench data set, month by month from 2020-10.

The Annex 1 targets and Annex 2 measures as `hexie init` records them; enterprises
enrolled (a quarter newly registered) that report their headcount most months and
sometimes amend their details; some become key employers (guidance visits, stability
policies, layoff plans and layoffs), some are cultivated (plan, training,
assessment), new ones are served (P06); wage-arrears clues go through assignment,
supervision, interviews and recoveries to closing, a few published as typical cases,
some left open. One enterprise gets `long_case` headcount reports (replay and
case-state figures).

Events are made by the real aggregates (their command methods and rules, under a
`Context` as the service layer sets it), each command's data checked once per event
type against its JSON Schema, and mapped by hexie's own mapper (which seals personal
data). A case takes at most one step a month, so its state is current when its next
step is planned; every step falls after the case was opened.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal
from typing import Any, Callable

Step = Callable[[str], Any]  # called with the business date it happens on


class Writer:
    """Runs commands on aggregates and keeps their events as stored-event rows."""

    def __init__(self, mapper: Any):
        from hexie.domain.case import Context, acting
        from hexie.schemas import problems

        self.mapper, self.Context, self.acting, self.problems = mapper, Context, acting, problems
        self.buffer: list[tuple] = []
        self.emitted = 0
        self.checked: set[str] = set()

    def do(self, target: Any, event_type: str, data: dict[str, Any], on: str, unit: str) -> Any:
        """`target` is a case class (its creating event) or a case (one of its commands)."""
        if event_type not in self.checked:  # the generator must keep to the API's contract
            errors = self.problems(event_type, {**data, "occurred_on": on})
            if errors:
                raise ValueError(f"bench data for {event_type} breaks its schema: {errors}")
            self.checked.add(event_type)
        context = self.Context(occurred_on=on, actor=f"bench-{unit}", actor_unit=unit,
                               request_id=f"{self.emitted + 1:032x}")
        with self.acting(context):
            if isinstance(target, type):
                case = target(**data)
            else:
                case = target
                case.execute(event_type, data)
        for event in case.collect_events():
            se = self.mapper.to_stored_event(event)
            self.buffer.append((se.originator_id, se.originator_version, se.topic, se.state))
            self.emitted += 1
        return case


class Programme:
    def __init__(self, w: Writer, events: int, long_case: int, seed: int = 2023):
        from hexie.domain import vocabulary

        self.w, self.v, self.rng = w, vocabulary, random.Random(seed)
        # Calibrated so that `events` are reached in about three programme years.
        self.new_per_month = max(4, events // 330)
        self.arrears_per_month = max(2, events // 4000)
        self.long_case: Any = None
        self.long_left, self.long_per_month = long_case, math.ceil(long_case / 6)
        self.serial = 0
        self.enterprises: list[list] = []  # [case, months it still reports]
        self.key_employers: list[Any] = []
        self.cultivations: list[list] = []  # [case, months since enrolment]
        self.services: list[list] = []  # [case, months of follow-up left]
        self.arrears: list[list] = []  # [case, stage]
        self.pending: list[tuple[str, Step]] = []  # first steps of cases opened last month

    def uscc(self, unit: str) -> str:
        from hexie.domain.identifiers import uscc_check_char

        self.serial += 1
        first17 = f"91{430600 + self.v.UNITS.index(unit):06d}{self.serial:09d}"
        return first17 + uscc_check_char(first17)

    def pick(self, codes: dict) -> str:
        return self.rng.choice(list(codes))

    def phone(self) -> str:
        return f"1{self.rng.choice('3589')}{self.rng.randint(0, 999999999):09d}"

    def launch(self) -> None:
        from hexie.domain.kinds import CREATORS
        from hexie.scripts.programme import LAUNCH, measure_commands, target_commands

        for command in [*target_commands(), *measure_commands()]:
            data = dict(command["data"])
            on = data.pop("occurred_on", None) or LAUNCH
            self.w.do(CREATORS[command["type"]], command["type"], data, on, data["unit"])

    def month(self, first: dt.date) -> list[tuple[str, Step]]:
        """This month's steps as (date, step), in date order."""
        todo: list[tuple[str, Step]] = []

        def add(step: Step) -> None:
            todo.append((first.replace(day=self.rng.randint(1, 28)).isoformat(), step))

        if self.long_case is None:  # the long case opens on the first day of the first month
            self.long_case = self.enrol(first.isoformat(), self.v.DISTRICTS[0])
        else:  # and reports in bulk over the next six months
            for _ in range(min(self.long_left, self.long_per_month)):
                add(lambda on, c=self.long_case: self.w.do(c, "HeadcountReported",
                                                           {"headcount": self.rng.randint(900, 1100)}, on, c.unit))
                self.long_left -= 1
        todo.extend(self.pending)
        self.pending = []
        for _ in range(self.new_per_month):
            add(self.enrol_new)
        self.enterprise_steps(add)
        self.key_employer_steps(first, add)
        self.cultivation_steps(add)
        self.service_steps(add)
        self.arrears_steps(add)
        todo.sort(key=lambda t: t[0])
        return todo

    # -- enterprises and what grows out of them ---------------------------------------------

    def enrol(self, on: str, unit: str) -> Any:
        from hexie.domain.enterprise import Enterprise

        r = self.rng
        newly = r.random() < 0.25
        data = {
            "name": f"{unit}{r.choice('鑫华盛泰恒兴达洞庭巴陵湘')}{r.choice(('机械', '纺织', '食品', '建材', '物流', '电子'))}"
                    f"{self.serial % 997}有限公司",
            "uscc": self.uscc(unit), "unit": unit, "address": f"{unit}{r.randint(1, 999)}号",
            "industry": self.pick(self.v.INDUSTRY), "ownership": self.pick(self.v.OWNERSHIP),
            "contact_name": r.choice("张王李刘陈杨黄赵周吴") + r.choice(("伟", "芳", "娜", "敏", "静", "强", "磊")),
            "contact_phone": self.phone(), "headcount": r.randint(8, 3000), "newly_registered": newly,
        }
        if newly:
            data["registration_date"] = on
        return self.w.do(Enterprise, "EnterpriseEnrolled", data, on, unit)

    def enrol_new(self, on: str) -> None:
        from hexie.domain.cultivation import Cultivation
        from hexie.domain.key_employer import KeyEmployer
        from hexie.domain.new_enterprise_service import NewEnterpriseService

        r, w, v = self.rng, self.w, self.v
        unit = r.choice(v.DISTRICTS)
        e = self.enrol(on, unit)
        self.enterprises.append([e, r.randint(6, 30)])
        eid, next_month = str(e.id), dt.date.fromisoformat(on).replace(day=28) + dt.timedelta(days=5)

        def later(step: Step) -> None:
            self.pending.append((next_month.replace(day=r.randint(1, 28)).isoformat(), step))

        if e.newly_registered:
            later(lambda on: self.services.append([w.do(NewEnterpriseService, "NewEnterpriseServiceProvided", {
                "unit": unit, "enterprise_id": eid, "method": self.pick(v.NEW_SERVICE_METHOD),
                "content": "用工指导：劳动合同签订、工资支付与社会保险政策宣讲"}, on, unit), 6]))
        if r.random() < 0.06:
            later(lambda on: self.key_employers.append(w.do(KeyEmployer, "KeyEmployerDesignated", {
                "unit": unit, "enterprise_id": eid, "reason": self.pick(v.KEY_EMPLOYER_REASON),
                "headcount_last_year_end": e.headcount, "headcount_now": e.headcount}, on, unit)))
        elif r.random() < 0.05:
            later(lambda on: self.cultivations.append([w.do(Cultivation, "CultivationEnrolled", {
                "unit": unit, "enterprise_id": eid, "service_unit": f"{unit}劳动关系协调服务中心",
                "year": int(on[:4])}, on, unit), 0]))

    def enterprise_steps(self, add: Callable[[Step], None]) -> None:
        r, w = self.rng, self.w
        for item in self.enterprises:
            e = item[0]
            if r.random() < 0.55:
                add(lambda on, e=e: w.do(e, "HeadcountReported",
                                         {"headcount": max(1, e.headcount + r.randint(-20, 20))}, on, e.unit))
            elif r.random() < 0.03:
                add(lambda on, e=e: w.do(e, "EnterpriseDetailsAmended", {"contact_phone": self.phone()}, on, e.unit))
            item[1] -= 1
        self.enterprises = [item for item in self.enterprises if item[1] > 0]

    def key_employer_steps(self, first: dt.date, add: Callable[[Step], None]) -> None:
        r, w, v, year = self.rng, self.w, self.v, first.year
        for k in self.key_employers:
            if r.random() < 0.35:
                add(lambda on, k=k: w.do(k, "GuidanceVisitLogged", {
                    "visitor": "劳动关系科 " + r.choice("张王李刘陈"), "method": self.pick(v.VISIT_METHOD),
                    "findings": "生产经营基本稳定，劳动合同签订规范，未发现欠薪"}, on, k.unit))
            elif r.random() < 0.05:
                add(lambda on, k=k: w.do(k, "StabilityPolicyRecorded", {
                    "policy": self.pick(v.STABILITY_POLICY), "year": year, "amount": f"{r.randint(1000, 500000)}.00"},
                    on, k.unit))
            elif first.month == 3 and r.random() < 0.2 and str(year) not in k.layoff_plans:
                add(lambda on, k=k: w.do(k, "LayoffPlanReported", {
                    "year": year, "planned_layoffs": r.randint(5, 60), "positions": "一线操作岗位",
                    "compensation_standard": self.pick(v.COMPENSATION_STANDARD), "payment_capacity_assessed": True},
                    on, k.unit))
            elif str(year) in k.layoff_plans and first.month >= 4 and r.random() < 0.3:
                room = k.layoff_plans[str(year)]["planned_layoffs"] - k.laid_off.get(str(year), 0)
                if room > 0:  # never beyond the plan: the aggregate would refuse
                    add(lambda on, k=k, n=min(room, r.randint(1, 10)): w.do(k, "LayoffsReported", {
                        "year": year, "laid_off": n, "wages_settled": True}, on, k.unit))

    def cultivation_steps(self, add: Callable[[Step], None]) -> None:
        r, w = self.rng, self.w
        for item in self.cultivations:
            c, age = item
            if age == 1:
                add(lambda on, c=c: w.do(c, "CultivationPlanSet", {"plan": "规范用工管理，建立职代会和工资集体协商制度"}, on, c.unit))
            elif 1 < age < 8 and r.random() < 0.3:
                add(lambda on, c=c: w.do(c, "CultivationTrainingHeld",
                                         {"topic": "劳动法律法规培训", "attendees": r.randint(10, 80)}, on, c.unit))
            elif age == 8:  # 85 % pass; a failure misses one criterion
                ok = r.random() < 0.85
                add(lambda on, c=c, ok=ok: w.do(c, "CultivationAssessed", {
                    "passed": ok, "employment_management": True, "democratic_consultation": ok, "harmony_culture": True,
                    "assessor": "市协调劳动关系三方"}, on, c.unit))
            item[1] += 1
        self.cultivations = [item for item in self.cultivations if item[1] <= 8]

    def service_steps(self, add: Callable[[Step], None]) -> None:
        for item in self.services:
            if self.rng.random() < 0.1:
                add(lambda on, s=item[0]: self.w.do(s, "NewEnterpriseServiceFollowedUp", {
                    "method": self.pick(self.v.NEW_SERVICE_METHOD), "content": "回访：用工备案与劳动合同续签"}, on, s.unit))
            item[1] -= 1
        self.services = [item for item in self.services if item[1] > 0]

    # -- wage arrears ---------------------------------------------------------------------------

    def clue(self, on: str) -> None:
        from hexie.domain.arrears import ArrearsCase

        r, unit = self.rng, self.rng.choice(self.v.DISTRICTS)
        self.arrears.append([self.w.do(ArrearsCase, "ArrearsClueReceived", {
            "unit": unit, "channel": self.pick(self.v.ARREARS_CHANNEL), "employer_name": f"{unit}某建筑劳务有限公司",
            "amount_owed": f"{r.randint(2000, 400000)}.00", "workers_affected": r.randint(1, 40),
            "description": "拖欠农民工工资"}, on, unit), "received"])

    def arrears_steps(self, add: Callable[[Step], None]) -> None:
        r, w = self.rng, self.w
        for _ in range(self.arrears_per_month):
            add(self.clue)
        for item in self.arrears:
            a, stage = item
            if stage == "received":
                add(lambda on, a=a: w.do(a, "ArrearsCaseAssigned", {
                    "to_unit": a.unit, "deadline": (dt.date.fromisoformat(on) + dt.timedelta(days=30)).isoformat()},
                    on, a.unit))
                item[1] = "assigned"
            elif stage == "assigned":
                step = r.choices(("ArrearsCaseSupervised", "EmployerInterviewed", "recover", "open"), (2, 2, 5, 1))[0]
                if step == "ArrearsCaseSupervised":
                    add(lambda on, a=a: w.do(a, "ArrearsCaseSupervised", {"supervisor": "市根治欠薪办", "note": "限期办结"},
                                             on, a.unit))
                elif step == "EmployerInterviewed":
                    add(lambda on, a=a: w.do(a, "EmployerInterviewed", {"interviewee": "法定代表人", "note": "责令限期支付"},
                                             on, a.unit))
                elif step == "recover":
                    item[1] = "recovering"
                elif r.random() < 0.1:
                    item[1] = "done"  # left open for good: the matrix's open-arrears count sees it
            if item[1] == "recovering":
                left = Decimal(a.amount_owed) - Decimal(a.recovered)
                if left > 0 and r.random() < 0.7:
                    part = str(min(left, Decimal(r.randint(1000, 200000))))
                    add(lambda on, a=a, part=part: w.do(a, "WagesRecovered", {"amount": part, "workers": 1}, on, a.unit))
                else:  # an outcome that explains any money still owed
                    outcome = "wages_recovered" if left == 0 else "transferred_out"
                    add(lambda on, a=a, o=outcome: w.do(a, "ArrearsCaseClosed", {"outcome": o}, on, a.unit))
                    item[1] = "closing"
            elif item[1] == "closing":
                if r.random() < 0.15:
                    add(lambda on, a=a: w.do(a, "TypicalCasePublished", {"title": "欠薪典型案例", "summary": "依法追回拖欠工资"},
                                             on, a.unit))
                item[1] = "done"
        self.arrears = [item for item in self.arrears if item[1] != "done"]
