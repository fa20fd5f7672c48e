"""P01: the story of a wage-bargaining model, told in memory."""

import pytest
from hexie.domain.bargaining import BargainingModel
from hexie.domain.case import DomainError
from hexie.schemas import problems

from tests.unit.stories import on

ENTERPRISE = "0b3e7c1e-3f4e-4a55-8a57-222222222222"


def nominate(**changes) -> BargainingModel:
    data = {"unit": "岳阳楼区", "scope": "enterprise", "year": 2021, "name": "岳阳测试企业1有限公司",
            "enterprise_id": ENTERPRISE, "industry": "C"}
    data.update(changes)
    with on(f"{data['year']}-03-02"):  # nominated in the year it names
        return BargainingModel(**data)


def evaluate(model: BargainingModel, date: str = "2021-05-10") -> None:
    with on(date):
        model.evaluate(awareness_rate=92.5, satisfaction_rate=88, compliance_rate=95,
                       basis="职工问卷 120 份，抽样 30%")


def test_an_evaluated_nominee_is_selected_and_recommended_up_the_ladder():
    model = nominate()
    evaluate(model)
    evaluate(model, "2021-06-01")
    with on("2021-10-08"):
        model.select(level="city", year=2021)
    with on("2022-03-01"):
        model.recommend(to="provincial")
    with on("2023-03-01"):
        model.recommend(to="national")
    assert model.selected == {"level": "city", "year": 2021, "on": "2021-10-08"}
    assert model.selected_on == "2021-10-08"
    assert len(model.evaluations) == 2 and model.evaluation["on"] == "2021-06-01"
    assert [r["to"] for r in model.recommendations] == ["provincial", "national"]
    assert [type(e).__name__ for e in model.collect_events()] == [
        "BargainingModelNominated", "BargainingModelEvaluated", "BargainingModelEvaluated",
        "BargainingModelSelected", "BargainingModelRecommended", "BargainingModelRecommended",
    ]


def test_selection_needs_an_evaluation():
    model = nominate()
    with pytest.raises(DomainError) as refused, on("2021-10-08"):
        model.select(level="city", year=2021)
    assert refused.value.rule == "not_evaluated" and refused.value.field == "data"


def test_a_model_is_selected_once():
    model = nominate()
    evaluate(model)
    with on("2021-10-08"):
        model.select(level="city", year=2021)
    with pytest.raises(DomainError) as refused, on("2022-10-08"):
        model.select(level="city", year=2022)
    assert refused.value.rule == "already_selected" and refused.value.field == "data"


def test_only_city_level_is_selected_here():
    model = nominate()
    evaluate(model)
    with pytest.raises(DomainError) as refused, on("2021-10-08"):
        model.select(level="provincial", year=2021)
    assert refused.value.rule == "level_not_selectable" and refused.value.field == "data.level"


def test_selection_year_is_not_before_the_nomination_year():
    model = nominate(year=2022)
    evaluate(model, "2022-05-10")
    with pytest.raises(DomainError) as refused, on("2022-10-08"):
        model.select(level="city", year=2021)
    assert refused.value.rule == "selected_before_nominated" and refused.value.field == "data.year"


def test_recommendation_needs_a_selection():
    model = nominate()
    evaluate(model)
    with pytest.raises(DomainError) as refused, on("2021-10-08"):
        model.recommend(to="provincial")
    assert refused.value.rule == "not_selected" and refused.value.field == "data"


def test_national_only_after_provincial_and_never_twice():
    model = nominate()
    evaluate(model)
    with on("2021-10-08"):
        model.select(level="city", year=2021)
    with pytest.raises(DomainError) as refused, on("2021-11-01"):
        model.recommend(to="national")
    assert refused.value.rule == "national_before_provincial" and refused.value.field == "data.to"
    with on("2021-11-02"):
        model.recommend(to="provincial")
    with pytest.raises(DomainError) as refused, on("2021-11-03"):
        model.recommend(to="provincial")
    assert refused.value.rule == "already_recommended" and refused.value.field == "data.to"


