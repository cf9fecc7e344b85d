"""DDI-driven sgdma regression: tests/hw/cocotb_ddi.py through tb/sim_runner.run on the toplevel
tb/hdl/harness/sgdma_tb.v (sgdma with a protocol checker on every interface).

Configurations (one build directory each): MAIN (64-bit data, 40-bit addresses, SGL_MAX 16),
SMALL (32-bit data and addresses, LEN_WIDTH 13, SEG_LOG2 13, SGL_MAX 4: every limit reachable, copy
buffers for frames above 4 GiB) and WIDE (128-bit data, SGL_MAX 64). `make test` runs MAIN and SMALL
on both simulators, on the fast transport (tests/hw/test_ddi_fast.py, the illumos mode, the second
adapter) and MAIN's quick set on the per-beat reference transport too (the long scenarios on the fast
one only: QUICK_PER_BEAT); SMALL's per-beat row, WIDE and the seed sweeps are slow (`make regress`).
"""

from __future__ import annotations

import json
import os

import pytest

from tb.sim_runner import ROOT, run, sgdma_fast_tb_sources, sgdma_tb_sources

TB_SOURCES = sgdma_tb_sources()
FAST_SOURCES = sgdma_fast_tb_sources()

MAIN = {
    "DATA_WIDTH": 64,
    "ADDR_WIDTH": 40,
    "LEN_WIDTH": 24,
    "MAX_BURST_LEN": 64,
    "MAX_OUTSTANDING": 4,
    "SGL_MAX": 16,
    "SEG_LOG2": 32,
    "DATA_FIFO_DEPTH": 256,
}
SMALL = {
    "DATA_WIDTH": 32,
    "ADDR_WIDTH": 32,
    "LEN_WIDTH": 13,
    "MAX_BURST_LEN": 16,
    "MAX_OUTSTANDING": 2,
    "SGL_MAX": 4,
    "SEG_LOG2": 13,
    "DATA_FIFO_DEPTH": 64,
}
WIDE = {
    "DATA_WIDTH": 128,
    "ADDR_WIDTH": 64,
    "LEN_WIDTH": 24,
    "MAX_BURST_LEN": 32,
    "MAX_OUTSTANDING": 8,
    "SGL_MAX": 64,
    "SEG_LOG2": 32,
    "DATA_FIFO_DEPTH": 128,
}
STATS_FILE = os.environ.get("DDI_STATS_FILE", str(ROOT / "build" / "ddi_stats.jsonl"))  # for tb/summary.py
CONFIGS = {"main": MAIN, "small": SMALL, "wide": WIDE}

QUICK_MAIN = (
    "test_one_cookie,test_scattered_pages,test_unaligned_odd_lengths,test_partial_granular,"
    "test_full_duplex,test_irq_coalescing,test_negative_wrong_read_data,test_negative_stray_write,"
    "test_negative_refusal_expected,test_negative_guard,test_negative_leaked_lock,test_negative_leaked_hide,"
    "test_direction_names"
)
# The two long scenarios (about 75 KiB each way, 20 s each on Icarus) run in the quick suite on the
# fast transport (tests/hw/test_ddi_fast.py), the default; the per-beat reference transport and the
# second adapter run the others, every negative control included (the per-beat transport runs the long
# ones too in `make regress`: tests/hw/test_hostile.py::test_hostile_ddi, under each hostile mode).
LONG_SCENARIOS = ("test_scattered_pages", "test_partial_granular")
QUICK_PER_BEAT = ",".join(t for t in QUICK_MAIN.split(",") if t not in LONG_SCENARIOS)
# The second adapter (tb/sgdma_adapter.PolledSgdmaAdapter: no interrupts, 64-byte ring slots, the tail
# moved alone) runs the same scenarios and checks, test_partial_granular kept for its several windows;
# test_irq_coalescing is left out because it counts interrupts, which a polling driver does not take.
QUICK_POLLED = ",".join(t for t in QUICK_MAIN.split(",")
                        if t not in ("test_irq_coalescing", "test_scattered_pages"))
QUICK_SMALL = "test_limits,test_copy_buffers,test_sgl_over_appended,test_refusal_by_window"


