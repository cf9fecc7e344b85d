"""pytest launcher for the sgdma_s2mm cocotb tests (tests/hw/cocotb_s2mm.py), plus simulator-free
negative controls of its memory and bus checkers.

Default run: DATA_WIDTH 64 runs every cocotb test; 32 and 128 run the quick 4 KiB sweep, early TLAST,
overflow and throughput. @slow: the full offset x length sweep and longer random runs at every width
and seed (`make regress`).
"""
from __future__ import annotations

import pytest

from tb.env.s2mm import WINDOW_BASE
from tb.s2mm_checks import (
    BusViolationError,
    MemoryMismatchError,
    WriteBusChecker,
    check_window,
    expected_statuses,
    expected_writes,
    guard_byte,
)
from tb.sgdma_desc import ERR
from tb.sim_runner import HDL, run

# Other engineers' modules live in hdl/ too: build only this mover and its FIFO.
SOURCES = sorted(HDL.glob("sgdma_s2mm*.v")) + [HDL / "sgdma_fifo.v"]
MAX_BURST_LEN = 16
MAX_OUTSTANDING = 4


def params(data_width: int) -> dict:
    return {"DATA_WIDTH": data_width, "ADDR_WIDTH": 32, "ID_WIDTH": 4, "AXI_ID": 0, "LEN_WIDTH": 16,
            "MAX_BURST_LEN": MAX_BURST_LEN, "MAX_OUTSTANDING": MAX_OUTSTANDING, "FIFO_DEPTH": 64,
            "USER_WIDTH": 32, "TAG_WIDTH": 4}


def run_s2mm(sim: str, data_width: int, testcase: list[str] | None, seed: int = 1, **env):
    env = {"S2MM_MAX_BURST_LEN": str(MAX_BURST_LEN), "S2MM_MAX_OUTSTANDING": str(MAX_OUTSTANDING), **env}
    run("sgdma_s2mm", "cocotb_s2mm", sim=sim, parameters=params(data_width), testcase=testcase, seed=seed,
        sources=SOURCES, extra_env=env)


QUICK_NARROW = ["test_offset_length_sweep", "test_early_tlast", "test_tkeep_edges", "test_overflow",
                "test_throughput"]


@pytest.mark.parametrize("data_width", [32, 64, 128])
def test_s2mm(sim, data_width):
    """Every cocotb test at 64 bits; sweep, early TLAST, TKEEP edges, overflow, throughput at 32 and 128."""
    run_s2mm(sim, data_width, None if data_width == 64 else QUICK_NARROW)


@pytest.mark.slow
@pytest.mark.parametrize("data_width", [32, 64, 128])
def test_s2mm_full(sim, data_width, seed):
    """Full 4 KiB offset x length sweep and longer random backpressure runs, all tests, per seed."""
    run_s2mm(sim, data_width, None, seed=seed, S2MM_SWEEP="full", S2MM_RANDOM_PACKETS="80")


# ------------------------------------------------------------------------------------------------
# Reference model and negative controls without a simulator
# ------------------------------------------------------------------------------------------------
def test_expected_statuses_model():
    """The packet model: early TLAST, exact fit, overflow (docs/sgdma_design.md S2MM semantics)."""
    assert expected_statuses([4, 4, 4], 6) == [
        dict(len=4, err=0, sof=1, eof=0), dict(len=2, err=0, sof=0, eof=1), dict(len=0, err=0, sof=0, eof=0)]
    assert expected_statuses([4, 4], 8) == [
        dict(len=4, err=0, sof=1, eof=0), dict(len=4, err=0, sof=0, eof=1)]
    assert expected_statuses([4, 4], 4) == [
        dict(len=4, err=0, sof=1, eof=1), dict(len=0, err=0, sof=0, eof=0)]
    assert expected_statuses([4, 4], 9)[1] == dict(len=4, err=ERR["OVERFLOW"], sof=0, eof=0)
    assert expected_writes([(100, 4), (200, 4)], b"abcdef") == {100: b"abcd", 200: b"ef"}


