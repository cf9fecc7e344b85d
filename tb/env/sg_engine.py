"""The sg engine's block-level environment: sgdma_sg (one channel's descriptor engine) with a fake mover.

The engine's AXI port drives a cocotbext-axi AxiRam (descriptors and STATUS words); its control
inputs are driven directly (`pulse`); FakeMover takes commands and answers one status per command in
order (optionally with a wrong tag, the negative control of the engine's SGDMA_ASSERTIONS).
Used by tests/hw/cocotb_sg_engine.py.
"""
from __future__ import annotations

import cocotb
from cocotb.triggers import RisingEdge, Timer
from cocotbext.axi import AxiBus, AxiRam

from tb.env.base import tie_idle
from tb.reset import start_clock_and_reset
from tb.sgdma_desc import DESC_BYTES, Descriptor


class FakeMover:
    """Accepts every command; `latency` cycles later returns its status (len, no error)."""

    def __init__(self, dut, latency: int = 20, bad_tag: bool = False):
        self.dut = dut
        self.bad_tag = bad_tag
        self.latency = latency
        self.cmds: list[tuple[int, int, int, int, int]] = []   # (cycle, tag, addr, len, flags)
        self.cycle = 0
        tie_idle(dut, ("m_cmd_ready", "s_sts_valid", "s_sts_tag", "s_sts_len", "s_sts_error", "s_sts_sof",
                       "s_sts_eof"))
        dut.mover_idle.value = 1
        cocotb.start_soon(self._run())

    async def _run(self):
        d = self.dut
        pending: list[tuple[int, int, int]] = []     # (due cycle, tag, len)
        while True:
            await RisingEdge(d.clk)
            self.cycle += 1
            if d.rst.value == 1:
                continue
            if d.m_cmd_valid.value == 1 and d.m_cmd_ready.value == 1:
                tag, length = int(d.m_cmd_tag.value), int(d.m_cmd_len.value)
                self.cmds.append((self.cycle, tag, int(d.m_cmd_addr.value), length,
                                  int(d.m_cmd_sof.value) | int(d.m_cmd_eof.value) << 1))
                pending.append((self.cycle + self.latency, tag, length))
            if d.s_sts_valid.value == 1 and d.s_sts_ready.value == 1:
                pending.pop(0)
            d.m_cmd_ready.value = 1
            if pending and pending[0][0] <= self.cycle:
                _, tag, length = pending[0]
                d.s_sts_valid.value = 1
                d.s_sts_tag.value = (tag + 1) % (1 << len(d.s_sts_tag)) if self.bad_tag else tag
                d.s_sts_len.value = length
            else:
                d.s_sts_valid.value = 0
            d.mover_idle.value = int(not pending)


async def setup(dut, bad_tag: bool = False):
    """The engine's control inputs idle, an AxiRam on its AXI port, the fake mover; clock and reset."""
    dut.rst.value = 0
    for name in ("ctl_run", "ctl_reset_req", "ctl_curdesc_wr", "ctl_tail_wr"):
        getattr(dut, name).value = 0
    dut.ctl_curdesc.value = 0
    dut.ctl_tail.value = 0
    ram = AxiRam(AxiBus.from_prefix(dut, "m_axi"), dut.clk, dut.rst, size=2 ** 32)
    mover = FakeMover(dut, bad_tag=bad_tag)
    await Timer(1, unit="ns")
    dut.rst.value = 1
    await Timer(1, unit="ns")
    await start_clock_and_reset(dut.clk, dut.rst)
    return ram, mover


async def pulse(dut, name: str, value_name: str, value: int):
    """One-cycle strobe `name` with `value_name` = value (a control register write)."""
    getattr(dut, value_name).value = value
    getattr(dut, name).value = 1
    await RisingEdge(dut.clk)
    getattr(dut, name).value = 0


def build_chain(ram, base: int, packets: list[list[int]]) -> list[int]:
    """Descriptors for packets of buffer lengths, linked at consecutive slots from `base`."""
    addrs, descs = [], []
    buf = 0x10_0000
    for lengths in packets:
        for i, n in enumerate(lengths):
            descs.append(Descriptor(addr=buf, length=n, sof=i == 0, eof=i == len(lengths) - 1))
            buf += 0x1000
    for i, d in enumerate(descs):
        addrs.append(base + i * DESC_BYTES)
        d.next = base + (i + 1) * DESC_BYTES
        ram.write(addrs[-1], d.encode())
    return addrs
