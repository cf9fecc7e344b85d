"""cocotb tests for sgdma_mm2s (memory to AXI4-Stream data mover), dmatest style.

The environment is tb/env/mm2s.Mm2sEnv (memory with a per-address pattern and error injection, stream
sink, command driver, a trace of every handshake); the trace is checked by tb/mm2s_checks against what
the mover must do:
  - stream = concatenation of each packet's buffers, byte for byte; TKEEP all ones except the
    packet's last beat; TLAST exactly on that beat; TUSER = the SOF command's USER on every beat;
  - one status per command, in order, with the command's tag and length;
  - AR: INCR, full size, beat aligned, no burst across 4 KiB, arlen+1 <= MAX_BURST_LEN, at most
    MAX_OUTSTANDING bursts in flight, and the bursts tile exactly the commands' aligned spans in order
    (so no address outside them); VALID held and payload stable until READY (AR and stream).
Parameters come from the launcher in MM2S_PARAMS (JSON); the seed is cocotb's (printed).
"""
from __future__ import annotations

import os

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge

from tb.env.mm2s import Mm2sEnv
from tb.mm2s_checks import (
    ERR_DATA_DECERR,
    ERR_DATA_SLVERR,
    ERR_NONE,
    RESP_DECERR,
    RESP_SLVERR,
    Ar,
    Beat,
    Cmd,
    check_ar_trace,
    check_status,
    check_stream,
    expected_beats,
    random_buffers,
    sweep_buffers,
)
from tb.pacing import idle_backpressure_matrix


# ------------------------------------------------------------------------------------------------
# Tests
# ------------------------------------------------------------------------------------------------
@cocotb.test()
async def test_dmatest_random(dut):
    """Random packets (1..4 buffers, any offset/length, 4 KiB straddles), backpressure everywhere."""
    tb = Mm2sEnv(dut)
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
    tb = Mm2sEnv(dut)
    await tb.start()
    packets = tb.packets(random_buffers(tb.rng, tb.lanes, npackets=10, max_cmds=5, max_len=600))
    await tb.run_packets(packets)


@cocotb.test()
@cocotb.parametrize((("idle", "backpressure"), idle_backpressure_matrix()))
async def test_idle_backpressure(dut, idle, backpressure):
    """verilog-axi's matrix: commands with and without idle cycles x a stream sink with and without
    backpressure (tb/pacing.cycle_pause); every packet checked as in the random test."""
    tb = Mm2sEnv(dut)
    await tb.start()
    if backpressure is not None:
        tb.sink.set_pause_generator(backpressure())
    packets = tb.packets(random_buffers(tb.rng, tb.lanes, npackets=4, max_cmds=3, max_len=300))
    await tb.run_packets(packets, idle=idle() if idle is not None else None)


@cocotb.test()
async def test_sweep_4k(dut):
    """Start-offset x length sweep straddling 4 KiB (quick subset unless MM2S_SWEEP=full)."""
    tb = Mm2sEnv(dut)
    await tb.start()
    full = os.environ.get("MM2S_SWEEP", "quick") == "full"
    if full:
        tb.backpressure(stream=0.2, r=0.1)
    packets = tb.packets(sweep_buffers(tb.lanes, full))
    await tb.run_packets(packets)


@cocotb.test()
async def test_sweep_multi_command_packets(dut):
    """Packets of 2..3 small buffers at every lane offset: bytes of consecutive commands share beats."""
    tb = Mm2sEnv(dut)
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
    tb = Mm2sEnv(dut)
    await tb.start()
    tb.backpressure(ar=0.2, stream=0.2)
    lanes = tb.lanes
    # Packet 0 clean; packet 1: a clean buffer, then one whose beat `fault_beat` answers the error;
    # packet 2 after it.
    bad = 0x6000 + 5
    packets = tb.packets([[(0x2003, 100)], [(0x4001, 2 * lanes + 3), (bad, 40 * lanes), (0x7000, 50)],
                          [(0x9000, 64)]])
    fault_word = (bad - bad % lanes) + fault_beat * lanes
    tb.inject_error(fault_word, lanes, resp)
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
    tb = Mm2sEnv(dut)
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
    tb = Mm2sEnv(dut)
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
    tb = Mm2sEnv(dut)
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
