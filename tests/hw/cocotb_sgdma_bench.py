"""cocotb driver of tb/hdl/bench_sgdma_top.v: sgdma with HDL memory and stream models (no Python per cycle).

Python only writes descriptors through the RAM backdoor, programs the registers over AXI4-Lite, waits
(in long ClockCycles steps) and reads the cycle counters at the end. Scenarios come as JSON in
SGDMA_BENCH (a list; each one runs after a reset), results go as JSON lines to SGDMA_BENCH_OUT.

Scenario kinds:
  duplex: both channels at once, `n_desc` descriptors of `desc_bytes` each way, `pkt_desc` descriptors
          per packet (SOF..EOF); MM2S reads the pattern region, S2MM writes the checked region.
  first_beat: one descriptor of `desc_bytes` on one channel (`channel`), nothing else running.
Every scenario checks its data (sink pattern, destination pattern on every W beat), beat counts and
every descriptor's written-back STATUS before reporting; a failed check fails the test.
"""
from __future__ import annotations

import json
import os

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge, Timer
from cocotbext.axi import AxiLiteBus, AxiLiteMaster

from tb.reset import start_clock_and_reset
from tb.sgdma_desc import DESC_BYTES, STATUS_OFFSET, Descriptor, status_fields
from tb.sgdma_regs import SgdmaRegs, pack
from tb.sim_runner import sgdma_defaults

PARAMS = json.loads(os.environ.get("SGDMA_PARAMS", "{}"))
DW = PARAMS.get("DATA_WIDTH", 64)
BYTES = DW // 8
SRC_BASE, DST_BASE = 0x0000_0000, 0x0010_0000
DESC_BASE = {"MM2S": 0x0020_0000, "S2MM": 0x0021_0000}
COUNTERS = ("cycle", "mm2s_tail_cycle", "s2mm_tail_cycle", "sink_errors", "dst_check_beats",
            "dst_check_errors")
WINDOWS = ("mm2s_r", "mm2s_s", "s2mm_w", "s2mm_s")


class Bench:
    def __init__(self, dut):
        self.dut = dut
        self.regs = SgdmaRegs(AxiLiteMaster(AxiLiteBus.from_prefix(dut, "s_axil"), dut.clk, dut.rst))
        self.clock = None

    async def reset(self):
        d = self.dut
        d.stream_enable.value = 0
        d.bd_we.value = 0
        d.bd_addr.value = 0
        d.bd_wdata.value = 0
        d.mm2s_pkt_beats.value = 0
        d.s2mm_pkt_beats.value = 0
        d.s2mm_total_beats.value = 0
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
        sg = bool(PARAMS.get("SG_PORT", sgdma_defaults()["SG_PORT"]))
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


async def run_duplex(b: Bench, sc: dict) -> dict:
    n, size, pkt = sc["n_desc"], sc["desc_bytes"], sc["pkt_desc"]
    total_beats = n * size // BYTES
    src = [(SRC_BASE + i * size, size) for i in range(n)]
    dst = [(DST_BASE + i * size, size) for i in range(n)]
    ma = await b.write_chain("MM2S", src, pkt)
    sa = await b.write_chain("S2MM", dst, pkt)
    d = b.dut
    d.mm2s_pkt_beats.value = pkt * size // BYTES
    d.s2mm_pkt_beats.value = pkt * size // BYTES
    d.s2mm_total_beats.value = total_beats
    d.stream_enable.value = 1
    await b.start("S2MM", sa[0], sa[-1])
    await b.start("MM2S", ma[0], ma[-1])
    await b.regs.write("S2MM", "TAILDESC_LO", sa[-1] & 0xFFFFFFFF)
    await b.regs.write("MM2S", "TAILDESC_LO", ma[-1] & 0xFFFFFFFF)
    await b.wait_counts({"mm2s_s_beats": total_beats, "s2mm_w_beats": total_beats}, 40 * total_beats + 20000)
    r = b.snapshot()
    assert r["sink_errors"] == 0, f"MM2S stream: {r['sink_errors']} beats differ from the pattern"
    assert r["dst_check_errors"] == 0, f"S2MM: {r['dst_check_errors']} W beats differ from the pattern"
    for w in WINDOWS:
        assert r[f"{w}_beats"] == total_beats, f"{w}: {r[f'{w}_beats']} beats, expected {total_beats}"
    await b.check_status("MM2S", ma, src, pkt)
    await b.check_status("S2MM", sa, dst, pkt)
    return r


async def run_first_beat(b: Bench, sc: dict) -> dict:
    ch, size = sc["channel"], sc["desc_bytes"]
    beats = size // BYTES
    bufs = [(SRC_BASE if ch == "MM2S" else DST_BASE, size)]
    (a,) = await b.write_chain(ch, bufs, 1)
    d = b.dut
    d.mm2s_pkt_beats.value = beats
    d.s2mm_pkt_beats.value = beats
    d.s2mm_total_beats.value = beats if ch == "S2MM" else 0
    d.stream_enable.value = 1
    await b.start(ch, a, a)
    await b.regs.write(ch, "TAILDESC_LO", a & 0xFFFFFFFF)
    key = "mm2s_s_beats" if ch == "MM2S" else "s2mm_w_beats"
    await b.wait_counts({key: beats}, 20 * beats + 2000)
    r = b.snapshot()
    assert r["sink_errors"] == 0 and r["dst_check_errors"] == 0, r
    await b.check_status(ch, [a], bufs, 1)
    return r


@cocotb.test()
async def bench_scenarios(dut):
    """Runs every scenario of SGDMA_BENCH and appends its counters to SGDMA_BENCH_OUT."""
    scenarios = json.loads(os.environ["SGDMA_BENCH"])
    out_path = os.environ["SGDMA_BENCH_OUT"]
    b = Bench(dut)
    for sc in scenarios:
        await b.reset()
        r = await (run_duplex(b, sc) if sc["kind"] == "duplex" else run_first_beat(b, sc))
        dut._log.info("%s: %s", sc, r)
        with open(out_path, "a") as f:
            f.write(json.dumps({"scenario": sc, "params": PARAMS, "counters": r}) + "\n")
