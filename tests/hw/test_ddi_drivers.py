"""More of what real drivers do: tests/hw/cocotb_ddi_drivers.py on the DDI toplevel
tb/hdl/harness/sgdma_tb.v with 48 address bits (cookies above 2**40) and small limits, both simulators."""
from __future__ import annotations

import json

from tb.sim_runner import run, sgdma_tb_sources

HIGH = {
    "DATA_WIDTH": 64,
    "ADDR_WIDTH": 48,
    "LEN_WIDTH": 16,
    "MAX_BURST_LEN": 16,
    "MAX_OUTSTANDING": 2,
    "SGL_MAX": 4,
    "SEG_LOG2": 16,
    "DATA_FIFO_DEPTH": 64,
}


def test_ddi_drivers(sim):
    """Address bits above 40 on traffic; a ring smaller than a request, recycled."""
    run("sgdma_tb", "cocotb_ddi_drivers", sim=sim, parameters=HIGH, seed=1, sources=sgdma_tb_sources(),
        extra_env={"SGDMA_PARAMS": json.dumps(HIGH)})
