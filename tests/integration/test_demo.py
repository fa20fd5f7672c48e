"""`hexie demo` on real databases: one demo programme per backend, then what it must show.

The demo runs once per backend (a class-scoped database: SQLite file or PostgreSQL
schema) on a ledger that already holds the Annex 1 targets, as `hexie init` records
them, so both paths are taken: targets already present are skipped, measures are
recorded. Every test then reads the ledger back through the service layer.
Annex 1 counting follows DESIGN 1: a case counts once, for its unit, in the
programme year of its first counting event.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from collections import Counter, defaultdict

import psycopg
import pytest
from openpyxl import load_workbook

from hexie.domain.commands import DuplicateCase
from hexie.domain.application import Hexie
from hexie.domain.case import Context
from hexie.domain.calendar import today
from hexie.domain.kinds import KINDS, TOPICS
from hexie.domain.measure import Measure
from hexie.domain.vocabulary import UNITS
from hexie.domain.calendar import programme_year
from hexie.projections import annex1 as annex1_report
from hexie.projections.cut import Cut
from hexie.projections.engine import connect
from hexie.scripts import cli
from hexie.scripts.demo import DemoRefused, plan_programme, run_demo
from hexie.scripts.programme import annex1_totals, measure_commands, target_commands
from tests.reading import read_log

SEED = 2023
PROGRAMME_END = "2023-09-30"
TOTALS = {"P01": 15, "P02": 40, "P03": 40, "P04": 40, "P05": 40, "P06": 780, "P07": 32, "P08": 32, "P09": 12, "P10": 12}

# DESIGN 1: (kind, event type) whose first occurrence in a case counts the case to a plan.
COUNTING = {
    ("bargaining_model", "BargainingModelSelected"): "P01",
    ("key_employer", "GuidanceVisitLogged"): "P02",
    ("cultivation", "CultivationEnrolled"): "P03",
    ("cooperation_unit", "PlaqueAwarded"): "P04",
    ("wage_guidance", "WageGuidanceProvided"): "P05",
    ("new_enterprise_service", "NewEnterpriseServiceProvided"): "P06",
    ("coordinator", "GoldCoordinatorSelected"): "P07",
    ("mediation_body", "GoldMediationBodySelected"): "P08",
    ("social_organisation", "GoldSocialOrganisationSelected"): "P09",
    ("arrears_case", "TypicalCasePublished"): "P10",
}


def whole_log(hexie: Hexie) -> list[dict]:
    events, after = [], 0
    while page := read_log(hexie, after, 2000):
        events += page
        after = page[-1]["position"]
    return events


def annex1(events: list[dict]) -> tuple[dict, Counter, Counter]:
    """Targets by (unit, plan), counted cases by (unit, plan) and by (unit, plan, year)."""
    targets = {(e["data"]["unit"], e["data"]["plan"]): e["data"] for e in events if e["type"] == "TargetAssigned"}
    counted: dict[str, tuple] = {}
    for e in events:
        plan = COUNTING.get((e["kind"], e["type"]))
        if plan and e["case_id"] not in counted:
            counted[e["case_id"]] = (e["unit"], plan, programme_year(e["occurred_on"]))
    return targets, Counter((u, p) for u, p, _ in counted.values()), Counter(counted.values())


@pytest.fixture(scope="class")
def demo(request, tmp_path_factory):
    """(hexie, summary, events, url): the demo recorded once for the class's backend."""
    if request.cls.backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo')}/hexie.sqlite3"
        schema = None
    else:
        base = request.getfixturevalue("postgres_database")
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        url = f"{base}?schema={schema}"
    hexie = Hexie(url)
    for command in target_commands():  # what `hexie init` records first
        hexie.open_case(command["type"], command["data"], Context(actor="hexie-init"))
    stages = []
    summary = run_demo(hexie, seed=SEED, progress=lambda done, total, stage: stages.append((done, total, stage)))
    summary["progress"] = stages
    yield hexie, summary, whole_log(hexie), url
    hexie.close()
    if schema is not None:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


async def _matrix(url: str, cut: Cut) -> dict:
    db = connect(url)
    try:
        return await annex1_report.matrix(db, cut)
    finally:
        await db.close()


