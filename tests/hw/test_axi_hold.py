"""sgdma against a legal but unfriendly interconnect, the halt and the reset: tests/hw/cocotb_axi_hold.py
on Icarus and Verilator (test names and what each proves: that module's docstring).

The sgdma configuration is the quick one of tests/hw/test_sgdma.py (same build directory); the CPU gate
test uses the hide configuration of tests/hw/test_hide_top.py (same build directory).
"""
from __future__ import annotations

import json

from tb.sim_runner import run, sgdma_tb_sources
from tests.hw.test_hide_top import DEFINES as HIDE_DEFINES
from tests.hw.test_hide_top import PARAMS as HIDE_PARAMS
from tests.hw.test_sgdma import PARAMS

SOURCES = sgdma_tb_sources()


def _run(sim: str, testcase: str, params: dict = PARAMS, defines: dict | None = None):
    run("sgdma_tb", "cocotb_axi_hold", sim=sim, parameters=params, defines=defines, testcase=testcase,
        sources=SOURCES, extra_env={"SGDMA_PARAMS": json.dumps(params)})


def test_axi_hold(sim):
    """VALIDs 0 (not X) in reset before the first edge (first: it needs the simulation's time 0), S2MM
    data and both write-backs against a slave holding AWREADY until WVALID, CR.RESET and RS=0 at every
    cycle across queued statuses and their write-backs; sgdma's own traffic meets reorder, interleave,
    stall and latency (shim counters)."""
    _run(sim, "test_valid_low_in_reset,test_w_before_awready,test_halt_sweep_reset,test_halt_sweep_stop,"
              "test_sgdma_meets_each_mode")


def test_cpu_gate_w_before_awready(sim):
    """With the hide unit: every VALID it drives out of sgdma (CPU gate, maintenance port, hide_mod_valid)
    is 0, not X, in reset from before the first edge; the CPU gate against the same slave on m_axi_cpu."""
    _run(sim, "test_valid_low_in_reset,test_cpu_gate_w_before_awready", HIDE_PARAMS, HIDE_DEFINES)
