"""The service layer on real databases: each story runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time
import uuid

import pytest

from hexie.domain.commands import CaseNotFound, DuplicateCase, IdempotencyKeyReused, ValidationFailed, VersionConflict
from hexie.domain.application import Hexie
from hexie.domain.case import Context, DomainError
from tests.clock import clock_passes
from tests import samples
from tests.reading import read_log, case_history

OFFICER = Context(actor="officer-yyl", actor_unit="岳阳楼区")


def enrol(hexie: Hexie, n: int = 1, **changes):
    return hexie.open_case("EnterpriseEnrolled", samples.enterprise(n, occurred_on="2021-02-01", **changes), OFFICER)


def designate(hexie: Hexie, enterprise_id) -> object:
    return hexie.open_case(
        "KeyEmployerDesignated",
        {"unit": "岳阳楼区", "enterprise_id": str(enterprise_id), "reason": "layoff_risk",
         "headcount_last_year_end": 500, "headcount_now": 460, "occurred_on": "2021-03-01"},
        OFFICER,
    )


PLAN = {"year": 2021, "planned_layoffs": 40, "positions": "包装工", "compensation_standard": "statutory_n",
        "payment_capacity_assessed": True, "occurred_on": "2021-06-01"}


class ApplicationStory:
    def test_a_key_employer_from_enrolment_to_layoff_plan(self, hexie: Hexie):
        enterprise = enrol(hexie)
        ke = designate(hexie, enterprise.case_id)
        visit = hexie.append(ke.case_id, "GuidanceVisitLogged",
                             {"visitor": "王五", "method": "on_site", "findings": "订单减少", "occurred_on": "2021-04-01"},
                             OFFICER, expected_version=1)
        assert (visit.version, visit.position) == (2, ke.position + 1)
        before_plan = clock_passes(dt.datetime.now(dt.timezone.utc))
        hexie.append(ke.case_id, "LayoffPlanReported", PLAN, OFFICER)

        history = case_history(hexie, ke.case_id)
        assert [e["type"] for e in history] == ["KeyEmployerDesignated", "GuidanceVisitLogged", "LayoffPlanReported"]
        assert [e["occurred_on"] for e in history] == ["2021-03-01", "2021-04-01", "2021-06-01"]
        assert {e["actor"] for e in history} == {"officer-yyl"}
        assert {e["unit"] for e in history} == {"岳阳楼区"}
        assert history[2]["data"]["planned_layoffs"] == 40

        assert hexie.get_case(ke.case_id).layoff_plans["2021"]["planned_layoffs"] == 40
        then = hexie.get_case(ke.case_id, as_of=before_plan)
        assert then.version == 2 and then.layoff_plans == {}
        assert hexie.get_case(ke.case_id, version=1).visits == []

    def test_bad_input_stores_nothing(self, hexie: Hexie):
        enterprise = enrol(hexie)
        head = hexie.head()
        with pytest.raises(ValidationFailed) as bad:
            hexie.open_case("EnterpriseEnrolled", samples.enterprise(2, headcount=-5, uscc="91430600000000000X"), OFFICER)
        assert {e["field"] for e in bad.value.errors} >= {"data.headcount", "data.uscc"}
        with pytest.raises(ValidationFailed) as future:
            hexie.append(enterprise.case_id, "HeadcountReported",
                         {"headcount": 3, "occurred_on": (dt.date.today() + dt.timedelta(days=2)).isoformat()}, OFFICER)
        assert future.value.errors[0]["field"] == "data.occurred_on"
        with pytest.raises(DomainError) as unknown:
            designate(hexie, uuid.uuid4())
        assert unknown.value.field == "data.enterprise_id"
        with pytest.raises(ValidationFailed):
            hexie.append(enterprise.case_id, "LayoffsReported", {"year": 2021, "laid_off": 1, "wages_settled": True}, OFFICER)
        with pytest.raises(CaseNotFound):
            hexie.append(uuid.uuid4(), "HeadcountReported", {"headcount": 3}, OFFICER)
        assert hexie.head() == head

    def test_the_same_enterprise_cannot_be_enrolled_twice(self, hexie: Hexie):
        first = enrol(hexie, 7)
        with pytest.raises(DuplicateCase) as dup:
            enrol(hexie, 7, name="另一个名字")
        assert dup.value.case_id == first.case_id

    def test_a_stale_expected_version_is_refused_and_stores_nothing(self, hexie: Hexie):
        enterprise = enrol(hexie)
        hexie.append(enterprise.case_id, "HeadcountReported", {"headcount": 300}, OFFICER, expected_version=1)
        with pytest.raises(VersionConflict) as conflict:
            hexie.append(enterprise.case_id, "HeadcountReported", {"headcount": 310}, OFFICER, expected_version=1)
        assert conflict.value.current == 2
        assert hexie.get_case(enterprise.case_id).headcount == 300

    def test_two_clients_with_the_same_expected_version_one_wins(self, hexie: Hexie):
        enterprise = enrol(hexie)
        outcomes: list[object] = []
        barrier = threading.Barrier(4)

        def client(n: int) -> None:
            barrier.wait()
            try:
                outcomes.append(hexie.append(enterprise.case_id, "HeadcountReported", {"headcount": 100 + n},
                                             OFFICER, expected_version=1))
            except VersionConflict as e:
                outcomes.append(e)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wins = [o for o in outcomes if not isinstance(o, VersionConflict)]
        assert len(wins) == 1 and len(outcomes) == 4
        assert hexie.get_case(enterprise.case_id).version == 2

    def test_appends_without_expected_version_all_land(self, hexie: Hexie):
        enterprise = enrol(hexie)
        threads = [threading.Thread(target=hexie.append, args=(enterprise.case_id, "HeadcountReported",
                                                                {"headcount": n}, OFFICER)) for n in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert hexie.get_case(enterprise.case_id).version == 6

    def test_an_idempotent_retry_stores_one_event(self, hexie: Hexie):
        keyed = Context(actor="officer-yyl", idempotency_key="visit-2021-04-01-a")
        enterprise = enrol(hexie)
        first = hexie.append(enterprise.case_id, "HeadcountReported", {"headcount": 12}, keyed)
        again = hexie.append(enterprise.case_id, "HeadcountReported", {"headcount": 12}, keyed)
        assert again.replayed and (again.case_id, again.version, again.position) == (first.case_id, first.version, first.position)
        assert hexie.get_case(enterprise.case_id).version == 2
        with pytest.raises(IdempotencyKeyReused):
            hexie.append(enterprise.case_id, "HeadcountReported", {"headcount": 13}, keyed)
        created_key = Context(actor="officer-yyl", idempotency_key="enrol-8")
        one = hexie.open_case("EnterpriseEnrolled", samples.enterprise(8), created_key)
        two = hexie.open_case("EnterpriseEnrolled", samples.enterprise(8), created_key)
        assert two.replayed and two.position == one.position
        assert len(read_log(hexie, 0, 1000)) == 3

    def test_the_global_log_pages_in_order(self, hexie: Hexie):
        for n in range(5):
            enrol(hexie, n + 10)
        page1 = read_log(hexie, 0, 3)
        page2 = read_log(hexie, page1[-1]["position"], 3)
        positions = [e["position"] for e in page1 + page2]
        assert positions == sorted(positions) and len(positions) == 5
        event = page1[0]
        assert set(event) >= {"position", "case_id", "kind", "version", "type", "data", "occurred_on",
                              "recorded_at", "actor", "unit"}
        assert event["kind"] == "enterprise" and event["type"] == "EnterpriseEnrolled"
        assert "*" in event["data"]["contact_phone"]  # personal data masked in listings

    def test_an_acknowledged_event_survives_a_crash(self, hexie: Hexie, database_url):
        enterprise = enrol(hexie)
        script = (
            "import os, uuid, sys\n"
            "from hexie.domain.application import Hexie\n"
            f"h = Hexie({database_url!r})\n"
            f"r = h.append(uuid.UUID({str(enterprise.case_id)!r}), 'HeadcountReported', {{'headcount': 999}})\n"
            "print(r.version, flush=True)\n"
            "os._exit(0)  # no close, no cleanup: the process dies right after the acknowledgement\n"
        )
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
        assert out.stdout.strip() == "2"
        reopened = Hexie(database_url)
        assert reopened.get_case(enterprise.case_id).headcount == 999
        reopened.close()


class TestSQLite(ApplicationStory):
    backend = "sqlite"


class TestPostgres(ApplicationStory):
    backend = "postgres"
