"""cocotb tests of the hide unit through the whole sgdma controller (the hide unit's tests 1-9 at the top).

The DUT is tb/hdl/harness/sgdma_tb.v (sgdma with HIDE_ENTRIES > 0 and protocol checkers on every port,
the CPU gate's memory side included). The environment is tb/env/hide_top.HideTopEnv: one memory for
the device and the processor, a write-back processor cache behind the CPU gate answering the
maintenance port, registers and descriptors, both streams, and the checkers on the hide unit's trace
(its docstring lists them). The negative controls use the test-only variable ``test_skip_maint`` in
the hide seam (compiled in by the define SGDMA_TEST_HOOKS).
"""
from __future__ import annotations

import os

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge, Timer, with_timeout
from cocotbext.axi import AxiStreamFrame

from tb.axi_memory import CHANNELS
from tb.cpu_cache import CpuCache, mismatches, pages_of, pattern
from tb.env.hide_top import MEM_SIZE, HideTopEnv, make_hide_top_env
from tb.env.sgdma import params_from_environment
from tb.sgdma_desc import CACHE, ERR

PARAMS = params_from_environment()
HIDE_ENTRIES = PARAMS.get("HIDE_ENTRIES", 4)
PAGE = 4096
CACHED, WRCOMB, UNCACHED = CACHE["CACHED"], CACHE["WRCOMB"], CACHE["UNCACHED"]


async def make_env(dut) -> HideTopEnv:
    return await make_hide_top_env(dut)


def buf_at(page_index: int, offset: int = 0, region: int = 0x0010_0000) -> int:
    return region + page_index * PAGE + offset


# ====================================================================== (1) MM2S sees CPU writes
@cocotb.test()
async def test_mm2s_sends_cpu_writes(dut):
    """(1) The CPU writes a buffer (dirty lines in its cache), MM2S sends it: the stream carries
    the new data, after one CLEAN_INVALIDATE per page. Negative control: with test_skip_maint the stream
    carries the stale memory contents and the comparison says so."""
    env = await make_env(dut)
    for skip, first_page in ((False, 0), (True, 8)):
        addr, n = buf_at(first_page, 0x1C0), 2 * PAGE + 300     # 3 pages, unaligned ends
        old, new = pattern(first_page, n), pattern(100 + first_page, n)
        env.mem.write(addr, old)
        await env.cache.write(addr, new)
        assert env.cache.dirty_lines(), "precondition: the CPU's data is only in its cache"
        assert mismatches(new, env.mem.read(addr, n)) > 0, "precondition: memory is stale"
        env.skip_maintenance(skip)
        n_req = len(env.maint_reqs)
        got = await env.mm2s([(addr, n)])
        env.skip_maintenance(False)
        reqs = [(op, p) for _, op, p in env.maint_reqs[n_req:]]
        if not skip:
            assert mismatches(new, got) == 0, f"MM2S stream: {mismatches(new, got)} bytes stale"
            assert reqs == [(1, p) for p in pages_of(addr, n)], f"maintenance {reqs}"
            assert not any(env.cache.cached_lines(p) for p in pages_of(addr, n)), \
                "CLEAN_INVALIDATE left lines of the buffer in the cache"
        else:
            assert reqs == [], f"skip switch sent maintenance {reqs}"
            bad = mismatches(new, got)
            assert bad > 0 and got == old, "negative control: stale data not detected"
            dut._log.info("negative control: %d stale bytes detected without maintenance", bad)
            env.cache.clean(pages_of(addr, n)[0], 3 * PAGE)   # leave memory coherent
    await env.check_final()


# ====================================================================== (2) S2MM then CPU reads
@cocotb.test()
async def test_s2mm_then_cpu_reads(dut):
    """(2) The CPU holds stale lines of a buffer (clean and dirty), S2MM writes it: afterwards
    the CPU reads the device's data (CLEAN_INVALIDATE per page). Negative control: without
    maintenance the CPU reads its stale lines."""
    env = await make_env(dut)
    for skip, first_page in ((False, 16), (True, 24)):
        addr, n = buf_at(first_page, 0x40), PAGE + 1000          # 2 pages
        old = pattern(first_page, n)
        env.mem.write(addr, old)
        assert await env.cache.read(addr, n) == old              # clean stale lines
        await env.cache.write(addr + 64, b"\x5a" * 64)           # and one dirty line
        payload = pattern(200 + first_page, n)
        env.skip_maintenance(skip)
        n_req = len(env.maint_reqs)
        sts = await env.s2mm([(addr, n)], payload)
        env.skip_maintenance(False)
        assert sts[0]["ERR"] == 0 and sts[0]["XFERRED"] == n, sts
        assert env.mem.read(addr, n) == payload, "memory does not hold the stream"
        seen = await env.cache.read(addr, n)
        reqs = [(op, p) for _, op, p in env.maint_reqs[n_req:]]
        if not skip:
            assert mismatches(payload, seen) == 0, f"CPU view: {mismatches(payload, seen)} bytes stale"
            assert reqs == [(1, p) for p in pages_of(addr, n)], f"maintenance {reqs}"
        else:
            bad = mismatches(payload, seen)
            assert bad > 0, "negative control: stale CPU view not detected"
            dut._log.info("negative control: %d stale bytes seen by the CPU without maintenance", bad)
            for p in pages_of(addr, n):
                env.cache.clean_invalidate(p)
    await env.check_final()


