"""Launcher of tests/hw/cocotb_reach_closure.py: the descriptor alignment x length cross and the
queue/address toggles at every data width, and a 64-bit address space.

  - 32 bits: its own build with ADDR_WIDTH 64 (the quick suite's one 64-bit address build), ALIGN_LOG2 0,
    SG_PORT 1 (the default) and 128-beat bursts, otherwise test_sgdma's limits;
  - 64 bits: test_sgdma's build (ADDR_WIDTH 40, ALIGN_LOG2 2: the last-lane starts are refused there,
    SG_PORT 0) and test_ddi's main build (ADDR_WIDTH 40, byte alignment, SG_PORT 1, LEN_WIDTH 24);
  - 32 bits with 32-bit addresses: test_ddi's small build (LEN_WIDTH 13, SEG_LOG2 13). Verilator gives
    the descriptor queue's address arrays toggle points only in such a build (seen in the coverage
    data: 8 slots of 32-bit addresses have points, 40- and 64-bit ones none), so their bits are measured here;
  - 128 bits: test_closure's 128-bit parameters with SG_PORT 0 (test_closure_128 runs SG_PORT 1); Icarus
    in the quick suite, Verilator in `make regress` (a 128-bit Verilator build of sgdma_tb costs about
    a minute).
test_closure_ddi: tests/hw/cocotb_closure_ddi.py (binds of 3 and 5 windows) on test_ddi's main build.
"""
from __future__ import annotations

import json

import pytest

from tb.sim_runner import run
from tests.hw.test_closure import WIDE, skip_unless_selected
from tests.hw.test_ddi import MAIN as DDI_MAIN
from tests.hw.test_ddi import SMALL as DDI_SMALL
from tests.hw.test_sgdma import PARAMS, SOURCES

# 128-beat bursts (AxLEN bit 6; test_sgdma's build stops at 16 beats, the DDI builds at 64)
NARROW = {**PARAMS, "DATA_WIDTH": 32, "ADDR_WIDTH": 64, "ALIGN_LOG2": 0, "SG_PORT": 1, "MAX_BURST_LEN": 128,
          "DATA_FIFO_DEPTH": 256}


def _run(sim: str, params: dict):
    run("sgdma_tb", "cocotb_reach_closure", sim=sim, parameters=params, seed=1, sources=SOURCES,
        extra_env={"SGDMA_PARAMS": json.dumps(params)})


CONFIGS = {"32": NARROW, "32_addr32": DDI_SMALL, "64": PARAMS, "64_align1": DDI_MAIN}


@pytest.mark.parametrize("config", list(CONFIGS))
def test_reach_closure(sim, config):
    """Alignment x length cross, queue slots and address bits at 32 bits (64-bit addresses) and 64 bits."""
    _run(sim, CONFIGS[config])


@pytest.mark.hw
@pytest.mark.parametrize("sim_wide", [
    "icarus",
    pytest.param("verilator", marks=pytest.mark.slow),   # a second 128-bit Verilator build: make regress
])
def test_reach_closure_128(sim_wide, request):
    """The same at 128 bits, descriptors on the shared port (SG_PORT 0)."""
    skip_unless_selected(sim_wide, request)
    _run(sim_wide, {**WIDE, "SG_PORT": 0})


def test_closure_ddi(sim):
    """Binds of 3 and 5 windows through the DDI flow on test_ddi's main build (cocotb_closure_ddi.py)."""
    run("sgdma_tb", "cocotb_closure_ddi", sim=sim, parameters=DDI_MAIN, seed=1, sources=SOURCES,
        extra_env={"SGDMA_PARAMS": json.dumps(DDI_MAIN)})
