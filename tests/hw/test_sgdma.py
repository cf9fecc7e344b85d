"""Top-level sgdma regressions (cocotb, tests/hw/cocotb_sgdma.py) on Icarus and Verilator.

One build configuration with every limit small enough to test at and past its value:
ADDR_WIDTH 40 (ADDR_RANGE), LEN_WIDTH 16 (LEN_RANGE), SEG_LOG2 16 (SEG_CROSS), ALIGN_LOG2 2 (MISALIGN),
SGL_MAX 4 (SGL_OVER). All cocotb tests run in one simulator invocation per simulator.
"""
from __future__ import annotations

import json

import pytest

from tb.sim_runner import ROOT, hdl_sources, run

# sgdma_tb: sgdma with the protocol checkers of tb/hdl on m_axi, s_axil, m_axis and s_axis ($fatal on
# the first violation), so every test below is also a protocol check.
SOURCES = hdl_sources() + sorted((ROOT / "tb" / "hdl").glob("*.v"))

PARAMS = {
    "DATA_WIDTH": 64, "ADDR_WIDTH": 40, "ID_WIDTH": 4, "LEN_WIDTH": 16, "MAX_BURST_LEN": 16,
    "MAX_OUTSTANDING": 4, "SGL_MAX": 4, "SEG_LOG2": 16, "ALIGN_LOG2": 2, "DATA_FIFO_DEPTH": 64,
}


def _run(sim: str, testcase: str | None = None, seed: int | None = None):
    run("sgdma_tb", "cocotb_sgdma", sim=sim, parameters=PARAMS, testcase=testcase, seed=seed, sources=SOURCES,
        extra_env={"SGDMA_PARAMS": json.dumps(PARAMS)})


def test_sgdma(sim):
    """All top-level tests (cocotb_sgdma.py docstrings list what each one proves)."""
    _run(sim)


@pytest.mark.slow
def test_sgdma_seeds(sim, seed):
    """The same tests under other seeds (backpressure patterns, offsets, lengths)."""
    _run(sim, seed=seed)
