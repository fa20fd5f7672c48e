"""Reports over HTTP: the server keeps the projections current; a client reads its own write."""

from __future__ import annotations

import io

import orjson
import pytest
from openpyxl import load_workbook

from tests import samples
from tests.e2e.test_http import assert_problem, post


def designate_and_visit(client, n: int, unit: str, visited_on: str):
    e = post(client, "/v1/cases", {"type": "EnterpriseEnrolled", "data": samples.enterprise(n, unit=unit, occurred_on="2021-01-05")})
    ke = post(client, "/v1/cases", {"type": "KeyEmployerDesignated", "data": {
        "unit": unit, "enterprise_id": e.json["case_id"], "reason": "large_employer",
        "headcount_last_year_end": 100, "headcount_now": 90, "occurred_on": "2021-02-01"}})
    return post(client, f"/v1/cases/{ke.json['case_id']}/events", {"type": "GuidanceVisitLogged", "data": {
        "visitor": "周", "method": "on_site", "findings": "正常", "occurred_on": visited_on}})


class ReportsStory:
    def test_a_visit_shows_in_the_matrix_and_its_evidence(self, client):
        visit = designate_and_visit(client, 1, "湘阴县", "2022-05-06")
        _, r = client.get("/v1/reports/annex1", params={"wait_for": visit.json["position"]})
        assert r.status == 200
        row = next(x for x in r.json["rows"] if x["unit"] == "湘阴县")
        assert row["cells"]["P02"]["done"] == 1 and row["cells"]["P02"]["by_year"]["2022"]["done"] == 1
        assert r.json["totals"]["P02"]["done"] == 1 and r.json["position"] >= visit.json["position"]
        _, drill = client.get("/v1/reports/annex1/湘阴县/P02")
        assert [c["position"] for c in drill.json["cases"]] == [visit.json["position"]]
        _, ledger = client.get("/v1/ledger", params={"kind": "key_employer", "unit": "湘阴县", "wait_for": visit.json["position"]})
        assert ledger.json["cases"][0]["fields"]["first_visit_on"] == "2022-05-06"
        inspector = client.token_for("inspector")
        assert "*" in orjson.dumps(client.get("/v1/ledger", params={"kind": "enterprise"}, token=inspector)[1].json).decode()
        assert "13807301234" in orjson.dumps(client.get("/v1/ledger", params={"kind": "enterprise"})[1].json).decode()

    def test_the_matrix_as_a_spreadsheet(self, client):
        visit = designate_and_visit(client, 2, "平江县", "2021-06-01")
        _, x = client.get("/v1/reports/annex1", params={"format": "xlsx", "wait_for": visit.json["position"]})
        assert x.status == 200 and "attachment" in x.headers["content-disposition"]
        wb = load_workbook(io.BytesIO(x.body))
        assert wb.sheetnames == ["附件1 完成情况", "附件1 分年度"]
        ws = wb.active  # the title and the caption, then the two header rows
        assert ws["A1"].value.startswith("附件1  岳阳市劳动关系") and ws["A2"].value.startswith("业务日期截至：") and "记录时间截至：导出时" in ws["A2"].value
        assert ws["A3"].value == "县区名称" and ws["B3"].value == "集体协商提升" and ws["B4"].value == "目标"
        units = [ws.cell(row=r, column=1).value for r in range(5, 21)]
        assert units[0] == "岳阳楼区" and units[-1] == "合计"
        _, c = client.get("/v1/reports/annex1", params={"format": "csv"})
        assert c.body.startswith(b"\xef\xbb\xbf") and "集体协商提升-目标".encode() in c.body

    def test_bad_report_queries(self, client):
        assert_problem(client.get("/v1/reports/annex1", params={"format": "pdf"})[1], 400, "query.format")
        assert_problem(client.get("/v1/reports/annex1", params={"as_of": "last week"})[1], 400, "query.as_of")
        assert_problem(client.get("/v1/reports/annex1/火星区/P01")[1], 404)
        assert_problem(client.get("/v1/reports/annex1/君山区/P11")[1], 404)
        assert_problem(client.get("/v1/ledger", params={"kind": "spaceship"})[1], 400, "query.kind")
        assert_problem(client.get("/v1/ledger", params={"wait_for": "soon"})[1], 400, "query.wait_for")


class TestSQLite(ReportsStory):
    backend = "sqlite"


class TestPostgres(ReportsStory):
    backend = "postgres"
