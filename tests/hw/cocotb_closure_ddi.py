"""DDI-driven closure tests (tb/env/ddi.py, the whole driver flow with beat checks): binds of three
and of four or more windows, which the quick DDI scenarios never make (coverpoint ddi.windows_per_bind;
docs/coverage.md, Analysis).

  - test_windows_per_bind: a driver whose ddi_dma_attr allows one cookie per window (sgllen 1, a legal
    attr: stricter than the hardware's SGL_MAX) binds a buffer of 3 and of 5 scattered pages
    (contiguity 0; page-aligned, so every window is whole 512-byte disk blocks) with DDI_DMA_PARTIAL:
    the DDI model gives one window per page (ddi_dma_numwin 3 and 5), each window one descriptor; the
    disk write and the read back move every byte (scoreboards, read-back compare, guards:
    tb/env/ddi.DdiEnv.final_checks).
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
