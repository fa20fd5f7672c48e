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

    def test_reports_through_a_business_date_and_as_recorded_by_a_time(self, client):
        first = designate_and_visit(client, 3, "临湘市", "2021-06-01")
        _, before = client.get("/v1/reports/annex1", params={"wait_for": first.json["position"]})
        moment = before.json["position"]
        second = designate_and_visit(client, 4, "临湘市", "2022-09-01")
        _, now = client.get("/v1/reports/annex1", params={"wait_for": second.json["position"]})
        p02 = lambda doc: next(r for r in doc["rows"] if r["unit"] == "临湘市")["cells"]["P02"]["done"]  # noqa: E731
        assert p02(now.json) == 2 and now.json["through"] is None and now.json["as_of"] is None
        _, through_2021 = client.get("/v1/reports/annex1", params={"through": "2021-12-31"})
        assert p02(through_2021.json) == 1 and through_2021.json["through"] == "2021-12-31"
        _, drill = client.get("/v1/reports/annex1/临湘市/P02", params={"through": "2021-12-31"})
        assert [c["counted_on"] for c in drill.json["cases"]] == ["2021-06-01"]
        _, ledger = client.get("/v1/ledger", params={"kind": "key_employer", "unit": "临湘市", "through": "2021-12-31"})
        assert len(ledger.json["cases"]) == 2 and {c["fields"].get("visits") for c in ledger.json["cases"]} == {1, None}
        _, found = client.get("/v1/ledger", params={"q": samples.uscc(4)})
        assert [c["kind"] for c in found.json["cases"]] == ["enterprise"]
        enterprise = found.json["cases"][0]["case_id"]
        _, named = client.get("/v1/ledger", params={"enterprise_id": enterprise})
        assert [c["kind"] for c in named.json["cases"]] == ["key_employer"]
        _, xlsx = client.get("/v1/reports/annex1", params={"format": "xlsx", "through": "2021-12-31"})
        assert xlsx.status == 200
        assert moment < second.json["position"]

    def test_the_yearly_summary(self, client):
        visit = designate_and_visit(client, 5, "汨罗市", "2022-03-01")
        _, r = client.get("/v1/reports/summary/2022", params={"wait_for": visit.json["position"]})
        assert r.status == 200 and r.json["year"] == 2022 and r.json["through"] == "2022-12-31"
        unit = next(u for u in r.json["units"] if u["unit"] == "汨罗市")
        assert unit["plans"]["P02"]["done"] == 1
        _, x = client.get("/v1/reports/summary/2022", params={"format": "xlsx"})
        assert x.status == 200 and len(load_workbook(io.BytesIO(x.body)).worksheets) == 4
        assert_problem(client.get("/v1/reports/summary/2019")[1], 404, "path.year")
        assert_problem(client.get("/v1/reports/summary/2022", params={"format": "csv"})[1], 400, "query.format")

    def test_bad_report_queries(self, client):
        assert_problem(client.get("/v1/reports/annex1", params={"format": "pdf"})[1], 400, "query.format")
        assert_problem(client.get("/v1/reports/annex1", params={"as_of": "last week"})[1], 400, "query.as_of")
        assert_problem(client.get("/v1/reports/annex1", params={"through": "2022-02-30"})[1], 400, "query.through")
        assert_problem(client.get("/v1/ledger", params={"q": ""})[1], 400, "query.q")
        assert_problem(client.get("/v1/ledger", params={"enterprise_id": "nope"})[1], 400, "query.enterprise_id")
        assert_problem(client.get("/v1/reports/annex1/火星区/P01")[1], 404)
        assert_problem(client.get("/v1/reports/annex1/君山区/P11")[1], 404)
        assert_problem(client.get("/v1/ledger", params={"kind": "spaceship"})[1], 400, "query.kind")
        assert_problem(client.get("/v1/ledger", params={"wait_for": "soon"})[1], 400, "query.wait_for")


class TestSQLite(ReportsStory):
    backend = "sqlite"


class TestPostgres(ReportsStory):
    backend = "postgres"
