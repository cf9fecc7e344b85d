"""cocotb tests of sgdma_hide standalone: cache coherency of the hide unit (tests 1-9 of docs/sgdma_hide.md).

The DUT is sgdma_hide itself; tb/env/hide.HideEnv plays the engines, the movers, the processor and
the memory around it and runs the checkers its docstring lists.
"""
from __future__ import annotations

import os

import cocotb
from cocotb.triggers import ClockCycles, Event, RisingEdge, Timer

from tb.cpu_cache import CpuCache, mismatches, pages_of, pattern
from tb.env.hide import MEM_SIZE, MM2S, PAGE, S2MM, UNCACHED, WRCOMB, HideEnv, make_hide_env


async def make_env(dut, **kw) -> HideEnv:
    return await make_hide_env(dut, **kw)


# ====================================================================== (1) MM2S sees CPU writes
@cocotb.test()
async def test_mm2s_clean(dut):
    """(1) CPU writes a buffer (dirty in cache), MM2S sends it: the stream carries the new data.

    Negative control: with test_skip_maint the same flow must give stale data, and the checker
    must say so.
    """
    env = await make_env(dut)
    for skip, base in ((0, 0x10040), (1, 0x20040)):
        dut.test_skip_maint.value = skip
        length = 3 * PAGE - 0x80                     # unaligned start, spans 3 pages
        env.ram.write(base, pattern(1, length))      # old contents
        new = pattern(2 + skip, length)
        await env.cache.write(base, new)             # dirty lines in the cache
        assert env.cache.dirty_lines(base - base % PAGE), "set-up: CPU data must be dirty in the cache"
        cmd = env.submit(MM2S, base, length)
        await env.wait_done([cmd])
        bad = mismatches(new, cmd.moved)
        if skip:
            assert bad > 0, "negative control: without maintenance the stream must be stale"
        else:
            assert bad == 0, f"stream differs from the CPU's data in {bad} bytes"
            assert cmd.snapshot == new
            ops = [o for o in env.maint.log]
            assert [(o[0], o[1]) for o in ops] == [("CLEAN_INVALIDATE", p) for p in pages_of(base, length)]
            assert not any(env.cache.cached_lines(p) for p in pages_of(base, length)), \
                "CLEAN_INVALIDATE left lines of the buffer in the cache"
    await env.settle()
    env.check_final()


# ====================================================================== (2) S2MM, stale CPU lines
@cocotb.test()
async def test_s2mm_invalidate(dut):
    """(2) The CPU holds stale lines of a buffer, S2MM writes it: afterwards the CPU reads the new
    data. Negative control: without maintenance the CPU reads stale lines."""
    env = await make_env(dut)
    for skip, base in ((0, 0x30000), (1, 0x40000)):
        dut.test_skip_maint.value = skip
        length = 2 * PAGE + 0x100
        old = pattern(10, length)
        env.ram.write(base, old)
        env.cache.preload(base, old[:PAGE], dirty=False)            # clean stale lines
        env.cache.preload(base + PAGE, old[PAGE:2 * PAGE], dirty=True)  # dirty ones too
        cmd = env.submit(S2MM, base, length)
        await env.wait_done([cmd])
        got = await env.cache.read(base, length)
        bad = mismatches(cmd.data, got)
        if skip:
            assert bad > 0 and cmd.stale > 0, "negative control: CPU must read stale data"
        else:
            assert bad == 0 and cmd.stale == 0, f"CPU read {bad} stale bytes after S2MM"
            assert [(o[0], o[1]) for o in env.maint.log] == \
                [("CLEAN_INVALIDATE", p) for p in pages_of(base, length)]
    await env.settle()
    env.check_final()


