"""The distributed regression: every (test, simulator, configuration, seed) pytest node is one task.

    python -m tb.regress --scheduler tcp://host:8786 -m hw --sim all --seeds 4
    python -m tb.regress --cluster local --workers 2 ...      (a loopback cluster on 127.0.0.1)
    python -m tb.regress --cluster slurm --jobs 20 ...        (dask-jobqueue: slurm, pbs, sge, lsf)

seeds.py is the seed plan (every test's seeds drawn from a master seed, a variant drawn per seed, the
replay command of each drawn run), used by pytest itself (tests/conftest.py, tests/hw/conftest.py);
plan.py collects the node ids (the same -m/--sim/--seeds/--master-seed selection as `make regress`);
task.py runs one node as a pytest subprocess on a Dask worker (guard.py kills it at
its time budget or when the worker dies); artifacts.py writes what each task brought back under
build/regress/tasks/<task id>/ and merges JUnit and statistics into the inputs of tb/summary.py;
progress.py prints tasks done of total, failures with their replay commands and the time left;
cluster.py opens the Dask client (scheduler address, LocalCluster or a jobqueue cluster).
"""
