"""The beat trace of tb/hdl/harness/tb_beat_trace.v: parsed in bulk with numpy, dispatched in order.

The HDL writes one fixed-width text line per handshake (channel, cycle, ID, address, length, size,
burst, data, strobes or keep, last, response, user; the module's header has the format). Python
reads the new lines in batches (`TraceFile.read_new`), turns them into numpy columns (`parse`) and
hands them out (`BeatDispatcher`): every beat reaches the scoreboard that was in charge at its cycle
(tb/scoreboard.py, the same objects and the same checks as the per-beat path), the MM2S stream beats
also reach the disk. Pure Python and numpy: nothing here imports cocotb, so a wrong trace can be
checked without a simulator (tests/tb/test_beat_trace.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tb import bulk_check as bulk
from tb.scoreboard import ScoreboardError

AR, R, AW, W, B, MM2S_BEAT, S2MM_BEAT = range(7)
CHANNEL_NAMES = ("AR", "R", "AW", "W", "B", "m_axis", "s_axis")

_HEX = np.full(256, 255, dtype=np.uint8)
for _i, _c in enumerate(b"0123456789abcdef"):
    _HEX[_c] = _i
for _i, _c in enumerate(b"ABCDEF"):
    _HEX[_c] = 10 + _i


class TraceFormatError(ValueError):
    """The trace file is not what tb_beat_trace writes (X/Z in a field, a torn line)."""


def line_layout(data_width: int) -> list[tuple[str, int, int]]:
    """(field, first column, hex digits) of one trace line for a bus `data_width` bits wide."""
    widths = [("ch", 1), ("cycle", 8), ("id", 2), ("addr", 16), ("len", 2), ("size", 1), ("burst", 1),
              ("data", data_width // 4), ("strb", -(-data_width // 32)), ("last", 1), ("resp", 1),
              ("user", 8)]
    out, col = [], 0
    for name, n in widths:
        out.append((name, col, n))
        col += n + 1
    return out


@dataclass
class Beats:
    """A batch of trace records as numpy columns (one entry per handshake, in trace order)."""

    ch: np.ndarray        # uint8 channel (AR .. S2MM_BEAT)
    cycle: np.ndarray     # int64
    id: np.ndarray
    addr: np.ndarray      # uint64
    len: np.ndarray
    size: np.ndarray
    burst: np.ndarray
    data: np.ndarray      # (n, data_bytes) uint8, byte lane 0 first
    strb: np.ndarray      # int64 strobes / keep, bit per lane
    last: np.ndarray
    resp: np.ndarray
    user: np.ndarray

    def __len__(self) -> int:
        return len(self.ch)

    def word(self, i: int) -> int:
        """Beat i's data as the integer a cocotb signal read gives (lane 0 = bits 7..0)."""
        return int.from_bytes(self.data[i].tobytes(), "little")


