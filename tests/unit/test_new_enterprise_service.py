"""P06: the story of a new enterprise's employment guidance, told in memory."""

import pytest
from hexie.domain.case import DomainError
from hexie.domain.enterprise import Enterprise
from hexie.domain.new_enterprise_service import NewEnterpriseService
from hexie.schemas import problems

from tests import samples
from tests.unit.stories import on

ENTERPRISE = "0b3e7c1e-3f4e-4a55-8a57-555555555555"


def serve() -> NewEnterpriseService:
    with on("2021-05-06"):
        return NewEnterpriseService(unit="汨罗市", enterprise_id=ENTERPRISE, method="online_push",
                                    content="推送《新注册企业用工指导手册》电子版")


def test_served_then_followed_up():
    case = serve()
    with on("2021-07-01"):
        case.follow_up(method="training", content="政策培训班：劳动合同订立")
    with on("2021-09-01"):
        case.follow_up(method="online_push", content="社保登记提醒")
    assert case.first_served_on == "2021-05-06" and case.method == "online_push"
    assert case.methods == ["online_push", "training"]
    assert len(case.services) == 3
    assert [type(e).__name__ for e in case.collect_events()] == [
        "NewEnterpriseServiceProvided", "NewEnterpriseServiceFollowedUp", "NewEnterpriseServiceFollowedUp",
    ]


def test_only_a_newly_registered_enterprise_is_served():
    with on("2021-03-01"):
        new = Enterprise(**samples.enterprise(1, newly_registered=True, registration_date="2021-02-20"))
        old = Enterprise(**samples.enterprise(2))
    NewEnterpriseService.check_enterprise(new.state())
    with pytest.raises(DomainError) as refused:
        NewEnterpriseService.check_enterprise(old.state())
    assert refused.value.rule == "not_newly_registered" and refused.value.field == "data.enterprise_id"


def test_nothing_is_dated_before_the_first_service():
    case = serve()
    with pytest.raises(DomainError) as refused, on("2021-05-01"):
        case.follow_up(method="on_site", content="实地指导")
    assert refused.value.field == "data.occurred_on"


def test_one_case_per_enterprise():
    assert serve().id == serve().id == NewEnterpriseService.create_id(ENTERPRISE)


# -- schemas ---------------------------------------------------------------


def test_service_schema():
    valid = {"unit": "汨罗市", "enterprise_id": ENTERPRISE, "method": "purchased_service", "content": "购买服务上门指导",
             "occurred_on": "2021-05-06"}
    assert problems("NewEnterpriseServiceProvided", valid) == []
    assert [p["field"] for p in problems("NewEnterpriseServiceProvided", {**valid, "unit": "岳阳市"})] == ["data.unit"]


def test_follow_up_schema():
    assert problems("NewEnterpriseServiceFollowedUp", {"method": "handbook", "content": "发放口袋书"}) == []
    bad = problems("NewEnterpriseServiceFollowedUp", {"method": "handbook", "content": "发放口袋书", "extra": 1})
    assert [p["field"] for p in bad] == ["data.extra"]
