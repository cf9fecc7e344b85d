"""Errors reach the driver: tests/hw/cocotb_ddi_errors.py (tb/env/ddi_errors.py) on the DDI toplevel
tb/hdl/harness/sgdma_tb.v, MAIN configuration of tests/hw/test_ddi.py, both simulators."""
from __future__ import annotations

import json

from tb.sim_runner import run, sgdma_tb_sources
from tests.hw.test_ddi import MAIN


def test_ddi_errors(sim):
    """Bus errors at every site, abort and soft reset mid-request, both channels; the cleanup checks
    and their negative control."""
    run("sgdma_tb", "cocotb_ddi_errors", sim=sim, parameters=MAIN, seed=1, sources=sgdma_tb_sources(),
        extra_env={"SGDMA_PARAMS": json.dumps(MAIN)})
