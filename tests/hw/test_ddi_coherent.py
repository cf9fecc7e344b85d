"""Coherency in the DDI flow: tests/hw/cocotb_ddi_coherent.py (tb/env/ddi_coherent.py) on the DDI
toplevel tb/hdl/harness/sgdma_tb.v with the hide unit (HIDE_ENTRIES 16) and the test hooks
(SGDMA_TEST_HOOKS: the skip-maintenance variable of the negative controls), both simulators."""
from __future__ import annotations

import json

from tb.sim_runner import run, sgdma_tb_sources
from tests.hw.test_ddi import MAIN

PARAMS = {**MAIN, "HIDE_ENTRIES": 16}
DEFINES = {"SGDMA_TEST_HOOKS": 1}


def test_ddi_coherent(sim):
    """Cache attributes through devmap_umem_setup, ring syncs, hide maintenance, the CPU gate; the
    negative controls (missing FORDEV / FORCPU, maintenance off, a store not stalled)."""
    run("sgdma_tb", "cocotb_ddi_coherent", sim=sim, parameters=PARAMS, defines=DEFINES, seed=1,
        sources=sgdma_tb_sources(), extra_env={"SGDMA_PARAMS": json.dumps(PARAMS)})
