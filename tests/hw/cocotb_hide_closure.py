"""sgdma_hide standalone tests written to kill mutants the hide suite let through (docs/mutation.md).

Built on the environment of tests/hw/cocotb_hide.py (HideEnv: engine-side command driver, mover
model with random ready on the command and status hand-shakes, CPU cache, maintenance responder,
HideShadow over the trace port):
  - test_nested_cached_hide_sends_clean_invalidate: a page first hidden UNCACHED or WRCOMB is not
    invalidated; a nested CACHED hide of it must send CLEAN_INVALIDATE (hdl/sgdma_hide.v header),
    so the CPU's dirty lines reach the stream;
  - test_nested_uncached_hide_sends_nothing: a nested UNCACHED hide of a page hidden CACHED sends no
    maintenance and counts the page twice;
  - test_both_channels_unhide_together: both channels' unhides at once (the table's round robin);
  - test_s2mm_flush_unhides_in_flight / test_mm2s_flush_unhides_in_flight: ch_abort holds the
    channel's commands back from the mover, ch_flush unhides the pages of the commands still in
    flight without passing a status (an S2MM page counts as written, an MM2S page does not),
    ch_quiet follows, and the other channel runs on.
"""
from __future__ import annotations

import cocotb
from cocotb.triggers import ClockCycles, Event, RisingEdge

from tb.cpu_cache import mismatches, pages_of, pattern
from tb.env.hide import CACHED, MM2S, PAGE, S2MM, UNCACHED, WRCOMB
from tests.hw.cocotb_hide import make_env


async def _released(dut, *cmds):
    while any(c.release_cycle is None for c in cmds):
        await RisingEdge(dut.clk)


@cocotb.test()
async def test_nested_cached_hide_sends_clean_invalidate(dut):
    """First hide UNCACHED (no maintenance) or WRCOMB (WC_FLUSH), nested CACHED hide of the same page:
    CLEAN_INVALIDATE, and the MM2S stream carries the CPU's dirty data."""
    env = await make_env(dut)
    for first, base, first_ops in ((UNCACHED, 0x11000, []), (WRCOMB, 0x13000, ["WC_FLUSH"])):
        seen = len(env.maint.log)
        env.ram.write(base, pattern(60 + first, PAGE))
        new = pattern(70 + first, 0x100)
        await env.cache.write(base + 0x800, new)              # dirty cached lines in the same page
        assert env.cache.dirty_lines(base), "set-up: CPU data must be dirty in the cache"
        hold = Event()
        outer = env.submit(MM2S, base, 0x100, cache=first, hold=hold)
        await _released(dut, outer)
        assert [o[0] for o in env.maint.log[seen:]] == first_ops, env.maint.log
        inner = env.submit(MM2S, base + 0x800, 0x100, cache=CACHED)
        await _released(dut, inner)
        assert [(o[0], o[1]) for o in env.maint.log[seen:]] == [(op, base) for op in first_ops] + \
            [("CLEAN_INVALIDATE", base)], f"nested cached hide after {first}: {env.maint.log}"
        assert [t[3] for t in env.trace if t[2] == base and t[1] == "hide"][-2:] == [1, 2]
        hold.set()
        await env.wait_done([outer, inner])
        assert mismatches(new, inner.moved) == 0, "the stream must carry the CPU's dirty data"
    await env.settle()
    env.check_final()


@cocotb.test()
async def test_nested_uncached_hide_sends_nothing(dut):
    """First hide CACHED (CLEAN_INVALIDATE), nested UNCACHED hide of the same page: no maintenance
    (hdl/sgdma_hide.v header: none for CONTROL.CACHE = uncached; the page is still hidden and
    counted), hide count 2, and both commands move the CPU's data (cleaned to memory by the first)."""
    env = await make_env(dut)
    base = 0x15000
    seen = len(env.maint.log)
    env.ram.write(base, pattern(80, PAGE))
    new = pattern(81, 0x100)
    await env.cache.write(base + 0x400, new)
    hold = Event()
    outer = env.submit(MM2S, base + 0x400, 0x100, cache=CACHED, hold=hold)
    await _released(dut, outer)
    assert [(o[0], o[1]) for o in env.maint.log[seen:]] == [("CLEAN_INVALIDATE", base)], env.maint.log
    inner = env.submit(MM2S, base + 0x400, 0x100, cache=UNCACHED)
    await _released(dut, inner)
    assert [(o[0], o[1]) for o in env.maint.log[seen:]] == [("CLEAN_INVALIDATE", base)], \
        f"nested uncached hide sent maintenance: {env.maint.log[seen:]}"
    assert [t[3] for t in env.trace if t[2] == base and t[1] == "hide"][-2:] == [1, 2]
    hold.set()
    await env.wait_done([outer, inner])
    assert mismatches(new, outer.moved) == 0 and mismatches(new, inner.moved) == 0, \
        "both commands must carry the CPU's data"
    await env.settle()
    env.check_final()


