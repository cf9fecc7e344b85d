"""Task results on the client: one directory per task, then one merged answer.

    build/regress/plan.txt                   every task with its replay command (written first)
    build/regress/results.jsonl              one line per finished task, as it finishes
    build/regress/tasks/<task id>/           what the task brought back (tb/regress/task.py):
        junit.xml  stats.jsonl  log.txt  artifacts/...  (coverage databases, waves of failing runs)

A result is stored under its task id once: a task that ran twice (its worker died after finishing, the
scheduler re-ran it) is counted once. The merge then runs every function of MERGERS over the task
directories, in plan order: JUnit XML into one file and the statistics into one JSON-lines file, which
tb/summary.py turns into the same table as a local run. A coverage merger plugs in by appending
`merge(task_dirs: list[Path], out: Path) -> None` to MERGERS (each task's files are in
<task dir>/artifacts/).
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path


class ResultStore:
    """Writes each task's files once; later results of the same task id are counted as duplicates."""

    def __init__(self, out: Path):
        self.out = out
        self.tasks_dir = out / "tasks"
        self.results: dict[str, dict] = {}
        self.duplicates = 0
        if self.tasks_dir.exists():
            shutil.rmtree(self.tasks_dir)
        self.tasks_dir.mkdir(parents=True)
        self.index = out / "results.jsonl"
        self.index.write_text("")

    def add(self, result: dict) -> bool:
        """Store a result; False (and nothing written) when this task id already has one."""
        tid = result["task_id"]
        if tid in self.results:
            self.duplicates += 1
            return False
        d = self.tasks_dir / tid
        d.mkdir(parents=True)
        for name, data in result.get("files", {}).items():
            p = d / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
        meta = {k: v for k, v in result.items() if k != "files"}
        self.results[tid] = meta
        with open(self.index, "a") as f:
            f.write(json.dumps(meta) + "\n")
        return True


def merge_junit(task_dirs: list[Path], out: Path, replays: dict[str, str] | None = None) -> Path:
    """One pytest-style JUnit file with every task's testcases; each carries its replay command as a
    property (tb/summary.py prints it for failures)."""
    suite = ET.Element("testsuite", name="pytest")
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    total_time = 0.0
    for d in task_dirs:
        path = d / "junit.xml"
        if not path.exists():
            continue
        for case in ET.parse(path).iter("testcase"):
            counts["tests"] += 1
            for tag, key in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
                if case.find(tag) is not None:
                    counts[key] += 1
            total_time += float(case.get("time", 0) or 0)
            if replays and d.name in replays:
                props = case.find("properties")
                if props is None:
                    props = ET.SubElement(case, "properties")
                for old in [q for q in props if q.get("name") == "replay"]:  # the node's own, no task env
                    props.remove(old)
                ET.SubElement(props, "property", name="replay", value=replays[d.name])
            suite.append(case)
    for k, v in counts.items():
        suite.set(k, str(v))
    suite.set("time", f"{total_time:.3f}")
    root = ET.Element("testsuites")
    root.append(suite)
    out.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)
    return out


def merge_stats(task_dirs: list[Path], out: Path) -> Path:
    """The statistics lines of every task, in plan order, into one file (tb/summary.py --stats)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w") as f:
        for d in task_dirs:
            p = d / "stats.jsonl"
            if p.exists():
                f.write(p.read_text())
    return out


Merger = Callable[[list[Path], Path], None]
MERGERS: list[Merger] = []  # extra mergers (coverage): called with the task directories and the output dir
