"""The read side on real databases: counting, exactly once across crashes, rebuild, takeover."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from hexie.domain.calendar import programme_year
from hexie.projections import annex1
from hexie.projections.cut import Cut
from hexie.projections.engine import connect
from hexie.projections.ledger import cases
from hexie.projections.engine import rebuild
from hexie.projections.engine.rebuild import compare
from hexie.projections.engine import create_read_tables, follow, Runner
from hexie.projections.read_models import PROJECTIONS, live_projections
from tests.clock import clock_passes
from tests.scenario import COUNTED_BY, record_programme, small_programme
from tests.reading import read_log



def independent_count(hexie) -> Counter:
    """Done per (unit, plan, year), straight from the raw log."""
    done, counted, after = Counter(), set(), 0
    while events := read_log(hexie, after, 1000):
        for e in events:
            plan = COUNTED_BY.get((e["kind"], e["type"]))
            if plan and e["case_id"] not in counted:
                counted.add(e["case_id"])
                year = programme_year(e["occurred_on"])
                if year:
                    done[(e["unit"], plan, year)] += 1
        after = events[-1]["position"]
    return done


def run(coro):
    return asyncio.run(coro)


async def project(url: str, batch: int = 5000) -> Runner:
    db = connect(url)
    runner = Runner(db, live_projections(), batch)
    await runner.setup()
    await runner.catch_up()
    await db.close()
    return runner


class ProjectionStory:
    def test_the_matrix_agrees_with_an_independent_count(self, hexie, database_url):
        record_programme(hexie)
        small_programme(hexie)
        run(project(database_url, batch=17))
        db = connect(database_url)
        m = run(annex1.matrix(db))
        expected = independent_count(hexie)
        got = Counter({(row["unit"], plan, int(y)): c["done"]
                       for row in m["rows"] for plan, cell in row["cells"].items()
                       for y, c in cell["by_year"].items() if c["done"]})
        assert got == expected and sum(expected.values()) > 5
        assert [m["totals"][p]["target"] for p in sorted(m["totals"])] == [15, 40, 40, 40, 40, 780, 32, 32, 12, 12]
        # the first visit dates the P02 count; a later visit does not count again
        yyl = next(r for r in m["rows"] if r["unit"] == "岳阳楼区")
        assert yyl["cells"]["P02"]["by_year"]["2021"]["done"] == 1 and yyl["cells"]["P02"]["done"] == 1
        # the 2020 launch-phase service counts to 2021
        assert yyl["cells"]["P06"]["by_year"]["2021"]["done"] == 1
        jsq = next(r for r in m["rows"] if r["unit"] == "君山区")
        assert jsq["quality"] == {"plan": "P03", "enrolled": 1, "passed": 0, "percent": 0.0, "meets_bar": False}
        assert jsq["open_arrears"] == 1 and jsq["cells"]["P10"]["done"] == 1
        drill = run(annex1.evidence(db, "君山区", "P02"))
        assert [c["year"] for c in drill["cases"]] == [2022]
        assert run(cases(db, kind="arrears_case", unit="君山区", status="closed"))[0]["fields"]["recovered"] == "50000.00"
        run(db.close())

    def test_after_the_demo_the_matrix_reads_the_seed_targets_and_agrees_with_the_raw_events(self, hexie, database_url):
        from hexie.scripts.demo import run_demo

        run_demo(hexie, seed=2023)
        run(project(database_url))
        db = connect(database_url)
        m = run(annex1.matrix(db))
        run(db.close())
        assert [m["totals"][p]["target"] for p in sorted(m["totals"])] == [15, 40, 40, 40, 40, 780, 32, 32, 12, 12]
        got = Counter({(row["unit"], plan, int(y)): c["done"]
                       for row in m["rows"] for plan, cell in row["cells"].items()
                       for y, c in cell["by_year"].items() if c["done"]})
        assert got == independent_count(hexie)
        behind = [(r["unit"], p) for r in m["rows"] for p, c in r["cells"].items() if c["target"] and c["done"] < c["target"]]
        assert behind and m["open_arrears"] > 0

    def test_as_of_gives_the_matrix_the_system_knew_then(self, hexie, database_url):
        record_programme(hexie)
        ids = small_programme(hexie)
        between = clock_passes(dt.datetime.now(dt.timezone.utc)).isoformat(timespec="microseconds")
        small_programme_more(hexie)
        hexie.append(ids["open_arrears"], "ArrearsCaseClosed", {"outcome": "transferred_out", "occurred_on": "2023-04-01"})
        run(project(database_url))
        db = connect(database_url)
        now, then = run(annex1.matrix(db)), run(annex1.matrix(db, Cut(as_of=between)))
        assert now["totals"]["P10"]["done"] == then["totals"]["P10"]["done"] + 1
        assert (now["open_arrears"], then["open_arrears"]) == (0, 1)  # it closed after `between`
        assert then["position"] < now["position"]
        drill_then = run(annex1.evidence(db, "临湘市", "P10", Cut(as_of=between)))
        assert drill_then["cases"] == [] and len(run(annex1.evidence(db, "临湘市", "P10"))["cases"]) == 1
        run(db.close())

    def test_a_crash_mid_batch_loses_nothing_and_counts_nothing_twice(self, hexie, database_url, monkeypatch):
        record_programme(hexie)
        small_programme(hexie)
        db = connect(database_url)
        runner = Runner(db, live_projections(), batch=11)
        run(runner.setup())
        flushes = {"n": 0}
        original = type(runner.projections[1]).flush

        async def failing(self, tx):
            flushes["n"] += 1
            if flushes["n"] == 5:
                raise ConnectionError("the database went away mid-batch")
            await original(self, tx)

        monkeypatch.setattr(type(runner.projections[1]), "flush", failing)
        with pytest.raises(ConnectionError):
            run(runner.catch_up())
        run(runner.catch_up())
        result = run(rebuild(connect(database_url), PROJECTIONS, out=open(os.devnull, "w")))
        assert result.identical, result.line()
        run(db.close())

    def test_killing_the_runner_midway_and_restarting_ends_with_the_same_tables(self, hexie, database_url, tmp_path):
        record_programme(hexie)
        for _ in range(3):
            small_programme_more(hexie)
        script = tmp_path / "slow_runner.py"
        script.write_text(
            "import asyncio, sys, time\n"
            "from hexie.projections.engine import connect, Runner\n"
            "from hexie.projections.read_models import live_projections\n"
            "async def main():\n"
            f"    r = Runner(connect({database_url!r}), live_projections(), batch=5)\n"
            "    await r.setup()\n"
            "    while await r.step():\n"
            "        print(min(r.positions.values()), flush=True)\n"
            "        await asyncio.sleep(0.02)\n"
            "asyncio.run(main())\n"
        )
        proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
        for _ in range(6):
            proc.stdout.readline()
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        db = connect(database_url)
        stopped_at = run(db.fetchval("SELECT MIN(position) FROM projection_positions"))
        assert 0 < stopped_at < hexie.head()
        run(project(database_url))
        result = run(rebuild(connect(database_url), PROJECTIONS, out=open(os.devnull, "w")))
        assert result.identical and result.position == hexie.head(), result.line()
        run(db.close())

    def test_rebuild_reproduces_identical_tables_and_swaps_them_in(self, hexie, database_url, capsys):
        record_programme(hexie)
        small_programme(hexie)
        run(project(database_url))
        db = connect(database_url)
        before = run(annex1.matrix(db))
        result = run(rebuild(db, PROJECTIONS))
        assert result.identical
        err = capsys.readouterr().err
        assert "ev/s" in err and "ETA" in err and "identical" in err
        after = run(annex1.matrix(db))
        assert after["rows"] == before["rows"]
        generation = run(db.fetchval("SELECT generation FROM projection_positions WHERE name = 'ledger'"))
        assert generation == 1
        # The tables really are new ones: a row tampered with in the live table is gone after the rebuild.
        run(db.execute("UPDATE annex1_cells SET done = 99"))
        assert not run(compare_live_with_fresh(database_url)).identical
        run(rebuild(db, PROJECTIONS, ["annex1"]))
        assert run(annex1.matrix(db))["rows"] == before["rows"]
        run(db.close())

    def test_projections_at_different_positions_catch_up_together(self, hexie, database_url):
        from hexie.projections.audit import AuditChain, verify_database

        record_programme(hexie)
        small_programme(hexie)

        async def scenario():
            db = connect(database_url)
            ahead = Runner(db, [AuditChain()], batch=7)
            await ahead.setup()
            await ahead.catch_up()  # the audit chain is at the head, the others at 0
            together = Runner(db, live_projections(), batch=7)
            await together.setup()
            await together.catch_up()
            positions = dict(together.positions)
            verdict = await verify_database(db)
            await db.close()
            return positions, verdict

        positions, verdict = run(scenario())
        assert set(positions.values()) == {hexie.head()}
        assert verdict["ok"] and verdict["checked"] == hexie.head()

    def test_one_runner_per_projection_and_another_takes_over(self, hexie, database_url):
        record_programme(hexie)

        async def scenario():
            db_a, db_b = connect(database_url), connect(database_url)
            stop_a, stop_b = asyncio.Event(), asyncio.Event()
            await create_read_tables(db_a, live_projections())  # as the server does before it serves
            a = asyncio.create_task(follow(db_a, live_projections(), stop_a))
            head = await asyncio.to_thread(hexie.head)
            await wait_until(db_a, head)  # A has taken the projections: B only waits to take over
            b = asyncio.create_task(follow(db_b, live_projections(), stop_b))
            await asyncio.to_thread(small_programme, hexie)
            head = await asyncio.to_thread(hexie.head)
            await wait_until(db_a, head)
            stop_a.set()  # A goes away; its locks go with its connections
            await a
            await asyncio.to_thread(small_programme_more, hexie)
            head = await asyncio.to_thread(hexie.head)
            started = time.monotonic()
            await wait_until(db_b, head, timeout=10)
            took = time.monotonic() - started
            stop_b.set()
            await b
            await db_a.close()
            await db_b.close()
            return took

        assert run(scenario()) < 10
        result = run(rebuild(connect(database_url), PROJECTIONS, out=open(os.devnull, "w")))
        assert result.identical, result.line()


def small_programme_more(hexie) -> str:
    from tests.scenario import OFFICER

    arrears = hexie.open_case("ArrearsClueReceived", {"unit": "临湘市", "channel": "union", "employer_name": "某工厂",
                                                      "amount_owed": "12000", "workers_affected": 3, "description": "欠薪",
                                                      "occurred_on": "2023-01-05"}, OFFICER).case_id
    hexie.append(arrears, "ArrearsCaseClosed", {"outcome": "transferred_out", "occurred_on": "2023-01-20"}, OFFICER)
    hexie.append(arrears, "TypicalCasePublished", {"title": "临湘市案", "summary": "移送", "occurred_on": "2023-02-01"}, OFFICER)
    return str(arrears)


async def wait_until(db, position: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        low = await db.fetchval("SELECT MIN(position) FROM projection_positions WHERE name IN ('ledger', 'annex1')")
        if low is not None and low >= position:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"projections did not reach {position}")


async def compare_live_with_fresh(url: str):
    """Build fresh tables beside the live ones and compare, without swapping."""
    from hexie.projections.engine.rebuild import SUFFIX
    from hexie.projections.read_models import PROJECTIONS

    db = connect(url)
    fresh = [PROJECTIONS["annex1"](suffix=SUFFIX)]
    for p in fresh:
        for table in p.tables:
            await db.execute(f"DROP TABLE IF EXISTS {p.t(table)}")
    await db.execute("DELETE FROM projection_positions WHERE name = $1", "annex1" + SUFFIX)
    builder = Runner(db, fresh, pauser=True)
    await builder.setup()
    await builder.catch_up()
    result = await compare(db, fresh, builder.positions["annex1"])
    await db.close()
    return result


class UpgradeStory:
    def test_a_projection_whose_shape_changed_is_rebuilt_from_the_first_event_on_start(self, hexie, database_url):
        record_programme(hexie)
        small_programme(hexie)
        run(project(database_url))
        before = read_models(database_url)
        db = connect(database_url)
        # As a store from before versions were kept (Runner.setup makes no versions table): its tables
        # count as built by version 1. A row taken out shows the old tables are really rebuilt.
        run(db.execute("DELETE FROM annex1_cells"))
        run(db.close())
        async def start_again():
            db = connect(database_url)
            try:
                await create_read_tables(db, live_projections())
                positions = {r[0]: r[1] for r in await db.fetch("SELECT name, position FROM projection_positions")}
                return positions, await db.fetch("SELECT name, version FROM projection_versions")
            finally:
                await db.close()
        positions, versions = run(start_again())
        assert positions["ledger"] == positions["annex1"] == 0 and positions["audit"] > 0  # audit kept its version 1
        assert dict(versions) == {"ledger": 2, "annex1": 2, "audit": 1}
        run(project(database_url))
        assert read_models(database_url) == before


def read_models(url: str) -> tuple:
    async def read():
        db = connect(url)
        try:
            matrix = await annex1.matrix(db)
            return {k: v for k, v in matrix.items() if k != "position"}, await cases(db, limit=1000)
        finally:
            await db.close()
    return run(read())


class TestSQLite(ProjectionStory, UpgradeStory):
    backend = "sqlite"


class TestPostgres(ProjectionStory, UpgradeStory):
    backend = "postgres"

