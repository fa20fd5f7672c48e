"""A small programme touching every plan, for read-side tests (the demo is the big one)."""

from __future__ import annotations

from hexie.domain.application import Hexie
from hexie.domain.case import Context
from hexie.scripts.programme import measure_commands, target_commands
from tests import samples

# DESIGN 1, written out again independently of the projection (domain/kinds.py COUNTING):
# (kind, event type) -> plan; the tests compare the matrix with a count made by this table.
COUNTED_BY = {
    ("bargaining_model", "BargainingModelSelected"): "P01", ("key_employer", "GuidanceVisitLogged"): "P02",
    ("cultivation", "CultivationEnrolled"): "P03", ("cooperation_unit", "PlaqueAwarded"): "P04",
    ("wage_guidance", "WageGuidanceProvided"): "P05", ("new_enterprise_service", "NewEnterpriseServiceProvided"): "P06",
    ("coordinator", "GoldCoordinatorSelected"): "P07", ("mediation_body", "GoldMediationBodySelected"): "P08",
    ("social_organisation", "GoldSocialOrganisationSelected"): "P09", ("arrears_case", "TypicalCasePublished"): "P10",
}

OFFICER = Context(actor="officer-test")


def record_programme(hexie: Hexie) -> None:
    for command in target_commands() + measure_commands():
        hexie.open_case(command["type"], command["data"], OFFICER)


def small_programme(hexie: Hexie) -> dict[str, str]:
    """Cases across plans and years; returns a few ids the tests look at."""
    o, a = hexie.open_case, hexie.append
    ids: dict[str, str] = {}
    for n, unit in enumerate(["岳阳楼区", "君山区", "华容县"]):
        e = o("EnterpriseEnrolled", samples.enterprise(100 + n, unit=unit, newly_registered=True, occurred_on="2021-01-10"), OFFICER).case_id
        ke = o("KeyEmployerDesignated", {"unit": unit, "enterprise_id": str(e), "reason": "large_employer",
                                          "headcount_last_year_end": 300, "headcount_now": 280, "occurred_on": "2021-02-01"}, OFFICER).case_id
        a(ke, "GuidanceVisitLogged", {"visitor": "李", "method": "on_site", "findings": "稳定", "occurred_on": f"202{1 + n}-03-01"}, OFFICER)
        a(ke, "GuidanceVisitLogged", {"visitor": "李", "method": "phone", "findings": "回访", "occurred_on": "2023-05-01"}, OFFICER)
        cu = o("CultivationEnrolled", {"unit": unit, "enterprise_id": str(e), "service_unit": "市企联", "year": 2021,
                                       "occurred_on": "2021-04-01"}, OFFICER).case_id
        a(cu, "CultivationPlanSet", {"plan": "规范用工", "occurred_on": "2021-05-01"}, OFFICER)
        a(cu, "CultivationAssessed", {"passed": n != 1, "employment_management": True, "democratic_consultation": n != 1,
                                      "harmony_culture": True, "assessor": "王", "occurred_on": "2022-11-01"}, OFFICER)
        o("NewEnterpriseServiceProvided", {"unit": unit, "enterprise_id": str(e), "method": "on_site", "content": "用工指导",
                                           "occurred_on": "2020-11-15"}, OFFICER)
        ids[f"key_employer:{unit}"] = str(ke)
    arrears = o("ArrearsClueReceived", {"unit": "君山区", "channel": "hotline_12345", "employer_name": "某建筑公司",
                                       "amount_owed": "50000", "workers_affected": 8, "description": "拖欠工资",
                                       "occurred_on": "2022-06-01"}, OFFICER).case_id
    a(arrears, "ArrearsCaseAssigned", {"to_unit": "君山区", "deadline": "2022-06-10", "occurred_on": "2022-06-02"}, OFFICER)
    a(arrears, "WagesRecovered", {"amount": "50000", "workers": 8, "occurred_on": "2022-06-08"}, OFFICER)
    a(arrears, "ArrearsCaseClosed", {"outcome": "wages_recovered", "occurred_on": "2022-06-09"}, OFFICER)
    a(arrears, "TypicalCasePublished", {"title": "君山区欠薪案", "summary": "追回", "occurred_on": "2022-07-01"}, OFFICER)
    ids["open_arrears"] = str(o("ArrearsClueReceived", {"unit": "君山区", "channel": "media", "employer_name": "某餐饮店", "amount_owed": "8000",
                              "workers_affected": 2, "description": "未发工资", "occurred_on": "2023-03-01"}, OFFICER).case_id)
    co = o("CoordinatorRegistered", {"unit": "市总工会", "name": "赵敏", "gender": "female", "ethnicity": "15",
                                     "id_number": samples.id_number(7), "employer": "岳阳纸业", "position": "人事主管",
                                     "education": "bachelor", "appointed_on": "2019-05-01", "phone": "13973012345",
                                     "occurred_on": "2021-03-01"}, OFFICER).case_id
    a(co, "CoordinatorCertified", {"level": "level_3", "certificate_type": "skill_level_certificate",
                                   "certificate_no": "S2021-001", "occurred_on": "2021-06-01"}, OFFICER)
    a(co, "GoldCoordinatorSelected", {"year": 2021, "citation": "化解纠纷", "occurred_on": "2021-12-01"}, OFFICER)
    ids["arrears"] = str(arrears)
    ids["coordinator"] = str(co)
    return ids
