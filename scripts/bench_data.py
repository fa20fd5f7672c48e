"""The stored data set: `events` realistic hexie events, generated once and reused.

Events are made by the real aggregates (their command methods and rules, under a
`Context` as the service layer sets it), each command's data checked once per type
against its JSON Schema, mapped by hexie's own mapper and COPYed into
`hexie_events` (ids from the table's own sequence, in log order). Going through the
API at ~1k events/s would take too long; the result is still a valid store:
`Hexie(url).get_case(id)` reads it and the projections process it (they are brought
up to date here, as a running server would).

The programme month by month from 2020-10: the Annex 1 targets and Annex 2
measures; enterprises enrolled (a quarter newly registered) that report their
headcount most months and sometimes amend their details; some become key employers
(guidance visits, stability policies, layoff plans and layoffs), some are
cultivated (plan, training, visits, assessment), new ones are served (P06); wage-
arrears clues go from assignment through supervision, interviews and recoveries to
closing, a few published as typical cases, some left open. One enterprise has
`long_case` headcount reports (replay and case-state figures).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from decimal import Decimal
from typing import Any, Callable

import asyncpg

from bench_common import Config, fresh_schema, log

GENERATOR = 1  # bump when the data set changes shape: older stored sets are regenerated
CHUNK = 20_000  # events per COPY


class Writer:
    """Runs commands on aggregates and collects their events as stored events."""

    def __init__(self, mapper: Any):
        from hexie.domain.case import Context, acting
        from hexie.schemas import problems

        self.mapper, self.Context, self.acting, self.problems = mapper, Context, acting, problems
        self.buffer: list[tuple] = []
        self.emitted = 0
        self.checked: set[str] = set()

    def do(self, target: Any, event_type: str, data: dict[str, Any], on: str, unit: str) -> Any:
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
    """The simulation; `month()` returns that month's commands as (date, thunk), in date order."""

    def __init__(self, w: Writer, events: int, long_case: int, seed: int = 2023):
        from hexie.domain import vocabulary as v

        self.w, self.v, self.rng = w, v, random.Random(seed)
        self.new_per_month = max(4, events // 330)  # enterprises; calibrated so the log fills in ~3 years
        self.arrears_per_month = max(2, events // 4000)
        self.long_case, self.long_left = None, long_case
        self.long_per_month = math.ceil(long_case / 6)
        self.serial = 0
        self.enterprises: list[list] = []  # [case, months left reporting]
        self.key_employers: list[Any] = []
        self.cultivations: list[list] = []  # [case, months since enrolment]
        self.services: list[list] = []  # [case, months left]
        self.arrears: list[list] = []  # [case, stage]
        self.pending: list[tuple[str, Callable[[str], Any]]] = []  # next month's follow-ups of new cases

    # -- helpers ----------------------------------------------------------------------
    def uscc(self, unit: str) -> str:
        from hexie.domain.identifiers import uscc_check_char

        self.serial += 1
        first17 = f"91{430600 + self.v.UNITS.index(unit):06d}{self.serial:09d}"
        return first17 + uscc_check_char(first17)

    def pick(self, codes: dict) -> str:
        return self.rng.choice(list(codes))

    # -- the programme --------------------------------------------------------------------
    def launch(self) -> None:
        from hexie.domain.kinds import CREATORS
        from hexie.scripts.programme import LAUNCH, measure_commands, target_commands

        for command in [*target_commands(), *measure_commands()]:
            data = dict(command["data"])
            on = data.pop("occurred_on", None) or LAUNCH
            self.w.do(CREATORS[command["type"]], command["type"], data, on, data["unit"])

    def enrol(self, on: str, unit: str) -> Any:
        from hexie.domain.enterprise import Enterprise

        r = self.rng
        newly = r.random() < 0.25
        data = {
            "name": f"{unit}{r.choice('鑫华盛泰恒兴达洞庭巴陵湘')}{r.choice(('机械', '纺织', '食品', '建材', '物流', '电子', '商贸'))}"
                    f"{self.serial % 997}有限公司",
            "uscc": self.uscc(unit), "unit": unit, "address": f"{unit}{r.randint(1, 999)}号",
            "industry": self.pick(self.v.INDUSTRY), "ownership": self.pick(self.v.OWNERSHIP),
            "contact_name": r.choice("张王李刘陈杨黄赵周吴") + r.choice(("伟", "芳", "娜", "敏", "静", "强", "磊")),
            "contact_phone": f"1{r.choice('3589')}{r.randint(0, 999999999):09d}", "headcount": r.randint(8, 3000),
            "newly_registered": newly,
        }
        if newly:
            data["registration_date"] = on
        return self.w.do(Enterprise, "EnterpriseEnrolled", data, on, unit)

    def month(self, first: dt.date) -> list[tuple[str, Callable[[str], Any]]]:
        from hexie.domain.arrears import ArrearsCase
        from hexie.domain.cultivation import Cultivation
        from hexie.domain.key_employer import KeyEmployer
        from hexie.domain.new_enterprise_service import NewEnterpriseService

        r, w, v = self.rng, self.w, self.v
        todo: list[tuple[str, Callable[[str], Any]]] = []

        def day() -> str:
            return first.replace(day=r.randint(1, 28)).isoformat()

        def add(fn: Callable[[str], Any]) -> None:
            todo.append((day(), fn))

        if self.long_case is None:  # the long case opens on the first day of the first month
            self.long_case = self.enrol(first.isoformat(), v.DISTRICTS[0])
        elif self.long_left:  # and reports in bulk over the following months
            for _ in range(min(self.long_left, self.long_per_month)):
                add(lambda on: w.do(self.long_case, "HeadcountReported", {"headcount": r.randint(900, 1100)}, on,
                                    self.long_case.unit))
                self.long_left -= 1
        todo.extend(self.pending)
        self.pending = []

        def enrol_new(on: str) -> None:
            unit = r.choice(v.DISTRICTS)
            e = self.enrol(on, unit)
            self.enterprises.append([e, r.randint(6, 30)])
            eid, follow = str(e.id), first.replace(day=28) + dt.timedelta(days=5)

            def later(fn: Callable[[str], Any]) -> None:
                self.pending.append((follow.replace(day=r.randint(1, 28)).isoformat(), fn))

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

        for _ in range(self.new_per_month):
            add(enrol_new)
        for item in self.enterprises:
            e = item[0]
            if r.random() < 0.55:
                add(lambda on, e=e: w.do(e, "HeadcountReported", {"headcount": max(1, e.headcount + r.randint(-20, 20))},
                                         on, e.unit))
            elif r.random() < 0.03:
                add(lambda on, e=e: w.do(e, "EnterpriseDetailsAmended",
                                         {"contact_phone": f"1{r.choice('3589')}{r.randint(0, 999999999):09d}"}, on, e.unit))
            item[1] -= 1
        self.enterprises = [item for item in self.enterprises if item[1] > 0]
        for k in self.key_employers:
            if r.random() < 0.35:
                add(lambda on, k=k: w.do(k, "GuidanceVisitLogged", {
                    "visitor": "劳动关系科 " + r.choice("张王李刘陈"), "method": self.pick(v.VISIT_METHOD),
                    "findings": "生产经营基本稳定，劳动合同签订规范，未发现欠薪"}, on, k.unit))
            if r.random() < 0.05:
                add(lambda on, k=k: w.do(k, "StabilityPolicyRecorded", {
                    "policy": self.pick(v.STABILITY_POLICY), "year": first.year,
                    "amount": f"{r.randint(1000, 500000)}.00"}, on, k.unit))
            if first.month == 3 and r.random() < 0.2 and str(first.year) not in k.layoff_plans:
                add(lambda on, k=k: w.do(k, "LayoffPlanReported", {
                    "year": first.year, "planned_layoffs": r.randint(5, 60), "positions": "一线操作岗位",
                    "compensation_standard": self.pick(v.COMPENSATION_STANDARD), "payment_capacity_assessed": True},
                    on, k.unit))
            plan = k.layoff_plans.get(str(first.year))
            if plan and first.month >= 4 and r.random() < 0.3:
                room = plan["planned_layoffs"] - k.laid_off.get(str(first.year), 0)
                if room > 0:
                    add(lambda on, k=k, n=min(room, r.randint(1, 10)): w.do(k, "LayoffsReported", {
                        "year": first.year, "laid_off": n, "wages_settled": True}, on, k.unit))
        for item in self.cultivations:
            c, age = item
            if age == 1:
                add(lambda on, c=c: w.do(c, "CultivationPlanSet", {"plan": "规范用工管理，建立职代会和工资集体协商制度"}, on, c.unit))
            elif 1 < age < 8 and r.random() < 0.3:
                add(lambda on, c=c: w.do(c, "CultivationTrainingHeld", {"topic": "劳动法律法规培训",
                                                                        "attendees": r.randint(10, 80)}, on, c.unit))
            elif age == 8:
                ok = r.random() < 0.85
                add(lambda on, c=c, ok=ok: w.do(c, "CultivationAssessed", {
                    "passed": ok, "employment_management": True, "democratic_consultation": ok, "harmony_culture": True,
                    "assessor": "市协调劳动关系三方"}, on, c.unit))
            item[1] += 1
        self.cultivations = [item for item in self.cultivations if item[1] <= 8]
        for item in self.services:
            if r.random() < 0.1:
                add(lambda on, s=item[0]: w.do(s, "NewEnterpriseServiceFollowedUp", {
                    "method": self.pick(v.NEW_SERVICE_METHOD), "content": "回访：用工备案与劳动合同续签"}, on, s.unit))
            item[1] -= 1
        self.services = [item for item in self.services if item[1] > 0]
        self.arrears_month(first, add, ArrearsCase)
        todo.sort(key=lambda t: t[0])
        return todo

    def arrears_month(self, first: dt.date, add: Callable, ArrearsCase: type) -> None:
        """One step per case and month, so a case's state is current when its next step is planned."""
        r, w, v = self.rng, self.w, self.v
        for _ in range(self.arrears_per_month):
            def clue(on: str) -> None:
                unit = r.choice(v.DISTRICTS)
                self.arrears.append([w.do(ArrearsCase, "ArrearsClueReceived", {
                    "unit": unit, "channel": self.pick(v.ARREARS_CHANNEL), "employer_name": f"{unit}某建筑劳务有限公司",
                    "amount_owed": f"{r.randint(2000, 400000)}.00", "workers_affected": r.randint(1, 40),
                    "description": "拖欠农民工工资"}, on, unit), "received"])
            add(clue)
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
                else:
                    outcome = "wages_recovered" if left == 0 else "transferred_out"
                    add(lambda on, a=a, o=outcome: w.do(a, "ArrearsCaseClosed", {"outcome": o}, on, a.unit))
                    item[1] = "closing"
            elif item[1] == "closing":
                if r.random() < 0.15:
                    add(lambda on, a=a: w.do(a, "TypicalCasePublished", {"title": "欠薪典型案例", "summary": "依法追回拖欠工资"},
                                             on, a.unit))
                item[1] = "done"
        self.arrears = [item for item in self.arrears if item[1] != "done"]


# -- generation, reuse, projections ------------------------------------------------------------


async def _copy(conn: asyncpg.Connection, schema: str, rows: list[tuple]) -> None:
    await conn.copy_records_to_table("hexie_events", schema_name=schema, records=rows,
                                     columns=["originator_id", "originator_version", "topic", "state"])


async def _marker(conn: asyncpg.Connection, schema: str) -> dict[str, str]:
    if not await conn.fetchval("SELECT to_regclass($1)", f'"{schema}".bench_dataset'):
        return {}
    return {r[0]: r[1] for r in await conn.fetch(f'SELECT key, value FROM "{schema}".bench_dataset')}


async def generate(cfg: Config, schema: str) -> dict[str, Any]:
    from hexie.domain.application import Hexie

    await fresh_schema(cfg, schema, keep=not cfg.quick)
    hexie = Hexie(cfg.url(schema))  # creates the event store's tables; its mapper stores our events
    conn = await asyncpg.connect(cfg.db_dsn)
    try:
        w = Writer(hexie.mapper)
        prog = Programme(w, cfg.events, cfg.long_case)
        t0, shown = time.perf_counter(), 0.0
        prog.launch()
        first = dt.date(2020, 10, 1)
        while w.emitted < cfg.events:
            if first > dt.date.today():
                raise RuntimeError(f"the programme ran out of months at {w.emitted} of {cfg.events} events")
            for on, thunk in prog.month(first):
                thunk(on)
                if w.emitted >= cfg.events:
                    break
                if len(w.buffer) >= CHUNK:
                    await _copy(conn, schema, w.buffer)
                    w.buffer = []
                    if time.perf_counter() - shown > 2:
                        shown = time.perf_counter()
                        log(f"  generating: {w.emitted:,}/{cfg.events:,} events, {first:%Y-%m}, "
                            f"{w.emitted / (shown - t0):,.0f} ev/s")
            first = (first + dt.timedelta(days=32)).replace(day=1)
        del w.buffer[cfg.events - (w.emitted - len(w.buffer)):]  # the last command may overshoot: exactly `events`
        await _copy(conn, schema, w.buffer)
        seconds = time.perf_counter() - t0
        if prog.long_left or prog.long_case is None:
            raise RuntimeError("the data set ended before the long case was complete")
        await conn.execute(f'VACUUM ANALYZE "{schema}".hexie_events')
        info = {"generator": str(GENERATOR), "events": str(cfg.events), "long_case_id": str(prog.long_case.id),
                "long_case_events": str(prog.long_case.version), "generated_at": dt.datetime.now().isoformat(),
                "generation_s": f"{seconds:.1f}", "last_business_month": f"{first:%Y-%m}"}
        await conn.execute(f'CREATE TABLE "{schema}".bench_dataset (key text PRIMARY KEY, value text NOT NULL)')
        await conn.executemany(f'INSERT INTO "{schema}".bench_dataset VALUES ($1, $2)', list(info.items()))
        log(f"  generated {cfg.events:,} events in {seconds:.0f} s ({cfg.events / seconds:,.0f} ev/s), "
            f"business dates up to {first:%Y-%m}")
        return info
    finally:
        await conn.close()
        hexie.close()


async def catch_up_live(url: str) -> int:
    """The live projections brought up to the head, as a running server keeps them (untimed)."""
    from hexie.projections.db import connect
    from hexie.projections.runner import Runner
    from hexie.projections.views import live_projections

    db = connect(url)
    try:
        runner = Runner(db, live_projections())
        await runner.setup()
        return await runner.catch_up()
    finally:
        await db.close()


async def ensure(cfg: Config) -> dict[str, Any]:
    """The data set's schema, generated unless an identical one is stored (or `--regen`)."""
    schema = cfg.schema(f"data_{cfg.events}")
    conn = await asyncpg.connect(cfg.db_dsn)
    try:
        found = await _marker(conn, schema)
        head = await conn.fetchval(f'SELECT max(notification_id) FROM "{schema}".hexie_events') if found else None
    finally:
        await conn.close()
    want = {"generator": str(GENERATOR), "events": str(cfg.events)}
    if cfg.regen or not found or any(found.get(k) != v for k, v in want.items()) or head != cfg.events \
            or found.get("long_case_events") != str(cfg.long_case + 1):
        log(f"data set: generating {cfg.events:,} events into schema {schema}")
        found = await generate(cfg, schema)
        reused = False
    else:
        log(f"data set: reusing {cfg.events:,} events in schema {schema} (generated {found['generated_at']})")
        reused = True
    if cfg.quick and schema not in cfg.created:
        cfg.created.append(schema)
    t0 = time.perf_counter()
    n = await catch_up_live(cfg.url(schema))
    if n:
        log(f"  live projections brought up to date: {n:,} events in {time.perf_counter() - t0:.0f} s")
    return {**found, "schema": schema, "url": cfg.url(schema), "reused": reused}
