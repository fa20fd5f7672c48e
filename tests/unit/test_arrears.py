"""P10: the story of a wage-arrears case, told in memory."""

import pytest

from hexie.domain.arrears import OUTCOMES_WITH_BALANCE, ArrearsCase
from hexie.domain.case import Context, DomainError, acting
from hexie.domain.vocabulary import ARREARS_OUTCOME
from hexie.schemas import problems
from tests.samples import uscc


def on(date: str):
    return acting(Context(occurred_on=date, actor="officer-gzb"))


def clue(amount_owed: str = "186000.00", **changes) -> ArrearsCase:
    data = dict(
        unit="平江县", channel="national_arrears_platform", employer_name="平江某建筑劳务有限公司",
        amount_owed=amount_owed, workers_affected=23, description="某安置小区项目拖欠23名农民工工资",
        project="平江县某安置小区建设项目", employer_uscc=uscc(7),
    )
    data.update(changes)
    with on("2021-12-20"):
        return ArrearsCase(**data)


def refused(call, date: str = "2022-01-05") -> DomainError:
    with pytest.raises(DomainError) as caught, on(date):
        call()
    return caught.value


def test_from_clue_to_typical_case():
    case = clue()
    assert case.status == "received" and case.outstanding == "186000.00" and case.recovered == "0.00"

    with on("2021-12-21"):
        case.assign(to_unit="平江县", deadline="2022-01-20", working_days=20)
    with on("2021-12-28"):
        case.supervise(supervisor="市根治办", note="春节前务必清零")
        case.interview_employer(interviewee="施工总承包单位项目经理", note="约谈总包单位，限期支付")
    # Re-assignment: the latest one counts.
    with on("2022-01-04"):
        case.assign(to_unit="市人社局", deadline="2022-01-14")
    assert case.assigned_to == "市人社局" and case.deadline == "2022-01-14" and len(case.assignments) == 2
    assert case.status == "assigned"

    with on("2022-01-10"):
        case.recover_wages(amount="120000.5", workers=15)
    with on("2022-01-12"):
        case.recover_wages(amount="65999.50", workers=8)
    assert case.recovered == "186000.00" and case.outstanding == "0.00" and case.workers_paid == 23

    with on("2022-01-13"):
        case.close(outcome="wages_recovered", note="全部追回")
    assert case.status == "closed" and case.closed and case.closed_on == "2022-01-13"

    # Closed: no more handling, but publishing is what a closed case is for.
    assert refused(lambda: case.supervise(supervisor="市根治办", note="回访"), "2022-01-20").rule == "case_closed"
    with on("2022-03-15"):
        case.publish(title="平江某安置小区项目欠薪案", summary="约谈总包、限期支付，23名农民工工资全部追回", channel="岳阳人社公众号")
    assert case.published and case.publication["on"] == "2022-03-15"

    error = refused(lambda: case.publish(title="再发布", summary="重复"), "2022-04-01")
    assert error.rule == "already_published" and error.field is None

    types = [type(e).__name__ for e in case.collect_events()]
    assert types[0] == "ArrearsClueReceived" and types[-1] == "TypicalCasePublished"


def test_deadline_not_before_assignment():
    case = clue()
    error = refused(lambda: case.assign(to_unit="平江县", deadline="2022-01-04"))
    assert (error.rule, error.field) == ("deadline_before_assignment", "data.deadline")
    with on("2022-01-05"):
        case.assign(to_unit="平江县", deadline="2022-01-05")  # same day is allowed
    assert case.deadline == "2022-01-05"


def test_recovered_never_exceeds_owed():
    case = clue("10000")
    with on("2022-01-05"):
        case.recover_wages(amount="9999.99", workers=3)
    error = refused(lambda: case.recover_wages(amount="0.02", workers=1))
    assert (error.rule, error.field) == ("recovered_exceeds_owed", "data.amount")
    assert case.recovered == "9999.99" and case.outstanding == "0.01"
    with on("2022-01-06"):
        case.recover_wages(amount="0.01", workers=1)
    assert case.outstanding == "0.00"


