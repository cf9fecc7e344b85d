"""Coherency in the DDI flow (tb/env/ddi_coherent.py): the processor cache and the hide unit meet the
driver path. The user process writes its buffer through its devmap_umem_setup mapping (CACHED: dirty
lines; WRCOMB: write-combining buffer; UNCACHED: through the gate), the driver syncs the cached
descriptor ring FORDEV/FORCPU, the hide unit hides each descriptor's pages and does the first-hide
maintenance its CONTROL.CACHE asks for, and the checks see what the CPU sees.

Negative controls, each caught at the first wrong byte with its cause named: the ring's FORDEV sync
left out (the engine fetches a stale descriptor), the ring's FORCPU sync left out (the driver reads a
stale STATUS line), the hide unit's maintenance switched off (the device reads stale memory; the CPU
reads stale lines), the CPU gate forced open (a CPU store to a hidden page is not stalled).
"""
from __future__ import annotations

import cocotb
from cocotb.triggers import ClockCycles

from tb.cpu_cache import OP_NAMES
from tb.ddi_driver import EIO, MM2S, S2MM, attr_from_caps
from tb.env.ddi_coherent import (
    MaintenanceOffError,
    MissingForCpuSyncError,
    MissingForDevSyncError,
    StoreNotStalledError,
    make_coherent_env,
)
from tb.env.ddi_errors import Fault

PAGE = 4096
NBYTES = 3 * PAGE          # sgllen 1: three windows of one cookie (one page each: contiguity 0)
MAINT_OF = {"CACHED": "CLEAN_INVALIDATE", "WRCOMB": "WC_FLUSH", "UNCACHED": None}


async def make_env(dut, **kw):
    env = await make_coherent_env(dut, cocotb.RANDOM_SEED, contiguity=0.0, **kw)
    env.small_attr = attr_from_caps(env.caps, granular=env.granular, sgllen=1)
    return env


def cookie_pages(req) -> list[int]:
    return sorted({p for w in req.windows for a, n in w.cookies for p in range(a - a % PAGE, a + n, PAGE)})


def maint_since(env, start: int) -> list[tuple[str, int]]:
    return [(op, page) for op, page, *_ in env.maint.log[start:]]


@cocotb.test()
async def test_coherent_write_read_per_cache_attr(dut):
    """For each devmap cache attribute: a multi-window disk write of data the CPU stored through its
    mapping, then a disk read into a buffer the CPU had read; the disk gets what the CPU wrote, the
    CPU reads what the disk holds; the hide unit's maintenance per page is the attribute's (one
    CLEAN_INVALIDATE / WC_FLUSH per page at its first hide, none for UNCACHED)."""
    env = await make_env(dut, backpressure=0.2)
    blkno = 0
    for cache in ("CACHED", "WRCOMB", "UNCACHED"):
        for direction in (MM2S, S2MM):
            req = await env.coherent_request(direction, NBYTES, 0, blkno, cache=cache, attr=env.small_attr)
            if direction == MM2S and cache == "CACHED":
                assert env.cache.dirty_lines(req.paddrs[0]), "precondition: the data is in dirty lines"
                assert env.machine.read_phys(req.paddrs[0], 64) != req.mapping_before[:64], \
                    "precondition: memory is stale"
            if direction == S2MM and cache == "CACHED":
                assert env.cache.cached_lines(req.paddrs[0]), "precondition: the CPU holds lines"
            n0 = len(env.maint.log)
            await env.run(req)                      # then the CPU's view of the whole mapping
            assert req.nwin >= 3, req.nwin
            want = [(MAINT_OF[cache], p) for p in cookie_pages(req)] if MAINT_OF[cache] else []
            got = maint_since(env, n0)
            assert sorted(got) == sorted(want), f"{cache} {direction}: maintenance {got}, expected {want}"
            env.check_released(req)
        blkno += 64
    await env.check_idle()
    assert not env.coherency_errors, env.coherency_errors
    env.log.info("maintenance by op: %s", {OP_NAMES[k]: v for k, v in env.cache.stats.ops.items()})
    env.report()


@cocotb.test(expect_error=MissingForDevSyncError)
async def test_negative_missing_fordev(dut):
    """The driver writes descriptors without ddi_dma_sync(FORDEV) of the ring: the engine's fetch
    reads stale memory; caught at the first byte, cause named (MissingForDevSyncError)."""
    env = await make_env(dut)
    env.omit.add("ring FORDEV")
    await env.run(await env.coherent_request(MM2S, PAGE, 0, 0, cache="CACHED"))


@cocotb.test(expect_error=MissingForCpuSyncError)
async def test_negative_missing_forcpu(dut):
    """After a first request passes, the driver reads STATUS without ddi_dma_sync(FORCPU) of the ring:
    it reads the stale line; caught at the first byte, cause named (MissingForCpuSyncError)."""
    env = await make_env(dut)
    await env.run(await env.coherent_request(MM2S, PAGE, 0, 0, cache="CACHED"))
    env.omit.add("ring FORCPU")
    await env.run(await env.coherent_request(MM2S, PAGE, 0, 8, cache="CACHED"))


@cocotb.test(expect_error=MaintenanceOffError)
async def test_negative_maintenance_off_device_reads(dut):
    """The hide unit's maintenance switched off: the device reads stale memory behind the CPU's dirty
    lines (CACHED); caught at the first byte it reads, before the stream scoreboard (MaintenanceOffError)."""
    env = await make_env(dut)
    env.skip_maintenance(True)
    await env.run(await env.coherent_request(MM2S, 2 * PAGE, 0, 0, cache="CACHED"))


