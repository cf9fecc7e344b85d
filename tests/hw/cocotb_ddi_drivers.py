"""More of what real drivers do, through the DDI flow (tb/env/ddi.py), on the HIGH configuration of
tests/hw/test_ddi_drivers.py (48 address bits, SGL_MAX 4): a machine with 2 TiB of physical memory,
so user pages and cookies carry address bit 40 and up; a descriptor ring smaller than a request's
descriptors, recycled window after window and request after request; the tail moved packet by
packet while the channel is busy; several bufs outstanding on one ddi_umem_lock cookie.
"""
from __future__ import annotations

import cocotb

from pyddi_model import DDI_UMEMLOCK_READ
from tb.ddi_driver import user_buffer
from tb.env.ddi import make_ddi_env
from tb.env.ddi_tail import make_tail_env

PAGE = 4096
TB = 1 << 40


async def make_env(dut, **kw):
    return await make_ddi_env(dut, cocotb.RANDOM_SEED, phys_bytes=2 * TB, **kw)


@cocotb.test()
async def test_addresses_above_2_40(dut):
    """User pages above 2**40: every cookie, and every data AR/AW burst of the window, has address bit
    40 set; the data round-trips (disk write, then read back into another buffer above 2**40)."""
    env = await make_env(dut, contiguity=0.2)
    n = 5 * PAGE + 123
    start_ns = env.now_ns()
    w, r = await env.write_then_read(n, 0x77, 0x21, 4, lo=TB)
    for req in (w, r):
        assert req.bounced == 0, "a 48-bit device needs no copy buffer"
        cookies = [c for win in req.windows for c in win.cookies]
        assert all(a >= TB for a, _ in cookies), [hex(a) for a, _ in cookies]
    for ch in ("AR", "AW"):
        high = [b for b in env.bursts(ch, start_ns) if b.addr >= TB and b.nbytes > 32]
        assert high, f"no data {ch} burst above 2**40"
    env.report()


@cocotb.test()
async def test_ring_wrap(dut):
    """A ring of 6 slots, requests of 8 single-page cookies (2 windows of 4 descriptors): the slots
    wrap inside windows and over requests, both ways; a recycled slot is rewritten (STATUS cleared)
    before the engine meets it again, else it would be refused as STALE."""
    env = await make_env(dut, contiguity=0.0, ring_slots=6)
    blk = 0
    wrapped = 0
    for _ in range(2):
        w, r = await env.write_then_read(8 * PAGE, 0, 0, blk)
        blk += 8 * PAGE // 512
        for req in (w, r):
            assert req.nwin >= 2, req.nwin
            slots = [s for pk in req.packets for s in pk.slots]
            wrapped += sum(1 for a, b in zip(slots, slots[1:], strict=False) if b < a)
    assert env.stats.descriptors >= 4 * 6, env.stats.descriptors
    assert wrapped >= 4, f"the ring wrapped {wrapped} times"
    env.report()


@cocotb.test()
async def test_tail_extension_while_busy(dut):
    """The driver queues each window packet by packet (tb/env/ddi_tail.py): TAILDESC moves while the
    channel is still busy with the packets before, both ways, over windows and a wrapping ring; every
    beat, STATUS and byte checked as usual, one interrupt per window."""
    env = await make_tail_env(dut, cocotb.RANDOM_SEED, phys_bytes=2 * TB, contiguity=0.0, ring_slots=6,
                              backpressure=0.3)
    env.packet_cookies = 1
    await env.write_then_read(8 * PAGE, 0, 0, 0)
    env.log.info("%d tail moves, %d while the channel was busy", env.tail_moves, env.busy_extensions)
    assert env.tail_moves >= 16, env.tail_moves
    assert env.busy_extensions >= 8, f"only {env.busy_extensions} of {env.tail_moves} tail moves while busy"
    assert env.stats.interrupts == env.stats.windows, (env.stats.interrupts, env.stats.windows)
    env.report()


@cocotb.test()
async def test_several_bufs_on_one_lock(dut):
    """One ddi_umem_lock over 9 pages and three bufs set up on its cookie (ddi_umem_iosetup at pages
    0, 3 and 6), all bound before any of them runs: each disk write moves its own part (every beat
    and the disk checked); the pages stay locked while any buf is outstanding and after the last
    one until the lock's owner unlocks; then nothing is locked, pinned or bound."""
    env = await make_env(dut, contiguity=0.0)
    ddi, proc = env.ddi, env.ddi.curproc
    va, npages = user_buffer(ddi, 9 * PAGE)
    rc, cookie = ddi.ddi_umem_lock(va, npages * PAGE, DDI_UMEMLOCK_READ)
    assert rc == 0, rc
    locked = proc.locked_bytes
    reqs = [env.disk_write(2 * PAGE + 300, off=0x100, blkno=64 * i, locked=(cookie, va + 3 * i * PAGE, 3))
            for i in range(3)]
    assert all(r.handle.bound for r in reqs), "the bufs are not outstanding together"
    for r in reqs:
        await env.run(r)
        assert not r.leaks(), r.leaks()
        assert cookie.live and proc.locked_bytes == locked, "a buf's completion unlocked the shared pages"
    ddi.ddi_umem_unlock(cookie)
    paddrs = proc.as_.page_paddrs(va, npages).tolist()
    assert proc.locked_bytes == locked - npages * PAGE and not any(env.machine.is_pinned(p) for p in paddrs)
    env.report()