# ====================================================================== (3) CPU stalls at the gate
@cocotb.test()
async def test_cpu_access_stalls_until_unhide(dut):
    """(3) A CPU read of a page hidden by an in-flight S2MM descriptor stalls at the gate until
    the unhide, then returns the device's data; a CPU uncached write to a page hidden by MM2S
    stalls likewise and lands after the device read it (the stream carries the old bytes)."""
    env = await make_env(dut)
    addr, n = buf_at(32, 0x80), 600
    page = pages_of(addr, n)[0]
    env.mem.write(addr, pattern(32, n))
    payload = pattern(232, n)
    addrs = env.chain([(addr, n)])
    await env.start_chain("S2MM", addrs)          # no stream data yet: the page stays hidden
    while env.shadow.get(page, 0) < 1 or len(env.maint.log) < 1:
        await ClockCycles(dut.clk, 4)
    stall0 = await env.regs.read(None, "HIDE_CPU_STALL")
    read = cocotb.start_soon(env.cache.read(addr, 64))
    await ClockCycles(dut.clk, 300)
    assert not read.done(), "CPU read of a hidden page completed before the unhide"
    assert await env.regs.read(None, "HIDE_CPU_STALL") >= stall0 + 250, "stall not counted"
    await env.source.send(AxiStreamFrame(payload))
    await env.wait_cmplt(addrs)
    got = await with_timeout(read, 20000, "ns")
    done_cycle = env.cycle
    assert got == payload[:64], "the stalled read did not return the device's data"
    last_unhide = max(t[0] for t in env.trace if t[2] == page and t[1] == "unhide" and t[3] == 0)
    assert done_cycle > last_unhide

    # MM2S: the sink holds the packet, so the page stays hidden; an uncached write waits
    addr2, n2 = buf_at(33, 0x10), 512
    old = pattern(33, n2)
    env.mem.write(addr2, old)
    env.sink.pause = True
    addrs2 = env.chain([(addr2, n2)])
    await env.start_chain("MM2S", addrs2)
    while env.shadow.get(pages_of(addr2, n2)[0], 0) < 1:
        await ClockCycles(dut.clk, 4)
    write = cocotb.start_soon(env.cache.write_uncached(addr2, b"\xee" * 16))
    await ClockCycles(dut.clk, 300)
    assert not write.done(), "CPU write to a hidden page completed before the unhide"
    env.sink.pause = False
    frame = await env.recv_frame()
    await with_timeout(write, 20000, "ns")
    assert bytes(frame.tdata) == old, "the stalled write landed before the device read the buffer"
    assert env.mem.read(addr2, 16) == b"\xee" * 16, "the stalled write was lost"
    await env.wait_cmplt(addrs2)
    await env.check_final()


@cocotb.test()
async def test_gate_keeps_offered_request(dut):
    """(3, protocol) A CPU read already offered to memory on m_axi_cpu (memory not ready) when its
    page gets hidden stays offered (AXI: VALID held until READY; the checker on m_axi_cpu would
    stop the simulation), the hide waits for it to complete (it was ordered before the hide, so
    it returns the memory contents before the device's write), then the S2MM runs."""
    env = await make_env(dut)
    addr, n = buf_at(36, 0x40), 256
    old = pattern(36, n)
    env.mem.write(addr, old)
    env.cpu_mem.ram.read_if.ar_channel.pause = True
    read = cocotb.start_soon(env.cache.read_uncached(addr, 8))
    while not int(dut.m_axi_cpu_arvalid.value):
        await RisingEdge(dut.clk)
    saddrs = env.chain([(addr, n)])
    await env.start_chain("S2MM", saddrs)
    while env.shadow.get(pages_of(addr, n)[0], 0) < 1:
        await ClockCycles(dut.clk, 2)
    await ClockCycles(dut.clk, 50)
    assert int(dut.m_axi_cpu_arvalid.value) == 1, "offered read withdrawn"
    assert len(env.maint.log) == 0, "maintenance before the offered read completed"
    env.cpu_mem.ram.read_if.ar_channel.pause = False
    assert await with_timeout(read, 20000, "ns") == old[:8]
    payload = pattern(136, n)
    await env.source.send(AxiStreamFrame(payload))
    await env.wait_cmplt(saddrs)
    assert env.mem.read(addr, n) == payload
    await env.check_final()


