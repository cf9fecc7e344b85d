"""cocotb tests of sgdma_s2mm, the S2MM data mover (AXI4-Stream to memory).

The environment is tb/env/s2mm.S2mmEnv: memory with an error window, a stream source, command and
status agents, and a bus monitor. Checks, in the style of Linux dmatest: the destination window is
pre-filled with a guard pattern (bit 7 clear) distinct from the stream bytes (bit 7 set); after each
packet every buffer holds exactly its stream bytes and every other byte of the window is unchanged.
The bus checker (tb/s2mm_checks.WriteBusChecker) checks every AW/W/B beat (4 KiB, MAX_BURST_LEN,
WLAST, strobes only inside buffers, no W bubble inside a burst, outstanding bursts). Configuration
comes from the environment (S2MM_* set by tests/hw/test_s2mm.py).
"""
from __future__ import annotations

import json
import os
from itertools import cycle
from pathlib import Path

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge
from cocotbext.axi import AxiStreamFrame

from tb.env.s2mm import (
    MAX_BURST_LEN,
    MAX_OUTSTANDING,
    RESP_DECERR,
    RESP_SLVERR,
    WINDOW_BASE,
    WINDOW_SIZE,
    S2mmEnv,
    make_s2mm_env,
)
from tb.s2mm_checks import (
    BusViolationError,
    MemoryMismatchError,
    WriteBusChecker,
    bad_traces,
    check_window,
    expected_statuses,
    expected_writes,
    stream_bytes,
    sweep_cases,
)
from tb.sgdma_desc import ERR

SWEEP = os.environ.get("S2MM_SWEEP", "quick")     # "quick" or "full"
RANDOM_PACKETS = int(os.environ.get("S2MM_RANDOM_PACKETS", "12"))


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------
@cocotb.test()
async def test_basic_packets(dut):
    """Single and multi-buffer packets, aligned and not, adjacent buffers sharing a memory beat."""
    tb = await make_s2mm_env(dut)
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


