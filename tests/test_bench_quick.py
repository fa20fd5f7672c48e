"""`python -m hexie.scripts.bench --quick` (`make bench BENCH_ARGS=--quick`) runs to the end and
reports every row, so the benchmark never rots.

It needs PostgreSQL (HEXIE_TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/postgres):
skipped when that cannot be reached, failed instead when HEXIE_REQUIRE_POSTGRES=1 (CI), skipped on
purpose with HEXIE_TEST_POSTGRES=off. The quick run uses its own schemas in the database
`hexie_bench` and drops them; it takes well under a minute on two shared cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from numbers import Real

import psycopg
import pytest

from .conftest import ADMIN_URL

ROWS = (
    "raw_ordered_locktable_c16",
    "library_app_save_t8",
    "hexie_http_append_c16",
    "raw_keyset_orjson_scan",
    "library_projection_runner_count",
    "hexie_rebuild_1m",
    "raw_fetch_fold_10k",
    "hexie_case_history_10k",
    "hexie_case_state_p99",
    "hexie_matrix_p99",
    "hexie_export_events_per_s",
    "hexie_export_peak_rss_mb",
)
EXPORT_ROWS = ("hexie_export_events_per_s", "hexie_export_peak_rss_mb")
KEYS = ("name", "value", "unit", "ceiling", "ratio", "goal", "met")


@pytest.fixture(scope="module")
def reachable():
    if os.environ.get("HEXIE_TEST_POSTGRES") == "off":
        pytest.skip("HEXIE_TEST_POSTGRES=off")
    try:
        psycopg.connect(ADMIN_URL, connect_timeout=5).close()
    except psycopg.OperationalError as e:
        if os.environ.get("HEXIE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but not reachable at {ADMIN_URL}: {e}")
        pytest.skip(f"PostgreSQL not reachable at {ADMIN_URL}: the benchmark needs it")


def test_quick_benchmark_reports_every_row(reachable, tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "hexie.scripts.bench", "--quick", "--json", str(out), "--dsn", ADMIN_URL],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, f"python -m hexie.scripts.bench --quick failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    report = json.loads(out.read_text())

    machine = report["machine"]
    assert machine["cores"] and machine["postgresql"]["fsync"] and machine["postgresql"]["synchronous_commit"]
    rows = {r["name"]: r for r in report["rows"]}
    missing = [name for name in ROWS if name not in rows]
    assert not missing, f"rows missing from the report: {missing}"
    for r in report["rows"]:
        assert list(r)[:len(KEYS)] == list(KEYS), r
    for name in ROWS:
        r = rows[name]
        if name in EXPORT_ROWS and r["value"] is None:
            # Only an absent route may leave the export unmeasured, and then the row says so.
            assert r["note"].startswith("not available: route absent"), r
            continue
        assert isinstance(r["value"], Real) and r["value"] > 0, r
        if r["goal"] is not None:
            assert isinstance(r["met"], bool), r
        if r["ceiling"] is not None:
            assert r["ceiling"] in rows and isinstance(r["ratio"], Real), r
    # The ratios name their ceilings as the issue says.
    assert rows["hexie_http_append_c16"]["ceiling"] == "raw_ordered_locktable_c16"
    assert rows["hexie_http_append_c16_vs_library"]["ceiling"] == "library_app_save_t8"
    assert rows["hexie_rebuild_1m"]["ceiling"] == "raw_keyset_orjson_scan"
    assert rows["hexie_rebuild_1m_vs_library"]["ceiling"] == "library_projection_runner_count"
    assert rows["hexie_case_history_10k"]["ceiling"] == "raw_fetch_fold_10k"
    assert rows["hexie_case_state_p99"]["ratio"] is None
    # The printed table has every row too.
    for name in ROWS:
        assert name in done.stdout
    # Nothing of the quick run is left behind.
    with psycopg.connect(ADMIN_URL.rsplit("/", 1)[0] + "/hexie_bench", connect_timeout=5) as conn:
        prefix = report["run"]["data_set"]["schema"].split("_", 1)[0] + "_"
        left = conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (prefix + "%",)).fetchall()
    assert not left, f"the quick run left schemas behind: {left}"
