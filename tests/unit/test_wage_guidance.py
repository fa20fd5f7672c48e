"""P05: wage guidance and salary-survey feedback, told in memory."""

import pytest
from hexie.domain.case import DomainError
from hexie.domain.wage_guidance import SalarySurveyFeedback, WageGuidance
from hexie.schemas import problems

from tests.unit.stories import on

ENTERPRISE = "0b3e7c1e-3f4e-4a55-8a57-444444444444"


def guide() -> WageGuidance:
    with on("2021-04-02"):
        return WageGuidance(unit="君山区", enterprise_id=ENTERPRISE, group="skilled",
                            content="技能人才薪酬分配指引：岗位工资与技能等级挂钩")


def feedback(survey_year: int = 2021, date: str = "2022-06-20", personalised: bool = False) -> SalarySurveyFeedback:
    with on(date):
        return SalarySurveyFeedback(unit="市人社局", enterprise_id=ENTERPRISE, survey_year=survey_year,
                                    personalised=personalised)


def test_the_first_guidance_opens_the_case_and_follow_ups_add_rounds():
    case = guide()
    with on("2022-03-01"):
        case.follow_up(group="low_income", content="低收入群体工资增长")
    with on("2022-09-01"):
        case.follow_up(group="skilled", content="技能等级晋升后的工资调整")
    assert case.first_guided_on == "2021-04-02" and case.group == "skilled"
    assert [r["on"] for r in case.rounds] == ["2021-04-02", "2022-03-01", "2022-09-01"]
    assert case.groups == ["skilled", "low_income"]
    assert [type(e).__name__ for e in case.collect_events()] == [
        "WageGuidanceProvided", "WageGuidanceFollowedUp", "WageGuidanceFollowedUp",
    ]


def test_one_guidance_case_per_enterprise():
    assert guide().id == guide().id == WageGuidance.create_id(ENTERPRISE)


def test_nothing_is_dated_before_the_first_guidance():
    case = guide()
    with pytest.raises(DomainError) as refused, on("2021-01-01"):
        case.follow_up(group="skilled", content="补充指导")
    assert refused.value.field == "data.occurred_on"


def test_survey_feedback_is_its_own_case_per_enterprise_and_survey_year():
    first = feedback(personalised=True)
    assert first.kind == "salary_survey_feedback" and first.personalised is True and first.survey_year == 2021
    assert first.id == feedback().id == SalarySurveyFeedback.create_id(ENTERPRISE, 2021)
    assert first.id != feedback(survey_year=2022).id
    assert first.id != guide().id


def test_feedback_is_not_on_a_survey_after_its_date():
    with pytest.raises(DomainError) as refused:
        feedback(survey_year=2023, date="2022-06-20")
    assert refused.value.rule == "survey_year_in_future" and refused.value.field == "data.survey_year"


# -- schemas ---------------------------------------------------------------


def test_guidance_schema():
    valid = {"unit": "君山区", "enterprise_id": ENTERPRISE, "group": "state_owned_reform", "content": "市场化薪酬改革",
             "occurred_on": "2021-04-02"}
    assert problems("WageGuidanceProvided", valid) == []
    assert [p["field"] for p in problems("WageGuidanceProvided", {**valid, "group": "migrant"})] == ["data.group"]


def test_follow_up_schema():
    assert problems("WageGuidanceFollowedUp", {"group": "sci_tech", "content": "科技人才激励"}) == []
    assert [p["field"] for p in problems("WageGuidanceFollowedUp", {"group": "sci_tech", "content": " "})] == [
        "data.content"
    ]


def test_feedback_schema():
    valid = {"unit": "市人社局", "enterprise_id": ENTERPRISE, "survey_year": 2021, "personalised": False}
    assert problems("SalarySurveyFeedbackProvided", valid) == []
    bad = problems("SalarySurveyFeedbackProvided", {k: v for k, v in valid.items() if k != "personalised"})
    assert [p["field"] for p in bad] == ["data.personalised"]
    assert [p["field"] for p in problems("SalarySurveyFeedbackProvided", {**valid, "survey_year": 2019})] == [
        "data.survey_year"
    ]
