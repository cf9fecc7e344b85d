"""The driver's error path in the DDI flow: a bus error, an abort or a soft reset inside a window.

    env = await make_ddi_error_env(dut, seed)
    req = env.disk_write(...)                      # a multi-window request (tb/env/ddi.py)
    out = await env.run_failing(req, Fault("data", window=1, desc=2, resp="DECERR"))
    env.check_released(req)                        # nothing locked, bound, hidden, live
    assert out.error and out.b_error == EIO and out.b_resid == ...

What the driver does (an illumos block driver's interrupt routine, tb/ddi_driver.IoRequest.finish):
the windows before the faulty one run as usual; in the faulty window the driver sees the error status
(SR error code, ERRDESC), syncs the ring FORCPU, counts the packets whose descriptors all completed
without error (the disk holds them: b_resid is the rest of the request), soft-resets the channel
(an abort: restarts it with a new chain), issues no further window, syncs the window FORCPU (a disk
read: the CPU reads what landed), then bioerror(bp, EIO), b_resid, unbind, free the handle, biodone,
freerbuf, ddi_umem_unlock. `check_released` then finds any resource still held (the negative
controls leave one step out with `forget=`).

Checks of the faulty window, from docs/sgdma.md ("Errors"): every data beat that does appear is
checked by the window's scoreboard as usual (only the missing rest is not required); the error code
and ERRDESC name the faulted descriptor; STATUS of the descriptors before it complete, of the ones
after it untouched; nothing on the bus after the halt; no write outside the buffers handed over. The
user buffer afterwards: a disk write leaves it unchanged and the disk holds the transferred prefix;
a disk read has the transferred prefix equal to the disk, every other object byte either its old
value or the disk's (the device may have written it), and nothing outside the object changed.
"""
from __future__ import annotations

from dataclasses import dataclass

from cocotb.triggers import ClockCycles

from tb.ddi_driver import EIO, MM2S, S2MM, BufOutcome, IoRequest
from tb.env.ddi import DdiEnv, env_class
from tb.env.ddi_fast import FastDdiEnv
from tb.machine_memory import CheckError

BUS_SITES = ("fetch", "data", "writeback")
STOP_SITES = ("abort", "reset")
_CODE_PREFIX = {"fetch": "DESC", "data": "DATA", "writeback": "WB"}


@dataclass(frozen=True)
class Fault:
    """What goes wrong, where: `site` one of BUS_SITES (answered `resp`, SLVERR or DECERR) or
    STOP_SITES (the driver aborts or soft-resets the channel once `after` of the window's data beats
    were checked); `window` and `desc` (descriptor index inside the window) place it."""

    site: str
    window: int
    desc: int = 0
    resp: str = "SLVERR"
    after: float = 0.3

    def __post_init__(self):
        if self.site not in BUS_SITES + STOP_SITES:
            raise ValueError(f"fault site {self.site!r}: use one of {BUS_SITES + STOP_SITES}")

    @property
    def error(self) -> str | None:
        """The error the channel reports (adapter name), None for an abort or a reset."""
        return f"{_CODE_PREFIX[self.site]}_{self.resp}" if self.site in BUS_SITES else None

    def __str__(self) -> str:
        if self.error is None:
            return f"{self.site} in window {self.window}"
        return f"{self.error} in window {self.window} descriptor {self.desc}"