# ====================================================================== (3) CPU stalls on hidden page
@cocotb.test()
async def test_cpu_stall(dut):
    """(3) A CPU access to a hidden page stalls at the gate until the unhide, then completes with
    the right (device-written) data; an access to an open page is not held."""
    env = await make_env(dut)
    base = 0x50000
    hold = Event()
    env.ram.write(base, pattern(20, PAGE))
    cmd = env.submit(S2MM, base, PAGE, hold=hold)
    while cmd.release_cycle is None:
        await RisingEdge(dut.clk)
    # open page first: completes while the other page is hidden
    t0 = env.cycle
    await env.cache.read_uncached(0x60000, 16)
    assert env.cycle - t0 < 40, "an access to an open page must not wait"
    stall0 = int(dut.cnt_cpu_stall.value)
    reads = [cocotb.start_soon(env.cache.read(base + 0x80, 8))]
    await ClockCycles(dut.clk, 300)
    assert not reads[0].done(), "a read of a hidden page must stall"
    hold.set()
    data = await reads[0]
    opened = [t[0] for t in env.trace if t[1:4] == ("unhide", base, 0)]
    assert opened and env.cycle >= opened[0], "the read completed before the page was unhidden"
    assert data == cmd.data[0x80:0x88], "the stalled read must return the device's data"
    assert int(dut.cnt_cpu_stall.value) - stall0 >= 300
    # an uncached write stalls the same way and lands after the device's data
    hold2 = Event()
    cmd2 = env.submit(S2MM, base, 64, hold=hold2)
    while cmd2.release_cycle is None:
        await RisingEdge(dut.clk)
    w = cocotb.start_soon(env.cache.write_uncached(base + 0x200, b"\xAA" * 8))
    await ClockCycles(dut.clk, 100)
    assert not w.done()
    hold2.set()
    await w
    assert env.ram.read(base + 0x200, 8) == b"\xAA" * 8
    await env.wait_done()
    await env.settle()
    env.check_final()


# ====================================================================== (4) nesting
@cocotb.test()
async def test_nesting(dut):
    """(4) The same page in two outstanding MM2S descriptors and in an S2MM descriptor counts
    three hides; only the last unhide opens it. One CLEAN_INVALIDATE, at the first hide (MM2S):
    the page holds no valid line from then on, so the nested S2MM hide needs none."""
    env = await make_env(dut)
    page = 0x70000
    env.ram.write(page, pattern(30, PAGE))
    holds = [Event() for _ in range(3)]
    a = env.submit(MM2S, page, 0x400, hold=holds[0])
    b = env.submit(MM2S, page + 0x400, 0x400, hold=holds[1])
    while b.release_cycle is None:          # MM2S first: its first hide invalidates, S2MM nests
        await RisingEdge(dut.clk)
    c = env.submit(S2MM, page + 0x800, 0x800, hold=holds[2])
    while any(x.release_cycle is None for x in (a, b, c)):
        await RisingEdge(dut.clk)
    counts = [t[3] for t in env.trace if t[2] == page]
    assert counts == [1, 2, 3], counts
    assert [(o[0], o[1]) for o in env.maint.log] == [("CLEAN_INVALIDATE", page)]
    rd = cocotb.start_soon(env.cache.read_uncached(page + 0x800, 8))
    for i, h in enumerate(holds):
        h.set()
        await [a, b, c][i].done.wait()
        await ClockCycles(dut.clk, 50)
        if i < 2:
            assert not rd.done(), f"page opened after unhide {i + 1} of 3"
            assert env.shadow[page] == 2 - i
    data = await rd
    assert data == c.data[:8]
    counts = [t[3] for t in env.trace if t[2] == page]
    assert counts == [1, 2, 3, 2, 1, 0], counts
    assert [p for _, p in env.mods] == [page], env.mods
    await env.settle()
    env.check_final()


@cocotb.test()
async def test_cpu_store_to_hidden_mm2s_page(dut):
    """(3)/(4) A page hidden for MM2S is closed to processor stores too, and a descriptor that
    nests on it sends what the processor stored before that descriptor was submitted.

    xmemdma64: the first hide flushes the cache and makes the page invalid; "it prevents any
    process from reading or loading any part of the page into the cache during the DMA
    operation". The program is race-free: descriptor A reads bytes 0..0xFF of the page, the CPU
    stores to bytes 0x800.. (not A's), and only after that store completed submits B, which
    reads them. Found by the long random test: with a CLEAN (lines kept valid) the store hit the
    cache while the page was hidden, B nested without maintenance and sent stale memory.
    """
    env = await make_env(dut)
    page = 0xB0000
    env.ram.write(page, pattern(70, PAGE))
    await env.cache.read(page + 0x800, 8)            # the line is in the cache before the hide
    hold = Event()
    a = env.submit(MM2S, page, 0x100, hold=hold)
    while a.release_cycle is None:
        await RisingEdge(dut.clk)
    new = pattern(71, 8)
    store = cocotb.start_soon(env.cache.write(page + 0x800, new))
    submitted = []

    async def program():                             # B only after the store completed
        await store
        submitted.append(env.submit(MM2S, page + 0x800, 0x100))

    prog = cocotb.start_soon(program())
    await ClockCycles(dut.clk, 200)
    store_waited = not store.done()
    hold.set()
    await prog
    await env.wait_done()
    assert submitted[0].moved[:8] == new, "B sent stale memory instead of the CPU's earlier store"
    assert store_waited, "a CPU store to a page hidden for MM2S completed during the DMA"
    await env.settle()
    env.check_final()


