"""The S2MM mover's block-level environment: sgdma_s2mm with memory, stream source, command and status
agents and a bus monitor.

The memory is tb/axi_memory.AxiMemory on the write-only port m_axi (`inject_error`: bursts touching a
range are not written and answer SLVERR or DECERR); the destination window is pre-filled with the
guard pattern (tb/s2mm_checks.guard_byte, bit 7 clear) distinct from the stream bytes (bit 7 set).
`run_packet` sends one packet and checks its statuses (tb/s2mm_checks.expected_statuses), the window
(every buffer holds exactly its stream bytes, every other byte unchanged) and the status-after-B
order; the monitor feeds every AW/W/B beat to tb/s2mm_checks.WriteBusChecker. Configuration comes
from the environment (S2MM_* set by tests/hw/test_s2mm.py). Used by tests/hw/cocotb_s2mm.py.
"""
from __future__ import annotations

import os
import random
from collections import deque

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge, Timer
from cocotbext.axi import AxiStreamBus, AxiStreamFrame, AxiStreamSource, AxiWriteBus

from tb.axi_memory import AxiMemory
from tb.pacing import random_pauses
from tb.reset import start_clock_and_reset
from tb.s2mm_checks import (
    WriteBusChecker,
    check_window,
    expected_statuses,
    expected_writes,
    guard_byte,
    stream_bytes,
)

MAX_BURST_LEN = int(os.environ.get("S2MM_MAX_BURST_LEN", "16"))
MAX_OUTSTANDING = int(os.environ.get("S2MM_MAX_OUTSTANDING", "4"))
MEM_SIZE = 1 << 17
WINDOW_BASE = 0x8000          # every test's buffers lie inside [WINDOW_BASE, WINDOW_BASE + WINDOW_SIZE)
WINDOW_SIZE = 0x6000
RESP_SLVERR = 2
RESP_DECERR = 3
WATCHDOG_FIXED = 4000         # cycles: command, first burst, status, plus the stalls of set_backpressure
WATCHDOG_PER_BEAT = 16


