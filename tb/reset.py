"""Clock and reset in the order that is safe for cocotbext-axi models on Icarus.

The models sample VALID as soon as they are constructed and react only to edges of the reset:
drive reset low, build the models, wait, assert reset, start the clock, wait, release reset.
A model built while a VALID is still X (before the DUT's first clocked reset) samples that X on Icarus.
"""
from __future__ import annotations

from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, RisingEdge, Timer


async def start_clock_and_reset(clk, rst, period_ns: int = 10, cycles: int = 5, active_high: bool = True):
    """Start a C++ (gpi) clock on `clk` and pulse `rst` for `cycles` cycles; returns the Clock."""
    await Timer(1, unit="ns")
    rst.value = 1 if active_high else 0
    # Let the models see the reset edge (and stop sampling) before the first clock edge, at which
    # the DUT's synchronous reset first defines its outputs.
    await Timer(1, unit="ns")
    clock = Clock(clk, period_ns, unit="ns", impl="gpi")
    clock.start()
    await ClockCycles(clk, cycles)
    rst.value = 0 if active_high else 1
    await RisingEdge(clk)
    return clock
