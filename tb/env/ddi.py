"""The DDI environment: the DUT driven the way an illumos driver does it, through pyddi_model.

    env = DdiEnv(dut, seed=cocotb.RANDOM_SEED)        # builds the machine, the agents, the checks
    await env.start()                                 # reset, capabilities -> ddi_dma_attr
    req = env.disk_write(nbytes=65536, off=0x234, blkno=8)   # user buffer, lock, iosetup, bind
    await env.run(req)                                # windows -> descriptors -> tail -> event -> status
    env.final_checks()                                # user buffers, rings, memory outside the buffers

A layer on tb/env/base.BaseEnv (ports, agents, pacing, watchdog). It adds (docs/environment.md has the
diagram):
  machine, ddi    pyddi_model's Machine and DDI (tb/ddi_driver.py: attr, ring, request, windows);
  mem, sg_mem     tb/machine_memory.MachineAxiMemory: the DUT's memory is the machine's physical memory,
                  every write checked on its beat against the ranges handed over;
  disk            tb/block_device.py: BlockDeviceSink on m_axis (a packet is written at block TUSER)
                  and BlockDeviceSource on s_axis (packets read from blocks), over one BlockStore;
  scoreboards     one set of channel monitors feeding the current window's ReadScoreboard /
                  WriteScoreboard (tb/scoreboard.py);
  hw              the DUT adapter (tb/dut_adapter.DutAdapter): every register, descriptor field and
                  error code goes through it, so another DMA needs only another adapter
                  (`adapter=`; tb/sgdma_adapter.py has two).
The protocol checkers (tb/hdl/harness/sgdma_tb.v, the toplevel) watch every beat in Verilog.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from itertools import pairwise

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge, gather
from cocotbext.axi import AxiBus, AxiStreamBus, AxiStreamFrame

from tb import coverage as fcov
from tb.axi_memory import BurstRecord, GuardRegions
from tb.block_device import BlockDeviceSink, BlockDeviceSource, BlockStore
from tb.ddi_driver import (
    DEV_BSIZE,
    MM2S,
    S2MM,
    Caps,
    DescriptorRing,
    IoRequest,
    Window,
    attr_from_caps,
    new_machine,
    user_buffer,
)
from tb.dut_adapter import IrqPolicy
from tb.env.base import BaseEnv
from tb.machine_memory import CheckError, MachineAxiMemory
from tb.patterns import src_random
from tb.scoreboard import (
    ReadScoreboard,
    WriteScoreboard,
    attach_read_monitors,
    attach_write_monitors,
    segments_from_cookies,
)

DST_GUARD = 0x3C  # dmatest: destination bytes have bit 7 clear
PAGE = 4096

__all__ = ["CheckError", "DdiEnv", "Stats", "make_ddi_env"]


# ---------------------------------------------------------------------------------------------
# statistics (read by tb/summary.py through the log and the results)
# ---------------------------------------------------------------------------------------------
@dataclass
class Stats:
    requests: int = 0
    windows: int = 0
    cookies: int = 0
    packets: int = 0
    descriptors: int = 0
    bytes_moved: int = 0
    interrupts: int = 0
    beats_checked: int = 0
    pages_locked: int = 0
    bounced: int = 0
    guards_checked: int = 0
    busy_cycles: dict = field(default_factory=lambda: {MM2S: 0, S2MM: 0})
    data_beats: dict = field(default_factory=lambda: {MM2S: 0, S2MM: 0})


# ---------------------------------------------------------------------------------------------
# the environment
# ---------------------------------------------------------------------------------------------
class DdiEnv(BaseEnv):
    """One DUT, one simulated machine, both channels driven through the DDI (module docstring)."""

    ring_class = DescriptorRing     # a layer may keep the rings elsewhere (tb/env/ddi_coherent.py: cached)

    def __init__(
        self,
        dut,
        seed: int,
        *,
        contiguity: float = 0.3,
        ring_slots: int = 256,
        disk_bytes: int = 8 << 20,
        backpressure: float = 0.0,
        latency: int = 0,
        irq_threshold: int | None = None,
        irq_delay: int = 0,
        granular: int = DEV_BSIZE,
        quiet: bool = True,
        adapter=None,
        params: dict | None = None,
        hostile: str | None = None,
        illumos: bool = False,
        cpu_port: bool = False,
        phys_bytes: int = 1 << 36,
    ):
        self.machine, self.ddi = new_machine(seed, contiguity, illumos, phys_bytes)
        # the disk starts with destination-pattern bytes (bit 7 clear); disk writes replace them
        self.store = BlockStore(disk_bytes // DEV_BSIZE, seed=seed)
        self.adapter_class = adapter
        super().__init__(dut, params, seed=seed, latency=latency, quiet=quiet, hostile=hostile,
                         cpu_port=cpu_port)
        self.ring_slots = ring_slots
        self.granular = granular
        self.irq_threshold, self.irq_delay = irq_threshold, irq_delay
        self.p_start = backpressure
        self.stats = Stats()
        self.target = self.mem
        self.caps: Caps | None = None
        self.attr = None
        self.rings: dict[str, DescriptorRing] = {}
        self.started = {MM2S: False, S2MM: False}
        self.in_flight: dict[str, IoRequest | None] = {MM2S: None, S2MM: None}   # the request `run` is in
        self.requests: list[IoRequest] = []
        self._allowed = {MM2S: [], S2MM: []}
        self.mm2s_packets = 0  # MM2S packets handed to the hardware (each must reach the disk)
        self.packet_cookies: int | None = None  # cookies per packet (default: sgllen = SGL_MAX)
        self.rd_sb = self._idle_read_sb()
        self.wr_sb = self._idle_write_sb()
        self.retired_beats = 0
        self._attach_monitors()

    # ---- the agents of this layer on the base's ports
    memory_class = MachineAxiMemory   # a layer may check more on the same bridge (tb/env/ddi_coherent.py)

    def make_memory(self, prefix: str, seed: int, share):
        """The machine's physical memory behind every DMA master port (`share`: the first port's memory,
        whose error map and guards a second port uses too): a `memory_class` built with
        `memory_options()` as well."""
        d = self.dut
        return self.memory_class(AxiBus.from_prefix(d, prefix), d.clk, d.rst, self.machine, self.log,
                                 seed=seed, max_latency=self.latency, share=share, **self.memory_options())

    def memory_options(self) -> dict:
        """Extra keyword arguments of `memory_class` (none for MachineAxiMemory)."""
        return {}

    def make_adapter(self):
        if self.adapter_class is None:
            return super().make_adapter()
        return self.adapter_class(self.dut, self.axil)

    def make_streams(self):
        """The disk: MM2S packets land at block TUSER, S2MM packets come from blocks."""
        d = self.dut
        self.disk_sink = BlockDeviceSink(AxiStreamBus.from_prefix(d, "m_axis"), d.clk, d.rst, self.store)
        self.disk_source = BlockDeviceSource(AxiStreamBus.from_prefix(d, "s_axis"), d.clk, d.rst, self.store)
        return self.disk_sink.sink, self.disk_source.source

    # ---- bring-up
    async def start(self) -> None:
        await super().start()
        self.caps = await self.hw.caps()
        self.attr = attr_from_caps(self.caps, granular=self.granular)
        self.log.info(
            "capabilities %s -> ddi_dma_attr addr_hi %#x count_max %#x seg %#x sgllen %d granular %d",
            self.caps,
            self.attr.dma_attr_addr_hi,
            self.attr.dma_attr_count_max,
            self.attr.dma_attr_seg,
            self.attr.dma_attr_sgllen,
            self.attr.dma_attr_granular,
        )
        self.log.info("adapter %s: ring slots of %d bytes, interrupts %s", type(self.hw).__name__,
                      self.hw.layout.slot_bytes, self.hw.capabilities.interrupts)
        for ch in (MM2S, S2MM):
            self.rings[ch] = self.ring_class(self.ddi, self.attr, self.ring_slots, self.hw.layout)
        if self.p_start:
            self.backpressure(self.p_start)

    # ---- beat scoreboards (tb/scoreboard.py), fed by one set of channel monitors for the whole test
    def _idle_read_sb(self) -> ReadScoreboard:
        """Between MM2S windows no data burst and no stream beat may appear."""
        return ReadScoreboard([], b"", self.data_bytes, packets=[])

    def _idle_write_sb(self) -> WriteScoreboard:
        return WriteScoreboard([], [], self.data_bytes, packet_segments=[])

    def _install_write_sb(self, sb: WriteScoreboard) -> None:
        """Swap the S2MM scoreboard, keeping the W-follows-AW state of bursts still in flight (status
        write-backs of the other channel share AW/W)."""
        old = self.wr_sb
        self.retired_beats += old.w_beats
        sb.w_order, sb.w_pending, sb.w_beat = old.w_order, old.w_pending, old.w_beat
        self.wr_sb = sb

    def _install_read_sb(self, sb: ReadScoreboard) -> None:
        self.retired_beats += self.rd_sb.r_beats + self.rd_sb.stream_beats
        self.rd_sb = sb

    @property
    def beats_checked(self) -> int:
        return self.retired_beats + self.rd_sb.r_beats + self.rd_sb.stream_beats + self.wr_sb.w_beats

    # cycles between two looks at a transfer's progress (beats_checked, data_bursts) after catch_up()
    progress_poll = 4

    async def catch_up(self) -> None:
        """Bring beats_checked and the burst log up to now before a wait looks at them (the monitors
        here see every beat as it happens; a traced transport drains its trace: tb/env/ddi_fast.py)."""

    def _attach_monitors(self) -> None:
        """One set of channel monitors for the whole test, feeding the scoreboards in charge."""
        attach_read_monitors(lambda: self.rd_sb, self.dut, "m_axi", stream_prefix="m_axis")
        attach_write_monitors(lambda: self.wr_sb, self.dut, "m_axi")

    # ---- requests (the driver's strategy routine)
    def _request(
        self,
        direction: str,
        nbytes: int,
        off: int,
        blkno: int,
        *,
        attr=None,
        partial: bool = True,
        contiguity: float | None = None,
        lo: int = 0,
        hi: int | None = None,
        frames=None,
        locked=None,
    ) -> IoRequest:
        """`locked`: (ucookie, va, npages) of pages the process already locked: the buf is set up on
        that cookie (several bufs on one lock) instead of a new mapping and lock."""
        if locked is None:
            va, npages = user_buffer(self.ddi, nbytes, off, contiguity=contiguity, lo=lo, hi=hi,
                                     frames=frames)
            ucookie = None
        else:
            ucookie, va, npages = locked
        proc = self.ddi.curproc
        mapping = npages * self.machine.pagesize
        seed = self.rng.randrange(1 << 30)
        if direction == MM2S:
            proc.as_.write(va, src_random(seed, mapping))  # the data the process wants on disk
        else:
            proc.as_.write(va, bytes([DST_GUARD]) * mapping)  # guard fill: must change only in the object
        req = IoRequest(
            self.ddi,
            proc,
            va,
            npages,
            off,
            nbytes,
            direction,
            attr or self.attr,
            blkno=blkno,
            partial=partial,
            ucookie=ucookie,
        )
        req.mapping_before = proc.as_.read(va, mapping)
        req.guards = self._place_guards(req)
        self.stats.pages_locked += npages
        self.stats.bounced += req.bounced
        self.requests.append(req)
        return req

    def disk_write(self, nbytes: int, off: int = 0, blkno: int = 0, **kw) -> IoRequest:
        """A write(2) to the raw disk: MM2S from the user buffer to the disk at blkno."""
        return self._request(MM2S, nbytes, off, blkno, **kw)

    def disk_read(self, nbytes: int, off: int = 0, blkno: int = 0, **kw) -> IoRequest:
        """A read(2) from the raw disk: S2MM from the disk at blkno into the user buffer."""
        return self._request(S2MM, nbytes, off, blkno, **kw)

    # ---- running
    def _irq_policy(self, npackets: int) -> IrqPolicy:
        threshold = self.irq_threshold if self.irq_threshold is not None else npackets
        return IrqPolicy(threshold=threshold, delay=self.irq_delay)

    async def _hand_over(self, ch: str, slots: list[int], npackets: int) -> None:
        """The window's descriptors to the hardware (a transport first makes its memory current:
        tb/env/ddi_fast.py)."""
        await self._give_to_hardware(ch, slots, npackets)

    async def _give_to_hardware(self, ch: str, slots: list[int], npackets: int) -> None:
        """Start the chain, or move the tail over the window's slots (tb/env/ddi_tail.py: per packet)."""
        ring = self.rings[ch]
        if not self.started[ch]:
            first, tail = ring.paddr(slots[0]), ring.paddr(slots[-1])
            await self.hw.start_chain(ch, first, tail, self._irq_policy(npackets))
            self.started[ch] = True
        else:
            await self.hw.extend_chain(ch, ring.paddr(slots[-1]), self._irq_policy(npackets))

    async def wait_irq(self, ch: str, budget: int | None = None, what: str = "an event"):
        """Wait for the channel's event (interrupt line, or polling: the adapter's), read its status,
        acknowledge what was pending. `budget`: cycles (default: the base's fixed allowance)."""
        budget = budget or self.budget()
        await self.wait_trigger(self.hw.wait_event(ch), budget, f"{ch}: {what}", ch)
        st = await self.hw.status(ch)
        self.stats.interrupts += 1
        await self.hw.ack(ch, st)
        return st

    def _status_ranges(self, ch: str, slots: list[int]) -> list[tuple[int, int, str]]:
        ring = self.rings[ch]
        return [(a, a + n, f"{ch} STATUS of slot {s}") for s, (a, n) in zip(slots, ring.status_ranges(slots),
                                                                              strict=True)]

    def _allow(self, ch: str, ranges: list[tuple[int, int, str]]) -> None:
        self._allowed[ch] = ranges
        self.mem.allowed = self._allowed[MM2S] + self._allowed[S2MM]
        if self.sg_mem is not None:
            self.sg_mem.allowed = self.mem.allowed

    def _window_scoreboard(self, req: IoRequest, win: Window) -> None:
        """Beat expectation of a window from its cookies: one descriptor per cookie, packets in order."""
        segments = segments_from_cookies(win.cookies)
        groups, first = [], 0
        for pk in win.packets:
            groups.append(list(range(first, first + len(pk.cookies))))
            first += len(pk.cookies)
        if req.direction == MM2S:
            data = self.source_bytes(req, win.off, win.length)  # the CPU's bytes: what must reach the disk
            self._install_read_sb(
                ReadScoreboard(
                    segments, data, self.data_bytes, packets=groups, users=[pk.user for pk in win.packets]
                )
            )
        else:
            packets = [self.disk_bytes(req, pk.obj_off, pk.length) for pk in win.packets]
            self._install_write_sb(
                WriteScoreboard(segments, packets, self.data_bytes, packet_segments=groups)
            )

    def source_bytes(self, req: IoRequest, obj_off: int, n: int) -> bytes:
        """What the CPU sees of a disk write's object (coherent memory: the mapping's bytes)."""
        return req.user_bytes(obj_off, n)

    async def _retire_scoreboard(self, req: IoRequest) -> None:
        await RisingEdge(self.dut.clk)  # let the monitors deliver the beats of this cycle
        await RisingEdge(self.dut.clk)
        await self.settle_beats()
        if req.direction == MM2S:
            self.rd_sb.finish()
            self._install_read_sb(self._idle_read_sb())
        else:
            self.wr_sb.finish()
            self._install_write_sb(self._idle_write_sb())

    def disk_bytes(self, req: IoRequest, obj_off: int, n: int) -> bytes:
        """The disk's bytes for object offset obj_off of a request (a packet starts on a block)."""
        if obj_off % DEV_BSIZE:
            raise CheckError(
                f"a disk packet at object offset {obj_off} does not start on a {DEV_BSIZE}-byte "
                f"block: the driver must declare dma_attr_granular {DEV_BSIZE}"
            )
        return self.store.read(req.blkno + obj_off // DEV_BSIZE, n)

    async def run_window(self, req: IoRequest, w: int) -> Window:
        """One window: getwin, cookies -> descriptors, tail, interrupt(s), status, sync."""
        ch = req.direction
        ring = self.rings[ch]
        win = req.window(w)
        self._sample_window(req, win)
        descs = req.build_packets(win, ring, self._chunk(req))
        slots = [s for s, _ in descs]
        allowed = self._status_ranges(ch, slots)
        if ch == S2MM:
            allowed += [(a, a + n, f"window {w} cookie {i}") for i, (a, n) in enumerate(win.cookies)]
        self._allow(ch, allowed)
        self._window_scoreboard(req, win)
        if ch == S2MM:
            for pk in win.packets:
                self.disk_bytes(req, pk.obj_off, pk.length)  # block alignment check
                await self.disk_source.send_blocks(pk.user, pk.length)
        else:
            for pk in win.packets:
                self.disk_bytes(req, pk.obj_off, pk.length)
                self.disk_sink.expect(pk.user, pk.length)
                self.mm2s_packets += 1
        await self._hand_over(ch, slots, len(win.packets))
        await self._wait_window(req, win, descs)
        await self._retire_scoreboard(req)
        self._allow(ch, [])
        req.window_done(win)
        self.stats.windows += 1
        self.stats.cookies += len(win.cookies)
        self.stats.packets += len(win.packets)
        self.stats.descriptors += len(descs)
        self.stats.bytes_moved += win.length
        return win

    @staticmethod
    def _sample_window(req: IoRequest, win: Window) -> None:
        a = req.attr
        fcov.sample_window(index=win.index, nwin=req.nwin, cookies=win.cookies, sgllen=a.dma_attr_sgllen,
                           count_max=a.dma_attr_count_max, seg=a.dma_attr_seg, granular=a.dma_attr_granular,
                           remaining=req.length - win.off, bounced=req.bounced > 0)

    def _chunk(self, req: IoRequest) -> int:
        """Cookies per packet: the driver's sgllen (from the attr it bound with), unless a test asks less."""
        sgllen = req.attr.dma_attr_sgllen
        return self.packet_cookies or (sgllen if sgllen > 0 else self.caps.sgl_max)

    async def run_window_refused(self, req: IoRequest, w: int, error: str) -> int:
        """A window the hardware must refuse (a deliberately wrong attr): no data beat may move, only
        STATUS words may be written; the channel halts with the error named ``error`` (the adapter's
        name, e.g. "SGL_OVER"). Returns the bus address of the refused descriptor. The channel is
        soft-reset afterwards and restarted at the next descriptor."""
        ch = req.direction
        ring = self.rings[ch]
        code = self.hw.error_code(error)
        win = req.window(w)
        descs = req.build_packets(win, ring, self._chunk(req))
        slots = [s for s, _ in descs]
        self._allow(ch, self._status_ranges(ch, slots))
        if ch == S2MM:
            for pk in win.packets:
                self.source.send_nowait(AxiStreamFrame(self.store.read(pk.user, pk.length)))
        beats_before = self.beats_checked
        await self._hand_over(ch, slots, len(win.packets))
        budget = self.budget(descs=len(descs))
        st = await self.wait_irq(ch, budget, f"window {w}: the refusal {error}")
        if st.error != code:
            raise CheckError(
                f"{ch} window {w}: expected refusal {error}, got {self.hw.error_name(st.error)}; "
                f"{st.raw}"
            )
        await self.wait_until(lambda: self._halted(ch), budget, f"window {w}: halt after {error}", ch,
                              poll=16)
        errdesc = await self.hw.error_descriptor(ch)
        fcov.sample_refusal(ch, code, w, req.nwin)
        await ClockCycles(self.dut.clk, 50)
        await self.settle_beats()
        if self.beats_checked != beats_before:
            raise CheckError(
                f"{ch}: {self.beats_checked - beats_before} data beats moved for a refused packet"
            )
        await self.wait_trigger(self.hw.reset_channel(ch), self.budget(), "soft reset", ch)
        self.started[ch] = False
        if ch == S2MM:
            self.source.clear()
        else:
            while not self.sink.empty():
                self.sink.recv_nowait()
        self._allow(ch, [])
        req.window_done(win)
        return errdesc

    async def _halted(self, ch: str) -> bool:
        return (await self.hw.status(ch)).halted

    async def _wait_window(self, req: IoRequest, win: Window, descs) -> None:
        ch = req.direction
        ring = self.rings[ch]
        budget = self.budget(win.length, len(descs), extra=self.irq_delay * 2)
        what = f"window {win.index} ({win.length} bytes, {len(descs)} descriptors)"
        start = self.cycle
        while True:
            left = budget - (self.cycle - start)
            if left <= 0:
                await self.hang(what, budget, ch)
            st = await self.wait_irq(ch, left, what)
            if st.error:
                errdesc = await self.hw.error_descriptor(ch)
                raise CheckError(
                    f"{ch} window {win.index}: engine error {self.hw.error_name(st.error)} "
                    f"at descriptor {errdesc:#x}; {st.raw}"
                )
            ring.sync_for_cpu()
            done_packets = sum(1 for pk in win.packets if ring.status(pk.slots[-1]).complete)
            if done_packets == len(win.packets):
                break
        if ch == MM2S:  # every packet reached the disk (the sink checks TKEEP, TLAST, TUSER)
            await self.wait_trigger(self.disk_sink.wait_packets(self.mm2s_packets), budget,
                                    f"window {win.index}: {self.mm2s_packets} packets on the disk", ch)
        self._check_status(req, win, descs)

    def _check_status(self, req: IoRequest, win: Window, descs) -> None:
        ring = self.rings[req.direction]
        for pk in win.packets:
            for i, slot in enumerate(pk.slots):
                st = vars(ring.status(slot))
                want = {"complete": True, "error": 0, "xferred": pk.cookies[i][1]}
                if req.direction == S2MM:
                    want.update(rx_sof=i == 0, rx_eof=i == len(pk.slots) - 1)
                got = {k: st[k] for k in want}
                if got != want:
                    raise CheckError(
                        f"{req.direction} window {win.index} packet {pk.index} descriptor {i} "
                        f"(slot {slot}, cookie {pk.cookies[i][0]:#x}+{pk.cookies[i][1]}): "
                        f"STATUS {got}, expected {want}"
                    )
                d = ring.read(slot)
                sent = dict(descs)[slot]
                if (d.addr, d.length, d.sof, d.eof, d.user, d.next) != (
                    sent.addr,
                    sent.length,
                    sent.sof,
                    sent.eof,
                    sent.user,
                    sent.next,
                ):
                    raise CheckError(
                        f"descriptor slot {slot} changed by the DUT beyond STATUS: {d} vs {sent}"
                    )

    async def run(self, req: IoRequest) -> None:
        """The whole request: every window in order, then unbind/free/freerbuf/unlock and the checks."""
        self.in_flight[req.direction] = req
        try:
            for w in range(req.nwin):
                await self.run_window(req, w)
        finally:
            self.in_flight[req.direction] = None
        self.finish(req)

    async def run_together(self, *reqs: IoRequest) -> None:
        """Requests in flight at the same time (one per channel: each channel runs its ring in order),
        each through `run` with its own windows, scoreboard and checks."""
        channels = [r.direction for r in reqs]
        if len(set(channels)) != len(channels):
            raise ValueError(f"run_together: one request per channel, got {channels}")
        await gather(*(self.run(r) for r in reqs))   # the first failure cancels the others, re-raised here

    # ---- when the requests ran
    def data_bursts(self, req: IoRequest) -> list[BurstRecord]:
        """The request's data bursts so far, in time order: AR (disk write) or AW (disk read) bursts
        touching its cookies."""
        channel = "AR" if req.direction == MM2S else "AW"
        cookies = [c for win in req.windows for c in win.cookies]
        return [b for b in self.bursts(channel) if any(b.touches(a, n) for a, n in cookies)]

    def interleaving(self, *reqs: IoRequest) -> int:
        """How often the owner changes along the requests' data bursts merged in time order: 1 for
        two requests run one after the other, many for requests in flight at the same time."""
        merged = sorted((b.time_ns, i) for i, r in enumerate(reqs) for b in self.data_bursts(r))
        return sum(1 for (_, a), (_, b) in pairwise(merged) if a != b)

    def check_overlapped(self, *reqs: IoRequest, switches: int = 3) -> int:
        """The requests' data bursts interleave at least `switches` times (they were in flight at the
        same time, not merely started together); returns the count."""
        got = self.interleaving(*reqs)
        if got < switches:
            names = ", ".join(f"{r.direction} ({len(self.data_bursts(r))} bursts)" for r in reqs)
            raise CheckError(f"requests {names} did not overlap in time: their data bursts change "
                             f"owner {got} times, at least {switches} expected")
        return got

    def finish(self, req: IoRequest) -> None:
        req.finish()
        self.stats.requests += 1
        self.check_buffer(req)
        req.guards.check_guards()
        self.stats.guards_checked += len(req.guards.regions)
        self.machine.free_frames(req.guards.held)

    GUARD = 64

    def _place_guards(self, req: IoRequest) -> GuardRegions:
        """dmatest guards between and around the cookies of every window, in physical memory.

        The bytes just before and after each cookie are guarded where they lie in free frames (nobody
        else owns them, so only a stray DUT write can change them); guards inside the user mapping
        are covered by the mapping comparison (check_buffer), copy-buffer frames and the ring by the
        per-beat write check. Checked when the request finishes.
        """
        m = self.machine
        guards = GuardRegions(self.mem, guard=self.GUARD)
        guards.held = []
        plan = req.handle.plan
        cookies = sorted(zip(plan.wcookies.addr.tolist(), plan.wcookies.size.tolist(), strict=True))
        for i, (addr, size) in enumerate(cookies):
            for lo in (addr - self.GUARD, addr + size):
                hi = lo + self.GUARD
                if lo < 0 or hi > m.phys_bytes or (lo >> m.pageshift) != ((hi - 1) >> m.pageshift):
                    continue
                if m.is_allocated(lo):
                    continue
                if any(a < hi and lo < a + n for a, n in cookies):
                    continue
                guards.add_guard(f"{req.direction} cookie {i} neighbour", lo, self.GUARD)
                frame = lo >> m.pageshift
                m.hold_frames([frame])  # reserved: no later allocation may land on a guard
                guards.held.append(frame)
        return guards

    # ---- memory checks (dmatest style)
    def check_buffer(self, req: IoRequest) -> None:
        """The user mapping: inside the object = expected bytes, outside unchanged (guards)."""
        as_ = req.proc.as_
        now = as_.read(req.va, len(req.mapping_before))
        before = req.mapping_before
        lo, hi = req.off, req.off + req.length
        if req.direction == MM2S:
            want = before  # a disk write never changes the source
        else:
            want = before[:lo] + self.disk_bytes(req, 0, req.length) + before[hi:]
        if now != want:
            i = next(k for k in range(len(now)) if now[k] != want[k])
            where = (
                "before the object (underrun)"
                if i < lo
                else "after the object (overrun)"
                if i >= hi
                else f"object byte {i - lo}"
            )
            raise CheckError(
                f"{req.direction} user buffer byte {i} ({where}) is {now[i]:#04x}, expected {want[i]:#04x}"
            )

    def final_checks(self) -> None:
        """Nothing written outside the buffers (checked per beat), the rings intact, and the driver
        left nothing behind when the process exits (check_driver_exit)."""
        for mem in (self.mem, self.sg_mem):
            if mem is not None and mem.violations:
                raise CheckError(mem.violations[0])
        self.stats.beats_checked = self.beats_checked
        self.check_driver_exit()

    def check_driver_exit(self) -> None:
        """No page left hidden (xmemdma64: every hide is undone when its DMA is), then every process
        exits (pyddi_model Process.exit: a page still locked by a driver is recorded as a driver bug
        naming its ddi_umem_lock cookie, ddi_umem_lock(9F)) and the model's driver-bug record must be
        empty (Machine.check_driver_bugs raises DriverBugError). A process exits once; the record is
        checked on every call."""
        hidden = self.machine.hidden_pages()
        if hidden:
            raise CheckError(f"{len(hidden)} pages still hidden by xmemdma64 at the end (first "
                             f"{hidden[0]:#x}): a hide without its unhide")
        for proc in self.machine.processes:
            if not proc.exited:
                proc.exit()
        self.machine.check_driver_bugs()


    # ---- scenario helpers
    async def write_then_read(self, nbytes: int, off_w: int, off_r: int, blkno: int, **kw):
        """Disk write of a user buffer, then a disk read of the same blocks into another buffer."""
        w = self.disk_write(nbytes, off=off_w, blkno=blkno, **kw)
        await self.run(w)
        r = self.disk_read(nbytes, off=off_r, blkno=blkno, **kw)
        await self.run(r)
        assert r.user_bytes(0, nbytes) == w.user_bytes(0, nbytes), "read-back differs from what was written"
        return w, r

    async def random_round_trips(self, count: int, max_bytes: int, blkno: int = 0) -> int:
        """`count` write-then-read round trips of 1..max_bytes-1 bytes at random page offsets, on
        consecutive blocks from `blkno`; returns the next free block."""
        for _ in range(count):
            n = self.rng.randrange(1, max_bytes)
            await self.write_then_read(n, self.rng.randrange(0, PAGE), self.rng.randrange(0, PAGE), blkno)
            blkno += n // DEV_BSIZE + 1
        return blkno

    def free_run(self, npages: int, start: int, step: int) -> list[int]:
        """Frame numbers of npages free contiguous frames starting at an address start + k*step."""
        m = self.machine
        addr = start
        while True:
            first = addr // PAGE
            frames = list(range(first, first + npages))
            if all(m.frame_refcount(f) == 0 for f in frames):
                return frames
            addr += step

    async def limit_case(self, attr, nbytes: int, off: int, frames, error: str | None = None) -> IoRequest:
        """A disk write through `attr` on the given frames: works (error None) or is refused with the
        error named `error`."""
        req = self.disk_write(nbytes, off=off, blkno=0, attr=attr, frames=frames)
        if error is None:
            await self.run(req)
            return req
        errdesc = await self.run_window_refused(req, 0, error)
        self.log.info("refused as expected: %s at descriptor %#x", error, errdesc)
        self.finish(req)
        return req

    def report(self, test: str | None = None) -> None:
        """Final checks and the line tb/summary.py collects (beats checked, bytes moved); with
        DDI_STATS_FILE set, one JSON line per passing test."""
        test = test or sys._getframe(1).f_code.co_name
        self.final_checks()
        s = self.stats
        self.log.info(
            "DDI-STATS beats=%d bytes=%d requests=%d windows=%d cookies=%d descriptors=%d irqs=%d "
            "bounced=%d guards=%d seed=%d watchdog_peak=%.3f",
            s.beats_checked, s.bytes_moved, s.requests, s.windows, s.cookies, s.descriptors, s.interrupts,
            s.bounced, s.guards_checked, self.seed, self.watchdog_peak,
        )
        assert s.beats_checked > 0, "no beat was checked"
        stats_file = os.environ.get("DDI_STATS_FILE")
        if stats_file:
            line = {"test": test, "sim": cocotb.SIM_NAME, "params": self.params,
                    "seed": os.environ.get("COCOTB_RANDOM_SEED"), "beats": s.beats_checked,
                    "bytes": s.bytes_moved, "requests": s.requests}
            with open(stats_file, "a") as f:
                f.write(json.dumps(line) + "\n")


def env_class(dut) -> type[DdiEnv]:
    """The transport the toplevel was built for: tb/hdl/harness/sgdma_fast_tb.v (HDL agents, the
    trace: tb/env/ddi_fast.FastDdiEnv) or sgdma_tb (cocotbext-axi agents and per-beat monitors)."""
    if hasattr(dut, "tb_cmd"):
        from tb.env.ddi_fast import FastDdiEnv
        return FastDdiEnv
    return DdiEnv


async def make_ddi_env(dut, seed: int, **kw) -> DdiEnv:
    """A started DdiEnv with the adapter named by DUT_ADAPTER ("sgdma", the default, or "polled")."""
    from tb.sgdma_adapter import PolledSgdmaAdapter, SgdmaAdapter

    adapters = {"sgdma": SgdmaAdapter, "polled": PolledSgdmaAdapter}
    name = os.environ.get("DUT_ADAPTER", "sgdma")
    if name not in adapters:
        raise ValueError(f"DUT_ADAPTER={name!r}: use one of {sorted(adapters)}")
    env = env_class(dut)(dut, seed, adapter=adapters[name], **kw)
    await env.start()
    return env
