"""`hexie demo`: a realistic, deterministic 和谐同行 programme for Yueyang, through the service layer.

`run_demo(hexie, seed)` appends, with `Hexie.open_case` / `Hexie.append` only (the
same code the HTTP API calls, so every schema and rule applies), three programme
years of work by all 15 Annex 1 units, dated 2020-10 … 2023-09 (`occurred_on`):

- the Annex 1 targets and Annex 2 measures exactly as `hexie init` records them
  (those already present are skipped), never amended;
- every plan: enterprises (master data), key employers with visits, stability
  policies, layoff plans and layoffs (one plan revised upward before more layoffs),
  a few delisted; bargaining models nominated → evaluated → selected → some
  recommended; cultivation enrolled → plan → training → visits → assessed; cooperation
  units signed and awarded plaques, migrant-worker forums and their appeals; wage
  guidance and salary-survey feedback; new-enterprise services (the bulk); coordinators,
  mediation bodies, mediators and social organisations with their gold selections;
  wage-arrears cases from clue to typical case, some still open, a few past their deadline;
- progress reports on the Annex 2 measures from the responsible units: most on time,
  a few late, a few missing.

Achievement looks real: most units meet their targets exactly, a few exceed, and a
few districts (chosen by the seed) are behind — two at 60–80 % on P06, one without a
P01 model, one short on P02 and P07, one on P04, one without a P10 typical case, and
two below the P03 quality bar (≥80 % of cultivated enterprises pass) while the city
as a whole passes it. `run_demo` returns a summary that names them.

Decisions
- Determinism: everything is drawn from `random.Random(seed)`; the only clock read is
  "today" (Beijing), the upper bound of every date (the programme ends 2023-09-30). Case
  ids that the domain derives from data (enterprises by USCC, key employers, cultivation,
  …) are the same on every run with the same seed; kinds with random ids (coordinators,
  mediation bodies, arrears cases …) get new ids each run, their data is the same.
- Order: all commands are planned first, then appended in business-date order (ties in
  planning order), so the global log reads like the programme unfolding, every case's
  events are in date order and a case is always opened before another case refers to it.
- Every command carries `request_id` `demo-<seed>-<n>`: demo data can be told apart.
- A second run is refused (`DemoRefused`): the demo only runs on an empty ledger or one
  holding nothing but what `hexie init` records (TargetAssigned, MeasureDefined). Several
  kinds have random ids, so a second run would otherwise record a second, duplicate
  programme; and demo data must never be mixed into a ledger with real cases. A refused
  run appends nothing.
- A command the domain refuses is a bug in the demo: it is raised as `DemoFailed`, naming
  the command (events appended before it stay: the ledger is append-only).

Layout: `planner` (the Planner: dates, names, identifiers, enterprises) drawing on `places`;
`achievement` (who is behind or ahead); one module per plan (`bargaining` P01,
`key_employers` P02, `cultivation` P03, `cooperation` P04, `wages` P05, `new_enterprises` P06,
`people` P07–P09, `arrears` P10), `measures` (Annex 2 reports) and `monitoring` (monthly
headcount reports and a long case: at scale only); `plan` calls them in order; `run` appends
the result. The benchmark draws the same programme larger (`Scale`) and stores its commands
in bulk (`scripts/bench/encode.py`).
"""

from .plan import plan_programme
from .planner import DEMO_START, PROGRAMME_END, Command, Planner, Ref, Scale, init_ids
from .run import DemoFailed, DemoRefused, run_demo

__all__ = ["plan_programme", "run_demo", "DemoRefused", "DemoFailed", "Planner", "Command", "Ref", "Scale", "init_ids",
           "DEMO_START", "PROGRAMME_END"]
