"""More of what real drivers do, through the DDI flow (tb/env/ddi.py), on the HIGH configuration of
tests/hw/test_ddi_drivers.py (48 address bits, SGL_MAX 4): a machine with 2 TiB of physical memory,
so user pages and cookies carry address bit 40 and up; a descriptor ring smaller than a request's
descriptors, recycled window after window and request after request.
"""
from __future__ import annotations

import cocotb

from tb.env.ddi import make_ddi_env

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
