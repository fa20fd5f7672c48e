"""P07: the story of a labour-relations coordinator, told in memory."""

import inspect

import pytest
from hexie.domain.case import DomainError
from hexie.domain.coordinator import Coordinator
from hexie.schemas import event_schemas, problems

from tests.samples import id_number
from tests.unit.stories import on, replayed


def registered(n: int = 1, **changes) -> dict:
    data = {
        "unit": "岳阳县", "name": "刘晓红", "gender": "female", "ethnicity": "01", "id_number": id_number(n),
        "employer": "岳阳县荣家湾镇人力资源和社会保障服务站", "position": "劳动关系专干", "education": "bachelor",
        "appointed_on": "2019-07-01", "phone": "13873012345",
    }
    data.update(changes)
    return data


def register(**changes) -> Coordinator:
    with on("2021-03-01"):
        return Coordinator(**registered(**changes))


def test_a_certified_coordinator_is_selected_gold_once():
    c = register()
    assert c.full_time_bargaining_instructor is False
    with on("2021-05-20"):
        c.certify(level="level_4", certificate_type="skill_level_certificate", certificate_no="S000043060021000123")
    with on("2022-05-20"):
        c.certify(level="level_3", certificate_type="skill_level_certificate", certificate_no="S000043060022000456")
    assert (c.level, c.certificate_no, c.certified_on) == ("level_3", "S000043060022000456", "2022-05-20")
    assert [x["level"] for x in c.certificates] == ["level_4", "level_3"]

    with on("2022-11-30"):
        c.select_gold(year=2022, citation="年内调处劳动纠纷37起，推动12家企业建立工资集体协商制度")
    assert c.gold == {"year": 2022, "citation": "年内调处劳动纠纷37起，推动12家企业建立工资集体协商制度",
                      "selected_on": "2022-11-30"}
    with pytest.raises(DomainError) as refused, on("2023-11-30"):
        c.select_gold(year=2023, citation="再次选树")
    assert refused.value.rule == "already_selected" and refused.value.field == "data"
    assert replayed(c).state() == c.state()


def test_an_uncertified_coordinator_is_not_in_the_gold_pool():
    c = register()
    with pytest.raises(DomainError) as refused, on("2021-11-30"):
        c.select_gold(year=2021, citation="表现突出")
    assert refused.value.rule == "not_certified" and refused.value.field == "data"


def test_a_full_time_bargaining_instructor_needs_no_certificate():
    c = register(full_time_bargaining_instructor=True, employer="岳阳县总工会", position="专职集体协商指导员")
    with on("2021-11-30"):
        c.select_gold(year=2021, citation="指导28家企业开展工资集体协商")
    assert c.gold["year"] == 2021


def test_no_certificate_is_no_certification():
    c = register()
    with pytest.raises(DomainError) as refused, on("2021-05-20"):
        c.certify(level="level_4", certificate_type="none", certificate_no="无")
    assert refused.value.rule == "no_certificate" and refused.value.field == "data.certificate_type"
    assert c.certified_on is None


def test_details_are_amended_only_when_something_changes():
    c = register()
    with on("2022-02-01"):
        c.amend_details(employer="岳阳县人力资源和社会保障局", phone="13873012345")
    assert c.employer == "岳阳县人力资源和社会保障局" and c.position == "劳动关系专干"
    with pytest.raises(DomainError) as refused, on("2022-02-02"):
        c.amend_details(employer="岳阳县人力资源和社会保障局", phone="13873012345")
    assert refused.value.rule == "nothing_to_amend" and refused.value.field == "data"


def test_a_bad_id_number_is_refused_without_being_echoed():
    bad = id_number(1)[:-1] + ("0" if id_number(1)[-1] != "0" else "1")
    with pytest.raises(DomainError) as refused, on("2021-03-01"):
        Coordinator(**registered(id_number=bad))
    assert refused.value.rule == "invalid_id_number" and refused.value.field == "data.id_number"
    assert bad not in str(refused.value) and bad not in refused.value.message


def test_ids_are_random_not_derived_from_the_person():
    assert register().id != register().id


# -- schemas ----------------------------------------------------------------

VALID = {
    "CoordinatorRegistered": registered(),
    "CoordinatorCertified": {"level": "level_4", "certificate_type": "skill_level_certificate", "certificate_no": "S0001"},
    "GoldCoordinatorSelected": {"year": 2022, "citation": "先进事迹"},
    "CoordinatorDetailsAmended": {"position": "副站长"},
}
WRONG_CHECK_DIGIT = id_number(1)[:-1] + ("0" if id_number(1)[-1] != "0" else "1")
BAD = [
    ("CoordinatorRegistered", registered(id_number=WRONG_CHECK_DIGIT), "data.id_number"),
    ("CoordinatorRegistered", registered(gender="unknown"), "data.gender"),
    ("CoordinatorRegistered", registered(ethnicity="汉族"), "data.ethnicity"),
    ("CoordinatorRegistered", registered(education="doctorate"), "data.education"),
    ("CoordinatorRegistered", registered(appointed_on="2019-13-01"), "data.appointed_on"),
    ("CoordinatorRegistered", registered(phone="110"), "data.phone"),
    ("CoordinatorRegistered", registered(full_time_bargaining_instructor="yes"), "data.full_time_bargaining_instructor"),
    ("CoordinatorCertified", {"level": "level_5", "certificate_type": "none", "certificate_no": "S0001"}, "data.level"),
    ("CoordinatorCertified", {"level": "level_4", "certificate_type": "diploma", "certificate_no": "S0001"},
     "data.certificate_type"),
    ("GoldCoordinatorSelected", {"year": 2022}, "data.citation"),
    ("CoordinatorDetailsAmended", {}, "data"),
    ("CoordinatorDetailsAmended", {"id_number": id_number(2)}, "data.id_number"),
]


@pytest.mark.parametrize("event_type", VALID)
def test_valid_data_passes_its_schema(event_type):
    assert problems(event_type, VALID[event_type]) == []


@pytest.mark.parametrize("event_type, data, field", BAD)
def test_bad_data_names_its_field(event_type, data, field):
    assert field in [p["field"] for p in problems(event_type, data)]


def test_schema_problems_never_echo_personal_data():
    data = registered(id_number=WRONG_CHECK_DIGIT, phone="12345")
    text = str(problems("CoordinatorRegistered", data))
    assert WRONG_CHECK_DIGIT not in text and "12345" not in text


def test_command_parameters_are_the_schema():
    cls = Coordinator
    for event_type, method in {cls.created_event: "__init__", **cls.commands}.items():
        func = getattr(vars(cls)[method], "decorated_func", vars(cls)[method])
        params = [p for p in inspect.signature(func).parameters.values() if p.name != "self"]
        schema = event_schemas()[event_type]
        assert {p.name for p in params} == set(schema["properties"]) - {"occurred_on"}, event_type
        assert {p.name for p in params if p.default is p.empty} == set(schema["required"]), event_type
