"""The DDI environment on the fast transport: HDL agents move and record, Python plans and judges.

    env = FastDdiEnv(dut, seed)      # dut: tb/hdl/harness/sgdma_fast_tb.v (make_ddi_env picks it
    await env.start()                #   with DDI_TRANSPORT=fast or transport="fast")

Same driver flow, same scoreboards, same checks as tb/env/ddi.DdiEnv (the per-beat transport); what
changes is who touches the bus (docs/environment.md, "Fast transport"):
  memory      tb_axi_mem (tb/fast_agents.HdlMemory): before each hand-over the frames of the window
              (cookies and descriptor slots) are mapped and loaded from the machine; after every event
              what the DUT wrote is copied back (allowed ranges only). A write outside the allowed
              ranges, an access to a page not handed over, a burst crossing 4 KiB are refused/flagged
              by the agent on the beat and fail the test with address and cycle.
  streams     tb_axis_source loaded per packet (HdlDiskSource); the MM2S packets reach the disk from
              the trace (TraceDiskSink).
  checking    tb_beat_trace records every beat; `drain()` (after every event, at each window's end)
              reads the new records in bulk and feeds them, in cycle order, to the scoreboards that
              were in charge at their cycle (tb/beat_trace.BeatDispatcher).
  pacing      seeded in HDL (tb_seed = the test's seed): stall probability per handshake and
              first-beat latency on the memory, stall probability on the streams.
`check=False` skips the scoreboards (the benchmark's "unchecked" row: the limit of the HDL agents).
"""
from __future__ import annotations

from cocotb.triggers import ClockCycles, Lock

from tb import coverage as fcov
from tb import hostile as hostile_modes
from tb.axi_memory import BurstRecord
from tb.beat_trace import BeatDispatcher, TraceFile
from tb.ddi_driver import MM2S, S2MM
from tb.env.ddi import DdiEnv
from tb.fast_agents import (
    TRACE_FLUSH,
    TRACE_OPEN,
    AgentPort,
    HdlDiskSource,
    HdlErrorMap,
    HdlMemory,
    TraceDiskSink,
    frames_of,
)


class _NullScoreboard:
    """Takes every beat and checks nothing (check=False: the benchmark's limit row)."""

    def __init__(self):
        self.r_beats = self.stream_beats = self.w_beats = 0

    def on_ar(self, *_a):
        pass

    on_aw = on_b = on_ar

    def on_r(self, *_a):
        self.r_beats += 1

    def on_w(self, *_a):
        self.w_beats += 1

    def on_stream(self, *_a):
        self.stream_beats += 1


