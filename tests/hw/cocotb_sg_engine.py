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
from cocotb.triggers import ClockCycles, RisingEdge

from tb.env.sg_engine import build_chain, pulse, setup
from tb.sgdma_desc import DESC_BYTES, STATUS_OFFSET, status_fields

PARAMS = json.loads(os.environ.get("SG_PARAMS", "{}"))
BAD_TAG = os.environ.get("FAKE_MOVER_BAD_TAG", "0") == "1"


@cocotb.test()
async def test_packets_released_whole(dut):
    """Commands of a packet leave only after its EOF descriptor was fetched; every descriptor gets its
    STATUS written; one done pulse per descriptor."""
    ram, mover = await setup(dut, bad_tag=BAD_TAG)
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
    attrs = set()

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
                attr = (dut.m_axi_arlock, dut.m_axi_arcache, dut.m_axi_arprot)
                attrs.add(tuple(int(x.value) for x in attr))
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
    # every fetch with the attributes m_axi declares (docs/tb.md): AxLOCK 0, AxCACHE 0011, AxPROT 000
    assert attrs == {(0, 0b0011, 0)}, f"fetch (ARLOCK, ARCACHE, ARPROT): {attrs}"
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
