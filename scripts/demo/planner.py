"""The planner: draws the programme from one `random.Random(seed)` as a list of dated commands."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Mapping
from uuid import UUID

from hexie.domain.case import Context
from hexie.domain.identifiers import id_check_char, uscc_check_char

from ..programme import init_case_id, init_commands

from .places import (BIRTH_DIVS, BUSINESSES, GIVEN_FEMALE, GIVEN_MALE, LARGE_BUSINESSES, MOBILE_PREFIXES, NEW_WEIGHTS,
                     OWNERSHIP_LARGE, OWNERSHIP_NEW, PLACES, SURNAMES, TRADE_NAMES)

PROGRAMME_END = dt.date(2023, 9, 30)  # 总结验收: 2023年9月前
DEMO_START = dt.date(2020, 10, 8)  # the launch week's activities (启动实施, 2020-09 … 11)


def weighted(rng: random.Random, pairs) -> Any:
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights)[0]


def iso(d: dt.date) -> str:
    return d.isoformat()


@dataclass(frozen=True)
class Ref:
    """The id of a case opened earlier in the run (resolved when the command is appended)."""

    key: str


@dataclass
class Command:
    on: dt.date
    seq: int
    key: str  # the case, by a name of the run's own
    type: str
    data: dict[str, Any]
    actor: str
    actor_unit: str
    opens: bool

    def data_for(self, ids: Mapping[str, UUID]) -> dict[str, Any]:
        """The data as the API takes it: the cases it names by their ids, dated."""
        def resolved(v: Any) -> Any:
            return str(ids[v.key]) if isinstance(v, Ref) else [resolved(x) for x in v] if isinstance(v, list) else v

        data = {k: resolved(v) for k, v in self.data.items()}
        data["occurred_on"] = iso(self.on)
        return data

    def context(self, request_id: str) -> Context:
        return Context(actor=self.actor, actor_unit=self.actor_unit, request_id=request_id)


def init_ids() -> dict[str, UUID]:
    """The cases `hexie init` opens that the programme's commands name: the measures, as `measure:<code>`."""
    return {f"measure:{c['data']['code']}": init_case_id(c) for c in init_commands() if c["type"] == "MeasureDefined"}


@dataclass(frozen=True)
class Scale:
    """How large a programme the planner draws. The default is the demo; the benchmark's data
    set is the same programme drawn larger (`scripts/bench/data.py`). Every draw the default
    makes is made the same way at any scale, so a seed's demo never changes."""

    cases: int = 1  # every count of a unit's cases (each plan's per year, its arrears, people, bodies, forums), times this
    headcount_share: float = 0.0  # 用工监测: the chance an enrolled enterprise reports its headcount in a month
    long_case: int = 0  # headcount reports of one enterprise enrolled at the start: a case with a long history


@dataclass
class Company:
    key: str
    name: str
    uscc: str
    unit: str
    enrolled_on: dt.date
    headcount: int
    industry: str
    ownership: str


@dataclass
class Cell:
    unit: str
    plan: str
    total: int
    per_year: dict[int, int]  # what the unit owes per programme year (split by us if the seed gives none)
    done: dict[int, int] = field(default_factory=dict)  # what the demo delivers per programme year


