"""Issue 12 over HTTP, on each backend: the figures a bureau acts on are faithful to the seed and the law."""

from __future__ import annotations

from hexie.scripts.programme import measure_commands
from tests import samples
from tests.e2e.test_http import assert_problem, post


def created(client, body) -> dict:
    r = post(client, "/v1/cases", body)
    assert r.status == 201, r.text
    return r.json


def append(client, case_id, type_, data, status=201):
    r = post(client, f"/v1/cases/{case_id}/events", {"type": type_, "data": data})
    assert r.status == status, r.text
    return r


def enterprise(client, n: int, **changes) -> str:
    return created(client, {"type": "EnterpriseEnrolled", "data": samples.enterprise(n, occurred_on="2021-01-05", **changes)})["case_id"]


class FidelityHttpStory:
    def test_annex8_shows_each_years_own_layoffs(self, client):
        ke = created(client, {"type": "KeyEmployerDesignated", "data": {
            "unit": "岳阳楼区", "enterprise_id": enterprise(client, 1), "reason": "layoff_risk",
            "headcount_last_year_end": 500, "headcount_now": 460, "occurred_on": "2021-03-01"}})["case_id"]
        for year, planned, done, settled, positions in ((2022, 30, 20, True, "包装工"), (2023, 10, 4, False, "装配工")):
            append(client, ke, "LayoffPlanReported", {"year": year, "planned_layoffs": planned, "positions": positions,
                                                      "compensation_standard": "statutory_n", "payment_capacity_assessed": True,
                                                      "occurred_on": f"{year}-02-01"})
            last = append(client, ke, "LayoffsReported", {"year": year, "laid_off": done, "wages_settled": settled,
                                                          "occurred_on": f"{year}-05-01"})
        rows = {year: client.get("/v1/registers/annex8", params={"year": year, "wait_for": last.json["position"]})[1]
                .json["rows"][0] for year in (2022, 2023)}
        columns = ("本年度计划裁员人数", "已裁员人数", "裁员岗位", "是否结清劳动报酬")
        assert [rows[2022][c] for c in columns] == [30, 20, "包装工", "是"]
        assert [rows[2023][c] for c in columns] == [10, 4, "装配工", "否"]

    def test_a_blacklisted_employer_still_owing_stays_open(self, client):
        clue = created(client, {"type": "ArrearsClueReceived", "data": {
            "unit": "平江县", "channel": "union", "employer_name": "某劳务公司", "amount_owed": "80000", "workers_affected": 9,
            "description": "欠薪", "occurred_on": "2022-03-01"}})
        case = clue["case_id"]
        for outcome, rule in (("blacklisted", "blacklisted_still_owed"), ("case_cancelled", "cancel_requires_correction")):
            body = assert_problem(post(client, f"/v1/cases/{case}/events", {
                "type": "ArrearsCaseClosed", "data": {"outcome": outcome, "occurred_on": "2022-04-01"}}), 422, "data.outcome")
            assert body["errors"][0]["rule"] == rule and "80000.00" in body["detail"]
        _, matrix = client.get("/v1/reports/annex1", params={"wait_for": clue["position"]})
        assert next(r for r in matrix.json["rows"] if r["unit"] == "平江县")["open_arrears"] == 1

    def test_a_year_that_is_not_the_year_of_the_date_is_refused(self, client):
        body = assert_problem(post(client, "/v1/cases", {"type": "BargainingModelNominated", "data": {
            "unit": "君山区", "scope": "enterprise", "year": 2022, "name": "某企业", "enterprise_id": enterprise(client, 2),
            "occurred_on": "2021-06-01"}}), 422, "data.year")
        assert "2022" in body["detail"] and "2021-06-01" in body["detail"]

    def test_a_continuous_measure_falls_due_every_quarter(self, client):
        ids = {c["data"]["code"]: created(client, c)["case_id"] for c in measure_commands() if c["data"]["code"] == "P02-M02"}
        last = append(client, ids["P02-M02"], "MeasureProgressReported", {"unit": "平江县", "note": "已建立台账", "done": False,
                                                                          "occurred_on": "2021-02-10"})
        _, r = client.get("/v1/measures", params={"unit": "平江县", "through": "2021-07-15", "wait_for": last.json["position"]})
        status = {m["period"]: m["status"] for m in r.json["measures"]}
        assert (status["2021Q1"], status["2021Q2"], status["2021Q3"]) == ("done", "overdue", "due")

    def test_a_person_or_a_body_registered_again_is_a_409_naming_the_case(self, client):
        person = {"unit": "市总工会", "name": "赵敏", "gender": "female", "ethnicity": "15", "id_number": samples.id_number(21),
                  "employer": "岳阳纸业", "position": "人事主管", "education": "bachelor", "appointed_on": "2019-05-01",
                  "phone": "13973012345", "occurred_on": "2021-03-01"}
        first = created(client, {"type": "CoordinatorRegistered", "data": person})
        officer = client.token_for("unit_officer", "市总工会")
        again = post(client, "/v1/cases", {"type": "CoordinatorRegistered", "data": {**person, "name": "赵  敏"}}, token=officer)
        assert again.status == 409 and again.json["case_id"] == first["case_id"]
        body = {"unit": "临湘市", "township": "长安街道", "name": "长安街道调解中心", "nature": "township_street_center",
                "address": "临湘市长安街道", "established_on": "2019-09-01", "head": "陈建国", "contact_name": "吴丽",
                "contact_phone": "0730-3721234", "occurred_on": "2021-02-20"}
        first_body = created(client, {"type": "MediationBodyRegistered", "data": body})
        again = post(client, "/v1/cases", {"type": "MediationBodyRegistered", "data": body})
        assert again.status == 409 and again.json["case_id"] == first_body["case_id"]

    def test_the_summary_shows_survey_feedback_and_coordinator_coverage_and_annex4_counts_its_mediators(self, client):
        big, small = enterprise(client, 3, headcount=1200, industry="C"), enterprise(client, 4, headcount=30, industry="C")
        created(client, {"type": "SalarySurveySampleRecorded", "data": {
            "unit": "市人社局", "survey_year": 2021, "enterprise_ids": [big, small], "occurred_on": "2022-05-15"}})
        created(client, {"type": "SalarySurveyFeedbackProvided", "data": {
            "unit": "市人社局", "enterprise_id": big, "survey_year": 2021, "personalised": True, "occurred_on": "2022-06-10"}})
        created(client, {"type": "CoordinatorRegistered", "data": {
            "unit": "岳阳楼区", "name": "李明", "gender": "male", "ethnicity": "01", "id_number": samples.id_number(22),
            "employer": "岳阳测试企业3有限公司", "position": "人事经理", "education": "bachelor", "appointed_on": "2020-01-01",
            "phone": "13900001111", "enterprise_id": big, "occurred_on": "2022-03-01"}})
        mb = created(client, {"type": "MediationBodyRegistered", "data": {
            "unit": "岳阳楼区", "township": "洞庭街道", "name": "洞庭街道调解中心", "nature": "township_street_center",
            "address": "洞庭北路8号", "established_on": "2019-03-01", "head": "陈主任", "mediator_count": 5,
            "contact_name": "周", "contact_phone": "13812345678", "occurred_on": "2021-03-01"}})["case_id"]
        last = created(client, {"type": "MediatorRegistered", "data": {
            "unit": "岳阳楼区", "name": "孙调解", "gender": "male", "ethnicity": "01", "id_number": samples.id_number(23),
            "employer": "洞庭街道", "position": "调解员", "education": "bachelor", "appointed_on": "2020-01-01",
            "phone": "13900002222", "mediation_body_id": mb, "occurred_on": "2021-04-01"}})
        _, r = client.get("/v1/reports/summary/2022", params={"wait_for": last["position"]})
        survey = r.json["salary_survey"]
        assert (survey["surveyed"], survey["feedback"], survey["feedback_percent"], survey["feedback_met"]) == (2, 1, 50.0, False)
        assert (survey["personalised_percent"], survey["personalised_met"]) == (50.0, True)
        coverage = r.json["coordinator_coverage"]["by_unit"]["岳阳楼区"]
        assert (coverage["large_medium"], coverage["with_coordinator"], coverage["majority"]) == (1, 1, True)
        _, annex4 = client.get("/v1/registers/annex4")
        assert annex4.json["rows"][0]["调解员人数"] == 1  # counted on Annex 5, not the 5 typed in


class TestSQLite(FidelityHttpStory):
    backend = "sqlite"


class TestPostgres(FidelityHttpStory):
    backend = "postgres"
