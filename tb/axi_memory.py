"""The shared memory of the system tests: cocotbext-axi AxiRam plus guards, error injection, random
backpressure and a burst log.

The DUT's AXI master, the descriptor ring and the processor model all see one byte store (AxiRam's
sparse memory, `AxiMemory.mem`). On top of it:

- GuardRegions (in the style of Linux's dmatest, drivers/dma/dmatest.c): source and destination buffers get
  distinct patterns (bit 7 set in source bytes, clear in destination bytes; bit 6 marks bytes to be
  copied, bit 5 bytes to be overwritten; bits 4:0 the inverted byte index), and every buffer (every
  cookie of it) is surrounded by guard bytes. `check_guards()` proves that nothing outside the
  destination windows changed and that source windows were not written; the first corrupted byte is
  named with its region.
- ErrorMap: SLVERR or DECERR for reads and/or writes of chosen address ranges. A read beat whose word
  touches an error range returns that response (data zero); a write burst touching one is not
  written and gets that response on B.
- Seeded pause generators on every channel (AW, W, B, AR, R): backpressure/stalls replayable from the
  seed; and an optional random first-beat latency per burst (serialising: the model answers bursts
  one at a time, so latency costs throughput, unlike a pipelined memory).
- A log of every AR/AW burst (ID, address, length, size, burst type, simulation time of the
  handshake), recorded when the channel samples the handshake (not when the model gets to it), so
  the times are valid for latency and "nothing after the halt" checks.
- A second port over the same bytes and the same error map (``AxiMemory(..., share=first)``), for a
  DUT with more than one AXI master onto one memory (sgdma's m_axi_sg, the hide unit's m_axi_cpu).
The pure-Python parts (patterns, GuardRegions, ErrorMap, pause patterns) need no simulator.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from tb import coverage as fcov
from tb.pacing import pause_pattern  # noqa: F401  (re-exported: the memory's stalls)

PATTERN_SRC = 0x80          # source bytes have bit 7 set, destination bytes clear
PATTERN_COPY = 0x40         # source bytes inside the transfer window
PATTERN_OVERWRITE = 0x20    # destination bytes inside the transfer window
PATTERN_COUNT_MASK = 0x1F   # inverted byte index

RESP_OKAY, RESP_EXOKAY, RESP_SLVERR, RESP_DECERR = 0, 1, 2, 3
RESP_NAMES = {"OKAY": RESP_OKAY, "SLVERR": RESP_SLVERR, "DECERR": RESP_DECERR}


def dmatest_pattern(length: int, *, source: bool, window: bool, start_index: int = 0) -> np.ndarray:
    """dmatest bytes: bit 7 = source, bit 6 = source byte to be copied, bit 5 = destination byte to be
    overwritten, bits 4:0 = ~index."""
    index = np.arange(start_index, start_index + length, dtype=np.uint32)
    base = (PATTERN_SRC if source else 0) | ((PATTERN_COPY if source else PATTERN_OVERWRITE) if window else 0)
    return ((~index & PATTERN_COUNT_MASK) | base).astype(np.uint8)


class GuardError(AssertionError):
    """A byte outside the DMA windows (or inside a source window) changed."""


@dataclass
class _Region:
    name: str
    addr: int
    expected: np.ndarray
    kind: str          # "guard before", "guard after", "guard", "source window"


class GuardRegions:
    """Buffers with dmatest patterns and guard bytes around each of their ranges, over any memory with
    read(addr, length) -> bytes and write(addr, data)."""

    def __init__(self, mem, guard: int = 64):
        self.mem = mem
        self.guard = guard
        self.windows = []          # (addr, end, name, range index)
        self.regions: list[_Region] = []
        self.destinations = {}     # name -> [(addr, length)]

    def _fill(self, name, ranges, source: bool):
        ranges = [(int(a), int(n)) for a, n in ranges]
        for i, (addr, length) in enumerate(ranges):
            if length <= 0:
                raise ValueError(f"{name}: range {i} has length {length}")
            for w_addr, w_end, w_name, w_i in self.windows:
                if addr < w_end and w_addr < addr + length:
                    raise ValueError(f"{name}: range {i} at {addr:#x} overlaps {w_name} range {w_i}")
        index = 0
        for i, (addr, length) in enumerate(ranges):
            data = dmatest_pattern(length, source=source, window=True, start_index=index)
            self.mem.write(addr, data.tobytes())
            self._trim_guards(addr, addr + length)
            self.windows.append((addr, addr + length, name, i))
            if source:
                self.regions.append(_Region(f"{name} range {i}", addr, data, "source window"))
            index += length
        for i, (addr, length) in enumerate(ranges):
            for kind, g_addr in (("guard before", addr - self.guard), ("guard after", addr + length)):
                self._add_guard_bytes(f"{name} range {i}", kind, g_addr, self.guard, source)
        return ranges

    @staticmethod
    def _cut(pieces, w_addr, w_end):
        """[(a, e)] minus [w_addr, w_end)."""
        out = []
        for a, e in pieces:
            if w_end <= a or e <= w_addr:
                out.append((a, e))
                continue
            if a < w_addr:
                out.append((a, w_addr))
            if w_end < e:
                out.append((w_end, e))
        return out

    def _trim_guards(self, w_addr, w_end):
        """A new window takes its bytes out of guard regions placed before it."""
        kept = []
        for r in self.regions:
            if r.kind == "source window":
                kept.append(r)
                continue
            for a, e in self._cut([(r.addr, r.addr + len(r.expected))], w_addr, w_end):
                kept.append(_Region(r.name, a, r.expected[a - r.addr:e - r.addr], r.kind))
        self.regions = kept

    def _add_guard_bytes(self, name, kind, addr, length, source):
        """Guard bytes in [addr, addr+length) except where a window or an earlier guard lies (adjacent
        cookies share no guard; the first guard placed on a byte keeps it)."""
        lo, hi = max(addr, 0), addr + length
        pieces = [(lo, hi)]
        # only what overlaps the guard can cut it (a request places hundreds of guards, each against
        # every window and region placed before)
        for w_addr, w_end, *_ in self.windows:
            if w_addr < hi and lo < w_end:
                pieces = self._cut(pieces, w_addr, w_end)
        for r in self.regions:
            if r.addr < hi and lo < r.addr + len(r.expected):
                pieces = self._cut(pieces, r.addr, r.addr + len(r.expected))
        for a, e in pieces:
            if e <= a:
                continue
            data = dmatest_pattern(e - a, source=source, window=False, start_index=a - addr)
            self.mem.write(a, data.tobytes())
            self.regions.append(_Region(name, a, data, kind))

    def place_source(self, name: str, ranges) -> None:
        """Fill a source buffer's ranges (cookies) with the copy pattern and guard each one."""
        self._fill(name, ranges, source=True)

    def place_destination(self, name: str, ranges) -> None:
        """Fill a destination buffer's ranges with the overwrite pattern and guard each one."""
        self.destinations[name] = self._fill(name, ranges, source=False)

    def add_guard(self, name: str, addr: int, length: int) -> None:
        """Guard an arbitrary range (e.g. around the descriptor ring) with the destination guard pattern."""
        self._add_guard_bytes(name, "guard", addr, length, source=False)

    def check_guards(self) -> None:
        """Raise GuardError naming the lowest corrupted byte: a guard byte (overrun/underrun, stray write)
        or a source-window byte (source overwritten)."""
        first = None
        for region in self.regions:
            got = np.frombuffer(self.mem.read(region.addr, len(region.expected)), dtype=np.uint8)
            bad = np.flatnonzero(got != region.expected)
            if len(bad):
                k = int(bad[0])
                addr = region.addr + k
                if first is None or addr < first[0]:
                    first = (addr, region, k, int(region.expected[k]), int(got[k]))
        if first is not None:
            addr, region, k, want, got = first
            what = "source overwritten" if region.kind == "source window" else "write outside the windows"
            raise GuardError(f"{region.kind} of {region.name}: byte at {addr:#x} (offset {k} in region) is "
                             f"{got:#04x}, expected {want:#04x} ({what})")

    def check_destination(self, name: str, expected: bytes) -> None:
        """The destination windows, concatenated in range order, hold exactly `expected` (a shorter
        `expected` checks only the start; the rest must keep the overwrite pattern)."""
        ranges = self.destinations[name]
        got = b"".join(self.mem.read(a, n) for a, n in ranges)
        total = len(got)
        want = np.frombuffer(bytes(expected), dtype=np.uint8)
        ref = dmatest_pattern(total, source=False, window=True)
        ref[:len(want)] = want[:total]
        bad = np.flatnonzero(np.frombuffer(got, dtype=np.uint8) != ref)
        if len(bad):
            k = int(bad[0])
            pos = k
            for i, (a, n) in enumerate(ranges):
                if pos < n:
                    state = "mismatch" if k < len(want) else "written past the transfer"
                    raise GuardError(f"destination {name} range {i}: byte at {a + pos:#x} (offset {k} in the "
                                     f"transfer) is {got[k]:#04x}, expected {int(ref[k]):#04x} ({state})")
                pos -= n