class Planner:
    """Draws the programme from one `random.Random(seed)` and lists its commands."""

    def __init__(self, seed: int, end: dt.date, scale: Scale = Scale()):
        self.rng = random.Random(seed)
        self.seed = seed
        self.end = end
        self.scale = scale
        self.commands: list[Command] = []
        self.usccs: set[str] = set()
        self.names: set[str] = set()
        self.people: set[str] = set()
        self.companies: dict[str, list[Company]] = defaultdict(list)  # established enterprises by unit
        self.cells: dict[tuple[str, str], Cell] = {}
        self.notes: dict[str, Any] = {}
        self.counter = Counter()
        self.last: dict[str, dt.date] = {}  # latest date planned per case
        self._staff: dict[str, list[str]] = {}

    # -- commands ------------------------------------------------------------

    def open(self, key: str, type: str, on: dt.date, data: dict[str, Any], actor_unit: str, role: str = "officer") -> None:
        self._add(key, type, on, data, actor_unit, role, True)

    def add(self, key: str, type: str, on: dt.date, data: dict[str, Any], actor_unit: str, role: str = "officer") -> None:
        self._add(key, type, on, data, actor_unit, role, False)

    def _add(self, key, type, on, data, actor_unit, role, opens) -> None:
        on = max(DEMO_START, min(on, self.end))
        self.last[key] = max(on, self.last.get(key, on))
        actor = f"{role}-{PLACES[actor_unit].py}"
        self.commands.append(Command(on, len(self.commands), key, type, data, actor, actor_unit, opens))

    def ordered(self) -> list[Command]:
        """The commands in the order they are appended: by business date, ties in planning order."""
        return sorted(self.commands, key=lambda c: (c.on, c.seq))

    def key(self, kind: str) -> str:
        self.counter[kind] += 1
        return f"{kind}:{self.counter[kind]}"

    # -- dates ----------------------------------------------------------------

    def date(self, lo: dt.date, hi: dt.date) -> dt.date:
        hi = min(hi, self.end)
        lo = min(lo, hi)
        return lo + dt.timedelta(days=self.rng.randint(0, (hi - lo).days))

    def later(self, d: dt.date, lo: int, hi: int) -> dt.date:
        """A date lo..hi days after d, never after the end of the programme (nor before d)."""
        return min(self.end, d + dt.timedelta(days=self.rng.randint(lo, hi)))

    def in_year(self, year: int, first_month: int = 1, last_month: int = 12, launch: bool = False) -> dt.date:
        """A date in programme year `year`, between two months; 2021 may reach back into the 2020 launch."""
        lo = dt.date(year, first_month, 5)
        hi = dt.date(year, last_month, 28)
        if launch and year == 2021:
            lo = DEMO_START
        if year == 2023:
            hi = min(hi, dt.date(2023, 9, 25))
            lo = min(lo, hi - dt.timedelta(days=20))
        return self.date(lo, hi)

    # -- names and identifiers ----------------------------------------------------

    def staff(self, unit: str) -> str:
        """One of the unit's few officers who visit and assess (the same people, year after year)."""
        if unit not in self._staff:
            self._staff[unit] = [self.person()[0] for _ in range(4)]
        return self.rng.choice(self._staff[unit])

    def person(self, gender: str | None = None) -> tuple[str, str]:
        rng = self.rng
        gender = gender or ("male" if rng.random() < 0.62 else "female")
        for _ in range(50):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN_MALE if gender == "male" else GIVEN_FEMALE)
            if name not in self.people:
                break
        self.people.add(name)
        return name, gender

    def id_number(self, gender: str, born_lo: int = 1966, born_hi: int = 1997) -> str:
        rng = self.rng
        born = dt.date(rng.randint(born_lo, born_hi), 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        serial = rng.randint(0, 499) * 2 + (1 if gender == "male" else 0)  # odd = male (GB 11643)
        body = f"{rng.choice(BIRTH_DIVS)}{born:%Y%m%d}{serial:03d}"
        return body + id_check_char(body)

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randint(0, 99_999_999):08d}"

    def landline(self) -> str:
        return f"0730-{self.rng.choice('2345678')}{self.rng.randint(0, 999_999):06d}"

    def uscc(self, unit: str, new: bool) -> str:
        rng = self.rng
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        while True:
            if new:
                org = "MA4" + rng.choice("LMNPQRT") + "".join(rng.choice(alphabet) for _ in range(5))
            else:
                org = f"{rng.randint(10_000_000, 99_999_999)}{rng.choice('0123456789X')}"
            body = f"91{PLACES[unit].div}{org}"
            code = body + uscc_check_char(body)
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def address(self, unit: str) -> str:
        p = PLACES[unit]
        if self.rng.random() < 0.7:
            return f"{p.area}{self.rng.choice(p.roads)}{self.rng.randint(1, 399)}号"
        return f"{p.area}{self.rng.choice(p.towns)}{self.rng.choice(('工业园', '创业园', '集镇', '社区'))}{self.rng.randint(1, 88)}号"

    def unique(self, name: str) -> str:
        """At scale a unit runs out of names: one already used gets a number. The demo keeps
        every name as drawn, so its programme never changes."""
        if self.scale.cases == 1:
            return name
        base, n = name, 1
        while name in self.names:
            n += 1
            name = f"{base}（{n}）"
        return name

    def company_name(self, unit: str, business: str, suffix: str = "有限公司") -> str:
        rng = self.rng
        for _ in range(200):
            name = f"{rng.choice(PLACES[unit].prefixes)}{rng.choice(TRADE_NAMES)}{business}{suffix}"
            if name not in self.names:
                self.names.add(name)
                return name
        name = f"{rng.choice(PLACES[unit].prefixes)}{rng.choice(TRADE_NAMES)}{rng.choice(TRADE_NAMES)}{business}{suffix}"
        self.names.add(name)
        return name

    # -- enterprises ----------------------------------------------------------------

    def enterprise(self, unit: str, on: dt.date, *, large: bool, new: bool = False, business=None,
                   ownership: str | None = None, keep: bool = True) -> Company:
        """Enrol an enterprise (master data) on `on`; returns it for other cases to refer to."""
        rng = self.rng
        on = max(on, DEMO_START)
        if large:
            industry, biz = business or rng.choice(LARGE_BUSINESSES)
            ownership = ownership or weighted(rng, OWNERSHIP_LARGE)
            suffix = rng.choice(("有限公司", "有限公司", "有限责任公司", "股份有限公司")) if biz not in ("医院",) else ""
            headcount = rng.randint(260, 3200)
        else:
            industry = weighted(rng, NEW_WEIGHTS.items())
            choices = [b for b in BUSINESSES if b[0] == industry]
            _, biz, lo, hi = rng.choice(choices)
            ownership = ownership or weighted(rng, OWNERSHIP_NEW)
            suffix = "有限公司"
            headcount = rng.randint(lo, hi)
        if biz == "医院":
            name = self.company_name(unit, rng.choice(("仁和", "康复", "协和", "同济", "博爱")) + "医院", "")
        else:
            name = self.company_name(unit, biz, suffix)
        uscc = self.uscc(unit, new)
        key = f"enterprise:{uscc}"
        contact, _ = self.person()
        data = {
            "name": name, "uscc": uscc, "unit": unit, "address": self.address(unit), "industry": industry,
            "ownership": ownership, "contact_name": contact,
            "contact_phone": self.mobile() if rng.random() < 0.8 else self.landline(),
            "headcount": headcount, "newly_registered": new,
        }
        if new:
            data["registration_date"] = iso(on - dt.timedelta(days=rng.randint(3, 45)))
        else:
            data["registration_date"] = iso(dt.date(rng.randint(1995, 2018), rng.randint(1, 12), rng.randint(1, 28)))
        self.open(key, "EnterpriseEnrolled", on, data, unit)
        company = Company(key, name, uscc, unit, on, headcount, industry, ownership)
        if keep:
            self.companies[unit].append(company)
        return company

    def established(self, unit: str, before: dt.date, exclude: set[str]) -> Company | None:
        """An enterprise of the unit enrolled before `before` and not in `exclude`, if any."""
        pool = [c for c in self.companies[unit] if c.enrolled_on < before and c.key not in exclude]
        return self.rng.choice(pool) if pool else None
