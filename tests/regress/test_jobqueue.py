"""dask-jobqueue clusters (`--cluster slurm|pbs|sge|lsf`, tb/regress/cluster.py) without a batch system.

Each cluster class builds its batch script with the same code a real run uses (nothing is submitted):
the script must start single-threaded workers of the cluster's scheduler from this checkout's .venv,
in the checkout, with the checkout importable. One script is then run by hand with bash, as the batch
system would run it on a compute node: its worker joins and runs a regression task. Schedulers listen
on 127.0.0.1 only; everything is closed at the end of each test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tb.regress.cluster import JOBQUEUE, jobqueue_cluster
from tb.regress.plan import Selection, make_plan
from tb.regress.task import run_task

ROOT = Path(__file__).resolve().parent.parent.parent
DIRECTIVE = {"slurm": "#SBATCH", "pbs": "#PBS", "sge": "#$", "lsf": "#BSUB"}
LOOPBACK = {"scheduler_options": {"host": "127.0.0.1", "dashboard_address": ":0"}}
SUITE = "tests/regress/sample_suite.py"


def worker_problems(script: str, address: str, workers: int) -> list[str]:
    """What keeps a batch script from starting `workers` workers of `address` from this checkout."""
    lines = [x.strip() for x in script.splitlines() if x.strip()]
    worker = next((i for i, x in enumerate(lines) if "distributed.cli.dask_worker" in x), None)
    if worker is None:
        return ["no dask worker command"]
    words = lines[worker].split()
    problems = []
    if f"cd {ROOT}" not in lines[:worker]:
        problems.append("does not cd to the checkout first")
    if f"export PYTHONPATH={ROOT}" not in lines[:worker]:
        problems.append("does not put the checkout on PYTHONPATH first")
    if words[:3] != [str(ROOT / ".venv" / "bin" / "python"), "-m", "distributed.cli.dask_worker"]:
        problems.append(f"worker not started by the checkout's .venv python: {' '.join(words[:3])}")
    if words[3:4] != [address]:
        problems.append(f"worker of {words[3:4]}, not of the scheduler {address}")
    for opt, value in (("--nthreads", "1"), ("--nworkers", str(workers))):
        if opt not in words or words[words.index(opt) + 1] != value:
            problems.append(f"{opt} is not {value}")
    return problems


@pytest.mark.parametrize("kind", sorted(JOBQUEUE))
def test_job_script_starts_workers_from_the_checkout_venv(kind):
    cluster = jobqueue_cluster(kind, cores=4, memory="8GB", walltime="01:30:00", queue="batchq",
                               account="proj42", options=LOOPBACK)
    try:
        script = cluster.job_script()
        assert worker_problems(script, cluster.scheduler_address, 4) == [], script
        directives = "\n".join(x for x in script.splitlines() if x.startswith(DIRECTIVE[kind]))
        for wanted in ("batchq", "proj42", "01:30"):  # queue, account, walltime reach the batch system
            assert wanted in directives, script
        if kind == "lsf":  # bsub -W takes [hours:]minutes
            assert "#BSUB -W 01:30\n" in script
    finally:
        cluster.close()


def test_job_script_check_fires():
    """Negative control: a script with another python and without the checkout's prologue is refused
    on each count (the default python would be the running one, the .venv's, so it is forced here)."""
    cluster = jobqueue_cluster("slurm", cores=2, memory="4GB", walltime="00:10:00", queue=None, account=None,
                               options={**LOOPBACK, "python": "/usr/bin/python3", "job_script_prologue": []})
    try:
        problems = worker_problems(cluster.job_script(), cluster.scheduler_address, 2)
        assert len(problems) == 3 and "checkout's .venv python" in problems[2]
        assert len(worker_problems(cluster.job_script(), "tcp://10.0.0.1:1", 4)) == 5
    finally:
        cluster.close()


def test_slurm_job_script_run_by_hand_joins_and_runs_a_task(tmp_path):
    """The batch script run with bash (its #SBATCH lines are comments) starts a worker that joins the
    cluster's scheduler and runs a regression task of the sample suite from this checkout."""
    from distributed import Client

    cluster = jobqueue_cluster("slurm", cores=1, memory="2GB", walltime="00:10:00", queue=None, account=None,
                               options=LOOPBACK)
    job = tmp_path / "job.sh"
    job.write_text(cluster.job_script())
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",) and not k.startswith("PYTEST_")}
    proc = subprocess.Popen(["bash", str(job)], cwd=tmp_path, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=open(tmp_path / "job.log", "w"))
    try:
        with Client(cluster, timeout="30s") as client:
            client.wait_for_workers(1, timeout=90)
            sel = Selection(markexpr="", sim="icarus", seeds=1, master_seed=7,
                            paths=[f"{SUITE}::test_small_bind"], plugins_off=["hypothesispytest"])
            (task,) = make_plan(sel)
            result = client.submit(run_task, task.to_json(), 120.0, pure=False).result(timeout=180)
        assert result["outcome"] == "passed", result["message"]
        assert b"1 passed" in result["files"]["log.txt"]
        assert result["pid"] != os.getpid()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        cluster.close()


def test_cli_without_the_batch_system(tmp_path):
    """`--cluster slurm` where sbatch is missing: one line and exit 2 (not a run that never starts);
    `--print-job-script` needs no batch system."""
    def regress(*args):
        return subprocess.run([sys.executable, "-m", "tb.regress", *args], cwd=ROOT, capture_output=True,
                              text=True, timeout=120, env={**os.environ, "PATH": "/usr/bin:/bin"})

    missing = regress("--cluster", "slurm", SUITE, "-m", "", "--seeds", "1", "--out", str(tmp_path))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert missing.stderr.startswith("regress: sbatch not found on PATH"), missing.stderr
    printed = regress("--cluster", "pbs", "--print-job-script", "--job-cores", "3", "--queue", "q1")
    assert printed.returncode == 0, printed.stderr
    assert f"{ROOT}/.venv/bin/python -m distributed.cli.dask_worker" in printed.stdout
    assert "--nworkers 3" in printed.stdout and "#PBS -q q1" in printed.stdout
