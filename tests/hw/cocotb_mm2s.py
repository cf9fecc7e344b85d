"""cocotb tests for sgdma_mm2s (memory to AXI4-Stream data mover), dmatest style.

Memory is a cocotbext-axi AxiRamRead filled with an address-derived byte pattern (every byte differs
from its neighbours, so a lane or offset error shows). One cycle-accurate monitor records every
handshake on the command, AR, R, stream and status interfaces with its cycle number; pure check
functions (below, also used by the negative controls in test_mm2s.py) compare the recorded trace with
what the issue text requires:
  - stream = concatenation of each packet's buffers, byte for byte; TKEEP all ones except the
    packet's last beat; TLAST exactly on that beat; TUSER = the SOF command's USER on every beat;
  - one status per command, in order, with the command's tag and length;
  - AR: INCR, full size, beat aligned, no burst across 4 KiB, arlen+1 <= MAX_BURST_LEN, at most
    MAX_OUTSTANDING bursts in flight, and the bursts tile exactly the commands' aligned spans in order
    (so no address outside them); VALID held and payload stable until READY (AR and stream).
Parameters come from the launcher in MM2S_PARAMS (JSON); the seed is cocotb's (printed).
"""
from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass, field

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge, Timer
from cocotbext.axi import AxiRamRead, AxiReadBus, AxiStreamBus, AxiStreamSink

from tb.reset import start_clock_and_reset

ERR_NONE = 0
ERR_DATA_SLVERR = 10
ERR_DATA_DECERR = 11
RESP_OKAY, RESP_SLVERR, RESP_DECERR = 0, 2, 3


def _map_error_codes() -> dict:
    """Error codes from hdl/sgdma_map.json (the single source of truth)."""
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "..", "hdl", "sgdma_map.json")) as f:
        return {e["name"]: e["value"] for e in json.load(f)["errors"]}


_CODES = _map_error_codes()
assert (_CODES["NONE"], _CODES["DATA_SLVERR"], _CODES["DATA_DECERR"]) == (ERR_NONE, ERR_DATA_SLVERR,
                                                                           ERR_DATA_DECERR)


# ------------------------------------------------------------------------------------------------
# Memory pattern and the expected results (pure functions)
# ------------------------------------------------------------------------------------------------
def pattern(addr: int, length: int) -> bytes:
    """Byte at address a: a mix of its low, middle and high address bits (neighbours always differ)."""
    return bytes(((a * 131) + (a >> 8) * 7 + (a >> 16) * 3) & 0xFF for a in range(addr, addr + length))


@dataclass
class Cmd:
    addr: int
    length: int
    sof: bool
    eof: bool
    user: int
    tag: int


def make_packets(buffers: list[list[tuple[int, int]]], rng: random.Random,
                 tag_width: int = 4) -> list[list[Cmd]]:
    """Packets from lists of (addr, len) buffers; USER random, tags counting modulo 2**tag_width."""
    packets, tag = [], 0
    for bufs in buffers:
        user = rng.getrandbits(32)
        pkt = []
        for i, (addr, length) in enumerate(bufs):
            pkt.append(Cmd(addr, length, i == 0, i == len(bufs) - 1, user, tag % (1 << tag_width)))
            tag += 1
        packets.append(pkt)
    return packets


@dataclass
class Beat:
    data: int
    keep: int
    last: bool
    user: int


