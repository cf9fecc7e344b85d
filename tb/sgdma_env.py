"""The register-level sgdma environment: software's view of the controller, for the top-level tests.

    env = SgdmaEnv(dut, params)                 # models built with reset low (the Icarus X trap)
    await env.start()                           # clock and reset in the safe order (tb/reset.py)
    descs, data = env.mm2s_packet([301])        # guarded source buffers + their descriptors
    addrs = env.alloc_desc(len(descs)); env.write_chain(addrs, descs)
    await env.run_chain("MM2S", addrs[0], addrs[-1])
    frame = await env.recv_frame(); await env.wait_sr("MM2S", "IDLE")
    env.expect_status(addrs[0], 301); env.check_guards()

Parts (each the existing component, none re-implemented here):
  mem      tb/axi_memory.AxiMemory on m_axi: the byte store, the fault map (`mem.errors`), the burst
           log at the handshake (`mem.bursts`), guards (`mem.guards`), seeded backpressure;
  sg_mem   with SG_PORT=1 a second AxiMemory on m_axi_sg over the same bytes and fault map;
  cpu_mem, cpu_master   with `cpu_port=True` (hide unit present) an AxiMemory on the CPU gate's
           memory side m_axi_cpu (same bytes) and an AxiMaster on its processor side s_axi_cpu;
  hw, regs tb/sgdma_adapter.SgdmaAdapter (register sequences, SR, interrupt lines) and its
           tb/sgdma_regs.SgdmaRegs over an AxiLiteMaster on s_axil (names from hdl/sgdma_map.json);
  sink, source   AxiStreamSink on m_axis (MM2S), AxiStreamSource on s_axis (S2MM).
Ports without a model are tied idle (no X into the protocol checkers on Icarus). Descriptors come
from tb/sgdma_desc.py. Every wait is bounded in cycles (`timeout_cycles`) and fails with the state.
`cycle` is the number of clock periods since time 0 (from the simulation time: no per-cycle task).
"""
from __future__ import annotations

import json
import logging
import os
import random

import cocotb
from cocotb.triggers import ClockCycles
from cocotb.utils import get_sim_time
from cocotbext.axi import (
    AxiBus,
    AxiLiteBus,
    AxiLiteMaster,
    AxiMaster,
    AxiStreamBus,
    AxiStreamFrame,
    AxiStreamSink,
    AxiStreamSource,
)

from tb import coverage as fcov
from tb import hostile as hostile_modes
from tb.axi_memory import AxiMemory, BurstRecord
from tb.reset import start_clock_and_reset
from tb.sgdma_adapter import SgdmaAdapter
from tb.sgdma_desc import CACHE, DESC_BYTES, ERR_NAME, STATUS_OFFSET, Descriptor, status_fields
from tb.sgdma_regs import pack
from tb.sim_runner import sgdma_defaults

ID_DATA, ID_MM2S, ID_S2MM = 0, 1, 2       # AXI IDs: data movers, MM2S and S2MM descriptor engines
DST_FILL = 0x3C                           # destination buffers before the transfer (bit 7 clear)
GUARD = 64                                # guard bytes each side of every buffer

SG_INPUTS = ("m_axi_sg_awready", "m_axi_sg_wready", "m_axi_sg_bvalid", "m_axi_sg_arready",
             "m_axi_sg_rvalid")
CPU_MEM_INPUTS = ("m_axi_cpu_awready", "m_axi_cpu_wready", "m_axi_cpu_bvalid", "m_axi_cpu_arready",
                  "m_axi_cpu_rvalid")
CPU_GATE_INPUTS = ("s_axi_cpu_awvalid", "s_axi_cpu_wvalid", "s_axi_cpu_bready", "s_axi_cpu_arvalid",
                   "s_axi_cpu_rready")
MAINT_INPUTS = ("m_maint_req_ready", "s_maint_done_valid")


def params_from_environment() -> dict:
    """The top's parameters, passed by the pytest launcher in SGDMA_PARAMS (JSON)."""
    return json.loads(os.environ.get("SGDMA_PARAMS", "{}"))


def tie_idle(dut, names) -> None:
    """Hold inputs of an unused port inactive (the ones the toplevel has)."""
    for name in names:
        if hasattr(dut, name):
            getattr(dut, name).value = 0


def quiet_bus_logs(dut, prefixes) -> None:
    """cocotbext-axi logs every burst and frame at INFO: slow and unreadable."""
    for prefix in prefixes:
        logging.getLogger(f"cocotb.{dut._name}.{prefix}").setLevel(logging.WARNING)


