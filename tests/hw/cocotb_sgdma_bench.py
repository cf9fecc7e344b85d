"""cocotb driver of tb/hdl/bench/bench_sgdma_top.v: sgdma with HDL memory and stream models (no Python per
cycle).

The environment is tb/env/bench.BenchEnv (descriptors through the RAM backdoor, registers over
AXI4-Lite, waits in long ClockCycles steps, the cycle counters read at the end). Scenarios come as JSON in
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

from tb.env.bench import WINDOWS, BenchEnv

PARAMS = json.loads(os.environ.get("SGDMA_PARAMS", "{}"))
DW = PARAMS.get("DATA_WIDTH", 64)
BYTES = DW // 8
SRC_BASE, DST_BASE = 0x0000_0000, 0x0010_0000


async def run_duplex(b: BenchEnv, sc: dict) -> dict:
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


async def run_first_beat(b: BenchEnv, sc: dict) -> dict:
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
    b = BenchEnv(dut)
    for sc in scenarios:
        await b.reset()
        r = await (run_duplex(b, sc) if sc["kind"] == "duplex" else run_first_beat(b, sc))
        dut._log.info("%s: %s", sc, r)
        with open(out_path, "a") as f:
            f.write(json.dumps({"scenario": sc, "params": PARAMS, "counters": r}) + "\n")
