"""The hostile-interconnect shim alone (tb/hdl/harness/axi_hostile.v as toplevel): each mode does what it
claims and mode none does none of it (tests/hw/cocotb_axi_hostile.py), on Icarus and Verilator."""
from __future__ import annotations

from tb.sim_runner import harness, run

PARAMS = {"DATA_WIDTH": 32, "ADDR_WIDTH": 32, "ID_WIDTH": 2, "ID_COUNT": 4, "R_DEPTH": 64, "B_DEPTH": 16,
          "LATENCY": 128, "STALL_MAX": 64}


def test_axi_hostile_modes(sim):
    run("axi_hostile", "cocotb_axi_hostile", sim=sim, parameters=PARAMS,
        sources=[harness("axi_hostile")])
