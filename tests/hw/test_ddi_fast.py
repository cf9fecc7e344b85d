"""The DDI scenarios on the fast transport: tests/hw/cocotb_ddi.py, unchanged, on the toplevel
tb/hdl/harness/sgdma_fast_tb.v (HDL memory, stream agents and beat trace; tb/env/ddi_fast.py), so every
scenario and every negative control of the per-beat path runs on the fast path too, on both simulators.
test_watchdog_names_the_hang stops a cocotbext-axi channel and so stays on the per-beat path. `make
regress` runs test_ddi_regress on this transport by default (DDI_TRANSPORT=per_beat for the other).
"""

from __future__ import annotations

from tests.hw.test_ddi import MAIN, QUICK_MAIN, QUICK_SMALL, SMALL
from tests.hw.test_ddi import _run as run_ddi


def _run(sim: str, params: dict, testcase: str, seed: int = 1):
    run_ddi(sim, params, testcase=testcase, seed=seed, transport="fast")


def test_ddi_fast_main(sim):
    """The quick set of the main configuration (scenarios and negative controls) on the HDL agents."""
    _run(sim, MAIN, QUICK_MAIN)


def test_ddi_fast_small_limits(sim):
    """Limits, refusals and copy buffers on the HDL agents (the small configuration)."""
    _run(sim, SMALL, QUICK_SMALL)