class FastDdiEnv(DdiEnv):
    """DdiEnv with HDL agents on every data port (module docstring)."""

    transport = "fast"

    def __init__(self, dut, seed: int, *, check: bool = True, hostile: str | None = None, **kw):
        self.top = dut
        self.check_beats = check
        self.port = AgentPort(dut)
        dut.tb_seed.value = seed & 0xFFFF_FFFF
        dut.tb_mem_pause.value = 0
        dut.tb_mem_latency.value = 0
        dut.tb_axis_pause.value = 0
        self._drain_lock = Lock()
        self._frames = {MM2S: set(), S2MM: set()}
        self._next_frames = {MM2S: set(), S2MM: set()}
        self.trace = None
        self._cycle0_ns = 0.0           # now_ns() at trace cycle 0 (start() sets it after the reset)
        super().__init__(dut, seed, hostile="none", **kw)
        # the hostile shims are inside sgdma_tb, between sgdma and the agents
        self.hostile = hostile_modes.selected(hostile)
        if hostile_modes.apply(dut.tb, self.hostile, self.seed):
            self.slowdown = hostile_modes.SLOWDOWN
        self.mem.set_pacing(0.0, self.latency)
        self.log.info("fast transport: HDL agents seeded with %d, files %s/*_%d*", seed & 0xFFFF_FFFF,
                      self.port.dir, self.port.token)

    # ---- agents (BaseEnv / DdiEnv extension points)
    def hold_stream_inputs(self) -> None:
        pass                                  # the HDL agents drive them

    def make_memory(self, prefix: str, seed: int, share):
        index = 0 if prefix == "m_axi" else 1
        inst = self.top.mem if index == 0 else self.top.g_sg_mem.sg_mem
        p = self.params
        # both memories take the toplevel's tb_mem_err_* inputs: one map, as share.errors per beat
        errors = share.errors if share is not None else HdlErrorMap.of(self.top, "tb_mem_err_")
        return HdlMemory(self.port, inst, self.machine, self.data_bytes * 8, self.addr_width, index,
                         sets_log2=p.get("MEM_SETS_LOG2", 9), ways=p.get("MEM_WAYS", 8), errors=errors)

    def make_streams(self):
        t = self.top
        self.disk_sink = TraceDiskSink(t.disk_sink, self.store, self.data_bytes * 8)
        self.disk_sink.wait_packets = self._wait_disk_packets
        self.disk_source = HdlDiskSource(self.port, t.disk_source, self.store, self.data_bytes * 8)
        return self.disk_sink, self.disk_source

    def _attach_monitors(self) -> None:
        self.dispatch = BeatDispatcher(lambda: self.rd_sb, lambda: self.wr_sb, self._apply_swap,
                                       stream_sink=self.disk_sink.beats, on_burst=self._log_burst)
        if not self.check_beats:
            self.rd_sb = self.wr_sb = _NullScoreboard()

    def _log_burst(self, channel: str, beats, i: int) -> None:
        # on now_ns()'s scale, as the per-beat monitors log: the trace counts cycles from the last reset
        self.mem.bursts.append(BurstRecord(channel, int(beats.id[i]), int(beats.addr[i]), int(beats.len[i]),
                                           int(beats.size[i]), int(beats.burst[i]),
                                           float(beats.cycle[i]) * self.PERIOD_NS + self._cycle0_ns))

    def backpressure(self, p: float = 0.3) -> None:
        self.p_pause = p
        self.top.tb_axis_pause.value = min(255, int(round(p * 256)))
        self.mem.set_pacing(p / 2, self.latency)
        fcov.sample_backpressure("m_axis", p)
        fcov.sample_backpressure("s_axis", p)

    def flush_streams(self) -> None:
        self.disk_source.clear()

    # ---- bring-up
    async def start(self) -> None:
        await super().start()
        self._cycle0_ns = self.now_ns() - self._cycle_now() * self.PERIOD_NS
        async with self.port.lock:
            await self.port.pulse(TRACE_OPEN)
        self.trace = TraceFile(self.port.path(f"tbtrace_{self.port.token}.txt"), self.data_bytes * 8)

    # ---- scoreboard swaps take effect at the cycle they were made (the trace is read later)
    def _cycle_now(self) -> int:
        return int(self.top.cycle.value)

    def _install_read_sb(self, sb) -> None:
        if self.check_beats:
            self.dispatch.install("read", self._cycle_now() + 1, sb)

    def _install_write_sb(self, sb) -> None:
        if self.check_beats:
            self.dispatch.install("write", self._cycle_now() + 1, sb)

    def _apply_swap(self, kind: str, sb) -> None:
        if kind == "read":
            DdiEnv._install_read_sb(self, sb)
        else:
            DdiEnv._install_write_sb(self, sb)

    def _window_scoreboard(self, req, win) -> None:
        self._next_frames[req.direction] = frames_of(win.cookies)
        if self.check_beats:
            super()._window_scoreboard(req, win)

    # ---- the trace
    def _feed(self) -> None:
        self.dispatch.feed(self.trace.read_new())

    async def drain(self) -> None:
        """Every beat recorded so far to the scoreboards (and the disk); the agents' violations."""
        async with self._drain_lock:
            async with self.port.lock:
                await self.port.pulse(TRACE_FLUSH)
            self._feed()
            self.dispatch._swaps_until(self._cycle_now())
            for mem in self.dma_ports():
                mem.check()

    async def settle_beats(self) -> None:
        """The trace read and the DUT's writes copied back, now."""
        await self.drain()
        for mem in self.dma_ports():
            await mem.read_back()

    async def _wait_disk_packets(self, count: int) -> None:
        while self.disk_sink.hdl_packets() < count:
            await ClockCycles(self.dut.clk, 16)
        await self.drain()

    # ---- windows
    async def _hand_over(self, ch: str, slots: list[int], npackets: int) -> None:
        # the whole ring: the engine may prefetch descriptors past the tail (they stay in the ring)
        ring_frames = frames_of(self.rings[ch].cookies)
        data_frames = self._next_frames[ch]
        self._next_frames[ch] = set()
        self._release(ch)
        self._frames[ch] = ring_frames | data_frames
        if self.sg_mem is not None:
            self.sg_mem.pin(ring_frames)
            self.mem.pin(data_frames)
            await self.sg_mem.sync(ring_frames)
            await self.mem.sync(data_frames)
        else:
            self.mem.pin(self._frames[ch])
            await self.mem.sync(self._frames[ch])
        await self.disk_source.sync()
        await super()._hand_over(ch, slots, npackets)

    def _release(self, ch: str) -> None:
        frames = self._frames[ch]
        if not frames:
            return
        for mem in self.dma_ports():
            mem.unpin([f for f in frames if f in mem.pinned])
        self._frames[ch] = set()

    async def wait_irq(self, ch: str, budget: int | None = None, what: str = "an event"):
        st = await super().wait_irq(ch, budget, what)
        await self.settle_beats()
        return st

    async def _retire_scoreboard(self, req) -> None:
        if self.check_beats:
            await super()._retire_scoreboard(req)      # settles the beats, then finishes the window's
        else:
            await ClockCycles(self.dut.clk, 2)
            await self.settle_beats()
        self._release(req.direction)

    async def run_window_refused(self, req, w: int, error: str) -> int:
        errdesc = await super().run_window_refused(req, w, error)
        self._release(req.direction)
        return errdesc

    @property
    def beats_checked(self) -> int:
        if not self.check_beats:
            return 0
        return super().beats_checked

    progress_poll = 64          # each look drains the trace: not every few cycles

    async def catch_up(self) -> None:
        await self.drain()

    def final_checks(self) -> None:
        """What the trace holds so far is checked (a sync read: the lines the simulator has written
        out), then the base's checks."""
        if self.trace is not None:
            self._feed()
        for mem in self.dma_ports():
            mem.check()
        super().final_checks()

    def beat_counts(self) -> int:
        """Beats that crossed the data ports (R, W, MM2S stream), checked or not (the benchmark)."""
        return self.dispatch.beats
