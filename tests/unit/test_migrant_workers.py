"""P04: the stories of a cooperation unit and of a migrant-worker forum, told in memory."""

import inspect

import pytest
from hexie.domain.case import DomainError
from hexie.domain.migrant_workers import CooperationUnit, Forum
from hexie.schemas import event_schemas, problems

from tests.unit.stories import on, replayed

SIGNED = {
    "unit": "汨罗市", "name": "汨罗市安心家政服务有限公司", "category": "intermediary",
    "address": "汨罗市归义镇人民路8号", "contact_name": "周敏", "contact_phone": "13907305566",
    "services": "免费职业介绍、家政技能培训、农民工子女暑期托管",
}
HELD = {
    "unit": "市总工会", "title": "2021年岳阳市农民工恳谈会", "venue": "岳阳市职工服务中心",
    "participants": 46,
    "appeals": [
        {"appeal_no": "2021-01", "text": "工地工资按年结算，希望按月发放", "category": "labour_remuneration"},
        {"appeal_no": "2021-02", "text": "希望子女能在务工地入学", "category": "children_schooling"},
        {"appeal_no": "2021-03", "text": "希望增加夜间技能培训班"},
    ],
}


def sign() -> CooperationUnit:
    with on("2021-03-15"):
        return CooperationUnit(**SIGNED)


def hold() -> Forum:
    with on("2021-05-01"):
        return Forum(**HELD)


def test_a_cooperation_unit_is_awarded_its_plaque_once():
    cu = sign()
    with on("2021-06-18"):
        cu.award_plaque(year=2021, plaque_no="XRXA-2021-007")
    assert cu.plaque == {"year": 2021, "plaque_no": "XRXA-2021-007", "awarded_on": "2021-06-18"}
    with pytest.raises(DomainError) as refused, on("2022-06-18"):
        cu.award_plaque(year=2022)
    assert refused.value.rule == "already_awarded" and refused.value.field == "data"
    assert replayed(cu).state() == cu.state()


def test_a_revoked_cooperation_unit_takes_no_more_events():
    cu = sign()
    with on("2021-12-01"):
        cu.revoke(reason="停止经营")
    assert cu.closed and cu.closed_on == "2021-12-01" and cu.revoked_reason == "停止经营"
    with pytest.raises(DomainError) as refused, on("2022-01-05"):
        cu.award_plaque(year=2022)
    assert refused.value.rule == "case_closed"
    assert [type(e).__name__ for e in cu.collect_events()] == ["CooperationUnitSigned", "CooperationUnitRevoked"]


def test_cooperation_units_get_random_ids():
    assert sign().id != sign().id


def test_forum_appeals_are_followed_until_each_is_resolved():
    forum = hold()
    assert forum.held_on == "2021-05-01"
    assert forum.open_appeals == ["2021-01", "2021-02", "2021-03"]
    assert forum.appeals["2021-03"]["category"] is None

    with on("2021-06-10"):
        forum.resolve_appeal(appeal_no="2021-02", resolution="协调教育局安排就近入学")
    assert forum.open_appeals == ["2021-01", "2021-03"]
    assert forum.appeals["2021-02"]["resolution"] == "协调教育局安排就近入学"
    assert forum.appeals["2021-02"]["resolved_on"] == "2021-06-10"

    with pytest.raises(DomainError) as refused, on("2021-06-11"):
        forum.resolve_appeal(appeal_no="2021-02", resolution="再次办结")
    assert refused.value.rule == "appeal_already_resolved" and refused.value.field == "data.appeal_no"
    with pytest.raises(DomainError) as refused, on("2021-06-11"):
        forum.resolve_appeal(appeal_no="2021-99", resolution="无此诉求")
    assert refused.value.rule == "unknown_appeal" and refused.value.field == "data.appeal_no"

    # Resolving an appeal never rewrites what the forum recorded.
    assert "resolution" not in forum.pending_events[0].appeals[1]
    assert replayed(forum).state() == forum.state()


def test_appeal_numbers_are_unique_within_a_forum():
    appeals = [{"appeal_no": "A1", "text": "欠薪"}, {"appeal_no": "A2", "text": "社保"}, {"appeal_no": "A1", "text": "重复"}]
    with pytest.raises(DomainError) as refused, on("2021-05-01"):
        Forum(**{**HELD, "appeals": appeals})
    assert refused.value.rule == "duplicate_appeal_no" and refused.value.field == "data.appeals.2.appeal_no"


def test_a_forum_may_collect_no_appeals():
    with on("2022-05-01"):
        forum = Forum(**{**HELD, "appeals": []})
    assert forum.appeals == {} and forum.open_appeals == []


def test_nothing_is_dated_before_the_forum():
    forum = hold()
    with pytest.raises(DomainError) as refused, on("2021-04-30"):
        forum.resolve_appeal(appeal_no="2021-01", resolution="提前办结")
    assert refused.value.field == "data.occurred_on"


# -- schemas ----------------------------------------------------------------

VALID = {
    "CooperationUnitSigned": SIGNED,
    "PlaqueAwarded": {"year": 2021, "plaque_no": "XRXA-2021-007"},
    "CooperationUnitRevoked": {"reason": "停止经营"},
    "ForumHeld": HELD,
    "AppealResolved": {"appeal_no": "2021-01", "resolution": "已按月发放"},
}
BAD = [
    ("CooperationUnitSigned", {**SIGNED, "category": "government"}, "data.category"),
    ("CooperationUnitSigned", {**SIGNED, "contact_phone": "12345"}, "data.contact_phone"),
    ("CooperationUnitSigned", {k: v for k, v in SIGNED.items() if k != "services"}, "data.services"),
    ("PlaqueAwarded", {"year": 2019}, "data.year"),
    ("CooperationUnitRevoked", {"reason": "  "}, "data.reason"),
    ("ForumHeld", {**HELD, "participants": 0}, "data.participants"),
    ("ForumHeld", {**HELD, "appeals": [{"appeal_no": "1", "text": "欠薪", "category": "weather"}]}, "data.appeals.0.category"),
    ("ForumHeld", {**HELD, "appeals": [{"appeal_no": "1"}]}, "data.appeals.0.text"),
    ("ForumHeld", {**HELD, "appeals": [{"appeal_no": str(i), "text": "诉求"} for i in range(501)]}, "data.appeals"),
    ("AppealResolved", {"appeal_no": "", "resolution": "已办结"}, "data.appeal_no"),
]


@pytest.mark.parametrize("event_type", VALID)
def test_valid_data_passes_its_schema(event_type):
    assert problems(event_type, VALID[event_type]) == []
    assert problems(event_type, {**VALID[event_type], "occurred_on": "2021-06-01"}) == []


@pytest.mark.parametrize("event_type, data, field", BAD)
def test_bad_data_names_its_field(event_type, data, field):
    assert field in [p["field"] for p in problems(event_type, data)]


@pytest.mark.parametrize("cls", [CooperationUnit, Forum])
def test_command_parameters_are_the_schema(cls):
    for event_type, method in {cls.created_event: "__init__", **cls.commands}.items():
        func = getattr(vars(cls)[method], "decorated_func", vars(cls)[method])
        params = [p for p in inspect.signature(func).parameters.values() if p.name != "self"]
        schema = event_schemas()[event_type]
        assert {p.name for p in params} == set(schema["properties"]) - {"occurred_on"}, event_type
        assert {p.name for p in params if p.default is p.empty} == set(schema["required"]), event_type
