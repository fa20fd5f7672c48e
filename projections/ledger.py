"""The ledger: one row per case with its current status and register fields.

Queryable by kind, unit, plan, status and programme year (`year`: the year the
case counts to in Annex 1, or the year it was opened while it has not counted).
The registers (Annexes 3-8) and the deadlines read their columns from `fields`:
the data of the creating event, kept current by the events that change it.
Measures and targets keep the aggregate's whole state (few events, read often).
"""

from __future__ import annotations

from decimal import Decimal
from operator import itemgetter
from typing import Any, Callable, Sequence
from uuid import UUID


from hexie.domain.arrears import ArrearsCase
from hexie.domain.bargaining import BargainingModel
from hexie.domain.calendar import programme_year
from hexie.domain.coordinator import Coordinator
from hexie.domain.cultivation import Cultivation
from hexie.domain.enterprise import Enterprise
from hexie.domain.key_employer import KeyEmployer
from hexie.domain.kinds import CASE_CLASSES, CASE_OF, CLOSING, COUNTING, KINDS, STATUS
from hexie.domain.measure import Measure
from hexie.domain.mediation import MediationBody
from hexie.domain.migrant_workers import CooperationUnit, Forum
from hexie.domain.new_enterprise_service import NewEnterpriseService
from hexie.domain.social_organisation import SocialOrganisation
from hexie.domain.target import Target
from hexie.domain.wage_guidance import SalarySurvey, WageGuidance

from .cut import NOW, Cut
from .engine import Projection, decode, dumps, head, loads
from .history import stored

FULL_STATE = (Measure, Target, SalarySurvey)

COLUMNS = (
    "case_id", "kind", "plan", "unit", "status", "opened_on", "closed_on", "year", "counted_on",
    "version", "position", "recorded_at", "name", "enterprise_id", "fields",
)

ENVELOPE_KEYS = ("originator_id", "originator_version", "originator_topic", "timestamp", "meta")


def event_data(event: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(event).items() if k not in ENVELOPE_KEYS}


def revive(cls: type, case_id: UUID, version: int, state: dict[str, Any]) -> Any:
    """The aggregate back from the state kept in the ledger (like a snapshot)."""
    agg = object.__new__(cls)
    agg.__dict__.update(state)
    agg.__dict__.update(_id=case_id, _version=version, _created_on=None, _modified_on=None, _pending_events=[])
    return agg


