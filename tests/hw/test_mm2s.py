"""pytest launcher for the sgdma_mm2s cocotb tests (tests/hw/cocotb_mm2s.py), plus simulator-free
negative controls of its trace checkers.

Default run: DATA_WIDTH 64 runs every cocotb test; 32 and 128 run the quick 4 KiB sweep, the
multi-command packets and the throughput test. @slow: the full offset x length sweep and the random
tests at every width and seed (`make regress`).
"""
from __future__ import annotations

import json
import random

import pytest

from tb.mm2s_checks import (
    Ar,
    Beat,
    Cmd,
    check_ar_trace,
    check_status,
    check_status_timing,
    check_stream,
    expected_beats,
    last_byte_beats,
    make_packets,
    pattern,
)
from tb.sim_runner import HDL, run

# Other engineers' modules live in hdl/ too: build only this mover and its FIFO.
SOURCES = sorted(HDL.glob("sgdma_mm2s*.v")) + [HDL / "sgdma_fifo.v"]


def params(data_width: int, **overrides) -> dict:
    p = {"DATA_WIDTH": data_width, "ADDR_WIDTH": 32, "ID_WIDTH": 2, "AXI_ID": 0, "LEN_WIDTH": 16,
         "MAX_BURST_LEN": 16, "MAX_OUTSTANDING": 4, "FIFO_DEPTH": 32, "USER_WIDTH": 32, "TAG_WIDTH": 4}
    return {**p, **overrides}


def run_mm2s(sim: str, data_width: int, testcase: list[str] | None, seed: int = 1, overrides=None, **env):
    p = params(data_width, **(overrides or {}))
    run("sgdma_mm2s", "cocotb_mm2s", sim=sim, parameters=p, testcase=testcase, seed=seed,
        sources=SOURCES, extra_env={"MM2S_PARAMS": json.dumps(p), **env})


QUICK_NARROW = ["test_sweep_4k", "test_sweep_multi_command_packets", "test_throughput"]


@pytest.mark.parametrize("data_width", [32, 64, 128])
def test_mm2s(sim, data_width):
    """Every cocotb test at 64 bits; sweeps and throughput at 32 and 128."""
    run_mm2s(sim, data_width, None if data_width == 64 else QUICK_NARROW)


@pytest.mark.slow
@pytest.mark.parametrize("data_width", [32, 64, 128])
def test_mm2s_full(sim, data_width, seed):
    """Full 4 KiB offset x length sweep with backpressure, longer random runs, all tests, per seed."""
    run_mm2s(sim, data_width, None, seed=seed, MM2S_SWEEP="full", MM2S_NPACKETS="60", MM2S_TPUT_CMDS="8")


# Corner configurations: whole-page bursts at 128 bits with 64-bit addresses and 24-bit lengths; and
# single-beat bursts with one outstanding (no throughput claim there, so no throughput test).
CORNERS = {
    "w128_burst256": (128, {"ADDR_WIDTH": 64, "ID_WIDTH": 4, "LEN_WIDTH": 24, "MAX_BURST_LEN": 256,
                            "MAX_OUTSTANDING": 2, "FIFO_DEPTH": 512, "TAG_WIDTH": 6}, None),
    "w32_burst1": (32, {"MAX_BURST_LEN": 1, "MAX_OUTSTANDING": 1, "FIFO_DEPTH": 2, "TAG_WIDTH": 1},
                   ["test_dmatest_random", "test_dmatest_no_backpressure", "test_sweep_4k",
                    "test_sweep_multi_command_packets", "test_error_slverr", "test_error_decerr",
                    "test_abort_mid_transfer", "test_negative_controls"]),
}


@pytest.mark.slow
@pytest.mark.parametrize("corner", sorted(CORNERS))
def test_mm2s_corner(sim, corner, seed):
    data_width, overrides, testcase = CORNERS[corner]
    run_mm2s(sim, data_width, testcase, seed=seed, overrides=overrides)


# ------------------------------------------------------------------------------------------------
# Negative controls without a simulator: each checker must reject a bad trace for the stated reason.
# ------------------------------------------------------------------------------------------------
LANES = 8


def _packets():
    return make_packets([[(0x0FF3, 20), (0x2001, 3)], [(0x3000, 16)]], random.Random(5))


