"""The MM2S mover's block-level environment: sgdma_mm2s with memory, stream sink, command driver and
a trace monitor.

The memory is tb/axi_memory.AxiMemory on the read-only port m_axi, filled with
tb/mm2s_checks.pattern (every byte differs from its neighbours, so a lane or offset error shows);
`inject_error` makes beats of a range answer SLVERR or DECERR. One cycle-accurate monitor records
every handshake on the command, AR, R, stream and status interfaces with its cycle number and checks
VALID/payload stability on AR and the stream; `check_all` compares the trace with tb/mm2s_checks.
Parameters come from the launcher in MM2S_PARAMS (JSON); the seed is cocotb's (printed).
Used by tests/hw/cocotb_mm2s.py.
"""
from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass, field

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge, Timer
from cocotbext.axi import AxiReadBus, AxiStreamBus, AxiStreamSink

from tb.axi_memory import AxiMemory
from tb.env.base import quiet_bus_logs
from tb.mm2s_checks import (
    ERR_NONE,
    RESP_DECERR,
    RESP_SLVERR,
    Ar,
    Beat,
    Cmd,
    check_ar_trace,
    check_status,
    check_status_timing,
    check_stream,
    expected_beats,
    make_packets,
    pattern,
)
from tb.pacing import random_pauses
from tb.reset import start_clock_and_reset


# ------------------------------------------------------------------------------------------------
@dataclass
class Trace:
    cycle: int = 0
    cmd_cycles: list[int] = field(default_factory=list)
    ars: list[Ar] = field(default_factory=list)
    rbeats: list[tuple[int, int, bool]] = field(default_factory=list)   # (cycle, rresp, rlast)
    beats: list[Beat] = field(default_factory=list)
    beat_cycles: list[int] = field(default_factory=list)
    sts: list[tuple] = field(default_factory=list)
    sts_cycles: list[int] = field(default_factory=list)
    abort_cycle: int | None = None
    protocol: list[str] = field(default_factory=list)

    def rlast_cycles(self) -> list[int]:
        return [c for c, _, last in self.rbeats if last]

    def first_error_cycle(self) -> int | None:
        return next((c for c, resp, _ in self.rbeats if resp >= 2), None)


