"""The Dask client of a regression: an existing scheduler, a loopback LocalCluster, or a batch system.

- `--scheduler tcp://host:8786`: workers were started by hand on any host with the repository and its
  .venv (`make dask-scheduler`, `make dask-worker SCHEDULER=...`; README, "Regression").
- `--cluster local`: a LocalCluster on 127.0.0.1 with `--workers` processes of one thread each.
- `--cluster slurm|pbs|sge|lsf`: a dask-jobqueue cluster whose jobs each start `--job-cores` workers
  from this checkout (cd to it, its .venv's python, PYTHONPATH); `--jobs` jobs are submitted. Queue,
  account, memory and walltime are options; anything else goes through `--job-opt KEY=VALUE` to the
  jobqueue class. `--print-job-script` prints the batch script without submitting anything.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
JOBQUEUE = {"slurm": "SLURMCluster", "pbs": "PBSCluster", "sge": "SGECluster", "lsf": "LSFCluster"}
ACCOUNT_KEYWORD = {"slurm": "account", "pbs": "account", "sge": "project", "lsf": "project"}


def lsf_walltime(walltime: str) -> str:
    """bsub -W takes [hours:]minutes: HH:MM:SS becomes HH:MM, a started minute counted whole."""
    parts = walltime.split(":")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return walltime
    minutes = int(parts[0]) * 60 + int(parts[1]) + (int(parts[2]) > 0)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class ClusterError(Exception):
    """A cluster that cannot be opened (unreachable scheduler, bad option)."""


def jobqueue_cluster(kind: str, *, cores: int, memory: str, walltime: str, queue: str | None,
                     account: str | None, options: dict):
    """A dask-jobqueue cluster whose workers run from this checkout, one thread per worker process."""
    import dask_jobqueue

    cls = getattr(dask_jobqueue, JOBQUEUE[kind])
    kwargs = dict(
        cores=cores,
        processes=cores,  # one single-threaded worker per core: each task is a simulator subprocess
        memory=memory,
        walltime=lsf_walltime(walltime) if kind == "lsf" else walltime,
        python=str(ROOT / ".venv" / "bin" / "python"),
        job_script_prologue=[f"cd {ROOT}", f"export PYTHONPATH={ROOT}"],
        scheduler_options={"dashboard_address": ":0"},  # any free port: 8787 may be taken
    )
    if queue:
        kwargs["queue"] = queue
    if account:
        kwargs[ACCOUNT_KEYWORD[kind]] = account
    kwargs.update(options)
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as e:
        raise ClusterError(f"{JOBQUEUE[kind]}: {str(e).splitlines()[0]}") from e


@contextlib.contextmanager
def open_client(args):
    """A connected distributed.Client for the CLI options (scheduler, cluster, workers, jobs...)."""
    from distributed import Client, LocalCluster

    cluster = None
    try:
        if args.scheduler:
            try:
                client = Client(args.scheduler, timeout=args.connect_timeout)
            except (OSError, TimeoutError, ValueError) as e:
                raise ClusterError(f"cannot reach scheduler {args.scheduler}: {e}") from e
        elif args.cluster == "local":
            cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None)
            client = Client(cluster)
        else:
            cluster = jobqueue_cluster(args.cluster, cores=args.job_cores, memory=args.job_memory,
                                       walltime=args.walltime, queue=args.queue, account=args.account,
                                       options=dict(args.job_opt))
            submit = cluster.job_cls.submit_command
            if shutil.which(submit) is None:  # else every job fails in the background and nothing runs
                raise ClusterError(f"{submit} not found on PATH: run on a host that submits {args.cluster} "
                                   f"jobs (--print-job-script shows the script without submitting)")
            cluster.scale(jobs=args.jobs)
            client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()
