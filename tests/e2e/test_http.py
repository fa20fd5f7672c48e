"""The HTTP contract (DESIGN 2b), one story per status code, on each backend."""

from __future__ import annotations

import socket
import uuid

import orjson
import pytest

from hexie.http.app import MAX_BODY
from tests.e2e.conftest import free_port  # noqa: F401  (used by other e2e modules)
from tests import samples

JSON = {"content-type": "application/json"}


def post(client, path, body, token=None, **headers):
    raw = body if isinstance(body, (bytes, str)) else orjson.dumps(body)
    extra = {"token": token} if token else {}
    _, response = client.post(path, content=raw, headers={**JSON, **headers}, **extra)
    return response


def head(client) -> int:
    return client.get("/healthz")[1].json["position"]


def enrol(client, n=1, **headers):
    return post(client, "/v1/cases", {"type": "EnterpriseEnrolled", "data": samples.enterprise(n, occurred_on="2021-02-01")}, **headers)


def assert_problem(response, status, field=None):
    assert response.status == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json
    assert body["status"] == status and body["title"] and "errors" in body
    if field:
        assert field in {e["field"] for e in body["errors"]}, body
    return body


class HttpStory:
    def test_201_open_append_read_and_replay(self, client):
        r = enrol(client)
        assert r.status == 201 and r.json["kind"] == "enterprise" and r.json["version"] == 1
        assert r.headers["location"] == f"/v1/cases/{r.json['case_id']}"
        eid = r.json["case_id"]
        r = post(client, "/v1/cases", {"type": "KeyEmployerDesignated", "data": {
            "unit": "岳阳楼区", "enterprise_id": eid, "reason": "large_employer",
            "headcount_last_year_end": 800, "headcount_now": 760, "occurred_on": "2021-03-01"}})
        ke = r.json["case_id"]
        r = post(client, f"/v1/cases/{ke}/events", {"type": "GuidanceVisitLogged", "expected_version": 1, "data": {
            "visitor": "王五", "method": "on_site", "findings": "用工稳定", "occurred_on": "2021-04-02"}})
        assert r.status == 201 and r.json["version"] == 2 and "position" in r.json

        _, case = client.get(f"/v1/cases/{ke}")
        assert case.json["kind"] == "key_employer" and case.json["unit"] == "岳阳楼区" and case.json["version"] == 2
        assert case.json["state"]["first_visit_on"] == "2021-04-02"
        _, v1 = client.get(f"/v1/cases/{ke}", params={"version": 1})
        assert v1.json["version"] == 1 and v1.json["state"]["visits"] == []
        _, then = client.get(f"/v1/cases/{ke}", params={"as_of": "2020-12-31"})
        assert then.status == 404  # recorded time: the case did not exist then
        _, hist = client.get(f"/v1/cases/{ke}/events")
        assert [e["type"] for e in hist.json["events"]] == ["KeyEmployerDesignated", "GuidanceVisitLogged"]
        _, log = client.get("/v1/events", params={"after": 0, "limit": 2})
        assert [e["version"] for e in log.json["events"]] == [1, 1] and log.json["next_after"] == 2

    def test_400_malformed_json_and_queries(self, client):
        before = head(client)
        assert_problem(post(client, "/v1/cases", b'{"type": "EnterpriseEnrolled", "data": {'), 400)
        assert_problem(post(client, "/v1/cases", b"[1, 2]"), 400)
        assert_problem(client.get("/v1/events", params={"after": "x"})[1], 400, "query.after")
        assert_problem(client.get("/v1/events", params={"limit": 5000})[1], 400, "query.limit")
        eid = enrol(client).json["case_id"]
        assert_problem(client.get(f"/v1/cases/{eid}", params={"as_of": "yesterday"})[1], 400, "query.as_of")
        assert head(client) == before + 1

    def test_404_unknown_case_or_version(self, client):
        missing = uuid.uuid4()
        assert_problem(client.get(f"/v1/cases/{missing}")[1], 404)
        assert_problem(client.get(f"/v1/cases/{missing}/events")[1], 404)
        assert_problem(post(client, f"/v1/cases/{missing}/events", {"type": "HeadcountReported", "data": {"headcount": 1}}), 404)
        assert_problem(client.get("/v1/cases/not-a-uuid")[1], 404)
        eid = enrol(client).json["case_id"]
        assert_problem(client.get(f"/v1/cases/{eid}", params={"version": 5})[1], 404)

    def test_409_version_conflict_says_the_current_version(self, client):
        eid = enrol(client).json["case_id"]
        assert post(client, f"/v1/cases/{eid}/events", {"type": "HeadcountReported", "data": {"headcount": 5}, "expected_version": 1}).status == 201
        before = head(client)
        body = assert_problem(post(client, f"/v1/cases/{eid}/events",
                                   {"type": "HeadcountReported", "data": {"headcount": 6}, "expected_version": 1}), 409, "expected_version")
        assert body["current_version"] == 2
        body = assert_problem(enrol(client), 409)  # same 统一社会信用代码
        assert body["case_id"] == eid
        assert head(client) == before

    def test_413_body_too_large(self, client):
        before = head(client)
        big = orjson.dumps({"type": "EnterpriseEnrolled", "data": {"name": "x" * (MAX_BODY + 10)}})
        assert_problem(post(client, "/v1/cases", big), 413)
        assert head(client) == before

    def test_422_names_the_field_or_rule(self, client):
        before = head(client)
        body = assert_problem(post(client, "/v1/cases", {"type": "EnterpriseEnrolled",
                                                         "data": samples.enterprise(3, uscc="914306000000000001", headcount="many")}),
                              422, "data.uscc")
        assert "data.headcount" in {e["field"] for e in body["errors"]}
        assert "GB 32100" in body["detail"]
        assert_problem(post(client, "/v1/cases", {"type": "NoSuchEvent", "data": {}}), 422, "type")
        assert_problem(post(client, "/v1/cases", {"data": {}}), 422, "type")
        assert_problem(post(client, "/v1/cases", {"type": "EnterpriseEnrolled", "data": samples.enterprise(4), "extra": 1}), 422, "extra")
        eid = enrol(client, 5).json["case_id"]
        assert_problem(post(client, f"/v1/cases/{eid}/events", {"type": "LayoffsReported", "data": {}}), 422, "type")
        assert_problem(post(client, f"/v1/cases/{eid}/events", {"type": "HeadcountReported", "data": {"headcount": 1}, "expected_version": 0}),
                       422, "expected_version")
        ke = post(client, "/v1/cases", {"type": "KeyEmployerDesignated", "data": {
            "unit": "君山区", "enterprise_id": eid, "reason": "layoff_risk", "headcount_last_year_end": 90,
            "headcount_now": 80, "occurred_on": "2021-03-01"}}).json["case_id"]
        rule = assert_problem(post(client, f"/v1/cases/{ke}/events", {"type": "LayoffsReported", "data": {
            "year": 2021, "laid_off": 3, "wages_settled": True}}), 422, "data.year")
        assert rule["errors"][0]["rule"] == "no_layoff_plan"
        assert head(client) == before + 2

    def test_idempotency_key_replays_the_first_answer(self, client):
        first = enrol(client, 6, **{"Idempotency-Key": "enrol-6"})
        again = enrol(client, 6, **{"Idempotency-Key": "enrol-6"})
        assert again.status == 201 and again.json == first.json and again.headers["idempotent-replayed"] == "true"
        eid = first.json["case_id"]
        one = post(client, f"/v1/cases/{eid}/events", {"type": "HeadcountReported", "data": {"headcount": 9}}, **{"Idempotency-Key": "hc-9"})
        two = post(client, f"/v1/cases/{eid}/events", {"type": "HeadcountReported", "data": {"headcount": 9}}, **{"Idempotency-Key": "hc-9"})
        assert one.json == two.json
        assert_problem(post(client, f"/v1/cases/{eid}/events", {"type": "HeadcountReported", "data": {"headcount": 10}},
                            **{"Idempotency-Key": "hc-9"}), 422, "Idempotency-Key")
        assert head(client) == 2

    def test_every_response_carries_a_request_id(self, client):
        _, r = client.get("/healthz", headers={"X-Request-ID": "req-abc"})
        assert r.headers["x-request-id"] == "req-abc"
        assert len(client.get("/healthz")[1].headers["x-request-id"]) == 32

    def test_logs_are_json_with_the_request_id_and_no_personal_data(self, client, capsys):
        data = samples.enterprise(9, contact_phone="13912345678")
        r = post(client, "/v1/cases", {"type": "EnterpriseEnrolled", "data": data}, **{"X-Request-ID": "trace-9"})
        post(client, "/v1/cases", {"type": "EnterpriseEnrolled", "data": {**data, "contact_phone": "139123456789"}})
        assert r.status == 201
        lines = [orjson.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
        mine = [line for line in lines if line.get("request_id") == "trace-9"]
        assert mine and mine[0]["path"] == "/v1/cases" and mine[0]["status"] == 201
        text = orjson.dumps(lines).decode()
        assert "13912345678" not in text and "1391234567" not in text

    def test_openapi_serves_one_schema_per_event_type(self, client):
        from hexie.schemas import event_schemas

        _, r = client.get("/openapi.json")
        components = r.json["components"]["schemas"]
        assert set(event_schemas()) <= set(components)
        assert components["GuidanceVisitLogged"]["properties"]["method"] == {"title": "指导方式", "$ref": "#/components/schemas/visit_method"}
        assert client.get("/docs")[1].status == 200


class TestSQLite(HttpStory):
    backend = "sqlite"


class TestPostgres(HttpStory):
    backend = "postgres"
