"""Errors reach the driver: a bus error, an abort or a soft reset inside a window of a multi-window
request, on both channels, through the DDI flow (tb/env/ddi_errors.py).

Every case: the driver sees the error (code and ERRDESC naming the faulted descriptor), stops issuing
windows, sets B_ERROR, b_error EIO and b_resid, unbinds, frees the handle, calls biodone, freerbuf,
unlocks; then nothing of the request is held, and the next request on the channel passes. The
expected b_resid comes from the request's cookies and the fault's place (docs/sgdma.md "Errors"),
never from the DUT. The attr is tightened (seg 1 KiB, sgllen 4) so that a 12 KiB request has three
windows of two packets of two 1 KiB cookies: every fault has packets before and after it.
"""
from __future__ import annotations

import cocotb

from pyddi_model.machine import DriverBugError
from tb.ddi_driver import CLEANUP_STEPS, EIO, MM2S, S2MM, attr_from_caps
from tb.env.ddi_errors import BUS_SITES, Fault, make_ddi_error_env
from tb.machine_memory import CheckError

KIB = 1024
NBYTES = 12 * KIB
COOKIES_PER_PACKET = 2
# descriptor of window 1 that meets each bus fault: the first of packet 1 (a fetch), the second of
# packet 0 (data: the packet is cut short), the last of packet 1 (its STATUS write-back)
FAULT_DESC = {"fetch": 2, "data": 1, "writeback": 3}


async def make_env(dut, **kw):
    env = await make_ddi_error_env(dut, cocotb.RANDOM_SEED, contiguity=0.0, **kw)
    env.packet_cookies = COOKIES_PER_PACKET
    env.small_attr = attr_from_caps(env.caps, granular=env.granular, seg=KIB - 1, sgllen=4)
    return env


def request(env, ch: str, blkno: int, nbytes: int = NBYTES):
    make = env.disk_write if ch == MM2S else env.disk_read
    return make(nbytes, off=0, blkno=blkno, attr=env.small_attr)


def expected_resid(req, fault: Fault) -> int:
    """Bytes not transferred: the windows before the fault's and the packets before the faulted
    descriptor's packet count (a data error cuts its packet short; a fetch error stops before the
    packet; a failed write-back leaves its packet unconfirmed)."""
    done = sum(w.length for w in req.windows[:fault.window])
    first = 0
    for pk in req.windows[fault.window].packets:
        if first + len(pk.cookies) > fault.desc:
            break
        done += pk.length
        first += len(pk.cookies)
    return req.length - done


async def fail_and_recover(env, ch: str, fault: Fault, blkno: int) -> None:
    req = request(env, ch, blkno)
    assert req.nwin == 3, f"the request should have three windows, has {req.nwin}"
    out = await env.run_failing(req, fault)
    env.check_released(req)
    want = expected_resid(req, fault) if fault.error else req.length - req.transferred
    assert out.done and out.error and out.b_error == EIO, f"{ch} {fault}: {out}"
    assert out.b_resid == want, f"{ch} {fault}: b_resid {out.b_resid}, expected {want}"
    assert len(req.windows) == fault.window + 1, f"{ch} {fault}: windows issued after the error"
    env.log.info("%s %s: b_resid %d of %d, released", ch, fault, out.b_resid, req.length)
    nxt = request(env, ch, blkno + 64, 3 * KIB)          # the channel restarts: the next request passes
    await env.run(nxt)
    env.check_released(nxt)
    assert not nxt.outcome.error and nxt.outcome.b_resid == 0, nxt.outcome


@cocotb.test()
async def test_bus_errors_reach_the_driver(dut):
    """SLVERR and DECERR at descriptor fetch, data and STATUS write-back in window 1 of 3, both
    channels: error status seen, B_ERROR / EIO / b_resid, no window after, everything released, the
    channel restarts."""
    env = await make_env(dut)
    blkno = 0
    for ch in (MM2S, S2MM):
        for site in BUS_SITES:
            for resp in ("SLVERR", "DECERR"):
                fault = Fault(site, window=1, desc=FAULT_DESC[site], resp=resp)
                await fail_and_recover(env, ch, fault, blkno)
                blkno += 128
    # 2-cookie packets start on a block only when cookies do: page-aligned buffers
    await env.write_then_read(8 * KIB, 0, 0, blkno, attr=env.small_attr)
    env.report()


