"""Launcher of tests/hw/cocotb_closure.py: tests that kill mutants the other suites missed
(docs/mutation.md). The 64-bit run uses the build of tests/hw/test_sgdma.py (same parameters);
test_axi_attributes also runs at 128 bits (the build of test_sgdma_widths[128]), where an ARSIZE
mistake of the descriptor fetches once went unseen by the quick suite."""
from __future__ import annotations

import json

import pytest

from tb.sim_runner import run, simulator_missing
from tests.hw.test_sgdma import PARAMS, SOURCES

WIDE = {"DATA_WIDTH": 128, "ADDR_WIDTH": 64, "ID_WIDTH": 4, "LEN_WIDTH": 24, "MAX_BURST_LEN": 32,
        "MAX_OUTSTANDING": 4, "SGL_MAX": 4, "SEG_LOG2": 32, "ALIGN_LOG2": 0, "DATA_FIFO_DEPTH": 64}


def _run(sim: str, params: dict, testcase: str | None = None):
    run("sgdma_tb", "cocotb_closure", sim=sim, parameters=params, testcase=testcase, seed=1, sources=SOURCES,
        extra_env={"SGDMA_PARAMS": json.dumps(params)})


def test_closure(sim):
    """AXI attributes, IOC counting, hard reset during a soft reset (cocotb_closure.py docstrings)."""
    _run(sim, PARAMS)


@pytest.mark.hw
@pytest.mark.parametrize("sim_wide", [
    "icarus",
    # a 128-bit Verilator build of sgdma_tb costs about a minute: long run only (make regress)
    pytest.param("verilator", marks=pytest.mark.slow),
])
def test_closure_128(sim_wide, request):
    """AxSIZE/AxBURST/AxCACHE of every burst on a 128-bit bus."""
    skip_unless_selected(sim_wide, request)
    _run(sim_wide, WIDE, testcase="test_axi_attributes")


def skip_unless_selected(sim: str, request) -> None:
    """Skip a test parametrized by its own simulator list when --sim names the other one or `sim` is
    not installed."""
    choice = request.config.getoption("--sim")
    if choice not in ("all", sim):
        pytest.skip(f"--sim {choice}")  # reason: the other simulator was asked for
    reason = simulator_missing(sim)
    if reason:
        pytest.skip(reason)  # reason: simulator not installed on this machine (printed)


def test_control_closure(sim):
    """Abort and soft reset by state, CURDESC after fetch errors, S2MM STALE/DESC_ALIGN, IOC and timeout
    together, PERF_CTRL and unmapped reads, high addresses and USER words (cocotb_control_closure.py)."""
    run("sgdma_tb", "cocotb_control_closure", sim=sim, parameters=PARAMS, seed=1, sources=SOURCES,
        extra_env={"SGDMA_PARAMS": json.dumps(PARAMS)})
