"""Launcher of tests/hw/cocotb_hide_closure.py (sgdma_hide standalone; the build of tests/hw/test_hide.py)."""
from __future__ import annotations

from tb.sim_runner import run
from tests.hw.test_hide import PARAMS, SOURCES


def test_hide_closure(sim):
    """Nested cached hide after uncached/WC, abort + flush of each channel (cocotb_hide_closure.py)."""
    run("sgdma_hide", "cocotb_hide_closure", sim=sim, parameters=PARAMS, sources=SOURCES, seed=1234,
        extra_env={"HIDE_ENTRIES_EXPECT": "8"})
