"""cocotb tests of sgdma_s2mm, the S2MM data mover (AXI4-Stream to memory).

Memory is a cocotbext-axi AxiRamWrite (with an error window for SLVERR/DECERR injection), the stream
comes from an AxiStreamSource, commands and statuses go through the small drivers below. Checks, in
the style of Linux dmatest: the destination window is pre-filled with a guard pattern (bit 7 clear)
distinct from the stream bytes (bit 7 set); after each packet every buffer holds exactly its stream
bytes and every other byte of the window is unchanged. A bus monitor checks every AW/W/B beat
(4 KiB, MAX_BURST_LEN, WLAST, strobes only inside buffers, no W bubble inside a burst, outstanding
bursts). Configuration comes from the environment (S2MM_* set by tests/hw/test_s2mm.py).
"""
from __future__ import annotations

import json
import os
import random
from collections import deque
from pathlib import Path

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge, Timer
from cocotbext.axi import AxiStreamBus, AxiStreamFrame, AxiStreamSource, AxiWriteBus
from cocotbext.axi.axi_ram import AxiRamWrite

from tb.reset import start_clock_and_reset

_MAP = json.loads((Path(__file__).resolve().parents[2] / "hdl" / "sgdma_map.json").read_text())
ERR = {e["name"]: e["value"] for e in _MAP["errors"]}

MAX_BURST_LEN = int(os.environ.get("S2MM_MAX_BURST_LEN", "16"))
MAX_OUTSTANDING = int(os.environ.get("S2MM_MAX_OUTSTANDING", "4"))
SWEEP = os.environ.get("S2MM_SWEEP", "quick")     # "quick" or "full"
RANDOM_PACKETS = int(os.environ.get("S2MM_RANDOM_PACKETS", "12"))

MEM_SIZE = 1 << 17
WINDOW_BASE = 0x8000          # every test's buffers lie inside [WINDOW_BASE, WINDOW_BASE + WINDOW_SIZE)
WINDOW_SIZE = 0x6000
RESP_SLVERR = 2
RESP_DECERR = 3


def guard_byte(addr: int) -> int:
    """Destination guard pattern: bit 7 clear, varies with the address (dmatest style)."""
    return 0x40 | ((addr * 5 + (addr >> 8)) & 0x3F)


def stream_bytes(n: int, rng: random.Random) -> bytes:
    """Stream data: bit 7 set, random otherwise, so misplaced bytes and guard overwrites both show."""
    return bytes(0x80 | rng.randrange(128) for _ in range(n))


# --------------------------------------------------------------------------------------------
# Reference model of the S2MM packet semantics (docs/sgdma_design.md)
# --------------------------------------------------------------------------------------------
def expected_statuses(lens: list[int], stream_len: int, null_tlast: bool = False) -> list[dict]:
    """Status per buffer for one packet: bytes written, error, RXSOF, RXEOF.

    "TLAST before the end of a buffer completes it with the actual length and RXEOF; the packet's
    remaining buffers complete with length 0 ... A stream packet longer than its buffers completes
    the EOF buffer with OVERFLOW."
    null_tlast: TLAST comes on a beat of its own with no byte (TKEEP 0). If the bytes exactly fill a
    buffer other than EOF, that buffer completes before TLAST is seen, so RXEOF goes to the next one,
    with length 0 (docs/sgdma_s2mm.md, TLAST table).
    """
    out, rem, ended = [], stream_len, False
    for i, length in enumerate(lens):
        if ended:
            out.append(dict(len=0, err=0, sof=0, eof=0))
            continue
        n = min(length, rem)
        if null_tlast and rem == length and i < len(lens) - 1:
            out.append(dict(len=n, err=0, sof=int(i == 0 and n > 0), eof=0))
            rem = 0
        elif rem <= length:
            out.append(dict(len=n, err=0, sof=int(i == 0 and n > 0), eof=1))
            ended = True
        elif i == len(lens) - 1:
            out.append(dict(len=length, err=ERR["OVERFLOW"], sof=int(i == 0), eof=0))
        else:
            out.append(dict(len=length, err=0, sof=int(i == 0), eof=0))
            rem -= length
    return out


def expected_writes(bufs: list[tuple[int, int]], data: bytes) -> dict[int, bytes]:
    """Address -> bytes the packet must leave in each buffer."""
    sts = expected_statuses([n for _, n in bufs], len(data))
    writes, off = {}, 0
    for (addr, _), st in zip(bufs, sts, strict=True):
        writes[addr] = data[off:off + st["len"]]
        off += st["len"]
    return writes