def test_money_still_owed_needs_an_outcome_that_explains_it():
    case = clue("50000")
    with on("2022-01-05"):
        case.recover_wages(amount="20000", workers=5)
    rules = {"case_cancelled": "cancel_requires_correction", "blacklisted": "blacklisted_still_owed"}
    for outcome in sorted(set(ARREARS_OUTCOME) - OUTCOMES_WITH_BALANCE):
        error = refused(lambda: case.close(outcome=outcome))
        assert (error.rule, error.field) == (rules.get(outcome, "money_still_owed"), "data.outcome"), outcome
        assert "30000.00" in error.message
    assert not case.closed
    with on("2022-02-01"):
        case.close(outcome="referred_to_police", note="涉嫌拒不支付劳动报酬罪，移送公安")
    assert case.outcome == "referred_to_police" and case.outstanding == "30000.00"


@pytest.mark.parametrize("outcome", sorted(OUTCOMES_WITH_BALANCE))
def test_each_explaining_outcome_closes_with_a_balance(outcome):
    case = clue("800")
    with on("2022-01-05"):
        case.close(outcome=outcome)
    assert case.status == "closed"


def test_nothing_owed_any_outcome_closes():
    case = clue("800")
    with on("2022-01-05"):
        case.recover_wages(amount="800", workers=2)
        case.close(outcome="payment_ordered")
    assert case.closed


def test_only_a_closed_case_is_published():
    case = clue()
    error = refused(lambda: case.publish(title="未结案", summary="不能发布"))
    assert (error.rule, error.field) == ("case_not_closed", None)
    assert not case.published


def test_invalid_employer_uscc_is_refused():
    bad = uscc(7)[:-1] + ("0" if uscc(7)[-1] != "0" else "1")
    with pytest.raises(DomainError) as caught, on("2021-12-20"):
        ArrearsCase(unit="平江县", channel="hotline_12345", employer_name="某公司", amount_owed="1",
                    workers_affected=1, description="x", employer_uscc=bad)
    assert (caught.value.rule, caught.value.field) == ("invalid_uscc", "data.employer_uscc")
    # Without a 统一社会信用代码 (often unknown for a 包工头) the clue is taken.
    case = clue(employer_uscc=None)
    assert case.employer_uscc is None


def test_nothing_dated_before_the_clue():
    case = clue()
    error = refused(lambda: case.supervise(supervisor="市根治办", note="督办"), "2021-12-01")
    assert error.field == "data.occurred_on"


def test_schemas_match_the_command_methods():
    data = {
        "ArrearsClueReceived": {"unit": "平江县", "channel": "hotline_12345", "employer_name": "某公司",
                                "amount_owed": "125000.50", "workers_affected": 3, "description": "欠薪"},
        "ArrearsCaseAssigned": {"to_unit": "平江县", "deadline": "2022-01-20", "working_days": 20},
        "ArrearsCaseSupervised": {"supervisor": "市根治办", "note": "督办"},
        "EmployerInterviewed": {"interviewee": "法定代表人", "note": "约谈"},
        "WagesRecovered": {"amount": "100", "workers": 1},
        "ArrearsCaseClosed": {"outcome": "wages_recovered"},
        "TypicalCasePublished": {"title": "典型案例", "summary": "摘要", "channel": "网站"},
    }
    for event_type, payload in data.items():
        assert problems(event_type, payload) == [], event_type
    assert set(ArrearsCase.commands) | {ArrearsCase.created_event} == set(data)
    assert problems("WagesRecovered", {"amount": "12.345", "workers": 0}) == [
        {"field": "data.amount", "message": "must be yuan as a decimal string, e.g. \"125000.50\""},
        {"field": "data.workers", "message": "0 is less than the minimum of 1"},
    ]


def test_a_fake_clearance_is_refused_cancelled_or_blacklisted_with_wages_owed():
    """动态清零 cannot be faked: cancelling needs the violation corrected, blacklisting pays no one."""
    case = clue("50000")
    assert refused(lambda: case.close(outcome="case_cancelled")).rule == "cancel_requires_correction"
    error = refused(lambda: case.close(outcome="blacklisted"))
    assert error.rule == "blacklisted_still_owed" and "动态清零" in error.message
    assert not case.closed and case.status == "received"
    with on("2022-01-05"):
        case.recover_wages(amount="50000", workers=23)
        case.close(outcome="case_cancelled", note="已改正，撤销立案")
    assert case.closed


def test_the_outcomes_that_clear_a_case_with_money_owed():
    assert OUTCOMES_WITH_BALANCE == {"transferred_out", "referred_to_police", "court_enforcement", "advance_paid", "unfounded"}