@cocotb.test()
async def test_split_store_lands_in_parts(dut):
    """(3) A CPU store crossing from page P (line cached) into page Q (hidden by S2MM) lands in
    parts: its P part hits at once, its Q part waits at the gate. MM2S of P, run while the store
    is still incomplete, sends the P part (the CLEAN_INVALIDATE writes it back); the Q part lands
    after the device's data, at the unhide. Why test_random_traffic counts a store per cache line
    from when that part landed, not from when the whole store completed (seeds 1002/1003)."""
    env = await make_env(dut)
    p, q = buf_at(160), buf_at(161)
    old_p, payload = pattern(160, PAGE), pattern(161, 512)
    env.mem.write(p, old_p)
    env.mem.write(q, pattern(162, PAGE))
    await env.cache.read(q - 64, 1)                       # P's last line cached (clean)
    saddrs = env.chain([(q, 512)])
    await env.start_chain("S2MM", saddrs)                  # no stream data yet: Q stays hidden
    while env.shadow.get(q, 0) < 1:
        await ClockCycles(dut.clk, 2)
    new = pattern(163, 8)
    store = cocotb.start_soon(env.cache.write(q - 4, new))
    await ClockCycles(dut.clk, 50)
    assert not store.done(), "the store's Q part did not wait at the gate"
    assert env.coherent_view(q - 4, 4) == new[:4], "the store's P part did not land"
    assert await env.mm2s([(p, PAGE)]) == old_p[:-4] + new[:4], "MM2S of P lost the landed P part"
    assert not store.done(), "the store completed while Q was hidden"
    await env.source.send(AxiStreamFrame(payload))
    await env.wait_cmplt(saddrs)
    await with_timeout(store, 20000, "ns")
    assert await env.cache.read(q, 512) == new[4:] + payload[4:], "the Q part must land after the device"
    await env.check_final()


# ====================================================================== (4) nesting
@cocotb.test()
async def test_nesting_two_descriptors_and_both_channels(dut):
    """(4) One page in two outstanding MM2S descriptors and one S2MM descriptor: the hide count
    goes to 3, one CLEAN_INVALIDATE at the first hide (none for the nested ones), the page opens only
    at the last unhide (a CPU read stalls until then) and all data is right."""
    env = await make_env(dut)
    page = buf_at(40)
    env.mem.write(page, pattern(40, PAGE))
    env.sink.pause = True
    maddrs = env.chain([(page, 1000), (page + 2000, 1000)])
    await env.start_chain("MM2S", maddrs)
    while env.shadow.get(page, 0) < 2:
        await ClockCycles(dut.clk, 4)
    saddrs = env.chain([(page + 3000, 500)])
    await env.start_chain("S2MM", saddrs)
    while env.shadow.get(page, 0) < 3:
        await ClockCycles(dut.clk, 4)
    read = cocotb.start_soon(env.cache.read(page + 3000, 64))
    payload = pattern(240, 500)
    await env.source.send(AxiStreamFrame(payload))
    await env.wait_cmplt(saddrs)
    await ClockCycles(dut.clk, 100)
    assert env.shadow[page] == 2, f"count after the S2MM unhide: {env.shadow[page]}"
    assert not read.done(), "page opened while two MM2S descriptors still hold it"
    env.sink.pause = False
    frame = await env.recv_frame()
    await env.wait_cmplt(maddrs)
    got = await with_timeout(read, 20000, "ns")
    mem = pattern(40, PAGE)
    assert bytes(frame.tdata) == mem[0:1000] + mem[2000:3000], "MM2S data"
    assert got == payload[:64], "CPU read after the last unhide"
    counts = [t[3] for t in env.trace if t[2] == page]
    assert counts == [1, 2, 3, 2, 1, 0], f"hide counts of the page: {counts}"
    ops = [(op, p) for _, op, p in env.maint_reqs if p == page]
    assert ops == [(1, page)], f"maintenance for the page: {ops}"
    last = [t for t in env.trace if t[2] == page and t[3] == 0]
    assert len(last) == 1 and last[0][4] == 1, f"one last unhide, modified (S2MM wrote it): {last}"
    await env.check_final()


