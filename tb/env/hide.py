"""HideEnv: sgdma_hide alone, with Python playing everything around it.

  * the descriptor engines: commands into s_<ch>_cmd_*, statuses collected from m_<ch>_sts_*;
  * the data movers: commands taken from m_<ch>_cmd_*; MM2S reads the shared memory (the
    "stream" is the bytes it read), S2MM writes it; then a status into s_<ch>_sts_*;
  * the processor: tb/cpu_cache.CpuCache (write-back cache) whose line fills and uncached
    accesses go through the CPU gate (AxiMaster on s_axi_cpu_*), whose write-backs go straight to
    memory, and which answers the maintenance port (tb/cpu_cache.MaintenancePort);
  * the shared memory: an AxiRam on m_axi_cpu_*, also accessed directly by the movers.
Checkers: every page of a command is hidden when its data moves (tb/hide_shadow.HideShadow, the table
rebuilt from the trace port, also checking each trace count); stream / memory contents against the
coherent processor view; modified events; the final state (all pages open, counters).
Used by tests/hw/cocotb_hide.py and tests/hw/cocotb_hide_bench.py.
"""
from __future__ import annotations

import logging
import os
import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, Event, RisingEdge
from cocotbext.axi import AxiBus, AxiMaster, AxiRam

from tb.cpu_cache import AxiMasterBus, CpuCache, MaintenancePort, mismatches, pages_of, pattern
from tb.hide_shadow import HideShadow

PAGE = 4096
CACHED, WRCOMB, UNCACHED = 0, 1, 2
MM2S, S2MM = 0, 1
CH_NAMES = ("mm2s", "s2mm")
TAG_MOD = 16
MEM_SIZE = 1 << 20


class Cmd:
    def __init__(self, ch, addr, length, cache, tag, data=None, sts_len=None, hold=None):
        self.ch, self.addr, self.length, self.cache, self.tag = ch, addr, length, cache, tag
        self.data = data                      # S2MM: bytes the device writes
        self.sts_len = length if sts_len is None else sts_len
        self.hold = hold                      # Event: the mover waits for it before moving data
        self.moved = None                     # MM2S: bytes read; cycle of the data movement
        self.snapshot = None                  # MM2S: coherent processor view at release
        self.release_cycle = self.move_cycle = self.done_cycle = None
        self.done = Event()


