"""DDI-driven closure tests (tb/env/ddi.py, the whole driver flow with beat checks): binds of three
and of four or more windows, which the quick DDI scenarios never make (coverpoint ddi.windows_per_bind),
and an SGL_OVER refusal in a later window (docs/coverage.md, Analysis).

  - test_windows_per_bind: a driver whose ddi_dma_attr allows one cookie per window (sgllen 1, a legal
    attr: stricter than the hardware's SGL_MAX) binds a buffer of 3 and of 5 scattered pages
    (contiguity 0; page-aligned, so every window is whole 512-byte disk blocks) with DDI_DMA_PARTIAL:
    the DDI model gives one window per page (ddi_dma_numwin 3 and 5), each window one descriptor; the
    disk write and the read back move every byte (scoreboards, read-back compare, guards:
    tb/env/ddi.DdiEnv.final_checks);
  - test_sgl_over_in_later_window: an SGL_OVER refusal in the second window only (coverpoint
    ddi.refusal_code_x_window SGL_OVER x later), the first window's data moved.
"""
from __future__ import annotations

import cocotb

from tb.ddi_driver import attr_from_caps
from tb.env.ddi import make_ddi_env

PAGE = 4096


@cocotb.test()
async def test_windows_per_bind(dut):
    """One cookie per window over 3 and 5 scattered pages: 3 and 5 windows, every byte moved."""
    env = await make_ddi_env(dut, cocotb.RANDOM_SEED, contiguity=0.0)
    attr = attr_from_caps(env.caps, sgllen=1)
    blk = 0
    for pages in (3, 5):
        n = pages * PAGE      # page-aligned: each one-page window is whole 512-byte disk blocks
        w, r = await env.write_then_read(n, 0, 0, blk, attr=attr)
        for req in (w, r):
            assert req.nwin == pages, f"{pages} pages with sgllen 1: {req.nwin} windows"
            assert all(len(win.cookies) == 1 for win in req.windows), [len(x.cookies) for x in req.windows]
        blk += n // 512 + 1
    env.report()


@cocotb.test()
async def test_sgl_over_in_later_window(dut):
    """A driver attr with sgllen SGL_MAX+1 (wrong: the hardware takes SGL_MAX descriptors per packet) and
    maxxfer SGL_MAX+1 pages: window 0 is one cookie (SGL_MAX+1 contiguous pages, the byte limit closes
    it) and moves its data; window 1, SGL_MAX+1 scattered pages, is one packet of SGL_MAX+1 descriptors,
    refused with SGL_OVER (no data beat, the channel halts; tb/env/ddi.run_window_refused). Every
    window but the last holds sgllen cookies unless another limit closes it first (pyddi_model/cookies.py,
    section 4): here the byte limit, so that the refusal falls in a later window only."""
    env = await make_ddi_env(dut, cocotb.RANDOM_SEED)
    caps = env.caps
    n = caps.sgl_max + 1
    attr = attr_from_caps(caps, sgllen=n, maxxfer=n * PAGE)
    frames = env.free_run(n, 0x0400_0000, PAGE)
    frames += [env.free_run(1, 0x0500_0000 + i * 2 * PAGE, PAGE)[0] for i in range(n)]
    req = env.disk_write(2 * n * PAGE, off=0, blkno=0, attr=attr, frames=frames)
    assert req.nwin == 2 and [len(req.window(w).cookies) for w in range(2)] == [1, n], \
        (req.nwin, [req.window(w).cookies for w in range(req.nwin)])
    await env.run_window(req, 0)
    errdesc = await env.run_window_refused(req, 1, "SGL_OVER")
    env.log.info("SGL_OVER refused in window 1 at descriptor %#x", errdesc)
    env.finish(req)
    env.report()
