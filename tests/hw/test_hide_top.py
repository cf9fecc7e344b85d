"""Hide unit through the whole controller: tests/hw/cocotb_hide_top.py on Icarus and Verilator.

One build per simulator: tb/hdl/harness/sgdma_tb.v (sgdma + protocol checkers, the CPU gate's memory side
included) with HIDE_ENTRIES = 4 (small, so that table-full and the per-descriptor page limit are
reached with a few pages) and the define SGDMA_TEST_HOOKS (the test-only skip-maintenance variable
for the negative controls). Long random runs are behind @pytest.mark.slow.
"""
from __future__ import annotations

import json

import pytest

from tb.sim_runner import run, sgdma_tb_sources

SOURCES = sgdma_tb_sources()
PARAMS = {
    "DATA_WIDTH": 64, "ADDR_WIDTH": 32, "ID_WIDTH": 4, "LEN_WIDTH": 16, "MAX_BURST_LEN": 16,
    "MAX_OUTSTANDING": 4, "SGL_MAX": 4, "SEG_LOG2": 32, "ALIGN_LOG2": 0, "DATA_FIFO_DEPTH": 64,
    "HIDE_ENTRIES": 4,
}
DEFINES = {"SGDMA_TEST_HOOKS": 1}


def _run(sim: str, testcase: str | None = None, seed: int = 4321, extra: dict | None = None):
    run("sgdma_tb", "cocotb_hide_top", sim=sim, parameters=PARAMS, defines=DEFINES, testcase=testcase,
        seed=seed, sources=SOURCES, extra_env={"SGDMA_PARAMS": json.dumps(PARAMS), **(extra or {})})


def test_hide_top(sim):
    """Issue 4 tests (1)-(9) and the page limit through sgdma (cocotb_hide_top.py docstrings)."""
    _run(sim)


@pytest.mark.slow
def test_hide_top_random_long(sim, seed):
    """Long random CPU traffic with both channels (test 9); `--seeds N` runs N seeds."""
    _run(sim, testcase="test_random_traffic", seed=seed, extra={"HIDE_TOP_RANDOM_JOBS": "60"})


@pytest.mark.parametrize("hide_entries", [1, 3, 4, 8])
def test_attr_respects_hide_page_limit(hide_entries):
    """The ddi_dma_attr derived from the capability registers (tb.ddi_driver.attr_from_caps) keeps
    every cookie within CAP2.HIDE_ENTRIES pages (more is refused by the hide unit, test_page_limit),
    for contiguous and scattered buffers at every in-page offset; without a hide unit the same
    buffers do give longer cookies (so the bound is what keeps them short). No simulator."""
    import numpy as np

    from pyddi_model.cookies import Limits, make_cookies
    from tb.ddi_driver import HIDE_PAGE, Caps, attr_from_caps

    def caps(h):
        return Caps(data_bytes=8, addr_width=32, len_width=24, align_log2=0, max_burst_len=16,
                    max_outstanding=4, seg_log2=32, sgl_max=16, hide_entries=h)

    rng = np.random.default_rng(hide_entries)
    contiguous = np.arange(0x100, 0x100 + 40, dtype=np.int64) * HIDE_PAGE
    runs = np.concatenate([np.arange(b, b + n) for b, n in zip(rng.integers(0x400, 0x8000, 24) * 8,
                                                                 rng.integers(2, 7, 24), strict=True)])
    scattered = runs[:40].astype(np.int64) * HIDE_PAGE
    longest = {}
    for h in (hide_entries, 0):
        lim = Limits.from_attr(attr_from_caps(caps(h)), pagesize=HIDE_PAGE)
        most = 0
        for frames in (contiguous, scattered):
            for offset in range(0, HIDE_PAGE, 256):
                ck, _ = make_cookies(frames, offset, 30 * HIDE_PAGE - offset, lim)
                for addr, size in zip(ck.addr.tolist(), ck.size.tolist(), strict=True):
                    pages = (addr + size - 1) // HIDE_PAGE - addr // HIDE_PAGE + 1
                    most = max(most, pages)
        longest[h] = most
    assert longest[hide_entries] <= hide_entries, longest
    assert longest[hide_entries] == 1 << (hide_entries.bit_length() - 1), longest  # not tighter than needed
    assert longest[0] > hide_entries, f"negative control: without the bound cookies are long too: {longest}"
