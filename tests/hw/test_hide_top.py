"""Hide unit through the whole controller: tests/hw/cocotb_hide_top.py on Icarus and Verilator.

One build per simulator: tb/hdl/sgdma_tb.v (sgdma + protocol checkers, the CPU gate's memory side
included) with HIDE_ENTRIES = 4 (small, so that table-full and the per-descriptor page limit are
reached with a few pages) and the define SGDMA_TEST_HOOKS (the test-only skip-maintenance variable
for the negative controls). Long random runs are behind @pytest.mark.slow.
"""
from __future__ import annotations

import json

import pytest

from tb.sim_runner import ROOT, hdl_sources, run

SOURCES = hdl_sources() + sorted((ROOT / "tb" / "hdl").glob("*.v"))
PARAMS = {
    "DATA_WIDTH": 64, "ADDR_WIDTH": 32, "ID_WIDTH": 4, "LEN_WIDTH": 16, "MAX_BURST_LEN": 16,
    "MAX_OUTSTANDING": 4, "SGL_MAX": 4, "SEG_LOG2": 32, "ALIGN_LOG2": 0, "DATA_FIFO_DEPTH": 64,
    "HIDE_ENTRIES": 4,
}
DEFINES = {"SGDMA_TEST_HOOKS": 1}


def _run(sim: str, testcase: str | None = None, seed: int = 4321, extra: dict | None = None):
    run("sgdma_tb", "cocotb_hide_top", sim=sim, parameters=PARAMS, defines=DEFINES, testcase=testcase,
        seed=seed, sources=SOURCES, extra_env={"SGDMA_PARAMS": json.dumps(PARAMS), **(extra or {})})


def test_hide_top(sim):
    """Issue 4 tests (1)-(9) and the page limit through sgdma (cocotb_hide_top.py docstrings)."""
    _run(sim)


@pytest.mark.slow
def test_hide_top_random_long(sim, seed):
    """Long random CPU traffic with both channels (test 9); `--seeds N` runs N seeds."""
    _run(sim, testcase="test_random_traffic", seed=seed, extra={"HIDE_TOP_RANDOM_JOBS": "60"})
