"""Who may do what (DESIGN 4), over HTTP: each role's allowed and refused actions."""

from __future__ import annotations

import orjson

from tests import samples
from tests.e2e.test_http import assert_problem, head, post

PHONE = "13807301234"


def coordinator(unit: str, n: int) -> dict:
    return {"type": "CoordinatorRegistered", "data": {
        "unit": unit, "name": "钟晓", "gender": "female", "ethnicity": "15", "id_number": samples.id_number(n),
        "employer": "岳阳纸业", "position": "人事主管", "education": "bachelor", "appointed_on": "2020-03-01",
        "phone": PHONE, "occurred_on": "2021-03-01"}}


class AccessStory:
    def test_no_token_no_entry_except_the_open_routes(self, client):
        for path in ("/v1/events", "/v1/reports/annex1", "/v1/ledger", "/v1/audit/digest"):
            r = client.get(path, token="")[1]
            assert_problem(r, 401)
            assert r.headers["www-authenticate"].startswith("Bearer")
        assert_problem(post(client, "/v1/cases", {"type": "EnterpriseEnrolled", "data": samples.enterprise(1)}, token="nope"), 401)
        for path in ("/healthz", "/openapi.json", "/docs"):
            assert client.get(path, token="")[1].status == 200

    def test_a_revoked_token_stops_working(self, client):
        import asyncio

        from hexie.http.auth import create_token, revoke_token
        from hexie.projections.engine import connect

        async def make_and_revoke():
            db = connect(client.database_url)
            token_id, token = await create_token(db, "inspector", None, "leaver")
            await revoke_token(db, token_id)
            await db.close()
            return token

        token = asyncio.run(make_and_revoke())
        assert_problem(client.get("/v1/events", token=token)[1], 401)

    def test_a_unit_officer_works_on_its_own_unit_only(self, client):
        officer = client.token_for("unit_officer", "华容县")
        mine = post(client, "/v1/cases", coordinator("华容县", 1), token=officer)
        assert mine.status == 201
        theirs = post(client, "/v1/cases", coordinator("君山区", 2))  # by the city admin
        before = head(client)
        assert_problem(post(client, "/v1/cases", coordinator("君山区", 3), token=officer), 403)
        assert_problem(post(client, f"/v1/cases/{theirs.json['case_id']}/events", {"type": "CoordinatorCertified", "data": {
            "level": "level_4", "certificate_type": "skill_level_certificate", "certificate_no": "C-1"}}, token=officer), 403)
        assert head(client) == before  # refused means nothing stored
        _, own = client.get(f"/v1/cases/{mine.json['case_id']}", token=officer)
        assert own.json["state"]["phone"] == PHONE and own.json["state"]["id_number"] == samples.id_number(1)
        assert_problem(client.get(f"/v1/cases/{theirs.json['case_id']}", token=officer)[1], 403)
        assert_problem(client.get(f"/v1/cases/{theirs.json['case_id']}/events", token=officer)[1], 403)
        _, ledger = client.get("/v1/ledger", params={"kind": "coordinator", "wait_for": theirs.json["position"]}, token=officer)
        assert {c["unit"] for c in ledger.json["cases"]} == {"华容县"}
        assert_problem(client.get("/v1/ledger", params={"unit": "君山区"}, token=officer)[1], 403)
        _, feed = client.get("/v1/events", params={"after": 0, "limit": 1000}, token=officer)
        assert {e["unit"] for e in feed.json["events"]} == {"华容县"}
        _, matrix = client.get("/v1/reports/annex1", token=officer)
        assert matrix.status == 200 and len(matrix.json["rows"]) == 15

    def test_an_officer_reports_progress_on_a_city_measure_for_its_own_unit(self, client):
        from hexie.scripts.programme import measure_commands

        measure = next(c for c in measure_commands() if "华容县" in c["data"]["responsible_units"] and c["data"]["cadence"] != "yearly")
        case_id = post(client, "/v1/cases", measure).json["case_id"]
        officer = client.token_for("unit_officer", "华容县")
        ok = post(client, f"/v1/cases/{case_id}/events", {"type": "MeasureProgressReported", "data": {
            "unit": "华容县", "note": "已完成", "done": True}}, token=officer)
        assert ok.status == 201
        assert_problem(post(client, f"/v1/cases/{case_id}/events", {"type": "MeasureProgressReported", "data": {
            "unit": "君山区", "note": "代报", "done": True}}, token=officer), 403)

    def test_inspectors_and_auditors_read_everything_masked_and_write_nothing(self, client):
        case = post(client, "/v1/cases", coordinator("岳阳县", 4))
        for role in ("inspector", "auditor"):
            token = client.token_for(role)
            assert_problem(post(client, "/v1/cases", coordinator("岳阳县", 5), token=token), 403)
            _, state = client.get(f"/v1/cases/{case.json['case_id']}", token=token)
            assert state.status == 200 and state.json["state"]["phone"] == "138****1234"
            _, history = client.get(f"/v1/cases/{case.json['case_id']}/events", token=token)
            assert PHONE not in orjson.dumps(history.json).decode()
            assert samples.id_number(4) not in orjson.dumps(history.json).decode()
            assert client.get("/v1/audit/digest", token=token)[1].status == 200
            assert_problem(client.get("/v1/audit/pii-reads", token=token)[1], 403)
        granted = client.token_for("auditor", grants=["pii"])
        _, clear = client.get(f"/v1/cases/{case.json['case_id']}", token=granted)
        assert clear.json["state"]["phone"] == PHONE

    def test_every_read_in_clear_is_recorded_for_the_city_admin(self, client):
        case = post(client, "/v1/cases", coordinator("临湘市", 6))
        officer = client.token_for("unit_officer", "临湘市")
        client.get(f"/v1/cases/{case.json['case_id']}", token=officer)
        client.get(f"/v1/cases/{case.json['case_id']}/events")
        client.get(f"/v1/cases/{case.json['case_id']}", token=client.token_for("inspector"))  # masked: not a read in clear
        _, reads = client.get("/v1/audit/pii-reads")
        mine = [r for r in reads.json["reads"] if r["case_id"] == case.json["case_id"]]
        assert sorted(r["role"] for r in mine) == ["city_admin", "unit_officer"]
        assert all(r["actor"] and r["at"] for r in mine)


class TestSQLite(AccessStory):
    backend = "sqlite"


class TestPostgres(AccessStory):
    backend = "postgres"
