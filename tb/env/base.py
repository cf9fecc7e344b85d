"""The base environment: sgdma's ports and the agents on them, shared by every system-level layer.

    class MyEnv(BaseEnv): ...                   # tb/env/sgdma.py (registers), tb/env/ddi.py (DDI driver)
    env = MyEnv(dut, params)                    # agents built with reset low (the Icarus X trap)
    await env.start()                           # clock and reset in the safe order (tb/reset.py)

Parts, each built once here:
  clock, reset, cycle   start() runs tb/reset.start_clock_and_reset; `cycle` counts clock periods from
                        the simulation time (no per-cycle task);
  seed, rng             the test's seed (cocotb.RANDOM_SEED unless given), printed first;
  mem                   tb/axi_memory.AxiMemory on m_axi (a subclass may build another memory:
                        `make_memory`); sg_mem on m_axi_sg with SG_PORT=1 (same bytes and fault map);
                        cpu_mem and cpu_master on the hide unit's CPU gate with `cpu_port=True`;
  axil, hw              an AxiLiteMaster on s_axil and the DUT adapter over it (`make_adapter`;
                        tb/dut_adapter.DutAdapter, sgdma's is tb/sgdma_adapter.SgdmaAdapter);
  sink, source          the stream agents on m_axis and s_axis (`make_streams`);
  pacing                `pauses(p)` and `backpressure(p)` (tb/pacing.py), seeded from the test;
  burst log             `bursts()`, `check_no_access()`, `expect_quiet_after_halt()` over both DMA
                        masters (tb/axi_memory.BurstRecord at the handshake);
  tie-offs              inputs of ports without an agent held idle (no X into the protocol checkers);
  hostile               the interconnect shims of tb/hdl/harness/sgdma_tb.v (tb/hostile.py): `hostile=`
                        or SGDMA_HOSTILE picks the mode; budgets grow by hostile.SLOWDOWN under one;
  coverage              functional coverage samples (tb/coverage.py) of configuration and pacing;
  watchdog              `wait_until`/`wait_trigger`: every wait has a cycle budget (`budget()` derives
                        one from the work) and a hang fails naming what was awaited and the channel's
                        state (`hw.describe`).
"""
from __future__ import annotations

import json
import logging
import os
import random

import cocotb
from cocotb.triggers import ClockCycles, SimTimeoutError, with_timeout
from cocotb.utils import get_sim_time
from cocotbext.axi import (
    AxiBus,
    AxiLiteBus,
    AxiLiteMaster,
    AxiMaster,
    AxiStreamBus,
    AxiStreamSink,
    AxiStreamSource,
)

from tb import coverage as fcov
from tb import hostile as hostile_modes
from tb.axi_memory import CHANNELS, AxiMemory, BurstRecord
from tb.pacing import random_pauses
from tb.reset import start_clock_and_reset
from tb.sim_runner import sgdma_defaults

SG_INPUTS = ("m_axi_sg_awready", "m_axi_sg_wready", "m_axi_sg_bvalid", "m_axi_sg_arready",
             "m_axi_sg_rvalid")
CPU_MEM_INPUTS = ("m_axi_cpu_awready", "m_axi_cpu_wready", "m_axi_cpu_bvalid", "m_axi_cpu_arready",
                  "m_axi_cpu_rvalid")
CPU_GATE_INPUTS = ("s_axi_cpu_awvalid", "s_axi_cpu_wvalid", "s_axi_cpu_bready", "s_axi_cpu_arvalid",
                   "s_axi_cpu_rready")
MAINT_INPUTS = ("m_maint_req_ready", "s_maint_done_valid")
BUS_PREFIXES = ("m_axi", "m_axi_sg", "m_axi_cpu", "s_axi_cpu", "s_axil", "m_axis", "s_axis")

# Watchdog budget: a fixed allowance (register accesses, descriptor fetch, interrupt delay) plus a
# per-beat and a per-descriptor cost, scaled by the stall probabilities in force. Generous: a working
# DUT stays far below it (docs/tb.md, "Watchdog"); a hung one fails after it, in seconds.
WATCHDOG_FIXED = 4000
WATCHDOG_PER_BEAT = 8
WATCHDOG_PER_DESC = 400


class WatchdogError(AssertionError):
    """A wait exceeded its cycle budget: the DUT (or the testbench) hangs."""


def params_from_environment() -> dict:
    """The top's parameters, passed by the pytest launcher in SGDMA_PARAMS (JSON)."""
    return json.loads(os.environ.get("SGDMA_PARAMS", "{}"))


def tie_idle(dut, names) -> None:
    """Hold inputs of an unused port inactive (the ones the toplevel has)."""
    for name in names:
        if hasattr(dut, name):
            getattr(dut, name).value = 0


def quiet_bus_logs(dut, prefixes=BUS_PREFIXES) -> None:
    """cocotbext-axi logs every burst and frame at INFO: slow and unreadable."""
    for prefix in prefixes:
        logging.getLogger(f"cocotb.{dut._name}.{prefix}").setLevel(logging.WARNING)