class Ledger(Projection):
    name = "ledger"
    version = 2  # 2: a case counts by its earliest counting event; layoff reports kept per year
    tables = {
        "ledger_cases": [
            "CREATE TABLE IF NOT EXISTS {t} ("
            "case_id TEXT PRIMARY KEY, kind TEXT NOT NULL, plan TEXT, unit TEXT, status TEXT NOT NULL, "
            "opened_on TEXT NOT NULL, closed_on TEXT, year BIGINT, counted_on TEXT, version BIGINT NOT NULL, "
            "position BIGINT NOT NULL, recorded_at TEXT NOT NULL, name TEXT, enterprise_id TEXT, fields TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS {t}_kind_unit ON {t} (kind, unit)",
            "CREATE INDEX IF NOT EXISTS {t}_plan_unit ON {t} (plan, unit)",
            "CREATE INDEX IF NOT EXISTS {t}_enterprise ON {t} (enterprise_id)",
        ]
    }
    CACHE_LIMIT = 300_000  # rows kept between batches (about 1 kB each)

    def __init__(self, suffix: str = ""):
        super().__init__(suffix)
        self.rows: dict[str, dict[str, Any]] = {}
        self.dirty: set[str] = set()
        self.all_in_memory = False
        self.stored: set[str] = set()  # rows known to be in the table (while all_in_memory)

    async def load(self, db) -> None:
        self.rows.clear()
        self.dirty.clear()
        self.stored = set()
        # An empty table (a rebuild, a new store): every row will be made here, so nothing need be read.
        self.all_in_memory = not await db.fetchval(f"SELECT COUNT(*) FROM (SELECT 1 FROM {self.t('ledger_cases')} LIMIT 1) x")

    async def prefetch(self, db, events) -> None:
        if self.all_in_memory:
            return
        missing = {str(ev.originator_id) for _, ev in events} - self.rows.keys()
        missing = list(missing)
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            marks = ", ".join(f"${i + 1}" for i in range(len(chunk)))
            for r in await db.fetch(f"SELECT {', '.join(COLUMNS)} FROM {self.t('ledger_cases')} WHERE case_id IN ({marks})", *chunk):
                row = dict(zip(COLUMNS, r))
                row["fields"] = loads(row["fields"])
                self.rows[row["case_id"]] = row

    async def flush(self, tx) -> None:
        if not self.dirty:
            return
        head = itemgetter(*COLUMNS[:-1])
        new, changed = [], []
        for key in self.dirty:
            row = self.rows[key]
            # Only while every row of the table is known here can a row be told to be new.
            fresh = self.all_in_memory and key not in self.stored
            (new if fresh else changed).append((*head(row), dumps(row["fields"])))
        await tx.copy_rows(self.t("ledger_cases"), COLUMNS, new)
        await tx.merge_rows(self.t("ledger_cases"), COLUMNS, ("case_id",), changed)
        if self.all_in_memory:
            self.stored.update(self.dirty)
        self.dirty.clear()
        if len(self.rows) > self.CACHE_LIMIT:
            self.rows.clear()
            self.all_in_memory = False

    # -- every event -----------------------------------------------------------

    def touch(self, event: Any, position: int) -> dict[str, Any]:
        key = str(event.originator_id)
        row = self.rows[key]
        row["version"] = event.originator_version
        row["position"] = position
        row["recorded_at"] = event.timestamp
        cls = type(event)
        if cls in STATUS:
            row["status"] = STATUS[cls]
        if cls in CLOSING:
            row["closed_on"] = event.meta["occurred_on"]
        if cls in COUNTING and (row["counted_on"] is None or event.meta["occurred_on"] < row["counted_on"]):
            # a case counts by its earliest counting event, which may be recorded after a later one
            row["counted_on"] = event.meta["occurred_on"]
            row["year"] = programme_year(row["counted_on"], getattr(event, "year", None))
        self.dirty.add(key)
        return row

    def handlers(self) -> dict[type, Callable[[Any, int], None]]:
        handlers: dict[type, Callable[[Any, int], None]] = {getattr(cls, cls.created_event): self.opened for cls in CASE_CLASSES}
        for cls in FULL_STATE:  # measures and targets keep the aggregate's whole state
            handlers.update({getattr(cls, name): self.full_state for name in cls.commands})
        return {
            **handlers,
            Enterprise.EnterpriseDetailsAmended: self.amended,
            Coordinator.CoordinatorDetailsAmended: self.amended,
            Enterprise.HeadcountReported: self.on_headcount_reported,
            KeyEmployer.StabilityPolicyRecorded: self.on_stability_policy_recorded,
            KeyEmployer.GuidanceVisitLogged: self.on_visit,
            Cultivation.GuidanceVisitLogged: self.on_visit,
            KeyEmployer.LayoffPlanReported: self.on_layoff_plan_reported,
            KeyEmployer.LayoffsReported: self.on_layoffs_reported,
            BargainingModel.BargainingModelEvaluated: self.on_bargaining_model_evaluated,
            BargainingModel.BargainingModelSelected: self.on_bargaining_model_selected,
            BargainingModel.BargainingModelRecommended: self.on_bargaining_model_recommended,
            Cultivation.CultivationTrainingHeld: self.on_cultivation_training_held,
            Cultivation.CultivationAssessed: self.on_cultivation_assessed,
            CooperationUnit.PlaqueAwarded: self.on_plaque_awarded,
            Forum.AppealResolved: self.on_appeal_resolved,
            WageGuidance.WageGuidanceFollowedUp: self.on_follow_up,
            NewEnterpriseService.NewEnterpriseServiceFollowedUp: self.on_follow_up,
            Coordinator.CoordinatorCertified: self.on_coordinator_certified,
            Coordinator.GoldCoordinatorSelected: self.on_gold_selected,
            MediationBody.GoldMediationBodySelected: self.on_gold_selected,
            SocialOrganisation.GoldSocialOrganisationSelected: self.on_gold_selected,
            ArrearsCase.ArrearsCaseAssigned: self.on_arrears_case_assigned,
            ArrearsCase.ArrearsCaseSupervised: self.on_supervision_or_interview,
            ArrearsCase.EmployerInterviewed: self.on_supervision_or_interview,
            ArrearsCase.WagesRecovered: self.on_wages_recovered,
            ArrearsCase.ArrearsCaseClosed: self.on_arrears_case_closed,
            ArrearsCase.TypicalCasePublished: self.on_typical_case_published,
        }

    def default(self, event: Any, position: int) -> None:
        self.touch(event, position)  # events that change no register field

    def opened(self, event: Any, position: int) -> None:
        cls = CASE_OF[type(event)]
        data = event_data(event)
        key = str(event.originator_id)
        self.rows[key] = {
            "case_id": key, "kind": cls.kind, "plan": data.get("plan") or cls.plan, "unit": event.meta["unit"],
            "status": "opened", "opened_on": event.meta["occurred_on"], "closed_on": None,
            "year": programme_year(event.meta["occurred_on"]), "counted_on": None,
            "version": 0, "position": 0, "recorded_at": event.timestamp,
            "name": data.get("name") or data.get("code") or data.get("title"),
            "enterprise_id": data.get("enterprise_id"), "fields": data,
        }
        if isinstance(event, tuple(c.Event for c in FULL_STATE)):
            self.rows[key]["fields"] = event.mutate(None).state()
        self.touch(event, position)

    def full_state(self, event: Any, position: int) -> None:
        row = self.rows[str(event.originator_id)]
        cls = KINDS[row["kind"]]
        agg = revive(cls, event.originator_id, row["version"], row["fields"])
        row["fields"] = event.mutate(agg).state()
        self.touch(event, position)

    def amended(self, event: Any, position: int) -> None:
        row = self.touch(event, position)
        row["fields"].update({k: v for k, v in event_data(event).items() if v is not None})
        if row["kind"] == "enterprise" and event_data(event).get("name"):
            row["name"] = event.name
        if event_data(event).get("enterprise_id"):  # a coordinator now serving a named enterprise
            row["enterprise_id"] = event.enterprise_id

    # -- events that change register fields --------------------------------------

    def on_headcount_reported(self, event: Enterprise.HeadcountReported, position: int) -> None:
        fields = self.touch(event, position)["fields"]
        fields["headcount"] = event.headcount
        fields["headcount_as_of"] = event.as_of_date or event.meta["occurred_on"]

    def on_stability_policy_recorded(self, event: KeyEmployer.StabilityPolicyRecorded, position: int) -> None:
        fields = self.touch(event, position)["fields"]
        fields.setdefault("policies", []).append({"policy": event.policy, "year": event.year, "amount": event.amount})

    def on_visit(self, event: Any, position: int) -> None:
        fields = self.touch(event, position)["fields"]
        fields["visits"] = fields.get("visits", 0) + 1
        fields.setdefault("first_visit_on", event.meta["occurred_on"])
        fields["last_visit_on"] = event.meta["occurred_on"]
        fields["last_follow_up"] = event.follow_up or event.findings

    def on_layoff_plan_reported(self, event: KeyEmployer.LayoffPlanReported, position: int) -> None:
        fields = self.touch(event, position)["fields"]
        fields.setdefault("layoff_plans", {})[str(event.year)] = {
            "planned_layoffs": event.planned_layoffs, "positions": event.positions,
            "compensation_standard": event.compensation_standard,
            "payment_capacity_assessed": event.payment_capacity_assessed,
        }

    def on_layoffs_reported(self, event: KeyEmployer.LayoffsReported, position: int) -> None:
        fields = self.touch(event, position)["fields"]
        year = str(event.year)
        laid_off = fields.setdefault("laid_off", {})
        laid_off[year] = laid_off.get(year, 0) + event.laid_off
        fields.setdefault("wages_settled", {})[year] = event.wages_settled  # per year: Annex 8 is yearly
        if getattr(event, "positions", None):
            fields.setdefault("layoff_positions", {})[year] = event.positions

    def on_bargaining_model_evaluated(self, event: BargainingModel.BargainingModelEvaluated, position: int) -> None:
        self.touch(event, position)["fields"]["evaluation"] = {
            "awareness_rate": event.awareness_rate, "satisfaction_rate": event.satisfaction_rate,
            "compliance_rate": event.compliance_rate,
        }

    def on_bargaining_model_selected(self, event: BargainingModel.BargainingModelSelected, position: int) -> None:
        self.touch(event, position)["fields"]["selected"] = {"level": event.level, "year": event.year}

    def on_bargaining_model_recommended(self, event: BargainingModel.BargainingModelRecommended, position: int) -> None:
        self.touch(event, position)["fields"].setdefault("recommended_to", []).append(event.to)

    def on_cultivation_training_held(self, event: Cultivation.CultivationTrainingHeld, position: int) -> None:
        fields = self.touch(event, position)["fields"]
        fields["trainings"] = fields.get("trainings", 0) + 1

    def on_cultivation_assessed(self, event: Cultivation.CultivationAssessed, position: int) -> None:
        row = self.touch(event, position)
        row["status"] = "passed" if event.passed else "failed"
        row["fields"]["passed"] = event.passed
        row["fields"]["assessed_on"] = event.meta["occurred_on"]

    def on_plaque_awarded(self, event: CooperationUnit.PlaqueAwarded, position: int) -> None:
        self.touch(event, position)["fields"]["plaque"] = {"year": event.year, "plaque_no": event.plaque_no}

    def on_appeal_resolved(self, event: Forum.AppealResolved, position: int) -> None:
        fields = self.touch(event, position)["fields"]
        resolved = fields.setdefault("resolved_appeals", [])
        resolved.append(event.appeal_no)

    def on_follow_up(self, event: Any, position: int) -> None:
        fields = self.touch(event, position)["fields"]
        fields["follow_ups"] = fields.get("follow_ups", 0) + 1

    def on_coordinator_certified(self, event: Coordinator.CoordinatorCertified, position: int) -> None:
        self.touch(event, position)["fields"]["certificate"] = {
            "level": event.level, "certificate_type": event.certificate_type, "certificate_no": event.certificate_no,
        }

    def on_gold_selected(self, event: Any, position: int) -> None:
        self.touch(event, position)["fields"]["gold"] = {"year": event.year}

    def on_arrears_case_assigned(self, event: ArrearsCase.ArrearsCaseAssigned, position: int) -> None:
        fields = self.touch(event, position)["fields"]
        fields.update(assigned_to=event.to_unit, deadline=event.deadline, assigned_on=event.meta["occurred_on"],
                      working_days=event.working_days)

    def on_supervision_or_interview(self, event: Any, position: int) -> None:
        fields = self.touch(event, position)["fields"]
        key = "supervisions" if isinstance(event, ArrearsCase.ArrearsCaseSupervised) else "interviews"
        fields[key] = fields.get(key, 0) + 1

    def on_wages_recovered(self, event: ArrearsCase.WagesRecovered, position: int) -> None:
        fields = self.touch(event, position)["fields"]
        fields["recovered"] = f"{Decimal(fields.get('recovered', '0')) + Decimal(event.amount):.2f}"
        fields["workers_paid"] = fields.get("workers_paid", 0) + event.workers

    def on_arrears_case_closed(self, event: ArrearsCase.ArrearsCaseClosed, position: int) -> None:
        self.touch(event, position)["fields"]["outcome"] = event.outcome

    def on_typical_case_published(self, event: ArrearsCase.TypicalCasePublished, position: int) -> None:
        self.touch(event, position)["fields"]["published"] = {"title": event.title, "on": event.meta["occurred_on"]}