@cocotb.test(expect_error=MaintenanceOffError)
async def test_negative_maintenance_off_wc(dut):
    """The hide unit's maintenance switched off for a write-combined buffer: the device reads memory
    without the CPU's WC stores; cause named (no WC_FLUSH: MaintenanceOffError)."""
    env = await make_env(dut)
    env.skip_maintenance(True)
    await env.run(await env.coherent_request(MM2S, PAGE, 0, 0, cache="WRCOMB"))


@cocotb.test(expect_error=MaintenanceOffError)
async def test_negative_maintenance_off_cpu_reads(dut):
    """The hide unit's maintenance switched off for a disk read: the CPU's clean lines of the buffer
    survive the DMA and it reads them; caught at the first byte, cause named (MaintenanceOffError)."""
    env = await make_env(dut)
    env.skip_maintenance(True)
    await env.run(await env.coherent_request(S2MM, 2 * PAGE, 0, 0, cache="CACHED"))


async def _store_during_dma(env, force_open: bool) -> None:
    """An UNCACHED disk write; while its last cookie's page is hidden, the process stores to it."""
    req = await env.coherent_request(MM2S, 3 * PAGE, 0, 0, cache="UNCACHED")
    task = cocotb.start_soon(env.run(req))
    await env.wait_until(lambda: req.windows and env.table.hidden(req.paddrs[-1]), env.budget(3 * PAGE, 3),
                         "the last page hidden")
    gate = env.dut.dut.g_hide_seam.test_gate_open     # SGDMA_TEST_HOOKS: a broken gate
    gate.value = int(force_open)
    store_at = req.paddrs[-1] + 0x800
    at = 2 * PAGE + 0x800                # the same byte in the mapping
    new = bytes(b ^ 0xFF for b in req.mapping_before[at:at + 64])
    # the device's expectation was taken at the hand-over; the CPU's view afterwards has the store
    req.mapping_before = req.mapping_before[:at] + new + req.mapping_before[at + 64:]
    store = cocotb.start_soon(env.cache.write_uncached(store_at, new))
    try:
        await task
    finally:
        gate.value = 0
    await store
    await ClockCycles(env.dut.clk, 5)
    unhide = max(c for c, kind, page, *_ in env.table.trace if kind == "unhide" and page == req.paddrs[-1])
    aw = [b for b in env.cpu_mem.bursts if b.channel == "AW" and b.touches(store_at, 1)]
    assert aw and aw[-1].time_ns / env.PERIOD_NS >= unhide, \
        f"the store passed the gate at {aw[-1].time_ns if aw else None} ns, the page opened at cycle {unhide}"
    assert env.machine.read_phys(store_at, len(new)) == new, "the stalled store was lost"


@cocotb.test()
async def test_cpu_store_to_hidden_page_stalls(dut):
    """A CPU store to a page hidden by an MM2S descriptor in flight stalls at the gate until the page's
    last unhide: the device sends the bytes of the hand-over, the store lands afterwards."""
    env = await make_env(dut, backpressure=0.5)
    await _store_during_dma(env, force_open=False)
    await env.check_idle()
    env.report()


@cocotb.test(expect_error=StoreNotStalledError)
async def test_negative_store_not_stalled(dut):
    """Negative control: the gate broken open (test_gate_open), the store lands while its page is
    hidden and the device reads it; caught at the first byte, cause named (StoreNotStalledError)."""
    env = await make_env(dut, backpressure=0.5)
    await _store_during_dma(env, force_open=True)


@cocotb.test()
async def test_error_path_leaves_no_page_hidden(dut):
    """The error path (tb/env/ddi_errors.py) with the hide unit: a data error, a fetch error, an abort
    and a soft reset inside window 1 of 3, both channels; afterwards nothing is locked, bound or live,
    every page is open in the hide unit (shadow table and HIDE_STATUS.USED) and the next request
    on the channel passes with its maintenance."""
    env = await make_env(dut, backpressure=0.3)
    attr = attr_from_caps(env.caps, granular=env.granular, sgllen=2)
    cases = [(MM2S, Fault("data", window=1, desc=1)), (S2MM, Fault("fetch", window=1, desc=1, resp="DECERR")),
             (MM2S, Fault("abort", window=1, after=0.3)), (S2MM, Fault("reset", window=1, after=0.3))]
    for i, (ch, fault) in enumerate(cases):
        # UNCACHED disk writes: a disk write stopped early leaves later pages unmaintained, so the
        # memory check of the error path compares memory with the CPU's view only where they agree
        cache = "UNCACHED" if ch == MM2S else "CACHED"
        req = await env.coherent_request(ch, 6 * PAGE, 0, 64 * i, cache=cache, attr=attr)
        assert req.nwin == 3, req.nwin
        out = await env.run_failing(req, fault)
        assert out.error and out.b_error == EIO, out
        env.check_released(req)
        await env.check_idle()
        env.log.info("%s %s: b_resid %d, every page open", ch, fault, out.b_resid)
        await env.run(await env.coherent_request(ch, PAGE, 0, 64 * i + 32, cache="CACHED"))
    await env.check_idle()
    env.report()
