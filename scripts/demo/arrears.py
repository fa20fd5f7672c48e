"""P10 wage-arrears cases, from a clue to a typical case, and the few the programme ends with still open."""

from __future__ import annotations

import datetime as dt

from hexie.domain.vocabulary import CITY_BODIES, DISTRICTS
from hexie.domain.calendar import programme_year

from .achievement import done
from .places import BUSINESSES, PLACES, TRADE_NAMES
from .planner import DEMO_START, Planner, iso, weighted


ARREARS_CHANNELS = (("hotline_12345", 30), ("national_arrears_platform", 18), ("provincial_online", 8), ("inspection_complaint", 16),
                    ("inspection_report", 6), ("letters_visits", 7), ("media", 2), ("inspection_found", 6), ("early_warning", 3),
                    ("transferred", 2), ("union", 2))
CITY_CHANNELS = frozenset({"national_arrears_platform", "provincial_online", "transferred", "media"})
PROJECTS = ("安置小区{n}期建设项目", "{road}道路提质改造工程", "第{n}中学教学楼新建项目", "{trade}花园{n}期项目", "标准化厂房建设项目",
            "农村公路安防工程", "人民医院住院大楼项目", "污水处理厂提标改造工程")


def arrears(p: Planner, unit: str) -> None:
    rng = p.rng
    published = done(p, unit, "P10")
    plain = (rng.randint(6, 11) if unit in DISTRICTS else rng.randint(3, 5)) * p.scale.cases
    cases: list[tuple[str, int | None]] = [("published", y) for y, n in published.items() for _ in range(n)]
    cases += [("closed", None)] * plain
    for how, year in cases:
        if how == "published":
            received = p.date(dt.date(year, 1, 5), dt.date(year, 4, 30)) if year > 2021 else p.date(DEMO_START, dt.date(2021, 4, 30))
        else:
            received = p.date(DEMO_START, dt.date(2023, 6, 30))
        _arrears_case(p, unit, received, how, year)


def open_arrears(p: Planner) -> None:
    """A few cases the programme ends with: overdue, within their deadline, just received, a historic one."""
    rng = p.rng
    districts = list(DISTRICTS)
    rng.shuffle(districts)
    _arrears_case(p, districts[0], p.date(dt.date(2022, 3, 1), dt.date(2022, 6, 30)), "historic", None)
    for unit in districts[1:4]:
        _arrears_case(p, unit, p.date(dt.date(2023, 6, 1), dt.date(2023, 8, 10)), "overdue", None)
    for unit in districts[4:7]:
        _arrears_case(p, unit, p.date(dt.date(2023, 9, 10), dt.date(2023, 9, 20)), "within", None)
    for unit in districts[7:9]:
        _arrears_case(p, unit, p.date(dt.date(2023, 9, 22), dt.date(2023, 9, 29)), "received", None)


