"""DDI-driven sgdma tests: every transfer goes user buffer -> ddi_umem_lock -> iosetup -> bind -> windows
-> descriptors -> tail -> interrupt -> status -> sync -> unbind -> freerbuf -> unlock (tb/env/ddi.py).

Parameters come from the launcher in SGDMA_PARAMS (JSON); the seed is cocotb's (COCOTB_RANDOM_SEED,
printed first by every test). Each test builds its own environment (nothing shared between tests).
Beat checks (tb/scoreboard.py) and the protocol checkers (tb/hdl/harness/sgdma_tb.v) run in every test.
The DUT adapter is chosen by DUT_ADAPTER (tb/env/ddi.make_ddi_env); the tests name no register.
DDI_ILLUMOS=1 runs the DDI model with illumos's semantics where they differ from the man pages (its
cookies, its copy-buffer rule), so illumos cookies meet the hardware too.
"""

from __future__ import annotations

import json
import os

import cocotb
import pytest
from cocotb.triggers import ClockCycles

from pyddi_model.machine import DriverBugError
from tb.axi_memory import GuardError
from tb.ddi_driver import MM2S, S2MM, IoRequest, attr_from_caps
from tb.env.base import WatchdogError
from tb.env.ddi import CheckError, make_ddi_env
from tb.scoreboard import ScoreboardError

PARAMS = json.loads(os.environ.get("SGDMA_PARAMS", "{}"))
SGL_MAX = PARAMS.get("SGL_MAX", 16)
AW = PARAMS.get("ADDR_WIDTH", 64)
LEN_WIDTH = PARAMS.get("LEN_WIDTH", 24)
SEG_LOG2 = PARAMS.get("SEG_LOG2", 32)
ALIGN_LOG2 = PARAMS.get("ALIGN_LOG2", 0)
PAGE = 4096
ILLUMOS = os.environ.get("DDI_ILLUMOS", "0") == "1"
FAST = os.environ.get("COCOTB_TOPLEVEL") == "sgdma_fast_tb"   # HDL agents (tb/env/ddi_fast.py)


async def make_env(dut, **kw):
    return await make_ddi_env(dut, cocotb.RANDOM_SEED, illumos=ILLUMOS, **kw)


@cocotb.test()
async def test_one_cookie(dut):
    """One cookie each way (inside one page): lock, bind MAPPED, one descriptor, one interrupt."""
    env = await make_env(dut)
    w, r = await env.write_then_read(1000, 0x40, 0x100, 3)
    assert [len(x.windows[0].cookies) for x in (w, r)] == [1, 1]
    env.report()


@cocotb.test()
async def test_scattered_pages(dut):
    """Many scattered pages (contiguity 0), partial windows of sgllen cookies, backpressure everywhere."""
    env = await make_env(dut, contiguity=0.0, backpressure=0.3, latency=4)
    n = (SGL_MAX + 3) * PAGE
    w, r = await env.write_then_read(n, 0, 0, 16)
    assert w.nwin >= 2 and w.cookie_total() > SGL_MAX, (w.nwin, w.cookie_total())
    env.report()


@cocotb.test()
async def test_unaligned_odd_lengths(dut):
    """Unaligned starts and odd lengths, straddling 4 KiB pages; random offsets from the seed."""
    env = await make_env(dut, contiguity=0.5, backpressure=0.2)
    blk = await env.random_round_trips(4, 3 * PAGE)
    for off in (PAGE - 1, PAGE - 7):  # 4 KiB straddles: a few bytes each side of a page boundary
        await env.write_then_read(9, off, PAGE - 3, blk)
        blk += 1
    env.report()


@cocotb.test()
async def test_partial_granular(dut):
    """granular 512: windows are trimmed to whole blocks (sgllen below the cookie count)."""
    env = await make_env(dut, contiguity=0.0, granular=512)
    n = (SGL_MAX + 5) * PAGE
    w, r = await env.write_then_read(n, 0x234, 0x10, 40)
    for req in (w, r):
        assert req.nwin >= 2
        for win in req.windows:
            assert win.length % 512 == 0 or win.index == req.nwin - 1, (win.index, win.length)
            assert len(win.cookies) <= SGL_MAX
        assert sum(win.length for win in req.windows) == n
    env.report()


