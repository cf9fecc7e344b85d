"""One regression task, run on a Dask worker: a pytest node as a subprocess with its own result files.

The worker runs run_task(task, budget) from its own checkout (the repository this module is in, with
its .venv). Every attempt gets a fresh directory build/regress/work/<task id>-<attempt>/ on the worker:

    junit.xml     pytest's JUnit XML for this node alone
    stats.jsonl   the DDI statistics lines of this node alone (DDI_STATS_FILE, tests/hw/cocotb_ddi.py)
    log.txt       pytest's output (all of it when the task failed, its tail otherwise)
    artifacts/    REGRESS_ARTIFACTS: anything a test writes there comes back (coverage databases, ...)
    artifacts/waves/  FST/VCD waves of a failing node, re-run once with WAVES=1 (waves_on_fail)

The files travel back inside the result (workers need not share a file system with the client) and the
directory is removed. A retried attempt therefore cannot add to an earlier attempt's statistics.
A node that outlives its budget is killed with everything it started and reported as a failure.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import quoteattr

ROOT = Path(__file__).resolve().parent.parent.parent
WORK = ROOT / "build" / "regress" / "work"
LOG_TAIL_LINES = 60
WAVE_SUFFIXES = (".fst", ".vcd", ".ghw")


def junit_names(node: str) -> tuple[str, str]:
    """(classname, name) pytest's JUnit XML gives a node (tests/a/b.py::C::t[x] -> tests.a.b.C, t[x])."""
    parts = node.split("::")
    module = parts[0].removesuffix(".py").replace("/", ".")
    return ".".join([module, *parts[1:-1]]), parts[-1]


def failure_junit(node: str, message: str, seconds: float, tag: str = "failure") -> str:
    classname, name = junit_names(node)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<testsuites><testsuite name="pytest" tests="1" '
            f'{"errors" if tag == "error" else "failures"}="1"><testcase classname={quoteattr(classname)} '
            f'name={quoteattr(name)} time="{seconds:.3f}"><{tag} message={quoteattr(message)}/></testcase>'
            f"</testsuite></testsuites>\n")


def junit_outcome(path: Path) -> tuple[str, str] | None:
    """(outcome, message) of the single testcase in a JUnit file, None when it holds none."""
    try:
        cases = list(ET.parse(path).iter("testcase"))
    except (OSError, ET.ParseError):
        return None
    if len(cases) != 1:
        return None
    for tag, outcome in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
        node = cases[0].find(tag)
        if node is not None:
            return outcome, (node.get("message") or "").strip().splitlines()[0][:200] if node.get(
                "message") else ""
    return "passed", ""


def _run_guarded(cmd: list[str], env: dict, budget: float, log: Path) -> tuple[int | None, float]:
    """Run cmd under the guard in its own process group; (exit status or None if killed at budget, s)."""
    t0 = time.monotonic()
    guarded = [sys.executable, "-m", "tb.regress.guard", str(os.getpid()), "--", *cmd]
    with open(log, "wb") as out:
        proc = subprocess.Popen(guarded, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            rc = proc.wait(timeout=budget)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            rc = None
    return rc, time.monotonic() - t0


def _waves_rerun(task: dict, env: dict, budget: float, attempt: Path) -> None:
    """Re-run a failing node once with WAVES=1 and keep the wave files it wrote under artifacts/waves/."""
    lock_path = WORK / ".waves.lock"  # one re-run at a time per host: builds share wave file names
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        start = time.time()
        cmd = [sys.executable, "-m", "pytest", task["node"], *task["args"], "-p", "no:cacheprovider", "-q"]
        _run_guarded(cmd, {**env, "WAVES": "1"}, budget, attempt / "waves_log.txt")
        dest = attempt / "artifacts" / "waves"
        for p in (ROOT / "build" / "sim").rglob("*"):
            if p.suffix in WAVE_SUFFIXES and p.is_file() and p.stat().st_mtime >= start:
                dest.mkdir(parents=True, exist_ok=True)
                shutil.copy2(p, dest / f"{p.parent.name}-{p.name}")


def run_task(task: dict, budget: float, waves_on_fail: bool = False) -> dict:
    """Run one task (plan.Task.to_json()); return its outcome and files (a failing test raises nothing)."""
    WORK.mkdir(parents=True, exist_ok=True)
    attempt = WORK / f"{task['task_id']}-{uuid.uuid4().hex[:8]}"
    (attempt / "artifacts").mkdir(parents=True)
    junit, stats, log = attempt / "junit.xml", attempt / "stats.jsonl", attempt / "log.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COCOTB_RESULTS"))}
    env.update(task["env"])
    env.update({"DDI_STATS_FILE": str(stats), "REGRESS_ARTIFACTS": str(attempt / "artifacts"),
                "REGRESS_TASK_ID": task["task_id"]})
    cmd = [sys.executable, "-m", "pytest", task["node"], *task["args"], "-p", "no:cacheprovider", "-q",
           f"--junitxml={junit}", "-o", "junit_family=xunit1"]
    rc, seconds = _run_guarded(cmd, env, budget, log)
    if rc is None:
        outcome, message = "timeout", f"timed out: killed after its budget of {budget:g} s"
        junit.write_text(failure_junit(task["node"], message, seconds))
    else:
        found = junit_outcome(junit)
        if found is None:  # pytest ran no such node, refused its options or environment, or crashed
            said = [x for x in log.read_text(errors="replace").splitlines() if x.startswith("ERROR:")]
            outcome, message = "error", f"pytest exit {rc} without a result for this node" + (
                f": {said[0][6:].strip()}"[:240] if said else "")
            junit.write_text(failure_junit(task["node"], message, seconds, tag="error"))
        else:
            outcome, message = found
    failed = outcome in ("failed", "error", "timeout")
    if failed and waves_on_fail and rc is not None:
        _waves_rerun(task, env, budget, attempt)
    text = log.read_text(errors="replace")
    if not failed:
        text = "\n".join(text.splitlines()[-LOG_TAIL_LINES:]) + "\n"
    files = {"log.txt": text.encode()}
    for p in sorted(attempt.rglob("*")):
        if p.is_file() and p.name not in ("log.txt", "waves_log.txt"):
            files[p.relative_to(attempt).as_posix()] = p.read_bytes()
    shutil.rmtree(attempt, ignore_errors=True)
    return {
        "task_id": task["task_id"],
        "node": task["node"],
        "outcome": outcome,
        "message": message,
        "seconds": seconds,
        "returncode": rc,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "replay": task["replay"],
        "files": files,
    }
