"""P09: the story of a social organisation that helps coordinate labour relations, told in memory."""

import inspect

import pytest
from hexie.domain.case import DomainError
from hexie.domain.social_organisation import SocialOrganisation
from hexie.schemas import event_schemas, problems

from tests.samples import uscc
from tests.unit.stories import on, replayed

REGISTERED = {
    "unit": "经开区", "township": "康王乡", "name": "岳阳经开区劳动关系服务协会", "nature": "social_group",
    "address": "岳阳经济技术开发区康王工业园1栋", "established_on": "2020-10-08", "head": "黄志明",
    "coordinator_count": 8, "contact_name": "邓芳", "contact_phone": "0730-8881234",
}


def register(**changes) -> SocialOrganisation:
    with on("2021-02-25"):
        return SocialOrganisation(**{**REGISTERED, **changes})


def test_a_social_organisation_is_selected_gold_once():
    so = register()
    assert so.established_on == "2020-10-08" and so.coordinator_count == 8
    with on("2022-12-20"):
        so.select_gold(year=2022, citation="为园区小微企业提供劳动用工咨询300余次")
    assert so.gold == {"year": 2022, "citation": "为园区小微企业提供劳动用工咨询300余次", "selected_on": "2022-12-20"}
    with pytest.raises(DomainError) as refused, on("2023-12-20"):
        so.select_gold(year=2023, citation="再次选树")
    assert refused.value.rule == "already_selected" and refused.value.field == "data"
    assert replayed(so).state() == so.state()


def test_an_organisation_cannot_be_selected_before_it_was_established():
    so = register(established_on="2021-09-01")
    with pytest.raises(DomainError) as refused, on("2021-08-01"):
        so.select_gold(year=2021, citation="筹建中")
    assert refused.value.rule == "not_yet_established" and refused.value.field == "data.occurred_on"


def test_nothing_is_dated_before_the_registration():
    so = register()
    with pytest.raises(DomainError) as refused, on("2021-01-01"):
        so.select_gold(year=2021, citation="选树")
    assert refused.value.rule == "occurred_before_case_opened"


def test_one_case_per_credit_code_or_unit_and_name():
    assert register().id == register().id  # registering the same organisation again is the same case: a 409
    assert register().id != register(unit="华容县").id
    assert register(uscc=uscc(41)).id == register(uscc=uscc(41), name="改名后的协会").id


# -- schemas ----------------------------------------------------------------

VALID = {
    "SocialOrganisationRegistered": REGISTERED,
    "GoldSocialOrganisationSelected": {"year": 2022, "citation": "典型经验"},
}
BAD = [
    ("SocialOrganisationRegistered", {**REGISTERED, "nature": "company"}, "data.nature"),
    ("SocialOrganisationRegistered", {**REGISTERED, "coordinator_count": 2.5}, "data.coordinator_count"),
    ("SocialOrganisationRegistered", {**REGISTERED, "established_on": "2020-02-30"}, "data.established_on"),
    ("SocialOrganisationRegistered", {**REGISTERED, "contact_phone": "0730"}, "data.contact_phone"),
    ("SocialOrganisationRegistered", {**REGISTERED, "head": ""}, "data.head"),
    ("SocialOrganisationRegistered", {**REGISTERED, "mediator_count": 3}, "data.mediator_count"),
    ("GoldSocialOrganisationSelected", {"year": "2022", "citation": "典型经验"}, "data.year"),
    ("GoldSocialOrganisationSelected", {"year": 2022}, "data.citation"),
]


@pytest.mark.parametrize("event_type", VALID)
def test_valid_data_passes_its_schema(event_type):
    assert problems(event_type, VALID[event_type]) == []


@pytest.mark.parametrize("event_type, data, field", BAD)
def test_bad_data_names_its_field(event_type, data, field):
    assert field in [p["field"] for p in problems(event_type, data)]


def test_command_parameters_are_the_schema():
    cls = SocialOrganisation
    for event_type, method in {cls.created_event: "__init__", **cls.commands}.items():
        func = getattr(vars(cls)[method], "decorated_func", vars(cls)[method])
        params = [p for p in inspect.signature(func).parameters.values() if p.name != "self"]
        schema = event_schemas()[event_type]
        assert {p.name for p in params} == set(schema["properties"]) - {"occurred_on"}, event_type
        assert {p.name for p in params if p.default is p.empty} == set(schema["required"]), event_type