@cocotb.test()
async def test_abort_and_reset_mid_request(dut):
    """The driver aborts (RS=0) or soft-resets the channel in the middle of window 1: same cleanup,
    b_resid = what the completed packets did not cover, the channel restarts."""
    env = await make_env(dut, backpressure=0.4)
    blkno = 0
    for ch in (MM2S, S2MM):
        for site, after in (("abort", 0.3), ("reset", 0.8)):   # early: no packet done; late: one done
            await fail_and_recover(env, ch, Fault(site, window=1, after=after), blkno)
            blkno += 128
    env.report()


@cocotb.test()
async def test_first_and_last_window(dut):
    """A data error in the first window (nothing transferred) and a fetch error on the last
    descriptor of the last window."""
    env = await make_env(dut)
    await fail_and_recover(env, S2MM, Fault("data", window=0, desc=0, resp="DECERR"), 0)
    await fail_and_recover(env, MM2S, Fault("fetch", window=2, desc=3), 200)
    env.report()


@cocotb.test()
async def test_negative_forgotten_cleanup(dut):
    """Negative control: a driver that leaves out one cleanup step (unbind, free_handle, biodone,
    freerbuf, unlock) on the error path is caught by check_released, naming what it left."""
    env = await make_env(dut)
    names = {"unbind": "bound handle", "free_handle": "not freed", "biodone": "biodone not called",
             "freerbuf": "freerbuf", "unlock": "still locked"}
    for i, step in enumerate(CLEANUP_STEPS):
        ch = (MM2S, S2MM)[i % 2]
        req = request(env, ch, 128 * i)
        await env.run_failing(req, Fault("data", window=1, desc=1), forget=step)
        try:
            env.check_released(req)
        except CheckError as exc:
            assert names[step] in str(exc), f"forgot {step}: the message does not name it: {exc}"
            env.log.info("forgot %s: caught: %s", step, exc)
        else:
            raise AssertionError(f"a driver that forgot {step} passed the cleanup check")
        if step == "unlock":
            leaked = req.ucookie.name
    try:                        # the process exits: the lock left by the "unlock" case is reported
        env.check_driver_exit()
    except DriverBugError as exc:
        assert f"driver bug: {leaked} " in str(exc) and "still locked after exit" in str(exc), exc
        env.log.info("the process's exit reports the leaked lock: %s", exc)
    else:
        raise AssertionError("a lock leaked by the error path passed the process exit check")
    env.machine.driver_bugs.clear()         # seen above: the rest of the final checks must pass
    env.report()


@cocotb.test()
async def test_negative_traffic_after_halt(dut):
    """Negative control of the error path's two quiet checks: while a request of the channel runs,
    expect_quiet_after_halt (nothing on AR/AW) and expect_channel_quiet (nothing touching the channel's
    ring or the request's cookies) each fire, the check repeated until the request ends (a hostile
    interconnect can stall every channel longer than one check's window). On the fast transport they
    read the burst log drained from the beat trace, so this also shows that log filling while a
    request runs."""
    env = await make_env(dut)
    checks = (("expect_quiet_after_halt", lambda req: env.expect_quiet_after_halt()),
              ("expect_channel_quiet", lambda req: env.expect_channel_quiet(MM2S, req)))
    for i, (name, check) in enumerate(checks):
        req = request(env, MM2S, 128 * i)
        running = cocotb.start_soon(env.run(req))
        caught = None
        while caught is None and not running.done():
            try:
                await check(req)
            except AssertionError as exc:
                caught = exc
        await running
        env.check_released(req)
        assert not req.outcome.error and req.outcome.b_resid == 0, req.outcome
        if caught is None:
            raise AssertionError(f"{name} never fired while a request of the channel ran")
        assert "bus requests" in str(caught), f"{name}: the message does not say what it saw: {caught}"
        env.log.info("%s while the request runs: caught: %s", name, caught)
    env.report()