# -- queries -------------------------------------------------------------------

FILTERS = ("kind", "unit", "plan", "status", "year", "enterprise_id")


async def rows(db, cut: Cut = NOW, kinds: Sequence[str] | None = None, unit: str | None = None) -> list[dict[str, Any]]:
    """Ledger rows (personal data still sealed) of these kinds and unit, as they stood at `cut`."""
    if cut.now:
        args: list[Any] = list(kinds or ())
        where = [f"kind IN ({', '.join(f'${i + 1}' for i in range(len(args)))})"] if kinds else []
        if unit is not None:
            args.append(unit)
            where.append(f"unit = ${len(args)}")
        sql = f"SELECT {', '.join(COLUMNS)} FROM ledger_cases" + (" WHERE " + " AND ".join(where) if where else "")
        return [_row(r) for r in await db.fetch(sql, *args)]
    found = await replayed(db, cut, kinds)
    return [r for r in found.values() if unit is None or r["unit"] == unit]


async def rows_by_id(db, cut: Cut, case_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Ledger rows by case id, as they stood at `cut` (those that existed then)."""
    wanted = list(dict.fromkeys(i for i in case_ids if i))
    if not cut.now:
        found = await replayed(db, cut, None)
        return {i: found[i] for i in wanted if i in found}
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        marks = ", ".join(f"${i + 1}" for i in range(len(chunk)))
        for r in await db.fetch(f"SELECT {', '.join(COLUMNS)} FROM ledger_cases WHERE case_id IN ({marks})", *chunk):
            out[r[0]] = _row(r)
    return out


def _row(record: Any) -> dict[str, Any]:
    row = dict(zip(COLUMNS, record))
    row["fields"] = loads(row["fields"])
    return row


async def replayed(db, cut: Cut, kinds: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
    """The ledger as it stood at `cut`: this projection's own handlers run, in memory, over the
    events `cut` admits (of these kinds). Kept until the log grows."""
    key = f"ledger:{cut.through}:{cut.as_of}:{','.join(sorted(kinds)) if kinds else '*'}"
    at = await head(db)
    memo = db.memo.get(key)
    if memo is not None and memo[0] == at:
        return memo[1]
    ledger = Ledger()
    ledger.all_in_memory = True
    async for position, case_id, version, topic, state in stored(db, kinds, at):
        if cut.admits(state["meta"]["occurred_on"], state["timestamp"]):
            ledger.apply(decode(topic, case_id, version, state), position)
    db.memo[key] = (at, ledger.rows)
    return ledger.rows


def _matches(row: dict[str, Any], filters: dict[str, Any], q: str | None) -> bool:
    if any(value is not None and row.get(name) != value for name, value in filters.items()):
        return False
    if q is None:
        return True
    fields = row["fields"]
    return q in (row.get("name") or "") or q in (fields.get("uscc") or "") or q in (fields.get("employer_uscc") or "")


async def cases(db, cut: Cut = NOW, limit: int = 100, offset: int = 0, q: str | None = None,
                **filters: Any) -> list[dict[str, Any]]:
    """Ledger rows matching the filters (kind, unit, plan, status, year, enterprise_id) and `q` (part of a
    name or 统一社会信用代码), oldest first, personal data opened (the caller masks it)."""
    filters = {name: filters.get(name) for name in FILTERS}
    if cut.now:
        where, args = [], []
        for name, value in filters.items():
            if value is not None:
                args.append(value)
                where.append(f"{name} = ${len(args)}")
        if q is not None:  # a name, or an enterprise's or an employer's code, in part
            args.append(f"%{q}%")
            where.append(f"(name LIKE ${len(args)} OR fields LIKE ${len(args)})")
        sql = f"SELECT {', '.join(COLUMNS)} FROM ledger_cases"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY opened_on, position"
        if q is None:
            args += [limit, offset]
            sql += f" LIMIT ${len(args) - 1} OFFSET ${len(args)}"
        found = [_row(r) for r in await db.fetch(sql, *args)]
        if q is not None:  # LIKE over the fields' text casts a wide net: keep the rows `q` names, then page
            found = [r for r in found if _matches(r, {}, q)][offset:offset + limit]
        offset = 0
    else:
        kinds = [filters["kind"]] if filters["kind"] else None
        found = [r for r in (await replayed(db, cut, kinds)).values() if _matches(r, filters, q)]
        found.sort(key=lambda r: (r["opened_on"], r["position"]))
    out = []
    for row in found[offset:offset + limit]:
        row = {**row, "fields": await db.vault.unseal(row["case_id"], row["fields"])}  # sealed in the ledger too
        out.append(row)
    return out