def _run(sim: str, params: dict, testcase: str | None = None, seed: int | None = None,
         adapter: str = "sgdma", illumos: bool = False, transport: str = "per_beat",
         module: str = "cocotb_ddi", hostile: str = "none"):
    """transport "per_beat": sgdma_tb with cocotbext-axi agents; "fast": sgdma_fast_tb with the HDL
    agents and the beat trace (tb/env/ddi_fast.py); the scenarios and checks are the same. `module`:
    the cocotb module (another DDI module on the same builds); `hostile`: the interconnect mode
    (tb/hostile.py, tests/hw/test_hostile.py)."""
    fast = transport == "fast"
    run(
        "sgdma_fast_tb" if fast else "sgdma_tb",
        module,
        sim=sim,
        parameters=params,
        testcase=testcase,
        seed=seed,
        extra_env={"SGDMA_PARAMS": json.dumps(params), "DDI_STATS_FILE": STATS_FILE, "DUT_ADAPTER": adapter,
                   "DDI_ILLUMOS": str(int(illumos)), "SGDMA_HOSTILE": hostile},
        sources=FAST_SOURCES if fast else TB_SOURCES,
    )


def test_ddi_main(sim):
    """Quick set on the main configuration on the per-beat transport (the long scenarios: on the fast one)."""
    _run(sim, MAIN, testcase=QUICK_PER_BEAT, seed=1)


def test_ddi_second_adapter(sim):
    """The DDI flow's checks, unchanged, through a deliberately different DUT adapter (polled), on the
    default (fast) transport."""
    _run(sim, MAIN, testcase=QUICK_POLLED, seed=1, adapter="polled", transport="fast")


def test_ddi_watchdog(sim):
    """A channel whose memory stops answering fails fast, naming the window and the channel's state."""
    _run(sim, MAIN, testcase="test_watchdog_names_the_hang", seed=1)


def test_ddi_misalign(sim):
    """MISALIGN refusals of DDI windows (only, first, later) on test_sgdma's build (ALIGN_LOG2 2)."""
    from tests.hw.test_sgdma import PARAMS as ALIGNED
    _run(sim, ALIGNED, testcase="test_misalign_refusal", seed=1)


@pytest.mark.slow
def test_ddi_aligned_long_run(sim):
    """The driver's count_max keeps the cookies of a 64 KiB contiguous run aligned on test_sgdma's build
    (ALIGN_LOG2 2): slow, it moves 76 KiB per beat (about 90 s on Icarus); make test has the same split
    without a simulator (test_count_max_keeps_split_cookies_aligned) and on S2MM through tb.limits
    (tests/hw/test_limits.py::test_limits_count_max_with_alignment)."""
    from tests.hw.test_sgdma import PARAMS as ALIGNED
    _run(sim, ALIGNED, testcase="test_aligned_run_longer_than_count_max", seed=1)


@pytest.mark.slow   # reason: the per-beat row of tests/hw/test_ddi_fast.py::test_ddi_fast_small_limits
def test_ddi_small_limits(sim):   # (same scenarios and checks on the default transport): make regress
    """Limits at and past every attr field, and copy buffers for frames above 4 GiB, on the per-beat
    reference transport."""
    _run(sim, SMALL, testcase=QUICK_SMALL, seed=1)


# illumos's cookies on the hardware: the scenarios whose cookies differ from the man-page model's
# (scattered and partial binds, odd offsets, every limit incl. the addr_hi copy-buffer rule, copy buffers)
QUICK_ILLUMOS_MAIN = "test_unaligned_odd_lengths,test_partial_granular"
QUICK_ILLUMOS_SMALL = "test_limits,test_copy_buffers"


def test_ddi_illumos(sim):
    """The DDI model in illumos mode (DDI_ILLUMOS=1): its cookies run on the hardware, its limit cases,
    on the default (fast) transport."""
    _run(sim, MAIN, testcase=QUICK_ILLUMOS_MAIN, seed=1, illumos=True, transport="fast")
    _run(sim, SMALL, testcase=QUICK_ILLUMOS_SMALL, seed=1, illumos=True, transport="fast")


@pytest.mark.slow
@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_ddi_regress(sim, config, seed):
    """Every test of cocotb_ddi.py on each configuration under the sweep's seeds (make regress), on the
    fast transport unless DDI_TRANSPORT=per_beat."""
    transport = os.environ.get("DDI_TRANSPORT", "fast")
    if transport not in ("fast", "per_beat"):
        raise ValueError(f"DDI_TRANSPORT={transport!r}: use fast or per_beat")
    _run(sim, CONFIGS[config], seed=seed, transport=transport)


