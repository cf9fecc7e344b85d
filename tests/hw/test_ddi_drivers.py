"""More of what real drivers do: tests/hw/cocotb_ddi_drivers.py with 48 address bits (cookies above 2**40)
and small limits, both simulators: on the default (fast) transport, tb/hdl/harness/sgdma_fast_tb.v, in the
quick suite, and on the per-beat reference transport (sgdma_tb, cocotbext-axi agents) in make regress."""
from __future__ import annotations

import json

import pytest

from tb.sim_runner import run, sgdma_fast_tb_sources, sgdma_tb_sources

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


@pytest.mark.parametrize("transport", [
    "fast",
    # reason: the same scenarios and checks on the reference transport (about 50 CPU-s on the two
    # simulators): make regress
    pytest.param("per_beat", marks=pytest.mark.slow),
])
def test_ddi_drivers(sim, transport):
    """Address bits above 40 on traffic; a ring smaller than a request, recycled; the tail moved while
    busy; several bufs on one lock."""
    fast = transport == "fast"
    run("sgdma_fast_tb" if fast else "sgdma_tb", "cocotb_ddi_drivers", sim=sim, parameters=HIGH, seed=1,
        sources=sgdma_fast_tb_sources() if fast else sgdma_tb_sources(),
        extra_env={"SGDMA_PARAMS": json.dumps(HIGH)})
