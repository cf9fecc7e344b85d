"""Requests on both channels in flight at the same time through the DDI flow (tb/env/ddi.py
`run_together`): a disk write (MM2S) and a disk read (S2MM) of different bufs and handles, each checked
beat by beat against its own expectation, on either transport (the toplevel decides:
tb/env/ddi.env_class). tests/hw/cocotb_ddi.py::test_full_duplex is the positive case; here:

- the overlap measure itself: requests run one after the other do not pass `check_overlapped`;
- a corrupted byte on one channel while the other runs is caught on that channel's beat, naming
  the cookie and the byte (R: the disk write's data read; W: the disk read's data write);
- a bus error on one channel while the other is in flight (injected by the memory agent of
  either transport: tb/axi_memory.ErrorMap, tb/fast_agents.HdlErrorMap): docs/sgdma.md "Errors"
  halts the channel that saw it (SR, ERRDESC and halt are per channel), so that request takes the
  driver's error path (tb/env/ddi_errors.py) and the other completes with every check; the halted
  channel's quiet check fires on the running one (its negative control).
"""
from __future__ import annotations

import cocotb
import pytest

from tb.ddi_driver import EIO, MM2S, S2MM, attr_from_caps
from tb.env.ddi import make_ddi_env
from tb.env.ddi_errors import Fault, make_ddi_error_env
from tb.machine_memory import CheckError
from tb.scoreboard import ScoreboardError

PAGE = 4096
KIB = 1024
NBYTES = 6 * PAGE + 123
CORRUPT_COOKIE, CORRUPT_BYTE = 2, 5      # the cookie of window 0 and the byte in it that is changed


async def duplex_pair(dut, **kw):
    """A started env, a disk write of NBYTES from blocks 100 and a disk read of NBYTES from blocks 300
    (written first, so the read has known data); scattered pages: several cookies each."""
    env = await make_ddi_env(dut, cocotb.RANDOM_SEED, contiguity=0.0, backpressure=0.25, **kw)
    pre = env.disk_write(NBYTES, off=0, blkno=300)
    await env.run(pre)
    w = env.disk_write(NBYTES, off=0x321, blkno=100)
    r = env.disk_read(NBYTES, off=0x10, blkno=300)
    return env, w, r


@cocotb.test()
async def test_overlap_measure_control(dut):
    """Negative control of check_overlapped: the same two requests one after the other change owner
    once along their data bursts, and the check fires; run together, they interleave."""
    env, w, r = await duplex_pair(dut)
    await env.run(w)
    await env.run(r)
    assert env.interleaving(w, r) == 1, env.interleaving(w, r)
    try:
        env.check_overlapped(w, r)
    except CheckError as exc:
        env.log.info("sequential requests refused as expected: %s", exc)
    else:
        raise AssertionError("check_overlapped passed two requests run one after the other")
    w2 = env.disk_write(NBYTES, off=0x40, blkno=500)
    r2 = env.disk_read(NBYTES, off=0x80, blkno=100)     # what w wrote
    await env.run_together(w2, r2)
    env.log.info("together: %d owner changes", env.check_overlapped(w2, r2))
    assert r2.user_bytes(0, NBYTES) == w.user_bytes(0, NBYTES)
    env.report()


def corrupt_on(env, req, change) -> None:
    """After the expectation of `req`'s window 0 is built (and before its hand-over), `change(win)`
    alters one byte of what the hardware will move: the check must see it on that channel."""
    orig = env._window_scoreboard

    def build_then_change(r, win):
        orig(r, win)
        if r is req and win.index == 0:
            assert len(win.cookies) > CORRUPT_COOKIE + 1, win.cookies
            change(win)

    env._window_scoreboard = build_then_change


@cocotb.test(expect_error=(pytest.RaisesExc(
    ScoreboardError, match=rf"^R: cookie {CORRUPT_COOKIE}, .*byte offset {CORRUPT_BYTE:#x} in cookie"),))
