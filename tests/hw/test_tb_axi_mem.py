"""tb/hdl/harness/tb_axi_mem.v on its own (tests/hw/cocotb_tb_axi_mem.py): the fast DDI path's memory
agent, its bulk load and read-back and each violation it flags, on both simulators."""
from __future__ import annotations

from tb.sim_runner import TB_HDL, run

PARAMS = {"DATA_WIDTH": 64, "ADDR_WIDTH": 40, "SETS_LOG2": 2, "WAYS": 2}


def test_tb_axi_mem(sim):
    run("tb_axi_mem", "cocotb_tb_axi_mem", sim=sim, parameters=PARAMS, seed=1,
        sources=[TB_HDL / "harness" / "tb_axi_mem.v"])
