"""sgdma holds AXI against any legal interconnect: directed tests for the A3.3.1 dependencies, the halt
and the reset (cocotb; launcher tests/hw/test_axi_hold.py).

Each test names the rule it guards:
  test_w_before_awready       a slave that raises AWREADY only after WVALID (tb/hdl/harness/axi_hostile.v mode
                              aw_wait_w): S2MM data and both STATUS write-backs complete; a master that
                              waits for AWREADY before WVALID deadlocks here.
  test_cpu_gate_w_before_awready   the same slave behind the hide unit's CPU gate (m_axi_cpu).
  test_halt_sweep_reset / test_halt_sweep_stop   CR.RESET / RS=0 written at every cycle across a queue
                              of MM2S statuses and their write-backs, and every other cycle across an
                              S2MM descriptor's data bursts, B and write-back: no AR or AW starts after the
                              register write has landed, every write-back that started completes
                              (no VALID withdrawn: the checkers on the DUT side would stop the run), the
                              channel halts, and new chains run both ways afterwards.
  test_valid_low_in_reset     every VALID output is 0 (not X) while reset is asserted, from before the
                              first clock edge (Icarus shows X, Verilator is 2-state); run without and
                              with the hide unit (its CPU ports, maintenance port and hide_mod_valid).
  test_sgdma_meets_each_mode  both channels at once under reorder, interleave, all and b_next (B the
                              cycle after the last W, R interleaved): data and STATUS right, and the
                              shim's counters show that sgdma's own traffic really was reordered /
                              interleaved / stalled / delayed / answered at once (not just the shim's
                              own test).
The environment is tb/env/sgdma.SgdmaEnv; parameters come from the launcher in SGDMA_PARAMS.
"""
from __future__ import annotations

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, RisingEdge, Timer, with_timeout
from cocotb.utils import get_sim_time
from cocotbext.axi import AxiStreamFrame

from tb.env.base import tie_idle
from tb.env.sgdma import SgdmaEnv, params_from_environment, stream_pattern
from tb.hostile import counters
from tb.sgdma_regs import pack

PARAMS = params_from_environment()
BYTES = PARAMS.get("DATA_WIDTH", 64) // 8
# one-byte descriptors: a stream beat carries the ends of several, so statuses come out in a bunch
BUNCH = [1] * (min(PARAMS.get("SGL_MAX", 16), 8) - 1) + [2 * BYTES + 1]


VALID_OUTPUTS = ("m_axi_awvalid", "m_axi_wvalid", "m_axi_arvalid", "m_axi_sg_awvalid", "m_axi_sg_wvalid",
                 "m_axi_sg_arvalid", "m_axis_tvalid", "s_axil_bvalid", "s_axil_rvalid", "m_maint_req_valid",
                 "m_axi_cpu_awvalid", "m_axi_cpu_wvalid", "m_axi_cpu_arvalid", "s_axi_cpu_bvalid",
                 "s_axi_cpu_rvalid", "s_maint_done_ready", "hide_mod_valid")


def _valids_not_low(dut) -> dict[str, str]:
    bad = {}
    for name in VALID_OUTPUTS:
        for sig_name in (name, f"dut_{name}"):
            sig = getattr(dut, sig_name, None)
            if sig is None:
                continue
            v = sig.value
            if not v.is_resolvable or int(v) != 0:
                bad[sig_name] = str(v)
    return bad


@cocotb.test()
async def test_valid_low_in_reset(dut):
    """(Runs first in its simulation.) Reset asserted from time 0: before the first clock edge and at
    every edge of the reset, every VALID that sgdma drives (and the maintenance done READY, which
    acknowledges) is 0, not X."""
    dut.rst.value = 1
    tie_idle(dut, ("m_axis_tready", "s_axis_tvalid", "s_axil_awvalid", "s_axil_wvalid", "s_axil_arvalid",
                   "s_axil_bready", "s_axil_rready", "m_axi_awready", "m_axi_wready", "m_axi_bvalid",
                   "m_axi_arready", "m_axi_rvalid", "m_axi_sg_awready", "m_axi_sg_wready", "m_axi_sg_bvalid",
                   "m_axi_sg_arready", "m_axi_sg_rvalid", "m_maint_req_ready", "s_maint_done_valid",
                   "m_axi_cpu_awready", "m_axi_cpu_wready", "m_axi_cpu_bvalid", "m_axi_cpu_arready",
                   "m_axi_cpu_rvalid", "s_axi_cpu_awvalid", "s_axi_cpu_wvalid", "s_axi_cpu_bready",
                   "s_axi_cpu_arvalid", "s_axi_cpu_rready"))
    await Timer(2, unit="ns")
    bad = _valids_not_low(dut)
    assert not bad, f"VALID not low in reset before the first clock edge: {bad}"
    clock = Clock(dut.clk, 10, unit="ns", impl="gpi")
    clock.start()
    for edge in range(4):
        await RisingEdge(dut.clk)
        await Timer(1, unit="ns")
        bad = _valids_not_low(dut)
        assert not bad, f"VALID not low in reset after clock edge {edge}: {bad}"
    clock.stop()                       # the next test starts its own clock


