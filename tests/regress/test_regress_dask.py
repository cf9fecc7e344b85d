"""The distributed regression (tb/regress/) on a real Dask scheduler and workers on 127.0.0.1.

The target is tests/regress/sample_suite.py (model only, about a second per node), so these tests take
seconds: the merged summary equals a local pytest run's, a worker killed mid-task loses nothing and
counts nothing twice, a hung node is killed at its budget and reported with its replay command.
Everything listens on 127.0.0.1 only and is shut down at the end of the module.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import psutil
import pytest

from tb import summary
from tb.regress.__main__ import main as regress_main
from tb.regress.artifacts import ResultStore, merge_stats
from tb.regress.plan import Selection, Task, collect, make_plan
from tb.regress.progress import Progress
from tb.regress.seeds import draw_seeds
from tb.regress.task import failure_junit, junit_names, junit_outcome

ROOT = Path(__file__).resolve().parent.parent.parent
# `python -m dask`, as make dask-scheduler/dask-worker: the .venv/bin/dask script's #! line names the
# python of wherever the venv was installed, which breaks when the checkout or its .venv moves
DASK = [str(ROOT / ".venv" / "bin" / "python"), "-m", "dask"]
SUITE = "tests/regress/sample_suite.py"
NO_HYPOTHESIS = ["--no-plugin", "hypothesispytest"]  # halves a sample node's start-up time
MASTER = 7
FAIL = draw_seeds(MASTER, f"{SUITE}::test_bind", 1)[0]  # the one seed test_bind draws (tb/regress/seeds.py)
# 4 nodes (2 tests x 2 simulators, one drawn seed each), 2 of which fail on purpose
SELECT = [SUITE, "-m", "", "--seeds", "1", "--master-seed", str(MASTER), "--env", f"SAMPLE_FAIL_SEED={FAIL}",
          *NO_HYPOTHESIS]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_worker(address: str, name: str, tmp: Path) -> subprocess.Popen:
    # --no-nanny: the process we kill is the worker itself (with a nanny it would be restarted).
    return subprocess.Popen(
        [*DASK, "worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny", "--no-dashboard",
         "--name", name, "--local-directory", str(tmp)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
        stderr=open(tmp / f"{name}.log", "w"))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A `dask scheduler` and two `dask worker` processes on 127.0.0.1 (README, "Regression")."""
    from distributed import Client

    tmp = tmp_path_factory.mktemp("dask")
    address = f"tcp://127.0.0.1:{free_port()}"
    procs = [subprocess.Popen([*DASK, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                               "--no-dashboard"], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=open(tmp / "scheduler.log", "w"))]
    try:
        procs += [start_worker(address, f"w{i}", tmp) for i in (1, 2)]
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=60)
        yield {"address": address, "tmp": tmp, "procs": procs}
    finally:  # workers first: a worker whose scheduler is gone spends its time reconnecting
        for p in procs[1:] + procs[:1]:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


