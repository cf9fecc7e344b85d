"""The regression summary: JUnit XML from pytest + the per-test statistics lines -> a table.

    python -m tb.summary build/regress.xml [--stats build/ddi_stats.jsonl] [--out build/regress_summary.md]

Prints (and writes as Markdown) one row per pytest test, sorted by test id: outcome, simulator,
configuration, seed, and for the DDI tests the beats checked and bytes moved (from the JSON lines the
cocotb tests append to DDI_STATS_FILE), then the totals and every failure with the command that replays
it: the testcase's "replay" property when it has one (every seeded node has it, with its --seed:
tb/regress/seeds.py; the distributed regression puts the task's exact command there), else the node id.
Exit status: 0 all passed, 1 some failed, 2 bad input (missing or unreadable XML).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from tb.regress import seeds as seed_plan

ROOT = Path(__file__).resolve().parent.parent


def read_junit(path: Path) -> list[dict]:
    """[{name, classname, outcome, time, message, replay}] for every testcase of a pytest JUnit file."""
    tree = ET.parse(path)
    rows = []
    for case in tree.iter("testcase"):
        outcome, message = "passed", ""
        for tag in ("failure", "error", "skipped"):
            node = case.find(tag)
            if node is not None:
                outcome = {"failure": "FAILED", "error": "ERROR", "skipped": "skipped"}[tag]
                message = (node.get("message") or "").splitlines()[0][:100] if node.get("message") else ""
                break
        replay = next((p.get("value", "") for p in case.iter("property") if p.get("name") == "replay"), "")
        rows.append(
            {
                "name": case.get("name", ""),
                "classname": case.get("classname", ""),
                "outcome": outcome,
                "time": float(case.get("time", 0) or 0),
                "message": message,
                "replay": replay,
            }
        )
    return rows


def params_of(name: str) -> list[str]:
    m = re.search(r"\[(.*)\]$", name)
    return m.group(1).split("-") if m else []


def read_stats(path: Path) -> dict:
    """(sim, seed) -> beats/bytes summed over the DDI cocotb tests of that run."""
    out: dict = defaultdict(lambda: {"beats": 0, "bytes": 0, "tests": 0})
    if not path.exists():
        return out
    for line in path.read_text().splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        key = (
            rec.get("sim", "").lower(),
            str(rec.get("seed")),
            json.dumps(rec.get("params"), sort_keys=True),
        )
        out[key]["beats"] += int(rec.get("beats", 0))
        out[key]["bytes"] += int(rec.get("bytes", 0))
        out[key]["tests"] += 1
    return out


def node_id(row: dict) -> str:
    return f"{row['classname'].replace('.', '/')}.py::{row['name']}"


def replay_command(row: dict) -> str:
    if row.get("replay"):
        return row["replay"]
    return seed_plan.replay_command(node_id(row))  # unseeded (a seeded node carries its --seed above)


def seed_of(row: dict) -> str:
    """The drawn seed of a seeded node (its replay command's --seed), else ""."""
    m = re.search(r"--seed (\d+)", row.get("replay", ""))
    return m.group(1) if m else ""


def facts(rows: list[dict], stats: dict) -> dict:
    """What two runs of the same regression must agree on (no times): every test's outcome and the totals."""
    return {
        "outcomes": sorted((r["classname"], r["name"], r["outcome"]) for r in rows),
        "beats": sum(v["beats"] for v in stats.values()),
        "bytes": sum(v["bytes"] for v in stats.values()),
        "stats": sorted((k, v["beats"], v["bytes"], v["tests"]) for k, v in stats.items()),
    }


def summarize(rows: list[dict], stats: dict) -> tuple[str, int]:
    lines = ["| test | outcome | params | time (s) |", "|---|---|---|---|"]
    failures = []
    rows = sorted(rows, key=lambda r: (r["classname"], r["name"]))
    for r in rows:
        p = params_of(r["name"])
        lines.append(
            f"| {r['classname'].split('.')[-1]}::{r['name'].split('[')[0]} | {r['outcome']} | "
            f"{'-'.join(p)} | {r['time']:.1f} |"
        )
        if r["outcome"] in ("FAILED", "ERROR"):
            seed = seed_of(r) or "default"
            failures.append((r, seed))
    n = len(rows)
    passed = sum(r["outcome"] == "passed" for r in rows)
    skipped = sum(r["outcome"] == "skipped" for r in rows)
    seeds = sorted({seed_of(r) for r in rows} - {""}, key=int)
    seed_text = (", ".join(seeds) if len(seeds) <= 12 else f"{len(seeds)} drawn") if seeds else "default only"
    beats = sum(v["beats"] for v in stats.values())
    nbytes = sum(v["bytes"] for v in stats.values())
    ddi_tests = sum(v["tests"] for v in stats.values())
    total = [
        "",
        f"pytest tests: {n} ({passed} passed, {len(failures)} failed, {skipped} skipped)",
        f"seeds: {seed_text}",
        f"DDI cocotb tests that reported: {ddi_tests}; beats checked: {beats}; bytes moved: {nbytes}",
    ]
    if failures:
        total.append("failures (replay with the command shown):")
        for r, seed in failures:
            total.append(f"  {node_id(r)}  seed {seed}: {r['message']}")
            total.append(f"    {replay_command(r)}")
    return "\n".join(lines + total) + "\n", 1 if failures or not rows else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="regression summary from JUnit XML")
    ap.add_argument("junit", type=Path)
    ap.add_argument("--stats", type=Path, default=ROOT / "build" / "ddi_stats.jsonl")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "regress_summary.md")
    ap.add_argument("--coverage", type=Path, help="coverage directory of the run (tb/coverage_report.py)")
    args = ap.parse_args(argv)
    try:
        rows = read_junit(args.junit)
    except (OSError, ET.ParseError) as e:
        print(f"summary: cannot read {args.junit}: {e}", file=sys.stderr)
        return 2
    text, rc = summarize(rows, read_stats(args.stats))
    if args.coverage and (args.coverage / "report.md").exists():   # figures beside the beats checked
        figures = (args.coverage / "report.md").read_text().splitlines()
        text += "".join(f"coverage: {f[2:]}\n" for f in figures if f.startswith(("- Code", "- Functional")))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("# Regression summary\n\n" + text)
    print(text, end="")
    print(f"(written to {args.out})")
    return rc


if __name__ == "__main__":
    sys.exit(main())
