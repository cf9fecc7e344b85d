"""Benchmark of the hide unit's cost (run by bench/bench_hide.py, not by pytest).

Measures, on sgdma_hide standalone with the Python processor cache on the maintenance port
(answering after 4 + 8 cycles per dirty line written back, tb/cpu_cache.MaintenancePort):
  * hide latency per page: command in -> command released, for clean / dirty / uncached / nested pages;
  * throughput: N one-page MM2S commands back to back, a mover taking 4096/8 cycles per page (one
    64-bit beat per cycle), with hiding (cached, clean or dirty) against the ideal data time.
Results are written as JSON lines to the file in HIDE_BENCH_OUT.
"""
from __future__ import annotations

import json
import os

import cocotb
from cocotb.triggers import RisingEdge

from tb.cpu_cache import pattern
from tb.env.hide import CACHED, MM2S, PAGE, S2MM, UNCACHED
from tb.env.hide import make_hide_env as make_env


def _out(record):
    with open(os.environ["HIDE_BENCH_OUT"], "a") as f:
        f.write(json.dumps(record) + "\n")


async def _latency(env, ch, base, pages, cache, dirty_lines):
    for p in range(pages):
        for ln in range(dirty_lines):
            env.cache.preload(base + p * PAGE + ln * 64, pattern(p, 64), dirty=True)
    t0 = env.cycle
    cmd = env.submit(ch, base, pages * PAGE, cache=cache)
    while cmd.release_cycle is None:
        await RisingEdge(env.dut.clk)
    await env.wait_done([cmd])
    return cmd.release_cycle - t0


@cocotb.test()
async def bench_latency(dut):
    env = await make_env(dut, backpressure=False, mover_delay=(0, 0), cache_size=65536, ways=16)
    cases = [("clean page, MM2S (CLEAN_INVALIDATE)", MM2S, CACHED, 0),
             ("clean page, S2MM (CLEAN_INVALIDATE)", S2MM, CACHED, 0),
             ("16 dirty lines, MM2S", MM2S, CACHED, 16),
             ("64 dirty lines (whole page), MM2S", MM2S, CACHED, 64),
             ("uncached (no maintenance)", MM2S, UNCACHED, 0)]
    base = 0x10000
    for name, ch, cache, dirty in cases:
        for pages in (1, 4):
            cycles = await _latency(env, ch, base, pages, cache, dirty)
            _out({"kind": "latency", "case": name, "pages": pages, "cycles": cycles,
                  "per_page": cycles / pages})
            base += 0x10000
    # nested: the pages are already hidden by a held command
    from cocotb.triggers import Event
    hold = Event()
    first = env.submit(MM2S, base, 4 * PAGE, hold=hold)
    while first.release_cycle is None:
        await RisingEdge(dut.clk)
    t0 = env.cycle
    second = env.submit(MM2S, base, 4 * PAGE)
    while second.release_cycle is None:
        await RisingEdge(dut.clk)
    _out({"kind": "latency", "case": "nested (pages already hidden)", "pages": 4,
          "cycles": second.release_cycle - t0, "per_page": (second.release_cycle - t0) / 4})
    hold.set()
    await env.wait_done()


@cocotb.test()
async def bench_throughput(dut):
    n = 32
    env = await make_env(dut, backpressure=False, bytes_per_cycle=8, cache_size=1 << 18, ways=16)
    base = 0x10000 - 0x30000
    for case, cache, dirty in (("hidden, no maintenance (uncached)", UNCACHED, 0),
                               ("hidden, clean lines", CACHED, 0),
                               ("hidden, 16 dirty lines per page", CACHED, 16),
                               ("hidden, whole page dirty", CACHED, 64)):
        base += 0x30000
        for i in range(n):
            for ln in range(dirty):
                env.cache.preload(base + i * PAGE + ln * 64, pattern(i, 64), dirty=True)
        t0 = env.cycle
        cmds = [env.submit(MM2S, base + i * PAGE, PAGE, cache=cache) for i in range(n)]
        await env.wait_done(cmds)
        total = cmds[-1].done_cycle - t0
        ideal = n * PAGE // 8
        _out({"kind": "throughput", "case": case, "commands": n, "cycles": total, "ideal": ideal,
              "efficiency": ideal / total})