class ErrorPath:
    """The error path for a DdiEnv (a mixin: tb/env/ddi_coherent.py uses it too)."""

    async def run_failing(self, req: IoRequest, fault: Fault, forget: str | None = None) -> BufOutcome:
        """The request with `fault` in window fault.window; the driver's error path; the data checks.
        Returns what the caller of strategy() sees (B_ERROR, b_error, b_resid)."""
        if not 0 <= fault.window < req.nwin:
            raise ValueError(f"{fault}: the request has {req.nwin} windows")
        self.in_flight[req.direction] = req
        try:
            for w in range(fault.window):
                await self.run_window(req, w)
            done = sum(win.length for win in req.windows)
            done += await self._faulty_window(req, fault)
        finally:
            self.in_flight[req.direction] = None
        outcome = req.finish(EIO, req.length - done, forget=forget)
        self.stats.requests += 1
        self._check_partial(req, done)
        req.guards.check_guards()
        self.stats.guards_checked += len(req.guards.regions)
        self.machine.free_frames(req.guards.held)
        req.transferred = done
        return outcome

    def _arm(self, fault: Fault, ch: str, win, slots: list[int]) -> None:
        """Put the bus error on the faulted descriptor's fetch, data or STATUS write-back."""
        ring = self.rings[ch]
        slot = ring.paddr(slots[fault.desc])
        lay = ring.layout
        if fault.site == "fetch":
            self.mem.errors.add(slot, lay.slot_bytes, fault.resp, on="read")
        elif fault.site == "data":
            addr, size = win.cookies[fault.desc]
            self.mem.errors.add(addr + size // 2, 1, fault.resp, on="read" if ch == MM2S else "write")
        elif fault.site == "writeback":
            self.mem.errors.add(slot + lay.status_offset, lay.status_bytes, fault.resp, on="write")

    async def _faulty_window(self, req: IoRequest, fault: Fault) -> int:
        """Run window fault.window into its fault; returns the bytes the driver counts as transferred."""
        ch, w = req.direction, fault.window
        ring = self.rings[ch]
        win = req.window(w)
        self._sample_window(req, win)
        descs = req.build_packets(win, ring, self._chunk(req))
        if not 0 <= fault.desc < len(descs):
            raise ValueError(f"{fault}: the window has {len(descs)} descriptors")
        slots = [s for s, _ in descs]
        allowed = self._status_ranges(ch, slots)
        if ch == S2MM:
            allowed += [(a, a + n, f"window {w} cookie {i}") for i, (a, n) in enumerate(win.cookies)]
        self._allow(ch, allowed)
        self._window_scoreboard(req, win)      # checks every beat that appears, in order
        self._arm(fault, ch, win, slots)
        if ch == S2MM:
            for pk in win.packets:
                await self.disk_source.send_blocks(pk.user, pk.length)
        beats = self.beats_checked
        budget = self.budget(win.length, len(descs), extra=self.irq_delay * 2)
        await self._hand_over(ch, slots, len(win.packets))
        if fault.error is None:
            target = max(1, int(fault.after * win.length / self.data_bytes))

            async def progressed() -> bool:
                await self.catch_up()
                return self.beats_checked - beats >= target
            await self.wait_until(progressed, budget, f"{target} data beats of window {w} before the "
                                  f"{fault.site}", ch, poll=self.progress_poll)
            if fault.site == "abort":
                await self.hw.abort(ch)
            else:
                await self.wait_trigger(self.hw.reset_channel(ch), budget, "soft reset", ch)
            await self.wait_until(lambda: self._halted(ch), budget, f"halt after the {fault.site}", ch,
                                  poll=16)
            st = await self.hw.status(ch)
            await self.hw.ack(ch, st)
            if st.error:
                raise CheckError(f"{ch}: an {fault.site} is not an error, got {self.hw.error_name(st.error)}")
        else:
            await self._see_error(ch, fault, ring.paddr(slots[fault.desc]), budget)
        if self.in_flight[_other(ch)] is None:
            await self.expect_quiet_after_halt()
        else:               # the other channel runs on: only this one must be quiet
            await self.expect_channel_quiet(ch, req)
        self.mem.errors.clear()
        ring.sync_for_cpu()
        sts = [ring.status(s) for s in slots]
        self._check_fault_statuses(ch, fault, win, sts)
        if fault.site != "reset":
            if fault.site != "abort":     # a halted channel takes RS=1 again only after a soft reset
                await self.wait_trigger(self.hw.reset_channel(ch), self.budget(), "soft reset", ch)
        self.started[ch] = False
        await self.reset_stream_peers(ch)
        # the window's beats were checked as they came; the rest never comes
        if ch == MM2S:
            self._install_read_sb(self._idle_read_sb())
        else:
            self._install_write_sb(self._idle_write_sb())
        self._allow(ch, [])
        req.window_done(win)                  # a disk read: FORCPU before the CPU reads what landed
        self.mm2s_packets = self.disk_sink.packets
        if fault.error is None and all(st.complete for st in sts):
            raise CheckError(f"{ch}: the {fault.site} came after window {w} had completed: nothing "
                             f"was stopped mid-request (raise Fault.after's backpressure)")
        # the driver's count: packets whose every descriptor completed without error
        moved = 0
        by_slot = dict(zip(slots, sts, strict=True))
        for pk in win.packets:
            ok = [by_slot[s] for s in pk.slots]
            if not all(st.complete and not st.error and st.xferred == n
                       for st, (_, n) in zip(ok, pk.cookies, strict=True)):
                break
            moved += pk.length
        self.stats.windows += 1
        self.stats.descriptors += len(descs)
        self.stats.bytes_moved += moved
        return moved

    async def _see_error(self, ch: str, fault: Fault, errdesc_want: int, budget: int) -> None:
        """Take events until the error one; its code and ERRDESC name the faulted descriptor."""
        code = self.hw.error_code(fault.error)
        start = self.cycle
        while True:
            left = budget - (self.cycle - start)
            if left <= 0:
                await self.hang(f"the {fault.error} of {fault}", budget, ch)
            st = await self.wait_irq(ch, left, f"the error event of {fault}")
            if st.error:
                break
        if st.error != code:
            raise CheckError(f"{ch} {fault}: the channel reports {self.hw.error_name(st.error)}, expected "
                             f"{fault.error}; {st.raw}")
        await self.wait_until(lambda: self._halted(ch), budget, f"halt after {fault.error}", ch, poll=16)
        errdesc = await self.hw.error_descriptor(ch)
        if errdesc != errdesc_want:
            raise CheckError(f"{ch} {fault}: ERRDESC {errdesc:#x}, expected the faulted descriptor "
                             f"{errdesc_want:#x}")

    async def reset_stream_peers(self, ch: str) -> None:
        """The system resets the stream peer of a channel stopped mid-packet (the m_axis sink after
        MM2S, the s_axis source after S2MM; the other channel's stream runs on); the s_axis link's
        checker is held in reset with its source (tb_s_axis_reset in tb/hdl/harness/sgdma_tb.v),
        since a source reset withdraws TVALID."""
        agent = self.sink if ch == MM2S else self.source
        peer = getattr(self.dut, "tb_s_axis_reset", None) if ch == S2MM else None
        if peer is not None:
            peer.value = 1
        agent.assert_reset()
        agent.clear()
        await ClockCycles(self.dut.clk, 2)
        if peer is not None:
            peer.value = 0
        await ClockCycles(self.dut.clk, 1)

    async def expect_channel_quiet(self, ch: str, req: IoRequest, cycles: int = 200) -> None:
        """Nothing on either DMA master touches the halted channel's ring or the request's cookies for
        `cycles` (expect_quiet_after_halt for one channel while the other runs on)."""
        ranges = list(self.rings[ch].cookies) + [c for win in req.windows for c in win.cookies]
        since = self.now_ns()
        await ClockCycles(self.dut.clk, cycles)
        await self.settle_beats()
        late = [b for m in self.dma_ports() for b in m.bursts
                if b.time_ns > since and any(b.touches(a, n) for a, n in ranges)]
        if late:
            raise CheckError(f"{ch}: {len(late)} bus requests of the halted channel after the halt: "
                             f"{late[:4]}")

    def _check_fault_statuses(self, ch: str, fault: Fault, win, sts) -> None:
        """STATUS per descriptor (docs/sgdma.md "Errors"): before the fault complete; the faulted one
        written with the code on a data error, untouched on a fetch or write-back error; after it
        untouched. An abort or reset: a complete prefix without error, the rest untouched."""
        sizes = [n for _, n in win.cookies]
        if fault.error is None:
            k = next((i for i, st in enumerate(sts) if not st.complete), len(sts))
            want_done, faulted = range(k), None
        elif fault.site == "fetch":     # the packet of a descriptor that cannot be read is never sent
            first = 0
            for pk in win.packets:
                if first + len(pk.cookies) > fault.desc:
                    break
                first += len(pk.cookies)
            want_done, faulted = range(first), fault.desc
        else:
            want_done, faulted = range(fault.desc), fault.desc
        for i, st in enumerate(sts):
            where = f"{ch} {fault}: descriptor {i} of the window"
            if i in want_done:
                if not st.complete or st.error or st.xferred != sizes[i]:
                    raise CheckError(f"{where}: STATUS {st}, expected complete with {sizes[i]} bytes")
            elif i == faulted and fault.site == "data":
                code = self.hw.error_code(fault.error)
                if not st.complete or st.error != code or st.xferred > sizes[i]:
                    raise CheckError(f"{where}: STATUS {st}, expected complete with {fault.error}")
            elif st.complete or st.error or st.xferred:
                raise CheckError(f"{where}: STATUS {st}, expected untouched")

    def _check_partial(self, req: IoRequest, done: int) -> None:
        """The user buffer and the disk after a request that stopped after `done` object bytes."""
        now = req.proc.as_.read(req.va, len(req.mapping_before))
        before = req.mapping_before
        lo, hi = req.off, req.off + req.length
        if req.direction == MM2S:
            if now != before:
                i = next(k for k in range(len(now)) if now[k] != before[k])
                raise CheckError(f"MM2S user buffer byte {i} changed by a disk write")
            if done and self.disk_bytes(req, 0, done) != before[lo:lo + done]:
                raise CheckError(f"MM2S: the disk does not hold the {done} bytes reported transferred")
            return
        disk = self.disk_bytes(req, 0, req.length)
        for i in range(len(now)):
            if i < lo or i >= hi:
                ok, what = now[i] == before[i], "outside the object"
            elif i < lo + done:
                ok, what = now[i] == disk[i - lo], "in the transferred prefix"
            else:
                ok, what = now[i] in (before[i], disk[i - lo]), "past the transferred prefix"
            if not ok:
                raise CheckError(f"S2MM user buffer byte {i} ({what}) is {now[i]:#04x}: neither the "
                                 f"disk's {disk[i - lo] if lo <= i < hi else before[i]:#04x} nor its old "
                                 f"{before[i]:#04x}")

    def check_released(self, req: IoRequest) -> None:
        """Nothing of the request is still held: handle unbound and freed, buf freed, pages unlocked
        and not hidden, biodone called (tb/ddi_driver.IoRequest.leaks)."""
        leaks = req.leaks()
        if leaks:
            raise CheckError(f"{req.direction} request: the driver left " + "; ".join(leaks))


def _other(ch: str) -> str:
    return S2MM if ch == MM2S else MM2S


class DdiErrorEnv(ErrorPath, DdiEnv):
    """DdiEnv with the error path (module docstring)."""


class FastDdiErrorEnv(ErrorPath, FastDdiEnv):
    """The error path on the fast transport: faults through tb_axi_mem's injected error range
    (tb/fast_agents.HdlErrorMap), the stream peers reset through the HDL agents."""

    async def reset_stream_peers(self, ch: str) -> None:
        """MM2S: the packet cut short leaves the trace's disk sink (every beat drained first). S2MM: the
        source drops the beats not taken, its link checker held in reset meanwhile (tb_s_axis_reset
        inside sgdma_tb), as on the per-beat transport."""
        if ch == MM2S:
            await self.settle_beats()
            self.disk_sink.drop_partial()
            return
        peer = self.top.tb.tb_s_axis_reset
        peer.value = 1
        self.disk_source.clear()
        await self.disk_source.sync()
        await ClockCycles(self.dut.clk, 2)
        peer.value = 0
        await ClockCycles(self.dut.clk, 1)


async def make_ddi_error_env(dut, seed: int, **kw) -> DdiErrorEnv | FastDdiErrorEnv:
    """A started error-path env on the transport the toplevel was built for (tb/env/ddi.env_class)."""
    env = (FastDdiErrorEnv if env_class(dut) is FastDdiEnv else DdiErrorEnv)(dut, seed, **kw)
    await env.start()
    return env
