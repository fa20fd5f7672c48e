"""P03: the story of a cultivated enterprise, told in memory."""

import pytest
from hexie.domain.case import DomainError
from hexie.domain.cultivation import Cultivation
from hexie.schemas import problems

from tests.unit.stories import on

ENTERPRISE = "0b3e7c1e-3f4e-4a55-8a57-333333333333"
ALL_MET = {"employment_management": True, "democratic_consultation": True, "harmony_culture": True}


def enrol() -> Cultivation:
    with on("2021-03-02"):
        return Cultivation(unit="岳阳楼区", enterprise_id=ENTERPRISE, service_unit="岳阳楼区劳动关系协调员工作站",
                           year=2021)


def test_planned_trained_visited_and_assessed_the_last_assessment_counts():
    case = enrol()
    with on("2021-04-01"):
        case.set_plan(plan="规范劳动合同管理，建立工资集体协商制度", focus="民主协商机制建设")
    with on("2021-05-12"):
        case.hold_training(topic="劳动合同法实务", attendees=35)
    with on("2021-06-01"):
        case.log_visit(visitor="王五", method="on_site", findings="规章制度未经民主程序", follow_up="召开职代会")
    with on("2021-12-01"):
        case.assess(passed=False, employment_management=True, democratic_consultation=False, harmony_culture=True,
                    assessor="市三方办")
    assert case.passed is False
    with on("2022-06-01"):
        case.set_plan(plan="完善职代会制度")
        case.assess(passed=True, **ALL_MET, assessor="市三方办", note="复评达标")
    assert case.passed is True and case.assessed_on == "2022-06-01"
    assert len(case.assessments) == 2
    assert case.cultivation_plan["revision"] == 1 and case.cultivation_plan["plan"] == "完善职代会制度"
    assert case.plan == "P03"  # the plan code is not overwritten by the cultivation plan
    assert case.first_visit_on == "2021-06-01"
    assert case.trainings == [{"on": "2021-05-12", "topic": "劳动合同法实务", "attendees": 35}]


def test_assessment_needs_a_plan():
    case = enrol()
    with pytest.raises(DomainError) as refused, on("2021-12-01"):
        case.assess(passed=False, **ALL_MET, assessor="市三方办")
    assert refused.value.rule == "no_cultivation_plan" and refused.value.field == "data"


def test_passing_needs_all_three_criteria():
    case = enrol()
    with on("2021-04-01"):
        case.set_plan(plan="规范劳动合同管理")
    with pytest.raises(DomainError) as refused, on("2021-12-01"):
        case.assess(passed=True, employment_management=True, democratic_consultation=True, harmony_culture=False,
                    assessor="市三方办")
    assert refused.value.rule == "passed_without_criteria" and refused.value.field == "data.passed"
    assert "和谐共赢理念融入企业文化" in refused.value.message
    assert case.assessments == []


def test_nothing_is_dated_before_the_enrolment():
    case = enrol()
    with pytest.raises(DomainError) as refused, on("2021-01-01"):
        case.log_visit(visitor="王五", method="phone", findings="回访")
    assert refused.value.field == "data.occurred_on"


def test_one_case_per_enterprise():
    assert enrol().id == enrol().id == Cultivation.create_id(ENTERPRISE)


# -- schemas ---------------------------------------------------------------


def test_enrolment_schema():
    valid = {"unit": "岳阳楼区", "enterprise_id": ENTERPRISE, "service_unit": "岳阳楼区劳动关系协调员工作站",
             "year": 2021, "occurred_on": "2021-03-02"}
    assert problems("CultivationEnrolled", valid) == []
    assert [p["field"] for p in problems("CultivationEnrolled", {**valid, "enterprise_id": "x"})] == [
        "data.enterprise_id"
    ]


def test_plan_schema():
    assert problems("CultivationPlanSet", {"plan": "规范劳动合同管理", "focus": "民主协商"}) == []
    assert [p["field"] for p in problems("CultivationPlanSet", {"focus": "民主协商"})] == ["data.plan"]


def test_training_schema():
    assert problems("CultivationTrainingHeld", {"topic": "劳动合同法实务", "attendees": 35}) == []
    bad = problems("CultivationTrainingHeld", {"topic": "劳动合同法实务", "attendees": -1})
    assert [p["field"] for p in bad] == ["data.attendees"]


def test_visit_schema_is_the_shared_one():
    assert problems("GuidanceVisitLogged", {"visitor": "王五", "method": "on_site", "findings": "规章制度"}) == []
    bad = problems("GuidanceVisitLogged", {"visitor": "王五", "method": "letter", "findings": "规章制度"})
    assert [p["field"] for p in bad] == ["data.method"]


def test_assessment_schema():
    valid = {"passed": True, **ALL_MET, "assessor": "市三方办", "note": "达标"}
    assert problems("CultivationAssessed", valid) == []
    assert [p["field"] for p in problems("CultivationAssessed", {**valid, "harmony_culture": "yes"})] == [
        "data.harmony_culture"
    ]
