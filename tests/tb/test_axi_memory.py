"""tb/axi_memory.py pure-Python parts: dmatest patterns, guard regions (with negative controls: a
deliberate overrun, underrun, stray write between cookies and source overwrite are each reported with
the first corrupted byte and its region), the error map and replayable pause patterns.
The AxiRam hooks (error responses, latency, burst log) run over a bus in
tests/hw/cocotb_protocol_checkers.py::test_axi_memory_over_the_bus."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from tb.axi_memory import (
    RESP_DECERR,
    RESP_OKAY,
    RESP_SLVERR,
    ErrorMap,
    GuardError,
    GuardRegions,
    dmatest_pattern,
    pause_pattern,
)


class FlatMemory:
    """The read/write interface of cocotbext-axi Memory over a bytearray."""

    def __init__(self, size=0x40000):
        self.data = bytearray(size)

    def read(self, addr, length):
        return bytes(self.data[addr:addr + length])

    def write(self, addr, data):
        self.data[addr:addr + len(data)] = bytes(data)


SRC = [(0x1000, 0x30), (0x1040, 0x20), (0x1060, 0x10)]   # gap of 0x10 between 0 and 1; 1 and 2 adjacent
DST = [(0x8003, 0x25), (0x9000, 0x35)]


@pytest.fixture
def guarded():
    mem = FlatMemory()
    g = GuardRegions(mem, guard=32)
    g.place_source("src", SRC)
    g.place_destination("dst", DST)
    return mem, g


def test_dmatest_patterns_are_distinct():
    src_in = dmatest_pattern(40, source=True, window=True)
    src_out = dmatest_pattern(40, source=True, window=False)
    dst_in = dmatest_pattern(40, source=False, window=True)
    dst_out = dmatest_pattern(40, source=False, window=False)
    assert np.all(src_in & 0xC0 == 0xC0) and np.all(src_out & 0xE0 == 0x80)
    assert np.all(dst_in & 0xE0 == 0x20) and np.all(dst_out & 0xE0 == 0)
    assert list(src_in[:3] & 0x1F) == [0x1F, 0x1E, 0x1D]      # inverted byte index
    assert src_in[32] & 0x1F == 0x1F                           # index wraps every 32 bytes


def test_clean_copy_passes(guarded):
    mem, g = guarded
    src = b"".join(mem.read(a, n) for a, n in SRC)
    pos = 0
    for a, n in DST:
        mem.write(a, src[pos:pos + n])
        pos += n
    g.check_guards()
    g.check_destination("dst", src[:pos])


def test_overrun_after_a_cookie_is_reported(guarded):
    mem, g = guarded
    mem.write(0x8003 + 0x25, b"\x00")                 # one byte past destination range 0
    with pytest.raises(GuardError) as err:
        g.check_guards()
    assert str(err.value).startswith("guard after of dst range 0: byte at 0x8028 (offset 0 in region)")
    assert "write outside the windows" in str(err.value)


def test_underrun_before_a_cookie_is_reported(guarded):
    mem, g = guarded
    mem.write(0x9000 - 3, b"\xAA")
    with pytest.raises(GuardError,
                       match=r"guard before of dst range 1: byte at 0x8ffd \(offset 29 in region\)"):
        g.check_guards()


def test_stray_write_between_cookies_is_reported(guarded):
    mem, g = guarded
    mem.write(0x1035, b"\x00")                        # in the 0x10-byte gap between src ranges 0 and 1
    with pytest.raises(GuardError, match=r"guard after of src range 0: byte at 0x1035"):
        g.check_guards()


def test_guards_never_cover_a_window(guarded):
    """Adjacent cookies (src ranges 1 and 2) share no guard; the 0x10-byte gap is guarded once."""
    _mem, g = guarded
    guards = [(r.addr, r.addr + len(r.expected)) for r in g.regions if r.kind != "source window"]
    for w_addr, w_end, *_ in g.windows:
        assert not any(a < w_end and w_addr < e for a, e in guards), f"guard over window {w_addr:#x}"
    gap = [(a, e) for a, e in guards if 0x1030 <= a < 0x1040]
    assert gap == [(0x1030, 0x1040)]


def test_source_overwritten_is_reported(guarded):
    mem, g = guarded
    mem.write(0x1041, b"\x00")
    with pytest.raises(GuardError,
                       match=r"source window of src range 1: byte at 0x1041 .*source overwritten"):
        g.check_guards()


def test_first_corrupted_byte_is_the_lowest(guarded):
    mem, g = guarded
    mem.write(0x9040, b"\x00")
    mem.write(0x0FF0, b"\x00")
    with pytest.raises(GuardError, match=r"byte at 0xff0"):
        g.check_guards()


def test_destination_mismatch_and_write_past_transfer(guarded):
    mem, g = guarded
    expected = bytes(range(0x30))
    mem.write(0x8003, expected[:0x25])
    mem.write(0x9000, expected[0x25:])
    g.check_destination("dst", expected)
    mem.write(0x9000 + 0x0B, b"\xEE")                # first byte after the 0x30-byte transfer
    with pytest.raises(GuardError,
                       match=r"destination dst range 1: byte at 0x900b \(offset 48 .*written past"):
        g.check_destination("dst", expected)
    mem.write(0x8004, b"\xEE")
    with pytest.raises(GuardError, match=r"range 0: byte at 0x8004 \(offset 1 in the transfer\).*mismatch"):
        g.check_destination("dst", expected)


def test_window_placed_over_an_earlier_guard_is_not_a_false_alarm():
    mem = FlatMemory()
    g = GuardRegions(mem, guard=64)
    g.place_destination("a", [(0x2000, 0x10)])
    g.place_destination("b", [(0x2020, 0x10)])       # inside a's after-guard
    g.check_guards()
    with pytest.raises(ValueError, match="b2: range 0 at 0x2025 overlaps b range 0"):
        g.place_source("b2", [(0x2025, 4)])


def test_guard_on_a_descriptor_ring():
    mem = FlatMemory()
    g = GuardRegions(mem)
    g.add_guard("ring tail", 0x3000, 0x40)
    g.check_guards()
    mem.write(0x3020, b"\x01")
    with pytest.raises(GuardError, match=r"guard of ring tail: byte at 0x3020"):
        g.check_guards()


def test_error_map():
    em = ErrorMap()
    em.add(0x1000, 0x100, "SLVERR", on="read")
    em.add(0x2000, 0x10, "DECERR", on="write")
    em.add(0x3000, 0x10, "DECERR")
    assert em.lookup(0x0FF8, 8, write=False) == RESP_OKAY
    assert em.lookup(0x0FF8, 9, write=False) == RESP_SLVERR
    assert em.lookup(0x1000, 4, write=True) == RESP_OKAY
    assert em.lookup(0x200F, 1, write=True) == RESP_DECERR
    assert em.lookup(0x2000, 4, write=False) == RESP_OKAY
    assert em.lookup(0x3008, 8, write=False) == em.lookup(0x3008, 8, write=True) == RESP_DECERR
    with pytest.raises(ValueError, match="resp must be SLVERR or DECERR"):
        em.add(0, 1, "OKAY")
    with pytest.raises(ValueError, match="on must be read, write or both"):
        em.add(0, 1, "SLVERR", on="rw")


def test_pause_pattern_replays_from_the_seed():
    a = list(itertools.islice(pause_pattern(42, "r", 0.3), 5000))
    b = list(itertools.islice(pause_pattern(42, "r", 0.3), 5000))
    c = list(itertools.islice(pause_pattern(42, "w", 0.3), 5000))
    d = list(itertools.islice(pause_pattern(43, "r", 0.3), 5000))
    assert a == b and a != c and a != d
    assert 0.25 < sum(a) / len(a) < 0.35
    assert not any(itertools.islice(pause_pattern(1, "aw", 0.0), 1000))


def test_burst_record_span():
    from tb.axi_memory import BurstRecord

    rec = BurstRecord("AR", 0, 0x1004, 3, 3, 1, 10.0)      # 4 beats of 8 bytes from 0x1004
    assert rec.nbytes == 32
    assert rec.touches(0x1023, 1) and rec.touches(0x1000, 5)
    assert not rec.touches(0x1024, 8), "the byte after the span"
    assert not rec.touches(0x1000, 4), "the bytes before the address"