class BaseEnv:
    """sgdma's ports with their agents; a layer adds what it checks (module docstring)."""

    PERIOD_NS = 10

    def __init__(self, dut, params: dict | None = None, *, seed: int | None = None,
                 mem_size: int | None = None, latency: int = 0, cpu_port: bool = False,
                 quiet: bool = True, hostile: str | None = None):
        self.dut = dut
        self.log = dut._log
        self.params = params_from_environment() if params is None else params
        p = self.params
        self.data_bytes = len(dut.m_axi_wdata) // 8
        self.addr_width = p.get("ADDR_WIDTH", 64)
        self.seed = cocotb.RANDOM_SEED if seed is None else seed
        self.rng = random.Random(self.seed)
        self.latency = latency
        self.p_pause = 0.0
        self.watchdog_peak = 0.0          # the largest share of a budget a wait used (logged by layers)
        # cocotb derives each test's seed from the run's COCOTB_RANDOM_SEED and the test name, so the
        # same COCOTB_RANDOM_SEED and test name replay this exact run
        self.log.info("seed %d (replay: COCOTB_RANDOM_SEED=%s and this test name), params %s",
                      self.seed, os.environ.get("COCOTB_RANDOM_SEED", "?"), p)
        dut.rst.value = 0                 # models see a defined reset before the clock starts
        self.hold_stream_inputs()
        self.hostile = hostile_modes.selected(hostile)
        # waits are this much longer behind a hostile interconnect (same work, a slower bus)
        self.slowdown = hostile_modes.SLOWDOWN if hostile_modes.apply(dut, self.hostile, self.seed) else 1
        # sparse RAM; cocotbext-axi cannot size it at 2**64, and the tests stay below 2**48 then
        self.mem_size = mem_size or 2 ** min(self.addr_width, 48)
        self.mem = self.make_memory("m_axi", self.seed, None)
        self.sg_mem = None
        # the descriptor master (SG_PORT, default as in hdl/sgdma.v): same bytes, same fault map
        self.sg_port = bool(p.get("SG_PORT", sgdma_defaults()["SG_PORT"]))
        if self.sg_port:
            self.sg_mem = self.make_memory("m_axi_sg", self.seed + 1, self.mem)
        else:
            tie_idle(dut, SG_INPUTS)
        self.cpu_mem = self.cpu_master = None
        tie_idle(dut, MAINT_INPUTS)       # a maintenance responder (tb/cpu_cache.py) takes them over
        if cpu_port and p.get("HIDE_ENTRIES", 0):
            self.cpu_mem = AxiMemory(AxiBus.from_prefix(dut, "m_axi_cpu"), dut.clk, dut.rst,
                                     size=self.mem_size, seed=self.seed + 2, share=self.mem)
            self.cpu_master = AxiMaster(AxiBus.from_prefix(dut, "s_axi_cpu"), dut.clk, dut.rst)
        else:
            tie_idle(dut, CPU_MEM_INPUTS + CPU_GATE_INPUTS)
        self.axil = AxiLiteMaster(AxiLiteBus.from_prefix(dut, "s_axil"), dut.clk, dut.rst)
        self.hw = self.make_adapter()
        self.sink, self.source = self.make_streams()
        if quiet:
            quiet_bus_logs(dut)
        fcov.configure(p)
        for end in ("m_axis", "s_axis"):
            fcov.sample_backpressure(end, 0)      # the stream ends start without pauses

    # ---- extension points (a layer overrides these to put other agents on the same ports)
    def hold_stream_inputs(self) -> None:
        """The stream inputs idle until the agents start (a toplevel whose HDL agents drive them has
        none to hold: tb/env/ddi_fast.py)."""
        self.dut.m_axis_tready.value = 0
        self.dut.s_axis_tvalid.value = 0

    def make_memory(self, prefix: str, seed: int, share: AxiMemory | None) -> AxiMemory:
        """The AXI slave on a DMA master port; `share`: the first port's memory (same bytes)."""
        return AxiMemory(AxiBus.from_prefix(self.dut, prefix), self.dut.clk, self.dut.rst, size=self.mem_size,
                         seed=seed, max_latency=self.latency, guard=64, share=share)

    def make_adapter(self):
        """The DUT adapter (tb/dut_adapter.DutAdapter) over the register port."""
        from tb.sgdma_adapter import SgdmaAdapter
        return SgdmaAdapter(self.dut, self.axil)

    def make_streams(self):
        """(sink on m_axis, source on s_axis)."""
        d = self.dut
        return (AxiStreamSink(AxiStreamBus.from_prefix(d, "m_axis"), d.clk, d.rst),
                AxiStreamSource(AxiStreamBus.from_prefix(d, "s_axis"), d.clk, d.rst))

    # ---- clock, reset, time
    async def start(self) -> None:
        await start_clock_and_reset(self.dut.clk, self.dut.rst, period_ns=self.PERIOD_NS)

    @property
    def cycle(self) -> int:
        """Clock periods since time 0 (from the simulation time: no per-cycle task)."""
        return int(get_sim_time("ns") // self.PERIOD_NS)

    @staticmethod
    def now_ns() -> float:
        return get_sim_time("ns")

    # ---- pacing
    def pauses(self, p: float):
        """A pause generator (True with probability p) seeded from the test's seed."""
        return random_pauses(random.Random(self.rng.randrange(1 << 30)), p)

    def backpressure(self, p: float = 0.3) -> None:
        """Seeded random pauses on the stream ends (p) and on every channel of m_axi (p / 2)."""
        self.p_pause = p
        self.sink.set_pause_generator(self.pauses(p))
        self.source.set_pause_generator(self.pauses(p))
        fcov.sample_backpressure("m_axis", p)
        fcov.sample_backpressure("s_axis", p)
        self.mem.set_backpressure({ch: p / 2 for ch in CHANNELS})

    # ---- watchdog
    def budget(self, nbytes: int = 0, descs: int = 0, extra: int = 0) -> int:
        """Cycles a working DUT needs at most for `nbytes` of data in `descs` descriptors under the
        stalls and latency in force (plus `extra`, e.g. an interrupt delay)."""
        beats = -(-nbytes // self.data_bytes)
        slow = 1.0 / (1.0 - min(self.p_pause, 0.9)) ** 2
        per_burst = self.latency * 2
        work = WATCHDOG_PER_BEAT * beats + (WATCHDOG_PER_DESC + per_burst) * descs + per_burst * beats // 4
        return int(WATCHDOG_FIXED + slow * work) * self.slowdown + extra

    async def hang(self, what: str, budget: int, ch: str | None = None) -> None:
        """Fail: `what` did not happen within `budget` cycles; the channel's state if it can be read."""
        state = ""
        if ch is not None:
            try:
                state = "; " + await with_timeout(self.hw.describe(ch), 2000 * self.PERIOD_NS, "ns")
            except SimTimeoutError:
                state = f"; {ch}: the register port does not answer either"
        raise WatchdogError(f"watchdog: {what} not done within {budget} cycles "
                              f"(cycle {self.cycle}){state}")

    async def wait_until(self, done, budget: int, what: str, ch: str | None = None, poll: int = 4):
        """Poll `done()` (a function, or a coroutine function) every `poll` cycles until it returns a
        true value (returned), for at most `budget` cycles."""
        start = self.cycle
        while True:
            got = done()
            if hasattr(got, "__await__"):
                got = await got
            if got:
                self._used(start, budget)
                return got
            if self.cycle - start >= budget:
                await self.hang(what, budget, ch)
            if poll:
                await ClockCycles(self.dut.clk, poll)

    async def wait_trigger(self, trigger, budget: int, what: str, ch: str | None = None):
        """Await a trigger (or coroutine) for at most `budget` cycles."""
        start = self.cycle
        try:
            got = await with_timeout(trigger, budget * self.PERIOD_NS, "ns")
        except SimTimeoutError:
            await self.hang(what, budget, ch)
        self._used(start, budget)
        return got

    def _used(self, start: int, budget: int) -> None:
        self.watchdog_peak = max(self.watchdog_peak, (self.cycle - start) / budget)

    # ---- bus observations (both DMA masters: m_axi and, with SG_PORT=1, m_axi_sg)
    def dma_ports(self) -> list[AxiMemory]:
        return [m for m in (self.mem, self.sg_mem) if m is not None]

    def bursts(self, channel: str, since_ns: float = -1.0) -> list[BurstRecord]:
        """AR or AW bursts of both DMA masters whose handshake came after since_ns, in time order."""
        out = [b for m in self.dma_ports() for b in m.bursts if b.channel == channel and b.time_ns > since_ns]
        return sorted(out, key=lambda b: b.time_ns)

    def check_no_access(self, start: int, length: int, what: str, since_ns: float = -1.0) -> None:
        hits = [b for m in self.dma_ports() for b in m.bursts_touching(start, length, since_ns)]
        assert not hits, f"{what}: bus access to [{start:#x}, {start + length:#x}): {hits[:4]}"

    async def settle_beats(self) -> None:
        """Every beat so far has reached the scoreboards and the burst log (here at once; a transport
        that reads a trace later drains it: tb/env/ddi_fast.py)."""

    async def expect_quiet_after_halt(self, cycles: int = 200) -> None:
        """Nothing on AR/AW of either DMA master for `cycles` after the channel reported HALTED."""
        await self.settle_beats()
        seen = [len(m.bursts) for m in self.dma_ports()]
        await ClockCycles(self.dut.clk, cycles)
        await self.settle_beats()
        late = [b for m, n in zip(self.dma_ports(), seen, strict=True) for b in m.bursts[n:]]
        assert not late, f"bus requests after the halt: {late[:4]}"

    def flush_streams(self) -> None:
        """Reset the stream agents only (cocotbext-axi's assert_reset): an aborted MM2S packet ends
        without TLAST and an aborted S2MM channel leaves the rest of a source frame untaken, as a
        system would reset its stream peers."""
        for agent in (self.sink, self.source):
            agent.assert_reset()
        self.sink.clear()
        self.source.clear()