class MemoryMismatchError(AssertionError):
    pass


def check_window(image: bytes, base: int, writes: dict[int, bytes], allow_partial: bool = False):
    """dmatest six-region check over the window: buffers hold their bytes, the rest is guard.

    With allow_partial (abort), a buffer byte may also still hold its guard (not yet written).
    """
    expect = bytearray(guard_byte(base + i) for i in range(len(image)))
    inside = bytearray(len(image))
    for addr, blob in writes.items():
        o = addr - base
        expect[o:o + len(blob)] = blob
        inside[o:o + len(blob)] = b"\x01" * len(blob)
    bad = []
    for i, (got, exp) in enumerate(zip(image, expect, strict=True)):
        if got != exp and not (allow_partial and inside[i] and got == guard_byte(base + i)):
            bad.append(i)
    if bad:
        lines = []
        for i in bad[:32]:
            kind = "in buffer (not copied / mismatch)" if inside[i] else "outside buffers (was written)"
            lines.append(f"  0x{base + i:08x}: got 0x{image[i]:02x} expected 0x{expect[i]:02x} {kind}")
        raise MemoryMismatchError(f"{len(bad)} bad bytes in window 0x{base:x}:\n" + "\n".join(lines))


# --------------------------------------------------------------------------------------------
# Bus checker (pure logic, fed per cycle by the monitor; unit-tested by tests/hw/test_s2mm.py)
# --------------------------------------------------------------------------------------------
class BusViolationError(AssertionError):
    pass


class WriteBusChecker:
    """AXI4 write-master rules for the mover: 4 KiB, burst length, WLAST, strobes, no W bubble."""

    def __init__(self, data_bytes: int, max_burst: int, max_outstanding: int, axi_id: int = 0):
        self.nb = data_bytes
        self.max_burst = max_burst
        self.max_outstanding = max_outstanding
        self.axi_id = axi_id
        self.allowed: list[tuple[int, int]] = []     # [start, end) byte ranges that may be strobed
        self.reset()

    def reset(self):
        self.aws: deque = deque()          # AWs whose W beats have not all been seen
        self.b_pending: deque = deque()    # AW addresses awaiting B
        self.b_addrs: list[int] = []       # AW address of each B, in B order
        self.w_beats: list = []             # beats of the W burst in progress
        self.outstanding = 0
        self.aw_count = 0
        self.w_count = 0
        self.b_count = 0
        self.max_seen_outstanding = 0
        self.in_burst = False
        self.events: list[tuple] = []       # (method name, args) as fed, for replay

    def feed(self, kind: str, *args):
        """Record and check one event: "cycle" (wvalid), "aw", "w" or "b"."""
        self.events.append((kind, args))
        getattr(self, "on_" + kind)(*args)

    def replay(self, events: list[tuple]):
        for kind, args in events:
            self.feed(kind, *args)

    def allow(self, start: int, length: int):
        self.allowed.append((start, start + length))

    def _inside(self, addr: int) -> bool:
        return any(s <= addr < e for s, e in self.allowed)

    def on_aw(self, addr: int, awlen: int, size: int, burst: int, awid: int):
        beats = awlen + 1
        aligned = addr & ~(self.nb - 1)
        if awid != self.axi_id:
            raise BusViolationError(f"AWID {awid} != {self.axi_id}")
        if size != self.nb.bit_length() - 1 or burst != 1:
            raise BusViolationError(f"AW 0x{addr:x}: size {size} burst {burst}, expected full width INCR")
        if beats > self.max_burst:
            raise BusViolationError(f"AW 0x{addr:x}: {beats} beats > MAX_BURST_LEN {self.max_burst}")
        if (aligned & 0xFFF) + beats * self.nb > 0x1000:
            raise BusViolationError(f"AW 0x{addr:x} len {beats} crosses a 4 KiB boundary")
        self.outstanding += 1
        self.aw_count += 1
        self.max_seen_outstanding = max(self.max_seen_outstanding, self.outstanding)
        if self.outstanding > self.max_outstanding:
            raise BusViolationError(f"{self.outstanding} bursts outstanding > {self.max_outstanding}")
        self.aws.append((addr, beats))
        self.b_pending.append(addr)
        self._match()

    def on_w(self, data: int, strb: int, last: int):
        self.w_beats.append((data, strb, last))
        self.w_count += 1
        self.in_burst = not last
        if self.aws and len(self.w_beats) > self.aws[0][1]:
            raise BusViolationError(f"W burst longer than its AW ({self.aws[0][1]} beats): WLAST missing")
        if last:
            self._match()

    def _match(self):
        while self.aws and self.w_beats and self.w_beats[-1][2]:
            addr, beats = self.aws[0]
            if len(self.w_beats) != beats:
                raise BusViolationError(
                    f"WLAST on beat {len(self.w_beats)} of a {beats}-beat burst at 0x{addr:x}")
            aligned = addr & ~(self.nb - 1)
            for k, (_, strb, _) in enumerate(self.w_beats):
                for lane in range(self.nb):
                    if strb >> lane & 1:
                        a = aligned + k * self.nb + lane
                        if a < addr:
                            raise BusViolationError(f"strobe below AWADDR 0x{addr:x} at 0x{a:x}")
                        if not self._inside(a):
                            raise BusViolationError(f"strobe outside every buffer at 0x{a:x}")
            self.aws.popleft()
            self.w_beats = []

    def on_b(self, bid: int):
        if self.outstanding == 0:
            raise BusViolationError("B with no burst outstanding")
        if bid != self.axi_id:
            raise BusViolationError(f"BID {bid} != {self.axi_id}")
        self.outstanding -= 1
        self.b_count += 1
        self.b_addrs.append(self.b_pending.popleft())

    def on_cycle(self, wvalid: int):
        """Called once per cycle before the beats of that cycle: a started burst keeps WVALID high."""
        if self.in_burst and not wvalid:
            raise BusViolationError("W bubble: WVALID low inside a burst")