class Mm2sEnv:
    """sgdma_mm2s with a memory on m_axi, a stream sink on m_axis, a command driver and a trace monitor."""

    def __init__(self, dut):
        self.dut = dut
        self.params = json.loads(os.environ["MM2S_PARAMS"])
        self.lanes = len(dut.m_axis_tkeep)
        assert self.lanes * 8 == self.params["DATA_WIDTH"]
        self.max_burst = self.params["MAX_BURST_LEN"]
        self.max_outstanding = self.params["MAX_OUTSTANDING"]
        self.seed = cocotb.RANDOM_SEED
        self.rng = random.Random(self.seed)
        dut._log.info("seed %d (replay with seed=%d); params %s", self.seed, self.seed, self.params)
        self.trace = Trace()
        self.sts_ready_probability = 1.0
        self.cmds: list[Cmd] = []

    async def start(self, mem_size: int = 1 << 18):
        dut = self.dut
        dut.clk.value = 0
        dut.rst.value = 0
        dut.s_cmd_valid.value = 0
        dut.m_sts_ready.value = 0
        dut.abort.value = 0
        for name in ("s_cmd_addr", "s_cmd_len", "s_cmd_sof", "s_cmd_eof", "s_cmd_user", "s_cmd_tag"):
            getattr(dut, name).value = 0
        self.mem = AxiMemory(AxiReadBus.from_prefix(dut, "m_axi"), dut.clk, dut.rst, size=mem_size,
                             seed=self.seed)
        self.mem.write(0, pattern(0, mem_size))
        self.sink = AxiStreamSink(AxiStreamBus.from_prefix(dut, "m_axis"), dut.clk, dut.rst)
        quiet_bus_logs(dut, ("m_axi", "m_axis"))
        # Raise rst before the clock's first edge so the models are already held in reset when it comes
        # (else Icarus shows them the unreset X on ARVALID at that edge); then the shared safe sequence.
        await Timer(1, unit="ns")
        dut.rst.value = 1
        await Timer(1, unit="ns")
        await start_clock_and_reset(dut.clk, dut.rst)
        self.monitor_task = cocotb.start_soon(self._monitor())

    def inject_error(self, addr: int, length: int, resp: int) -> None:
        """Read beats touching [addr, addr+length) answer resp (RESP_SLVERR or RESP_DECERR)."""
        self.mem.errors.add(addr, length, {RESP_SLVERR: "SLVERR", RESP_DECERR: "DECERR"}[resp], on="read")

    def packets(self, buffers: list[list[tuple[int, int]]]) -> list[list[Cmd]]:
        return make_packets(buffers, self.rng, self.params["TAG_WIDTH"])

    def backpressure(self, ar=0.0, r=0.0, stream=0.0, sts=0.0):
        """Random stalls (seeded) on AR ready, R valid, stream ready and status ready."""
        channels = self.mem.channels()
        if ar:
            channels["ar"].set_pause_generator(random_pauses(self.rng, ar))
        if r:
            channels["r"].set_pause_generator(random_pauses(self.rng, r))
        if stream:
            self.sink.set_pause_generator(random_pauses(self.rng, stream))
        self.sts_ready_probability = 1.0 - sts

    async def _monitor(self):
        """Record every handshake with its cycle; check VALID/payload stability on AR and stream."""
        dut, t = self.dut, self.trace
        edge = RisingEdge(dut.clk)
        ar_pending = None       # payload offered and not yet accepted
        ar_rise = None
        t_pending = None
        dut.m_sts_ready.value = 1
        while True:
            await edge
            t.cycle += 1
            c = t.cycle
            if self.trace.abort_cycle is None and int(dut.abort.value):
                t.abort_cycle = c
            if int(dut.m_axi_rready.value) != 1:
                t.protocol.append(f"cycle {c}: rready low")
            if int(dut.s_cmd_valid.value) and int(dut.s_cmd_ready.value):
                t.cmd_cycles.append(c)
            if int(dut.m_axi_arvalid.value):
                payload = (int(dut.m_axi_araddr.value), int(dut.m_axi_arlen.value),
                           int(dut.m_axi_arsize.value), int(dut.m_axi_arburst.value),
                           int(dut.m_axi_arid.value), int(dut.m_axi_arcache.value),
                           int(dut.m_axi_arprot.value), int(dut.m_axi_arlock.value))
                if ar_pending is None:
                    ar_rise = c
                elif payload != ar_pending:
                    t.protocol.append(f"cycle {c}: AR payload changed before ARREADY")
                if int(dut.m_axi_arready.value):
                    t.ars.append(Ar(c, ar_rise, *payload))
                    ar_pending = None
                else:
                    ar_pending = payload
            elif ar_pending is not None:
                t.protocol.append(f"cycle {c}: ARVALID dropped before ARREADY")
                ar_pending = None
            if int(dut.m_axi_rvalid.value):
                t.rbeats.append((c, int(dut.m_axi_rresp.value), bool(int(dut.m_axi_rlast.value))))
            if int(dut.m_axis_tvalid.value):
                beat = Beat(int(dut.m_axis_tdata.value), int(dut.m_axis_tkeep.value),
                            bool(int(dut.m_axis_tlast.value)), int(dut.m_axis_tuser.value))
                if t_pending is not None and beat != t_pending:
                    t.protocol.append(f"cycle {c}: stream beat changed before TREADY")
                if int(dut.m_axis_tready.value):
                    t.beats.append(beat)
                    t.beat_cycles.append(c)
                    t_pending = None
                else:
                    t_pending = beat
            elif t_pending is not None:
                t.protocol.append(f"cycle {c}: TVALID dropped before TREADY")
                t_pending = None
            if int(dut.m_sts_valid.value) and int(dut.m_sts_ready.value):
                t.sts.append((int(dut.m_sts_tag.value), int(dut.m_sts_len.value), int(dut.m_sts_error.value),
                              bool(int(dut.m_sts_sof.value)), bool(int(dut.m_sts_eof.value))))
                t.sts_cycles.append(c)
            if self.sts_ready_probability < 1.0:
                dut.m_sts_ready.value = int(self.rng.random() < self.sts_ready_probability)

    async def send(self, packets: list[list[Cmd]], gap_probability: float = 0.0, idle=None):
        """Drive the packets' commands on s_cmd (valid/ready), with seeded idle cycles between them
        (`gap_probability`) or the idle cycles of a pause generator (`idle`, tb/pacing.py)."""
        dut = self.dut
        edge = RisingEdge(dut.clk)
        for pkt in packets:
            for cmd in pkt:
                while (next(idle) if idle is not None else self.rng.random() < gap_probability):
                    dut.s_cmd_valid.value = 0
                    await edge
                dut.s_cmd_addr.value = cmd.addr
                dut.s_cmd_len.value = cmd.length
                dut.s_cmd_sof.value = int(cmd.sof)
                dut.s_cmd_eof.value = int(cmd.eof)
                dut.s_cmd_user.value = cmd.user
                dut.s_cmd_tag.value = cmd.tag
                dut.s_cmd_valid.value = 1
                while True:
                    await edge
                    if int(dut.s_cmd_ready.value):
                        break
                self.cmds.append(cmd)
        dut.s_cmd_valid.value = 0

    async def wait_statuses(self, count: int, timeout_cycles: int):
        edge = RisingEdge(self.dut.clk)
        for _ in range(timeout_cycles):
            if len(self.trace.sts) >= count:
                return
            await edge
        raise AssertionError(f"timeout: {len(self.trace.sts)} of {count} statuses after "
                             f"{timeout_cycles} cycles")

    async def wait_idle(self, timeout_cycles: int):
        edge = RisingEdge(self.dut.clk)
        for _ in range(timeout_cycles):
            await edge
            if int(self.dut.idle.value):
                return
        raise AssertionError(f"timeout: idle not reached in {timeout_cycles} cycles")

    def check_all(self, packets: list[list[Cmd]]):
        t = self.trace
        assert not t.protocol, "protocol: " + "; ".join(t.protocol[:5])
        check_stream(t.beats, expected_beats(packets, self.lanes), self.lanes)
        check_status(t.sts, [(c.tag, c.length, ERR_NONE, c.sof, c.eof) for p in packets for c in p])
        check_status_timing(t.sts_cycles, t.beat_cycles, packets, self.lanes)
        check_ar_trace(t.ars, t.rlast_cycles(), [c for p in packets for c in p], self.lanes,
                       self.max_burst, self.max_outstanding)

    async def run_packets(self, packets, gap_probability=0.0, timeout_cycles=None, idle=None):
        ncmds = sum(len(p) for p in packets)
        nbytes = sum(c.length for p in packets for c in p)
        timeout = timeout_cycles or 2000 + 20 * (nbytes // self.lanes + 4 * ncmds)
        await self.send(packets, gap_probability, idle)
        await self.wait_statuses(ncmds, timeout)
        await self.wait_idle(100)
        await ClockCycles(self.dut.clk, 10)
        self.check_all(packets)
        assert int(self.dut.idle.value) == 1
