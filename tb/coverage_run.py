"""Coverage collection switches for tb/sim_runner.py (SGDMA_COVERAGE=1; `make coverage` sets it).

- Code coverage (Verilator only): the design is built with --coverage-line --coverage-toggle in its
  own build directory (suffix -cov), and each run writes its counters to a unique
  <dir>/code/<tag>.dat (+verilator+coverage+file+), merged later by tb/coverage_report.py with
  verilator_coverage.
- Functional coverage (both simulators): SGDMA_FUNC_COV_DIR=<dir>/func makes tb/coverage.py write its
  database when the simulation ends.
<dir> is SGDMA_COVERAGE_DIR, by default build/coverage.
"""
from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE_ARGS = ["--coverage-line", "--coverage-toggle"]


def enabled() -> bool:
    return os.environ.get("SGDMA_COVERAGE", "0") not in ("", "0")


def out_dir() -> Path:
    return Path(os.environ.get("SGDMA_COVERAGE_DIR") or ROOT / "build" / "coverage").resolve()


def tag(sim: str, toplevel: str, test_module: str, testcase, seed) -> str:
    """A file-name-safe label of this run: pytest's current test when there is one."""
    node = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0].split("::")[-1]
    raw = f"{sim}-{test_module}-{node or toplevel}-s{seed}-{uuid.uuid4().hex[:6]}"
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", raw)[:150]


def build_args(sim: str) -> list[str]:
    return CODE_ARGS if enabled() and sim == "verilator" else []


def plusargs(sim: str, run_tag: str) -> list[str]:
    if not (enabled() and sim == "verilator"):
        return []
    d = out_dir() / "code"
    d.mkdir(parents=True, exist_ok=True)
    return [f"+verilator+coverage+file+{d / (run_tag + '.dat')}"]


def env(run_tag: str) -> dict:
    if not enabled():
        return {}
    d = out_dir() / "func"
    d.mkdir(parents=True, exist_ok=True)
    return {"SGDMA_FUNC_COV_DIR": str(d), "SGDMA_COV_TAG": run_tag}
