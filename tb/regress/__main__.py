"""Command line of the distributed regression (`make regress SCHEDULER=...` / `CLUSTER=...`).

    python -m tb.regress --scheduler tcp://host:8786 [-m hw] [--sim all] [--seeds N] [paths...]
    python -m tb.regress --cluster local --workers 2 ...
    python -m tb.regress --cluster slurm --jobs 10 --job-cores 8 --queue batch ...

Prints the seed plan (the master seed, then every task: what was drawn and its replay command; also in
build/regress/plan.txt), then progress: a line per failure as soon as it happens and a status line (done
of total, failed, time left) every --interval seconds; at the end the summary of tb/summary.py, from
build/regress.xml and build/ddi_stats.jsonl as for a local run. `--plan-only` prints the plan and stops
(`make regress` without Dask prints it so before pytest-xdist runs it). Exit status: 0 all passed, 1 some
task failed, 2 bad input or no cluster.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import uuid
from pathlib import Path

from tb.regress.artifacts import MERGERS, ResultStore, merge_junit, merge_stats
from tb.regress.cluster import JOBQUEUE, ROOT, ClusterError, jobqueue_cluster, open_client
from tb.regress.plan import PlanError, Selection, Task, make_plan, write_plan
from tb.regress.progress import Progress
from tb.regress.seeds import SeedPlanError, check_environment, draw_master
from tb.regress.task import failure_junit


def run_tasks(client, tasks: list[Task], store: ResultStore, progress: Progress, *, budget: float,
              waves_on_fail: bool = False, retries: int = 1, stop_after: float | None = None) -> int:
    """Submit every task, store each result once as it arrives, report it to progress.

    stop_after (seconds): then the tasks that have not started are cancelled (those running finish and
    count). Returns how many tasks were cancelled so.
    """
    from distributed import as_completed

    run_id = uuid.uuid4().hex[:8]  # keys unique per run: a scheduler may outlive many regressions

    def on_worker(task: dict, budget: float, waves_on_fail: bool) -> dict:
        # Nested, so cloudpickle sends it by value: the scheduler unpickles every task and need not have
        # this repository; the worker imports tb.regress.task from its own checkout (PYTHONPATH).
        from tb.regress.task import run_task

        return run_task(task, budget, waves_on_fail)

    by_key = {}
    futures = []
    for t in tasks:
        fut = client.submit(on_worker, t.to_json(), budget, waves_on_fail,
                            key=f"regress-{run_id}-{t.task_id}", pure=False, retries=retries)
        by_key[fut.key] = t
        futures.append(fut)
    prefix = f"regress-{run_id}-"
    progress.running = lambda: sum(1 for keys in client.processing().values() for k in keys
                                   if str(k).startswith(prefix))
    cancelled: set[str] = set()  # keys cancelled at --stop-after
    timer = None
    if stop_after is not None:
        def cancel_waiting():
            running = {k for keys in client.processing().values() for k in keys}
            waiting = [f for f in futures if not f.done() and f.key not in running]
            cancelled.update(f.key for f in waiting)
            progress.print(f"regress: --stop-after {stop_after:g} s reached: {len(waiting)} tasks that had "
                           f"not started are cancelled, {len(running)} running ones finish")
            client.cancel(waiting)

        progress.stop_at = progress.clock() + stop_after
        timer = threading.Timer(stop_after, cancel_waiting)
        timer.daemon = True
        timer.start()
    for fut in as_completed(futures):
        task = by_key[fut.key]
        if fut.cancelled() and fut.key in cancelled:
            continue  # not started before --stop-after: counted apart, not a failure
        try:
            if fut.cancelled():  # not by us: the client lost its scheduler
                raise RuntimeError("cancelled: the connection to the scheduler was lost")
            result = fut.result()
        except Exception as e:  # noqa: BLE001 - the worker's exception (e.g. KilledWorker) is the message
            message = f"task lost: {type(e).__name__}: {e}"[:300]
            result = {"task_id": task.task_id, "node": task.node, "outcome": "error", "message": message,
                      "seconds": 0.0, "returncode": None, "host": "", "pid": 0, "replay": task.replay(),
                      "files": {"junit.xml": failure_junit(task.node, message, 0.0, "error").encode()}}
        fut.release()
        if store.add(result):
            passed = result["outcome"] in ("passed", "skipped")
            progress.done(task.node, passed, result["seconds"], task.replay(),
                          f"{result['outcome']}: {result['message']}")
    if timer is not None:
        timer.cancel()
    progress.running = None
    return len(cancelled)


def merge(store: ResultStore, tasks: list[Task], junit: Path, stats: Path) -> None:
    """Merged JUnit and statistics (and every extra merger) over the task directories in plan order."""
    dirs = [store.tasks_dir / t.task_id for t in tasks if (store.tasks_dir / t.task_id).exists()]
    merge_junit(dirs, junit, {t.task_id: t.replay() for t in tasks})
    merge_stats(dirs, stats)
    for merger in MERGERS:
        merger(dirs, store.out)


class StatusTicker:
    """Prints progress.status() every interval seconds from a thread until stopped (progress.print
    must be safe to call from two threads)."""

    def __init__(self, progress: Progress, interval: float):
        self.progress, self.interval = progress, interval
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self.stop.wait(self.interval):
            self.progress.print(self.progress.status())

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def key_value(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    k, v = text.split("=", 1)
    return k, v


def positive(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if v <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return v


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m tb.regress", description=__doc__.split("\n\n")[0])
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://host:8786")
    where.add_argument("--cluster", choices=("local", *JOBQUEUE), help="start a cluster: local "
                       "(LocalCluster on 127.0.0.1) or a dask-jobqueue batch system")
    ap.add_argument("paths", nargs="*", help="test paths or node ids (default: pytest's testpaths)")
    ap.add_argument("-m", dest="markexpr", default="hw", help="pytest marker expression (default: hw)")
    ap.add_argument("-k", dest="keyword", default="", help="pytest -k expression")
    ap.add_argument("--sim", default="all", choices=("all", "icarus", "verilator"))
    ap.add_argument("--seeds", type=int, default=1, help="seeds drawn per seeded test (tb/regress/seeds.py)")
    ap.add_argument("--master-seed", type=int, default=None, metavar="M",
                    help="draws every test's seeds and variants (default: a random one, printed)")
    ap.add_argument("--variant", type=key_value, action="append", default=[], metavar="AXIS=VALUE",
                    help="pin a per-seed variant axis instead of drawing it, e.g. hostile=none")
    ap.add_argument("--plan-only", action="store_true", help="print the plan and stop (no cluster needed)")
    ap.add_argument("--no-plugin", action="append", default=[], metavar="NAME",
                    help="pytest -p no:NAME in every task, e.g. hypothesispytest (its import costs ~1 s)")
    ap.add_argument("--env", type=key_value, action="append", default=[], metavar="KEY=VALUE",
                    help="environment of every task (in its replay command too), e.g. "
                    "COCOTB_TEST_FILTER=test_long_random_chain")
    ap.add_argument("--budget", type=positive, default=1800.0, help="seconds per task before it is killed")
    ap.add_argument("--retries", type=int, default=1, help="re-runs of a task whose worker raised")
    ap.add_argument("--waves-on-fail", action="store_true", help="re-run failures with WAVES=1, keep waves")
    ap.add_argument("--stop-after", type=positive, default=None, metavar="SECONDS",
                    help="cancel the tasks not started by then (a run that fits a time slot)")
    ap.add_argument("--interval", type=positive, default=30.0, help="seconds between status lines")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "regress", help="task results directory")
    ap.add_argument("--junit", type=Path, default=ROOT / "build" / "regress.xml")
    ap.add_argument("--stats", type=Path, default=ROOT / "build" / "ddi_stats.jsonl")
    ap.add_argument("--summary", type=Path, default=ROOT / "build" / "regress_summary.md")
    ap.add_argument("--workers", type=int, default=2, help="--cluster local: worker processes")
    ap.add_argument("--connect-timeout", default="20s", help="--scheduler: give up connecting after this")
    ap.add_argument("--wait-workers", type=int, default=0, metavar="N",
                    help="wait (up to --connect-timeout) until N workers have joined before submitting")
    jq = ap.add_argument_group("dask-jobqueue (--cluster slurm|pbs|sge|lsf)")
    jq.add_argument("--jobs", type=int, default=1, help="batch jobs to submit")
    jq.add_argument("--job-cores", type=int, default=1, help="cores per job (one worker process each)")
    jq.add_argument("--job-memory", default="4GB", help="memory per job")
    jq.add_argument("--walltime", default="02:00:00")
    jq.add_argument("--queue")
    jq.add_argument("--account")
    jq.add_argument("--job-opt", type=key_value, action="append", default=[], metavar="KEY=VALUE",
                    help="any other keyword of the jobqueue cluster class")
    jq.add_argument("--print-job-script", action="store_true", help="print the batch script and exit")
    return ap


def main(argv=None) -> int:
    from tb import summary

    args = parser().parse_args(argv)
    out = print if sys.stdout.isatty() else lambda s: print(s, flush=True)
    if args.print_job_script:
        if args.cluster not in JOBQUEUE:
            print("regress: --print-job-script needs --cluster slurm|pbs|sge|lsf", file=sys.stderr)
            return 2
        try:
            cluster = jobqueue_cluster(args.cluster, cores=args.job_cores, memory=args.job_memory,
                                       walltime=args.walltime, queue=args.queue, account=args.account,
                                       options=dict(args.job_opt))
        except ClusterError as e:
            print(f"regress: {e}", file=sys.stderr)
            return 2
        out(cluster.job_script())
        cluster.close()
        return 0
    if not args.scheduler and not args.cluster and not args.plan_only:
        print("regress: give --scheduler tcp://host:port or --cluster local|slurm|pbs|sge|lsf "
              "(one machine without Dask: make regress)", file=sys.stderr)
        return 2
    if args.seeds < 1:
        print("regress: --seeds must be at least 1", file=sys.stderr)
        return 2
    try:
        check_environment({**os.environ, **dict(args.env)})
    except SeedPlanError as e:
        print(f"regress: {e}", file=sys.stderr)
        return 2
    master = draw_master() if args.master_seed is None else args.master_seed
    sel = Selection(args.markexpr, args.sim, args.seeds, master, args.paths, args.keyword, dict(args.env),
                    args.no_plugin, dict(args.variant))
    try:
        tasks = make_plan(sel)
    except PlanError as e:
        print(f"regress: {e}", file=sys.stderr)
        return 2
    plan_file = args.out / "plan.txt"
    write_plan(tasks, plan_file)
    out(f"regress: seed plan: master seed {master}, {args.seeds} seeds per seeded test: {len(tasks)} tasks "
        f"(pytest {' '.join(sel.pytest_args() + sel.paths)}; the same plan again: --master-seed {master}); "
        f"each below and in {plan_file}")
    for i, t in enumerate(tasks, 1):
        out(f"plan [{i}/{len(tasks)}] {t.describe() or 'unseeded'}: {t.replay()}")
    if args.plan_only:
        return 0
    lock = threading.Lock()

    def locked_print(line: str) -> None:
        with lock:
            out(line)

    progress = Progress(len(tasks), print_fn=locked_print, interval=args.interval)
    store = ResultStore(args.out)
    t0 = time.monotonic()
    try:
        with open_client(args) as client:
            if args.wait_workers:
                try:
                    client.wait_for_workers(args.wait_workers, timeout=args.connect_timeout)
                except TimeoutError:
                    raise ClusterError(f"fewer than {args.wait_workers} workers joined within "
                                       f"{args.connect_timeout}") from None
            out(f"regress: cluster {client.scheduler.address}, "
                f"{len(client.scheduler_info().get('workers', {}))} workers connected")
            with StatusTicker(progress, args.interval):
                not_run = run_tasks(client, tasks, store, progress, budget=args.budget,
                                    waves_on_fail=args.waves_on_fail, retries=args.retries,
                                    stop_after=args.stop_after)
    except ClusterError as e:
        print(f"regress: {e}", file=sys.stderr)
        return 2
    if not_run:
        progress.total -= not_run
        progress.stop_at = None
    out(progress.status())
    out(f"regress: {len(store.results)} results in {time.monotonic() - t0:.1f} s wall"
        f"{f', {store.duplicates} duplicate results ignored' if store.duplicates else ''}"
        f"{f', {not_run} tasks not run (--stop-after)' if not_run else ''}; per task in {store.tasks_dir}")
    merge(store, tasks, args.junit, args.stats)
    return summary.main([str(args.junit), "--stats", str(args.stats), "--out", str(args.summary)])


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