class ErrorMap:
    """Address ranges that answer SLVERR or DECERR, for reads, writes or both."""

    def __init__(self):
        self.entries = []      # (start, end, resp, reads, writes)

    def add(self, start: int, length: int, resp: str = "SLVERR", on: str = "both") -> None:
        if resp not in ("SLVERR", "DECERR"):
            raise ValueError(f"resp must be SLVERR or DECERR, not {resp!r}")
        if on not in ("read", "write", "both"):
            raise ValueError(f"on must be read, write or both, not {on!r}")
        self.entries.append((start, start + length, RESP_NAMES[resp], on != "write", on != "read"))

    def clear(self) -> None:
        self.entries.clear()

    def lookup(self, addr: int, length: int, write: bool) -> int:
        """Response for an access of `length` bytes at `addr`: the first matching entry's, else OKAY."""
        for start, end, resp, reads, writes in self.entries:
            if (writes if write else reads) and addr < end and start < addr + length:
                return resp
        return RESP_OKAY


@dataclass(frozen=True)
class BurstRecord:
    channel: str      # "AR" or "AW"
    id: int
    addr: int
    len: int          # AxLEN (beats - 1)
    size: int
    burst: int
    time_ns: float    # the clock edge that sampled the handshake

    @property
    def nbytes(self) -> int:
        """Bytes the burst spans from its address."""
        return (self.len + 1) << self.size

    def touches(self, start: int, length: int) -> bool:
        return self.addr < start + length and start < self.addr + self.nbytes


