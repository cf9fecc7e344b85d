"""A pytest target that never finishes (tests/regress/test_regress_dask.py: the task budget stops it).
Not named test_*.py: pytest runs it only when given by path. SAMPLE_PID_DIR as in sample_suite.py."""

import os
import time
from pathlib import Path


def test_hangs():
    pid_dir = os.environ.get("SAMPLE_PID_DIR")
    if pid_dir:
        Path(pid_dir, str(os.getpid())).write_text("")
    while True:  # until killed at its budget
        time.sleep(1)
