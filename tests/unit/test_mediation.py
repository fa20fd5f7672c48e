"""P08: the stories of a mediation body and of a mediator, told in memory."""

import inspect

import pytest
from hexie.domain.case import DomainError
from hexie.domain.mediation import MediationBody, Mediator
from hexie.schemas import event_schemas, problems

from tests.samples import id_number
from tests.samples import uscc
from tests.unit.stories import on, replayed

BODY = {
    "unit": "临湘市", "township": "长安街道", "name": "临湘市长安街道劳动人事争议调解中心",
    "nature": "township_street_center", "address": "临湘市长安街道长安东路18号", "established_on": "2019-09-01",
    "head": "陈建国", "mediator_count": 5, "contact_name": "吴丽", "contact_phone": "0730-3721234",
}


def mediator(n: int = 7, **changes) -> dict:
    data = {
        "unit": "临湘市", "mediation_body_id": "0b3e7c1e-3f4e-4a55-8a57-222222222222", "name": "何志强",
        "gender": "male", "ethnicity": "15", "id_number": id_number(n, born="19760203"),
        "employer": "临湘市长安街道办事处", "position": "调解员", "education": "junior_college",
        "appointed_on": "2018-04-01", "phone": "15973098765",
    }
    data.update(changes)
    return data


GOOD_ID = id_number(7, born="19760203")
WRONG_CHECK_DIGIT = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")


def register_body(**changes) -> MediationBody:
    with on("2021-02-20"):
        return MediationBody(**{**BODY, **changes})


def test_a_mediation_body_is_selected_gold_once():
    body = register_body()
    with on("2021-12-15"):
        body.select_gold(year=2021, citation="全年受理劳动争议案件126件，调解成功率85%")
    assert body.gold == {"year": 2021, "citation": "全年受理劳动争议案件126件，调解成功率85%", "selected_on": "2021-12-15"}
    with pytest.raises(DomainError) as refused, on("2022-12-15"):
        body.select_gold(year=2022, citation="再次选树")
    assert refused.value.rule == "already_selected" and refused.value.field == "data"
    assert replayed(body).state() == body.state()


def test_a_body_cannot_be_selected_before_it_was_established():
    body = register_body(established_on="2021-06-01", name="临湘市工业园区劳动人事争议调解委员会", nature="regional")
    with pytest.raises(DomainError) as refused, on("2021-05-31"):
        body.select_gold(year=2021, citation="筹建中")
    assert refused.value.rule == "not_yet_established" and refused.value.field == "data.occurred_on"
    with on("2021-06-01"):
        body.select_gold(year=2021, citation="成立当日选树")
    assert body.gold["selected_on"] == "2021-06-01"


def test_a_mediator_is_registered_and_deregistered():
    with on("2021-03-01"):
        m = Mediator(**mediator())
    assert m.mediation_body_id == "0b3e7c1e-3f4e-4a55-8a57-222222222222" and m.appointed_on == "2018-04-01"
    with on("2022-08-31"):
        m.deregister(reason="调离")
    assert m.closed and m.closed_on == "2022-08-31"
    with pytest.raises(DomainError) as refused, on("2022-09-01"):
        m.deregister(reason="再次注销")
    assert refused.value.rule == "case_closed"
    assert [type(e).__name__ for e in m.collect_events()] == ["MediatorRegistered", "MediatorDeregistered"]


def test_a_mediator_need_not_name_a_body():
    data = mediator()
    del data["mediation_body_id"]
    with on("2021-03-01"):
        m = Mediator(**data)
    assert m.mediation_body_id is None
    assert replayed(m).state() == m.state()


def test_a_mediator_with_a_bad_id_number_is_refused_without_being_echoed():
    bad = WRONG_CHECK_DIGIT
    with pytest.raises(DomainError) as refused, on("2021-03-01"):
        Mediator(**mediator(id_number=bad))
    assert refused.value.rule == "invalid_id_number" and refused.value.field == "data.id_number"
    assert bad not in str(refused.value)


def test_a_body_is_one_case_per_credit_code_or_unit_and_name_a_person_keeps_a_random_id():
    assert register_body().id == register_body(name=" " + BODY["name"].replace("中心", "中 心")).id  # spaced, same body
    assert register_body().id != register_body(unit="君山区").id
    coded = register_body(uscc=uscc(31))
    assert coded.id == register_body(uscc=uscc(31), name="另一个名称").id != register_body().id
    with on("2021-03-01"):  # a person is found by a keyed hash outside the log, never by an id derived from them
        assert Mediator(**mediator()).id != Mediator(**mediator()).id


# -- schemas ----------------------------------------------------------------

VALID = {
    "MediationBodyRegistered": BODY,
    "GoldMediationBodySelected": {"year": 2021, "citation": "典型经验"},
    "MediatorRegistered": mediator(),
    "MediatorDeregistered": {"reason": "调离"},
}
BAD = [
    ("MediationBodyRegistered", {**BODY, "nature": "court"}, "data.nature"),
    ("MediationBodyRegistered", {**BODY, "established_on": "2019/09/01"}, "data.established_on"),
    ("MediationBodyRegistered", {**BODY, "mediator_count": -1}, "data.mediator_count"),
    ("MediationBodyRegistered", {**BODY, "contact_phone": "phone"}, "data.contact_phone"),
    ("MediationBodyRegistered", {k: v for k, v in BODY.items() if k != "township"}, "data.township"),
    ("MediationBodyRegistered", {**BODY, "unit": "长沙市"}, "data.unit"),
    ("GoldMediationBodySelected", {"year": 2031, "citation": "典型经验"}, "data.year"),
    ("MediatorRegistered", mediator(id_number=WRONG_CHECK_DIGIT), "data.id_number"),
    ("MediatorRegistered", mediator(mediation_body_id="body-1"), "data.mediation_body_id"),
    ("MediatorRegistered", mediator(education="primary"), "data.education"),
    ("MediatorRegistered", mediator(ethnicity="57"), "data.ethnicity"),
    ("MediatorDeregistered", {}, "data.reason"),
]


@pytest.mark.parametrize("event_type", VALID)
def test_valid_data_passes_its_schema(event_type):
    assert problems(event_type, VALID[event_type]) == []


@pytest.mark.parametrize("event_type, data, field", BAD)
def test_bad_data_names_its_field(event_type, data, field):
    assert field in [p["field"] for p in problems(event_type, data)]


@pytest.mark.parametrize("cls", [MediationBody, Mediator])
def test_command_parameters_are_the_schema(cls):
    for event_type, method in {cls.created_event: "__init__", **cls.commands}.items():
        func = getattr(vars(cls)[method], "decorated_func", vars(cls)[method])
        params = [p for p in inspect.signature(func).parameters.values() if p.name != "self"]
        schema = event_schemas()[event_type]
        assert {p.name for p in params} == set(schema["properties"]) - {"occurred_on"}, event_type
        assert {p.name for p in params if p.default is p.empty} == set(schema["required"]), event_type