@cocotb.test()
async def test_both_channels_unhide_together(dut):
    """An MM2S and an S2MM command of four pages each, held by one event so that both finish together:
    the two unhide agents run at the same time and share the table (round robin); every page is
    unhidden, the S2MM pages are reported modified and the MM2S ones not (hdl/sgdma_hide.v header)."""
    env = await make_env(dut)
    go = Event()
    rd = env.submit(MM2S, 0x31000, 4 * PAGE, cache=UNCACHED, hold=go)
    wr = env.submit(S2MM, 0x39000, 4 * PAGE, cache=UNCACHED, hold=go)
    await _released(dut, rd, wr)
    mods_before = len(env.mods)
    go.set()
    await env.wait_done([rd, wr])
    pages = {c: pages_of(c.addr, c.length) for c in (rd, wr)}
    assert all(env.shadow.get(p, 0) == 0 for c in (rd, wr) for p in pages[c]), "pages still hidden"
    mods = sorted(p for _, p in env.mods[mods_before:])
    assert mods == sorted(pages[wr]), f"modified pages {[hex(p) for p in mods]}"
    await env.settle()
    env.check_final()


async def _flush_round(dut, ch: int, base: int):
    """Two commands of `ch` in flight (one moving, one released), abort then flush: their pages are
    unhidden (an S2MM page reported modified), no status passes, ch_quiet returns, and the other
    channel keeps moving during the abort and the flush."""
    env = await make_env(dut)
    other = MM2S if ch == S2MM else S2MM
    bit = 1 << ch
    never = Event()                                      # the mover never finishes these
    a = env.submit(ch, base + 0x10, 2 * PAGE, hold=never)
    b = env.submit(ch, base + 3 * PAGE, 0x200)
    await _released(dut, a, b)
    pages = pages_of(a.addr, a.length) + pages_of(b.addr, b.length)
    assert all(env.shadow.get(p) == 1 for p in pages)
    mods_before, sts_before = len(env.mods), env.sts_next[ch]
    dut.ch_abort.value = bit
    await ClockCycles(dut.clk, 5)
    o = env.submit(other, base + 8 * PAGE, 0x300)
    await ClockCycles(dut.clk, 10)
    dut.ch_flush.value = bit
    await RisingEdge(dut.clk)
    dut.ch_flush.value = 0
    await env.wait_done([o])
    for _ in range(400):
        if all(env.shadow.get(p, 0) == 0 for p in pages) and int(dut.ch_quiet.value) & bit:
            break
        await RisingEdge(dut.clk)
    assert all(env.shadow.get(p, 0) == 0 for p in pages), {hex(p): env.shadow.get(p) for p in pages}
    assert int(dut.ch_quiet.value) & bit, "ch_quiet after the flush"
    assert env.sts_next[ch] == sts_before, "a flushed command's status was passed on"
    flushed_mods = sorted(p for _, p in env.mods[mods_before:] if p in pages)
    assert flushed_mods == (sorted(pages) if ch == S2MM else []), [hex(p) for p in flushed_mods]
    dut.ch_abort.value = 0
    # the mover model forgets the flushed commands (a reset mover reports nothing for them)
    env.inflight[ch].clear()
    for c in (a, b):
        env.all_cmds.remove(c)
    await env.settle()
    env.check_final()


@cocotb.test()
async def test_s2mm_flush_unhides_in_flight(dut):
    """S2MM abort + flush with two commands in flight: pages unhidden and reported modified, no
    status, ch_quiet; MM2S runs on."""
    await _flush_round(dut, S2MM, 0x21000)


@cocotb.test()
async def test_mm2s_flush_unhides_in_flight(dut):
    """MM2S abort + flush with two commands in flight: pages unhidden, none reported modified, no
    status, ch_quiet; S2MM runs on."""
    await _flush_round(dut, MM2S, 0x31000)
