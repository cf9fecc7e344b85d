"""Unit tests of sgdma_sg (one channel's descriptor engine) with a Python fake data mover.

The engine's AXI port drives a cocotbext-axi AxiRam (descriptors and STATUS words); its control
inputs are driven directly; the fake mover takes commands and answers one status per command in order
(optionally with a wrong tag, to show that the engine's SGDMA_ASSERTIONS invariants stop the run).
Parameters come from SG_PARAMS (JSON); FAKE_MOVER_BAD_TAG=1 selects the negative control.
"""
from __future__ import annotations

import json
import os

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge, Timer
from cocotbext.axi import AxiBus, AxiRam

from tb.reset import start_clock_and_reset
from tb.sgdma_desc import DESC_BYTES, STATUS_OFFSET, Descriptor, status_fields

PARAMS = json.loads(os.environ.get("SG_PARAMS", "{}"))
BAD_TAG = os.environ.get("FAKE_MOVER_BAD_TAG", "0") == "1"


class FakeMover:
    """Accepts every command; `latency` cycles later returns its status (len, no error)."""

    def __init__(self, dut, latency: int = 20):
        self.dut = dut
        self.latency = latency
        self.cmds: list[tuple[int, int, int, int, int]] = []   # (cycle, tag, addr, len, flags)
        self.cycle = 0
        dut.m_cmd_ready.value = 0
        dut.s_sts_valid.value = 0
        dut.s_sts_tag.value = 0
        dut.s_sts_len.value = 0
        dut.s_sts_error.value = 0
        dut.s_sts_sof.value = 0
        dut.s_sts_eof.value = 0
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
                d.s_sts_tag.value = (tag + 1) % (1 << len(d.s_sts_tag)) if BAD_TAG else tag
                d.s_sts_len.value = length
            else:
                d.s_sts_valid.value = 0
            d.mover_idle.value = int(not pending)


async def setup(dut):
    dut.rst.value = 0
    for name in ("ctl_run", "ctl_reset_req", "ctl_curdesc_wr", "ctl_tail_wr"):
        getattr(dut, name).value = 0
    dut.ctl_curdesc.value = 0
    dut.ctl_tail.value = 0
    ram = AxiRam(AxiBus.from_prefix(dut, "m_axi"), dut.clk, dut.rst, size=2 ** 32)
    mover = FakeMover(dut)
    await Timer(1, unit="ns")
    dut.rst.value = 1
    await Timer(1, unit="ns")
    await start_clock_and_reset(dut.clk, dut.rst)
    return ram, mover


async def pulse(dut, name: str, value_name: str, value: int):
    getattr(dut, value_name).value = value
    getattr(dut, name).value = 1
    await RisingEdge(dut.clk)
    getattr(dut, name).value = 0


def build_chain(ram, base: int, packets: list[list[int]]) -> list[int]:
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


@cocotb.test()
async def test_packets_released_whole(dut):
    """Commands of a packet leave only after its EOF descriptor was fetched; every descriptor gets its
    STATUS written; one done pulse per descriptor."""
    ram, mover = await setup(dut)
    packets = [[100, 200, 300], [40], [8, 16, 24, 32]]
    addrs = build_chain(ram, 0x1000, packets)
    done = 0

    async def count_done():
        nonlocal done
        while True:
            await RisingEdge(dut.clk)
            if dut.done_valid.value == 1:
                done += 1
    cocotb.start_soon(count_done())
    fetch_done: dict[int, int] = {}

    async def watch_fetch():
        # fetch bursts in flight (address, beats), answered in order; a descriptor is fetched with the
        # last of its DESC_BYTES / bus-bytes beats
        bursts: list[list[int]] = []
        per_desc = DESC_BYTES // (len(dut.m_axi_rdata) // 8)
        beat = 0
        while True:
            await RisingEdge(dut.clk)
            if dut.m_axi_arvalid.value == 1 and dut.m_axi_arready.value == 1:
                bursts.append([int(dut.m_axi_araddr.value), int(dut.m_axi_arlen.value) + 1])
            if dut.m_axi_rvalid.value == 1 and dut.m_axi_rready.value == 1:
                addr, beats = bursts[0]
                if beat % per_desc == per_desc - 1:
                    fetch_done[addr + (beat // per_desc) * DESC_BYTES] = mover.cycle
                beat += 1
                if beat == beats:
                    bursts.pop(0)
                    beat = 0
    cocotb.start_soon(watch_fetch())

    await pulse(dut, "ctl_curdesc_wr", "ctl_curdesc", addrs[0])
    dut.ctl_run.value = 1
    await ClockCycles(dut.clk, 2)
    await pulse(dut, "ctl_tail_wr", "ctl_tail", addrs[-1])
    for _ in range(2000):
        await RisingEdge(dut.clk)
        if dut.idle.value == 1 and done == len(addrs):
            break
    assert done == len(addrs), f"{done} completions of {len(addrs)}"
    flat = [n for p in packets for n in p]
    assert [c[3] for c in mover.cmds] == flat, mover.cmds
    # each command leaves after the EOF descriptor of its packet was fetched
    i = 0
    for p in packets:
        eof_fetch = fetch_done[addrs[i + len(p) - 1]]
        for k in range(len(p)):
            assert mover.cmds[i + k][0] > eof_fetch, f"command {i + k} before its packet was fetched"
        i += len(p)
    for a, n in zip(addrs, flat, strict=True):
        st = status_fields(int.from_bytes(ram.read(a + STATUS_OFFSET, 4), "little"))
        assert (st["CMPLT"], st["ERR"], st["XFERRED"]) == (1, 0, n), st
