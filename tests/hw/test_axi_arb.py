"""Launchers of tests/hw/cocotb_axi_arb.py and cocotb_axi_wr_arb.py: the read and write arbiters
(hdl/sgdma_axi_rd_arb.v, sgdma_axi_wr_arb.v) alone, their grant order under contention, the write
arbiter's W order and their R/B routing checked against the rules in their headers. In the system
tests the requesters rarely contend, and a round-robin pointer stuck on one port went unseen
(docs/mutation.md)."""
from __future__ import annotations

from tb.sim_runner import HDL, run

PARAMS = {"DATA_WIDTH": 64, "ADDR_WIDTH": 40, "ID_WIDTH": 4}


def test_rd_arb(sim):
    run("sgdma_axi_rd_arb", "cocotb_axi_arb", sim=sim, parameters=PARAMS, seed=1,
        sources=[HDL / "sgdma_axi_rd_arb.v"])


def test_wr_arb(sim):
    """The write arbiter (hdl/sgdma_axi_wr_arb.v): AW round robin, W in AW-offer order, B routed by BID."""
    run("sgdma_axi_wr_arb", "cocotb_axi_wr_arb", sim=sim, parameters=PARAMS, seed=1,
        sources=[HDL / "sgdma_axi_wr_arb.v", HDL / "sgdma_fifo.v"])