CHANNELS = ("aw", "w", "b", "ar", "r")


class AxiMemory:
    """An AXI4 slave on `bus` (an AxiBus) with guards, error injection, seeded backpressure and a burst log.

    The slave is cocotbext-axi's AxiSlave through its public extension point, `target=`: an object
    with `async read(address, length)` and `async write(address, data)` (`.target` here), which adds
    the latency and the error responses and keeps the bytes in `backing` (any object with read(addr, n)
    and write(addr, data); default: a cocotbext-axi Memory of `size` bytes, sparse).
    `busy` maps channel name ("aw", "w", "b", "ar", "r") to a pause probability (0: never paused);
    `max_latency` adds 0..max_latency idle cycles before each burst's first R beat and before each B;
    `b_latency` (an attribute, 0 at first) adds up to b_latency more before each B only (a slow write
    response path; the model answers writes in order).
    `share`: another AxiMemory whose bytes, error map and guards this port uses (a second master
    onto the same memory); its burst log stays its own.
    """

    def __init__(self, bus, clock, reset=None, *, size: int = 2**64, seed: int = 0, busy=None,
                 max_latency: int = 0, guard: int = 64, share: AxiMemory | None = None, backing=None):
        from cocotbext.axi import AxiSlave, AxiSlaveRead, AxiSlaveWrite
        from cocotbext.axi.memory import Memory

        if share is not None:
            backing = share.backing
        self.backing = backing if backing is not None else Memory(size)
        self.target = _Target(self)
        if hasattr(bus, "read") and hasattr(bus, "write"):
            self.ram = AxiSlave(bus, clock, reset, target=self.target)
        elif hasattr(bus, "ar"):       # an AxiReadBus: a read-only port (e.g. the MM2S mover)
            self.ram = _Ports(None, AxiSlaveRead(bus, clock, reset, target=self.target))
        else:                          # an AxiWriteBus
            self.ram = _Ports(AxiSlaveWrite(bus, clock, reset, target=self.target), None)
        self.mem = self.backing      # read/write over the shared byte store
        self.clock = clock
        self.seed = seed
        self.errors = share.errors if share else ErrorMap()
        self.guards = share.guards if share else GuardRegions(self, guard=guard)
        self.bursts: list[BurstRecord] = []
        self.responses = []          # (channel, id, addr, resp) of every non-OKAY response sent
        self._rng = random.Random(f"{seed}:latency")
        self.max_latency = max_latency
        self.b_latency = 0
        self._state = {"w_resp": RESP_OKAY, "r_resp": RESP_OKAY, "r_first": False, "w_burst": None,
                       "r_burst": None}
        self.set_backpressure(busy or {})
        self._hook()

    def channels(self):
        """The channels this port has, by name."""
        w, r = self.ram.write_if, self.ram.read_if
        out = {}
        if w is not None:
            out.update(aw=w.aw_channel, w=w.w_channel, b=w.b_channel)
        if r is not None:
            out.update(ar=r.ar_channel, r=r.r_channel)
        return out

    def set_backpressure(self, busy) -> None:
        unknown = set(busy) - set(CHANNELS)
        if unknown:
            raise ValueError(f"unknown channel(s) {sorted(unknown)}; use {CHANNELS}")
        for name, channel in self.channels().items():
            p = busy.get(name, 0)
            fcov.sample_backpressure(name, p)
            if p:
                channel.set_pause_generator(pause_pattern(self.seed, name, p))
            else:
                channel.clear_pause_generator()

    async def _delay(self, most: int) -> None:
        if most:
            delay = self._rng.randint(0, most)
            if delay:
                from cocotb.triggers import ClockCycles
                await ClockCycles(self.clock, delay)

    def _hook(self):
        """Per-burst behaviour cocotbext-axi has no extension point for: the burst log at the handshake,
        the response of a whole burst (decided at AW/AR) and the first-beat latency. The channel
        objects' recv/send are wrapped; the bytes go through the public `target` interface."""
        from cocotb.utils import get_sim_time

        wr, rd = self.ram.write_if, self.ram.read_if
        state = self._state

        def log_handshake(channel, sink):
            """Record the burst when the channel samples its handshake (one call per burst)."""
            put = sink.queue.put_nowait
            prefix = channel.lower()

            def put_logged(t):
                self.bursts.append(BurstRecord(
                    channel, int(getattr(t, f"{prefix}id", 0)), int(getattr(t, f"{prefix}addr")),
                    int(getattr(t, f"{prefix}len", 0)), int(getattr(t, f"{prefix}size", 0)),
                    int(getattr(t, f"{prefix}burst", 1)), get_sim_time("ns")))
                put(t)
            sink.queue.put_nowait = put_logged

        if wr is not None:
            self._hook_write(wr, state)
            log_handshake("AW", wr.aw_channel)
        if rd is not None:
            self._hook_read(rd, state)
            log_handshake("AR", rd.ar_channel)

    def _hook_write(self, wr, state) -> None:
        aw_recv, b_send = wr.aw_channel.recv, wr.b_channel.send
        lanes = len(wr.w_channel.bus.wdata) // 8

        async def aw_recv_logged():
            t = await aw_recv()
            addr, size = int(t.awaddr), int(getattr(t, "awsize", 0))
            span = (int(getattr(t, "awlen", 0)) + 1) << size
            start = addr - addr % lanes
            state["w_resp"] = self.errors.lookup(start, span + addr - start, write=True)
            state["w_burst"] = addr
            return t

        async def b_send_fixed(b):
            if state["w_resp"] != RESP_OKAY:
                b.bresp = state["w_resp"]
                self.responses.append(("B", int(b.bid), state["w_burst"], state["w_resp"]))
            state["w_resp"] = RESP_OKAY
            await self._delay(self.max_latency + self.b_latency)
            await b_send(b)

        wr.aw_channel.recv = aw_recv_logged
        wr.b_channel.send = b_send_fixed

    def _hook_read(self, rd, state) -> None:
        ar_recv, r_send = rd.ar_channel.recv, rd.r_channel.send

        async def ar_recv_logged():
            t = await ar_recv()
            state["r_burst"] = int(t.araddr)
            state["r_first"] = True
            return t

        async def r_send_fixed(r):
            if state["r_resp"] != RESP_OKAY:
                r.rresp = state["r_resp"]
                self.responses.append(("R", int(r.rid), state["r_burst"], state["r_resp"]))
            state["r_resp"] = RESP_OKAY
            await r_send(r)

        rd.ar_channel.recv = ar_recv_logged
        rd.r_channel.send = r_send_fixed

    async def target_write(self, address: int, data: bytes) -> None:
        """The bytes of one write beat (a layer may check them first: tb/machine_memory.py)."""
        self.backing.write(address, bytes(data))

    async def target_read(self, address: int, length: int) -> bytes:
        return self.backing.read(address, length)

    def bursts_touching(self, start: int, length: int, since_ns: float = -1.0) -> list[BurstRecord]:
        """AR/AW bursts overlapping [start, start+length) whose handshake came after `since_ns`."""
        return [b for b in self.bursts if b.time_ns > since_ns and b.touches(start, length)]

    # the processor's view (no bus cycle)
    def read(self, addr: int, length: int) -> bytes:
        return self.backing.read(addr, length)

    def write(self, addr: int, data) -> None:
        self.backing.write(addr, bytes(data))

    def check_guards(self) -> None:
        self.guards.check_guards()


class _Ports:
    """The write_if / read_if pair of a port that has only one of them."""

    def __init__(self, write_if, read_if):
        self.write_if, self.read_if = write_if, read_if


class _Target:
    """The AxiSlave target of an AxiMemory: latency and error responses, then the backing bytes."""

    def __init__(self, mem: AxiMemory):
        self.mem = mem

    async def write(self, address: int, data: bytes) -> None:
        if self.mem._state["w_resp"] != RESP_OKAY:
            raise OSError("error-injected write")      # AxiSlaveWrite answers SLVERR; fixed up on B
        await self.mem.target_write(address, data)

    async def read(self, address: int, length: int) -> bytes:
        m, state = self.mem, self.mem._state
        if state["r_first"]:
            state["r_first"] = False
            await m._delay(m.max_latency)
        state["r_resp"] = m.errors.lookup(address, length, write=False)
        if state["r_resp"] != RESP_OKAY:
            raise OSError("error-injected read")
        return await m.target_read(address, length)