def parse(raw: bytes, data_width: int) -> Beats:
    """Whole lines of a trace (bytes ending in a newline) -> Beats."""
    layout = line_layout(data_width)
    width = layout[-1][1] + layout[-1][2] + 1
    if len(raw) % width:
        raise TraceFormatError(f"trace batch of {len(raw)} bytes is not whole {width}-byte lines")
    n = len(raw) // width
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(n, width)
    if n and (rows[:, -1] != ord("\n")).any():
        raise TraceFormatError("trace line without its newline at the expected column (torn line)")
    cols = {}
    for name, start, digits in layout:
        nib = _HEX[rows[:, start:start + digits]]
        if (nib == 255).any():
            bad = int(np.nonzero((nib == 255).any(axis=1))[0][0])
            raise TraceFormatError(f"trace line {bad}: field {name} is not hex (X or Z on the bus?): "
                                   f"{rows[bad].tobytes()!r}")
        if name == "data":
            pairs = nib.reshape(n, digits // 2, 2).astype(np.uint8)
            cols[name] = ((pairs[:, :, 0] << 4) | pairs[:, :, 1])[:, ::-1].copy()  # lane 0 first
        else:
            acc = np.zeros(n, dtype=np.uint64)
            for k in range(digits):
                acc = (acc << np.uint64(4)) | nib[:, k].astype(np.uint64)
            cols[name] = acc
    return Beats(ch=cols["ch"].astype(np.uint8), cycle=cols["cycle"].astype(np.int64),
                 id=cols["id"].astype(np.int64), addr=cols["addr"], len=cols["len"].astype(np.int64),
                 size=cols["size"].astype(np.int64), burst=cols["burst"].astype(np.int64),
                 data=cols["data"], strb=cols["strb"].astype(np.int64), last=cols["last"].astype(np.int64),
                 resp=cols["resp"].astype(np.int64), user=cols["user"].astype(np.int64))


class TraceFile:
    """The trace file as the HDL writes it: each read returns the whole lines added since the last."""

    def __init__(self, path: Path, data_width: int):
        self.path = Path(path)
        self.data_width = data_width
        self.offset = 0
        self.records = 0

    def read_new(self) -> Beats:
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            raw = f.read()
        cut = raw.rfind(b"\n") + 1         # a line the simulator has not finished stays for later
        self.offset += cut
        beats = parse(raw[:cut], self.data_width)
        self.records += len(beats)
        return beats


class BeatDispatcher:
    """Trace records to the scoreboards in charge at their cycle, and MM2S stream beats to the disk.

    `install(kind, cycle, scoreboard)` queues a scoreboard swap ("read" or "write") taking effect for
    beats from `cycle` on; `apply(kind, sb)` is the environment's swap (it carries state over).
    `stream_sink(beats, rows)` receives the MM2S stream beats of each checked run (the disk);
    `on_burst(channel, beats, row)` each AR/AW (the burst log).

    Within a run between two swaps, each direction's records are checked in order per channel: the
    AR (AW) records first, then the R (W) beats, then B. A beat never precedes its burst's address
    handshake on the bus (the protocol checkers of sgdma_tb enforce it), so this is the per-beat
    order as far as any check can tell.
    """

    def __init__(self, current_read, current_write, apply, stream_sink=None, on_burst=None):
        self.current_read, self.current_write, self.apply = current_read, current_write, apply
        self.stream_sink, self.on_burst = stream_sink, on_burst
        self.pending: list[tuple[int, str, object]] = []   # (cycle, kind, scoreboard) in install order
        self.beats = 0

    def install(self, kind: str, cycle: int, sb) -> None:
        self.pending.append((cycle, kind, sb))

    def _swaps_until(self, cycle: int) -> None:
        while self.pending and self.pending[0][0] <= cycle:
            _c, kind, sb = self.pending.pop(0)
            self.apply(kind, sb)

    def settle(self) -> None:
        """Apply every queued swap (no beat of an earlier cycle is still unread)."""
        self._swaps_until(1 << 62)

    def feed(self, b: Beats) -> None:
        """Check a batch: cut at the queued swaps, then channel by channel in bulk."""
        start, n = 0, len(b)
        while start < n:
            end = n
            if self.pending:
                end = start + int(np.searchsorted(b.cycle[start:], self.pending[0][0], side="left"))
            if end > start:
                self._segment(b, start, end)
            if end < n:
                self._swaps_until(int(b.cycle[end]))
            start = end
        self.beats += n

    def _segment(self, b: Beats, lo: int, hi: int) -> None:
        """Records lo..hi (one scoreboard per direction in charge): the address channels record by
        record, the data channels in bulk (tb/bulk_check.py) with the per-beat methods for what the
        bulk check leaves (a wrong beat is reported by them)."""
        ch = b.ch[lo:hi]
        rd, wr = self.current_read(), self.current_write()

        def rows(c):
            return lo + np.flatnonzero(ch == c)

        def burst(i):
            return int(b.id[i]), int(b.addr[i]), int(b.len[i]), int(b.size[i])

        for i in rows(AR).tolist():
            self._at(i, b, "AR", lambda i=i: rd.on_ar(*burst(i)))
        r = rows(R)
        done = bulk.read_beats(rd, b.id[r], b.data[r], b.resp[r], b.last[r]) if hasattr(rd, "r_queue") else 0
        for i in r[done:].tolist():
            self._at(i, b, "R", lambda i=i: rd.on_r(int(b.id[i]), b.word(i), int(b.resp[i]), int(b.last[i])))
        s = rows(MM2S_BEAT)
        done = (bulk.stream_beats(rd, b.data[s], b.strb[s], b.last[s], b.user[s])
                if hasattr(rd, "packets") else 0)
        for i in s[done:].tolist():
            self._at(i, b, "m_axis", lambda i=i: rd.on_stream(b.word(i), int(b.strb[i]), int(b.last[i]),
                                                              int(b.user[i])))
        if self.stream_sink is not None and len(s):
            self.stream_sink(b, s)
        for i in rows(AW).tolist():
            self._at(i, b, "AW", lambda i=i: wr.on_aw(*burst(i)))
        w = rows(W)
        done = bulk.write_beats(wr, b.data[w], b.strb[w], b.last[w]) if hasattr(wr, "w_order") else 0
        for i in w[done:].tolist():
            self._at(i, b, "W", lambda i=i: wr.on_w(b.word(i), int(b.strb[i]), int(b.last[i])))
        for i in rows(B).tolist():
            self._at(i, b, "B", lambda i=i: wr.on_b(int(b.id[i]), int(b.resp[i])))

    def _at(self, i: int, b: Beats, channel: str, check) -> None:
        """Run a per-record check; a failure names the record's cycle. An AR/AW also passes the 4 KiB
        rule and reaches the burst log."""
        try:
            if channel in ("AR", "AW"):
                first = int(b.addr[i]) >> int(b.size[i]) << int(b.size[i])
                end = first + ((int(b.len[i]) + 1) << int(b.size[i])) - 1
                if first >> 12 != end >> 12:
                    raise ScoreboardError(
                        f"{channel}: burst at {int(b.addr[i]):#x} (len {int(b.len[i])}, "
                        f"size {int(b.size[i])}) "
                        f"crosses a 4 KiB boundary at {end >> 12 << 12:#x}")
            check()
        except ScoreboardError as e:
            raise ScoreboardError(f"{e} (trace cycle {int(b.cycle[i])})") from None
        if channel in ("AR", "AW") and self.on_burst is not None:
            self.on_burst(channel, b, i)