def _good_ars(cmds: list[Cmd]) -> list[Ar]:
    """A legal AR trace for the commands: one burst per 4 KiB piece of each aligned span."""
    ars, cycle = [], 10
    for c in cmds:
        lo = c.addr - c.addr % LANES
        hi = -(-(c.addr + c.length) // LANES) * LANES
        while lo < hi:
            end = min(hi, (lo | 0xFFF) + 1)
            ars.append(Ar(cycle, cycle, lo, (end - lo) // LANES - 1, 3, 1, 0, 3, 0, 0))
            cycle += 20
            lo = end
    return ars


def test_ar_checker_accepts_a_legal_trace():
    cmds = [c for p in _packets() for c in p]
    ars = _good_ars(cmds)
    check_ar_trace(ars, [a.cycle + 5 for a in ars], cmds, LANES, max_burst=16, max_outstanding=1)


@pytest.mark.parametrize("fault, reason", [
    ("cross4k", "crosses 4 KiB"),
    ("too_long", "> MAX_BURST_LEN"),
    ("outside", "expected"),
    ("extra", "no command left"),
    ("missing", "bursts cover"),
    ("outstanding", "outstanding"),
    ("late", "after the stop"),
    ("unaligned", "not beat aligned"),
    ("wrap", "arburst"),
])
def test_ar_checker_fires(fault, reason):
    cmds = [c for p in _packets() for c in p]
    ars = _good_ars(cmds)
    rlast = [a.cycle + 5 for a in ars]
    kwargs = {"max_burst": 16, "max_outstanding": 1}
    if fault == "cross4k":     # merge the two pieces of the 4 KiB straddle into one burst
        ars[0].len += ars[1].len + 1
        del ars[1]
        del rlast[1]
        kwargs["max_burst"] = 256
    elif fault == "too_long":
        kwargs["max_burst"] = 1
    elif fault == "outside":
        ars[2].addr += 0x40
    elif fault == "extra":
        ars.append(Ar(999, 999, 0x8000, 0, 3, 1, 0, 3, 0, 0))
        rlast.append(1005)
    elif fault == "missing":
        ars.pop()
        rlast.pop()
    elif fault == "outstanding":
        rlast = [a.cycle + 25 for a in ars]
    elif fault == "late":
        kwargs["stop_cycle"] = ars[1].rise - 1
    elif fault == "unaligned":
        ars[0].addr += 1
    elif fault == "wrap":
        ars[0].burst = 2
    with pytest.raises(AssertionError, match=reason):
        check_ar_trace(ars, rlast, cmds, LANES, **kwargs)


def test_stream_checker_fires():
    packets = _packets()
    good = expected_beats(packets, LANES)
    check_stream(good, expected_beats(packets, LANES), LANES)
    assert good[0].data == int.from_bytes(pattern(0x0FF3, 8), "little")
    assert [b.keep for b in good] == [0xFF, 0xFF, 0x7F, 0xFF, 0xFF], "20+3 bytes: 2 full beats + 7"
    for field, value, reason in (("data", good[1].data ^ (1 << 63), "tdata"), ("keep", 0xFF, "tkeep"),
                                 ("last", True, "tlast"), ("user", 1, "tuser")):
        bad = [Beat(b.data, b.keep, b.last, b.user) for b in good]
        target = bad[2] if field in ("keep",) else bad[1]
        setattr(target, field, value)
        with pytest.raises(AssertionError, match=reason):
            check_stream(bad, good, LANES)
    with pytest.raises(AssertionError, match="beats, expected"):
        check_stream(good[:-1], good, LANES)


def test_status_checker_fires():
    exp = [(0, 20, 0, True, False), (1, 3, 0, False, True)]
    check_status(list(exp), exp)
    with pytest.raises(AssertionError, match="status 1"):
        check_status([exp[0], (1, 2, 0, False, True)], exp)
    with pytest.raises(AssertionError, match="statuses, expected"):
        check_status(exp[:1], exp)


def test_status_timing_checker_fires():
    packets = _packets()            # beats: 0,1,2 (packet 0: commands end in beats 2 and 2), 3,4
    assert last_byte_beats(packets, LANES) == [2, 2, 4]
    beat_cycles = [10, 11, 12, 13, 14]
    check_status_timing([13, 14, 15], beat_cycles, packets, LANES)
    with pytest.raises(AssertionError, match="status 0 at cycle 12"):
        check_status_timing([12, 14, 15], beat_cycles, packets, LANES)
    with pytest.raises(AssertionError, match="before its last byte"):
        check_status_timing([13, 14, 15], beat_cycles[:4], packets, LANES)
