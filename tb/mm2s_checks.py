"""sgdma_mm2s's expected results and its trace checks (pure functions, no simulator).

The memory pattern, commands and packets, the expected stream, and the checks of a recorded trace
against what the mover must do: stream bytes, TKEEP/TLAST/TUSER; one status per command in order;
status after its last byte; AR rules (INCR, full size, beat aligned, no 4 KiB crossing, burst length,
outstanding limit, bursts tiling the commands' aligned spans). Used by tb/env/mm2s.py and, for the
negative controls without a simulator, by tests/hw/test_mm2s.py.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from tb.sgdma_desc import ERR

ERR_NONE = ERR["NONE"]            # error codes from hdl/sgdma_map.json
ERR_DATA_SLVERR = ERR["DATA_SLVERR"]
ERR_DATA_DECERR = ERR["DATA_DECERR"]
RESP_OKAY, RESP_SLVERR, RESP_DECERR = 0, 2, 3


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
    """AR rules of the mover (docs/sgdma_mm2s.md); raises AssertionError naming the first bad request.

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
