"""Annex 1 targets: assigned from the seed, amended by an event."""

from uuid import uuid5

import pytest

from hexie.domain.case import Context, DomainError, acting
from hexie.domain.ids import NAMESPACE
from hexie.domain.target import Target
from hexie.schemas import problems


def on(date: str):
    return acting(Context(occurred_on=date, actor="city-admin"))


def assign(**changes) -> Target:
    data = dict(unit="岳阳楼区", plan="P06", total=75, per_year={"2021": 25, "2022": 25, "2023": 25}, note="附件1原文：75 (25/年)")
    data.update(changes)
    with on("2020-09-21"):
        return Target(**data)


def test_assigned_then_amended():
    target = assign()
    assert (target.unit, target.plan, target.total, target.per_year) == ("岳阳楼区", "P06", 75, {"2021": 25, "2022": 25, "2023": 25})
    with on("2022-03-01"):
        target.amend(total=90, per_year={"2021": 25, "2022": 35, "2023": 30}, reason="新注册企业增多，目标上调")
    assert target.total == 90 and target.per_year["2022"] == 35
    assert target.amendments[0]["previous_total"] == 75 and target.amendments[0]["on"] == "2022-03-01"
    # An amendment states the whole new target: no per_year = no yearly split.
    with on("2022-06-01"):
        target.amend(total=90, reason="取消分年度目标")
    assert target.per_year is None


def test_a_bare_total_has_no_split():
    target = assign(unit="市人社局", plan="P05", total=4, per_year=None, note=None)
    assert target.per_year is None and target.total == 4


def test_per_year_must_sum_to_total():
    with pytest.raises(DomainError) as caught, on("2020-09-21"):
        Target(unit="岳阳楼区", plan="P02", total=3, per_year={"2021": 1, "2022": 1, "2023": 2})
    assert (caught.value.rule, caught.value.field) == ("per_year_does_not_sum", "data.per_year")

    target = assign()
    with pytest.raises(DomainError) as caught, on("2021-01-01"):
        target.amend(total=80, per_year={"2021": 25, "2022": 25, "2023": 25}, reason="上调")
    assert (caught.value.rule, caught.value.field) == ("per_year_does_not_sum", "data.per_year")
    assert target.total == 75


def test_an_amendment_must_change_something():
    target = assign()
    with pytest.raises(DomainError) as caught, on("2021-01-01"):
        target.amend(total=75, per_year={"2021": 25, "2022": 25, "2023": 25}, reason="重复")
    assert (caught.value.rule, caught.value.field) == ("nothing_to_amend", "data")


def test_one_target_per_unit_and_plan():
    assert assign().id == assign(total=3, per_year=None).id == uuid5(NAMESPACE, "target:岳阳楼区:P06")
    assert assign(plan="P07", total=3, per_year=None).id != assign().id
    assert Target.create_id("岳阳楼区", "P06") == assign().id


def test_schemas():
    assert problems("TargetAssigned", {"unit": "岳阳楼区", "plan": "P02", "total": 3,
                                       "per_year": {"2021": 1, "2022": 1, "2023": 1}}) == []
    assert problems("TargetAssigned", {"unit": "市总工会", "plan": "P04", "total": 6, "per_year": None}) == []
    assert problems("TargetAssigned", {"unit": "岳阳楼区", "plan": "P11", "total": 3}) != []
    assert [p["field"] for p in problems("TargetAssigned", {"unit": "岳阳楼区", "plan": "P02", "total": 3,
                                                             "per_year": {"2021": 3, "2024": 0}})] == [
        "data.per_year.2022", "data.per_year.2023", "data.per_year.2024"]
    assert problems("TargetAmended", {"total": 4, "reason": "调整"}) == []
    assert [p["field"] for p in problems("TargetAmended", {"total": 4})] == ["data.reason"]