# --------------------------------------------------------------------------------------------
class S2mmEnv:
    """sgdma_s2mm with a memory on m_axi, a stream source on s_axis, command and status agents and a bus
    monitor feeding tb/s2mm_checks.WriteBusChecker (module docstring)."""

    def __init__(self, dut):
        self.dut = dut
        self.nb = len(dut.s_axis_tdata) // 8
        self.seed = int(os.environ.get("S2MM_SEED", cocotb.RANDOM_SEED))
        self.rng = random.Random(self.seed)
        dut._log.info("S2MM tb: DATA_WIDTH %d, MAX_BURST_LEN %d, MAX_OUTSTANDING %d, seed %d",
                      self.nb * 8, MAX_BURST_LEN, MAX_OUTSTANDING, self.seed)
        dut.rst.value = 0
        dut.abort.value = 0
        dut.s_cmd_valid.value = 0
        dut.m_sts_ready.value = 0
        self.mem = AxiMemory(AxiWriteBus.from_prefix(dut, "m_axi"), dut.clk, dut.rst, size=MEM_SIZE,
                             seed=self.seed)
        self.source = AxiStreamSource(AxiStreamBus.from_prefix(dut, "s_axis"), dut.clk, dut.rst)
        self.checker = WriteBusChecker(self.nb, MAX_BURST_LEN, MAX_OUTSTANDING)
        self.cmds: deque = deque()
        self.statuses: list[dict] = []
        self.sts_pause = None
        self.cmd_pause = None
        self.cycle = 0
        # Cycle numbers all come from _monitor's one counter: aw_rise[i] = first cycle AWVALID was seen
        # high at a rising edge for AW i; abort_sampled = first edge at which the DUT sampled abort high.
        self.trace = dict(aw_rise=[], aw=[], w=[], b=[], bresp=[], stream_first=None, abort_sampled=None)
        self.tag = 0
        self.work_bytes = 0           # bytes submitted since the mover was last idle (watchdog budget)

    async def start(self):
        # Hold the models in reset before the clock's first edge, else Icarus shows them the unreset X
        # on AWVALID at that edge; then the shared safe sequence.
        await Timer(1, unit="ns")
        self.dut.rst.value = 1
        await Timer(1, unit="ns")
        await start_clock_and_reset(self.dut.clk, self.dut.rst)
        cocotb.start_soon(self._cmd_driver())
        cocotb.start_soon(self._sts_collector())
        cocotb.start_soon(self._monitor())

    async def reset(self):
        """Pulse rst: the only way out of the stopped state (overflow, error, abort)."""
        self.dut.rst.value = 1
        self.cmds.clear()
        await ClockCycles(self.dut.clk, 4)
        self.dut.rst.value = 0
        await RisingEdge(self.dut.clk)
        self.checker.reset()
        self.statuses.clear()
        self.work_bytes = 0
        self.mem.errors.clear()
        for k in self.trace:
            self.trace[k] = None if k in ("stream_first", "abort_sampled") else []

    def set_backpressure(self, enabled: bool):
        """Seeded random pause generators on AW, W, B, the stream source, commands and statuses."""
        rng = random.Random(self.rng.randrange(1 << 30))
        channels = self.mem.channels()
        if enabled:
            channels["aw"].set_pause_generator(random_pauses(rng, 0.3))
            channels["w"].set_pause_generator(random_pauses(rng, 0.3))
            channels["b"].set_pause_generator(random_pauses(rng, 0.4))
            self.source.set_pause_generator(random_pauses(rng, 0.3))
            self.sts_pause = random_pauses(rng, 0.3)
            self.cmd_pause = random_pauses(rng, 0.3)
        else:
            for ch in ("aw", "w", "b"):
                channels[ch].set_pause_generator(None)
            self.source.set_pause_generator(None)
            self.sts_pause = None
            self.cmd_pause = None

    async def _cmd_driver(self):
        dut = self.dut
        driving = False
        while True:
            await RisingEdge(dut.clk)
            if int(dut.rst.value):
                dut.s_cmd_valid.value = 0
                driving = False
                continue
            if driving and int(dut.s_cmd_ready.value):
                self.cmds.popleft()
                driving = False
            if self.cmd_pause is not None and next(self.cmd_pause):
                dut.s_cmd_valid.value = 0
                driving = False
                continue
            if self.cmds:
                addr, length, sof, eof, tag = self.cmds[0]
                dut.s_cmd_addr.value = addr
                dut.s_cmd_len.value = length
                dut.s_cmd_sof.value = sof
                dut.s_cmd_eof.value = eof
                dut.s_cmd_tag.value = tag
                dut.s_cmd_user.value = 0
                dut.s_cmd_valid.value = 1
                driving = True
            else:
                dut.s_cmd_valid.value = 0

    async def _sts_collector(self):
        dut = self.dut
        while True:
            await RisingEdge(dut.clk)
            if int(dut.rst.value):
                dut.m_sts_ready.value = 0
                continue
            if int(dut.m_sts_ready.value) and int(dut.m_sts_valid.value):
                self.statuses.append(dict(tag=int(dut.m_sts_tag.value), len=int(dut.m_sts_len.value),
                                          err=int(dut.m_sts_error.value), sof=int(dut.m_sts_sof.value),
                                          eof=int(dut.m_sts_eof.value), cycle=self.cycle))
            stall = self.sts_pause is not None and next(self.sts_pause)
            dut.m_sts_ready.value = 0 if stall else 1

    async def _monitor(self):
        dut = self.dut
        ck = self.checker
        tr = self.trace
        awvalid_prev = 0
        while True:
            await RisingEdge(dut.clk)
            self.cycle += 1
            if int(dut.rst.value):
                awvalid_prev = 0
                continue
            awvalid = int(dut.m_axi_awvalid.value)
            wvalid = int(dut.m_axi_wvalid.value)
            ck.feed("cycle", wvalid)
            if awvalid and not awvalid_prev:
                tr["aw_rise"].append(self.cycle)
            if awvalid and int(dut.m_axi_awready.value):
                ck.feed("aw", int(dut.m_axi_awaddr.value), int(dut.m_axi_awlen.value),
                        int(dut.m_axi_awsize.value), int(dut.m_axi_awburst.value), int(dut.m_axi_awid.value))
                tr["aw"].append(self.cycle)
                awvalid_prev = 0
            else:
                awvalid_prev = awvalid
            if wvalid and int(dut.m_axi_wready.value):
                ck.feed("w", int(dut.m_axi_wdata.value), int(dut.m_axi_wstrb.value),
                        int(dut.m_axi_wlast.value))
                tr["w"].append(self.cycle)
            if int(dut.m_axi_bvalid.value) and int(dut.m_axi_bready.value):
                ck.feed("b", int(dut.m_axi_bid.value))
                tr["b"].append(self.cycle)
                tr["bresp"].append(int(dut.m_axi_bresp.value))
            if tr["stream_first"] is None and int(dut.s_axis_tvalid.value) and int(dut.s_axis_tready.value):
                tr["stream_first"] = self.cycle
            if tr["abort_sampled"] is None and int(dut.abort.value):
                tr["abort_sampled"] = self.cycle

    # ---- stimulus helpers ----
    def inject_error(self, addr: int, length: int, resp: int) -> None:
        """Write bursts touching [addr, addr+length) are not written and answer resp on B."""
        self.mem.errors.add(addr, length, {RESP_SLVERR: "SLVERR", RESP_DECERR: "DECERR"}[resp], on="write")

    def new_case(self, backpressure: bool) -> None:
        """Start a case: stalls on or off, no buffer allowed yet, the window refilled with its guard."""
        self.set_backpressure(backpressure)
        self.checker.allowed = []
        self.fill_window()

    def fill_window(self):
        self.mem.write(WINDOW_BASE, bytes(guard_byte(WINDOW_BASE + i) for i in range(WINDOW_SIZE)))

    def submit(self, bufs: list[tuple[int, int]]) -> list[int]:
        tags = []
        for i, (addr, length) in enumerate(bufs):
            tag = self.tag
            self.tag = (self.tag + 1) % 16
            self.cmds.append((addr, length, int(i == 0), int(i == len(bufs) - 1), tag))
            self.work_bytes += length
            self.checker.allow(addr, length)
            tags.append(tag)
        return tags

    def budget(self) -> int:
        """Watchdog: cycles a working mover needs at most for the bytes submitted since the last idle
        (a fixed allowance plus WATCHDOG_PER_BEAT per beat, stalls included)."""
        return WATCHDOG_FIXED + WATCHDOG_PER_BEAT * -(-self.work_bytes // self.nb)

    def state(self) -> str:
        """The mover's state for a watchdog message."""
        d = self.dut
        ck = self.checker
        return (f"idle {int(d.idle.value)}, s_cmd_ready {int(d.s_cmd_ready.value)}, s_axis_tready "
                f"{int(d.s_axis_tready.value)}, commands queued {len(self.cmds)}, statuses "
                f"{len(self.statuses)}, AW/W/B {ck.aw_count}/{ck.w_count}/{ck.b_count}")

    async def wait_statuses(self, n: int, limit: int | None = None):
        limit = limit or self.budget()
        start = self.cycle
        while len(self.statuses) < n:
            await ClockCycles(self.dut.clk, 8)
            assert self.cycle - start < limit, \
                f"watchdog: {len(self.statuses)} of {n} statuses after {limit} cycles; {self.state()}"

    async def wait_idle(self, limit: int | None = None, cmds_taken: bool = True):
        limit = limit or self.budget()
        start = self.cycle
        while True:
            await RisingEdge(self.dut.clk)
            if int(self.dut.idle.value) and not (cmds_taken and self.cmds):
                self.work_bytes = 0
                return
            assert self.cycle - start < limit, f"watchdog: not idle after {limit} cycles; {self.state()}"

    async def run_packet(self, bufs: list[tuple[int, int]], stream_len: int, data: bytes | None = None,
                         frame: AxiStreamFrame | None = None, null_tlast: bool = False):
        """One packet: commands, stream, statuses, memory; returns the statuses received.

        `data` is the packet's byte sequence; `frame` (default: `data` with TKEEP all ones) is what is
        sent, for frames whose TKEEP carries no-byte lanes.
        """
        self.checker.allowed = []
        self.fill_window()
        data = data if data is not None else stream_bytes(stream_len, self.rng)
        base = len(self.statuses)
        first_b = len(self.checker.b_addrs)
        tags = self.submit(bufs)
        await self.source.send(frame if frame is not None else AxiStreamFrame(data))
        exp = expected_statuses([n for _, n in bufs], len(data), null_tlast)
        await self.wait_statuses(base + len(bufs))
        await self.wait_idle()
        got = self.statuses[base:]
        assert len(got) == len(bufs), f"{len(got)} statuses for {len(bufs)} commands"
        for k, (g, e, t) in enumerate(zip(got, exp, tags, strict=True)):
            want = dict(e, tag=t)
            have = {key: g[key] for key in want}
            assert have == want, f"buffer {k} of {bufs} (stream {len(data)} B): status {have} != {want}"
        check_window(self.mem.read(WINDOW_BASE, WINDOW_SIZE), WINDOW_BASE, expected_writes(bufs, data))
        assert self.checker.outstanding == 0 and not self.checker.aws
        # a status only after every B of its buffer's bursts; a zero-length one with no burst at all
        b_cycles = self.trace["b"]
        for (addr, n), g in zip(bufs, got, strict=True):
            mine = [b_cycles[i] for i in range(first_b, len(b_cycles))
                    if addr <= self.checker.b_addrs[i] < addr + n]
            if g["len"] == 0:
                assert not mine, f"bus traffic for zero-length completion of buffer 0x{addr:x}"
            else:
                assert mine and max(mine) < g["cycle"], f"status of 0x{addr:x} before its last B"
        return got

    def layout(self, start: int, lens: list[int], max_gap: int) -> list[tuple[int, int]]:
        bufs, a = [], start
        for n in lens:
            bufs.append((a, n))
            a += n + self.rng.randrange(max_gap + 1)
        assert bufs[-1][0] + bufs[-1][1] <= WINDOW_BASE + WINDOW_SIZE
        return bufs


async def make_s2mm_env(dut) -> S2mmEnv:
    tb = S2mmEnv(dut)
    await tb.start()
    return tb