def expected_beats(packets: list[list[Cmd]], lanes: int) -> list[Beat]:
    """The stream: each packet's buffers concatenated, packed from lane 0, TLAST on its last beat."""
    beats = []
    for pkt in packets:
        data = b"".join(pattern(c.addr, c.length) for c in pkt)
        nbeats = -(-len(data) // lanes)
        for i in range(nbeats):
            chunk = data[i * lanes:(i + 1) * lanes]
            beats.append(Beat(int.from_bytes(chunk, "little"), (1 << len(chunk)) - 1, i == nbeats - 1,
                              pkt[0].user))
    return beats


def check_stream(got: list[Beat], expected: list[Beat], lanes: int) -> None:
    """Exact beat-by-beat comparison (data compared on kept lanes); raises AssertionError."""
    for i, (g, e) in enumerate(zip(got, expected, strict=False)):
        mask = sum(0xFF << (8 * k) for k in range(lanes) if (g.keep >> k) & 1)
        problems = []
        if g.keep != e.keep:
            problems.append(f"tkeep {g.keep:#x} expected {e.keep:#x}")
        if (g.data & mask) != e.data:
            problems.append(f"tdata {g.data & mask:#0{2 + 2 * lanes}x} expected {e.data:#0{2 + 2 * lanes}x}")
        if g.last != e.last:
            problems.append(f"tlast {int(g.last)} expected {int(e.last)}")
        if g.user != e.user:
            problems.append(f"tuser {g.user:#x} expected {e.user:#x}")
        assert not problems, f"stream beat {i}: " + "; ".join(problems)
    assert len(got) == len(expected), f"stream has {len(got)} beats, expected {len(expected)}"


def check_status(got: list[tuple], expected: list[tuple]) -> None:
    """Statuses (tag, len, error, sof, eof) in order; raises AssertionError."""
    for i, (g, e) in enumerate(zip(got, expected, strict=False)):
        assert g == e, f"status {i}: got (tag,len,err,sof,eof)={g}, expected {e}"
    assert len(got) == len(expected), f"{len(got)} statuses, expected {len(expected)}"


def last_byte_beats(packets: list[list[Cmd]], lanes: int) -> list[int]:
    """Index (in the whole stream) of the beat that carries each command's last byte."""
    out, beat0 = [], 0
    for pkt in packets:
        pos = 0
        for c in pkt:
            pos += c.length
            out.append(beat0 + (pos - 1) // lanes)
        beat0 += -(-pos // lanes)
    return out


def check_status_timing(sts_cycles: list[int], beat_cycles: list[int], packets: list[list[Cmd]],
                        lanes: int) -> None:
    """A command's status comes only after the stream beat holding its last byte was accepted."""
    for i, (sc, b) in enumerate(zip(sts_cycles, last_byte_beats(packets, lanes), strict=False)):
        assert b < len(beat_cycles), f"status {i} at cycle {sc} before its last byte (beat {b}) left"
        assert sc > beat_cycles[b], (f"status {i} at cycle {sc}, its last byte left with beat {b} "
                                     f"at cycle {beat_cycles[b]}")


def aligned_span(cmd: Cmd, lanes: int) -> tuple[int, int]:
    lo = cmd.addr - cmd.addr % lanes
    hi = -(-(cmd.addr + cmd.length) // lanes) * lanes
    return lo, hi


@dataclass
class Ar:
    cycle: int          # handshake cycle
    rise: int           # cycle ARVALID was first seen high for this request
    addr: int
    len: int
    size: int
    burst: int
    id: int
    cache: int
    prot: int
    lock: int


def check_ar_trace(ars: list[Ar], rlast_cycles: list[int], cmds: list[Cmd], lanes: int, max_burst: int,
                   max_outstanding: int, complete: bool = True, stop_cycle: int | None = None) -> None:
    """AR rules of the issue text; raises AssertionError naming the first bad request.

    complete: the bursts must cover every command's aligned span (else a prefix is enough: error/abort).
    stop_cycle: no request may be first offered after this cycle (error beat or abort).
    """
    size = lanes.bit_length() - 1
    for i, ar in enumerate(ars):
        nbytes = (ar.len + 1) * lanes
        assert ar.size == size, f"AR {i}: arsize {ar.size}, expected {size}"
        assert ar.burst == 1, f"AR {i}: arburst {ar.burst}, expected INCR"
        assert (ar.id, ar.cache, ar.prot, ar.lock) == (0, 3, 0, 0), f"AR {i}: id/cache/prot/lock {ar}"
        assert ar.addr % lanes == 0, f"AR {i}: araddr {ar.addr:#x} not beat aligned"
        assert ar.len + 1 <= max_burst, f"AR {i}: arlen+1 = {ar.len + 1} > MAX_BURST_LEN {max_burst}"
        assert (ar.addr & 0xFFF) + nbytes <= 0x1000, f"AR {i}: {ar.addr:#x}+{nbytes} crosses 4 KiB"
        if stop_cycle is not None:
            assert ar.rise <= stop_cycle, f"AR {i} offered at cycle {ar.rise}, after the stop at {stop_cycle}"
    # The bursts tile the commands' aligned spans in command order.
    spans = [aligned_span(c, lanes) for c in cmds]
    k, pos = 0, spans[0][0] if spans else 0
    for i, ar in enumerate(ars):
        assert k < len(spans), f"AR {i} at {ar.addr:#x}: no command left to read"
        assert ar.addr == pos, f"AR {i}: araddr {ar.addr:#x}, expected {pos:#x} (command {k} span {spans[k]})"
        pos += (ar.len + 1) * lanes
        assert pos <= spans[k][1], f"AR {i}: ends at {pos:#x}, beyond command {k} span end {spans[k][1]:#x}"
        if pos == spans[k][1]:
            k += 1
            pos = spans[k][0] if k < len(spans) else 0
    if complete:
        assert k == len(spans), f"bursts cover {k} of {len(spans)} commands"
    # Outstanding bursts (requests processed before completions of the same cycle: the strict order).
    events = sorted([(a.cycle, 0) for a in ars] + [(c, 1) for c in rlast_cycles])
    outstanding = 0
    for cycle, kind in events:
        outstanding += 1 if kind == 0 else -1
        assert outstanding >= 0, f"cycle {cycle}: burst completed with none outstanding"
        assert outstanding <= max_outstanding, (f"cycle {cycle}: {outstanding} bursts outstanding > "
                                                f"{max_outstanding}")


# ------------------------------------------------------------------------------------------------
# Memory with error injection
# ------------------------------------------------------------------------------------------------
class ErrorInjectingRam(AxiRamRead):
    """AxiRamRead whose beats touching a chosen address range answer SLVERR or DECERR.

    AxiRamRead calls _read() for a beat just before sending it on R, in one coroutine, so the
    response decided in _read() is applied by the wrapped R-channel send of the same beat.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_ranges: list[tuple[int, int, int]] = []   # (lo, hi exclusive, rresp)
        self._beat_resp = RESP_OKAY
        send = self.r_channel.send

        async def send_with_resp(r):
            if self._beat_resp != RESP_OKAY:
                r.rresp = self._beat_resp
            await send(r)

        self.r_channel.send = send_with_resp

    async def _read(self, address, length):
        self._beat_resp = RESP_OKAY
        for lo, hi, resp in self.error_ranges:
            if address < hi and lo < address + length:
                self._beat_resp = resp
        return await super()._read(address, length)


# ------------------------------------------------------------------------------------------------
# Testbench
# ------------------------------------------------------------------------------------------------
def pauses(rng: random.Random, probability: float):
    """Seeded pause generator: True (stall) with the given probability each cycle."""
    while True:
        yield rng.random() < probability


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


class Mm2sTb:
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
        self.ram = ErrorInjectingRam(AxiReadBus.from_prefix(dut, "m_axi"), dut.clk, dut.rst, size=mem_size)
        self.ram.write(0, pattern(0, mem_size))
        self.sink = AxiStreamSink(AxiStreamBus.from_prefix(dut, "m_axis"), dut.clk, dut.rst)
        for log in (self.ram.log, self.sink.log):
            log.setLevel("WARNING")
        # Raise rst before the clock's first edge so the models are already held in reset when it comes
        # (else Icarus shows them the unreset X on ARVALID at that edge); then the shared safe sequence.
        await Timer(1, unit="ns")
        dut.rst.value = 1
        await Timer(1, unit="ns")
        await start_clock_and_reset(dut.clk, dut.rst)
        self.monitor_task = cocotb.start_soon(self._monitor())

    def packets(self, buffers: list[list[tuple[int, int]]]) -> list[list[Cmd]]:
        return make_packets(buffers, self.rng, self.params["TAG_WIDTH"])

    def backpressure(self, ar=0.0, r=0.0, stream=0.0, sts=0.0):
        """Random stalls (seeded) on AR ready, R valid, stream ready and status ready."""
        if ar:
            self.ram.ar_channel.set_pause_generator(pauses(self.rng, ar))
        if r:
            self.ram.r_channel.set_pause_generator(pauses(self.rng, r))
        if stream:
            self.sink.set_pause_generator(pauses(self.rng, stream))
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

    async def send(self, packets: list[list[Cmd]], gap_probability: float = 0.0):
        """Drive the packets' commands on s_cmd (valid/ready), with seeded idle cycles between them."""
        dut = self.dut
        edge = RisingEdge(dut.clk)
        for pkt in packets:
            for cmd in pkt:
                while self.rng.random() < gap_probability:
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

    async def run_packets(self, packets, gap_probability=0.0, timeout_cycles=None):
        ncmds = sum(len(p) for p in packets)
        nbytes = sum(c.length for p in packets for c in p)
        timeout = timeout_cycles or 2000 + 20 * (nbytes // self.lanes + 4 * ncmds)
        await self.send(packets, gap_probability)
        await self.wait_statuses(ncmds, timeout)
        await self.wait_idle(100)
        await ClockCycles(self.dut.clk, 10)
        self.check_all(packets)
        assert int(self.dut.idle.value) == 1


def random_buffers(rng: random.Random, lanes: int, npackets: int, max_cmds: int, max_len: int,
                   base: int = 0x1000, limit: int = 1 << 18) -> list[list[tuple[int, int]]]:
    """Random packets of 1..max_cmds buffers: any offset, lengths biased to small and near-beat sizes."""
    out = []
    for _ in range(npackets):
        bufs = []
        for _ in range(rng.randint(1, max_cmds)):
            kind = rng.random()
            if kind < 0.3:
                length = rng.randint(1, 2 * lanes)
            elif kind < 0.9:
                length = rng.randint(1, max_len // 4)
            else:
                length = rng.randint(1, max_len)
            addr = rng.randrange(base, limit - length)
            if rng.random() < 0.3:     # straddle a 4 KiB boundary
                addr = (addr & ~0xFFF) + 0x1000 - rng.randint(1, min(length, 64))
                addr = min(max(base, addr), limit - length)
            bufs.append((addr, length))
        out.append(bufs)
    return out


def sweep_buffers(lanes: int, full: bool) -> list[list[tuple[int, int]]]:
    """Forencich-style sweep: start offsets 0..2*lanes and 4096-2*lanes..4095, lengths 1..4*lanes+,
    every buffer its own packet; quick mode takes a strided subset."""
    offsets = list(range(0, 2 * lanes + 1)) + list(range(4096 - 2 * lanes, 4096))
    lengths = list(range(1, 4 * lanes + 1)) + [lanes * 16 - 1]
    big = [4096 + 3]
    if not full:
        offsets = offsets[::3] + [4095]
        lengths = lengths[::5] + [lanes]
    base = 0x8000
    out = [[(base + off, length)] for off in offsets for length in lengths]
    big_offsets = offsets if full else [0, 1, 4096 - lanes, 4095]
    return out + [[(base + off, length)] for off in big_offsets for length in big]


# ------------------------------------------------------------------------------------------------
# Tests
# ------------------------------------------------------------------------------------------------
@cocotb.test()
async def test_dmatest_random(dut):
    """Random packets (1..4 buffers, any offset/length, 4 KiB straddles), backpressure everywhere."""
    tb = Mm2sTb(dut)
    await tb.start()
    tb.backpressure(ar=0.3, r=0.3, stream=0.3, sts=0.3)
    npackets = int(os.environ.get("MM2S_NPACKETS", "12"))
    buffers = random_buffers(tb.rng, tb.lanes, npackets=npackets, max_cmds=4, max_len=3000)
    packets = tb.packets(buffers)
    await tb.run_packets(packets, gap_probability=0.2)
    assert tb.sink.count() == len(packets), f"sink got {tb.sink.count()} frames for {len(packets)} packets"


@cocotb.test()
async def test_dmatest_no_backpressure(dut):
    """Random packets back to back with no stalls (the realigner at full rate, commands overlapped)."""
    tb = Mm2sTb(dut)
    await tb.start()
    packets = tb.packets(random_buffers(tb.rng, tb.lanes, npackets=10, max_cmds=5, max_len=600))
    await tb.run_packets(packets)


@cocotb.test()
async def test_sweep_4k(dut):
    """Start-offset x length sweep straddling 4 KiB (quick subset unless MM2S_SWEEP=full)."""
    tb = Mm2sTb(dut)
    await tb.start()
    full = os.environ.get("MM2S_SWEEP", "quick") == "full"
    if full:
        tb.backpressure(stream=0.2, r=0.1)
    packets = tb.packets(sweep_buffers(tb.lanes, full))
    await tb.run_packets(packets)


@cocotb.test()
async def test_sweep_multi_command_packets(dut):
    """Packets of 2..3 small buffers at every lane offset: bytes of consecutive commands share beats."""
    tb = Mm2sTb(dut)
    await tb.start()
    tb.backpressure(stream=0.25)
    lanes = tb.lanes
    buffers = []
    for off_a in range(lanes):
        for len_a in (1, lanes - 1, lanes + 1):
            for off_b in (0, lanes - 1, (off_a + 1) % lanes):
                for len_b in (1, lanes, 2 * lanes + 1):
                    a = 0x3000 + off_a + 64 * len(buffers)
                    b = 0x20000 + off_b + 64 * len(buffers)
                    bufs = [(a, len_a), (b, len_b)]
                    if len(buffers) % 3 == 0:
                        bufs.append((0x30FF0 + off_b, 3))
                    buffers.append(bufs)
    await tb.run_packets(tb.packets(buffers))


async def _error_case(dut, resp: int, fault_beat: int):
    tb = Mm2sTb(dut)
    await tb.start()
    tb.backpressure(ar=0.2, stream=0.2)
    lanes = tb.lanes
    # Packet 0 clean; packet 1: a clean buffer, then one whose beat `fault_beat` answers the error;
    # packet 2 after it.
    bad = 0x6000 + 5
    packets = tb.packets([[(0x2003, 100)], [(0x4001, 2 * lanes + 3), (bad, 40 * lanes), (0x7000, 50)],
                          [(0x9000, 64)]])
    fault_word = (bad - bad % lanes) + fault_beat * lanes
    tb.ram.error_ranges = [(fault_word, fault_word + lanes, resp)]
    send_task = cocotb.start_soon(tb.send(packets))    # blocks once the mover stops taking commands
    for _ in range(5000):
        await RisingEdge(dut.clk)
        if tb.trace.first_error_cycle() is not None:
            break
    await tb.wait_idle(5000)
    send_task.cancel()
    dut.s_cmd_valid.value = 0
    await ClockCycles(dut.clk, 50)
    t = tb.trace
    assert not t.protocol, "protocol: " + "; ".join(t.protocol[:5])
    fault_cycle = t.first_error_cycle()
    assert fault_cycle is not None, "the error range was never read"
    # Expected stream: packet 0 whole; packet 1 up to the full beats before the faulting beat, no TLAST.
    cmd_a, cmd_bad = packets[1][0], packets[1][1]
    consumed = (lanes - bad % lanes) + (fault_beat - 1) * lanes   # bytes of cmd_bad before the fault
    before = cmd_a.length + consumed                # packet-1 bytes before the faulting beat
    head = expected_beats([packets[0]], lanes)
    pkt1 = expected_beats([[cmd_a, Cmd(cmd_bad.addr, consumed, False, True, cmd_a.user, 0)]], lanes)
    pkt1 = pkt1[:before // lanes]
    for b in pkt1:
        b.last = False
    check_stream(t.beats, head + pkt1, lanes)
    code = ERR_DATA_SLVERR if resp == RESP_SLVERR else ERR_DATA_DECERR
    moved = max(0, consumed - before % lanes)
    expected_sts = [(c.tag, c.length, ERR_NONE, c.sof, c.eof) for c in (packets[0][0], cmd_a)]
    expected_sts.append((cmd_bad.tag, moved, code, cmd_bad.sof, cmd_bad.eof))
    check_status(t.sts, expected_sts)
    # No request offered after the faulting beat; bursts before it tile the commands' spans.
    check_ar_trace(t.ars, t.rlast_cycles(), tb.cmds, lanes, tb.max_burst, tb.max_outstanding,
                   complete=False, stop_cycle=fault_cycle)
    assert len(t.ars) == len(t.rlast_cycles()), "not every issued burst was drained"
    assert int(dut.idle.value) == 1 and int(dut.s_cmd_ready.value) == 0
    n_ar, n_r = len(t.ars), len(t.rbeats)
    await ClockCycles(dut.clk, 100)
    assert (len(t.ars), len(t.rbeats)) == (n_ar, n_r), "bus activity after the halt"
    dut._log.info("error %d at cycle %d: %d beats streamed, %d ARs, status %s", resp, fault_cycle,
                  len(t.beats), len(t.ars), t.sts[-1])


@cocotb.test()
async def test_error_slverr(dut):
    """SLVERR on a data beat: DATA_SLVERR status for that command, drain, halt, no AR afterwards."""
    await _error_case(dut, RESP_SLVERR, fault_beat=2)


@cocotb.test()
async def test_error_decerr(dut):
    """DECERR on a beat of a later burst (several outstanding): DATA_DECERR, drain, halt, no AR after."""
    await _error_case(dut, RESP_DECERR, fault_beat=34)


@cocotb.test()
async def test_abort_mid_transfer(dut):
    """Abort while bursts are outstanding: no new AR, outstanding R drained, idle, nothing afterwards."""
    tb = Mm2sTb(dut)
    await tb.start()
    tb.backpressure(r=0.3)
    packets = tb.packets([[(0x10000 + 7, 3000), (0x14000, 3000)], [(0x18000, 2000)]])
    send_task = cocotb.start_soon(tb.send(packets))
    t = tb.trace
    while len(t.rbeats) < 40:
        await RisingEdge(dut.clk)
    dut.abort.value = 1
    await RisingEdge(dut.clk)
    dut.abort.value = 0
    await RisingEdge(dut.clk)
    abort_cycle = t.abort_cycle
    assert abort_cycle is not None
    await tb.wait_idle(2000)
    send_task.cancel()
    dut.s_cmd_valid.value = 0
    await ClockCycles(dut.clk, 50)
    assert not t.protocol, "protocol: " + "; ".join(t.protocol[:5])
    assert len(t.ars) == len(t.rlast_cycles()), "outstanding bursts not drained before idle"
    check_ar_trace(t.ars, t.rlast_cycles(), tb.cmds, tb.lanes, tb.max_burst, tb.max_outstanding,
                   complete=False, stop_cycle=abort_cycle)
    assert all(c <= abort_cycle for c in t.cmd_cycles), "command accepted after abort"
    # At most the beat already offered at the abort leaves afterwards; what left is a correct prefix.
    assert sum(1 for c in t.beat_cycles if c > abort_cycle) <= 1, "stream kept running after abort"
    check_stream(t.beats, expected_beats(packets, tb.lanes)[:len(t.beats)], tb.lanes)
    assert len(t.beats) < len(expected_beats(packets, tb.lanes)), "abort came too late to test anything"
    all_cmds = [c for p in packets for c in p]
    check_status(t.sts, [(c.tag, c.length, ERR_NONE, c.sof, c.eof) for c in all_cmds[:len(t.sts)]])
    n = (len(t.ars), len(t.rbeats), len(t.beats), len(t.sts))
    await ClockCycles(dut.clk, 100)
    assert (len(t.ars), len(t.rbeats), len(t.beats), len(t.sts)) == n, "activity after abort drained"
    assert int(dut.idle.value) == 1 and int(dut.s_cmd_ready.value) == 0
    dut._log.info("abort at cycle %d: %d ARs, %d R beats, %d stream beats, %d statuses", abort_cycle, *n)


@cocotb.test()
async def test_throughput(dut):
    """Long packet of 4 KiB commands, no backpressure, zero memory latency: one R beat per cycle from
    the first to the last beat (cycle count, deterministic), and the first-AR latency."""
    tb = Mm2sTb(dut)
    await tb.start()
    ncmds = int(os.environ.get("MM2S_TPUT_CMDS", "4"))
    packets = tb.packets([[(0x10000 + 0x1000 * i, 0x1000) for i in range(ncmds)]])
    await tb.run_packets(packets)
    t = tb.trace
    first, last = t.rbeats[0][0], t.rbeats[-1][0]
    efficiency = len(t.rbeats) / (last - first + 1)
    latency = t.ars[0].cycle - t.cmd_cycles[0]
    first_beat_latency = t.beat_cycles[0] - t.cmd_cycles[0]
    dut._log.info("throughput: %d R beats in %d cycles = %.4f beat/cycle; first AR handshake %d cycles "
                  "after the command handshake (ARVALID up %d cycle(s) after it); first stream beat %d "
                  "cycles after it", len(t.rbeats), last - first + 1, efficiency, latency,
                  t.ars[0].rise - t.cmd_cycles[0] - 1, first_beat_latency)
    assert efficiency >= 0.99, f"R efficiency {efficiency:.4f} < 0.99"
    assert latency <= 2, f"first AR {latency} cycles after the command"
    stream_span = t.beat_cycles[-1] - t.beat_cycles[0] + 1
    assert len(t.beats) / stream_span >= 0.99, f"stream efficiency {len(t.beats) / stream_span:.4f}"


@cocotb.test()
async def test_negative_controls(dut):
    """The stream checker and the AR checker fire on a wrong expectation / a corrupted real trace."""
    tb = Mm2sTb(dut)
    await tb.start()
    packets = tb.packets([[(0x1FF0 + 3, 3 * tb.lanes), (0x5001, 5)]])
    await tb.run_packets(packets)
    t = tb.trace
    good = expected_beats(packets, tb.lanes)
    wrong_byte = [Beat(b.data, b.keep, b.last, b.user) for b in good]
    wrong_byte[1].data ^= 1 << 8
    wrong_keep = [Beat(b.data, b.keep, b.last, b.user) for b in good]
    wrong_keep[-1].keep = (1 << tb.lanes) - 1
    wrong_last = [Beat(b.data, b.keep, b.last, b.user) for b in good]
    wrong_last[0].last = True
    wrong_user = [Beat(b.data, b.keep, b.last, b.user ^ 1) for b in good]
    for name, exp in (("byte", wrong_byte), ("keep", wrong_keep), ("last", wrong_last), ("user", wrong_user),
                      ("count", good[:-1])):
        try:
            check_stream(t.beats, exp, tb.lanes)
        except AssertionError as e:
            dut._log.info("stream checker fired on wrong %s: %s", name, e)
        else:
            raise AssertionError(f"stream checker missed a wrong {name}")
    cmds = [c for p in packets for c in p]
    bad_traces = {
        "crosses 4 KiB": [Ar(a.cycle, a.rise, 0x1000 - tb.lanes, 1, a.size, 1, 0, 3, 0, 0)
                          for a in t.ars[:1]],
        "> MAX_BURST_LEN": [Ar(a.cycle, a.rise, a.addr, tb.max_burst, a.size, 1, 0, 3, 0, 0)
                            for a in t.ars[:1]],
        "expected": [Ar(a.cycle, a.rise, a.addr + 0x100000, a.len, a.size, 1, 0, 3, 0, 0) for a in t.ars],
        "bursts cover": t.ars[:-1],
    }
    for name, ars in bad_traces.items():
        try:
            # a 2-beat crossing burst must fail on the 4 KiB rule even where MAX_BURST_LEN is 1
            max_burst = 256 if name == "crosses 4 KiB" else tb.max_burst
            check_ar_trace(ars, t.rlast_cycles(), cmds, tb.lanes, max_burst, tb.max_outstanding)
        except AssertionError as e:
            assert name in str(e), f"AR checker fired for another reason than '{name}': {e}"
            dut._log.info("AR checker fired on %s: %s", name, e)
        else:
            raise AssertionError(f"AR checker missed {name}")
    try:
        check_ar_trace(t.ars, t.rlast_cycles(), cmds, tb.lanes, tb.max_burst, 0)
    except AssertionError as e:
        assert "outstanding" in str(e), e
        dut._log.info("AR checker fired on outstanding limit 0: %s", e)
    else:
        raise AssertionError("AR checker missed the outstanding limit")
