"""Spreadsheets over HTTP: imports (201 / 422 and the marked workbook), templates, the acceptance pack."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import orjson
from openpyxl import Workbook, load_workbook

from hexie.domain.calendar import today
from hexie.projections.acceptance import GREEN, RED, workbook_name
from hexie.projections.timeline import verify_lines
from hexie.scripts import cli
from tests import samples
from tests.e2e.test_http import assert_problem, post
from tests.integration.test_import import ENTERPRISE_HEADER, ID, annex3_rows, enterprise_row
from tests.integration.test_registers import ANNEX8_CHILDREN, ANNEX8_PARENT, ANNEX8_TOP, SEED

CSV = {"content-type": "text/csv"}
XLSX = {"content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def csv_bytes(rows) -> bytes:
    import csv

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows, merges=()) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    for ref in merges:
        wb.active.merge_cells(ref)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, form, body, headers=CSV, token=None, **params):
    extra = {"token": token} if token else {}
    return client.post("/v1/imports", content=body, headers=headers, params={"as": form, **params}, **extra)[1]


def position(client) -> int:
    return client.get("/healthz")[1].json["position"]


class SpreadsheetsHttpStory:
    def test_import_201_then_nothing_new_then_422_with_the_report_and_the_marked_workbook(self, client):
        body = csv_bytes([ENTERPRISE_HEADER] + [enterprise_row(n) for n in (1, 2, 3)])
        r = upload(client, "enterprises", body, occurred_on="2021-03-01")
        assert r.status == 201, r.text
        assert r.json["ok"] and r.json["recorded"] == 3 and r.json["by_type"] == {"EnterpriseEnrolled": 3}
        assert r.json["position"] == position(client)
        again = upload(client, "enterprises", body)
        assert again.status == 201 and again.json["recorded"] == 0 and again.json["unchanged_rows"] == 3

        before = position(client)
        rows = annex3_rows()
        rows[3][4] = ID[30][:-1] + ("0" if ID[30][-1] != "0" else "1")
        rows[5][2] = "未知"
        bad = xlsx_bytes(rows)
        r = upload(client, "annex3", bad, XLSX)
        body = assert_problem(r, 422)
        assert body["ok"] is False and body["rows"] == 4 and body["problem_count"] == 2
        assert {(p["row"], p["column"], p["cell"]) for p in body["problems"]} == {(4, "身份证号码", "E4"), (6, "性别", "C6")}
        assert all(p["problem_zh"] and p["problem_en"] for p in body["problems"])
        assert ID[30] not in r.text  # personal data is masked in the report
        assert position(client) == before

        r = upload(client, "annex3", bad, XLSX, report="xlsx")
        assert r.status == 422 and r.headers["content-type"].startswith(XLSX["content-type"])
        ws = load_workbook(io.BytesIO(r.body)).worksheets[0]
        assert ws["E4"].fill.fgColor.rgb.endswith("FFC7CE") and ws["C6"].comment is not None and ws["C5"].comment is None

    def test_who_may_import_and_what_is_refused(self, client):
        row = [1, "甲", "男", "汉族", ID[37], "单位", "职务", "本科", "2020-01-01", "13900001111"]
        body = csv_bytes([SEED["annex3"] + ["责任单位"], row + [None]])
        assert_problem(upload(client, "annex3", body, token=client.token_for("inspector")), 403)
        officer = client.token_for("unit_officer", "君山区")
        other = csv_bytes([SEED["annex3"] + ["责任单位"], row + ["岳阳楼区"]])
        refused = assert_problem(upload(client, "annex3", other, token=officer), 422)
        assert refused["problems"][0]["rule"] == "not_permitted" and refused["problems"][0]["column"] == "责任单位"
        r = upload(client, "annex3", body, token=officer)
        assert r.status == 201 and r.json["recorded"] == 1
        _, log = client.get("/v1/events", params={"after": r.json["position"] - 1})
        assert log.json["events"][0]["unit"] == "君山区"

        assert_problem(upload(client, "annex9", body), 400, "query.as")
        assert_problem(client.post("/v1/imports", content=body, headers=CSV)[1], 400, "query.as")
        assert_problem(upload(client, "annex3", body, unit=""), 400, "query.unit")
        assert_problem(upload(client, "annex3", body, unit="火星"), 400, "query.unit")
        assert_problem(upload(client, "annex3", b""), 400, "body")
        assert_problem(upload(client, "annex3", body, headers={"content-type": "application/json"}), 415)
        assert_problem(upload(client, "annex3", b"not a workbook", XLSX), 400, "body")
        assert_problem(upload(client, "annex3", b"PK\x03\x04 broken zip", XLSX), 400, "body")

    def test_templates_have_the_seed_headers_drop_downs_and_an_example(self, client):
        _, r = client.get("/v1/templates/annex3.xlsx", token=client.token_for("inspector"))
        assert r.status == 200 and r.headers["content-type"].startswith(XLSX["content-type"])
        assert "filename*=UTF-8''" in r.headers["content-disposition"]
        wb = load_workbook(io.BytesIO(r.body))
        ws = wb.worksheets[0]
        assert [c.value for c in ws[2]][:10] == SEED["annex3"] and [c.value for c in ws[2]][10:] == ["责任单位", "是否专职集体协商指导员", "业务日期"]
        assert ws["A3"].value == "示例" and ws["B3"].value
        lists = wb["代码表"]
        assert lists.sheet_state == "hidden"

        def options(cell):
            for dv in ws.data_validations.dataValidation:
                if cell in dv.sqref:
                    sheet_ref = dv.formula1.split("!")[1].replace("$", "")
                    return [c.value for row in lists[sheet_ref] for c in row]
            return None

        assert options("C10") == ["男", "女"]
        assert len(options("D10")) == 57 and options("D10")[0] == "汉族"
        assert "本科" in options("H10") and "岳阳楼区" in options("K10") and options("L10") == ["是", "否"]
        assert options("B10") is None and ws["E10"].number_format == "@"

        _, r8 = client.get("/v1/templates/annex8.xlsx")
        ws8 = load_workbook(io.BytesIO(r8.body)).worksheets[0]
        assert [c.value for c in ws8[2]][:12] == ANNEX8_TOP + [ANNEX8_PARENT]
        assert [c.value for c in ws8[3]][11:15] == ANNEX8_CHILDREN
        merged = {str(m) for m in ws8.merged_cells.ranges}
        assert "L2:O2" in merged and "A2:A3" in merged and "P2:P3" in merged
        assert_problem(client.get("/v1/templates/annex9.xlsx")[1], 404)

        # The template, filled in below its example, imports as it is
        ws.append([1, "钱多", "女", "汉族", ID[38], "单位", "职务", "大专", "2021-02-03", "13900003333", "屈原区", "否", "2021-03-01"])
        out = io.BytesIO()
        wb.save(out)
        r = upload(client, "annex3", out.getvalue(), XLSX)
        assert r.status == 201 and r.json["rows"] == 1 and r.json["recorded"] == 1, r.text

    def test_the_acceptance_pack(self, client):
        assert cli.main(["--database-url", client.database_url, "init"]) == 0  # the Annex 1 targets, Annex 2 measures
        top = ANNEX8_TOP + [ANNEX8_PARENT, None, None, None, "统一社会信用代码", "列入原因", "本年度"]
        below = [None] * len(ANNEX8_TOP) + ANNEX8_CHILDREN + [None] * 3
        row = [1, "岳阳验收机械有限公司", "岳阳楼区", "工业路1号", "制造业", "周", "13807305555", 100, 90, "失业保险稳岗返还", "是", 10, 4,
               "普工", "是", samples.uscc(601), "有裁员苗头", 2022]
        r = upload(client, "annex8", xlsx_bytes([top, below, row], ("L1:O1",)), XLSX, occurred_on="2022-03-01")
        assert r.status == 201, r.text
        key_employer = client.get("/v1/events", params={"after": r.json["position"] - 5})[1].json["events"]
        ke = next(e["case_id"] for e in key_employer if e["type"] == "KeyEmployerDesignated")
        post(client, f"/v1/cases/{ke}/events", {"type": "GuidanceVisitLogged", "data": {
            "visitor": "王五", "method": "on_site", "findings": "稳定", "occurred_on": "2022-04-01"}})
        upload(client, "annex3", xlsx_bytes(annex3_rows()), XLSX, unit="岳阳楼区", occurred_on="2022-05-01")
        # The bureau's own Annex 8 (no 统一社会信用代码 column): the enterprise is found by its name
        bureau = xlsx_bytes([ANNEX8_TOP + [ANNEX8_PARENT, None, None, None], [None] * 11 + ANNEX8_CHILDREN, row[:15]], ("L1:O1",))
        r = upload(client, "annex8", bureau, XLSX, year=2022)
        assert r.status == 201 and r.json["recorded"] == 0 and r.json["unchanged_rows"] == 1, r.text

        auditor = client.token_for("auditor")
        _, r = client.get("/v1/acceptance-pack", token=auditor)  # through 2023-09-30, as recorded now
        assert r.status == 200 and r.headers["content-type"] == "application/zip", r.text
        pack = zipfile.ZipFile(io.BytesIO(r.body))
        book = workbook_name("2023-09-30")
        assert sorted(pack.namelist()) == sorted([book, "timeline.ndjson", "digest.json", "README.txt"])

        wb = load_workbook(io.BytesIO(pack.read(book)))
        titles = wb.sheetnames  # each sheet: the seed's title, the caption, then its header rows
        assert titles[:3] == ["附件1 完成情况", "附件1 分年度", "附件2 工作措施完成情况（截至2023-09-30）"]
        assert [t[:3] for t in titles[3:]] == ["附件3", "附件4", "附件5", "附件6", "附件7", "附件8"]
        for n, title in zip(range(3, 9), titles[3:]):
            ws = wb[title]
            assert ws["A1"].value.startswith(f"附件{n}  ") and "记录时间截至" in ws["A2"].value, title
            header = [c.value for c in ws[3]]
            if n == 8:
                header = [c.value for c in ws[3]][:11] + [c.value for c in ws[4]][11:]
            assert header == SEED[f"annex{n}"], title
        assert len(list(wb[titles[8]].iter_rows(min_row=5))) == 1 and len(list(wb[titles[3]].iter_rows(min_row=4))) == 4
        matrix = wb[titles[0]]
        assert "业务日期截至：2023-09-30" in matrix["A2"].value and "记录时间截至：导出时" in matrix["A2"].value
        assert matrix["A3"].value == "县区名称" and matrix["B3"].value == "集体协商提升"
        assert [c.value for c in matrix[4]][1:4] == ["目标", "完成", "完成率(%)"]
        yueyanglou = next(r for r in matrix.iter_rows(min_row=5) if r[0].value == "岳阳楼区")
        p02 = 1 + 3  # the second plan's block: 目标, 完成, 完成率
        assert (yueyanglou[p02].value, yueyanglou[p02 + 1].value, yueyanglou[p02 + 2].value) == (3, 1, 33.3)
        assert yueyanglou[p02 + 2].fill.fgColor.rgb.endswith(RED)
        yearly = wb[titles[1]]
        assert [c.value for c in yearly[5]][:2] == ["岳阳楼区", "2021年"] and yearly["B6"].value == "2022年"
        p02 = 2 + 2  # 县区名称, 年度, then 目标 and 完成 per plan
        assert (yearly[6][p02].value, yearly[6][p02 + 1].value) == (1, 1)  # 2022: 1 of 1
        assert yearly[6][p02 + 1].fill.fgColor.rgb.endswith(GREEN)
        measures = wb[titles[2]]
        assert measures["A2"].value.startswith("业务日期截至：2023-09-30　　")
        assert [c.value for c in measures[3]][:5] == ["行动计划", "重点工作任务", "工作措施", "责任分工", "时间安排"]
        states = {r[9] for r in measures.iter_rows(min_row=4, values_only=True)}
        assert {s.split("（")[0] for s in states} <= {"未开始", "待完成", "逾期未完成", "已完成"}
        assert any("按季报告" in s for s in states)  # a continuous measure's quarters on one line per unit

        digest = orjson.loads(pack.read("digest.json"))
        lines = pack.read("timeline.ndjson").splitlines(keepends=True)
        result = verify_lines(lines, digest)
        assert result["ok"] and result["checked"] == digest["count"] == position(client), result
        assert samples.uscc(601).encode() in pack.read("timeline.ndjson") and b"13807305555" not in pack.read("timeline.ndjson")
        readme = pack.read("README.txt").decode()
        assert "hexie verify --file timeline.ndjson" in readme and digest["head"] in readme
        assert "2023-09-30" in readme and digest["through"] == "2023-09-30" and digest["as_of"] is None

        # As recorded on the programme's acceptance date nothing of this test had been recorded yet:
        # such a pack would be empty, and is refused rather than written.
        body = assert_problem(client.get("/v1/acceptance-pack", params={"as_of": "2023-09-30"}, token=auditor)[1],
                              422, "query.as_of")
        assert "附件1" in body["detail"]
        # Through a date before the programme's work: nothing counts yet, refused too
        assert_problem(client.get("/v1/acceptance-pack", params={"through": "2021-01-01"}, token=auditor)[1],
                       422, "query.through")

        assert_problem(client.get("/v1/acceptance-pack", token=client.token_for("unit_officer", "岳阳楼区"))[1], 403)
        assert_problem(client.get("/v1/acceptance-pack", params={"through": "2023-9-30"})[1], 400, "query.through")

    def test_the_command_line_writes_the_same_pack(self, client, tmp_path):
        upload(client, "enterprises", csv_bytes([ENTERPRISE_HEADER, enterprise_row(1, 注册日期="2021-01-05")]),
               occurred_on="2021-03-01")
        out = tmp_path / "pack"
        # No Annex 1 targets yet: refused, nothing written
        assert cli.main(["--database-url", client.database_url, "acceptance-pack", str(out)]) == 2
        assert not out.exists() or not any(out.iterdir())
        assert cli.main(["--database-url", client.database_url, "init"]) == 0
        enterprise = client.get("/v1/ledger", params={"kind": "enterprise"})[1].json["cases"][0]["case_id"]
        served = post(client, "/v1/cases", {"type": "NewEnterpriseServiceProvided", "data": {
            "unit": "岳阳楼区", "enterprise_id": enterprise, "method": "on_site", "content": "用工指导", "occurred_on": "2021-04-01"}})
        # The in-process server runs only while a request is served: let its projections finish their
        # work first, so no transaction of theirs is left open while the command line runs.
        client.get("/v1/ledger", params={"wait_for": served.json["position"]})
        client.get("/v1/reports/annex1", params={"wait_for": position(client)})
        client.get("/v1/audit/digest", params={"wait_for": position(client)})
        assert cli.main(["--database-url", client.database_url, "acceptance-pack", "--through", "2022-12-31", str(out)]) == 0
        assert sorted(p.name for p in out.iterdir()) == sorted([workbook_name("2022-12-31"), "timeline.ndjson", "digest.json", "README.txt"])
        digest = orjson.loads((out / "digest.json").read_bytes())
        assert cli.main(["verify", "--file", str(out / "timeline.ndjson"), "--digest-position", str(digest["position"]),
                         "--digest-head", digest["head"]]) == 0
        assert digest["through"] == "2022-12-31" and digest["count"] == position(client)

    def test_openapi_documents_the_routes(self, client):
        paths = client.get("/openapi.json")[1].json["paths"]
        assert {"/v1/imports", "/v1/templates/{form}.xlsx", "/v1/acceptance-pack"} <= set(paths)
        assert paths["/v1/imports"]["post"]["security"] == [{"bearer": []}]


class TestSQLite(SpreadsheetsHttpStory):
    backend = "sqlite"


class TestPostgres(SpreadsheetsHttpStory):
    backend = "postgres"