@cocotb.test()
async def test_offset_length_sweep(dut):
    """Start offsets around and across a 4 KiB boundary x lengths; each also as a 2-buffer packet."""
    tb = await make_s2mm_env(dut)
    full = SWEEP == "full"
    base = WINDOW_BASE + 0x1000
    for off, n in sweep_cases(tb.nb, full, MAX_BURST_LEN):
        await tb.run_packet([(base + off, n)], n)
        second = base + off + n + (off % 3)
        await tb.run_packet([(base + off, n), (second, n // 2 + 1)], n + n // 2 + 1)


@cocotb.test()
async def test_early_tlast(dut):
    """Stream = buffer total + {-8,-2,-1,0}: actual lengths, RXEOF, zero-length completions after."""
    tb = await make_s2mm_env(dut)
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
    tb = await make_s2mm_env(dut)
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
async def test_eof_full_then_late_and_empty_beats(dut):
    """An EOF buffer filled exactly by a beat without TLAST waits for the verdict through idle cycles
    (TVALID low) and through beats with no bytes and no TLAST (consumed and ignored); the bare TLAST
    that follows ends the packet normally: RXEOF on the EOF buffer, no overflow (docs/sgdma_s2mm.md,
    TLAST table)."""
    tb = await make_s2mm_env(dut)
    nb = tb.nb
    start = WINDOW_BASE + 0x1000 - nb - 3
    tb.source.set_pause_generator(cycle([False, True, True]))      # two idle cycles after every beat
    try:
        for lens in ([4 * nb], [nb + 3, 3 * nb - 3]):
            bufs = tb.layout(start, lens, nb)
            n = sum(lens)
            data = stream_bytes(n, tb.rng)
            frame = AxiStreamFrame(data + bytes(3 * nb), tkeep=[1] * n + [0] * (3 * nb))
            await tb.run_packet(bufs, n, data, frame=frame, null_tlast=True)
    finally:
        tb.source.set_pause_generator(None)


@cocotb.test()
async def test_overflow(dut):
    """Stream = buffer total + {1,2,8}: EOF buffer OVERFLOW after its data, stream drained, then stopped."""
    tb = await make_s2mm_env(dut)
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
    tb = await make_s2mm_env(dut)
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
    tb = await make_s2mm_env(dut)
    nb = tb.nb
    for backpressure in (False, True):
        tb.new_case(backpressure)
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
        check_window(tb.mem.read(WINDOW_BASE, WINDOW_SIZE), WINDOW_BASE, writes)
    tb.set_backpressure(False)


async def _error_case(tb: S2mmEnv, resp: int):
    nb = tb.nb
    tb.checker.allowed = []
    tb.fill_window()
    bufs = [(WINDOW_BASE + 0x1000 + 5, 20 * nb), (WINDOW_BASE + 0x1400 + 1, 40 * nb),
            (WINDOW_BASE + 0x1C00, 30 * nb)]
    tb.inject_error(bufs[1][0] + 24 * nb, 1, resp)   # a burst in the middle of buffer 1 fails
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
    image = tb.mem.read(WINDOW_BASE, WINDOW_SIZE)
    check_window(image, WINDOW_BASE, writes, allow_partial=True)
    assert tb.mem.read(bufs[0][0], bufs[0][1]) == writes[bufs[0][0]]
    tb.source.clear()
    await tb.reset()


@cocotb.test()
async def test_write_error(dut):
    """SLVERR / DECERR on a B: that command's status carries DATA_SLVERR / DATA_DECERR, no AW after it,
    every outstanding B drained, stream no longer accepted, idle."""
    tb = await make_s2mm_env(dut)
    for resp in (RESP_SLVERR, RESP_DECERR):
        await _error_case(tb, resp)
    tb.set_backpressure(True)
    for resp in (RESP_SLVERR, RESP_DECERR):
        await _error_case(tb, resp)


@cocotb.test()
async def test_abort(dut):
    """Abort mid-transfer: no new command, no new AW, issued bursts completed, B drained, idle."""
    tb = await make_s2mm_env(dut)
    nb = tb.nb
    for backpressure in (False, True):
        tb.new_case(backpressure)
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
        check_window(tb.mem.read(WINDOW_BASE, WINDOW_SIZE), WINDOW_BASE, expected_writes(bufs, data),
                     allow_partial=True)
        tb.source.clear()
        await tb.reset()
    tb.set_backpressure(False)


@cocotb.test()
async def test_abort_at_issue_edge(dut):
    """Abort sampled at each edge around the first AW's issue edge (no backpressure, so that edge is
    fixed): "from that cycle ... no new AW" (docs/sgdma_s2mm.md). The sweep must hit the very edge the
    AW would be issued at, where a mover acting only on its latched abort would still issue one."""
    tb = await make_s2mm_env(dut)
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
    tb = await make_s2mm_env(dut)
    bufs = [(0x1000 * (k + 1), 4096) for k in range(4)]
    tb.checker.allowed = []
    data = stream_bytes(4 * 4096, tb.rng)
    t0 = len(tb.trace["w"])
    for a, n in bufs:
        tb.mem.write(a, bytes(n))
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
        assert tb.mem.read(a, n) == data[a - 0x1000:a - 0x1000 + n]
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
        assert tb.mem.read(a, n) == data[k * 4096:(k + 1) * 4096]
    Path(os.environ.get("S2MM_REPORT", "/dev/null")).write_text(
        json.dumps(dict(beats=beats, cycles=span, efficiency=eff, latency=latency,
                        unaligned_efficiency=eff2)))


@cocotb.test()
async def test_checkers_fire(dut):
    """Negative controls in simulation: the memory checker fails on a wrong expectation and the
    bus checker fails on a bad W trace."""
    tb = await make_s2mm_env(dut)
    nb = tb.nb
    bufs = [(WINDOW_BASE + 0x1000 + 3, 5 * nb)]
    data = stream_bytes(5 * nb, tb.rng)
    await tb.run_packet(bufs, len(data), data)
    image = tb.mem.read(WINDOW_BASE, WINDOW_SIZE)
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
    for name, bad in bad_traces(events, nb, MAX_BURST_LEN, MAX_OUTSTANDING):
        probe = WriteBusChecker(nb, MAX_BURST_LEN, MAX_OUTSTANDING)
        probe.allow(*bufs[0])
        try:
            probe.replay(bad)
        except BusViolationError as exc:
            dut._log.info("bus checker fired on %s: %s", name, exc)
        else:
            raise AssertionError(f"bus checker missed {name}")
