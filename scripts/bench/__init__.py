"""`make bench` (`python -m hexie.scripts.bench`): hexie on PostgreSQL beside the raw ceilings and
the eventsourcing library's baselines, in one run on one machine.

- `main`: the arguments, the run's sizes, every figure in order, the table;
- `common`: settings, statistics, result rows, the machine, PostgreSQL chores;
- `write`: raw inserts (ceiling) and the library's `app.save` (baseline);
- `server`, `serve`: a `hexie serve` process and an HTTP client; appends and reads through it;
- `data`: the stored data set (1,000,000 events), generated once and reused;
- `read`: scans of the log, the rebuild, the long case, the Annex 1 matrix;
- `report`: the printed table.
"""