async def _new_chain_each_way(env: SgdmaEnv, tag: int) -> None:
    """One MM2S and one S2MM descriptor complete with the right data (the write path is not wedged)."""
    descs, data = env.mm2s_packet([200 + tag])
    (ma,) = env.alloc_desc(1)
    env.write_chain([ma], descs)
    await env.run_chain("MM2S", ma, ma)
    frame = await env.recv_frame(timeout=4000)
    assert bytes(frame.tdata) == data, "MM2S data after the halt"
    sdescs = env.s2mm_packet([128])
    (sa,) = env.alloc_desc(1)
    env.write_chain([sa], sdescs)
    payload = stream_pattern(tag, 100)
    await env.run_chain("S2MM", sa, sa)
    await env.source.send(AxiStreamFrame(payload))
    await env.wait_sr("S2MM", "IDLE", timeout=4000)
    await env.wait_sr("MM2S", "IDLE", timeout=4000)
    env.expect_status(ma, 200 + tag)
    env.expect_status(sa, 100, RXSOF=1, RXEOF=1)
    assert env.mem.read(sdescs[0].addr, 100) == payload, "S2MM data after the halt"


@cocotb.test()
async def test_w_before_awready(dut):
    """AWREADY only after WVALID of the burst: S2MM data bursts and STATUS write-backs of both channels
    complete, the data is right, and the shim really held every AW until its W (its counters)."""
    env = SgdmaEnv(dut, PARAMS, hostile="aw_wait_w", timeout_cycles=3000)
    await env.start()
    sdescs = env.s2mm_packet([1000, 300])
    saddrs = env.alloc_desc(2)
    env.write_chain(saddrs, sdescs)
    payload = stream_pattern(env.seed, 1200)
    await env.run_chain("S2MM", saddrs[0], saddrs[-1])
    await env.source.send(AxiStreamFrame(payload))
    await env.wait_sr("S2MM", "IDLE")
    env.expect_status(saddrs[0], 1000, RXSOF=1, RXEOF=0)
    env.expect_status(saddrs[1], 200, RXSOF=0, RXEOF=1)
    assert env.mem.read(sdescs[0].addr, 1000) + env.mem.read(sdescs[1].addr, 200) == payload
    descs, data = env.mm2s_packet([301, 77])
    addrs = env.alloc_desc(2)
    env.write_chain(addrs, descs)
    await env.run_chain("MM2S", addrs[0], addrs[-1])
    assert bytes((await env.recv_frame()).tdata) == data
    await env.wait_sr("MM2S", "IDLE")
    env.expect_status(addrs[0], 301)
    env.expect_status(addrs[1], 77)
    env.check_guards()
    c = counters(dut)
    assert c["cnt_aw_early"] == 0 and c["cnt_aw_held"] > 0, f"the shim did not hold AW until W: {c}"


@cocotb.test(skip=PARAMS.get("HIDE_ENTRIES", 0) == 0)   # needs the hide unit's CPU gate
async def test_cpu_gate_w_before_awready(dut):
    """The hide unit's CPU gate forwards a processor write to m_axi_cpu whose slave raises AWREADY only
    after WVALID: the write completes with the data in memory."""
    env = SgdmaEnv(dut, PARAMS, cpu_port=True, hostile="aw_wait_w")
    await env.start()
    addr = 0x0300_0040
    data = bytes(range(64))
    await with_timeout(env.cpu_master.write(addr, data), 5000 * env.PERIOD_NS, "ns")
    assert env.mem.read(addr, 64) == data
    got = await with_timeout(env.cpu_master.read(addr, 64), 5000 * env.PERIOD_NS, "ns")
    assert bytes(got.data) == data
    c = counters(dut, "hostile_axi_cpu")   # the gate offers W with its AW, so nothing had to wait
    assert c["cnt_aw_early"] == 0, f"an AW was accepted before its W was seen: {c}"


