"""The benchmark environment of tb/hdl/bench/bench_sgdma_top.v: sgdma with HDL memory and stream models.

Python only writes descriptors through the RAM backdoor (`poke`, `write_chain`), programs the
registers over AXI4-Lite, waits in long ClockCycles steps (`wait_counts`) and reads the models'
cycle counters (`snapshot`); `check_status` checks every descriptor's written-back STATUS.
Used by tests/hw/cocotb_sgdma_bench.py (tests/hw/test_sgdma_perf.py, bench/bench_sgdma.py).
"""
from __future__ import annotations

import json
import os

from cocotb.triggers import ClockCycles, RisingEdge, Timer
from cocotbext.axi import AxiLiteBus, AxiLiteMaster

from tb.env.base import tie_idle
from tb.reset import start_clock_and_reset
from tb.sgdma_desc import DESC_BYTES, STATUS_OFFSET, Descriptor, status_fields
from tb.sgdma_regs import SgdmaRegs, pack
from tb.sim_runner import sgdma_defaults

DESC_BASE = {"MM2S": 0x0020_0000, "S2MM": 0x0021_0000}
COUNTERS = ("cycle", "mm2s_tail_cycle", "s2mm_tail_cycle", "sink_errors", "dst_check_beats",
            "dst_check_errors")
WINDOWS = ("mm2s_r", "mm2s_s", "s2mm_w", "s2mm_s")


class BenchEnv:
    """bench_sgdma_top: registers over AXI4-Lite, descriptors through the RAM backdoor (bd_*), the HDL
    models' counters (module docstring)."""

    def __init__(self, dut, params: dict | None = None):
        self.dut = dut
        self.params = json.loads(os.environ.get("SGDMA_PARAMS", "{}")) if params is None else params
        self.regs = SgdmaRegs(AxiLiteMaster(AxiLiteBus.from_prefix(dut, "s_axil"), dut.clk, dut.rst))
        self.clock = None

    async def reset(self):
        d = self.dut
        tie_idle(d, ("stream_enable", "bd_we", "bd_addr", "bd_wdata", "mm2s_pkt_beats", "s2mm_pkt_beats",
                     "s2mm_total_beats"))
        # the RAMs' latency is a run-time input, constant from reset (tb/sim_runner.bench_parameters)
        d.mem_latency.value = int(self.params.get("LATENCY", 0))
        if self.clock is None:
            self.clock = await start_clock_and_reset(d.clk, d.rst)
        else:
            d.rst.value = 1
            await ClockCycles(d.clk, 5)
            d.rst.value = 0
            await RisingEdge(d.clk)

    async def poke(self, addr: int, value: int):
        d = self.dut
        d.bd_we.value = 1
        d.bd_addr.value = addr
        d.bd_wdata.value = value
        await RisingEdge(d.clk)
        d.bd_we.value = 0

    async def peek(self, addr: int, sg: bool) -> int:
        self.dut.bd_addr.value = addr
        await Timer(1, unit="ns")
        return int((self.dut.bd_rdata_sg if sg else self.dut.bd_rdata_main).value)

    async def write_chain(self, ch: str, bufs: list[tuple[int, int]], pkt_desc: int) -> list[int]:
        """Descriptors for (addr, length) buffers at DESC_BASE[ch], linked in order: the non-zero words
        and STATUS (cleared: an earlier scenario may have written it back)."""
        base = DESC_BASE[ch]
        addrs = [base + i * DESC_BYTES for i in range(len(bufs))]
        for i, (a, (buf, n)) in enumerate(zip(addrs, bufs, strict=True)):
            d = Descriptor(next=a + DESC_BYTES, addr=buf, length=n, sof=i % pkt_desc == 0,
                           eof=i % pkt_desc == pkt_desc - 1 or i == len(bufs) - 1)
            raw = d.encode()
            for off in range(0, DESC_BYTES, 4):
                word = int.from_bytes(raw[off:off + 4], "little")
                if word or off == STATUS_OFFSET:
                    await self.poke(a + off, word)
        return addrs

    async def check_status(self, ch: str, addrs: list[int], bufs, pkt_desc: int):
        sg = bool(self.params.get("SG_PORT", sgdma_defaults()["SG_PORT"]))
        for i, (a, (_, n)) in enumerate(zip(addrs, bufs, strict=True)):
            st = status_fields(await self.peek(a + STATUS_OFFSET, sg))
            want = {"CMPLT": 1, "ERR": 0, "ERRCODE": 0, "XFERRED": n}
            if ch == "S2MM":
                want["RXSOF"] = int(i % pkt_desc == 0)
                want["RXEOF"] = int(i % pkt_desc == pkt_desc - 1 or i == len(addrs) - 1)
            got = {k: st[k] for k in want}
            assert got == want, f"{ch} descriptor {i} at {a:#x}: STATUS {got}, expected {want}"

    async def start(self, ch: str, first: int, tail: int):
        await self.regs.write64(ch, "CURDESC", first)
        await self.regs.write(ch, "CR", pack("CR", RS=1))
        await self.regs.write(ch, "TAILDESC_HI", tail >> 32)

    async def wait_counts(self, want: dict[str, int], timeout: int):
        d = self.dut
        start = int(d.cycle.value)
        step = 256 if timeout < 20000 else 4096
        while any(int(getattr(d, k).value) < v for k, v in want.items()):
            assert int(d.cycle.value) - start < timeout, \
                f"timeout: {[(k, int(getattr(d, k).value), v) for k, v in want.items()]}"
            await ClockCycles(d.clk, step)
        for ch in ("MM2S", "S2MM"):
            if (ch == "MM2S" and "mm2s_s_beats" in want) or (ch == "S2MM" and "s2mm_w_beats" in want):
                for _ in range(100):
                    if (await self.regs.read_fields(ch, "SR"))["IDLE"]:
                        break
                    await ClockCycles(d.clk, 16)
                else:
                    raise AssertionError(f"{ch} not idle after its data")

    def snapshot(self) -> dict[str, int]:
        d = self.dut
        out = {k: int(getattr(d, k).value) for k in COUNTERS}
        for w in WINDOWS:
            for f in ("beats", "first", "last", "other", "idle"):
                out[f"{w}_{f}"] = int(getattr(d, f"{w}_{f}").value)
        return out
