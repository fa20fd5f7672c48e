"""The printed report: the machine, the run, and one table of every row."""

from __future__ import annotations

from typing import Any


def fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float) and unit.startswith("events"):
        return f"{value:,.0f}"
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 100 else f"{value:,.1f}"
    return str(value)


def table(m: dict[str, Any], run_info: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    pg = m["postgresql"]
    lines = [
        f"machine: {m['cpu_model']}, {m['cores']} cores, {m['memory_mb']:,} MB; Python {m['python']}; "
        f"PostgreSQL {pg.get('server_version')} fsync={pg.get('fsync')} synchronous_commit={pg.get('synchronous_commit')} "
        f"shared_buffers={pg.get('shared_buffers')}",
        "packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items())
        + f"; hexie commit {m.get('hexie_commit')}{' (dirty)' if m.get('hexie_dirty') else ''}",
        f"run: {run_info['mode']}, {run_info['events']:,} stored events, long case {run_info['long_case']:,}, "
        f"{run_info['seconds']:g} s x {run_info['reps']} write reps, {run_info['workers']} server workers, "
        f"{run_info.get('wall_s', 0):.0f} s wall",
        "",
    ]
    header = ("name", "value", "unit", "ceiling", "ratio", "goal", "met")
    cells = [header] + [(r["name"], fmt(r["value"], r["unit"]) if r["value"] is not None else r.get("note", "-"),
                         r["unit"], r["ceiling"] or "-", fmt(r["ratio"]), r["goal"] or "-", fmt(r["met"]))
                        for r in rows]
    widths = [max(len(str(c[i])) for c in cells) for i in range(len(header))]
    for i, c in enumerate(cells):
        lines.append("  ".join(str(v).rjust(w) if j in (1, 4) else str(v).ljust(w)
                               for j, (v, w) in enumerate(zip(c, widths))).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