# --------------------------------------------------------------------------------------------
# Memory with an error window
# --------------------------------------------------------------------------------------------
class ErrorRam(AxiRamWrite):
    """AxiRamWrite whose bursts touching [err_lo, err_hi) answer `err_resp` on B and write nothing there."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.err_lo = self.err_hi = 0
        self.err_resp = RESP_SLVERR
        self._burst_err = None
        send = self.b_channel.send

        async def send_with_error(b):
            if self._burst_err is not None:
                b.bresp = self._burst_err
                self._burst_err = None
            await send(b)

        self.b_channel.send = send_with_error

    async def _write(self, address, data):
        if address < self.err_hi and address + len(data) > self.err_lo:
            self._burst_err = self.err_resp
            return
        self.write(address % self.size, data)


# --------------------------------------------------------------------------------------------
# Testbench
# --------------------------------------------------------------------------------------------
class Tb:
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
        self.ram = ErrorRam(AxiWriteBus.from_prefix(dut, "m_axi"), dut.clk, dut.rst, size=MEM_SIZE)
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
        self.ram.err_lo = self.ram.err_hi = 0
        for k in self.trace:
            self.trace[k] = None if k in ("stream_first", "abort_sampled") else []

    def set_backpressure(self, enabled: bool):
        """Seeded random pause generators on AW, W, B, the stream source, commands and statuses."""
        rng = random.Random(self.rng.randrange(1 << 30))

        def gen(p):
            while True:
                yield rng.random() < p

        if enabled:
            self.ram.aw_channel.set_pause_generator(gen(0.3))
            self.ram.w_channel.set_pause_generator(gen(0.3))
            self.ram.b_channel.set_pause_generator(gen(0.4))
            self.source.set_pause_generator(gen(0.3))
            self.sts_pause = gen(0.3)
            self.cmd_pause = gen(0.3)
        else:
            for ch in (self.ram.aw_channel, self.ram.w_channel, self.ram.b_channel):
                ch.set_pause_generator(None)
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
    def fill_window(self):
        self.ram.write(WINDOW_BASE, bytes(guard_byte(WINDOW_BASE + i) for i in range(WINDOW_SIZE)))

    def submit(self, bufs: list[tuple[int, int]]) -> list[int]:
        tags = []
        for i, (addr, length) in enumerate(bufs):
            tag = self.tag
            self.tag = (self.tag + 1) % 16
            self.cmds.append((addr, length, int(i == 0), int(i == len(bufs) - 1), tag))
            self.checker.allow(addr, length)
            tags.append(tag)
        return tags

    async def wait_statuses(self, n: int, limit: int = 200000):
        start = self.cycle
        while len(self.statuses) < n:
            await ClockCycles(self.dut.clk, 8)
            assert self.cycle - start < limit, f"timeout: {len(self.statuses)} of {n} statuses"

    async def wait_idle(self, limit: int = 200000, cmds_taken: bool = True):
        start = self.cycle
        while True:
            await RisingEdge(self.dut.clk)
            if int(self.dut.idle.value) and not (cmds_taken and self.cmds):
                return
            assert self.cycle - start < limit, "timeout waiting for idle"

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
        check_window(self.ram.read(WINDOW_BASE, WINDOW_SIZE), WINDOW_BASE, expected_writes(bufs, data))
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


async def make_tb(dut) -> Tb:
    tb = Tb(dut)
    await tb.start()
    return tb


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------
@cocotb.test()
async def test_basic_packets(dut):
    """Single and multi-buffer packets, aligned and not, adjacent buffers sharing a memory beat."""
    tb = await make_tb(dut)
    nb = tb.nb
    page = WINDOW_BASE + 0x1000
    cases = [
        [(page, 64)],
        [(page + 3, 1)],
        [(page + 1, nb * 5 + 3)],
        [(page + 5, 7), (page + 12, 9), (page + 21, 30)],          # adjacent buffers
        [(page + 2, 13), (page + 100, nb), (page + 301, 2 * nb + 1)],
        [(page - 3, 6 * nb + 2)],                                  # straddles 4 KiB
    ]
    for bufs in cases:
        total = sum(n for _, n in bufs)
        await tb.run_packet(bufs, total)


def sweep_cases(nb: int, full: bool) -> list[tuple[int, int]]:
    """(start offset from a 4 KiB boundary - 2*nb, length) pairs: Forencich-style straddle sweep."""
    if full:
        offsets = list(range(0, 2 * nb + 1)) + list(range(4096 - 2 * nb, 4096))
        lengths = list(range(1, 4 * nb + 1)) + [128, 4 * nb * MAX_BURST_LEN + 3]
    else:
        offsets = [0, 1, nb - 1, nb, 4096 - nb - 1, 4096 - 3, 4095]
        lengths = [1, nb - 1, nb, nb + 1, 3 * nb + 1, 130]
    return [(o, n) for o in offsets for n in lengths]


@cocotb.test()
async def test_offset_length_sweep(dut):
    """Start offsets around and across a 4 KiB boundary x lengths; each also as a 2-buffer packet."""
    tb = await make_tb(dut)
    full = SWEEP == "full"
    base = WINDOW_BASE + 0x1000
    for off, n in sweep_cases(tb.nb, full):
        await tb.run_packet([(base + off, n)], n)
        second = base + off + n + (off % 3)
        await tb.run_packet([(base + off, n), (second, n // 2 + 1)], n + n // 2 + 1)


@cocotb.test()
async def test_early_tlast(dut):
    """Stream = buffer total + {-8,-2,-1,0}: actual lengths, RXEOF, zero-length completions after."""
    tb = await make_tb(dut)
    nb = tb.nb
    start = WINDOW_BASE + 0x1000 - 2 * nb + 3
    for lens in ([40], [5, 9, 6], [3 * nb + 1, 2, 11], [1, 1, 8], [nb, 8 + nb, 7]):
        bufs = tb.layout(start, lens, 2 * nb)
        total = sum(lens)
        for delta in (-8, -2, -1, 0):
            if total + delta >= 1:
                await tb.run_packet(bufs, total + delta)


@cocotb.test()
async def test_tkeep_edges(dut):
    """A TLAST beat with no bytes (TKEEP 0) and a TLAST beat whose TKEEP has a hole: the packet's bytes
    are TKEEP's leading ones. An EOF buffer filled exactly by a beat without TLAST waits for the next
    beat: a bare TLAST beat is a normal end (RXEOF), not an overflow."""
    tb = await make_tb(dut)
    nb = tb.nb
    start = WINDOW_BASE + 0x1000 - nb - 3
    for lens in ([4 * nb], [nb + 3, 3 * nb - 3], [2 * nb, 5, 6 * nb]):
        bufs = tb.layout(start, lens, nb)
        total = sum(lens)
        for n in sorted({nb, 2 * nb, (total // nb) * nb}):
            data = stream_bytes(n, tb.rng)
            null_last = AxiStreamFrame(data + bytes(nb), tkeep=[1] * n + [0] * nb)
            await tb.run_packet(bufs, n, data, frame=null_last, null_tlast=True)
        # hole in the last beat's TKEEP: lanes after the first zero carry no byte
        n = 2 * nb + 3
        raw = stream_bytes(n + 1, tb.rng)
        holey = AxiStreamFrame(raw + bytes(nb - 4), tkeep=[1] * n + [0, 1] + [1] * (nb - 5))
        if n <= total:
            await tb.run_packet(bufs, n, raw[:n], frame=holey)


@cocotb.test()
async def test_overflow(dut):
    """Stream = buffer total + {1,2,8}: EOF buffer OVERFLOW after its data, stream drained, then stopped."""
    tb = await make_tb(dut)
    nb = tb.nb
    start = WINDOW_BASE + 0x2000 - nb - 1
    for lens in ([17], [5, 9, 6], [2 * nb, 3 * nb + 5]):
        for delta in (1, 2, 8):
            bufs = tb.layout(start, lens, nb)
            total = sum(lens)
            await tb.run_packet(bufs, total + delta)
            # stopped until rst: a further command and packet are not taken
            assert int(dut.s_axis_tready.value) == 0 and int(dut.idle.value) == 1
            tb.submit([(start, 8)])
            await tb.source.send(AxiStreamFrame(b"\x80" * 8))
            n_aw = len(tb.trace["aw"])
            await ClockCycles(dut.clk, 50)
            assert len(tb.trace["aw"]) == n_aw, "AW after overflow stop"
            assert len(tb.cmds) == 1, "command accepted after overflow stop"
            assert int(dut.s_axis_tvalid.value) == 1 and int(dut.s_axis_tready.value) == 0, \
                "stream taken after overflow stop"
            tb.source.clear()
            await tb.reset()


@cocotb.test()
async def test_random_backpressure(dut):
    """Random packets (1-4 buffers, random offsets, lengths, 4 KiB straddles, early TLAST) under
    seeded random pauses on AW, W, B, the stream, commands and statuses."""
    tb = await make_tb(dut)
    tb.set_backpressure(True)
    nb = tb.nb
    for _ in range(RANDOM_PACKETS):
        k = tb.rng.randint(1, 4)
        lens = [tb.rng.choice([tb.rng.randint(1, 3 * nb), tb.rng.randint(1, 400)]) for _ in range(k)]
        start = WINDOW_BASE + 0x1000 + tb.rng.choice([tb.rng.randrange(64), 4096 - tb.rng.randrange(1, 300)])
        bufs = tb.layout(start, lens, 2 * nb)
        total = sum(lens)
        await tb.run_packet(bufs, max(1, total + tb.rng.choice([0, 0, -1, -2, -8, -tb.rng.randrange(total)])))
    tb.set_backpressure(False)


@cocotb.test()
async def test_back_to_back_packets(dut):
    """Several packets queued at once (commands of the next packet arrive while the current one is in
    flight), with early TLAST and zero-length completions between them, without and with backpressure."""
    tb = await make_tb(dut)
    nb = tb.nb
    for backpressure in (False, True):
        tb.set_backpressure(backpressure)
        tb.checker.allowed = []
        tb.fill_window()
        base = len(tb.statuses)
        addr = WINDOW_BASE + 0x1000 - 5 * nb - 1
        packets, exp, tags, writes = [], [], [], {}
        for _ in range(6):
            lens = [tb.rng.randint(1, 6 * nb) for _ in range(tb.rng.randint(1, 3))]
            bufs = tb.layout(addr, lens, nb)
            addr = bufs[-1][0] + bufs[-1][1] + tb.rng.randrange(2 * nb)
            data = stream_bytes(max(1, sum(lens) - tb.rng.choice([0, 0, 1, 7, sum(lens) // 2])), tb.rng)
            packets.append((bufs, data))
            exp += expected_statuses(lens, len(data))
            writes.update(expected_writes(bufs, data))
            tags += tb.submit(bufs)
        for _, data in packets:
            await tb.source.send(AxiStreamFrame(data))
        await tb.wait_statuses(base + len(exp))
        await tb.wait_idle()
        got = tb.statuses[base:]
        assert [g["tag"] for g in got] == tags
        for g, e in zip(got, exp, strict=True):
            assert {k: g[k] for k in e} == e, f"status {g} != {e}"
        check_window(tb.ram.read(WINDOW_BASE, WINDOW_SIZE), WINDOW_BASE, writes)
    tb.set_backpressure(False)


async def _error_case(tb: Tb, resp: int):
    nb = tb.nb
    tb.checker.allowed = []
    tb.fill_window()
    bufs = [(WINDOW_BASE + 0x1000 + 5, 20 * nb), (WINDOW_BASE + 0x1400 + 1, 40 * nb),
            (WINDOW_BASE + 0x1C00, 30 * nb)]
    tb.ram.err_lo = bufs[1][0] + 24 * nb           # a burst in the middle of buffer 1 fails
    tb.ram.err_hi = tb.ram.err_lo + 1
    tb.ram.err_resp = resp
    tags = tb.submit(bufs)
    total = sum(n for _, n in bufs)
    data = stream_bytes(total, tb.rng)
    await tb.source.send(AxiStreamFrame(data))
    for _ in range(5000):
        if resp in tb.trace["bresp"]:
            break
        await RisingEdge(tb.dut.clk)
    else:
        raise AssertionError(f"the error window was never written: {len(tb.trace['aw'])} AW, "
                             f"{len(tb.trace['w'])} W, {len(tb.trace['b'])} B, statuses {tb.statuses}, "
                             f"cmds left {len(tb.cmds)}")
    await tb.wait_idle(cmds_taken=False)
    await ClockCycles(tb.dut.clk, 20)
    sts = tb.statuses
    want_code = ERR["DATA_SLVERR"] if resp == RESP_SLVERR else ERR["DATA_DECERR"]
    assert [s["tag"] for s in sts] == tags[:2], f"statuses {sts}"
    assert sts[0]["err"] == 0 and sts[0]["len"] == bufs[0][1] and sts[0]["sof"] == 1
    assert sts[1]["err"] == want_code, f"error status {sts[1]}"
    err_b = tb.trace["bresp"].index(resp)
    err_cycle = tb.trace["b"][err_b]
    assert all(c <= err_cycle for c in tb.trace["aw_rise"]), "AW issued after the error response"
    assert tb.checker.outstanding == 0 and not tb.checker.aws, "bursts not drained"
    assert int(tb.dut.s_axis_tready.value) == 0
    # buffer 0 complete; later buffers only partly written (each byte is its guard or its stream byte)
    writes = expected_writes(bufs, data)
    image = tb.ram.read(WINDOW_BASE, WINDOW_SIZE)
    check_window(image, WINDOW_BASE, writes, allow_partial=True)
    assert tb.ram.read(bufs[0][0], bufs[0][1]) == writes[bufs[0][0]]
    tb.source.clear()
    await tb.reset()


@cocotb.test()
async def test_write_error(dut):
    """SLVERR / DECERR on a B: that command's status carries DATA_SLVERR / DATA_DECERR, no AW after it,
    every outstanding B drained, stream no longer accepted, idle."""
    tb = await make_tb(dut)
    for resp in (RESP_SLVERR, RESP_DECERR):
        await _error_case(tb, resp)
    tb.set_backpressure(True)
    for resp in (RESP_SLVERR, RESP_DECERR):
        await _error_case(tb, resp)


@cocotb.test()
async def test_abort(dut):
    """Abort mid-transfer: no new command, no new AW, issued bursts completed, B drained, idle."""
    tb = await make_tb(dut)
    nb = tb.nb
    for backpressure in (False, True):
        tb.set_backpressure(backpressure)
        tb.checker.allowed = []
        tb.fill_window()
        bufs = [(WINDOW_BASE + 0x1000 + 3, 50 * nb), (WINDOW_BASE + 0x2000 + 1, 50 * nb)]
        tags = tb.submit(bufs)
        data = stream_bytes(sum(n for _, n in bufs), tb.rng)
        await tb.source.send(AxiStreamFrame(data))
        while len(tb.trace["w"]) < 40:
            await RisingEdge(dut.clk)
        dut.abort.value = 1
        await RisingEdge(dut.clk)
        dut.abort.value = 0
        await tb.wait_idle(cmds_taken=False)
        await ClockCycles(dut.clk, 30)
        assert len(tb.statuses) <= len(bufs)
        # Not tb.cycle here: whether this coroutine or _monitor resumes first at an edge is not fixed, so
        # tb.cycle could lag the monitor's count by one. An AW the DUT issues at the edge where it samples
        # abort is first seen high at the next edge (abort_sampled + 1) and fails; one issued an edge
        # earlier (AWVALID already high when abort arrives, legally held until AWREADY) is seen at
        # abort_sampled and passes.
        abort_cycle = tb.trace["abort_sampled"]
        assert abort_cycle is not None, "monitor never saw abort high at a rising edge"
        assert all(c <= abort_cycle for c in tb.trace["aw_rise"]), (
            f"AW issued after abort: AWVALID rises {tb.trace['aw_rise']}, abort sampled at {abort_cycle}")
        assert tb.checker.outstanding == 0 and not tb.checker.aws and not tb.checker.in_burst
        assert int(dut.s_cmd_ready.value) == 0 and int(dut.s_axis_tready.value) == 0
        exp = expected_statuses([n for _, n in bufs], len(data))
        for s, e, t in zip(tb.statuses, exp, tags, strict=False):
            assert {k: s[k] for k in e} == e and s["tag"] == t, f"status after abort {s} != {e}"
        check_window(tb.ram.read(WINDOW_BASE, WINDOW_SIZE), WINDOW_BASE, expected_writes(bufs, data),
                     allow_partial=True)
        tb.source.clear()
        await tb.reset()
    tb.set_backpressure(False)


@cocotb.test()
async def test_abort_at_issue_edge(dut):
    """Abort sampled at each edge around the first AW's issue edge (no backpressure, so that edge is
    fixed): "from that cycle ... no new AW" (docs/sgdma_s2mm.md). The sweep must hit the very edge the
    AW would be issued at, where a mover acting only on its latched abort would still issue one."""
    tb = await make_tb(dut)
    buf = (WINDOW_BASE + 0x1000 + 3, 40 * tb.nb)

    async def start_packet():
        tb.checker.allowed = []
        tb.fill_window()
        tb.submit([buf])
        await tb.source.send(AxiStreamFrame(stream_bytes(buf[1], tb.rng)))
        while tb.trace["stream_first"] is None:
            await RisingEdge(dut.clk)

    await start_packet()                                   # reference run without abort
    while not tb.trace["aw_rise"]:
        await RisingEdge(dut.clk)
    issue_offset = tb.trace["aw_rise"][0] - 1 - tb.trace["stream_first"]
    await tb.wait_idle()
    await tb.reset()
    covered = set()
    for wait in range(max(0, issue_offset - 3), issue_offset + 3):
        await start_packet()
        for _ in range(wait):
            await RisingEdge(dut.clk)
        dut.abort.value = 1
        await RisingEdge(dut.clk)
        dut.abort.value = 0
        await tb.wait_idle(cmds_taken=False)
        await ClockCycles(dut.clk, 5)
        sampled = tb.trace["abort_sampled"]
        assert sampled is not None, "monitor never saw abort high at a rising edge"
        covered.add(sampled - tb.trace["stream_first"])
        assert all(c <= sampled for c in tb.trace["aw_rise"]), (
            f"AW issued after abort: AWVALID rises {tb.trace['aw_rise']}, abort sampled at {sampled}")
        assert tb.checker.outstanding == 0 and not tb.checker.aws and not tb.checker.in_burst
        tb.source.clear()
        await tb.reset()
    assert issue_offset in covered, f"abort never sampled at the issue edge {issue_offset}: {sorted(covered)}"


@cocotb.test()
async def test_throughput(dut):
    """No backpressure, zero latency: a 16 KiB packet of 4 KiB buffers at one W beat per cycle."""
    tb = await make_tb(dut)
    bufs = [(0x1000 * (k + 1), 4096) for k in range(4)]
    tb.checker.allowed = []
    data = stream_bytes(4 * 4096, tb.rng)
    t0 = len(tb.trace["w"])
    for a, n in bufs:
        tb.ram.write(a, bytes(n))
    tags = tb.submit(bufs)
    await tb.source.send(AxiStreamFrame(data))
    await tb.wait_statuses(len(bufs))
    await tb.wait_idle()
    w = tb.trace["w"][t0:]
    beats = len(w)
    span = w[-1] - w[0] + 1
    eff = beats / span
    latency = tb.trace["aw_rise"][0] - tb.trace["stream_first"]
    dut._log.info("S2MM throughput: %d W beats in %d cycles = %.4f beat/cycle; first stream beat -> "
                  "first AWVALID %d cycles", beats, span, eff, latency)
    assert beats == 4 * 4096 // tb.nb
    assert eff >= 0.99, f"W efficiency {eff:.4f} < 0.99"
    assert [s["tag"] for s in tb.statuses] == tags
    for a, n in bufs:
        assert tb.ram.read(a, n) == data[a - 0x1000:a - 0x1000 + n]
    assert tb.checker.max_seen_outstanding <= MAX_OUTSTANDING
    # the same with unaligned buffers: every buffer takes one more memory beat than stream beats, so the
    # realigner's output, not the stream, sets the pace; W must still not bubble between bursts/commands
    bufs = [(0x10000 + 0x1100 * k + 2 * k + 1, 4096) for k in range(4)]
    tb.checker.allowed = []
    data = stream_bytes(4 * 4096, tb.rng)
    t0 = len(tb.trace["w"])
    tags = tb.submit(bufs)
    await tb.source.send(AxiStreamFrame(data))
    await tb.wait_statuses(2 * len(bufs))
    await tb.wait_idle()
    w = tb.trace["w"][t0:]
    eff2 = len(w) / (w[-1] - w[0] + 1)
    dut._log.info("S2MM throughput, unaligned 4 KiB buffers: %d W beats in %d cycles = %.4f beat/cycle",
                  len(w), w[-1] - w[0] + 1, eff2)
    assert len(w) == sum((a % tb.nb + n + tb.nb - 1) // tb.nb for a, n in bufs)
    assert eff2 >= 0.99, f"W efficiency {eff2:.4f} < 0.99 with unaligned buffers"
    assert [s["tag"] for s in tb.statuses[len(bufs):]] == tags
    for k, (a, n) in enumerate(bufs):
        assert tb.ram.read(a, n) == data[k * 4096:(k + 1) * 4096]
    Path(os.environ.get("S2MM_REPORT", "/dev/null")).write_text(
        json.dumps(dict(beats=beats, cycles=span, efficiency=eff, latency=latency,
                        unaligned_efficiency=eff2)))


@cocotb.test()
async def test_checkers_fire(dut):
    """Negative controls in simulation: the memory checker fails on a wrong expectation and the
    bus checker fails on a bad W trace."""
    tb = await make_tb(dut)
    nb = tb.nb
    bufs = [(WINDOW_BASE + 0x1000 + 3, 5 * nb)]
    data = stream_bytes(5 * nb, tb.rng)
    await tb.run_packet(bufs, len(data), data)
    image = tb.ram.read(WINDOW_BASE, WINDOW_SIZE)
    wrong = bytearray(data)
    wrong[7] ^= 0x01
    for writes in ({bufs[0][0]: bytes(wrong)}, {bufs[0][0] + 1: data}, {bufs[0][0]: data[:-1]}):
        try:
            check_window(image, WINDOW_BASE, writes)
        except MemoryMismatchError:
            pass
        else:
            raise AssertionError(f"memory checker missed a wrong expectation {list(writes)}")
    # the bus checker: the real trace of that packet replays clean; each corruption of it must fire
    events = list(tb.checker.events)
    fresh = WriteBusChecker(nb, MAX_BURST_LEN, MAX_OUTSTANDING)
    fresh.allow(*bufs[0])
    fresh.replay(events)
    for name, bad in bad_traces(events, nb):
        probe = WriteBusChecker(nb, MAX_BURST_LEN, MAX_OUTSTANDING)
        probe.allow(*bufs[0])
        try:
            probe.replay(bad)
        except BusViolationError as exc:
            dut._log.info("bus checker fired on %s: %s", name, exc)
        else:
            raise AssertionError(f"bus checker missed {name}")


def bad_traces(events: list[tuple], nb: int):
    """Corruptions of a clean trace, each breaking one rule the bus checker enforces."""
    aws = [i for i, (k, _) in enumerate(events) if k == "aw"]
    ws = [i for i, (k, _) in enumerate(events) if k == "w"]
    bs = [i for i, (k, _) in enumerate(events) if k == "b"]
    first_aw = events[aws[0]][1]

    def with_event(i, ev):
        out = list(events)
        out[i] = ev
        return out

    # WLAST moved off the last beat of the first burst
    last_w = next(i for i in ws if events[i][1][2])
    d, s, _ = events[last_w][1]
    yield "WLAST missing", with_event(last_w, ("w", (d, s, 0)))
    # WLAST early
    d, s, _ = events[ws[0]][1]
    if first_aw[1] > 0:
        yield "WLAST early", with_event(ws[0], ("w", (d, s, 1)))
    # a strobe outside the buffer: all lanes of the first beat (the buffer starts mid-beat)
    yield "strobe outside buffer", with_event(ws[0], ("w", (d, (1 << nb) - 1, events[ws[0]][1][2])))
    # the first burst moved to cross a 4 KiB boundary
    a, ln, sz, bu, i_d = first_aw
    yield "4 KiB crossing", with_event(aws[0], ("aw", (0x10000 - nb, max(ln, 1), sz, bu, i_d)))
    # a burst longer than MAX_BURST_LEN
    yield "burst too long", with_event(aws[0], ("aw", (a, MAX_BURST_LEN, sz, bu, i_d)))
    # a B with nothing outstanding
    yield "B without AW", [events[bs[0]]] + list(events)
    # WVALID dropped inside the first burst
    if first_aw[1] > 0:
        out = list(events)
        out.insert(ws[0] + 1, ("cycle", (0,)))
        yield "W bubble", out
    # one more AW than MAX_OUTSTANDING before any B
    out = [e for e in events if e[0] == "aw"]
    extra = [("aw", (a + 0x100 * k, 0, sz, bu, i_d)) for k in range(MAX_OUTSTANDING + 1)]
    yield "too many outstanding", out + extra
