"""`make bench`: hexie against the raw ceilings and the library's baselines, in one run.

    python -m hexie.scripts.bench [--quick] [--json FILE] [--dsn URL] [--workers N] [--regen]

Everything happens in the database `hexie_bench` on the server named by `--dsn`
(default $HEXIE_BENCH_DSN, else $HEXIE_TEST_POSTGRES_URL, else
postgresql://postgres@127.0.0.1:5432/postgres); it is created if missing and no other
database is touched. Each scenario gets its own schema. The full run keeps its
1,000,000-event data set (schema `data_1000000`) for the next run; `--regen` makes it
anew. `--quick` uses small sizes and its own schemas, all dropped at the end (CI).

Prints the machine and one table (name, value, unit, ceiling, ratio, goal, met);
`--json FILE` writes {"machine": {...}, "run": {...}, "rows": [{"name", "value", "unit",
"ceiling", "ratio", "goal", "met"[, "note", "detail"]}]}. Goals: DESIGN section 5.
Ratios of throughputs are hexie / ceiling (higher is better); ratios of times are
hexie time / ceiling time (lower is better); each row's goal says which.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import signal
import sys
import time
import traceback
from typing import Any
from uuid import UUID

from . import data as bench_data
from . import read as bench_read
from . import serve as bench_serve
from . import write as bench_write
from .common import (Config, at_least, drop_schemas, ensure_database, log, machine, median, percentile, row, run,
                          spread, unavailable)
from .report import table

GOAL_MS = 5.0  # case state p99 and matrix p99 (DESIGN 5)
EXPORT_GOAL = 100_000  # events/s
FLAT = 1.1  # export memory: RSS with all events out / RSS at a tenth of them
# Personal data is sealed under a master key. The data set outlives a run and is read by
# this process and by servers started elsewhere, so every one of them must use the same
# key: a fixed one, derived from a public phrase (the data are synthetic, nothing to hide).
BENCH_MASTER_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"hexie bench: synthetic data only").digest()).decode()


def config(args: argparse.Namespace) -> Config:
    if args.quick:
        return Config(dsn=args.dsn, quick=True, workers=args.workers, regen=True, prefix=f"q{os.getpid()}_",
                      events=20_000, long_case=1_000, seconds=3.0, reps=1, replay_reps=10, matrix_calls=50,
                      state_samples=50)
    return Config(dsn=args.dsn, quick=False, workers=args.workers, regen=args.regen, prefix="",
                  events=1_000_000, long_case=10_000, seconds=5.0, reps=3, replay_reps=20, matrix_calls=200,
                  state_samples=100)


T0 = time.perf_counter()


def step(label: str) -> None:
    log(f"[{time.perf_counter() - T0:6.1f} s] {label}")


def ms_at_most(name: str, values: list[float], limit: float, **kw: Any) -> dict[str, Any]:
    p99 = percentile(values, 99)
    return row(name, round(p99, 3), "ms (p99)", goal=f"p99 <= {limit:g} ms", met=p99 <= limit,
               p50_ms=round(percentile(values, 50), 3), max_ms=round(max(values), 3), samples=len(values), **kw)


def writes(cfg: Config, rows: list[dict[str, Any]]) -> None:
    """First, while nothing else has warmed or filled the machine."""
    step("raw ordered single-event inserts (ceiling)")
    raw = run(bench_write.raw_ordered_locktable(cfg))
    rows.append(raw)
    step("the library's app.save (baseline)")
    lib = bench_write.library_app_save(cfg)
    lib.update(ceiling=raw["name"], ratio=round(lib["value"] / raw["value"], 3))  # context; the goals are hexie's
    rows.append(lib)
    step(f"HTTP appends through hexie serve --workers {cfg.workers}")
    app = bench_serve.http_append(cfg)
    rate = round(median(app["rates"]), 1)
    detail = {"reps": [round(r, 1) for r in app["rates"]], "workers": cfg.workers, "stored_events": app["stored"],
              **{k: v for k, v in app.items() if k not in ("rates", "latencies", "stored")}}
    rows.append(at_least("hexie_http_append_c16", rate, "events/s", raw, 1,
                         note=f"{cfg.clients} clients, own case each, durable", **detail))
    rows.append(at_least("hexie_http_append_c16_vs_library", rate, "events/s", lib, 3, note="same figure, vs the library"))
    for p in (50, 99):
        rows.append(row(f"hexie_http_append_c16_p{p}", round(percentile(app["latencies"], p), 2), "ms",
                        samples=len(app["latencies"])))


def reads(cfg: Config, rows: list[dict[str, Any]], data: dict[str, Any]) -> dict[str, Any]:
    """On the stored data set, in this process; returns the scan ceiling row."""
    events, long_events = int(data["events"]), int(data["long_case_events"])
    step("reading the log in order: raw scan (ceiling), the library's ProjectionRunner (baseline)")
    scans = bench_read.scan_rates(cfg, data)
    scan = row("raw_keyset_orjson_scan", round(median(scans["raw"]), 1), "events/s",
               note="ceiling: asyncpg keyset pages of 10k + orjson, hexie_events", **spread(scans["raw"]))
    lib_rate = round(median(scans["library"]), 1)
    runner = row("library_projection_runner_count", lib_rate, "events/s", ceiling=scan["name"],
                 ratio=lib_rate / scan["value"], note="baseline: eventsourcing ProjectionRunner + library mapper, counting only",
                 **spread(scans["library"]))
    rows += [scan, runner]

    step("hexie rebuild of every projection")
    rb = run(bench_read.hexie_rebuild(data["url"]))
    rb_rate = round(events / rb["seconds"], 1)
    rb_detail = {"seconds": round(rb["seconds"], 2), "identical": rb["identical"],
                 "build_pass_s": None if rb["build_s"] is None else round(rb["build_s"], 2),
                 "build_pass_events_per_s": None if not rb["build_s"] else round(events / rb["build_s"], 1)}
    rows.append(at_least("hexie_rebuild_1m", rb_rate, "events/s", scan, 0.5,
                         note="rebuild(db): build + compare with live + swap", **rb_detail))
    rows.append(at_least("hexie_rebuild_1m_vs_library", rb_rate, "events/s", runner, 1.5, note="same figure, vs the library"))

    step(f"the long case ({long_events:,} events): raw fetch + fold, case_history, get_case")
    case_id = UUID(data["long_case_id"])
    raw_ms = run(bench_read.raw_fetch_fold(cfg, data["schema"], case_id, long_events))
    case = bench_read.case_reads(cfg, data["url"], case_id, long_events)
    fold = row("raw_fetch_fold_10k", round(median(raw_ms), 3), "ms (median)",
               note=f"ceiling: asyncpg fetch + orjson + fold, {long_events:,} events", **spread(raw_ms, 3))
    history = median(case["history"])
    ratio = history / fold["value"]
    rows += [fold, row("hexie_case_history_10k", round(history, 3), "ms (median)", ceiling=fold["name"], ratio=ratio,
                       goal="time ratio <= 2 (hexie ms / ceiling ms)", met=ratio <= 2, note="Hexie.case_history",
                       **spread(case["history"], 3)),
             ms_at_most("hexie_case_state_p99", case["state"], GOAL_MS, note=f"Hexie.get_case, {long_events:,} events")]

    step("Annex 1 matrix in process")
    rows.append(ms_at_most("hexie_matrix_p99", run(bench_read.matrix_latencies(data["url"], cfg.matrix_calls)), GOAL_MS,
                           note=f"annex1.matrix(db), {events:,} events projected"))
    return scan


def served(cfg: Config, rows: list[dict[str, Any]], data: dict[str, Any], scan: dict[str, Any]) -> None:
    """Through a server on the stored data set."""
    events = int(data["events"])
    step("server on the data set: matrix over HTTP, timeline export")
    out = bench_serve.on_data_set(cfg, data["url"], events)
    rows.append(ms_at_most("hexie_matrix_http_p99", out["matrix_http"], GOAL_MS, note="GET /v1/reports/annex1",
                           server_start_attempts=out["server_start_attempts"]))
    ex = out["export"]
    if ex is None:
        why = "route absent (GET /v1/export/timeline answered 404)"
        rows.append(unavailable("hexie_export_events_per_s", "events/s", why, goal=f"value >= {EXPORT_GOAL:,}"))
        rows.append(unavailable("hexie_export_peak_rss_mb", "MB", why, goal=f"ratio <= {FLAT:g}"))
        return
    rate = round(ex["events_per_s"], 1)
    rows.append(row("hexie_export_events_per_s", rate, "events/s", ceiling=scan["name"], ratio=rate / scan["value"],
                    goal=f"value >= {EXPORT_GOAL:,} (ratio to the scan ceiling for context)",
                    met=rate >= EXPORT_GOAL and ex["lines"] >= events,
                    note=f"{ex['lines']:,} ndjson lines in {ex['seconds']:.1f} s", lines=ex["lines"]))
    flat = ex["rss_at_end_mb"] / ex["rss_at_tenth_mb"]
    rows.append(row("hexie_export_peak_rss_mb", round(ex["peak_rss_mb"], 1), "MB", ratio=flat,
                    goal=f"ratio <= {FLAT:g} (RSS at all events / RSS at a tenth)", met=flat <= FLAT,
                    note="serving worker's resident memory",
                    **{k: round(v, 1) for k, v in ex.items() if k.startswith("rss_")}))


def measure(cfg: Config, rows: list[dict[str, Any]], run_info: dict[str, Any]) -> None:
    writes(cfg, rows)
    step(f"data set of {cfg.events:,} events")
    data = run(bench_data.ensure(cfg))
    run_info["data_set"] = {k: data[k] for k in ("schema", "events", "long_case_id", "long_case_events",
                                                 "generated_at", "generation_s", "reused")}
    scan = reads(cfg, rows, data)
    served(cfg, rows, data, scan)
    step("done")


def main(argv: list[str] | None = None) -> int:
    default_dsn = (os.environ.get("HEXIE_BENCH_DSN") or os.environ.get("HEXIE_TEST_POSTGRES_URL")
                   or "postgresql://postgres@127.0.0.1:5432/postgres")
    parser = argparse.ArgumentParser(prog="python -m hexie.scripts.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, own schemas dropped at the end (CI)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--dsn", default=default_dsn, help=f"server where hexie_bench may be created ({default_dsn})")
    parser.add_argument("--workers", type=int, default=2, help="sanic workers of hexie serve (default 2)")
    parser.add_argument("--regen", action="store_true", help="generate the stored data set anew")
    args = parser.parse_args(argv)
    cfg = config(args)
    os.environ["HEXIE_MASTER_KEY"] = BENCH_MASTER_KEY  # inherited by the servers and the CLI we start

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")  # unwinds: servers stopped, schemas dropped

    signal.signal(signal.SIGTERM, stop)
    t0 = time.perf_counter()
    run(ensure_database(cfg))
    m = run(machine(cfg))
    run_info: dict[str, Any] = {"mode": "quick" if cfg.quick else "full", "events": cfg.events,
                                "long_case": cfg.long_case, "seconds": cfg.seconds, "reps": cfg.reps,
                                "workers": cfg.workers, "clients": cfg.clients, "library_threads": cfg.lib_threads,
                                "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    rows: list[dict[str, Any]] = []
    failed = None
    try:
        measure(cfg, rows, run_info)
    except BaseException as e:  # still show what was measured, and clean up
        failed = e
        traceback.print_exc()
    finally:
        if cfg.created:
            run(drop_schemas(cfg, cfg.created))
    run_info["wall_s"] = round(time.perf_counter() - t0, 1)
    if failed is not None:
        run_info["failed"] = f"{type(failed).__name__}: {failed}"
    print(table(m, run_info, rows))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": m, "run": run_info, "rows": rows}, f, ensure_ascii=False, indent=2)
    return 1 if failed is not None else 0


if __name__ == "__main__":
    sys.exit(main())