# ====================================================================== (5) table full
@cocotb.test()
async def test_table_full(dut):
    """(5) More pages than HIDE_ENTRIES: the engine waits (counted), drops nothing, corrupts
    nothing; released in order once entries free up."""
    env = await make_env(dut)
    entries = int(os.environ.get("HIDE_ENTRIES_EXPECT", "8"))
    base = 0x80000
    holds, cmds = [], []
    for i in range(entries + 3):                     # one page each: 3 more than the table
        addr = base + i * PAGE
        env.ram.write(addr, pattern(40 + i, 256))
        await env.cache.write(addr, pattern(140 + i, 256))
        holds.append(Event())
        cmds.append(env.submit(MM2S, addr, 256, hold=holds[-1]))
    await ClockCycles(dut.clk, 400)
    released = sum(1 for c in cmds if c.release_cycle is not None)
    assert released == entries, f"{released} commands released with {entries} entries"
    assert int(dut.sts_entries_used.value) == entries
    full0 = int(dut.cnt_full_stall.value)
    assert full0 > 200, "table-full stall cycles must be counted"
    for h in holds:
        h.set()
    await env.wait_done()
    for i, c in enumerate(cmds):
        assert c.moved == pattern(140 + i, 256), f"command {i} moved wrong data"
    await env.settle()
    env.check_final()


# ====================================================================== (6) modified reports
@cocotb.test()
async def test_modified_pages(dut):
    """(6) Modified reports name exactly the pages the device wrote: S2MM pages covered by the
    status byte count (a short packet writes fewer pages, a zero-length status none); MM2S none."""
    env = await make_env(dut)
    base = 0x90000
    cmds = [
        env.submit(MM2S, base, 2 * PAGE),                                   # read only
        env.submit(S2MM, base + 3 * PAGE + 0x10, 3 * PAGE, sts_len=PAGE),   # 2 of 4 pages written
        env.submit(S2MM, base + 8 * PAGE, 2 * PAGE, sts_len=0),             # nothing written
        env.submit(S2MM, base + 11 * PAGE + 0xF00, 0x200),                  # 2 pages written
    ]
    await env.wait_done(cmds)
    await env.settle()
    expect = [base + 3 * PAGE, base + 4 * PAGE, base + 11 * PAGE, base + 12 * PAGE]
    got = sorted(p for _, p in env.mods)
    assert got == expect, [hex(p) for p in got]
    assert int(dut.sts_last_mod_addr.value) == env.mods[-1][1]
    env.check_final()


# ====================================================================== (7) uncached / write-combining
@cocotb.test()
async def test_cache_attributes(dut):
    """(7) CONTROL.CACHE: UNCACHED hides and counts the page but sends no maintenance request;
    WRCOMB sends WC_FLUSH, so write-combined CPU stores reach the stream (negative control:
    without it they do not)."""
    env = await make_env(dut)
    base = 0xA0000
    env.ram.write(base, pattern(50, PAGE))
    hold = Event()
    u = env.submit(S2MM, base, PAGE, cache=UNCACHED, hold=hold)
    while u.release_cycle is None:
        await RisingEdge(dut.clk)
    assert env.maint.log == [], "uncached: no maintenance request"
    assert env.shadow[base] == 1, "uncached: the page is still hidden"
    rd = cocotb.start_soon(env.cache.read_uncached(base, 8))
    await ClockCycles(dut.clk, 100)
    assert not rd.done(), "uncached page: CPU access still stalls while hidden"
    hold.set()
    assert await rd == u.data[:8]
    for skip, addr in ((0, base + 2 * PAGE), (1, base + 4 * PAGE)):
        dut.test_skip_maint.value = skip
        env.ram.write(addr, pattern(51, 512))
        new = pattern(52, 512)
        env.cache.write_combine(addr, new)
        w = env.submit(MM2S, addr, 512, cache=WRCOMB)
        await env.wait_done([w])
        if skip:
            assert mismatches(new, w.moved) > 0, "negative control: WC data must be missing"
            env.cache.wc_flush(addr)
        else:
            assert w.moved == new
            assert [(o[0], o[1]) for o in env.maint.log] == [("WC_FLUSH", addr)]
    dut.test_skip_maint.value = 0
    await env.wait_done()
    await env.settle()
    env.check_final()



