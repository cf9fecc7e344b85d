"""Coverage-driven random DDI traffic: keep drawing constrained-random disk requests (size, buffer
offsets, direction order, backpressure) until the functional bins it targets (tb/coverage.py) are hit
or the budget (DDI_RANDOM_REQUESTS requests) runs out, then print what stayed open.

Every request goes through the whole driver path of tb/env/ddi.py and is checked like the other DDI tests
(scoreboard on every beat, guards, read-back equal to what was written). The draw is biased towards
the open bins: every other candidate is aimed at an open length or windows-per-bind bin, each is
scored by the open bins it can reach, and the best of 8 candidates is run.
"""
from __future__ import annotations

import os

import cocotb

from tb import coverage as fcov
from tests.hw.cocotb_ddi import PAGE, PARAMS, make_env

DW = PARAMS.get("DATA_WIDTH", 64)
SGL_MAX = PARAMS.get("SGL_MAX", 16)
BUDGET = int(os.environ.get("DDI_RANDOM_REQUESTS", "24"))
TARGETS = {
    "sgdma.desc.start_align": None,
    "sgdma.desc.end_align": None,
    "sgdma.desc.length": None,
    "sgdma.desc.straddles_4k": None,
    "sgdma.ddi.cookies_per_window": None,
    "sgdma.ddi.windows_per_bind": None,
}


def open_bins() -> set[tuple[str, str]]:
    snap = fcov.snapshot()
    return {(cp, b) for cp in TARGETS for b, h in snap[cp].items() if h == 0}


def candidate(rng, holes: set) -> dict:
    """One constrained-random request: size log-uniform from 1 byte to 5 * SGL_MAX pages, or (every
    other draw) aimed at an open length or windows-per-bind bin."""
    db = DW // 8
    top = SGL_MAX * 5 * PAGE
    size = max(1, min(top, int(2 ** rng.uniform(0, top.bit_length()))))
    aims = sorted(b for cp, b in holes if cp in ("sgdma.desc.length", "sgdma.ddi.windows_per_bind"))
    off = rng.randrange(PAGE)
    if aims and rng.random() < 0.5:
        aim = rng.choice(aims)
        size = {"1": 1, "sub_beat": rng.randint(2, max(2, db - 1)), "one_beat": db,
                "few_beats": rng.randint(db + 1, 16 * db), "long": rng.randint(16 * db + 1, 4095),
                "4KiB": PAGE, "over_4KiB": rng.randint(PAGE + 1, 4 * PAGE), "2": 2 * SGL_MAX * PAGE,
                "3": 3 * SGL_MAX * PAGE, "4+": top}.get(aim, size)
        off = off - off % db if aim in ("one_beat", "4KiB") else off     # a one-cookie, aligned request
        if aim == "4KiB":
            off = 0
    return {"n": size, "off_w": off, "off_r": rng.randrange(PAGE)}


def reach(c: dict, holes: set) -> int:
    """How many open bins this request can plausibly hit (a cheap guide for the draw)."""
    db = DW // 8
    n, off = c["n"], c["off_w"]
    want = {("sgdma.desc.length", fcov._length_bin(n, db)),
            ("sgdma.desc.start_align", fcov._align_bin(off, db)),
            ("sgdma.desc.end_align", fcov._end_bin(off + n, db)),
            ("sgdma.desc.straddles_4k", str(off // PAGE != (off + n - 1) // PAGE))}
    if n > SGL_MAX * PAGE:
        want |= {("sgdma.ddi.windows_per_bind", b) for b in ("2", "3", "4+")} | \
                {("sgdma.ddi.cookies_per_window", "top")}
    return len(want & holes)


@cocotb.test()
async def test_coverage_driven_random(dut):
    """Random requests until the targeted bins close or the budget runs out; open bins printed."""
    env = await make_env(dut, contiguity=0.3, backpressure=0.2)
    rng = env.rng
    start = open_bins()
    blk = 0
    done = 0
    while done < BUDGET and open_bins():
        holes = open_bins()
        c = max((candidate(rng, holes) for _ in range(8)), key=lambda x: reach(x, holes))
        await env.write_then_read(c["n"], c["off_w"], c["off_r"], blk)
        blk += c["n"] // 512 + 1
        done += 1
    left = sorted(open_bins())
    env.log.info("coverage-driven random: %d requests, %d of %d targeted bins closed; still open: %s",
                 done, len(start) - len(left), len(start), ", ".join(f"{cp} {b}" for cp, b in left) or "none")
    assert done > 0 and len(left) < len(start), "the random requests closed no targeted bin"
    env.report()