def _arrears_case(p: Planner, unit: str, received: dt.date, how: str, year: int | None) -> None:
    rng = p.rng
    construction = rng.random() < 0.65
    place = unit if unit in DISTRICTS else rng.choice(DISTRICTS)
    if construction:
        employer = p.company_name(place, rng.choice(("建筑工程", "建设工程", "劳务", "路桥工程")))
        project = rng.choice(PROJECTS).format(n=rng.randint(1, 3), road=rng.choice(PLACES[place].roads), trade=rng.choice(TRADE_NAMES))
        project = f"{PLACES[place].prefixes[0]}{project}"
        owed = rng.randint(30, 2500) * 1000 + rng.choice((0, 0, 500, 800))
        workers = rng.randint(6, 150)
    else:
        _, biz, _, _ = rng.choice([b for b in BUSINESSES if b[0] in "CHFO"])
        employer, project = p.company_name(place, biz), None
        owed = rng.randint(8, 300) * 1000 + rng.randint(0, 999)
        workers = rng.randint(2, 40)
    if how == "published":
        owed, workers = max(owed, 180_000), max(workers, 20)
    channel = weighted(rng, ARREARS_CHANNELS)
    months = rng.randint(2, 8)
    data = {
        "unit": unit, "channel": channel, "employer_name": employer, "amount_owed": f"{owed}.00", "workers_affected": workers,
        "description": f"{workers}名{'农民工' if construction else '职工'}反映{employer}拖欠{months}个月工资共计{owed}元" + (f"（{project}）" if project else ""),
    }
    if rng.random() < 0.7:
        data["employer_uscc"] = p.uscc(place, new=False)
    if project:
        data["project"] = project
    key = p.key("arrears_case")
    city = unit in CITY_BODIES or channel in CITY_CHANNELS
    p.open(key, "ArrearsClueReceived", received, data, "市人社局" if city else unit, "inspector")
    if how == "received":
        return
    assigned = p.later(received, 0, 3)
    to_unit = unit if unit in DISTRICTS else place
    days = rng.choice((5, 10, 15, 20)) if how != "overdue" else rng.choice((10, 15))
    deadline = assigned + dt.timedelta(days=days * 7 // 5 + 1)
    if how == "within":
        deadline = max(deadline, dt.date(2023, 10, 20))
    p.add(key, "ArrearsCaseAssigned", assigned, {"to_unit": to_unit, "deadline": iso(deadline), "working_days": days}, "市人社局" if city else unit, "inspector")
    d = assigned
    if how in ("overdue", "historic") or rng.random() < 0.3:
        d = p.later(d, 3, days + 10)
        p.add(key, "ArrearsCaseSupervised", d, {"supervisor": "岳阳市根治拖欠农民工工资工作领导小组办公室", "note": "挂牌督办，要求限期办结并报送处置结果"}, "市人社局", "inspector")
    if construction and rng.random() < 0.6 or how in ("published", "historic"):
        d = p.later(d, 2, 15)
        p.add(key, "EmployerInterviewed", d, {"interviewee": f"{p.person()[0]}（{'项目负责人' if project else '法定代表人'}）",
                                              "note": "约谈用人单位及建设单位，责令限期足额支付拖欠工资"}, to_unit, "inspector")
    if how == "overdue":
        if rng.random() < 0.5:
            d = p.later(deadline, 1, 20)
            part = owed * rng.randint(20, 50) // 100
            p.add(key, "WagesRecovered", d, {"amount": f"{part}.00", "workers": max(1, workers * part // owed)}, to_unit, "inspector")
        return
    if how == "within":
        return
    if how == "historic":
        d = p.later(d, 30, 90)
        part = owed * rng.randint(30, 60) // 100
        p.add(key, "WagesRecovered", d, {"amount": f"{part}.00", "workers": max(1, workers * part // owed)}, to_unit, "inspector")
        p.add(key, "ArrearsCaseSupervised", p.later(d, 90, 200), {"supervisor": "岳阳市根治拖欠农民工工资工作领导小组办公室",
                                                                   "note": "历史积案，再次督办，列入动态清零清单"}, "市人社局", "inspector")
        return
    # closed (and maybe published)
    kind = "full" if how == "published" else weighted(rng, (("full", 75), ("partial", 15), ("none", 10)))
    recovered, paid_workers = 0, 0
    if kind != "none":
        target = owed if kind == "full" else owed * rng.randint(30, 80) // 100
        instalments = rng.randint(1, 3)
        for i in range(instalments):
            amount = target - recovered if i == instalments - 1 else (target - recovered) * rng.randint(30, 60) // 100
            if amount <= 0:
                continue
            ws = max(1, workers - paid_workers) if i == instalments - 1 else max(1, (workers - paid_workers) // 2)
            d = p.later(d, 5, 40)
            p.add(key, "WagesRecovered", d, {"amount": f"{amount}.00", "workers": ws}, to_unit, "inspector")
            recovered += amount
            paid_workers += ws
    if kind == "full":
        outcome = weighted(rng, (("wages_recovered", 8), ("payment_ordered", 1), ("penalised", 1), ("case_cancelled", 1)))
    elif kind == "partial":
        outcome = weighted(rng, (("advance_paid", 3), ("court_enforcement", 2), ("referred_to_police", 2), ("transferred_out", 2)))
    else:
        outcome = weighted(rng, (("unfounded", 5), ("transferred_out", 3)))
    closed = p.later(d, 1, 15)
    p.add(key, "ArrearsCaseClosed", closed, {"outcome": outcome, "note": {
        "wages_recovered": "拖欠工资已全部支付到位，农民工签字确认", "payment_ordered": "下达劳动保障监察责令支付决定书，用人单位已履行",
        "penalised": "已全部支付，并依法给予行政处罚", "advance_paid": "动用应急周转金先行垫付，依法向用人单位追偿",
        "court_enforcement": "用人单位逾期不履行，已申请人民法院强制执行", "referred_to_police": "涉嫌拒不支付劳动报酬罪，已移送公安机关",
        "blacklisted": "列入拖欠农民工工资失信联合惩戒对象名单", "transferred_out": "属劳动争议，已告知通过仲裁途径解决",
        "unfounded": "经调查核实，反映情况不属实", "case_cancelled": "情节轻微且已改正（工资已付清），撤销立案",
    }[outcome]}, to_unit, "inspector")
    if how == "published":
        on = p.later(closed, 7, 60)
        if programme_year(iso(on)) != year:  # published in the year it counts for
            on = max(closed, dt.date(year, 12, 28))
        p.add(key, "TypicalCasePublished", on, {
            "title": f"{unit}依法处置{employer}拖欠{workers}名农民工工资案",
            "summary": f"接到线索后当日交办，约谈企业负责人并督促整改，{(closed - received).days}天内为{workers}名农民工追回工资{owed}元。",
            "channel": rng.choice(("岳阳市人社局门户网站“根治欠薪”专栏", "微信公众号“岳阳人社”", "《岳阳日报》")),
        }, unit, "inspector")
