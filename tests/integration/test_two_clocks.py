"""Two clocks (DESIGN 6) on a ledger filled in after the fact: events recorded now, dated 2020–2023.

Every report is asked through a business date (`through`) and as recorded by a time (`as_of`),
and checked against a count made here independently from the raw events.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

import pytest

from hexie.projections import annex1, registers, summary
from hexie.projections.cut import Cut
from hexie.projections.engine import Runner, connect
from hexie.projections.read_models import live_projections
from tests.clock import clock_passes
from tests.reading import whole_log
from tests.scenario import COUNTED_BY, OFFICER, record_programme, small_programme



def year_of(event: dict) -> int | None:
    """The programme year an action counts to: its stated year if it names one, else its date's;
    2020 counts to 2021; after 2023-09-30, to none."""
    if event["occurred_on"] > "2023-09-30":
        return None
    year = event["data"].get("year") or int(event["occurred_on"][:4])
    return None if year > 2023 else max(year, 2021)


def independent_count(events: list[dict], through: str) -> Counter:
    """Done per (unit, plan, year) through a business date: each case by its earliest counting event."""
    earliest: dict[tuple, dict] = {}
    for e in events:
        plan = COUNTED_BY.get((e["kind"], e["type"]))
        if plan is None or e["occurred_on"] > through:
            continue
        key = (plan, e["case_id"])
        if key not in earliest or (e["occurred_on"], e["position"]) < (earliest[key]["occurred_on"], earliest[key]["position"]):
            earliest[key] = e
    return Counter((e["unit"], plan, year_of(e)) for (plan, _), e in earliest.items() if year_of(e) is not None)


def cells(matrix: dict) -> Counter:
    return Counter({(row["unit"], plan, int(y)): c["done"]
                    for row in matrix["rows"] for plan, cell in row["cells"].items()
                    for y, c in cell["by_year"].items() if c["done"]})


def run(coro):
    return asyncio.run(coro)


async def projected(url: str, query, *args):
    db = connect(url)
    try:
        runner = Runner(db, live_projections())
        await runner.setup()
        await runner.catch_up()
        return await query(db, *args)
    finally:
        await db.close()


def backfilled(hexie) -> dict:
    """The targets, then the programme recorded after the fact — and one key employer whose 2021 visit
    is found in the files and recorded after its 2022 one."""
    record_programme(hexie)
    before_work = clock_passes(dt.datetime.now(dt.timezone.utc))
    ids = small_programme(hexie)
    ke = ids["key_employer:华容县"]  # first recorded visit dated 2023-03-01 (small_programme)
    hexie.append(ke, "GuidanceVisitLogged", {"visitor": "补录", "method": "on_site", "findings": "档案补录",
                                            "occurred_on": "2021-07-15"}, OFFICER)
    return {**ids, "before_work": before_work.isoformat()}


class TwoClocksStory:
    @pytest.mark.parametrize("through", ["2021-06-30", "2021-12-31", "2022-06-30", "2022-12-31", "2023-09-30", None])
    def test_the_matrix_through_a_business_date_equals_a_count_of_the_raw_events(self, hexie, database_url, through):
        backfilled(hexie)
        events = whole_log(hexie)
        matrix = run(projected(database_url, annex1.matrix, Cut(through)))
        assert cells(matrix) == independent_count(events, through or "9999-12-31")
        assert matrix["through"] == through

    def test_an_earlier_visit_recorded_later_moves_the_case_to_its_year(self, hexie, database_url):
        ids = backfilled(hexie)
        now = run(projected(database_url, annex1.matrix, Cut()))
        p02 = next(r for r in now["rows"] if r["unit"] == "华容县")["cells"]["P02"]["by_year"]
        assert (p02["2021"]["done"], p02["2023"]["done"]) == (1, 0)  # counted by its 2021 visit, not the first recorded
        [case] = run(projected(database_url, annex1.evidence, "华容县", "P02", Cut()))["cases"]
        assert case["case_id"] == ids["key_employer:华容县"] and case["counted_on"] == "2021-07-15"
        # Through 2022-12-31 the 2023 visit had not happened: the 2021 one counts all the same
        assert run(projected(database_url, annex1.evidence, "华容县", "P02", Cut("2021-06-30")))["cases"] == []

    def test_as_recorded_before_the_work_the_matrix_shows_targets_and_nothing_done(self, hexie, database_url):
        ids = backfilled(hexie)
        then = run(projected(database_url, annex1.matrix, Cut.of(None, ids["before_work"])))
        assert all(t["done"] == 0 for t in then["totals"].values())
        assert then["totals"]["P06"]["target"] == 780 and then["open_arrears"] == 0
        now = run(projected(database_url, annex1.matrix, Cut()))
        assert sum(t["done"] for t in now["totals"].values()) > 0

    def test_registers_stand_as_on_the_business_date(self, hexie, database_url):
        backfilled(hexie)  # the coordinator was registered 2021-03-01, selected gold 2021-12-01
        before = run(projected(database_url, registers.build, "annex3", None, None, None, False, Cut("2021-02-28")))
        on_the_day = run(projected(database_url, registers.build, "annex3", None, None, None, False, Cut("2021-03-01")))
        assert before.rows == [] and len(on_the_day.rows) == 1
        assert on_the_day.document()["through"] == "2021-03-01"
        # Annex 8's 本年度 is the year of the business date
        annex8 = run(projected(database_url, registers.build, "annex8", None, None, None, False, Cut("2022-12-31")))
        assert annex8.meta["year"] == 2022 and len(annex8.rows) == 3

    def test_the_yearly_summary_of_2022_equals_the_count_for_2022(self, hexie, database_url):
        backfilled(hexie)
        events = whole_log(hexie)
        expected = {k: n for k, n in independent_count(events, "2022-12-31").items() if k[2] == 2022}
        document = run(projected(database_url, summary.summary, 2022))
        got = {(u["unit"], plan, 2022): c["done"] for u in document["units"] for plan, c in u["plans"].items() if c["done"]}
        assert got == expected
        assert (document["through"], document["arrears"]["opened"], document["arrears"]["closed"]) == ("2022-12-31", 1, 1)
        assert document["arrears"]["open_at_year_end"] == 0  # the one open case arrived in 2023
        assert document["typical_cases_published"] == 1
        p02 = next(f for f in document["floors"] if f["plan"] == "P02")
        assert p02["by_unit"]["君山区"] == 1 and "岳阳楼区" in p02["short"] and not p02["met"]


class TestSQLite(TwoClocksStory):
    backend = "sqlite"


class TestPostgres(TwoClocksStory):
    backend = "postgres"
