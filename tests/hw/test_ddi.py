"""DDI-driven sgdma regression (tests/hw/cocotb_ddi.py through tb/sim_runner.run, toplevel tb/hdl/sgdma_tb.v)."""
from __future__ import annotations

import json

from tb.sim_runner import ROOT, hdl_sources, run

TB_SOURCES = hdl_sources() + [p for p in sorted((ROOT / "tb" / "hdl").glob("*.v")) if p.name != "protocol_checkers_tb.v"]

BASE = {"DATA_WIDTH": 64, "ADDR_WIDTH": 40, "LEN_WIDTH": 24, "MAX_BURST_LEN": 64, "MAX_OUTSTANDING": 4,
        "SGL_MAX": 16, "SEG_LOG2": 32, "DATA_FIFO_DEPTH": 256}


def _run(sim: str, params: dict, testcase: str | None = None, seed: int | None = None):
    run("sgdma_tb", "cocotb_ddi", sim=sim, parameters=params, testcase=testcase, seed=seed,
        extra_env={"SGDMA_PARAMS": json.dumps(params)}, sources=TB_SOURCES)


def test_ddi_quick(sim):
    _run(sim, BASE)