class HideEnv:
    def __init__(self, dut, seed: int = 1, cache_size=16384, line=64, ways=4, mover_delay=(2, 20),
                 backpressure=True, bytes_per_cycle=None):
        self.dut = dut
        dut.rst.value = 0          # defined reset before the AXI models sample it (X trap on Icarus)
        self.rnd = random.Random(seed)
        self.mover_delay = mover_delay
        self.backpressure = backpressure
        self.bytes_per_cycle = bytes_per_cycle  # set: the mover takes len/bytes_per_cycle cycles
        self.cycle = 0
        for ch in CH_NAMES:
            getattr(dut, f"s_{ch}_cmd_valid").value = 0
            getattr(dut, f"s_{ch}_sts_valid").value = 0
            getattr(dut, f"m_{ch}_cmd_ready").value = 0
            getattr(dut, f"m_{ch}_sts_ready").value = 0
        dut.test_skip_maint.value = 0
        dut.test_gate_open.value = 0    # test-only: a gate that lets everything through (not used here)
        dut.ch_abort.value = 0          # no engine abort / mover flush in the standalone tests
        dut.ch_flush.value = 0
        self.ram = AxiRam(AxiBus.from_prefix(dut, "m_axi_cpu"), dut.clk, dut.rst, size=MEM_SIZE)
        self.master = AxiMaster(AxiBus.from_prefix(dut, "s_axi_cpu"), dut.clk, dut.rst)
        self.cache = CpuCache(cache_size, line, ways, bus=AxiMasterBus(self.master), writeback=self.ram.write)
        self.maint = MaintenancePort(
            dut, self.cache, ready_delay=(lambda: self.rnd.randint(0, 3)) if backpressure else None)
        self.errors: list[str] = []
        self.table = HideShadow(dut, self.errors)   # the hide table rebuilt from the trace port
        self.trace = self.table.trace          # (cycle, 'hide'/'unhide', page, count, modified)
        self.shadow = self.table.count         # page -> hide count from the trace
        self.unhides = self.table.unhides      # page -> unhide events seen
        self.mods: list[tuple[int, int]] = []  # (cycle, page)
        self.tags = [0, 0]
        self.cmd_q = [[], []]                  # submitted, not yet taken by the unit
        self.inflight = [[], []]               # taken by the mover, awaiting data movement
        self.cmd_wake = [Event(), Event()]
        self.all_cmds: list[Cmd] = []
        self.dev_mem: dict[int, int] = {}      # the last byte the device wrote at each address
        self.sts_pages: dict[int, int] = {}    # page -> statuses passed on for commands holding it
        self.sts_next = [0, 0]                 # per channel: index of the next status expected
        self.cpu_writes: dict[int, list] = {}  # byte address -> [(cycle, value)] CPU stores

    async def start(self):
        await ClockCycles(self.dut.clk, 3)
        self.dut.rst.value = 0
        await RisingEdge(self.dut.clk)
        cocotb.start_soon(self._monitor())
        for ch in (MM2S, S2MM):
            cocotb.start_soon(self._cmd_driver(ch))
            cocotb.start_soon(self._mover_accept(ch))
            cocotb.start_soon(self._mover(ch))
            cocotb.start_soon(self._sts_sink(ch))

    # ------------------------------------------------------------------ monitors
    async def _monitor(self):
        dut = self.dut
        while True:
            await RisingEdge(dut.clk)
            self.cycle += 1
            self.table.sample(self.cycle)
            for ch, name in enumerate(CH_NAMES):
                # the unit unhides a command's pages before it passes its status on
                if int(getattr(dut, f"m_{name}_sts_valid").value) and \
                        int(getattr(dut, f"m_{name}_sts_ready").value):
                    mine = [c for c in self.all_cmds if c.ch == ch]
                    cmd = mine[self.sts_next[ch]]
                    self.sts_next[ch] += 1
                    for p in pages_of(cmd.addr, cmd.length):
                        self.sts_pages[p] = self.sts_pages.get(p, 0) + 1
                        if self.unhides.get(p, 0) < self.sts_pages[p]:
                            self.errors.append(f"{name}: status {cmd.tag} passed before page {p:#x} "
                                               "was unhidden")
            if int(dut.mod_valid.value):
                self.mods.append((self.cycle, int(dut.mod_addr.value)))

    # ------------------------------------------------------------------ engine side
    def submit(self, ch, addr, length, cache=CACHED, data=None, sts_len=None, hold=None) -> Cmd:
        tag = self.tags[ch]
        self.tags[ch] = (tag + 1) % TAG_MOD
        if ch == S2MM and data is None:
            data = pattern(self.rnd.getrandbits(32), length)
        cmd = Cmd(ch, addr, length, cache, tag, data, sts_len, hold)
        self.cmd_q[ch].append(cmd)
        self.all_cmds.append(cmd)
        self.cmd_wake[ch].set()
        return cmd

    async def _cmd_driver(self, ch):
        dut, name = self.dut, CH_NAMES[ch]
        while True:
            while not self.cmd_q[ch]:
                self.cmd_wake[ch].clear()
                await self.cmd_wake[ch].wait()
                await RisingEdge(dut.clk)
            cmd = self.cmd_q[ch][0]
            getattr(dut, f"s_{name}_cmd_addr").value = cmd.addr
            getattr(dut, f"s_{name}_cmd_len").value = cmd.length
            getattr(dut, f"s_{name}_cmd_sof").value = 1
            getattr(dut, f"s_{name}_cmd_eof").value = 1
            getattr(dut, f"s_{name}_cmd_user").value = cmd.tag
            getattr(dut, f"s_{name}_cmd_cache").value = cmd.cache
            getattr(dut, f"s_{name}_cmd_tag").value = cmd.tag
            getattr(dut, f"s_{name}_cmd_valid").value = 1
            while True:
                await RisingEdge(dut.clk)
                if int(getattr(dut, f"s_{name}_cmd_ready").value):
                    break
            getattr(dut, f"s_{name}_cmd_valid").value = 0
            self.cmd_q[ch].pop(0)

    async def _mover_accept(self, ch):
        """Take released commands (m_<ch>_cmd), with random backpressure."""
        dut, name = self.dut, CH_NAMES[ch]
        while True:
            ready = 1 if not self.backpressure else int(self.rnd.random() < 0.7)
            getattr(dut, f"m_{name}_cmd_ready").value = ready
            await RisingEdge(dut.clk)
            if ready and int(getattr(dut, f"m_{name}_cmd_valid").value):
                tag = int(getattr(dut, f"m_{name}_cmd_tag").value)
                addr = int(getattr(dut, f"m_{name}_cmd_addr").value)
                length = int(getattr(dut, f"m_{name}_cmd_len").value)
                cmd = next((c for c in self.all_cmds if c.ch == ch and c.release_cycle is None), None)
                if cmd is None or (cmd.tag, cmd.addr, cmd.length) != (tag, addr, length):
                    self.errors.append(f"{name}: released command {tag}/{addr:#x}/{length} out of order")
                    continue
                cmd.release_cycle = self.cycle
                for p in pages_of(addr, length):
                    if self.shadow.get(p, 0) < 1:
                        self.errors.append(f"{name}: command {tag} released with page {p:#x} open")
                if cmd.cache not in (WRCOMB, UNCACHED) and not int(dut.test_skip_maint.value):
                    # xmemdma64: a hidden page is invalid, no process can read or load it into
                    # the cache; so no line of it may be valid (a hit would bypass the gate)
                    for p in pages_of(addr, length):
                        if self.cache.cached_lines(p):
                            self.errors.append(f"{name}: command {tag} released with lines of hidden "
                                               f"page {p:#x} valid in the cache")
                if ch == MM2S:
                    cmd.snapshot = self.coherent_view(addr, length)
                self.inflight[ch].append(cmd)

    async def _mover(self, ch):
        """Move each released command's data, then report its status (command order)."""
        dut, name = self.dut, CH_NAMES[ch]
        while True:
            while not self.inflight[ch]:
                await RisingEdge(dut.clk)
            cmd = self.inflight[ch][0]
            if cmd.hold is not None:
                await cmd.hold.wait()
            if self.bytes_per_cycle:
                await ClockCycles(dut.clk, max(1, -(-cmd.length // self.bytes_per_cycle)))
            else:
                await ClockCycles(dut.clk, self.rnd.randint(*self.mover_delay))
            for p in pages_of(cmd.addr, cmd.length):
                if self.shadow.get(p, 0) < 1:
                    self.errors.append(f"{name}: data of command {cmd.tag} moved with page {p:#x} open")
            cmd.move_cycle = self.cycle
            if ch == MM2S:
                cmd.moved = self.ram.read(cmd.addr, cmd.length)
            elif cmd.sts_len:
                self.ram.write(cmd.addr, cmd.data[:cmd.sts_len])
                for i in range(cmd.sts_len):
                    self.dev_mem[cmd.addr + i] = cmd.data[i]
            self.inflight[ch].pop(0)
            getattr(dut, f"s_{name}_sts_tag").value = cmd.tag
            getattr(dut, f"s_{name}_sts_len").value = cmd.sts_len
            getattr(dut, f"s_{name}_sts_error").value = 0
            getattr(dut, f"s_{name}_sts_sof").value = int(ch == S2MM and cmd.sts_len > 0)
            getattr(dut, f"s_{name}_sts_eof").value = int(ch == S2MM)
            getattr(dut, f"s_{name}_sts_valid").value = 1
            while True:
                await RisingEdge(dut.clk)
                if int(getattr(dut, f"s_{name}_sts_ready").value):
                    break
            getattr(dut, f"s_{name}_sts_valid").value = 0

    async def _sts_sink(self, ch):
        dut, name = self.dut, CH_NAMES[ch]
        while True:
            ready = 1 if not self.backpressure else int(self.rnd.random() < 0.8)
            getattr(dut, f"m_{name}_sts_ready").value = ready
            await RisingEdge(dut.clk)
            if ready and int(getattr(dut, f"m_{name}_sts_valid").value):
                tag = int(getattr(dut, f"m_{name}_sts_tag").value)
                length = int(getattr(dut, f"m_{name}_sts_len").value)
                cmd = next((c for c in self.all_cmds if c.ch == ch and c.done_cycle is None), None)
                if cmd is None or cmd.tag != tag or cmd.sts_len != length or cmd.move_cycle is None:
                    self.errors.append(f"{name}: status {tag}/{length} does not match the next command")
                    continue
                cmd.done_cycle = self.cycle
                if ch == S2MM and cmd.sts_len:
                    got = self.coherent_view(cmd.addr, cmd.sts_len)
                    want = bytes(self.dev_mem[a] for a in range(cmd.addr, cmd.addr + cmd.sts_len))
                    cmd.stale = mismatches(want, got)
                cmd.done.set()

    # ------------------------------------------------------------------ helpers
    def coherent_view(self, addr: int, n: int) -> bytes:
        """What the processor sees (tb/cpu_cache.CpuCache.coherent_view over memory)."""
        return self.cache.coherent_view(addr, self.ram.read(addr, n))

    async def wait_done(self, cmds=None, timeout=200000):
        cmds = self.all_cmds if cmds is None else cmds
        for c in cmds:
            await cocotb.triggers.with_timeout(c.done.wait(), timeout, "ns")

    async def settle(self, cycles=20):
        await ClockCycles(self.dut.clk, cycles)

    def check_final(self):
        """No error seen, every page open again, and the counters agree with the trace."""
        assert not self.errors, "\n".join(self.errors[:20])
        assert all(v == 0 for v in self.shadow.values()), {hex(k): v for k, v in self.shadow.items() if v}
        assert int(self.dut.sts_entries_used.value) == 0
        hides = sum(1 for t in self.trace if t[1] == "hide")
        assert int(self.dut.cnt_hides.value) == hides
        assert int(self.dut.cnt_maint.value) == len(self.maint.log)
        assert int(self.dut.cnt_modified.value) == len(self.mods)


async def make_hide_env(dut, **kw) -> HideEnv:
    seed = int(os.environ.get("HIDE_SEED", cocotb.RANDOM_SEED))
    dut._log.info("hide env seed %d", seed)
    for name in ("m_axi_cpu", "s_axi_cpu"):
        logging.getLogger(f"cocotb.{dut._name}.{name}").setLevel(logging.WARNING)
    # The gate's AXI ready outputs come from flops, X until the first clocked reset; so reset the
    # DUT first, then build the AXI models (they start sampling on the reset edges), then release.
    dut.rst.value = 1
    Clock(dut.clk, 10, unit="ns", impl="gpi").start()
    await ClockCycles(dut.clk, 3)
    env = HideEnv(dut, seed=seed, **kw)
    await env.start()
    return env
