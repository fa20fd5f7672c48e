"""People and bodies registered once (DESIGN 7), on each backend: a person by 身份证号码 through a keyed
hash kept outside the log, a body by 统一社会信用代码 or unit and name; a second registration is a
conflict naming the case, over the service layer and in imports, by any actor."""

from __future__ import annotations

import threading

import pytest

from hexie.domain.case import Context
from hexie.domain.commands import DuplicateCase
from tests import samples
from tests.integration.test_import import annex3_rows, do_import, write_xlsx

A, B = Context(actor="officer-a", actor_unit="市总工会"), Context(actor="officer-b", actor_unit="市人社局")


def coordinator(n: int = 7, **changes) -> dict:
    return {"unit": "市总工会", "name": "赵敏", "gender": "female", "ethnicity": "15", "id_number": samples.id_number(n),
            "employer": "岳阳纸业", "position": "人事主管", "education": "bachelor", "appointed_on": "2019-05-01",
            "phone": "13973012345", "occurred_on": "2021-03-01", **changes}


def body(**changes) -> dict:
    return {"unit": "临湘市", "township": "长安街道", "name": "临湘市长安街道劳动人事争议调解中心",
            "nature": "township_street_center", "address": "临湘市长安街道", "established_on": "2019-09-01",
            "head": "陈建国", "contact_name": "吴丽", "contact_phone": "0730-3721234", "occurred_on": "2021-02-20", **changes}


def sql(hexie, statement: str) -> list:
    """A statement on the person index, on either backend (the index lives beside the events)."""
    ds = hexie.recorder.datastore
    if hexie.database_url.startswith("postgres"):
        statement = statement.replace("hexie_person_index", f'"{ds.schema}".hexie_person_index')
    with ds.transaction(commit=True) as c:
        c.execute(statement)
        rows = c.fetchall() if statement.lstrip().upper().startswith("SELECT") else []
    return [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in rows]


def index_rows(hexie) -> int:
    return sql(hexie, "SELECT COUNT(*) FROM hexie_person_index WHERE kind != 'marker'")[0][0]


class IdentityStory:
    def test_a_person_is_registered_once_whoever_registers_them_again(self, hexie):
        first = hexie.open_case("CoordinatorRegistered", coordinator(), A)
        with pytest.raises(DuplicateCase) as again:
            hexie.open_case("CoordinatorRegistered", coordinator(name="赵 敏", unit="市人社局"), B)
        assert again.value.case_id == first.case_id and hexie.head() == first.position
        # the same number registered in the other register (a mediator) is another case
        mediator = {k: v for k, v in coordinator().items() if k != "unit"} | {"unit": "市总工会"}
        assert hexie.open_case("MediatorRegistered", mediator, A).case_id != first.case_id

    def test_the_index_holds_no_number_and_erasure_removes_the_entry(self, hexie):
        first = hexie.open_case("CoordinatorRegistered", coordinator(), A)
        assert index_rows(hexie) == 1
        number = samples.id_number(7)
        [(digest, kind, case_id)] = sql(hexie, "SELECT digest, kind, case_id FROM hexie_person_index WHERE kind != 'marker'")
        assert (kind, str(case_id)) == ("coordinator", str(first.case_id))
        assert number not in digest and digest == hexie.vault.person_digest("coordinator", number)  # a keyed hash only
        assert hexie.vault.erase(first.case_id)
        assert hexie.vault.person_case(digest) is None and index_rows(hexie) == 0
        # nothing left confirms the erased number: registering it again is a new person's case
        again = hexie.open_case("CoordinatorRegistered", coordinator(), A)
        assert again.case_id != first.case_id

    def test_two_registrations_at_once_give_one_case_and_one_conflict(self, hexie):
        results: list = []

        def register(context):
            try:
                results.append(hexie.open_case("CoordinatorRegistered", coordinator(9), context))
            except DuplicateCase as e:
                results.append(e)

        threads = [threading.Thread(target=register, args=(c,)) for c in (A, B)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        cases = [r for r in results if not isinstance(r, DuplicateCase)]
        conflicts = [r for r in results if isinstance(r, DuplicateCase)]
        assert len(cases) == 1 and len(conflicts) == 1 and conflicts[0].case_id == cases[0].case_id

    def test_people_registered_before_the_index_are_indexed_once(self, hexie):
        first = hexie.open_case("CoordinatorRegistered", coordinator(), A)
        sql(hexie, "DELETE FROM hexie_person_index")  # as a store from before the index
        assert hexie.index_people() == 1 and hexie.index_people() == 0
        with pytest.raises(DuplicateCase) as again:
            hexie.open_case("CoordinatorRegistered", coordinator(), B)
        assert again.value.case_id == first.case_id

    def test_a_body_is_one_case_per_code_or_unit_and_name(self, hexie):
        first = hexie.open_case("MediationBodyRegistered", body(), A)
        with pytest.raises(DuplicateCase) as again:
            hexie.open_case("MediationBodyRegistered", body(name="临湘市长安街道 劳动人事争议调解中心"), B)
        assert again.value.case_id == first.case_id
        coded = hexie.open_case("SocialOrganisationRegistered", {**body(), "nature": "social_group", "coordinator_count": 3,
                                                                  "uscc": samples.uscc(55)}, A)
        with pytest.raises(DuplicateCase) as renamed:
            hexie.open_case("SocialOrganisationRegistered", {**body(name="临湘市劳动关系协会"), "nature": "social_group",
                                                               "coordinator_count": 3, "uscc": samples.uscc(55)}, B)
        assert renamed.value.case_id == coded.case_id

    def test_an_import_by_another_actor_registers_nobody_twice(self, hexie, tmp_path):
        path = write_xlsx(tmp_path / "annex3.xlsx", annex3_rows())
        first = do_import(hexie, path, "annex3", unit="岳阳楼区")
        assert first.ok and first.recorded == 4
        head = hexie.head()
        again = do_import(hexie, path, "annex3", Context(actor="another-officer"), unit="岳阳楼区")
        assert not again.ok and hexie.head() == head  # all or nothing: nothing stored
        assert {p["rule"] for p in again.problems} == {"already_registered"}
        assert {p["column"] for p in again.problems} == {"身份证号码"} and len(again.problems) == 4
        assert "已登记为案件" in again.problems[0]["problem_zh"]


class TestSQLite(IdentityStory):
    backend = "sqlite"


class TestPostgres(IdentityStory):
    backend = "postgres"