class OfferLog:
    """When each AR and AW was first offered on the DUT side of the m_axi shim (a request offered
    before a halt may be accepted after it, when the slave holds READY low)."""

    def __init__(self, dut):
        self.dut = dut
        self.offers: list[tuple[float, str, int]] = []    # (time_ns, "AR"|"AW", address)
        cocotb.start_soon(self._watch())

    async def _watch(self):
        d = self.dut
        pending = {"AR": False, "AW": False}
        while True:
            await RisingEdge(d.clk)
            for ch, pre in (("AR", "dut_m_axi_ar"), ("AW", "dut_m_axi_aw")):
                valid = d[pre + "valid"].value == 1
                if valid and not pending[ch]:
                    self.offers.append((get_sim_time("ns"), ch, int(d[pre + "addr"].value)))
                pending[ch] = valid and d[pre + "ready"].value != 1

    def since(self, t_ns: float) -> list[tuple[float, str, int]]:
        return [o for o in self.offers if o[0] > t_ns]


async def _first_tvalid(env: SgdmaEnv, limit: int = 2000) -> None:
    for _ in range(limit):
        await RisingEdge(env.dut.clk)
        if env.dut.m_axis_tvalid.value == 1:
            return
    raise AssertionError("no MM2S stream beat on offer")


async def _release_sink(env: SgdmaEnv, cycles: int) -> None:
    await ClockCycles(env.dut.clk, cycles)
    env.sink.pause = False


async def _halt_case(env: SgdmaEnv, offers: OfferLog, action: str, delay: int, release: int) -> None:
    """One MM2S packet of BUNCH descriptors, its first stream beat held; the sink takes it `release`
    cycles later; the CR write (RESET or RS=0) starts `delay` cycles after the beat came up."""
    descs, _ = env.mm2s_packet(BUNCH)
    addrs = env.alloc_desc(len(descs))
    env.write_chain(addrs, descs)
    env.sink.pause = True
    await env.run_chain("MM2S", addrs[0], addrs[-1])
    await _first_tvalid(env)
    cocotb.start_soon(_release_sink(env, release))
    await ClockCycles(env.dut.clk, delay)
    cr = pack("CR", RESET=1) if action == "reset" else 0
    await env.regs.write("MM2S", "CR", cr)
    landed = env.now_ns()                    # the register write has taken effect by its B response
    what = f"{action} {delay} cycles after the first beat (sink takes it at {release})"
    if action == "reset":
        while (await env.regs.read_fields("MM2S", "CR"))["RESET"]:
            assert env.now_ns() - landed < 20000 * env.PERIOD_NS, f"{what}: soft reset did not complete"
    else:
        await env.wait_sr("MM2S", "HALTED", timeout=4000)
    await ClockCycles(env.dut.clk, 100)
    late = offers.since(landed)
    assert not late, f"{what}: AR/AW first offered after the request had landed: {late[:4]}"
    # every STATUS word written was a write-back that started before the request; the others untouched
    started = {b.addr for b in env.bursts("AW")}
    for a in addrs:
        st = env.status(a)
        if a + 0x1C not in started:
            assert st["CMPLT"] == 0, f"{what}: descriptor {a:#x} STATUS written without a write-back"
    sr = await env.sr("MM2S")
    assert sr["HALTED"] == 1 and sr["ERR"] == 0, f"{what}: SR {sr}"
    await env.soft_reset("MM2S")
    env.flush_streams()


async def _halt_case_s2mm(env: SgdmaEnv, offers: OfferLog, action: str, delay: int) -> None:
    """One S2MM descriptor whose whole stream packet is already taken in (it fits the data FIFO) while
    the memory holds AWREADY low (its first AW waits, its W may already go); AWREADY returns 10 cycles
    later; the CR write starts `delay` cycles after the packet was taken, across the data bursts, their
    B and the STATUS write-back."""
    sdescs = env.s2mm_packet([50 * BYTES])
    (a,) = env.alloc_desc(1)
    env.write_chain([a], sdescs)
    since = env.now_ns()
    aw = env.mem.ram.write_if.aw_channel
    aw.pause = True
    await env.run_chain("S2MM", a, a)
    await env.source.send(AxiStreamFrame(stream_pattern(delay, 50 * BYTES)))
    await env.source.wait()

    async def release_aw():
        await ClockCycles(env.dut.clk, 10)
        aw.pause = False
    cocotb.start_soon(release_aw())
    await ClockCycles(env.dut.clk, delay)
    await env.regs.write("S2MM", "CR", pack("CR", RESET=1) if action == "reset" else 0)
    landed = env.now_ns()
    what = f"S2MM {action} {delay} cycles after the stream packet was taken"
    await env.wait_sr("S2MM", "HALTED", timeout=4000)
    if action == "reset":
        while (await env.regs.read_fields("S2MM", "CR"))["RESET"]:
            assert env.now_ns() - landed < 20000 * env.PERIOD_NS, f"{what}: soft reset did not complete"
    await ClockCycles(env.dut.clk, 100)
    late = offers.since(landed)
    assert not late, f"{what}: AR/AW first offered after the request had landed: {late[:4]}"
    st = env.status(a)
    data_aws = len(env.bursts("AW", since - 1)) - st["CMPLT"]
    env.dut._log.info("%s: %d data bursts, STATUS %s", what, data_aws,
                      "written" if st["CMPLT"] else "not written")
    if a + 0x1C not in {b.addr for b in env.bursts("AW")}:
        assert st["CMPLT"] == 0, f"{what}: STATUS written without a write-back"
    sr = await env.sr("S2MM")
    assert sr["HALTED"] == 1 and sr["ERR"] == 0, f"{what}: SR {sr}"
    await env.soft_reset("S2MM")