@cocotb.test()
async def test_wc_flush_one_line_and_whole_page(dut):
    """(7) WRCOMB with one line of write-combined bytes and with a whole page of them: one WC_FLUSH
    for the page, then the stream carries every combined byte (the rest is the old memory)."""
    env = await make_env(dut)
    for base, wc_off, wc_len in ((0xB0000, 8, 5), (0xB2000, 0, PAGE)):
        old = pattern(60, PAGE)
        env.ram.write(base, old)
        new = pattern(61, wc_len)
        env.cache.write_combine(base + wc_off, new)
        before = len(env.maint.log)
        w = env.submit(MM2S, base, PAGE, cache=WRCOMB)
        await env.wait_done([w])
        assert [(o[0], o[1]) for o in env.maint.log[before:]] == [("WC_FLUSH", base)], env.maint.log[before:]
        want = old[:wc_off] + new + old[wc_off + wc_len:]
        assert w.moved == want, f"{wc_len} write-combined bytes: {mismatches(want, w.moved)} bytes differ"
        assert not any(base <= a < base + PAGE for a in env.cache.wc_buffer), "WC bytes left unflushed"
    await env.wait_done()
    await env.settle()
    env.check_final()

# ====================================================================== (8) model comparison
@cocotb.test()
async def test_against_xmemdma64(dut):
    """(8) The hardware's sequence of hides, unhides and maintenance requests equals what
    pyddi_model's xmemdma64 predicts for the same descriptors (the CpuCache as its cache hook)."""
    from pyddi_model import XMEM_UNHIDE
    from pyddi_model.ddi import DDI
    from pyddi_model.machine import Machine

    env = await make_env(dut)
    rnd = env.rnd
    # MM2S buffers in pages 0..7 of region A, S2MM in pages 0..7 of region B: nested within a
    # direction (overlapping descriptors); separate regions tell which last unhides the device
    # wrote (test_nesting nests across directions)
    regions = {MM2S: 0xC0000, S2MM: 0xD0000}
    descs = []
    for _ in range(24):
        ch = rnd.choice((MM2S, S2MM))
        off = rnd.randrange(0, 6 * PAGE)
        length = rnd.randint(1, 2 * PAGE)
        descs.append(env.submit(ch, regions[ch] + off, length))
    await env.wait_done()
    await env.settle()

    machine = Machine(pagesize=PAGE, phys_bytes=MEM_SIZE * 4)
    model_cache = CpuCache(16384, 64, 4, writeback=lambda a, d: None)
    machine.cache_hook = model_cache
    ddi = DDI(machine)
    frames = list(range(regions[MM2S] // PAGE, regions[MM2S] // PAGE + 8)) + \
        list(range(regions[S2MM] // PAGE, regions[S2MM] // PAGE + 8))
    vaddr = machine.kas.mmap(len(frames) * PAGE, frames=frames)
    machine.pin_frames(frames)
    virt = {f * PAGE: vaddr + i * PAGE for i, f in enumerate(frames)}
    dp = ddi.xmem_kernel()

    # (a) each descriptor's hides and unhides are its pages, in order, as the driver would do
    hides = [t for t in env.trace if t[1] == "hide"]
    expect_hides = []
    order = sorted(descs, key=lambda c: c.release_cycle)
    for c in order:
        expect_hides += pages_of(c.addr, c.length)
    assert [t[2] for t in hides] == expect_hides, "hide sequence differs from the descriptors"
    # (b) replay in the model in the hardware's order; compare counts, hook calls, modified
    for _, op, page, count, _modified in env.trace:
        flags = XMEM_UNHIDE if op == "unhide" else 0
        real = ddi.xmemdma64(dp, virt[page], flags)
        assert real == page, f"xmemdma64 real address {real:#x} for page {page:#x}"
        model_count = machine.hide_count(page)
        assert model_count == count, f"{op} {page:#x}: model count {model_count}, hw {count}"
    model_first = [p for name, p, *_ in model_cache.ops if name == "flush_invalidate"]
    hw_maint = [(o[0], o[1]) for o in env.maint.log]
    assert [p for _, p in hw_maint] == model_first, "maintenance requests differ from the model's flushes"
    for op, page in hw_maint:
        assert op == "CLEAN_INVALIDATE", f"{op} for page {page:#x}: xmemdma64 flushes and invalidates"
    model_valid = [(p, m) for name, p, *m in model_cache.ops if name == "page_valid"]
    hw_last = [(t[2], t[4]) for t in env.trace if t[1] == "unhide" and t[3] == 0]
    assert [p for p, _ in model_valid] == [p for p, _ in hw_last], "last unhides differ"
    # modified: xmemdma64 sets it on every last unhide (conservative); the hardware reports only
    # pages the device wrote: equal on S2MM pages, hardware silent on MM2S pages
    for (p, m), (_, hw_mod) in zip(model_valid, hw_last, strict=True):
        assert m[0] is True
        assert hw_mod == (p >= regions[S2MM]), f"page {p:#x}: hw modified {hw_mod}"
    env.check_final()


# ====================================================================== (9) random traffic
@cocotb.test()
async def test_random_traffic(dut):
    """(9) Random CPU traffic to hidden and open pages while both channels run.

    Region R: MM2S sources; the CPU reads and writes (cached) -> each stream must equal the
    coherent CPU view when the command was released. Region W: S2MM targets; the CPU only reads
    (cached and uncached) -> at each status the CPU view equals what the device wrote, and at
    the end a cached read of all of W equals the last device data per byte.
    """
    env = await make_env(dut)
    rnd = env.rnd
    n_cmds = int(os.environ.get("HIDE_RANDOM_CMDS", "40"))
    region_r, region_w, npages = 0xE0000, 0xF0000, 6
    env.ram.write(region_r, pattern(60, npages * PAGE))
    env.ram.write(region_w, pattern(61, npages * PAGE))
    shadow_w = bytearray(pattern(61, npages * PAGE))
    stop = False

    async def cpu():
        while not stop:
            r = rnd.random()
            if r < 0.4:
                a = region_r + rnd.randrange(0, npages * PAGE - 16)
                data = pattern(rnd.getrandbits(32), rnd.randint(1, 16))
                for i, b in enumerate(data):
                    env.cpu_writes.setdefault(a + i, []).append((env.cycle, b))
                await env.cache.write(a, data)
            elif r < 0.7:
                a = region_r + rnd.randrange(0, npages * PAGE - 16)
                await env.cache.read(a, rnd.randint(1, 16))
            elif r < 0.9:
                a = region_w + rnd.randrange(0, npages * PAGE - 16)
                await env.cache.read(a, rnd.randint(1, 16))
            else:
                a = region_w + rnd.randrange(0, npages * PAGE - 16)
                await env.cache.read_uncached(a, 8)
            await ClockCycles(dut.clk, rnd.randint(0, 10))

    task = cocotb.start_soon(cpu())
    cmds = []
    for _ in range(n_cmds):
        ch = rnd.choice((MM2S, S2MM))
        region = region_r if ch == MM2S else region_w
        off = rnd.randrange(0, (npages - 2) * PAGE)
        length = rnd.randint(1, 2 * PAGE)
        cmds.append(env.submit(ch, region + off, length))
        await ClockCycles(dut.clk, rnd.randint(0, 60))
    await env.wait_done(timeout=2_000_000)
    stop = True
    await task
    await env.settle()
    for c in cmds:
        if c.ch == MM2S:
            # exactly the CPU's view at release: from its first hide until its last unhide a page
            # has no valid line in the cache and no fill or store passes the gate, so nothing the
            # CPU does can change what the device reads (xmemdma64: the page is invalid)
            bad = [i for i, (got, snap) in enumerate(zip(c.moved, c.snapshot, strict=True)) if got != snap]
            if bad:
                i = bad[0]
                stores = env.cpu_writes.get(c.addr + i, [])
                raise AssertionError(
                    f"MM2S {c.addr:#x}+{c.length} released at {c.release_cycle}: {len(bad)} bytes differ, "
                    f"byte {i} {c.moved[i]:#x}, CPU view {c.snapshot[i]:#x}; CPU stores there {stores}")
        else:
            assert c.stale == 0, f"S2MM {c.addr:#x}+{c.length}: CPU view stale at status"
    for c in sorted((c for c in cmds if c.ch == S2MM), key=lambda c: c.move_cycle):
        off = c.addr - region_w
        shadow_w[off:off + c.length] = c.data
    final = await env.cache.read(region_w, npages * PAGE)
    assert mismatches(bytes(shadow_w), final) == 0, "final CPU view of the S2MM region is stale"
    assert int(dut.cnt_cpu_stall.value) > 0, "the CPU never met a hidden page: weak test"
    env.check_final()
    await Timer(1, "ns")
