"""GET /v1/measures and /v1/arrears/overdue over HTTP, on each backend."""

from __future__ import annotations

import time
import uuid

import orjson
import pytest
from sanic_testing.reusable import ReusableClient

from hexie.domain.calendar import today
from hexie.http.app import create_app
from hexie.scripts.programme import measure_commands
from tests.e2e.test_http import JSON, assert_problem, free_port




def post(client, path, body):
    _, response = client.post(path, content=orjson.dumps(body), headers=JSON)
    assert response.status == 201, response.text
    return response.json


def get(client, path, **params):
    _, response = client.get(path, params=params)
    return response


def record_measures(client) -> dict[str, str]:
    return {c["data"]["code"]: post(client, "/v1/cases", c)["case_id"] for c in measure_commands()}


class MeasuresHttpStory:
    def test_due_overdue_and_done_measures(self, client):
        ids = record_measures(client)
        position = post(client, f"/v1/cases/{ids['P02-M01']}/events", {"type": "MeasureProgressReported", "data": {
            "unit": "岳阳楼区", "note": "重点企业清单已建立", "done": True, "occurred_on": "2021-03-15"}})["position"]

        r = get(client, "/v1/measures", status="overdue", unit="君山区", through="2021-06-01", wait_for=position)
        assert r.status == 200, r.text
        assert r.json["through"] == "2021-06-01"
        assert [m["code"] for m in r.json["measures"] if m["period"] is None] == ["P06-M01", "P09-M03", "P02-M01", "P05-M04"]
        assert {m["period"] for m in r.json["measures"] if m["period"] is not None} == {"2021Q1"}  # continuous, unreported
        first = r.json["measures"][0]
        assert first["case_id"] == ids["P06-M01"] and first["unit"] == "君山区" and first["due"] == "2021-02-28"
        assert first["status"] == "overdue" and first["done_on"] is None and first["last_report"] is None
        # The summary counts every status for the unit, whatever the status filter.
        summary = r.json["summary"]
        assert list(summary["by_unit"]) == ["君山区"] and summary["total"]["overdue"] == len(r.json["measures"]) > 4
        assert summary["total"]["due"] > 0

        done = get(client, "/v1/measures", status="done", through="2021-06-01").json["measures"]
        assert [(m["code"], m["unit"], m["done_on"]) for m in done] == [("P02-M01", "岳阳楼区", "2021-03-15")]
        assert done[0]["last_report"] == {"on": "2021-03-15", "period": None, "note": "重点企业清单已建立", "done": True}

        everything = get(client, "/v1/measures", unit="市人社局", through="2021-05-01").json
        assert "upcoming" in {m["status"] for m in everything["measures"]}
        assert len(everything["measures"]) == sum(everything["summary"]["total"].values())

        assert get(client, "/v1/measures").json["through"] == today()  # Yueyang's today by default

    def test_overdue_arrears_in_working_days(self, client):
        case = post(client, "/v1/cases", {"type": "ArrearsClueReceived", "data": {
            "unit": "平江县", "channel": "national_arrears_platform", "employer_name": "平江某建筑劳务有限公司",
            "amount_owed": "186000.00", "workers_affected": 23, "description": "某安置小区项目拖欠23名农民工工资",
            "occurred_on": "2021-09-20"}})["case_id"]
        position = post(client, f"/v1/cases/{case}/events", {"type": "ArrearsCaseAssigned", "data": {
            "to_unit": "平江县", "deadline": "2021-09-30", "working_days": 5, "occurred_on": "2021-09-24"}})["position"]

        r = get(client, "/v1/arrears/overdue", through="2021-10-09", wait_for=position)
        assert r.status == 200, r.text
        [item] = r.json["cases"]
        assert r.json["through"] == "2021-10-09"
        # 国庆 2021: 10-01 … 10-07 off, 10-08 worked, Saturday 10-09 a make-up working day.
        assert (item["case_id"], item["working_days_overdue"], item["outstanding"]) == (case, 2, "186000.00")
        assert get(client, "/v1/arrears/overdue", through="2021-09-30").json["cases"] == []
        assert get(client, "/v1/arrears/overdue", through="2021-10-09", unit="临湘市").json["cases"] == []

    def test_400_names_the_query_field(self, client):
        for params, field in [
            ({"status": "upcoming"}, "query.status"),
            ({"status": "late"}, "query.status"),
            ({"unit": "火星区"}, "query.unit"),
            ({"unit": ""}, "query.unit"),
            ({"through": ""}, "query.through"),
            ({"through": "2021-13-01"}, "query.through"),
            ({"through": "20210401"}, "query.through"),
            ({"through": "yesterday"}, "query.through"),
            ({"as_of": "yesterday"}, "query.as_of"),
            ({"wait_for": "x"}, "query.wait_for"),
        ]:
            assert_problem(get(client, "/v1/measures", **params), 400, field)
        assert_problem(get(client, "/v1/arrears/overdue", unit="火星区"), 400, "query.unit")
        assert_problem(get(client, "/v1/arrears/overdue", through="2021-02-30"), 400, "query.through")
        # A year the official holiday calendar does not cover: said so, not guessed.
        body = assert_problem(get(client, "/v1/arrears/overdue", through="2099-01-05"), 400, "query.through")
        assert "2099" in body["detail"]

    def test_openapi_documents_both_routes(self, client):
        paths = get(client, "/openapi.json").json["paths"]
        measures = paths["/v1/measures"]["get"]
        assert {p["name"] for p in measures["parameters"]} == {"status", "unit", "through", "as_of", "wait_for"}
        assert set(measures["responses"]) >= {"200", "400"}
        assert {p["name"] for p in paths["/v1/arrears/overdue"]["get"]["parameters"]} == {"unit", "through", "as_of", "wait_for"}


class TestSQLite(MeasuresHttpStory):
    backend = "sqlite"


class TestPostgres(MeasuresHttpStory):
    backend = "postgres"
