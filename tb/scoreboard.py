"""Beat-by-beat scoreboards for a scatter/gather DMA: the expectation built from the cookies.

A DMA bound through the DDI model moves a flat buffer (the user's bytes) to or from a list of cookies
(physical address, size); the driver may split a cookie into several descriptors. Every beat on the
AXI data channels and on the MM2S stream is checked as it is observed:

- ReadScoreboard (MM2S): AR bursts of the data ID stay inside the current descriptor's buffer and go
  in order (each burst starts at the word after the previous one; a descriptor starts at its first
  word); each R beat's bytes inside the buffer equal the source bytes; each stream beat's TDATA, TKEEP
  (all ones except a packed last beat), TLAST and TUSER equal the expected packet.
- WriteScoreboard (S2MM): AW bursts likewise; each W beat (W has no ID: beats follow AW order) has
  exactly the expected strobes (bytes inside the buffer that the packet fills, nothing else) and the
  expected data.

The first mismatch raises ScoreboardError (an AssertionError) naming the channel, cookie index,
descriptor index, beat number and byte offset. Per-beat work is an integer XOR/AND against words
pre-computed per descriptor, so the scoreboards can be fed from cocotbext-axi channel monitors at one
Python wake-up per beat (see `attach_axi_monitors`). The classes themselves import no cocotb.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np


class ScoreboardError(AssertionError):
    """A beat differs from the expectation; the message locates it."""


@dataclass(frozen=True)
class Segment:
    """One descriptor's buffer: `length` bytes at `addr`, part of cookie `cookie`.

    `offset` is where the buffer's first byte sits in the flat transfer (the user buffer), and
    `cookie_offset` where it sits inside its cookie.
    """

    addr: int
    length: int
    cookie: int
    desc: int
    offset: int
    cookie_offset: int


def segments_from_cookies(cookies, max_desc_len: int | None = None) -> list[Segment]:
    """Descriptors for `cookies` [(dmac_laddress, dmac_size), ...], each cookie split into pieces of at
    most `max_desc_len` bytes (the hardware's LENGTH limit), in order."""
    segments = []
    offset = 0
    for ci, (addr, size) in enumerate(cookies):
        if size <= 0:
            raise ValueError(f"cookie {ci}: size {size} must be positive")
        step = size if not max_desc_len else max_desc_len
        for start in range(0, size, step):
            piece = min(step, size - start)
            segments.append(Segment(addr + start, piece, ci, len(segments), offset, start))
            offset += piece
    return segments


def _words(addr: int, payload: np.ndarray, nbytes: int, data_bytes: int):
    """Expected word values and byte-enable masks (as ints) for `nbytes` at `addr`, of which the first
    len(payload) bytes are written/read (the rest of the buffer expects no byte)."""
    first = addr // data_bytes
    last = (addr + nbytes - 1) // data_bytes
    nwords = last - first + 1
    lead = addr - first * data_bytes
    data = np.zeros(nwords * data_bytes, dtype=np.uint8)
    mask = np.zeros(nwords * data_bytes, dtype=np.uint8)
    data[lead:lead + len(payload)] = payload
    mask[lead:lead + len(payload)] = 0xFF
    db, mb = data.tobytes(), mask.tobytes()
    words = [int.from_bytes(db[i:i + data_bytes], "little") for i in range(0, len(db), data_bytes)]
    masks = [int.from_bytes(mb[i:i + data_bytes], "little") for i in range(0, len(mb), data_bytes)]
    return first, words, masks


def _lane_strobe(mask: int, data_bytes: int) -> int:
    """Byte-lane strobe (one bit per byte) of a bit mask made of 0x00/0xFF bytes."""
    strobe = 0
    for lane in range(data_bytes):
        if (mask >> (8 * lane)) & 0xFF:
            strobe |= 1 << lane
    return strobe


def _first_lane(diff: int) -> int:
    """Lowest byte lane with a non-zero bit in `diff`."""
    return ((diff & -diff).bit_length() - 1) // 8


class _BurstTracker:
    """Address-channel order check shared by both directions: bursts of the data ID walk the
    descriptors' buffers word by word, in order, never leaving the current buffer."""

    def __init__(self, name, segments, expected_lengths, data_bytes, data_id):
        self.name = name
        self.segments = segments
        self.data_bytes = data_bytes
        self.size_log2 = data_bytes.bit_length() - 1
        self.data_id = data_id
        # descriptors with traffic, and the bytes each one moves (S2MM: may be fewer than the buffer)
        self.plan = [(s, n) for s, n in zip(segments, expected_lengths, strict=True) if n > 0]
        self.index = -1            # position in self.plan of the current descriptor
        self.next_word = None      # word the next burst must start at
        self.done_word = None      # last word the current descriptor must cover
        self.last_word = None      # last word of the current buffer (bursts may not go beyond)
        self.bursts = 0

    @staticmethod
    def where(seg: Segment, _byte_addr: int) -> str:
        return f"cookie {seg.cookie}, descriptor {seg.desc}"

    def take(self, addr: int, length: int, size: int):
        """Check one burst (AxADDR, AxLEN, AxSIZE); returns (plan index, first word, beats)."""
        beats = length + 1
        word = addr // self.data_bytes
        self.bursts += 1
        if size != self.size_log2:
            raise ScoreboardError(
                f"{self.name}: burst {self.bursts - 1} at {addr:#x}: AxSIZE {size} is not the bus width "
                f"({self.size_log2})")
        if self.index < 0 or self.next_word > self.done_word:
            self.index += 1
            if self.index >= len(self.plan):
                raise ScoreboardError(
                    f"{self.name}: burst {self.bursts - 1} at {addr:#x} after every descriptor was covered")
            seg, n = self.plan[self.index]
            self.next_word = seg.addr // self.data_bytes
            self.done_word = (seg.addr + n - 1) // self.data_bytes
            self.last_word = (seg.addr + seg.length - 1) // self.data_bytes
            if addr < seg.addr - seg.addr % self.data_bytes or (addr % self.data_bytes and addr != seg.addr):
                raise ScoreboardError(
                    f"{self.name}: {self.where(seg, addr)}, burst {self.bursts - 1}: starts at {addr:#x}, "
                    f"the descriptor's buffer starts at {seg.addr:#x} (address outside cookie)")
        seg, _n = self.plan[self.index]
        if word != self.next_word:
            raise ScoreboardError(
                f"{self.name}: {self.where(seg, addr)}, burst {self.bursts - 1}: starts at {addr:#x}, "
                f"expected {self.next_word * self.data_bytes:#x} (out of order)")
        if word + beats - 1 > self.last_word:
            end = (word + beats) * self.data_bytes - 1
            raise ScoreboardError(
                f"{self.name}: {self.where(seg, addr)}, burst {self.bursts - 1}: {addr:#x}..{end:#x} "
                f"goes past the buffer end {seg.addr + seg.length - 1:#x} (address outside cookie)")
        self.next_word = word + beats
        return self.index, word, beats

    def complete(self) -> bool:
        return not self.plan or (self.index == len(self.plan) - 1 and self.next_word > self.done_word)


class _DataPlan:
    """Pre-computed expected words and masks per descriptor, built when first needed."""

    def __init__(self, plan, payloads, data_bytes):
        self.plan = plan
        self.payloads = payloads
        self.data_bytes = data_bytes
        self.cache = {}

    def get(self, index):
        entry = self.cache.get(index)
        if entry is None:
            seg, _n = self.plan[index]
            entry = _words(seg.addr, self.payloads[index], seg.length, self.data_bytes)
            self.cache = {index: entry}   # one descriptor at a time: memory stays small
        return entry


class ReadScoreboard:
    """MM2S: AR/R on the AXI master and beats on the stream, against the source bytes.

    `data` is the flat transfer (the bytes of the user buffer in cookie order); `packets` lists, per
    stream packet, the indices of its descriptors (default: one packet of all descriptors); `users`
    the expected TUSER per packet (None: not checked).
    """

    def __init__(self, segments, data, data_bytes: int, packets=None, users=None, data_id: int = 0):
        self.segments = list(segments)
        self.data = np.frombuffer(bytes(data), dtype=np.uint8) if not isinstance(data, np.ndarray) else data
        self.data_bytes = data_bytes
        self.data_id = data_id
        total = sum(s.length for s in self.segments)
        if len(self.data) < total:
            raise ValueError(f"data has {len(self.data)} bytes, the descriptors move {total}")
        self.ar = _BurstTracker("AR", self.segments, [s.length for s in self.segments], data_bytes, data_id)
        payloads = [self.data[s.offset:s.offset + s.length] for s, _n in self.ar.plan]
        self.words = _DataPlan(self.ar.plan, payloads, data_bytes)
        self.r_queue = deque()        # (plan index, first word, beats) per accepted data burst
        self.r_beat = 0               # beat position in the burst at the head of r_queue
        self.r_beats = 0              # R beats of the data ID seen
        self.error_responses = 0      # R beats with RRESP != OKAY (data not compared)
        self._init_stream(packets, users)

    # -- AXI read channels --
    def on_ar(self, arid: int, araddr: int, arlen: int, arsize: int) -> None:
        if arid != self.data_id:
            return
        self.r_queue.append(self.ar.take(araddr, arlen, arsize))

    def on_r(self, rid: int, rdata: int, rresp: int = 0, rlast: int | None = None) -> None:
        if rid != self.data_id:
            return
        beat = self.r_beats
        self.r_beats += 1
        if not self.r_queue:
            raise ScoreboardError(f"R: beat {beat}: data beat with no data burst outstanding")
        index, word, beats = self.r_queue[0]
        k = self.r_beat
        self.r_beat += 1
        if self.r_beat == beats:
            self.r_queue.popleft()
            self.r_beat = 0
        if rlast is not None and bool(rlast) != (k == beats - 1):
            seg = self.ar.plan[index][0]
            raise ScoreboardError(f"R: cookie {seg.cookie}, descriptor {seg.desc}, beat {beat}: RLAST "
                                  f"{int(bool(rlast))} on beat {k} of a {beats}-beat burst")
        if rresp:
            self.error_responses += 1
            return
        first, words, masks = self.words.get(index)
        w = word + k - first
        diff = (rdata ^ words[w]) & masks[w]
        if diff:
            self._data_error("R", index, beat, word + k, diff, rdata, words[w])

    def _data_error(self, channel, index, beat, word, diff, got, expected):
        seg = self.ar.plan[index][0]
        lane = _first_lane(diff)
        byte_addr = word * self.data_bytes + lane
        raise ScoreboardError(
            f"{channel}: cookie {seg.cookie}, descriptor {seg.desc}, beat {beat}, byte offset "
            f"{seg.cookie_offset + byte_addr - seg.addr:#x} in cookie (address {byte_addr:#x}): "
            f"expected {(expected >> 8 * lane) & 0xFF:#04x}, got {(got >> 8 * lane) & 0xFF:#04x} "
            f"(wrong data)")

    # -- stream --
    def _init_stream(self, packets, users):
        if packets is None:
            packets = [list(range(len(self.segments)))]
        self.packets = [list(p) for p in packets]
        self.users = list(users) if users is not None else None
        self.packet = 0
        self.stream_beat = 0          # beat position within the current packet
        self.stream_beats = 0
        self._stream_expect = None

    def _packet_beats(self, p):
        segs = [self.segments[i] for i in self.packets[p]]
        payload = np.concatenate([self.data[s.offset:s.offset + s.length] for s in segs])
        n = len(payload)
        b = self.data_bytes
        nbeats = (n + b - 1) // b
        padded = np.zeros(nbeats * b, dtype=np.uint8)
        padded[:n] = payload
        raw = padded.tobytes()
        words = [int.from_bytes(raw[i:i + b], "little") for i in range(0, len(raw), b)]
        full = (1 << b) - 1
        keeps = [full] * nbeats
        tail = n - (nbeats - 1) * b
        keeps[-1] = (1 << tail) - 1
        starts = np.cumsum([0] + [s.length for s in segs])
        return words, keeps, segs, starts

    def _locate(self, p, byte_in_packet):
        words, keeps, segs, starts = self._stream_expect
        i = int(np.searchsorted(starts, byte_in_packet, side="right")) - 1
        seg = segs[i]
        return seg, seg.cookie_offset + byte_in_packet - int(starts[i])

    def on_stream(self, tdata: int, tkeep: int, tlast: int, tuser: int | None = None) -> None:
        beat = self.stream_beats
        self.stream_beats += 1
        if self.packet >= len(self.packets):
            raise ScoreboardError(f"stream: beat {beat}: beat after the last expected packet")
        if self._stream_expect is None:
            self._stream_expect = self._packet_beats(self.packet)
        words, keeps, segs, starts = self._stream_expect
        k = self.stream_beat
        p = self.packet
        last = k == len(words) - 1
        seg, off = self._locate(p, k * self.data_bytes)
        where = f"stream: packet {p}, cookie {seg.cookie}, descriptor {seg.desc}, beat {k}"
        if tkeep != keeps[k]:
            raise ScoreboardError(f"{where}, byte offset {off:#x} in cookie: TKEEP {tkeep:#x}, expected "
                                  f"{keeps[k]:#x} (wrong keep)")
        if bool(tlast) != last:
            raise ScoreboardError(f"{where}, byte offset {off:#x} in cookie: TLAST {int(bool(tlast))}, "
                                  f"expected {int(last)} (wrong last)")
        if self.users is not None and tuser is not None and tuser != self.users[p]:
            raise ScoreboardError(f"{where}: TUSER {tuser:#x}, expected {self.users[p]:#x} (wrong user)")
        mask = 0
        for lane in range(self.data_bytes):
            if (keeps[k] >> lane) & 1:
                mask |= 0xFF << (8 * lane)
        diff = (tdata ^ words[k]) & mask
        if diff:
            lane = _first_lane(diff)
            seg, off = self._locate(p, k * self.data_bytes + lane)
            raise ScoreboardError(
                f"stream: packet {p}, cookie {seg.cookie}, descriptor {seg.desc}, beat {k}, byte offset "
                f"{off:#x} in cookie: expected {(words[k] >> 8 * lane) & 0xFF:#04x}, got "
                f"{(tdata >> 8 * lane) & 0xFF:#04x} (wrong data)")
        if last:
            self.packet += 1
            self.stream_beat = 0
            self._stream_expect = None
        else:
            self.stream_beat += 1

    def finish(self) -> None:
        """At the end of the transfer: every burst, R beat and packet expected was seen."""
        if not self.ar.complete():
            raise ScoreboardError(f"AR: descriptors not fully read: stopped in plan entry {self.ar.index} "
                                  f"of {len(self.ar.plan)}")
        if self.r_queue:
            raise ScoreboardError(f"R: {len(self.r_queue)} data burst(s) still waiting for beats")
        if self.packet != len(self.packets):
            raise ScoreboardError(f"stream: {self.packet} of {len(self.packets)} packets seen")


def s2mm_fill(segments, packets, packet_segments=None) -> list[int]:
    """Bytes each descriptor receives (S2MM packet semantics, sgdma_design.md): a stream packet fills its
    descriptors' buffers in order; after TLAST the packet's remaining buffers receive nothing; bytes
    beyond the last buffer are dropped (overflow)."""
    if packet_segments is None:
        packet_segments = [list(range(len(segments)))]
    fill = [0] * len(segments)
    for payload_len, seg_ids in zip((len(p) for p in packets), packet_segments, strict=True):
        left = payload_len
        for i in seg_ids:
            fill[i] = min(left, segments[i].length)
            left -= fill[i]
    return fill


class WriteScoreboard:
    """S2MM: AW/W(/B) on the AXI master against the stream packets sent into the DUT.

    `packets` are the byte strings sent on s_axis; `packet_segments` lists, per packet, the indices of
    the descriptors it fills (default: one packet, all descriptors).
    """

    def __init__(self, segments, packets, data_bytes: int, packet_segments=None, data_id: int = 0):
        self.segments = list(segments)
        self.data_bytes = data_bytes
        self.data_id = data_id
        self.fill = s2mm_fill(self.segments, packets, packet_segments)
        if packet_segments is None:
            packet_segments = [list(range(len(self.segments)))]
        payloads = {}
        for payload, seg_ids in zip(packets, packet_segments, strict=True):
            data = np.frombuffer(bytes(payload), dtype=np.uint8)
            pos = 0
            for i in seg_ids:
                payloads[i] = data[pos:pos + self.fill[i]]
                pos += self.fill[i]
        self.aw = _BurstTracker("AW", self.segments, self.fill, data_bytes, data_id)
        self.words = _DataPlan(self.aw.plan, [payloads[s.desc] for s, _n in self.aw.plan], data_bytes)
        self.w_order = deque()        # (is data burst, plan index, first word, beats) in AW order
        self.w_pending = deque()      # W beats that arrived before their AW
        self.w_beat = 0
        self.w_beats = 0              # data W beats seen
        self.other_w_beats = 0        # W beats of other IDs' bursts (descriptor status writes)
        self.b_data = 0
        self.error_responses = 0

    def on_aw(self, awid: int, awaddr: int, awlen: int, awsize: int) -> None:
        if awid == self.data_id:
            self.w_order.append((True,) + self.aw.take(awaddr, awlen, awsize))
        else:
            self.w_order.append((False, None, None, awlen + 1))
        while self.w_pending and self.w_order:
            self._w(*self.w_pending.popleft())

    def on_w(self, wdata: int, wstrb: int, wlast: int | None = None) -> None:
        if not self.w_order or self.w_pending:
            self.w_pending.append((wdata, wstrb, wlast))
            return
        self._w(wdata, wstrb, wlast)

    def _w(self, wdata, wstrb, wlast):
        is_data, index, word, beats = self.w_order[0]
        k = self.w_beat
        self.w_beat += 1
        if self.w_beat == beats:
            self.w_order.popleft()
            self.w_beat = 0
        if not is_data:
            self.other_w_beats += 1
            return
        beat = self.w_beats
        self.w_beats += 1
        seg = self.aw.plan[index][0]
        if wlast is not None and bool(wlast) != (k == beats - 1):
            raise ScoreboardError(f"W: cookie {seg.cookie}, descriptor {seg.desc}, beat {beat}: WLAST "
                                  f"{int(bool(wlast))} on beat {k} of a {beats}-beat burst")
        first, words, masks = self.words.get(index)
        w = word + k - first
        expected_strobe = _lane_strobe(masks[w], self.data_bytes)
        if wstrb != expected_strobe:
            extra = wstrb & ~expected_strobe
            lane = (extra & -extra).bit_length() - 1 if extra else \
                ((expected_strobe & ~wstrb) & -(expected_strobe & ~wstrb)).bit_length() - 1
            byte_addr = (word + k) * self.data_bytes + lane
            inside = seg.addr <= byte_addr < seg.addr + seg.length
            what = ("strobe outside cookie" if extra and not inside else
                    "strobe on a byte the packet does not fill" if extra else "expected byte not strobed")
            raise ScoreboardError(
                f"W: cookie {seg.cookie}, descriptor {seg.desc}, beat {beat}, byte offset "
                f"{seg.cookie_offset + byte_addr - seg.addr:#x} in cookie (address {byte_addr:#x}): WSTRB "
                f"{wstrb:#x}, expected {expected_strobe:#x} (wrong strobe: {what})")
        diff = (wdata ^ words[w]) & masks[w]
        if diff:
            lane = _first_lane(diff)
            byte_addr = (word + k) * self.data_bytes + lane
            raise ScoreboardError(
                f"W: cookie {seg.cookie}, descriptor {seg.desc}, beat {beat}, byte offset "
                f"{seg.cookie_offset + byte_addr - seg.addr:#x} in cookie (address {byte_addr:#x}): "
                f"expected {(words[w] >> 8 * lane) & 0xFF:#04x}, got {(wdata >> 8 * lane) & 0xFF:#04x} "
                f"(wrong data)")

    def on_b(self, bid: int, bresp: int = 0) -> None:
        if bid != self.data_id:
            return
        self.b_data += 1
        if bresp:
            self.error_responses += 1

    def finish(self) -> None:
        """At the end of the transfer: every expected burst and beat was seen, W bursts complete, one B
        per data burst."""
        if not self.aw.complete():
            raise ScoreboardError(f"AW: descriptors not fully written: stopped in plan entry {self.aw.index} "
                                  f"of {len(self.aw.plan)}")
        if self.w_pending or any(is_data for is_data, *_ in self.w_order):
            raise ScoreboardError("W: data bursts still waiting for beats")
        if self.b_data != self.aw.bursts:
            raise ScoreboardError(f"B: {self.b_data} responses for {self.aw.bursts} data bursts")


def attach_axi_monitors(scoreboard, dut, prefix: str = "m_axi", stream_prefix: str | None = None):
    """Feed `scoreboard` from passive cocotbext-axi channel monitors on `dut` (one wake-up per beat).

    Returns the list of started tasks. ReadScoreboard takes AR and R (and the MM2S stream when
    `stream_prefix` is given: a passive beat monitor on TDATA/TKEEP/TLAST/TUSER); WriteScoreboard takes
    AW, W and B. A ScoreboardError inside a task fails the running cocotb test.
    """
    if isinstance(scoreboard, ReadScoreboard):
        return attach_read_monitors(lambda: scoreboard, dut, prefix, stream_prefix)
    if isinstance(scoreboard, WriteScoreboard):
        return attach_write_monitors(lambda: scoreboard, dut, prefix)
    raise TypeError(f"not a scoreboard: {type(scoreboard).__name__}")


def _run_monitor(monitor, handler):
    import cocotb

    async def loop():
        recv = monitor.recv
        while True:
            handler(await recv())
    return cocotb.start_soon(loop())


def attach_read_monitors(current, dut, prefix: str = "m_axi", stream_prefix: str | None = None):
    """AR, R (and the stream's beats) of `dut` to current(), the ReadScoreboard in charge at that beat
    (an environment may install a new one per transfer). Returns the started tasks."""
    from cocotbext.axi.axi_channels import AxiARBus, AxiARMonitor, AxiRBus, AxiRMonitor
    from cocotbext.axi.stream import define_stream

    clk, rst = dut.clk, dut.rst
    ar = AxiARMonitor(AxiARBus.from_prefix(dut, prefix), clk, rst)
    r = AxiRMonitor(AxiRBus.from_prefix(dut, prefix), clk, rst)
    tasks = [
        _run_monitor(ar, lambda t: current().on_ar(int(t.arid), int(t.araddr), int(t.arlen), int(t.arsize))),
        _run_monitor(r, lambda t: current().on_r(int(t.rid), int(t.rdata), int(t.rresp), int(t.rlast))),
    ]
    if stream_prefix:
        signals = ["tdata", "tkeep", "tlast", "tvalid", "tready"]
        has_user = hasattr(dut, f"{stream_prefix}_tuser")
        _bus, _txn, _source, _sink, StreamBeatMonitor = define_stream(
            "StreamBeat", signals=signals, optional_signals=["tuser"])
        beats = StreamBeatMonitor(_bus.from_prefix(dut, stream_prefix), clk, rst)
        tasks.append(_run_monitor(beats, lambda t: current().on_stream(
            int(t.tdata), int(t.tkeep), int(t.tlast), int(t.tuser) if has_user else None)))
    return tasks


def attach_write_monitors(current, dut, prefix: str = "m_axi"):
    """AW, W and B of `dut` to current(), the WriteScoreboard in charge at that beat. Returns the tasks."""
    from cocotbext.axi.axi_channels import AxiAWBus, AxiAWMonitor, AxiBBus, AxiBMonitor, AxiWBus, AxiWMonitor

    clk, rst = dut.clk, dut.rst
    aw = AxiAWMonitor(AxiAWBus.from_prefix(dut, prefix), clk, rst)
    w = AxiWMonitor(AxiWBus.from_prefix(dut, prefix), clk, rst)
    b = AxiBMonitor(AxiBBus.from_prefix(dut, prefix), clk, rst)
    return [
        _run_monitor(aw, lambda t: current().on_aw(int(t.awid), int(t.awaddr), int(t.awlen), int(t.awsize))),
        _run_monitor(w, lambda t: current().on_w(int(t.wdata), int(t.wstrb), int(t.wlast))),
        _run_monitor(b, lambda t: current().on_b(int(t.bid), int(t.bresp))),
    ]