def src_pattern(addr: int, length: int) -> bytes:
    """Source bytes: depend on the address (neighbours differ; bit 7 set as in dmatest sources)."""
    return bytes(0x80 | (((a * 37) ^ (a >> 7)) & 0x7F) for a in range(addr, addr + length))


def stream_pattern(seed: int, length: int) -> bytes:
    """S2MM stream bytes: bit 7 clear (a destination byte never looks like a source byte)."""
    rng = random.Random(seed)
    return bytes(rng.randrange(0, 0x80) for _ in range(length))


def frame_tuser(frame: AxiStreamFrame) -> set[int]:
    return set(frame.tuser) if isinstance(frame.tuser, list) else {frame.tuser}


class SgdmaEnv:
    """sgdma (or tb/hdl/sgdma_tb.v) with memory, registers and streams; see the module docstring."""

    def __init__(self, dut, params: dict | None = None, *, seed: int | None = None,
                 mem_size: int | None = None, desc_base: int = 0x0100_0000, buf_base: int = 0x0200_0000,
                 cpu_port: bool = False, timeout_cycles: int = 20000, period_ns: int = 10,
                 quiet: bool = True, hostile: str | None = None):
        self.dut = dut
        self.params = params_from_environment() if params is None else params
        p = self.params
        self.data_bytes = p.get("DATA_WIDTH", 64) // 8
        self.addr_width = p.get("ADDR_WIDTH", 64)
        self.seg_log2 = p.get("SEG_LOG2", 32)
        self.seed = cocotb.RANDOM_SEED if seed is None else seed
        self.rng = random.Random(self.seed)
        self.period_ns = period_ns
        self.timeout_cycles = timeout_cycles
        dut._log.info("seed %d, params %s", self.seed, p)
        dut.rst.value = 0                 # models see a defined reset before the clock starts
        dut.m_axis_tready.value = 0
        dut.s_axis_tvalid.value = 0
        self.hostile = hostile_modes.selected(hostile)   # interconnect shims (tb/hostile.py)
        if hostile_modes.apply(dut, self.hostile, self.seed):
            self.timeout_cycles *= hostile_modes.SLOWDOWN    # same waits, a slower interconnect
        # sparse RAM; cocotbext-axi cannot size it at 2**64, and the tests stay below 2**48 then
        size = mem_size or 2 ** min(self.addr_width, 48)
        self.mem = AxiMemory(AxiBus.from_prefix(dut, "m_axi"), dut.clk, dut.rst, size=size, seed=self.seed,
                             guard=GUARD)
        self.sg_mem = None
        # the descriptor master (SG_PORT, default as in hdl/sgdma.v): same bytes, same fault map
        if p.get("SG_PORT", sgdma_defaults()["SG_PORT"]):
            self.sg_mem = AxiMemory(AxiBus.from_prefix(dut, "m_axi_sg"), dut.clk, dut.rst, size=size,
                                    seed=self.seed + 1, share=self.mem)
        else:
            tie_idle(dut, SG_INPUTS)
        self.cpu_mem = self.cpu_master = None
        tie_idle(dut, MAINT_INPUTS)       # a maintenance responder (tb/cpu_cache.py) takes them over
        if cpu_port and p.get("HIDE_ENTRIES", 0):
            self.cpu_mem = AxiMemory(AxiBus.from_prefix(dut, "m_axi_cpu"), dut.clk, dut.rst, size=size,
                                     seed=self.seed + 2, share=self.mem)
            self.cpu_master = AxiMaster(AxiBus.from_prefix(dut, "s_axi_cpu"), dut.clk, dut.rst)
        else:
            tie_idle(dut, CPU_MEM_INPUTS + CPU_GATE_INPUTS)
        self.axil = AxiLiteMaster(AxiLiteBus.from_prefix(dut, "s_axil"), dut.clk, dut.rst)
        self.hw = SgdmaAdapter(dut, self.axil)   # register sequences, SR, interrupt lines
        self.regs = self.hw.regs
        self.sink = AxiStreamSink(AxiStreamBus.from_prefix(dut, "m_axis"), dut.clk, dut.rst)
        self.source = AxiStreamSource(AxiStreamBus.from_prefix(dut, "s_axis"), dut.clk, dut.rst)
        if quiet:
            quiet_bus_logs(dut, ("m_axi", "m_axi_sg", "m_axi_cpu", "s_axi_cpu", "s_axil", "m_axis", "s_axis"))
        self.desc_next = desc_base
        self.buf_next = buf_base
        fcov.configure(p)
        for end in ("m_axis", "s_axis"):
            fcov.sample_backpressure(end, 0)      # the stream ends start without pauses

    async def start(self) -> None:
        await start_clock_and_reset(self.dut.clk, self.dut.rst, period_ns=self.period_ns)

    @property
    def cycle(self) -> int:
        return int(get_sim_time("ns") // self.period_ns)

    @staticmethod
    def now_ns() -> float:
        return get_sim_time("ns")

    # ---- stimulus pacing
    def pauses(self, p_pause: float):
        """A pause generator (True with probability p_pause) seeded from the test's seed."""
        rng = random.Random(self.rng.randrange(1 << 30))
        while True:
            yield rng.random() < p_pause

    def backpressure(self, p: float = 0.3) -> None:
        """Seeded random pauses on the stream ends (p) and on every channel of m_axi (p / 2)."""
        self.sink.set_pause_generator(self.pauses(p))
        self.source.set_pause_generator(self.pauses(p))
        fcov.sample_backpressure("m_axis", p)
        fcov.sample_backpressure("s_axis", p)
        self.mem.set_backpressure({ch: p / 2 for ch in ("aw", "w", "b", "ar", "r")})

    # ---- buffers (guards from tb/axi_memory.GuardRegions)
    def alloc(self, length: int, align: int = 64, offset: int = 0, fill: bytes | None = None,
              fill_byte: int = DST_FILL) -> int:
        """A buffer with GUARD guard bytes each side, filled with `fill` (default: fill_byte). A buffer
        stays inside one 2**SEG_LOG2 segment, as a driver honouring dma_attr_seg places it (limit tests
        place crossing buffers by hand)."""
        start = (self.buf_next + GUARD + align - 1) // align * align + offset
        seg = 1 << self.seg_log2
        if length and start // seg != (start + length - 1) // seg:
            start = (start + length - 1) // seg * seg + GUARD + offset
        self.buf_next = start + length + GUARD
        self.mem.guards.add_guard(f"buffer {start:#x}+{length} (before)", start - GUARD, GUARD)
        self.mem.guards.add_guard(f"buffer {start:#x}+{length} (after)", start + length, GUARD)
        self.mem.write(start, fill if fill is not None else bytes([fill_byte]) * length)
        return start

    def check_guards(self) -> None:
        """Every guard byte unchanged (raises tb.axi_memory.GuardError naming the first one)."""
        self.mem.guards.check_guards()

    # ---- descriptors
    def alloc_desc(self, n: int) -> list[int]:
        """n descriptor addresses, one free slot between neighbours (a stray write shows)."""
        addrs = [self.desc_next + i * DESC_BYTES * 2 for i in range(n)]
        self.desc_next += n * DESC_BYTES * 2 + 0x100
        return addrs

    def write_chain(self, addrs: list[int], descs: list[Descriptor], last_next: int | None = None) -> None:
        """Link descs[i] at addrs[i] to addrs[i+1] (the last to last_next, default: itself + 2 slots)."""
        for i, (a, d) in enumerate(zip(addrs, descs, strict=True)):
            if i + 1 < len(addrs):
                d.next = addrs[i + 1]
            elif last_next is not None:
                d.next = last_next
            else:
                d.next = a + 2 * DESC_BYTES
            self.mem.write(a, d.encode())

    def status(self, desc_addr: int) -> dict[str, int]:
        return status_fields(int.from_bytes(self.mem.read(desc_addr + STATUS_OFFSET, 4), "little"))

    def expect_status(self, desc_addr: int, xferred: int, errcode: int = 0, **flags: int) -> None:
        st = self.status(desc_addr)
        want = {"CMPLT": 1, "ERR": int(errcode != 0), "ERRCODE": errcode, "XFERRED": xferred, **flags}
        got = {k: st[k] for k in want}
        assert got == want, f"descriptor {desc_addr:#x} STATUS {got}, expected {want} " \
                            f"(ERRCODE {ERR_NAME.get(st['ERRCODE'])})"

    def expect_untouched(self, desc_addr: int) -> None:
        st = self.status(desc_addr)
        assert st["CMPLT"] == 0 and st["ERRCODE"] == 0, f"descriptor {desc_addr:#x} was written: {st}"

    async def wait_cmplt(self, addrs: list[int], timeout: int = 100000) -> list[dict]:
        """Poll the descriptors' STATUS until each has CMPLT; returns their STATUS fields."""
        start = self.cycle
        for a in addrs:
            while not self.status(a)["CMPLT"]:
                assert self.cycle - start < timeout, f"descriptor {a:#x} not complete"
                await ClockCycles(self.dut.clk, 4)
        return [self.status(a) for a in addrs]

    # ---- transfers
    def mm2s_packet(self, lengths: list[int], user: int = 0, ioc: bool = False, offset: int = 0):
        """Source buffers + descriptors for one packet; returns (descs, expected bytes)."""
        descs, data = [], b""
        for i, n in enumerate(lengths):
            a = self.alloc(n, offset=offset)
            payload = src_pattern(a, n)
            self.mem.write(a, payload)
            data += payload
            descs.append(Descriptor(addr=a, length=n, sof=i == 0, eof=i == len(lengths) - 1, ioc=ioc,
                                    user=user, cache=CACHE["CACHED"]))
        return descs, data

    def s2mm_packet(self, lengths: list[int], ioc: bool = False, offset: int = 0) -> list[Descriptor]:
        """Destination buffers (DST_FILL) + descriptors for one packet."""
        descs = []
        for i, n in enumerate(lengths):
            a = self.alloc(n, offset=offset)
            descs.append(Descriptor(addr=a, length=n, sof=i == 0, eof=i == len(lengths) - 1, ioc=ioc))
        return descs

    async def recv_frame(self, timeout: int | None = None) -> AxiStreamFrame:
        timeout = timeout or self.timeout_cycles
        start = self.cycle
        while self.sink.empty():
            assert self.cycle - start < timeout, "no MM2S frame"
            await ClockCycles(self.dut.clk, 4)
        return self.sink.recv_nowait()

    def flush_streams(self) -> None:
        """Reset the stream models only: an aborted MM2S packet ends without TLAST and an aborted S2MM
        channel leaves the rest of a source frame untaken, as a system would reset its stream peers."""
        for model in (self.sink, self.source):
            model._handle_reset(True)
            model._handle_reset(False)
        self.sink.clear()
        self.source.clear()

    # ---- channel control
    async def run_chain(self, ch: str, first: int, tail: int, cr_extra: dict | None = None) -> None:
        """CURDESC while halted, RS=1, then TAILDESC (HI then LO: the LO write starts the engine)."""
        await self.hw.start_chain(ch, first, tail, cr_extra or {})

    async def write_tail(self, ch: str, tail: int) -> None:
        await self.hw.set_tail(ch, tail)

    async def sr(self, ch: str) -> dict[str, int]:
        return await self.hw.sr(ch)

    async def wait_sr(self, ch: str, field: str, value: int = 1,
                      timeout: int | None = None) -> dict[str, int]:
        timeout = timeout or self.timeout_cycles
        start = self.cycle
        while True:
            sr = await self.sr(ch)
            if sr[field] == value:
                return sr
            assert self.cycle - start < timeout, f"{ch}: SR.{field} != {value} after {timeout} cycles: {sr}"
            await ClockCycles(self.dut.clk, 8)

    async def stop(self, ch: str) -> None:
        """RS=0 and wait for HALTED (CURDESC is writable again)."""
        await self.regs.write(ch, "CR", 0)
        await self.wait_sr(ch, "HALTED")

    async def soft_reset(self, ch: str) -> None:
        """CR.RESET, wait for it to clear; the channel must then be halted without an error."""
        await self.regs.write(ch, "CR", pack("CR", RESET=1))
        start = self.cycle
        while (await self.regs.read_fields(ch, "CR"))["RESET"]:
            assert self.cycle - start < 20000, f"{ch}: soft reset did not complete"
        sr = await self.sr(ch)
        assert sr["HALTED"] == 1 and sr["ERR"] == 0 and sr["ERRCODE"] == 0, f"{ch} after soft reset: {sr}"

    async def expect_halt_error(self, ch: str, code: int, errdesc: int) -> None:
        sr = await self.wait_sr(ch, "HALTED")
        assert sr["ERR"] == 1 and sr["ERRCODE"] == code, \
            f"{ch}: SR {sr}, expected ERRCODE {ERR_NAME[code]} ({code})"
        got = await self.regs.read64(ch, "ERRDESC")
        assert got == errdesc, f"{ch}: ERRDESC {got:#x}, expected {errdesc:#x}"

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

    async def expect_quiet_after_halt(self, cycles: int = 200) -> None:
        """Nothing on AR/AW of either DMA master for `cycles` after the channel reported HALTED."""
        seen = [len(m.bursts) for m in self.dma_ports()]
        await ClockCycles(self.dut.clk, cycles)
        late = [b for m, n in zip(self.dma_ports(), seen, strict=True) for b in m.bursts[n:]]
        assert not late, f"bus requests after the halt: {late[:4]}"
