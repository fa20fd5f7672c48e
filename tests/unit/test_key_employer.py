"""P02: the story of a key employer, told in memory."""

import pytest
from hexie.domain.case import DomainError
from hexie.domain.key_employer import KeyEmployer

from tests.unit.stories import on, replayed


def designate() -> KeyEmployer:
    with on("2021-03-02"):
        return KeyEmployer(
            unit="岳阳楼区", enterprise_id="0b3e7c1e-3f4e-4a55-8a57-111111111111",
            reason="operating_difficulty", headcount_last_year_end=420, headcount_now=380,
        )


def test_first_visit_dates_the_count_and_layoffs_stay_within_the_plan():
    ke = designate()
    with on("2021-04-10"):
        ke.log_visit(visitor="李四", method="on_site", findings="订单下降", follow_up="稳岗返还申报")
    with on("2021-06-01"):
        ke.log_visit(visitor="李四", method="phone", findings="回访")
    assert ke.first_visit_on == "2021-04-10"

    with on("2021-07-01"):
        ke.report_layoff_plan(year=2021, planned_layoffs=30, positions="装配工", compensation_standard="n_plus_1",
                              payment_capacity_assessed=True)
        ke.report_layoffs(year=2021, laid_off=20, wages_settled=False)
    with pytest.raises(DomainError) as refused, on("2021-08-01"):
        ke.report_layoffs(year=2021, laid_off=11, wages_settled=True)
    assert refused.value.rule == "layoffs_exceed_plan" and refused.value.field == "data.laid_off"

    # A revised plan lets the employer go further; a plan below what is done is refused.
    with on("2021-08-05"):
        with pytest.raises(DomainError, match="plan is below"):
            ke.report_layoff_plan(year=2021, planned_layoffs=10, positions="装配工",
                                  compensation_standard="n_plus_1", payment_capacity_assessed=True)
        ke.report_layoff_plan(year=2021, planned_layoffs=35, positions="装配工、质检",
                              compensation_standard="n_plus_1", payment_capacity_assessed=True)
        ke.report_layoffs(year=2021, laid_off=11, wages_settled=True)
    assert ke.laid_off == {"2021": 31}
    assert ke.layoff_plans["2021"]["revision"] == 1
    assert ke.wages_settled == {"2021": True}


def test_layoff_reports_are_kept_per_year_for_annex8():
    ke = designate()
    for year, positions in ((2022, "包装工"), (2023, "装配工")):
        with on(f"{year}-03-01"):
            ke.report_layoff_plan(year=year, planned_layoffs=20, positions=positions, compensation_standard="statutory_n",
                                  payment_capacity_assessed=True)
    with on("2022-06-01"):
        ke.report_layoffs(year=2022, laid_off=12, wages_settled=True, positions="包装工、叉车工")
    with on("2023-06-01"):
        ke.report_layoffs(year=2023, laid_off=5, wages_settled=False)
    loaded = replayed(ke)
    # The 2023 report says nothing of 2022: each year keeps what its own reports said.
    assert loaded.wages_settled == {"2022": True, "2023": False}
    assert loaded.layoff_positions == {"2022": "包装工、叉车工"} and loaded.laid_off == {"2022": 12, "2023": 5}


def test_a_version_1_snapshot_is_read_with_its_settlement_under_the_latest_year():
    state = {"laid_off": {"2021": 3, "2022": 4}, "wages_settled": False}
    KeyEmployer.upcast_v1_v2(state)
    assert state["wages_settled"] == {"2022": False} and state["layoff_positions"] == {}


def test_layoffs_need_a_plan_for_their_year():
    ke = designate()
    with pytest.raises(DomainError) as refused, on("2022-01-10"):
        ke.report_layoffs(year=2022, laid_off=1, wages_settled=True)
    assert refused.value.rule == "no_layoff_plan"


def test_a_delisted_employer_takes_no_more_events():
    ke = designate()
    with on("2022-12-31"):
        ke.delist(reason="经营恢复正常")
    with pytest.raises(DomainError) as refused, on("2023-01-05"):
        ke.log_visit(visitor="李四", method="on_site", findings="回访")
    assert refused.value.rule == "case_closed"
    assert [type(e).__name__ for e in ke.collect_events()] == ["KeyEmployerDesignated", "KeyEmployerDelisted"]


def test_nothing_is_dated_before_the_designation():
    ke = designate()
    with pytest.raises(DomainError) as refused, on("2021-01-01"):
        ke.log_visit(visitor="李四", method="on_site", findings="回访")
    assert refused.value.field == "data.occurred_on"


def test_one_case_per_enterprise():
    assert designate().id == designate().id