def _image(writes: dict[int, bytes], size: int = 256) -> bytes:
    img = bytearray(guard_byte(WINDOW_BASE + i) for i in range(size))
    for a, blob in writes.items():
        img[a - WINDOW_BASE:a - WINDOW_BASE + len(blob)] = blob
    return bytes(img)


def test_memory_checker_fires():
    """Negative control: a byte written outside a buffer, a missing byte, a shifted buffer all fail."""
    good = {WINDOW_BASE + 10: b"\x81\x82\x83", WINDOW_BASE + 13: b"\x84"}
    check_window(_image(good), WINDOW_BASE, good)
    over = dict(good)
    over[WINDOW_BASE + 13] = b"\x84\x85"                   # overrun into the guard after
    for writes_in_memory, expectation in (
        (over, good),                                      # was written past the buffer
        ({WINDOW_BASE + 10: b"\x81\x82"}, good),           # not copied
        ({WINDOW_BASE + 11: b"\x81\x82\x83"}, {WINDOW_BASE + 11: b"\x81\x82\x83", WINDOW_BASE + 10: b"\x80"}),
    ):
        with pytest.raises(MemoryMismatchError):
            check_window(_image(writes_in_memory), WINDOW_BASE, expectation)
    # allow_partial accepts guard inside a buffer but not a wrong byte
    check_window(_image({WINDOW_BASE + 10: b"\x81"}), WINDOW_BASE, good, allow_partial=True)
    with pytest.raises(MemoryMismatchError):
        check_window(_image({WINDOW_BASE + 10: b"\x99"}), WINDOW_BASE, good, allow_partial=True)


def _checker(nb: int = 8) -> WriteBusChecker:
    ck = WriteBusChecker(nb, max_burst=4, max_outstanding=2)
    ck.allow(0x1003, 20)                                   # bytes 0x1003 .. 0x1016
    return ck


def _good_trace() -> list[tuple]:
    # 3 beats at 0x1003: lanes 3..7, 0..7, 0..6
    return [("aw", (0x1003, 2, 3, 1, 0)), ("cycle", (1,)), ("w", (0, 0xF8, 0)), ("cycle", (1,)),
            ("w", (0, 0xFF, 0)), ("cycle", (1,)), ("w", (0, 0x7F, 1)), ("b", (0,))]


@pytest.mark.parametrize("name, mutate", [
    ("WLAST early", lambda t: t[:2] + [("w", (0, 0xF8, 1))] + t[3:]),
    ("WLAST missing", lambda t: t[:6] + [("w", (0, 0x7F, 0)), ("cycle", (1,)), ("w", (0, 0, 1))]),
    ("strobe below AWADDR", lambda t: t[:2] + [("w", (0, 0xFC, 0))] + t[3:]),
    ("strobe past the buffer", lambda t: t[:6] + [("w", (0, 0xFF, 1))] + t[7:]),
    ("4 KiB crossing", lambda t: [("aw", (0x1FF8, 2, 3, 1, 0))] + t[1:]),
    ("burst too long", lambda t: [("aw", (0x1003, 4, 3, 1, 0))] + t[1:]),
    ("narrow size", lambda t: [("aw", (0x1003, 2, 2, 1, 0))] + t[1:]),
    ("wrong id", lambda t: [("aw", (0x1003, 2, 3, 1, 1))] + t[1:]),
    ("W bubble", lambda t: t[:3] + [("cycle", (0,))] + t[3:]),
    ("B without AW", lambda t: [("b", (0,))] + t),
    ("too many outstanding", lambda t: [("aw", (0x1003, 2, 3, 1, 0))] * 3),
])
def test_bus_checker_fires(name, mutate):
    """Negative control: each corruption of a clean trace breaks the rule it names."""
    _checker().replay(_good_trace())
    with pytest.raises(BusViolationError):
        _checker().replay(mutate(_good_trace()))
