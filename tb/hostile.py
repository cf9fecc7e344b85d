"""Hostile interconnect modes for the shims in tb/hdl/harness/sgdma_tb.v (tb/hdl/harness/axi_hostile.v).

    mode = HostileMode.parse("aw_wait_w")     # or a name from MODES, or "none"
    apply(dut, mode, seed=7)                  # before reset is released (tb/env/base.BaseEnv do it)
    counters(dut)                             # what the m_axi shim did (negative controls)

A mode is a set of behaviour bits of axi_hostile (its header says what each one does). The shims sit
between sgdma's AXI masters and the memory models, so every mode costs no Python wake-up; the
protocol checkers watch the DUT side. The seed feeds the shims' random choices (stalls, which ID
answers next), so a mode and a seed replay one run exactly.
"""
from __future__ import annotations

import os

AW_WAIT_W = 1 << 0      # AWREADY only once WVALID of the burst has been seen
W_WAIT_AW = 1 << 1      # WREADY only once AWVALID of the burst has been seen
R_REORDER = 1 << 2      # R bursts out of order across IDs
R_INTERLEAVE = 1 << 3   # R beats interleaved across IDs
B_REORDER = 1 << 4      # B out of order across IDs
STALL = 1 << 5          # random stalls of 0..64 cycles on every channel
LATENCY = 1 << 6        # every R beat and B waits 128 cycles in the shim
B_NEXT = 1 << 7         # the shim answers each write OKAY the cycle after it completes

MODES = {
    "none": 0,
    "aw_wait_w": AW_WAIT_W,
    "w_wait_aw": W_WAIT_AW,
    "reorder": R_REORDER | B_REORDER,
    "interleave": R_INTERLEAVE | B_REORDER,
    "stall": STALL,
    "latency": LATENCY,
    "b_next": B_NEXT | R_INTERLEAVE,
    "all": AW_WAIT_W | W_WAIT_AW | R_INTERLEAVE | B_REORDER | STALL | LATENCY,
}
SLOWDOWN = 10           # bounded waits of the environments are this much longer under a hostile mode
# every mode that does something, for the suites that inject write faults too (tests/hw/test_hostile.py,
# make regress); b_next answers OKAY before the memory has, so it runs only where no write fails
# (tests/hw/cocotb_axi_hold.py::test_sgdma_meets_each_mode, tests/hw/cocotb_axi_hostile.py)
HOSTILE = tuple(name for name in MODES if name not in ("none", "b_next"))
COUNTERS = ("cnt_aw_early", "cnt_w_early", "cnt_aw_held", "cnt_w_held", "cnt_r_reorder",
            "cnt_r_interleave", "cnt_b_reorder", "cnt_stall", "r_min_delay", "cnt_b_next")
SHIMS = ("hostile_axi", "hostile_axi_sg", "hostile_axi_cpu")


def mode_bits(name: str) -> int:
    """The axi_hostile mode word of a mode name (ValueError naming the known ones)."""
    try:
        return MODES[name]
    except KeyError:
        raise ValueError(f"unknown hostile mode {name!r}; known: {', '.join(MODES)}") from None


def selected(name: str | None = None) -> str:
    """`name`, else SGDMA_HOSTILE from the environment (set by a pytest launcher), else "none"."""
    return name or os.environ.get("SGDMA_HOSTILE") or "none"


def apply(dut, name: str, seed: int = 1) -> int:
    """Set the wrapper's mode and seed (before reset is released); returns the mode word."""
    bits = mode_bits(name)
    if bits and not hasattr(dut, "hostile_mode"):
        raise ValueError(f"hostile mode {name!r}: toplevel {dut._name} has no hostile_mode (not sgdma_tb)")
    if hasattr(dut, "hostile_mode"):
        dut.hostile_mode.value = bits
        dut.hostile_seed.value = (seed & 0xFFFF_FFFF) or 1
    dut._log.info("hostile interconnect: %s (mode %#x, seed %d)", name, bits, seed)
    return bits


def counters(dut, shim: str = "hostile_axi") -> dict[str, int]:
    """The shim's counters (tb/hdl/harness/axi_hostile.v header): what the mode really did."""
    inst = getattr(dut, shim)
    return {name: int(getattr(inst, name).value) for name in COUNTERS}
