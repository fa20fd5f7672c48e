"""The auditor's routes: export the timeline, keep the digest, verify an upload."""

from __future__ import annotations

import orjson

from tests import samples
from tests.e2e.test_access_http import PHONE, coordinator
from tests.e2e.test_http import assert_problem, post


class AuditHttpStory:
    def test_export_keep_the_digest_and_verify_the_upload(self, client):
        last = None
        for n in range(3):
            last = post(client, "/v1/cases", coordinator("屈原区", 20 + n))
        auditor = client.token_for("auditor")
        _, digest = client.get("/v1/audit/digest", params={"wait_for": last.json["position"]}, token=auditor)
        kept = digest.json
        assert kept["position"] == last.json["position"] and len(kept["head"]) == 64
        _, export = client.get("/v1/export/timeline", token=auditor)
        assert export.status == 200 and export.headers["content-type"].startswith("application/x-ndjson")
        lines = export.body.splitlines(keepends=True)
        assert orjson.loads(lines[-1])["digest"]["head"] == kept["head"]
        assert PHONE.encode() not in export.body and samples.id_number(20).encode() not in export.body
        _, ok = client.post("/v1/audit/verify", content=export.body, token=auditor,
                            params={"digest_position": kept["position"], "digest_head": kept["head"]})
        assert ok.json["ok"] and ok.json["checked"] == len(lines) - 2
        tampered = export.body.replace("屈原区".encode(), "汨罗市".encode(), 1)
        _, bad = client.post("/v1/audit/verify", content=tampered, token=auditor)
        assert not bad.json["ok"] and bad.json["first_problem"]["problem"] == "altered"
        _, csv = client.get("/v1/export/timeline", params={"format": "csv", "unit": "屈原区"}, token=auditor)
        assert csv.body.startswith(b"export,partial") and client.post(
            "/v1/audit/verify", content=csv.body, token=auditor)[1].json["ok"]

    def test_who_may_export(self, client):
        post(client, "/v1/cases", {"type": "EnterpriseEnrolled", "data": samples.enterprise(77)})
        assert_problem(client.get("/v1/export/timeline", token=client.token_for("unit_officer", "屈原区"))[1], 403)
        assert client.get("/v1/export/timeline", token=client.token_for("inspector"))[1].status == 200
        _, clear = client.get("/v1/export/timeline")  # the city admin sees personal data, and it is recorded
        assert b"13807301234" in clear.body
        _, reads = client.get("/v1/audit/pii-reads")
        assert any(r["route"] == "/v1/export/timeline" for r in reads.json["reads"])
        assert_problem(client.get("/v1/export/timeline", params={"format": "xml"})[1], 400, "query.format")
        assert_problem(client.get("/v1/export/timeline", params={"from": "soon"})[1], 400, "query.from")


class TestSQLite(AuditHttpStory):
    backend = "sqlite"


class TestPostgres(AuditHttpStory):
    backend = "postgres"
