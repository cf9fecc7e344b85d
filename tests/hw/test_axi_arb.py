"""Launcher of tests/hw/cocotb_axi_arb.py: the read arbiter (hdl/sgdma_axi_rd_arb.v) alone, its grant
order under contention and its R routing checked against the rules in its header. In the system
tests the requesters rarely contend, and a round-robin pointer stuck on one port went unseen
(docs/mutation.md)."""
from __future__ import annotations

from tb.sim_runner import HDL, run

PARAMS = {"DATA_WIDTH": 64, "ADDR_WIDTH": 40, "ID_WIDTH": 4}


def test_rd_arb(sim):
    run("sgdma_axi_rd_arb", "cocotb_axi_arb", sim=sim, parameters=PARAMS, seed=1,
        sources=[HDL / "sgdma_axi_rd_arb.v"])
