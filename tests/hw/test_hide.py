"""pytest launcher for the hide unit (sgdma_hide) standalone tests: tests/hw/cocotb_hide.py."""
from __future__ import annotations

import pytest

from tb.sim_runner import HDL, run

SOURCES = [HDL / "sgdma_hide.v", HDL / "sgdma_fifo.v"]
PARAMS = {"HIDE_ENTRIES": 8, "ADDR_WIDTH": 32, "CPU_DATA_WIDTH": 64}


def test_hide_unit(sim):
    """Tests (1)-(9) of docs/sgdma_hide.md on the standalone unit, one build per simulator."""
    run("sgdma_hide", "cocotb_hide", sim=sim, parameters=PARAMS, sources=SOURCES, seed=1234,
        extra_env={"HIDE_ENTRIES_EXPECT": "8"})


@pytest.mark.slow
def test_hide_random_long(sim, seed):
    """Long random CPU + DMA traffic (test 9); `--seeds N` runs N seeds."""
    run("sgdma_hide", "cocotb_hide", sim=sim, parameters=PARAMS, sources=SOURCES, seed=seed,
        testcase="test_random_traffic", extra_env={"HIDE_RANDOM_CMDS": "200"})