# ====================================================================== (5) table full
@cocotb.test()
async def test_table_full_backpressure(dut):
    """(5) MM2S holds HIDE_ENTRIES pages (two 2-page descriptors, the sink waiting), so an S2MM
    descriptor on another page finds the table full: it waits (HIDE_STATUS.USED = HIDE_ENTRIES,
    HIDE_FULL_STALL moves, its page is not hidden, its data not written), nothing is lost, and
    both directions complete exactly once MM2S drains."""
    env = await make_env(dut)
    bufs = [(buf_at(48 + 2 * i, 0x800), PAGE) for i in range(HIDE_ENTRIES // 2)]   # 2 pages each
    for i, (a, n) in enumerate(bufs):
        env.mem.write(a, pattern(48 + i, n))
    env.sink.pause = True
    maddrs = env.chain(bufs)
    stall0 = await env.regs.read(None, "HIDE_FULL_STALL")
    await env.start_chain("MM2S", maddrs)
    while (await env.regs.read_fields(None, "HIDE_STATUS"))["USED"] < HIDE_ENTRIES:
        await ClockCycles(dut.clk, 8)
    sa, sn = buf_at(47, 0x100), 800
    env.mem.write(sa, b"\x11" * sn)
    saddrs = env.chain([(sa, sn)])
    await env.start_chain("S2MM", saddrs)
    payload = pattern(147, sn)
    send = cocotb.start_soon(env.source.send(AxiStreamFrame(payload)))
    await ClockCycles(dut.clk, 300)
    assert (await env.regs.read_fields(None, "HIDE_STATUS"))["USED"] == HIDE_ENTRIES
    stall1 = await env.regs.read(None, "HIDE_FULL_STALL")
    assert stall1 - stall0 >= 200, f"HIDE_FULL_STALL {stall0} -> {stall1}"
    assert env.shadow.get(buf_at(47), 0) == 0, "S2MM page hidden in a full table"
    assert not env.status(saddrs[0])["CMPLT"] and env.mem.read(sa, sn) == b"\x11" * sn, \
        "S2MM moved data while its page could not be hidden"
    env.sink.pause = False
    frame = await env.recv_frame()
    await send
    await env.wait_cmplt(maddrs + saddrs)
    want = b"".join(pattern(48 + i, n) for i, (_, n) in enumerate(bufs))
    assert bytes(frame.tdata) == want, "stream after table-full back-pressure"
    assert env.mem.read(sa, sn) == payload, "S2MM data after table-full back-pressure"
    assert await env.regs.read(None, "HIDE_FULL_STALL") >= stall1
    await env.check_final()


# ====================================================================== (6) modified reports
@cocotb.test()
async def test_modified_reports_written_pages(dut):
    """(6) hide_mod events, HIDE_MODIFIED and HIDE_LAST_MOD name exactly the pages the device
    wrote: a short S2MM packet into a 2-page buffer reports its first page only, a full one-page
    packet its page, a concurrent MM2S nothing."""
    env = await make_env(dut)
    b1, b2, m = buf_at(56, 0x100), buf_at(58), buf_at(60)
    env.mem.write(m, pattern(60, 700))
    mod0 = await env.regs.read(None, "HIDE_MODIFIED")
    n_mods = len(env.mods)
    saddrs = env.chain([(b1, PAGE + 500), (b2, PAGE)], packet=False)
    await env.start_chain("S2MM", saddrs)
    maddrs = env.chain([(m, 700)])
    await env.start_chain("MM2S", maddrs)
    await env.source.send(AxiStreamFrame(pattern(1, 100)))      # short: first page of b1 only
    await env.source.send(AxiStreamFrame(pattern(2, PAGE)))
    sts = await env.wait_cmplt(saddrs)
    assert [s["XFERRED"] for s in sts] == [100, PAGE], sts
    await env.recv_frame()
    await env.wait_cmplt(maddrs)
    await ClockCycles(dut.clk, 20)
    got = [p for _, p in env.mods[n_mods:]]
    assert got == [b1 - b1 % PAGE, b2], f"modified pages {[hex(p) for p in got]}"
    assert await env.regs.read(None, "HIDE_MODIFIED") == mod0 + 2
    last = await env.regs.read(None, "HIDE_LAST_MOD_LO") | await env.regs.read(None, "HIDE_LAST_MOD_HI") << 32
    assert last == b2, f"HIDE_LAST_MOD {last:#x}"
    await env.check_final()


# ====================================================================== (7) uncached and WC
@cocotb.test()
async def test_uncached_and_write_combining(dut):
    """(7) CONTROL.CACHE=UNCACHED: pages hidden and counted, no maintenance request, data right
    both ways. CONTROL.CACHE=WRCOMB: one WC_FLUSH per page makes the CPU's write-combined stores
    reach the stream; negative control: without it the stream misses them."""
    env = await make_env(dut)
    ua, un = buf_at(64, 0x20), PAGE + 64
    new = pattern(164, un)
    await env.cache.write_uncached(ua, new)
    n_req, n_trace = len(env.maint_reqs), len(env.trace)
    assert await env.mm2s([(ua, un)], cache=UNCACHED) == new
    sa, sn = buf_at(66, 0x100), 900
    payload = pattern(166, sn)
    sts = await env.s2mm([(sa, sn)], payload, cache=UNCACHED)
    assert sts[0]["XFERRED"] == sn and await env.cache.read_uncached(sa, sn) == payload
    assert env.maint_reqs[n_req:] == [], "maintenance for uncached buffers"
    hidden = [t[2] for t in env.trace[n_trace:] if t[1] == "hide"]
    assert hidden == pages_of(ua, un) + pages_of(sa, sn), f"uncached hides {hidden}"

    for skip, first in ((False, 68), (True, 70)):
        wa, wn = buf_at(first, 0x40), PAGE + 200
        old, wc = pattern(first, wn), pattern(100 + first, wn)
        env.mem.write(wa, old)
        env.cache.write_combine(wa, wc)
        env.skip_maintenance(skip)
        n_req = len(env.maint_reqs)
        got = await env.mm2s([(wa, wn)], cache=WRCOMB)
        env.skip_maintenance(False)
        reqs = [(op, p) for _, op, p in env.maint_reqs[n_req:]]
        if not skip:
            assert got == wc, f"WC stores missing from the stream: {mismatches(wc, got)} bytes"
            assert reqs == [(2, p) for p in pages_of(wa, wn)], f"maintenance {reqs}"
        else:
            assert got == old and mismatches(wc, got) > 0, "negative control: WC data not missed"
            env.cache.wc_flush(pages_of(wa, wn)[0], 2 * PAGE)
    await env.check_final()


# ====================================================================== (8) against xmemdma64
@cocotb.test()
async def test_against_xmemdma64(dut):
    """(8) The hardware's hides, unhides and maintenance requests for random descriptor chains in
    both channels equal what pyddi_model's xmemdma64 predicts for the same pages.

    Replay: each hardware table operation in order into DDI.xmemdma64 (hide: flags 0; unhide:
    XMEM_UNHIDE) on a Machine with the same pinned frames and a CpuCache as the cache hook. Equal:
    the hide count after each operation; each channel's hides are its descriptors' pages in
    order; the model's flush_invalidate calls = the hardware's maintenance requests (page, order);
    its page_valid calls = the hardware's last unhides, and every request is CLEAN_INVALIDATE
    (xmemdma64 flushes and invalidates). Documented difference: the hardware reports modified
    only for pages the device wrote (xmemdma64: every last unhide); MM2S and S2MM use different
    pages here so that the MM2S pages can be told apart."""
    from pyddi_model import XMEM_UNHIDE
    from pyddi_model.ddi import DDI
    from pyddi_model.machine import Machine

    env = await make_env(dut)
    rnd = env.rng
    regions = {"MM2S": buf_at(80), "S2MM": buf_at(90)}
    jobs = {"MM2S": [], "S2MM": []}
    n_trace, n_req = len(env.trace), len(env.maint_reqs)
    for _ in range(3):
        running = []
        for ch in ("MM2S", "S2MM"):
            bufs = []
            for _ in range(rnd.randint(1, 3)):
                bufs.append((regions[ch] + rnd.randrange(0, 5 * PAGE), rnd.randint(1, PAGE + 500)))
            jobs[ch].append(bufs)
            addrs = env.chain(bufs, packet=False)
            await env.start_chain(ch, addrs)
            running.append(addrs)
        for bufs in jobs["S2MM"][-1]:
            await env.source.send(AxiStreamFrame(pattern(rnd.getrandbits(16), bufs[1])))
        for addrs in running:
            await env.wait_cmplt(addrs)
        for _ in jobs["MM2S"][-1]:
            await env.recv_frame()
    await ClockCycles(dut.clk, 20)
    trace = env.trace[n_trace:]
    for ch in ("MM2S", "S2MM"):
        lo, hi = regions[ch], regions[ch] + 8 * PAGE
        hw = [t[2] for t in trace if t[1] == "hide" and lo <= t[2] < hi]
        want = [p for job in jobs[ch] for a, n in job for p in pages_of(a, n)]
        assert hw == want, f"{ch} hide sequence differs from its descriptors"

    machine = Machine(pagesize=PAGE, phys_bytes=MEM_SIZE)
    model_cache = CpuCache(16384, 64, 4, writeback=lambda a, d: None)
    machine.cache_hook = model_cache
    ddi = DDI(machine)
    frames = [p // PAGE for ch in ("MM2S", "S2MM") for p in range(regions[ch], regions[ch] + 8 * PAGE, PAGE)]
    vaddr = machine.kas.mmap(len(frames) * PAGE, frames=frames)
    machine.pin_frames(frames)
    virt = {f * PAGE: vaddr + i * PAGE for i, f in enumerate(frames)}
    dp = ddi.xmem_kernel()
    for _, op, page, count, _mod in trace:
        real = ddi.xmemdma64(dp, virt[page], XMEM_UNHIDE if op == "unhide" else 0)
        assert real == page, f"xmemdma64 real address {real:#x} for page {page:#x}"
        model_count = machine.hide_count(page)
        assert model_count == count, f"{op} {page:#x}: model {model_count}, hw {count}"
    model_flush = [p for name, p, *_ in model_cache.ops if name == "flush_invalidate"]
    hw_maint = [(op, p) for _, op, p in env.maint_reqs[n_req:]]
    assert [p for _, p in hw_maint] == model_flush, "maintenance requests differ from the model's flushes"
    for op, p in hw_maint:
        assert op == 1, f"op {op} for page {p:#x}: xmemdma64 flushes and invalidates"
    model_valid = [(p, m[0]) for name, p, *m in model_cache.ops if name == "page_valid"]
    hw_last = [(t[2], t[4]) for t in trace if t[1] == "unhide" and t[3] == 0]
    assert [p for p, _ in model_valid] == [p for p, _ in hw_last], "last unhides differ"
    for (p, model_mod), (_, hw_mod) in zip(model_valid, hw_last, strict=True):
        assert model_mod is True
        if p < regions["S2MM"]:
            assert hw_mod == 0, f"MM2S page {p:#x} reported modified"
    await env.check_final()


# ====================================================================== (9) random traffic
@cocotb.test()
async def test_random_traffic(dut):
    """(9) Random CPU traffic (cached reads and writes, uncached reads) to hidden and open pages
    while both channels run random chains. MM2S: each stream byte equals the CPU's coherent view
    when the hide episode of its page began, or a value a CPU store put in the cache after that (until
    the page's CLEAN_INVALIDATE a store can still hit; the clean writes it back). S2MM: the CPU
    only reads there; after each job its cached view equals the stream; at the end a cached read
    of the whole region equals the last data the device wrote per byte."""
    env = await make_env(dut)
    rnd = env.rng
    n_jobs = int(os.environ.get("HIDE_TOP_RANDOM_JOBS", "6"))
    region_r, region_w, npages = buf_at(100), buf_at(110), 6
    env.mem.write(region_r, pattern(100, npages * PAGE))
    env.mem.write(region_w, pattern(110, npages * PAGE))
    shadow_w = bytearray(pattern(110, npages * PAGE))
    cpu_writes: dict[int, list] = {}
    stop = False
    env.cpu_mem.set_backpressure({ch: 0.3 for ch in CHANNELS})
    env.mem.set_backpressure({"r": 0.3, "w": 0.3})
    env.sink.set_pause_generator(env.pauses(0.2))

    # MM2S region: the CPU view when a page's hide episode began (count 0 -> 1); a CPU store
    # landed in the cache after that may be sent too (it can hit until the page's CLEAN_INVALIDATE, which
    # writes it back; after that every access stalls at the gate), one before it must be sent
    episodes: list[tuple[int, int, bytes]] = []    # per MM2S hide, in order: (page, start, view)

    async def snapshotter():
        seen, start = 0, {}
        while not stop:
            await RisingEdge(dut.clk)
            while seen < len(env.trace):
                cyc, op, page, count, _ = env.trace[seen]
                seen += 1
                if op != "hide" or not region_r <= page < region_r + npages * PAGE:
                    continue
                if count == 1:
                    start[page] = (cyc, env.coherent_view(page, PAGE))
                episodes.append((page,) + start[page])

    async def cpu():
        while not stop:
            r = rnd.random()
            if r < 0.4:
                a = region_r + rnd.randrange(0, npages * PAGE - 16)
                data = pattern(rnd.getrandbits(32), rnd.randint(1, 16))
                # a store counts per cache line from when that part landed in the cache (after
                # its fill through the gate): a store crossing a line can land its first part
                # before the page's CLEAN_INVALIDATE (which sends it) while its second part
                # waits at the gate until the unhide (seeds 1002/1003 of the long run).
                # CpuCache.write does the same line by line, so the traffic is unchanged.
                pos = 0
                while pos < len(data):
                    part = data[pos:pos + env.cache.line - (a + pos) % env.cache.line]
                    await env.cache.write(a + pos, part)
                    for i, b in enumerate(part):
                        cpu_writes.setdefault(a + pos + i, []).append((env.cycle, b))
                    pos += len(part)
            elif r < 0.7:
                await env.cache.read(region_r + rnd.randrange(0, npages * PAGE - 16), rnd.randint(1, 16))
            elif r < 0.9:
                await env.cache.read(region_w + rnd.randrange(0, npages * PAGE - 16), rnd.randint(1, 16))
            else:
                await env.cache.read_uncached(region_w + rnd.randrange(0, npages * PAGE - 8), 8)
            await ClockCycles(dut.clk, rnd.randint(0, 10))

    tasks = [cocotb.start_soon(snapshotter()), cocotb.start_soon(cpu())]
    stall0 = await env.regs.read(None, "HIDE_CPU_STALL")
    for _ in range(n_jobs):
        mbufs = [(region_r + rnd.randrange(0, (npages - 2) * PAGE), rnd.randint(1, PAGE + 1000))
                 for _ in range(rnd.randint(1, 3))]
        woffs = sorted(rnd.sample(range(0, npages - 1), rnd.randint(1, 2)))
        sbufs = [(region_w + o * PAGE + rnd.randrange(0, 2048), rnd.randint(1, 2048)) for o in woffs]
        maddrs = env.chain(mbufs, packet=False)
        saddrs = env.chain(sbufs, packet=False)
        await env.start_chain("MM2S", maddrs)
        await env.start_chain("S2MM", saddrs)
        payloads = [pattern(rnd.getrandbits(32), n) for _, n in sbufs]
        for p in payloads:
            await env.source.send(AxiStreamFrame(p))
        frames = [await env.recv_frame() for _ in mbufs]
        await env.wait_cmplt(maddrs + saddrs)
        for (a, n), fr in zip(mbufs, frames, strict=True):
            got = bytes(fr.tdata)
            for p in pages_of(a, n):
                page, cyc, view = episodes.pop(0)
                assert page == p, f"MM2S hide of {page:#x}, expected {p:#x}"
                for x in range(max(a, p), min(a + n, p + PAGE)):
                    g, s = got[x - a], view[x - p]
                    later = {v for t, v in cpu_writes.get(x, []) if t >= cyc - 1}
                    assert g == s or g in later, f"MM2S {a:#x}+{n}: byte {x - a} {g:#x}, CPU view {s:#x}"
        for (a, n), p in zip(sbufs, payloads, strict=True):
            shadow_w[a - region_w:a - region_w + n] = p
            seen = await env.cache.read(a, n)
            assert mismatches(p, seen) == 0, f"S2MM {a:#x}+{n}: CPU view stale"
    stop = True
    for t in tasks:
        await t
    final = await env.cache.read(region_w, npages * PAGE)
    assert mismatches(bytes(shadow_w), final) == 0, "final CPU view of the S2MM region is stale"
    assert await env.regs.read(None, "HIDE_CPU_STALL") > stall0, "the CPU never met a hidden page"
    await env.check_final()
    await Timer(1, "ns")


# ====================================================================== page limit (oversize)
@cocotb.test()
async def test_page_limit(dut):
    """CAP2.HIDE_ENTRIES is the per-descriptor page limit. At the limit (a buffer spanning
    exactly HIDE_ENTRIES pages) the transfer is normal. Past it, the hide unit refuses the
    descriptor: STATUS ERR with ERRCODE LEN_RANGE and XFERRED 0, the channel halts with
    SR.ERRCODE LEN_RANGE and ERRDESC = that descriptor, no page of it is hidden and no data of it
    or of the descriptor after it moves, HIDE_STATUS.OVERSIZE is set; the other channel keeps
    working, and after a soft reset the refused channel works again."""
    env = await make_env(dut)
    cap2 = await env.regs.read_fields(None, "CAP2")
    assert cap2["HIDE_ENTRIES"] == HIDE_ENTRIES, cap2
    # at the limit: HIDE_ENTRIES pages, both ends unaligned
    la, ln = buf_at(120, 0x800), (HIDE_ENTRIES - 1) * PAGE + 0x400
    assert len(pages_of(la, ln)) == HIDE_ENTRIES
    env.mem.write(la, pattern(120, ln))
    assert await env.mm2s([(la, ln)]) == pattern(120, ln), "MM2S at the page limit"
    sa, sn = buf_at(126, 0x10), (HIDE_ENTRIES - 1) * PAGE + 1      # the most any alignment allows
    assert len(pages_of(sa, sn)) == HIDE_ENTRIES
    payload = pattern(126, sn)
    sts = await env.s2mm([(sa, sn)], payload)
    assert sts[0]["ERR"] == 0 and env.mem.read(sa, sn) == payload, "S2MM at the page limit"
    assert (await env.regs.read_fields(None, "HIDE_STATUS"))["OVERSIZE"] == 0

    # past the limit: one page more, in the middle of a chain of one-descriptor packets
    ok_a, big, after = (buf_at(132), 512), (buf_at(134, 0x100), HIDE_ENTRIES * PAGE), (buf_at(140), 512)
    assert len(pages_of(*big)) == HIDE_ENTRIES + 1
    for i, (a, n) in enumerate((ok_a, big, after)):
        env.mem.write(a, pattern(132 + i, n))
    n_trace = len(env.trace)
    addrs = env.chain([ok_a, big, after], packet=False)
    await env.start_chain("MM2S", addrs)
    frame = await env.recv_frame()
    assert bytes(frame.tdata) == pattern(132, 512)
    sr = await env.wait_sr("MM2S", "HALTED")
    assert sr["ERR"] == 1 and sr["ERRCODE"] == ERR["LEN_RANGE"], f"SR {sr}"
    assert await env.regs.read64("MM2S", "ERRDESC") == addrs[1]
    st = env.status(addrs[1])
    assert (st["CMPLT"], st["ERR"], st["ERRCODE"], st["XFERRED"]) == (1, 1, ERR["LEN_RANGE"], 0), st
    assert not env.status(addrs[2])["CMPLT"], "descriptor after the refused one was run"
    assert (await env.regs.read_fields(None, "HIDE_STATUS"))["OVERSIZE"] == 1
    refused_pages = set(pages_of(*big)) | set(pages_of(*after))
    assert not [t for t in env.trace[n_trace:] if t[2] in refused_pages], "refused pages were hidden"
    await ClockCycles(dut.clk, 100)
    assert env.sink.empty(), "stream data after the refusal"

    # the other channel is not affected
    s2 = buf_at(142, 0x20)
    sts = await env.s2mm([(s2, 700)], pattern(142, 700))
    assert sts[0]["ERR"] == 0 and env.mem.read(s2, 700) == pattern(142, 700)
    # the refused channel runs again after a soft reset
    await env.soft_reset("MM2S")
    assert await env.mm2s([after]) == pattern(134, 512)
    await env.check_final()


# ====================================================================== abort with hidden pages
@cocotb.test()
async def test_abort_unhides_in_flight_pages(dut):
    """RS=0 while descriptors hold hidden pages: the channel halts, the hide unit unhides every
    page of the aborted commands (no status of them reaches the halted engine), a CPU read of
    such a page completes, an aborted S2MM page is reported modified (the device may have written
    it), and both channels run normally afterwards."""
    env = await make_env(dut)
    p1, p2, p3 = buf_at(150), buf_at(152), buf_at(154)
    env.mem.write(p1, pattern(150, 2 * PAGE))
    env.mem.write(p2, pattern(152, PAGE))
    env.sink.pause = True
    maddrs = env.chain([(p1, 2 * PAGE), (p2, 1000)], packet=False)
    await env.start_chain("MM2S", maddrs)
    saddrs = env.chain([(p3, 600)])
    await env.start_chain("S2MM", saddrs)                  # no stream data: stays in flight
    while env.shadow.get(p2, 0) < 1 or env.shadow.get(p3, 0) < 1:
        await ClockCycles(dut.clk, 4)
    read = cocotb.start_soon(env.cache.read_uncached(p3, 8))
    n_mods = len(env.mods)
    await env.regs.write("S2MM", "CR", 0)
    await env.regs.write("MM2S", "CR", 0)
    env.sink.pause = False                                  # the offered beat must be taken
    await env.wait_sr("S2MM", "HALTED")
    await env.wait_sr("MM2S", "HALTED")
    await ClockCycles(dut.clk, 50)
    assert all(env.shadow.get(p, 0) == 0 for p in pages_of(p1, 3 * PAGE) + [p3]), \
        {hex(k): v for k, v in env.shadow.items() if v}
    assert (await env.regs.read_fields(None, "HIDE_STATUS"))["USED"] == 0
    assert await with_timeout(read, 20000, "ns") == env.mem.read(p3, 8)
    assert p3 in [p for _, p in env.mods[n_mods:]], "aborted S2MM page not reported modified"
    assert not env.status(saddrs[0])["CMPLT"], "status written for an aborted S2MM descriptor"
    # reset the stream models (an aborted packet ends without TLAST), then run again
    env.flush_streams()
    await env.soft_reset("MM2S")
    await env.soft_reset("S2MM")
    assert await env.mm2s([(p2, 1000)]) == pattern(152, 1000)
    sts = await env.s2mm([(p3, 600)], pattern(155, 600))
    assert sts[0]["ERR"] == 0 and await env.cache.read(p3, 600) == pattern(155, 600)
    await env.check_final()