class DemoStory:
    backend = "sqlite"

    def test_the_whole_programme_is_recorded_without_a_refused_command(self, demo):
        hexie, summary, events, _ = demo
        # run_demo raises on the first refused command; everything it planned is in the log.
        assert summary["init"] == {"recorded": len(measure_commands()), "already_present": len(target_commands())}
        assert hexie.head() == len(events) == len(target_commands()) + summary["total_events"]
        assert 4000 < summary["total_events"] < 12000  # continuous measures report every quarter
        assert sum(summary["events"].values()) == summary["total_events"] - summary["init"]["recorded"]
        demo_events = [e for e in events if e["actor"] != "hexie-init"]
        assert all((e["request_id"] or "").startswith(f"demo-{SEED}-") for e in demo_events)
        assert min(e["occurred_on"] for e in demo_events) >= "2020-10-01"
        assert max(e["occurred_on"] for e in events) <= min(PROGRAMME_END, today())
        stages = summary["progress"]
        assert stages[0][0] == 0 and stages[-1][0] == stages[-1][1] == len(events)  # every command, skipped ones too
        assert len(stages) > 10

    def test_each_case_is_in_date_order_and_actors_vary(self, demo):
        _, _, events, _ = demo
        last: dict[str, str] = {}
        for e in events:
            assert e["occurred_on"] >= last.get(e["case_id"], ""), e
            last[e["case_id"]] = e["occurred_on"]
        actors = Counter(e["actor"] for e in events)
        assert len(actors) >= 30 and actors["officer-yueyanglou"] > 0 and actors["inspector-renshe"] > 0
        assert {e["unit"] for e in events} == set(UNITS)

    def test_targets_are_recorded_once_and_sum_to_the_annex1_totals(self, demo):
        _, _, events, _ = demo
        assigned = [e for e in events if e["type"] == "TargetAssigned"]
        assert len(assigned) == len(target_commands())
        assert not [e for e in events if e["type"] == "TargetAmended"]
        totals = Counter()
        for e in assigned:
            totals[e["data"]["plan"]] += e["data"]["total"]
        assert dict(totals) == TOTALS == annex1_totals()
        assert len({e["case_id"] for e in events if e["type"] == "MeasureDefined"}) == len(measure_commands())

    def test_every_kind_of_case_and_every_event_but_an_amended_target_appears(self, demo):
        _, summary, events, _ = demo
        assert {e["kind"] for e in events} == set(KINDS)
        every_type = {name for _, name in TOPICS.values()}
        assert every_type - {e["type"] for e in events} == {"TargetAmended"}
        assert set(summary["cases"]) == set(KINDS) - {"target", "measure"}

    def test_most_units_meet_their_targets_some_are_behind_a_few_exceed(self, demo):
        _, summary, events, _ = demo
        targets, done, by_year = annex1(events)
        assert not {(u, p) for u, p, _ in by_year} - set(targets), "a counted case with no target"
        assert None not in {y for _, _, y in by_year}, "a counted action outside 2021-2023"
        behind = {(u, p): (done[(u, p)], t["total"]) for (u, p), t in targets.items() if done[(u, p)] < t["total"]}
        ahead = {(u, p) for (u, p), t in targets.items() if done[(u, p)] > t["total"]}
        assert behind, "some unit must be behind target"
        assert 3 <= len(ahead) and len(behind) <= 10
        assert sum(done[c] >= t["total"] for c, t in targets.items()) / len(targets) >= 0.9
        # two districts at 60-80 % on P06, one district without a P01 model
        p06 = [d / t for (u, p), (d, t) in behind.items() if p == "P06"]
        assert len(p06) == 2 and all(0.6 <= r <= 0.8 for r in p06)
        assert [u for (u, p), (d, _) in behind.items() if p == "P01" and d == 0]
        # the summary names exactly the cells the ledger shows behind and ahead
        assert {(b["unit"], b["plan"]): (b["done"], b["target"]) for b in summary["behind_target"]} == behind
        assert {(a["unit"], a["plan"]) for a in summary["above_target"]} == ahead
        # a unit on target with a yearly split meets it year by year
        for (u, p), t in targets.items():
            if t["per_year"] and (u, p) not in behind and (u, p) not in ahead:
                assert all(by_year[(u, p, int(y))] == n for y, n in t["per_year"].items()), (u, p)

    def test_cultivation_passes_the_quality_bar_overall_but_not_everywhere(self, demo):
        _, _, events, _ = demo
        latest: dict[str, tuple[str, bool]] = {}
        enrolled = {e["case_id"]: e["unit"] for e in events if e["type"] == "CultivationEnrolled"}
        for e in events:
            if e["type"] == "CultivationAssessed":
                latest[e["case_id"]] = (e["unit"], e["data"]["passed"])
        assert set(latest) == set(enrolled)
        assert sum(ok for _, ok in latest.values()) / len(enrolled) >= 0.8
        by_unit = defaultdict(list)
        for unit, ok in latest.values():
            by_unit[unit].append(ok)
        assert 1 <= sum(sum(oks) / len(oks) < 0.8 for oks in by_unit.values()) <= 2
        reassessed = Counter(e["case_id"] for e in events if e["type"] == "CultivationAssessed")
        assert max(reassessed.values()) == 2

    def test_arrears_cases_are_driven_down_but_some_are_still_open(self, demo):
        _, summary, events, _ = demo
        cases: dict[str, dict] = {}
        for e in events:
            if e["kind"] != "arrears_case":
                continue
            case = cases.setdefault(e["case_id"], {"closed": False, "deadline": None, "published": False, "channel": None})
            if e["type"] == "ArrearsClueReceived":
                case["channel"] = e["data"]["channel"]
            elif e["type"] == "ArrearsCaseAssigned":
                case["deadline"] = e["data"]["deadline"]
            elif e["type"] == "ArrearsCaseClosed":
                case["closed"] = True
            elif e["type"] == "TypicalCasePublished":
                assert case["closed"]
                case["published"] = True
        still = [c for c in cases.values() if not c["closed"]]
        assert 0 < len(still) < len(cases) / 5
        past_deadline = [c for c in still if c["deadline"] and c["deadline"] < PROGRAMME_END]
        assert past_deadline and [c for c in still if c["deadline"] is None]
        assert len({c["channel"] for c in cases.values()}) >= 6
        assert sum(c["published"] for c in cases.values()) == TOTALS["P10"]
        assert summary["arrears_open"] == {
            "total": len(cases), "open": len(still), "open_past_deadline_at_programme_end": len(past_deadline),
            "open_unassigned": sum(c["deadline"] is None for c in still),
        }

    def test_layoffs_stay_within_plans_one_plan_revised_first(self, demo):
        _, _, events, _ = demo
        planned: dict[tuple, int] = {}
        laid_off: Counter = Counter()
        revisions = 0
        for e in events:
            if e["type"] == "LayoffPlanReported":
                k = (e["case_id"], e["data"]["year"])
                revisions += k in planned
                planned[k] = e["data"]["planned_layoffs"]
            elif e["type"] == "LayoffsReported":
                k = (e["case_id"], e["data"]["year"])
                laid_off[k] += e["data"]["laid_off"]
                assert laid_off[k] <= planned[k]
        assert laid_off and revisions >= 1

    def test_measures_are_mostly_done_on_time_a_few_late_or_missing(self, demo):
        hexie, summary, _, _ = demo
        continuous = {c["data"]["code"] for c in measure_commands() if c["data"]["cadence"] == "continuous"}
        statuses: Counter = Counter()
        late = 0
        for command in measure_commands():
            measure = hexie.get_case(Measure.create_id(command["data"]["code"]))
            statuses.update(o["status"] for o in measure.obligations(today()))
            if measure.code in continuous:
                continue  # a quarter is reported in the quarter, or not at all
            for item in measure.due_dates():
                for unit in measure.responsible_units:
                    done = [r["on"] for r in measure.reports if r["unit"] == unit and r["done"]
                            and (item["period"] is None or r["period"] == item["period"])]
                    late += bool(done) and min(done) > item["due"]
        total = sum(statuses.values())
        assert statuses["overdue"] == len(summary["measures_missing"]) > 0
        assert any(x["code"] in continuous for x in summary["measures_missing"])  # a quarter left unreported
        assert late == len(summary["measures_late"]) > 0
        assert statuses["done"] / total >= 0.95
        assert set(statuses) <= {"done", "overdue"}  # every deadline is past by now

    def test_the_acceptance_pack_after_the_demo_is_full(self, demo, tmp_path):
        hexie, _, events, url = demo
        out = tmp_path / "pack"
        assert cli.main(["--database-url", url, "acceptance-pack", str(out)]) == 0  # through 2023-09-30, as recorded now
        book = load_workbook(out / "和谐同行验收材料-2023-09-30.xlsx", read_only=True)
        filled = {ws.title: sum(1 for row in ws.iter_rows(values_only=True) if any(v is not None for v in row))
                  for ws in book.worksheets}
        assert len(filled) == 9 and all(n > 3 for n in filled.values()), filled  # every annex has rows (附件1 in two sheets)
        _, _, by_year = annex1(events)
        digest = json.loads((out / "digest.json").read_text())
        assert digest["through"] == "2023-09-30" and digest["count"] == len(events) == hexie.head()
        readme = (out / "README.txt").read_text()
        assert "业务日期截至" in readme and "2023-09-30" in readme and "记录时间" in readme
        matrix = asyncio.run(_matrix(url, Cut("2023-09-30")))
        assert Counter({(r["unit"], p, int(y)): c["done"] for r in matrix["rows"] for p, cell in r["cells"].items()
                        for y, c in cell["by_year"].items() if c["done"]}) == by_year
        assert cli.main(["verify", "--file", str(out / "timeline.ndjson"), "--digest-position", str(digest["position"]),
                         "--digest-head", digest["head"]]) == 0

    def test_the_yearly_summary_of_2022_equals_the_demos_count_for_2022(self, demo, tmp_path):
        _, _, events, url = demo
        _, _, by_year = annex1(events)
        out = tmp_path / "2022.json"
        assert cli.main(["--database-url", url, "summary", "--year", "2022", "-o", str(out)]) == 0
        document = json.loads(out.read_text())
        got = Counter({(u["unit"], plan, 2022): c["done"] for u in document["units"] for plan, c in u["plans"].items() if c["done"]})
        assert got == Counter({k: n for k, n in by_year.items() if k[2] == 2022})
        opened = sum(1 for e in events if e["type"] == "ArrearsClueReceived" and programme_year(e["occurred_on"]) == 2022)
        assert document["arrears"]["opened"] == opened > 0
        assert {f["plan"] for f in document["floors"]} == {"P01", "P02", "P03", "P04", "P05", "P07", "P09"}
        assert cli.main(["--database-url", url, "summary", "--year", "2022", "-o", str(tmp_path / "2022.xlsx")]) == 0
        assert len(load_workbook(tmp_path / "2022.xlsx").worksheets) == 4
        assert cli.main(["--database-url", url, "summary", "--year", "2019"]) == 2

    def test_a_second_run_is_refused_and_records_nothing(self, demo, capsys):
        hexie, _, _, url = demo
        head = hexie.head()
        with pytest.raises(DemoRefused, match=f"demo data \\(seed {SEED}\\)"):
            run_demo(hexie, seed=SEED)
        with pytest.raises(DemoRefused):
            run_demo(hexie, seed=SEED + 1)
        assert cli.main(["--database-url", url, "demo"]) == 1
        assert "demo refused" in capsys.readouterr().err
        for command in target_commands()[:3]:  # and targets already there stay single
            with pytest.raises(DuplicateCase):
                hexie.open_case(command["type"], command["data"], Context(actor="hexie-init"))
        assert hexie.head() == head


class TestSQLite(DemoStory):
    backend = "sqlite"


class TestPostgres(DemoStory):
    backend = "postgres"


# -- without a database ------------------------------------------------------------------------

def test_the_same_seed_plans_the_same_programme_another_seed_another():
    end = dt.date(2023, 9, 30)

    def planned(seed):
        return [(c.on, c.key, c.type, json.dumps(c.data, default=str, sort_keys=True), c.actor, c.actor_unit)
                for c in plan_programme(seed, end).commands]

    assert planned(SEED) == planned(SEED)
    assert planned(SEED) != planned(SEED + 1)


def test_the_cli_prints_the_summary(tmp_path, capsys):
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    assert cli.main(["--database-url", url, "demo", "--seed", "7"]) == 0
    out = capsys.readouterr()
    summary = json.loads(out.out)
    assert summary["seed"] == 7 and summary["init"] == {"recorded": 189, "already_present": 0}
    assert "demo: " in out.err and summary["behind_target"] and summary["arrears_open"]["open"] > 0