# -------------------------------------------------------------------------------------------------
# the driver path alone (no simulator): attr from the capability registers, windows, packets, ring
# -------------------------------------------------------------------------------------------------
def test_attr_from_caps():
    """Each attr field follows from one capability: addr_hi, count_max, seg, sgllen, align, granular."""
    from tb.ddi_driver import Caps, attr_from_caps

    caps = Caps(data_bytes=8, addr_width=40, len_width=13, align_log2=2, max_burst_len=16, max_outstanding=2,
                seg_log2=13, sgl_max=4)
    a = attr_from_caps(caps, granular=512)
    # count_max + 1: the largest LENGTH (2**13 - 1) rounded down to the alignment (4)
    assert (a.dma_attr_addr_hi, a.dma_attr_count_max, a.dma_attr_seg, a.dma_attr_sgllen) == (
        (1 << 40) - 1, (1 << 13) - 4 - 1, (1 << 13) - 1, 4)
    assert (a.dma_attr_align, a.dma_attr_granular) == (4, 512)
    assert attr_from_caps(caps, sgllen=5).dma_attr_sgllen == 5
    unaligned = attr_from_caps(Caps(8, 40, 13, 0, 16, 2, 13, 4))
    assert unaligned.dma_attr_count_max == (1 << 13) - 2     # no alignment: the docs' 2**LEN_WIDTH - 2


def test_count_max_keeps_split_cookies_aligned():
    """A physically contiguous buffer longer than count_max + 1 is split every count_max + 1 bytes (a
    buf bind ignores dma_attr_align): every cookie address stays a multiple of the alignment."""
    from tb.ddi_driver import MM2S, Caps, IoRequest, attr_from_caps, new_machine, user_buffer

    caps = Caps(data_bytes=4, addr_width=32, len_width=13, align_log2=2, max_burst_len=16, max_outstanding=2,
                seg_log2=13, sgl_max=4)
    _m, ddi = new_machine(1, contiguity=1.0, phys_bytes=1 << 32)
    attr = attr_from_caps(caps)
    va, npages = user_buffer(ddi, 4 * 4096, 0, contiguity=1.0)
    req = IoRequest(ddi, ddi.curproc, va, npages, 0, 4 * 4096, MM2S, attr)
    cookies = [c for w in range(req.nwin) for c in req.window(w).cookies]
    assert len(cookies) > 2 and all(a % 4 == 0 for a, _ in cookies), cookies
    req.finish()


def test_driver_path_without_simulator():
    """A 1 MiB partial bind: windows cover the object in order, packets hold <= sgllen cookies, every
    descriptor's fields equal its cookie, the ring slots are linked in a circle, unlock frees the pins."""
    from tb.ddi_driver import MM2S, Caps, DescriptorRing, IoRequest, attr_from_caps, new_machine, user_buffer
    from tb.sgdma_adapter import SgdmaLayout

    caps = Caps(16, 64, 24, 0, 64, 8, 32, 16)
    m, ddi = new_machine(3, contiguity=0.2)
    attr = attr_from_caps(caps, granular=512)
    ring = DescriptorRing(ddi, attr, 64, SgdmaLayout())
    assert ring.read(63).next == ring.paddr(0)
    va, npages = user_buffer(ddi, 1 << 20, 0x234)
    req = IoRequest(ddi, ddi.curproc, va, npages, 0x234, 1 << 20, MM2S, attr, blkno=10)
    assert req.nwin > 1
    pos = 0
    for w in range(req.nwin):
        win = req.window(w)
        assert win.off == pos
        assert win.length % 512 == 0 or w == req.nwin - 1
        pos += win.length
        descs = req.build_packets(win, ring, caps.sgl_max)
        assert [(d.addr, d.length) for _, d in descs] == win.cookies
        assert all(len(p.cookies) <= caps.sgl_max for p in win.packets)
        assert descs[0][1].sof and descs[-1][1].eof and descs[-1][1].ioc
    assert pos == 1 << 20
    assert ddi.curproc.locked_bytes == npages * m.pagesize
    req.finish()
    assert ddi.curproc.locked_bytes == 0