@cocotb.test()
async def test_full_duplex(dut):
    """A disk write and a disk read at the same time (both channels, randomised backpressure): their
    data bursts interleave (tests/hw/cocotb_ddi_duplex.py has the negative controls)."""
    env = await make_env(dut, contiguity=0.2, backpressure=0.25)
    n = 6 * PAGE + 123
    w = env.disk_write(n, off=0x321, blkno=100)
    pre = env.disk_write(n, off=0, blkno=300)
    await env.run(pre)  # blocks 300.. hold known data for the read
    r = env.disk_read(n, off=0x10, blkno=300)
    await env.run_together(w, r)
    env.log.info("data bursts of the two requests change owner %d times", env.check_overlapped(w, r))
    assert r.user_bytes(0, n) == pre.user_bytes(0, n)
    env.report()


@cocotb.test()
async def test_irq_coalescing(dut):
    """Packets of 2 cookies, IRQ_THRESHOLD 3 and an idle timeout: fewer interrupts than packets."""
    # the idle timeout is longer than one packet's transfer, so only the tail of a window uses it
    env = await make_env(dut, contiguity=0.0, irq_threshold=3, irq_delay=6000)
    env.packet_cookies = 2
    n = 14 * PAGE
    req = env.disk_write(n, off=0, blkno=8)
    await env.run(req)
    want = sum(len(w.packets) // 3 + (1 if len(w.packets) % 3 else 0) for w in req.windows)
    assert env.stats.packets >= 7
    assert env.stats.interrupts == want, (
        f"{env.stats.interrupts} interrupts for {env.stats.packets} packets, "
        f"expected {want} (threshold 3, then the idle timeout)"
    )
    env.report()


@cocotb.test(skip=SGL_MAX < 16)  # reason: needs the large-SGL configuration (its length grows with SGL_MAX)
async def test_long_random_chain(dut):
    """A long random sequence of transfers (sizes, offsets, directions) from the seed."""
    env = await make_env(dut, contiguity=0.3, backpressure=0.15)
    await env.random_round_trips(6, 24 * PAGE)
    env.report()


# ---------------------------------------------------------------------------------------------
# limits (configuration with small limits: LEN_WIDTH 13, SEG_LOG2 13, SGL_MAX 4, ADDR_WIDTH 32)
# ---------------------------------------------------------------------------------------------
@cocotb.test(skip=LEN_WIDTH > 16)  # reason: needs the small-limits configuration
async def test_limits(dut):
    """Every attr field: a transfer exactly at the limit works; one past it, forced through a
    deliberately wrong attr, is refused by the hardware with its error code and no stray write."""
    env = await make_env(dut)
    caps = env.caps
    max_len = caps.max_length
    seg = 1 << caps.seg_log2
    base = 0x1000_0000
    span = max(seg, 2 * PAGE)
    # count_max: one cookie of exactly 2**LEN_WIDTH-1 bytes works; count_max one larger is refused
    npg = (max_len + PAGE) // PAGE
    req = await env.limit_case(env.attr, max_len, 0, env.free_run(npg, base, span))
    assert [s for _, s in req.windows[0].cookies] == [max_len], req.windows[0].cookies
    await env.limit_case(
        attr_from_caps(caps, count_max=max_len),
        max_len + 1,
        0,
        env.free_run((max_len + 1 + PAGE - 1) // PAGE, base, span),
        "LEN_RANGE",
    )
    # seg: 200 bytes across a 2**SEG_LOG2 line are split there (2 cookies, works); seg too large: refused
    frames = env.free_run(2, base + seg - PAGE, 2 * seg)  # frames[1] starts on an odd seg line
    req = await env.limit_case(env.attr, 200, PAGE - 100, frames)
    assert len(req.windows[0].cookies) == 2, req.windows[0].cookies
    frames = env.free_run(2, base + seg - PAGE, 2 * seg)
    await env.limit_case(attr_from_caps(caps, seg=2 * seg - 1), 200, PAGE - 100, frames, "SEG_CROSS")
    # sgllen: SGL_MAX separate pages in one packet work; sgllen = SGL_MAX+1 is refused (SGL_OVER)
    spread = [env.free_run(1, base + 0x100_0000 + i * 2 * PAGE, PAGE)[0] for i in range(caps.sgl_max + 1)]
    req = await env.limit_case(env.attr, caps.sgl_max * PAGE, 0, spread[: caps.sgl_max])
    assert len(req.windows[0].cookies) == caps.sgl_max
    spread = [env.free_run(1, base + 0x200_0000 + i * 2 * PAGE, PAGE)[0] for i in range(caps.sgl_max + 1)]
    await env.limit_case(
        attr_from_caps(caps, sgllen=caps.sgl_max + 1),
        (caps.sgl_max + 1) * PAGE,
        0,
        spread,
        "SGL_OVER",
    )
    # addr_hi: the last page below 2**ADDR_WIDTH works; addr_hi too high (a frame above it) is refused
    if caps.addr_width < 36:
        top = env.free_run(1, (1 << caps.addr_width) - PAGE, -PAGE)
        req = await env.limit_case(env.attr, PAGE, 0, top)
        if ILLUMOS:
            # illumos compares a page's exclusive end with the inclusive addr_hi (rootnex): the last
            # page below 2**ADDR_WIDTH is bounced through a copy buffer, which the device reaches
            assert req.bounced == 1, req.bounced
            (addr, size), = req.windows[0].cookies
            assert size == PAGE and addr + size <= 1 << caps.addr_width, req.windows[0].cookies
        else:
            assert req.windows[0].cookies == [((1 << caps.addr_width) - PAGE, PAGE)]
        above = env.free_run(1, 1 << caps.addr_width, PAGE)
        await env.limit_case(attr_from_caps(caps, addr_hi=(1 << 36) - 1), 512, 0, above, "ADDR_RANGE")
    env.report()


@cocotb.test(skip=AW != 32)  # reason: copy buffers need a 32-bit device and frames above 4 GiB
async def test_copy_buffers(dut):
    """User frames above 4 GiB with a 32-bit device: the model bounces them through copy buffers, the
    hardware only ever sees addresses below 4 GiB, and the data still round-trips."""
    env = await make_env(dut, contiguity=0.3)
    n = 6 * PAGE + 77
    w, r = await env.write_then_read(n, 0x55, 0x99, 7, lo=1 << 32)
    for req in (w, r):
        assert req.bounced > 0, "no page was bounced"
        for win in req.windows:
            assert all(a + s <= 1 << 32 for a, s in win.cookies), win.cookies
    env.report()


# ---------------------------------------------------------------------------------------------
# negative controls: the checks fire
# ---------------------------------------------------------------------------------------------
@cocotb.test(expect_error=ScoreboardError)
async def test_negative_wrong_read_data(dut):
    """A byte of the source changed behind the scoreboard's back: the R beat check must fire."""
    env = await make_env(dut)
    req = env.disk_write(3 * PAGE, off=0, blkno=1)
    orig = env._window_scoreboard

    def corrupt_after_expectation(r: IoRequest, win):
        orig(r, win)
        addr, _size = win.cookies[-1]
        env.machine.write_phys(addr + 5, bytes([env.machine.read_phys(addr + 5, 1)[0] ^ 0x01]))

    env._window_scoreboard = corrupt_after_expectation
    await env.run(req)


@cocotb.test(expect_error=GuardError)
async def test_negative_guard(dut):
    """A byte next to a cookie changes (as a stray write would): the dmatest guard check fires."""
    env = await make_env(dut, contiguity=0.0)
    req = env.disk_read(3 * PAGE, off=0, blkno=1)
    assert req.guards.regions, "no guard was placed"
    g = req.guards.regions[0]
    env.machine.write_phys(g.addr, bytes([int(g.expected[0]) ^ 0x40]))
    await env.run(req)


@cocotb.test(expect_error=CheckError)
async def test_negative_stray_write(dut):
    """The last cookie of a disk read is withheld from the allowed ranges: its writes are stray."""
    env = await make_env(dut)
    req = env.disk_read(2 * PAGE + 100, off=0, blkno=1)
    orig = env._allow

    def allow_less(ch, ranges):
        orig(
            ch,
            [r for r in ranges if not r[2].endswith(f"cookie {len(req.windows[-1].cookies) - 1}")]
            if ch == S2MM and ranges
            else ranges,
        )

    env._allow = allow_less
    await env.run(req)
    env.final_checks()


@cocotb.test(expect_error=ScoreboardError)
async def test_negative_refusal_expected(dut):
    """A legal transfer presented as one the hardware must refuse: the "no data beat" check fires."""
    env = await make_env(dut)
    req = env.disk_write(PAGE, off=0, blkno=1)
    await env.run_window_refused(req, 0, "SGL_OVER")


LEAK = r"driver bug: ddi_umem_cookie_t #\d+ \(locked 8192 bytes.* still locked after exit"


@cocotb.test(expect_error=(pytest.RaisesExc(DriverBugError, match=LEAK),))
async def test_negative_leaked_lock(dut):
    """A driver that forgets ddi_umem_unlock: the data checks pass, and the process's exit in the
    final checks (DdiEnv.check_driver_exit) reports the leaked cookie."""
    env = await make_env(dut)
    req = env.disk_write(2 * PAGE, off=0, blkno=1)
    for w in range(req.nwin):
        await env.run_window(req, w)
    req.finish(forget="unlock")
    env.check_buffer(req)
    env.report()


@cocotb.test(expect_error=(pytest.RaisesExc(CheckError, match=r"1 pages still hidden by xmemdma64"),))
async def test_negative_leaked_hide(dut):
    """A driver that hides a page of its buffer (xmemdma64) and never unhides it: the final checks
    name the page."""
    from pyddi_model import DDI_UMEMLOCK_READ, XMEM_FAIL, XMEM_HIDE

    env = await make_env(dut)
    req = env.disk_write(PAGE, off=0, blkno=1)
    await env.run(req)
    rc, _cookie = env.ddi.ddi_umem_lock(req.va, PAGE, DDI_UMEMLOCK_READ)     # xmemdma64 needs it pinned
    dp = env.ddi.xmem_attach(req.va, PAGE)
    assert rc == 0 and env.ddi.xmemdma64(dp, 0, XMEM_HIDE) != XMEM_FAIL
    env.report()


@cocotb.test()
async def test_direction_names(dut):
    """Disk write is MM2S with UMEMLOCK_READ/B_WRITE/DDI_DMA_WRITE; disk read is S2MM (flags as bound)."""
    from pyddi_model import B_READ, B_WRITE, DDI_DMA_READ, DDI_DMA_WRITE

    env = await make_env(dut)
    w = env.disk_write(100, blkno=2)
    r = env.disk_read(100, blkno=2)
    assert w.direction == MM2S and w.bp.b_flags & B_WRITE and w.handle.flags & DDI_DMA_WRITE
    assert r.direction == S2MM and r.bp.b_flags & B_READ and r.handle.flags & DDI_DMA_READ
    await env.run(w)
    await env.run(r)
    env.report()


@cocotb.test(skip=SGL_MAX > 8)  # reason: repro for the small-SGL configuration
async def test_sgl_over_appended(dut):
    """A packet of SGL_MAX descriptors completes, then a packet of SGL_MAX+1 descriptors is appended by
    a TAILDESC write (channel running and idle): refused (SGL_OVER) before any data moves; only the
    refused descriptor's STATUS is written."""
    env = await make_env(dut)
    caps = env.caps
    ok = [env.free_run(1, 0x1100_0000 + i * 2 * PAGE, PAGE)[0] for i in range(caps.sgl_max)]
    await env.limit_case(env.attr, caps.sgl_max * PAGE, 0, ok)
    bad = [env.free_run(1, 0x1200_0000 + i * 2 * PAGE, PAGE)[0] for i in range(caps.sgl_max + 1)]
    req = env.disk_write(
        (caps.sgl_max + 1) * PAGE,
        off=0,
        blkno=0,
        attr=attr_from_caps(caps, sgllen=caps.sgl_max + 1),
        frames=bad,
    )
    ring = env.rings[MM2S]
    win = req.window(0)
    descs = req.build_packets(win, ring, caps.sgl_max + 1)
    for slot, d in descs:
        env.log.info(
            "slot %d at %#x: addr %#x len %d sof %d eof %d next %#x",
            slot,
            ring.paddr(slot),
            d.addr,
            d.length,
            d.sof,
            d.eof,
            d.next,
        )
    env._install_read_sb(env._idle_read_sb())
    env._allow(MM2S, env._status_ranges(MM2S, [s for s, _ in descs]))
    n_bursts = len(env.mem.bursts)
    await env._hand_over(MM2S, [s for s, _ in descs], 1)
    await ClockCycles(dut.clk, 400)
    await env.settle_beats()  # the fast transport reads its trace and memory back now
    st = await env.hw.status(MM2S)
    data_ars = [b for b in env.mem.bursts[n_bursts:] if b.channel == "AR" and b.id == 0]
    env.log.info("status %s; data bursts after the tail write: %s", st, data_ars[:3])
    sgl_over = env.hw.error_code("SGL_OVER")
    assert not data_ars and st.error == sgl_over, (st, data_ars[:3])
    ring.sync_for_cpu()
    sts = [ring.status(s) for s, _ in descs]
    assert sts[-1].complete and sts[-1].error == sgl_over, sts[-1]
    assert not any(st.complete for st in sts[:-1]), sts


@cocotb.test(skip=LEN_WIDTH > 16 or AW != 32)  # reason: needs the small-limits configuration
async def test_refusal_by_window(dut):
    """A wrong attr whose violation falls in the first of two windows, or only in the second: the
    windows before it move their data, the refused window moves none and halts the channel with its
    code (run_window_refused), and the channel, soft-reset, runs the windows after it (LEN_RANGE,
    SEG_CROSS, ADDR_RANGE; SGL_OVER in the first)."""
    env = await make_env(dut)
    caps = env.caps
    seg = 1 << caps.seg_log2
    base = [0x0400_0000]

    def scattered(n):                         # n frames, none adjacent to another: one cookie each
        frames = [env.free_run(1, base[0] + i * 2 * PAGE, PAGE)[0] for i in range(n)]
        base[0] += 0x10_0000
        return frames

    def pair(offset):                         # two adjacent frames starting `offset` past a seg line
        frames = env.free_run(2, base[0] + offset, seg)
        base[0] += 0x10_0000
        return frames

    above = 1 << caps.addr_width              # frames above 2**ADDR_WIDTH: forced through a wrong addr_hi
    cases = [
        # (error, wrong attr, frames with the violation in window 0, frames with it in window 1 only)
        ("LEN_RANGE", attr_from_caps(caps, count_max=caps.max_length),        # an 8 KiB cookie
         lambda: pair(0) + scattered(caps.sgl_max), lambda: scattered(caps.sgl_max) + pair(0)),
        ("SEG_CROSS", attr_from_caps(caps, seg=2 * seg - 1),                  # a cookie across a seg line
         lambda: pair(seg - PAGE) + scattered(caps.sgl_max - 1),
         lambda: scattered(caps.sgl_max) + pair(seg - PAGE)),
        ("ADDR_RANGE", attr_from_caps(caps, addr_hi=(1 << 36) - 1),
         lambda: env.free_run(1, above, PAGE) + scattered(caps.sgl_max),
         lambda: scattered(caps.sgl_max) + env.free_run(1, above + 0x10_0000, PAGE)),
        ("SGL_OVER", attr_from_caps(caps, sgllen=caps.sgl_max + 1),
         lambda: scattered(caps.sgl_max + 2), None),
    ]
    for error, attr, first, later in cases:
        for bad_w, make_frames in ((0, first), (1, later)):
            if make_frames is None:
                continue
            frames = make_frames()
            req = env.disk_write(len(frames) * PAGE, off=0, blkno=0, attr=attr, frames=frames)
            assert req.nwin == 2, f"{error}: {req.nwin} windows, the case needs 2"
            for w in range(req.nwin):
                if w == bad_w:
                    errdesc = await env.run_window_refused(req, w, error)
                    env.log.info("%s refused in window %d at descriptor %#x", error, w, errdesc)
                else:
                    await env.run_window(req, w)
            env.finish(req)
    env.report()


@cocotb.test(skip=ALIGN_LOG2 == 0)  # reason: needs hardware with ALIGN_LOG2 > 0 (test_ddi_misalign)
async def test_misalign_refusal(dut):
    """Hardware that needs aligned buffers (ALIGN_LOG2 2) under the driver's own attr: a buf bind
    ignores dma_attr_align (tb/limits.py, ddi_dma_attr(9S)), so a user buffer at an odd offset gives
    unaligned cookies: one window refused with MISALIGN; two windows (cut on 512-byte blocks, so both
    start unaligned) each refused, the channel soft-reset after each; an aligned buffer then moves."""
    env = await make_env(dut)
    caps = env.caps
    align = 1 << caps.align_log2
    base = [0x0400_0000]

    def scattered(n):
        frames = [env.free_run(1, base[0] + i * 2 * PAGE, PAGE)[0] for i in range(n)]
        base[0] += 0x10_0000
        return frames

    # (offset into the first page, frames, windows expected, windows refused)
    cases = [(2, scattered(1), 1, {0}),
             (2, scattered(caps.sgl_max + 1), 2, {0, 1}),
             (0, scattered(2), 1, set())]
    for off, frames, nwin, refused in cases:
        req = env.disk_write(len(frames) * PAGE - off, off=off, blkno=0, frames=frames)
        assert req.nwin == nwin, f"{req.nwin} windows, the case needs {nwin}"
        for w in range(req.nwin):
            if w in refused:
                await env.run_window_refused(req, w, "MISALIGN")
            else:
                await env.run_window(req, w)
            cookies = req.windows[-1].cookies
            assert any(a % align for a, _ in cookies) == (w in refused), f"window {w}: cookies {cookies}"
        env.finish(req)
    env.report()


@cocotb.test(skip=ALIGN_LOG2 == 0)  # reason: needs hardware with ALIGN_LOG2 > 0 (test_ddi_misalign)
async def test_aligned_run_longer_than_count_max(dut):
    """An aligned, physically contiguous buffer longer than one cookie: the DDI splits it every
    count_max + 1 bytes, so the driver's count_max + 1 must be a multiple of dma_attr_align or the
    second cookie starts misaligned and the hardware refuses it (MISALIGN)."""
    env = await make_env(dut, contiguity=1.0)
    align = 1 << env.caps.align_log2
    n = env.caps.max_length + 3 * PAGE
    frames = env.free_run(-(-n // PAGE), 1 << 30, 1 << 20)
    req = env.disk_write(n, off=0, blkno=0, frames=frames)
    await env.run(req)                  # a misaligned cookie: the window fails with MISALIGN
    cookies = [c for w in req.windows for c in w.cookies]
    assert len(cookies) > 1 and all(a % align == 0 for a, _ in cookies), cookies
    env.report()


@cocotb.test(skip=FAST)  # reason: stops a cocotbext-axi channel; the HDL memory has no such switch
async def test_watchdog_names_the_hang(dut):
    """Negative control of the watchdog: the memory's R channel stops (a hung interconnect), so the
    window never completes; the wait fails within its budget, naming the window and the channel's
    state, instead of running until the simulation's end."""
    env = await make_env(dut)
    req = env.disk_write(4 * PAGE, off=0, blkno=1)
    budget = env.budget(req.length, 4)
    env.mem.channels()["r"].pause = True
    start = env.cycle
    try:
        await env.run(req)
    except WatchdogError as exc:
        msg = str(exc)
    else:
        raise AssertionError("a hung channel completed its window")
    waited = env.cycle - start
    env.log.info("watchdog after %d cycles (budget %d): %s", waited, budget, msg)
    assert "MM2S: window 0" in msg, msg
    assert msg.endswith("; " + await env.hw.describe("MM2S")), f"no channel state in: {msg}"  # hung: stable
    assert waited <= budget + 2500, f"the watchdog took {waited} cycles for a budget of {budget}"