def test_an_enterprise_nominee_names_its_enterprise_case():
    with pytest.raises(DomainError) as refused:
        nominate(enterprise_id=None)
    assert refused.value.rule == "enterprise_id_required" and refused.value.field == "data.enterprise_id"


def test_one_case_per_enterprise_else_per_unit_scope_and_name():
    assert nominate().id == nominate(name="改名后的企业", unit="君山区").id
    industry = nominate(scope="industry", name="岳阳楼区餐饮行业", enterprise_id=None, industry="H")
    assert industry.id == nominate(scope="industry", name="岳阳楼区餐饮行业", enterprise_id=None).id
    assert industry.id != nominate(scope="industry", name="岳阳楼区建筑行业", enterprise_id=None).id
    assert industry.id != nominate(scope="regional", name="岳阳楼区餐饮行业", enterprise_id=None).id
    assert industry.id == BargainingModel.create_id("岳阳楼区", "industry", "岳阳楼区餐饮行业")


def test_nothing_is_dated_before_the_nomination():
    model = nominate()
    with pytest.raises(DomainError) as refused, on("2021-01-01"):
        model.evaluate(awareness_rate=90, satisfaction_rate=90, compliance_rate=90, basis="问卷")
    assert refused.value.field == "data.occurred_on"


# -- schemas ---------------------------------------------------------------


def test_nomination_schema():
    valid = {"unit": "岳阳楼区", "scope": "enterprise", "year": 2021, "name": "岳阳测试企业1有限公司",
             "enterprise_id": ENTERPRISE, "industry": "C", "occurred_on": "2021-03-02"}
    assert problems("BargainingModelNominated", valid) == []
    industry = {"unit": "岳阳楼区", "scope": "industry", "year": 2021, "name": "岳阳楼区餐饮行业"}
    assert problems("BargainingModelNominated", industry) == []
    no_enterprise = {k: v for k, v in valid.items() if k != "enterprise_id"}
    assert [p["field"] for p in problems("BargainingModelNominated", no_enterprise)] == ["data.enterprise_id"]
    assert [p["field"] for p in problems("BargainingModelNominated", {**valid, "scope": "city"})] == ["data.scope"]


def test_evaluation_schema():
    valid = {"awareness_rate": 92.5, "satisfaction_rate": 88, "compliance_rate": 100, "basis": "职工问卷 120 份"}
    assert problems("BargainingModelEvaluated", valid) == []
    bad = problems("BargainingModelEvaluated", {**valid, "compliance_rate": 101})
    assert [p["field"] for p in bad] == ["data.compliance_rate"]


def test_selection_schema():
    assert problems("BargainingModelSelected", {"level": "city", "year": 2021}) == []
    bad = problems("BargainingModelSelected", {"level": "national", "year": 2021})
    assert [p["field"] for p in bad] == ["data.level"]


def test_recommendation_schema():
    assert problems("BargainingModelRecommended", {"to": "national"}) == []
    assert [p["field"] for p in problems("BargainingModelRecommended", {"to": "city"})] == ["data.to"]


def test_a_year_that_is_not_the_year_of_the_date_is_refused_unless_announced_early_next_year():
    with pytest.raises(DomainError) as refused, on("2021-03-02"):
        BargainingModel(unit="岳阳楼区", scope="enterprise", year=2022, name="某企业", enterprise_id=ENTERPRISE)
    assert refused.value.rule == "year_not_of_date" and "2022" in refused.value.message and "2021-03-02" in refused.value.message
    model = nominate()
    evaluate(model)
    with pytest.raises(DomainError) as refused, on("2022-05-01"):  # May is too late to announce last year's selection
        model.select(level="city", year=2021)
    assert refused.value.rule == "year_not_of_date"
    with on("2022-01-20"):  # announced in January for 2021: Annex 1 counts 2021
        model.select(level="city", year=2021)
    assert model.selected["year"] == 2021
