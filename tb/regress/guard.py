"""Runs a command and ends it, with everything it started, when the Dask worker that launched it dies.

    python -m tb.regress.guard WORKER_PID -- command...

tb/regress/task.py starts this in a new process group (it kills that group at the task's time budget).
A worker killed outright cannot clean up: without the guard its pytest and simulator would run on,
orphaned, while the scheduler re-runs the task elsewhere. The guard polls its parent and, once the
worker is gone, kills its process group (itself included). Exit status: the command's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--" or not argv[0].isdigit():
        print("usage: python -m tb.regress.guard WORKER_PID -- command...", file=sys.stderr)
        return 2
    worker = int(argv[0])
    child = subprocess.Popen(argv[2:])
    while True:
        try:
            return child.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            pass
        if os.getppid() != worker:  # re-parented: the worker died
            os.killpg(os.getpgrp(), signal.SIGKILL)
            time.sleep(1)  # not reached: SIGKILL includes this process


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
