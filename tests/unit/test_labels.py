"""The Chinese labels of event types, fields and value lists: all in the schemas, read back by one API."""

import re
from typing import Any, Iterator

import pytest

from hexie.domain.vocabulary import ENUMS
from hexie.schemas import event_label, event_schemas, field_choices, field_label, problems, value_label

CJK = re.compile(r"[\u3400-\u9fff]")
CONDITIONS = ("if", "then", "else", "not")  # subschemas that test values, not fields


def fields(node: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(dotted path, schema) of every field, nested ones and array items' fields included."""
    for name, prop in node.get("properties", {}).items():
        yield prefix + name, prop
        yield from fields(prop, f"{prefix}{name}.")
        if isinstance(prop.get("items"), dict):
            yield from fields(prop["items"], f"{prefix}{name}.")


def value_lists(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema node that enumerates values (`oneOf` of consts, `enum`), with where it is."""
    if isinstance(node, dict):
        if "oneOf" in node or "enum" in node:
            yield where, node
        for key, value in node.items():
            if key not in CONDITIONS:
                yield from value_lists(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from value_lists(value, f"{where}/{i}")


def test_every_event_type_field_and_value_has_a_chinese_label():
    missing = []
    for name, schema in event_schemas().items():
        if schema.get("x-event-type") != name or not CJK.search(schema.get("title", "")):
            missing.append(f"{name}: event type")
        for path, prop in fields(schema):
            if not CJK.search(prop.get("title", "")):
                missing.append(f"{name}.{path}")
        for where, node in value_lists(schema):
            if "oneOf" in node:
                for option in node["oneOf"]:
                    if "const" not in option or not CJK.search(option.get("title", "")):
                        missing.append(f"{name}{where}: {option}")
            elif "$ref" not in node:  # a bare enum has no labels; an enum beside a $ref only narrows a list
                missing.append(f"{name}{where}: enum {node['enum']} without labels")
    assert not missing, "without a Chinese label:\n" + "\n".join(missing)


def test_the_value_lists_are_the_vocabularys():
    for name, codes in ENUMS.items():
        assert {code: value_label(name, code) for code in codes} == codes, name


@pytest.mark.parametrize("call,expected", [
    (lambda: event_label("GuidanceVisitLogged"), "跟踪指导"),
    (lambda: event_label("EnterpriseEnrolled"), "企业入库"),
    (lambda: event_label("KeyEmployerDesignated"), "列为重点企业"),
    (lambda: event_label("ArrearsCaseAssigned"), "欠薪案件交办"),
    (lambda: field_label("CoordinatorRegistered", "id_number"), "身份证号码"),
    (lambda: field_label("CoordinatorRegistered", "appointed_on"), "任职协调员时间"),  # Annex 3's header
    (lambda: field_label("MediatorRegistered", "phone"), "联系电话"),  # Annex 5 says 联系电话, Annex 3 联系方式
    (lambda: field_label("MediationBodyRegistered", "nature"), "调解组织性质"),
    (lambda: field_label("LayoffPlanReported", "planned_layoffs"), "本年度计划裁员人数"),  # Annex 8
    (lambda: field_label("GuidanceVisitLogged", "visitor"), "走访人"),
    (lambda: field_label("GuidanceVisitLogged", "method"), "指导方式"),
    (lambda: field_label("GuidanceVisitLogged", "findings"), "发现的问题"),
    (lambda: field_label("GuidanceVisitLogged", "occurred_on"), "业务日期"),
    (lambda: field_label("ForumHeld", "appeals.category"), "诉求类别"),
    (lambda: field_label("ForumHeld", "data.appeals.0.category"), "诉求类别"),  # a problem's field, as it is
    (lambda: field_label("TargetAssigned", "per_year.2022"), "2022年目标"),
    (lambda: value_label("visit_method", "on_site"), "实地指导"),
    (lambda: value_label("GuidanceVisitLogged.method", "phone"), "电话"),
    (lambda: value_label("ethnicity", "15"), "土家族"),
    (lambda: value_label("compensation_standard", "n_plus_1"), "N+1（含代通知金）"),
    (lambda: value_label("arrears_channel", "hotline_12345"), "12345政务服务便民热线"),
    (lambda: value_label("appeal_category", "children_schooling"), "子女入学"),
    (lambda: value_label("MeasureDefined.cadence", "yearly"), "每年开展"),
    (lambda: field_choices("NewEnterpriseServiceProvided", "method"),
     [("online_push", "线上推送"), ("handbook", "用工指导手册/口袋书"), ("training", "政策培训班"),
      ("on_site", "实地指导"), ("purchased_service", "购买社会服务")]),
    (lambda: field_choices("BargainingModelRecommended", "to"), [("provincial", "湖南省"), ("national", "国家")]),
    (lambda: field_choices("MeasureDefined", "responsible_units")[:2], [("岳阳楼区", "岳阳楼区"), ("君山区", "君山区")]),
])
def test_the_labels_a_clerk_expects(call, expected):
    assert call() == expected


def test_unknown_names_and_codes_are_refused():
    with pytest.raises(KeyError):
        event_label("GuidanceVisited")
    with pytest.raises(KeyError):
        field_label("GuidanceVisitLogged", "visitors")
    with pytest.raises(KeyError):
        value_label("visit_method", "by_pigeon")
    with pytest.raises(KeyError):
        value_label("visit_methods", "on_site")
    with pytest.raises(ValueError):
        field_choices("GuidanceVisitLogged", "visitor")


def test_a_bad_code_names_the_field_and_lists_the_codes_with_their_labels():
    [error] = problems("GuidanceVisitLogged", {"visitor": "李四", "method": "by_pigeon", "findings": "无"})
    assert error["field"] == "data.method"
    assert error["message"].startswith("'by_pigeon' is not one of ['on_site', 'phone', 'online', 'meeting', 'training']")
    assert "on_site 实地指导" in error["message"] and "training 培训" in error["message"]
    [error] = problems("BargainingModelRecommended", {"to": "city"})  # narrowed by the schema: city is not offered
    assert error["field"] == "data.to" and "['provincial', 'national']" in error["message"] and "city" not in error["message"][6:]


def test_the_openapi_components_carry_the_labels():
    from hexie.http.openapi import vocabulary

    components = vocabulary()
    assert components["GuidanceVisitLogged"]["title"] == "跟踪指导"
    assert components["GuidanceVisitLogged"]["x-event-type"] == "GuidanceVisitLogged"
    assert components["GuidanceVisitLogged"]["properties"]["visitor"]["title"] == "走访人"
    assert {"const": "on_site", "title": "实地指导"} in components["visit_method"]["oneOf"]