async def test_negative_mm2s_byte_while_s2mm_runs(dut):
    """A source byte of the disk write changes behind the model's back while the disk read runs: the
    R beat check fires on the disk write's cookie and byte."""
    env, w, r = await duplex_pair(dut)

    def flip(win):
        addr = win.cookies[CORRUPT_COOKIE][0] + CORRUPT_BYTE
        env.machine.write_phys(addr, bytes([env.machine.read_phys(addr, 1)[0] ^ 0x01]))

    corrupt_on(env, w, flip)
    await env.run_together(w, r)


@cocotb.test(expect_error=(pytest.RaisesExc(
    ScoreboardError, match=rf"^W: cookie {CORRUPT_COOKIE}, .*byte offset {CORRUPT_BYTE:#x} in cookie"),))
async def test_negative_s2mm_byte_while_mm2s_runs(dut):
    """A disk byte of the disk read changes after its expectation was built while the disk write
    runs: the W beat check fires on the disk read's cookie and byte."""
    env, w, r = await duplex_pair(dut)

    def flip(win):
        obj = sum(n for _, n in win.cookies[:CORRUPT_COOKIE]) + CORRUPT_BYTE
        blk, at = r.blkno + obj // 512, obj % 512
        block = bytearray(env.store.read(blk, 512))
        block[at] ^= 0x01
        env.store.write(blk, block)

    corrupt_on(env, r, flip)
    await env.run_together(w, r)


async def fault_while_other_runs(env, faulty: str, blkno: int) -> None:
    """A data error in window 1 of a 3-window request on `faulty` while a 48 KiB request runs on the
    other channel: the faulty request takes the error path, the other completes with every check."""
    other_ch = S2MM if faulty == MM2S else MM2S
    small = attr_from_caps(env.caps, granular=env.granular, seg=KIB - 1, sgllen=4)
    make = {MM2S: env.disk_write, S2MM: env.disk_read}
    other = make[other_ch](48 * KIB, off=0, blkno=blkno)
    failing = make[faulty](12 * KIB, off=0, blkno=blkno + 200, attr=small)
    assert failing.nwin == 3, failing.nwin
    task = cocotb.start_soon(env.run(other))

    async def other_started():
        await env.catch_up()
        return env.data_bursts(other)
    await env.wait_until(other_started, env.budget(), f"{other_ch}: first data burst", poll=env.progress_poll)
    out = await env.run_failing(failing, Fault("data", window=1, desc=1))
    assert not task.done(), f"{other_ch} finished before the {faulty} error was handled: no overlap"
    try:                           # negative control of the one-channel quiet check: the other runs
        await env.expect_channel_quiet(other_ch, other, cycles=100)
    except CheckError as exc:
        env.log.info("quiet check on the running channel fires as it must: %s", exc)
    else:
        raise AssertionError(f"expect_channel_quiet passed {other_ch}, which is running")
    await task                     # the other request completes: beats, STATUS, buffer, guards checked
    env.check_released(failing)
    env.check_released(other)
    assert out.error and out.b_error == EIO and 0 < out.b_resid < failing.length, out
    assert not other.outcome.error and other.outcome.b_resid == 0, other.outcome
    assert len(failing.windows) == 2, f"{faulty}: windows issued after the error"
    nxt = make[faulty](3 * KIB, off=0, blkno=blkno + 300, attr=small)     # the faulty channel restarts
    await env.run(nxt)
    env.log.info("%s error while %s ran: b_resid %d; %s completed; %s restarted", faulty, other_ch,
                 out.b_resid, other_ch, faulty)


@cocotb.test()
async def test_error_on_one_channel_while_other_runs(dut):
    """DATA_SLVERR on the disk write while a disk read runs, then on the disk read while a disk
    write runs: only the faulted request stops (B_ERROR, EIO, b_resid, released), the other completes."""
    env = await make_ddi_error_env(dut, cocotb.RANDOM_SEED, contiguity=0.0)
    env.packet_cookies = 2
    await fault_while_other_runs(env, MM2S, 0)
    await fault_while_other_runs(env, S2MM, 1000)
    env.report()
