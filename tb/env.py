"""The DDI-driven environment for sgdma: the DUT sees pyddi_model's physical memory.

    env = SgdmaDdiEnv(dut, seed=cocotb.RANDOM_SEED)   # builds the machine, the agents, the checks
    await env.start()                                 # reset, capability registers -> ddi_dma_attr
    req = env.disk_write(nbytes=65536, off=0x234, blkno=8)   # user buffer, lock, iosetup, bind
    await env.run(req)                                # windows -> descriptors -> tail -> irq -> status
    env.final_checks()                                # user buffers, rings, memory outside the buffers

Components (each small and replaceable; docs/environment.md has the diagram):
  MachineMemory   the AXI4 slave on m_axi: a cocotbext-axi AxiSlave whose target is Machine.read_phys /
                  write_phys, so user pages locked by ddi_umem_lock, cookies above 4 GiB, copy buffers
                  and the descriptor rings are the same bytes the DUT reads and writes. Every write is
                  checked on the beat against the ranges the driver handed over (S2MM cookies of the
                  current window, STATUS words of the descriptors in flight); anything else fails at
                  that beat, naming the address.
  SgdmaAdapter    DUT adapter (tb/sgdma_adapter.py): register driver (tb/sgdma_regs.py), capabilities,
                  interrupt waiter. Another DMA needs only another adapter.
  disk            tb/block_device.py: BlockDeviceSink on m_axis (a packet is written at block TUSER)
                  and BlockDeviceSource on s_axis (packets read from blocks), over one BlockStore.
  backpressure    seeded random pauses on every AXI channel and both streams.
The beat scoreboard and the protocol checkers (tb/hdl/sgdma_tb.v, the toplevel) watch every beat.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field

import cocotb
import numpy as np
from cocotb.triggers import ClockCycles, RisingEdge, with_timeout
from cocotb.utils import get_sim_time
from cocotbext.axi import AxiBus, AxiLiteBus, AxiLiteMaster, AxiStreamBus, AxiStreamFrame

from tb import coverage as fcov
from tb import hostile as hostile_modes
from tb.axi_memory import AxiMemory, GuardRegions
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
from tb.reset import start_clock_and_reset
from tb.scoreboard import (
    ReadScoreboard,
    WriteScoreboard,
    attach_read_monitors,
    attach_write_monitors,
    segments_from_cookies,
)
from tb.sgdma_adapter import SgdmaAdapter
from tb.sgdma_desc import DESC_BYTES, ERR_NAME, STATUS_OFFSET, Descriptor
from tb.sgdma_env import CPU_MEM_INPUTS, quiet_bus_logs, tie_idle
from tb.sgdma_regs import pack

SRC_FILL = 0x80  # dmatest: source bytes have bit 7 set, destination bytes bit 7 clear
DST_GUARD = 0x3C
CLOCK_PERIOD_NS = 10


def src_pattern(seed: int, n: int) -> bytes:
    """Source bytes (bit 7 set), seeded."""
    return (np.random.default_rng(seed).integers(0, 0x80, n, dtype=np.uint8) | SRC_FILL).tobytes()


class CheckError(AssertionError):
    """A beat, status or memory check failed (the message names the object)."""


# ---------------------------------------------------------------------------------------------
# memory bridge
# ---------------------------------------------------------------------------------------------
async def _fail(msg: str) -> None:
    raise CheckError(msg)


class MachineAxiMemory(AxiMemory):
    """tb/axi_memory.AxiMemory (backpressure, latency, error injection, burst log, guards) whose bytes
    are the Machine's physical memory instead of AxiRam's own store.

    Every DUT write is checked on its beat against ``allowed`` (start, end, what): the ranges the driver
    handed to the hardware (S2MM cookies of the current window, STATUS words of the descriptors in
    flight). A write anywhere else is recorded and fails the test at that beat, naming the address.
    """

    def __init__(self, bus, clock, reset, machine, log, **kw):
        self.machine = machine
        self.log = log
        self.allowed: list[tuple[int, int, str]] = []
        self.violations: list[str] = []
        self.bytes_written = 0
        super().__init__(bus, clock, reset, **kw)
        self.guards = GuardRegions(self, guard=kw.get("guard", 64))

    def _hook(self):
        machine = self.machine

        async def read_phys(address, length):
            return machine.read_phys(address, length)

        async def write_phys(address, data):
            end = address + len(data)
            for lo, hi, _what in self.allowed:
                if lo <= address and end <= hi:
                    break
            else:
                msg = (
                    f"stray write: the DUT wrote {len(data)} bytes at {address:#x} "
                    f"({bytes(data)[:16].hex()}) outside the buffers handed to it "
                    f"{[(hex(a), hex(b), w) for a, b, w in self.allowed[:4]]}"
                )
                self.violations.append(msg)
                self.log.error(msg)
                cocotb.start_soon(_fail(msg))  # fail the test now, at this beat
                raise CheckError(msg)  # and answer SLVERR: the write is not performed
            self.bytes_written += len(data)
            machine.write_phys(address, data)

        self.ram.write_if._write = write_phys
        self.ram.read_if._read = read_phys
        super()._hook()

    def read(self, addr: int, length: int) -> bytes:
        return self.machine.read_phys(addr, length)

    def write(self, addr: int, data) -> None:
        self.machine.write_phys(addr, bytes(data))


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
class SgdmaDdiEnv:
    """One DUT, one simulated machine, both channels driven through the DDI (module docstring)."""

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
        hostile: str | None = None,
    ):
        self.dut = dut
        self.seed = seed
        self.rng = random.Random(seed)
        self.log = dut._log
        # cocotb derives each test's seed from the run's COCOTB_RANDOM_SEED and the test name, so the
        # same COCOTB_RANDOM_SEED (the pytest seed parameter) and test name replay this exact run
        self.log.info(
            "seed %d (replay: COCOTB_RANDOM_SEED=%s and this test name)",
            seed,
            os.environ.get("COCOTB_RANDOM_SEED", "?"),
        )
        self.machine, self.ddi = new_machine(seed, contiguity)
        self.ring_slots = ring_slots
        self.granular = granular
        self.irq_threshold, self.irq_delay = irq_threshold, irq_delay
        self.p_pause = backpressure
        self.stats = Stats()
        # the disk starts with destination-pattern bytes (bit 7 clear); disk writes replace them
        self.store = BlockStore(disk_bytes // DEV_BSIZE, seed=seed)
        dut.rst.value = 0
        dut.m_axis_tready.value = 0
        dut.s_axis_tvalid.value = 0
        self.hostile = hostile_modes.apply(dut, hostile_modes.selected(hostile), seed)  # tb/hostile.py
        if quiet:
            quiet_bus_logs(dut, ("m_axi", "m_axi_sg", "s_axil", "m_axis", "s_axis"))
        self.mem = MachineAxiMemory(
            AxiBus.from_prefix(dut, "m_axi"),
            dut.clk,
            dut.rst,
            self.machine,
            self.log,
            size=self.machine.phys_bytes,
            seed=seed,
            max_latency=latency,
        )
        self.target = self.mem
        self.sg_mem = None
        if hasattr(dut, "m_axi_sg_arvalid"):  # separate descriptor master: the same Machine memory behind it
            self.sg_mem = MachineAxiMemory(
                AxiBus.from_prefix(dut, "m_axi_sg"),
                dut.clk,
                dut.rst,
                self.machine,
                self.log,
                size=self.machine.phys_bytes,
                seed=seed + 1,
                max_latency=latency,
            )
        tie_idle(dut, CPU_MEM_INPUTS)  # the hide unit's processor port: idle in these tests
        self.axil = AxiLiteMaster(AxiLiteBus.from_prefix(dut, "s_axil"), dut.clk, dut.rst)
        # the disk (tb/block_device.py): MM2S packets land at block TUSER, S2MM packets come from blocks
        self.disk_sink = BlockDeviceSink(
            AxiStreamBus.from_prefix(dut, "m_axis"), dut.clk, dut.rst, self.store
        )
        self.disk_source = BlockDeviceSource(
            AxiStreamBus.from_prefix(dut, "s_axis"), dut.clk, dut.rst, self.store
        )
        self.sink, self.source = self.disk_sink.sink, self.disk_source.source
        for end in ("m_axis", "s_axis"):
            fcov.sample_backpressure(end, 0)      # the stream ends start without pauses
        self.hw = SgdmaAdapter(dut, self.axil)
        self.caps: Caps | None = None
        self.attr = None
        self.rings: dict[str, DescriptorRing] = {}
        self.started = {MM2S: False, S2MM: False}
        self.requests: list[IoRequest] = []
        self.data_bytes = len(dut.m_axi_wdata) // 8
        self._allowed = {MM2S: [], S2MM: []}
        self.mm2s_packets = 0  # MM2S packets handed to the hardware (each must reach the disk)
        self.packet_cookies: int | None = None  # cookies per packet (default: sgllen = SGL_MAX)
        self.rd_sb = self._idle_read_sb()
        self.wr_sb = self._idle_write_sb()
        self.retired_beats = 0
        self._attach_monitors()

    # ---- bring-up
    async def start(self) -> None:
        await start_clock_and_reset(self.dut.clk, self.dut.rst, period_ns=CLOCK_PERIOD_NS)
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
        for ch in (MM2S, S2MM):
            self.rings[ch] = DescriptorRing(self.ddi, self.attr, self.ring_slots)
        if self.p_pause:
            self.backpressure(self.p_pause)

    @property
    def cycle(self) -> int:
        """Clock periods since time 0 (from the simulation time: no per-cycle task)."""
        return int(get_sim_time("ns") // CLOCK_PERIOD_NS)

    def _pauses(self, p: float):
        rng = random.Random(self.rng.randrange(1 << 30))
        while True:
            yield rng.random() < p

    def backpressure(self, p: float) -> None:
        """Seeded random pauses on every AXI channel (AR, R, AW, W, B) and both streams."""
        self.sink.set_pause_generator(self._pauses(p))
        self.source.set_pause_generator(self._pauses(p))
        fcov.sample_backpressure("m_axis", p)
        fcov.sample_backpressure("s_axis", p)
        self.mem.set_backpressure({ch: p / 2 for ch in ("aw", "w", "b", "ar", "r")})

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
    ) -> IoRequest:
        va, npages = user_buffer(self.ddi, nbytes, off, contiguity=contiguity, lo=lo, hi=hi, frames=frames)
        proc = self.ddi.curproc
        mapping = npages * self.machine.pagesize
        seed = self.rng.randrange(1 << 30)
        if direction == MM2S:
            proc.as_.write(va, src_pattern(seed, mapping))  # the data the process wants on disk
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
    def _cr(self, npackets: int) -> dict:
        threshold = self.irq_threshold if self.irq_threshold is not None else npackets
        return {
            "IOC_IRQ_EN": 1,
            "ERR_IRQ_EN": 1,
            "DLY_IRQ_EN": int(self.irq_delay > 0),
            "IRQ_THRESHOLD": min(threshold, 255),
            "IRQ_DELAY": self.irq_delay,
        }

    async def _hand_over(self, ch: str, slots: list[int], npackets: int) -> None:
        ring = self.rings[ch]
        if not self.started[ch]:
            await self.hw.start_chain(ch, ring.paddr(slots[0]), ring.paddr(slots[-1]), self._cr(npackets))
            self.started[ch] = True
        else:
            await self.hw.regs.write(ch, "CR", pack("CR", RS=1, **self._cr(npackets)))
            await self.hw.set_tail(ch, ring.paddr(slots[-1]))

    async def wait_irq(self, ch: str, timeout_cycles: int = 400_000) -> dict[str, int]:
        """Wait for the channel's interrupt line, read SR, acknowledge (W1C) what was pending."""
        irq = self.hw.irq[ch]
        if not irq.value:
            await with_timeout(RisingEdge(irq), timeout_cycles * 10, "ns")
        sr = await self.hw.sr(ch)
        self.stats.interrupts += 1
        bits = {k: 1 for k in ("IOC_IRQ", "DLY_IRQ", "ERR_IRQ") if sr[k]}
        if bits:
            await self.hw.ack(ch, **bits)
        return sr

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
            data = req.user_bytes(win.off, win.length)  # the CPU's bytes: what must reach the disk
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

    async def _retire_scoreboard(self, req: IoRequest) -> None:
        await RisingEdge(self.dut.clk)  # let the monitors deliver the beats of this cycle
        await RisingEdge(self.dut.clk)
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
        allowed = [
            (ring.paddr(s) + STATUS_OFFSET, ring.paddr(s) + DESC_BYTES, f"{ch} STATUS of slot {s}")
            for s in slots
        ]
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

    async def run_window_refused(self, req: IoRequest, w: int, code: int) -> int:
        """A window the hardware must refuse (a deliberately wrong attr): no data beat may move, only
        STATUS words may be written; the channel halts with ``code``. Returns ERRDESC. The channel is
        soft-reset afterwards and restarted at the next descriptor."""
        ch = req.direction
        ring = self.rings[ch]
        win = req.window(w)
        descs = req.build_packets(win, ring, self._chunk(req))
        slots = [s for s, _ in descs]
        self._allow(
            ch,
            [
                (ring.paddr(s) + STATUS_OFFSET, ring.paddr(s) + DESC_BYTES, f"{ch} STATUS of slot {s}")
                for s in slots
            ],
        )
        if ch == S2MM:
            for pk in win.packets:
                self.source.send_nowait(AxiStreamFrame(self.store.read(pk.user, pk.length)))
        beats_before = self.beats_checked
        await self._hand_over(ch, slots, len(win.packets))
        sr = await self.wait_irq(ch)
        if not sr["ERR"] or sr["ERRCODE"] != code:
            raise CheckError(
                f"{ch} window {w}: expected refusal {ERR_NAME[code]}, SR {sr} "
                f"(ERRCODE {ERR_NAME.get(sr['ERRCODE'])})"
            )
        while not (await self.hw.sr(ch))["HALTED"]:
            await ClockCycles(self.dut.clk, 16)
        errdesc = await self.hw.regs.read64(ch, "ERRDESC")
        fcov.sample_refusal(ch, code, w, req.nwin)
        await ClockCycles(self.dut.clk, 50)
        if self.beats_checked != beats_before:
            raise CheckError(
                f"{ch}: {self.beats_checked - beats_before} data beats moved for a refused packet"
            )
        await self.hw.soft_reset(ch)
        self.started[ch] = False
        if ch == S2MM:
            self.source.clear()
        else:
            while not self.sink.empty():
                self.sink.recv_nowait()
        self._allow(ch, [])
        req.window_done(win)
        return errdesc

    async def _wait_window(self, req: IoRequest, win: Window, descs: list[tuple[int, Descriptor]]) -> None:
        ch = req.direction
        ring = self.rings[ch]
        done_packets = 0
        while True:
            sr = await self.wait_irq(ch)
            if sr["ERR"]:
                errdesc = await self.hw.regs.read64(ch, "ERRDESC")
                raise CheckError(
                    f"{ch} window {win.index}: engine error {ERR_NAME.get(sr['ERRCODE'])} "
                    f"at descriptor {errdesc:#x}; SR {sr}"
                )
            ring.sync_for_cpu()
            done_packets = sum(1 for pk in win.packets if ring.status(pk.slots[-1])["CMPLT"])
            if done_packets == len(win.packets):
                break
        if ch == MM2S:  # every packet reached the disk (the sink checks TKEEP, TLAST, TUSER)
            await with_timeout(self.disk_sink.wait_packets(self.mm2s_packets), 1_000_000, "ns")
        self._check_status(req, win, descs)

    def _check_status(self, req: IoRequest, win: Window, descs) -> None:
        ring = self.rings[req.direction]
        for pk in win.packets:
            for i, slot in enumerate(pk.slots):
                st = ring.status(slot)
                want = {"CMPLT": 1, "ERR": 0, "ERRCODE": 0, "XFERRED": pk.cookies[i][1]}
                if req.direction == S2MM:
                    want.update(RXSOF=int(i == 0), RXEOF=int(i == len(pk.slots) - 1))
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
        for w in range(req.nwin):
            await self.run_window(req, w)
        self.finish(req)

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
        """Nothing written outside the buffers (checked per beat) and the rings intact."""
        for mem in (self.mem, self.sg_mem):
            if mem is not None and mem.violations:
                raise CheckError(mem.violations[0])
        self.stats.beats_checked = self.beats_checked