async def _halt_sweep(dut, action: str) -> None:
    env = SgdmaEnv(dut, PARAMS, timeout_cycles=4000)
    await env.start()
    offers = OfferLog(dut)
    release = 6
    for delay in range(0, release + 12):
        await _halt_case(env, offers, action, delay, release)
    for delay in range(0, 100, 3):
        await _halt_case_s2mm(env, offers, action, delay)
    await _new_chain_each_way(env, 1)
    env.check_guards()


@cocotb.test()
async def test_halt_sweep_reset(dut):
    """CR.RESET at every cycle across a bunch of queued MM2S statuses and their write-backs."""
    await _halt_sweep(dut, "reset")


@cocotb.test()
async def test_halt_sweep_stop(dut):
    """RS=0 at every cycle across the same window: no STATUS is written after the request (stale)."""
    await _halt_sweep(dut, "stop")


async def _both_ways(env: SgdmaEnv) -> None:
    """Three MM2S and three S2MM packets of two descriptors each, one chain per channel, both at once."""
    mdescs, mdata, sdescs, payloads = [], [], [], []
    for k in range(3):
        descs, data = env.mm2s_packet([700 + 8 * k, 300])
        mdescs += descs
        mdata.append(data)
        sdescs += env.s2mm_packet([640, 400])
        payloads.append(stream_pattern(k, 900))
    maddrs, saddrs = env.alloc_desc(6), env.alloc_desc(6)
    env.write_chain(maddrs, mdescs)
    env.write_chain(saddrs, sdescs)
    for payload in payloads:
        await env.source.send(AxiStreamFrame(payload))
    await env.run_chain("MM2S", maddrs[0], maddrs[-1])
    await env.run_chain("S2MM", saddrs[0], saddrs[-1])
    for k in range(3):
        assert bytes((await env.recv_frame()).tdata) == mdata[k], f"MM2S packet {k}"
    await env.wait_sr("MM2S", "IDLE")
    await env.wait_sr("S2MM", "IDLE")
    for k in range(3):
        env.expect_status(maddrs[2 * k], 700 + 8 * k)
        env.expect_status(maddrs[2 * k + 1], 300)
        env.expect_status(saddrs[2 * k], 640, RXSOF=1, RXEOF=0)
        env.expect_status(saddrs[2 * k + 1], 260, RXSOF=0, RXEOF=1)
        got = env.mem.read(sdescs[2 * k].addr, 640) + env.mem.read(sdescs[2 * k + 1].addr, 260)
        assert got == payloads[k], f"S2MM packet {k}"
    env.check_guards()


@cocotb.test()
async def test_sgdma_meets_each_mode(dut):
    """sgdma's own traffic (data ID 0, descriptors IDs 1/2, write-backs) under reorder, interleave, all, and
    b_next (every B the cycle after its write completed, R interleaved)."""
    expect = {
        "reorder": lambda c: c["cnt_r_reorder"] > 0 and c["cnt_b_reorder"] > 0,
        "interleave": lambda c: c["cnt_r_interleave"] > 0,
        # zero-latency B (BVALID the cycle after the last W) with R interleaved across IDs
        "b_next": lambda c: c["cnt_b_next"] > 0 and c["cnt_r_interleave"] > 0,
        "all": lambda c: (c["cnt_r_interleave"] > 0 and c["cnt_stall"] > 0 and c["r_min_delay"] >= 128
                          and c["cnt_aw_early"] == 0 and c["cnt_w_early"] == 0),
    }
    for mode, ok in expect.items():
        env = SgdmaEnv(dut, PARAMS, hostile=mode)
        await env.start()
        await _both_ways(env)
        c = counters(dut)
        dut._log.info("%s: shim counters %s", mode, c)
        assert ok(c), f"{mode}: sgdma's traffic did not meet the mode: {c}"
