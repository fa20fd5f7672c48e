"""GET /v1/registers/annex3 … annex8 over HTTP, on each backend."""

from __future__ import annotations

import io
import time
import uuid
from urllib.parse import quote

import orjson
import pytest
from openpyxl import load_workbook
from sanic_testing.reusable import ReusableClient

from hexie.http.app import create_app
from hexie.projections.export import CSV_TYPE, XLSX_TYPE
from tests import samples
from tests.e2e.test_http import assert_problem, free_port, post

PHONE = "13907309876"




def key_employer_with_a_plan(client) -> tuple[str, int]:
    """An enterprise, designated a key employer, with a 2022 layoff plan; (case id, the plan's position)."""
    e = post(client, "/v1/cases", {"type": "EnterpriseEnrolled", "data": samples.enterprise(
        31, name="岳阳示范机械有限公司", contact_phone=PHONE, occurred_on="2021-02-01")}).json["case_id"]
    ke = post(client, "/v1/cases", {"type": "KeyEmployerDesignated", "data": {
        "unit": "岳阳楼区", "enterprise_id": e, "reason": "operating_difficulty",
        "headcount_last_year_end": 340, "headcount_now": 320, "occurred_on": "2021-03-01"}}).json["case_id"]
    r = post(client, f"/v1/cases/{ke}/events", {"type": "LayoffPlanReported", "data": {
        "year": 2022, "planned_layoffs": 25, "positions": "装配工", "compensation_standard": "n_plus_1",
        "payment_capacity_assessed": True, "occurred_on": "2022-03-01"}})
    assert r.status == 201
    return ke, r.json["position"]


class RegistersHttpStory:
    def test_a_written_plan_is_read_back_in_every_format(self, client):
        ke, position = key_employer_with_a_plan(client)
        admin, client.token = client.token, client.token_for("inspector")  # an inspector sees personal data masked
        _, r = client.get("/v1/registers/annex8", params={"year": 2022, "wait_for": position})
        assert r.status == 200 and r.headers["content-type"] == "application/json"
        body = r.json
        assert body["annex"] == "annex8" and body["year"] == 2022 and body["title"] == "重点用工企业情况表"
        assert body["columns"][-4:] == ["本年度计划裁员人数", "已裁员人数", "裁员岗位", "是否结清劳动报酬"]
        [row] = body["rows"]
        assert row["case_id"] == ke and row["单位名称"] == "岳阳示范机械有限公司"
        assert (row["是否有裁员计划"], row["本年度计划裁员人数"], row["已裁员人数"], row["裁员岗位"]) == ("是", 25, 0, "装配工")
        assert row["联系电话"] == "139****9876"

        _, x = client.get("/v1/registers/annex8", params={"year": 2022, "format": "xlsx", "unit": "岳阳楼区"})
        assert x.status == 200 and x.headers["content-type"] == XLSX_TYPE
        disposition = x.headers["content-disposition"]
        assert disposition.startswith("attachment;") and 'filename="annex8.xlsx"' in disposition
        assert f"filename*=UTF-8''{quote('附件8岳阳楼区重点用工企业情况表.xlsx')}" in disposition
        ws = load_workbook(io.BytesIO(x.body)).active  # the title, the caption, the two header rows, the rows
        assert ws["A1"].value == "附件8  岳阳楼区重点用工企业情况表" and ws["A2"].value.startswith("填报单位：岳阳楼区　　本年度：2022")
        assert ws["A3"].value == "序号" and ws["L3"].value == "以下内容为拟裁员或已裁员企业填写" and ws["L4"].value == "本年度计划裁员人数"
        assert "L3:O3" in {str(m) for m in ws.merged_cells.ranges}
        assert [c.value for c in ws[5]][:2] == [1, "岳阳示范机械有限公司"] and ws["L5"].value == 25

        _, c = client.get("/v1/registers/annex8", params={"year": 2022, "format": "csv"})
        assert c.status == 200 and c.headers["content-type"] == CSV_TYPE
        assert f"filename*=UTF-8''{quote('附件8重点用工企业情况表.csv')}" in c.headers["content-disposition"]
        lines = c.body.decode("utf-8-sig").split("\r\n")  # BOM, the title, the caption, then the header
        assert c.body.startswith(b"\xef\xbb\xbf") and lines[0] == "附件8  重点用工企业情况表" and lines[2].startswith("序号,")
        assert "岳阳示范机械有限公司" in c.body.decode("utf-8-sig")
        for raw in (r.body, x.body, c.body):
            assert PHONE.encode() not in raw

        _, empty = client.get("/v1/registers/annex8", params={"year": 2021})
        assert empty.json["rows"][0]["是否有裁员计划"] == "否"

        _, clear = client.get("/v1/registers/annex8", params={"year": 2022}, token=admin)
        assert clear.json["rows"][0]["联系电话"] == PHONE  # the city admin sees it, and that read is recorded

    def test_every_register_answers(self, client):
        position = post(client, "/v1/cases", {"type": "EnterpriseEnrolled", "data": samples.enterprise(32)}).json["position"]
        for n in range(3, 9):
            _, r = client.get(f"/v1/registers/annex{n}", params={"wait_for": position})
            assert r.status == 200 and r.json["annex"] == f"annex{n}" and r.json["columns"][0] == "序号"
        _, x = client.get("/v1/registers/annex7", params={"format": "xlsx", "plan": "P06"})
        assert load_workbook(io.BytesIO(x.body)).active["B3"].value == "单位名称"

    def test_bad_queries(self, client):
        assert_problem(client.get("/v1/registers/annex9")[1], 404)
        assert_problem(client.get("/v1/registers/annex3", params={"format": "pdf"})[1], 400, "query.format")
        assert_problem(client.get("/v1/registers/annex3", params={"unit": "岳阳市"})[1], 400, "query.unit")
        assert_problem(client.get("/v1/registers/annex7", params={"plan": "P02"})[1], 400, "query.plan")
        assert_problem(client.get("/v1/registers/annex3", params={"plan": "P03"})[1], 400, "query.plan")
        assert_problem(client.get("/v1/registers/annex8", params={"year": "last"})[1], 400, "query.year")
        assert_problem(client.get("/v1/registers/annex8", params={"year": 2019})[1], 400, "query.year")
        assert_problem(client.get("/v1/registers/annex5", params={"year": 2022})[1], 400, "query.year")
        assert_problem(client.get("/v1/registers/annex3", params={"wait_for": -1})[1], 400, "query.wait_for")
        _, r = client.post("/v1/registers/annex3", content=orjson.dumps({}))
        assert_problem(r, 405)
        assert "GET" in r.headers["allow"]

    def test_the_route_is_documented(self, client):
        _, r = client.get("/openapi.json")
        op = r.json["paths"]["/v1/registers/{annex}"]["get"]
        assert {p["name"] for p in op["parameters"]} == {"annex", "format", "unit", "plan", "year", "through", "as_of", "wait_for"}
        assert set(op["responses"]["200"]["content"]) == {"application/json", "text/csv", XLSX_TYPE}
        assert {"400", "404"} <= set(op["responses"])


class TestSQLite(RegistersHttpStory):
    backend = "sqlite"


class TestPostgres(RegistersHttpStory):
    backend = "postgres"
