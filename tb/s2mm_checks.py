"""sgdma_s2mm's reference model and its checkers (pure, no simulator).

The destination guard pattern and stream bytes (dmatest style), the S2MM packet semantics
(`expected_statuses`, `expected_writes`), the memory-window check (`check_window`) and the AXI4
write-master rules of the mover (`WriteBusChecker`, fed per cycle by tb/env/s2mm.py's monitor), the
offset/length sweep (`sweep_cases`) and the corruptions of a clean trace that each break one rule of
the bus checker (`bad_traces`, its negative controls).
Used by tb/env/s2mm.py and, for the negative controls without a simulator, by tests/hw/test_s2mm.py.
"""
from __future__ import annotations

import random
from collections import deque

from tb.sgdma_desc import ERR


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


def sweep_cases(nb: int, full: bool, max_burst: int) -> list[tuple[int, int]]:
    """(start offset from a 4 KiB boundary - 2*nb, length) pairs: Forencich-style straddle sweep."""
    if full:
        offsets = list(range(0, 2 * nb + 1)) + list(range(4096 - 2 * nb, 4096))
        lengths = list(range(1, 4 * nb + 1)) + [128, 4 * nb * max_burst + 3]
    else:
        offsets = [0, 1, nb - 1, nb, 4096 - nb - 1, 4096 - 3, 4095]
        lengths = [1, nb - 1, nb, nb + 1, 3 * nb + 1, 130]
    return [(o, n) for o in offsets for n in lengths]


def bad_traces(events: list[tuple], nb: int, max_burst: int, max_outstanding: int):
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
    yield "burst too long", with_event(aws[0], ("aw", (a, max_burst, sz, bu, i_d)))
    # a B with nothing outstanding
    yield "B without AW", [events[bs[0]]] + list(events)
    # WVALID dropped inside the first burst
    if first_aw[1] > 0:
        out = list(events)
        out.insert(ws[0] + 1, ("cycle", (0,)))
        yield "W bubble", out
    # one more AW than MAX_OUTSTANDING before any B
    out = [e for e in events if e[0] == "aw"]
    extra = [("aw", (a + 0x100 * k, 0, sz, bu, i_d)) for k in range(max_outstanding + 1)]
    yield "too many outstanding", out + extra