@pytest.fixture(scope="module")
def local_facts(tmp_path_factory):
    """The same selection run by plain pytest on this machine: the facts every cluster run must match."""
    tmp = tmp_path_factory.mktemp("local")
    junit, stats = tmp / "local.xml", tmp / "stats.jsonl"
    env = {**os.environ, "DDI_STATS_FILE": str(stats), "SAMPLE_FAIL_SEED": str(FAIL)}
    env.pop("PYTEST_XDIST_WORKER", None)
    proc = subprocess.run([sys.executable, "-m", "pytest", SUITE, "-m", "", "--seeds", "1", "--master-seed",
                           str(MASTER), "-q",
                           "-p", "no:hypothesispytest",
                           "-p", "no:cacheprovider", f"--junitxml={junit}", "-o", "junit_family=xunit1"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout[-2000:]  # the two nodes of seed FAIL fail on purpose
    facts = summary.facts(summary.read_junit(junit), summary.read_stats(stats))
    assert len(facts["outcomes"]) == 4 and facts["beats"] > 0
    return facts


def run_regress(tmp: Path, address: str, extra: list[str]) -> tuple[int, dict, Path]:
    out = tmp / "out"
    args = ["--scheduler", address, *extra, "--out", str(out), "--junit", str(tmp / "regress.xml"),
            "--stats", str(tmp / "stats.jsonl"), "--summary", str(tmp / "summary.md"), "--interval", "2"]
    rc = regress_main(args)
    facts = summary.facts(summary.read_junit(tmp / "regress.xml"), summary.read_stats(tmp / "stats.jsonl"))
    return rc, facts, out


def test_cluster_run_merges_like_local(cluster, local_facts, tmp_path, capsys):
    rc, facts, out = run_regress(tmp_path, cluster["address"], SELECT)
    text = capsys.readouterr().out
    assert rc == 1
    assert facts == local_facts
    assert "progress: 4/4 done, 2 failed" in text
    # each failure printed when it arrived, with the command that replays it alone
    assert text.count("FAILED [") == 2
    for sim in ("icarus", "verilator"):
        node = f"{SUITE}::test_bind[{sim}-{FAIL}]"
        assert f"replay: SAMPLE_FAIL_SEED={FAIL} .venv/bin/python -m pytest '{node}' --seed {FAIL}" in text
        assert f"] sim={sim} seed={FAIL}: SAMPLE_FAIL_SEED={FAIL} .venv/bin/python -m pytest '{node}'" in text
    assert f"seed plan: master seed {MASTER}, 1 seeds per seeded test: 4 tasks" in text
    tasks = sorted(p.name for p in (out / "tasks").iterdir())
    assert len(tasks) == 4
    for t in tasks:  # each task's own files, and what the node left in REGRESS_ARTIFACTS
        assert {"junit.xml", "log.txt", "artifacts"} <= {p.name for p in (out / "tasks" / t).iterdir()}
        assert (out / "tasks" / t / "artifacts" / "sample_coverage.txt").read_text().startswith(SUITE)


def test_failing_node_brings_back_its_waves(cluster, tmp_path):
    rc, facts, out = run_regress(tmp_path, cluster["address"], [
        f"{SUITE}::test_bind", "-m", "", "--sim", "icarus", "--seeds", "1", "--master-seed", str(MASTER),
        *NO_HYPOTHESIS, "--env", f"SAMPLE_FAIL_SEED={FAIL}", "--waves-on-fail"])
    assert rc == 1 and [o for *_, o in facts["outcomes"]] == ["FAILED"]
    (task,) = (out / "tasks").iterdir()
    waves = list((task / "artifacts" / "waves").iterdir())
    assert len(waves) == 1 and waves[0].suffix == ".fst"


def test_worker_killed_mid_run_loses_and_doubles_nothing(cluster, local_facts, tmp_path, capsys):
    from distributed import Client

    pid_dir = tmp_path / "pids"
    pid_dir.mkdir()
    victim = start_worker(cluster["address"], "victim", cluster["tmp"])
    cluster["procs"].append(victim)
    with Client(cluster["address"], timeout="30s") as client:
        client.wait_for_workers(3, timeout=60)
        result = {}
        args = [*SELECT, "--env", "SAMPLE_SLEEP=3", "--env", f"SAMPLE_PID_DIR={pid_dir}"]
        run = threading.Thread(target=lambda: result.update(
            zip(("rc", "facts", "out"), run_regress(tmp_path, cluster["address"], args), strict=True)))
        run.start()
        deadline = time.monotonic() + 90
        while True:  # until the victim's own node is running (its pid file written)
            orphans = [p.pid for p in psutil.Process(victim.pid).children(recursive=True)]  # guard, pytest
            if {int(p.name) for p in pid_dir.iterdir()} & set(orphans):
                break
            assert time.monotonic() < deadline, "the victim worker never started a task"
            time.sleep(0.1)
        victim.send_signal(signal.SIGKILL)  # mid-task: its node sleeps 3 s
        victim.wait()
        time.sleep(2)  # the guard polls every 0.5 s
        assert not any(alive(p) for p in orphans), "the killed worker's task outlived it"
        run.join(timeout=180)
    assert not run.is_alive()
    assert result["rc"] == 1 and result["facts"] == local_facts
    lines = [json.loads(x) for x in (result["out"] / "results.jsonl").read_text().splitlines()]
    assert len(lines) == len({x["task_id"] for x in lines}) == 4
    started = sorted(int(p.name) for p in pid_dir.iterdir())
    assert len(started) >= 5, "the killed worker's node was not re-run elsewhere"
    assert not any(alive(pid) for pid in started), "a node of the killed worker outlived it"


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its reaper is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_hung_task_killed_at_budget(cluster, tmp_path, capsys):
    pid_dir = tmp_path / "pids"
    pid_dir.mkdir()
    t0 = time.monotonic()
    rc, facts, out = run_regress(tmp_path, cluster["address"], [
        "tests/regress/sample_hang.py", "-m", "", *NO_HYPOTHESIS, "--budget", "5",
        "--env", f"SAMPLE_PID_DIR={pid_dir}"])
    text = capsys.readouterr().out
    assert rc == 1 and time.monotonic() - t0 < 90
    assert facts["outcomes"] == [("tests.regress.sample_hang", "test_hangs", "FAILED")]
    assert "timeout: timed out: killed after its budget of 5 s" in text
    assert "replay: SAMPLE_PID_DIR=" in text and "sample_hang.py::test_hangs" in text
    pids = [int(p.name) for p in pid_dir.iterdir()]
    assert pids and not any(alive(p) for p in pids)


# ---------------------------------------------------------------------------------------------------
# the pieces, without a cluster
# ---------------------------------------------------------------------------------------------------
def test_result_counted_once(tmp_path):
    """A second result of the same task (re-run after its worker died) is ignored, its stats too;
    negative control: merging the task's stats twice changes the facts compared above."""
    store = ResultStore(tmp_path)
    line = b'{"sim": "icarus", "seed": "1000", "params": {}, "beats": 7, "bytes": 56}\n'
    result = {"task_id": "t1", "node": "n", "outcome": "passed", "files": {"stats.jsonl": line}}
    assert store.add(result) and not store.add(result) and store.duplicates == 1
    d = tmp_path / "tasks" / "t1"
    merge_stats([d], tmp_path / "once.jsonl")
    merge_stats([d, d], tmp_path / "twice.jsonl")
    once, twice = (summary.facts([], summary.read_stats(tmp_path / f)) for f in ("once.jsonl", "twice.jsonl"))
    assert once["beats"] == 7 and once != twice


def test_timeout_junit_reads_back_as_failure(tmp_path):
    node = "tests/hw/test_x.py::TestA::test_b[icarus-1003]"
    assert junit_names(node) == ("tests.hw.test_x.TestA", "test_b[icarus-1003]")
    (tmp_path / "j.xml").write_text(failure_junit(node, "timed out", 3.0))
    assert junit_outcome(tmp_path / "j.xml") == ("failed", "timed out")
    assert ET.parse(tmp_path / "j.xml").find(".//testcase").get("name") == "test_b[icarus-1003]"


def test_replay_command_carries_task_env():
    t = Task("tests/hw/test_x.py::test_y[icarus-83741]", {"sim": "icarus", "seed": "83741"},
             ["--seed", "83741"], {"COCOTB_TEST_FILTER": "a b"})
    assert t.replay() == ("COCOTB_TEST_FILTER='a b' .venv/bin/python -m pytest "
                          "'tests/hw/test_x.py::test_y[icarus-83741]' --seed 83741")
    assert t.task_id != Task(t.node, t.params, t.args, {}).task_id


def test_plan_is_seed_major_with_drawn_seeds_and_variants():
    """The first drawn seed of every test and simulator first; each task runs its node with --seed."""
    sel = Selection(markexpr="", seeds=2, master_seed=MASTER, paths=[SUITE], plugins_off=["hypothesispytest"])
    plan = make_plan(sel, nodes=collect(sel))
    firsts = {f"{SUITE}::{name}": draw_seeds(MASTER, f"{SUITE}::{name}", 2)
              for name in ("test_bind", "test_small_bind")}
    assert [t.seed for t in plan] == [str(firsts[t.node.split("[")[0]][i // 4]) for i, t in enumerate(plan)]
    assert all(t.args[:2] == ["--seed", t.seed] for t in plan)
    small = [t for t in plan if "test_small_bind" in t.node]
    assert all(t.params["contiguity"] in ("0.0", "0.3", "1.0") for t in small)
    assert all(t.describe() == f"sim={t.params['sim']} seed={t.seed} contiguity={t.params['contiguity']}"
               for t in small)


def test_progress_time_left():
    now = [0.0]
    lines = []
    p = Progress(10, print_fn=lines.append, interval=5, clock=lambda: now[0])
    now[0] = 20.0
    p.done("a", True, 1.0, "cmd a")
    p.done("b", False, 1.0, "cmd b", "boom")
    assert lines == ["FAILED [2/10] b (1.0 s): boom", "  replay: cmd b"]
    assert p.status() == "progress: 2/10 done, 1 failed, elapsed 20s, time left ~1m20s"
    p.running = lambda: 3  # the Dask runner: its tasks the scheduler has given to workers
    assert p.status() == "progress: 2/10 done, 3 on workers, 1 failed, elapsed 20s, time left ~1m20s"


def test_cli_bad_input_exits_2(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "tb.regress", *args], cwd=ROOT, capture_output=True,
                              text=True, timeout=120)

    no_cluster = run(SUITE, "-m", "")
    assert no_cluster.returncode == 2 and no_cluster.stderr.startswith("regress: give --scheduler")
    unreachable = run("--scheduler", f"tcp://127.0.0.1:{free_port()}", "--connect-timeout", "2s", SUITE,
                      "-m", "", *NO_HYPOTHESIS, "--out", str(tmp_path))
    assert unreachable.returncode == 2 and "cannot reach scheduler" in unreachable.stderr
    assert "Traceback" not in unreachable.stderr
    assert run("--seeds", "0", "--cluster", "local").returncode == 2
