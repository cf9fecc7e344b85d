"""Negative controls of the hostile-interconnect shim itself (toplevel tb/hdl/harness/axi_hostile.v alone).

A cocotbext-axi AxiMaster on s_axi (the DUT side, with its AW channel paused so that W often leads its
AW), an AxiRam on m_axi. Every test runs the same seeded traffic (writes then reads of random bursts on
IDs 0..3 at once, every byte read back and compared) under one mode and checks, by a per-cycle Python
observer that shares nothing with the shim's logic, that the mode did what it claims, and that mode
"none" does none of it (so each observation can fail):
  aw_wait_w   no AW handshake before a WVALID of that burst was seen        (none: some are)
  w_wait_aw   no W beat taken before its AW was seen                        (none: some are)
  reorder     R bursts leave in another order than the memory gave them     (none: same order)
  interleave  an R beat of one ID while a burst of another ID is half sent  (none: never)
  B reorder   B responses leave in another ID order than the memory's       (none: same order)
  stall       READY of AW/W/AR low while the memory's is high, 1..64 cycles in a row
  latency     every first R beat >= 128 cycles after its AR
  b_next      every B offered the cycle after its write completed (AW and last W both taken), in AW
              order, R interleaved as well                                 (none: some B later)
The shim's own counters (cnt_*) must agree with the observer. Launcher: tests/hw/test_axi_hostile.py.
"""
from __future__ import annotations

import itertools
import random

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge
from cocotbext.axi import AxiBus, AxiMaster, AxiRam

from tb.env.base import quiet_bus_logs
from tb.hostile import COUNTERS, mode_bits
from tb.reset import start_clock_and_reset


class Observer:
    """Per-cycle record of both sides of the shim (independent of the shim's counters)."""

    def __init__(self, dut):
        self.dut = dut
        self.aw_hs = 0              # AW handshakes on the master side
        self.w_starts_seen = 0      # W bursts whose first WVALID was seen
        self.w_counted = False
        self.w_done = 0
        self.aw_early = 0           # AW taken before any WVALID of its burst
        self.w_early = 0            # W beat taken before its AW was seen
        self.r_mem, self.r_dut = [], []       # burst IDs in order of first beat, memory / master side
        self.r_mid = {}                        # master side: ID -> half-sent burst
        self.r_interleaved = 0
        self.b_mem, self.b_dut = [], []
        self.aw_ids = []                       # AWID of each AW handshake, in order
        self.aw_cycle, self.wend_cycle = [], []   # cycle of AW handshake k / of W burst k's last beat
        self.b_rise = []                       # cycle the B for write k was first offered
        self.b_offered = False
        self.ar_time = {}                      # ID -> cycles of ARs waiting for their first R beat
        self.min_latency = None
        self.stall_run = {"aw": 0, "w": 0, "ar": 0}
        self.longest_stall = 0
        self.stall_cycles = 0
        self.cycle = 0
        self.mem_first = {}

    @staticmethod
    def _hi(sig) -> bool:
        v = sig.value
        return v.is_resolvable and int(v) == 1

    async def run(self):
        d, hi = self.dut, self._hi
        while True:
            await RisingEdge(d.clk)
            await ReadOnly()
            self.cycle += 1
            if hi(d.rst):
                continue
            awv, awr = hi(d.s_axi_awvalid), hi(d.s_axi_awready)
            wv, wr = hi(d.s_axi_wvalid), hi(d.s_axi_wready)
            w_start = wv and not self.w_counted
            seen = self.w_starts_seen + int(w_start)
            if awv and awr:
                if seen <= self.aw_hs:
                    self.aw_early += 1
            if wv and wr:
                aw_seen = self.aw_hs + int(awv) > self.w_done
                if not aw_seen:
                    self.w_early += 1
            self.w_starts_seen = seen
            self.w_counted = (self.w_counted or w_start) and not (wv and wr and hi(d.s_axi_wlast))
            if wv and wr and hi(d.s_axi_wlast):
                self.w_done += 1
                self.wend_cycle.append(self.cycle)
            if awv and awr:
                self.aw_hs += 1
                self.aw_cycle.append(self.cycle)
                self.aw_ids.append(int(d.s_axi_awid.value))
            bv = hi(d.s_axi_bvalid)
            if bv and not self.b_offered:
                self.b_rise.append(self.cycle)
            self.b_offered = bv and not hi(d.s_axi_bready)
            # stalls: the shim's READY low while the memory's READY is high
            for ch in ("aw", "w", "ar"):
                if hi(getattr(d, f"s_axi_{ch}valid")) and hi(getattr(d, f"m_axi_{ch}ready")) \
                        and not hi(getattr(d, f"s_axi_{ch}ready")):
                    self.stall_run[ch] += 1
                    self.stall_cycles += 1
                    self.longest_stall = max(self.longest_stall, self.stall_run[ch])
                else:
                    self.stall_run[ch] = 0
            if hi(d.s_axi_arvalid) and hi(d.s_axi_arready):
                self.ar_time.setdefault(int(d.s_axi_arid.value), []).append(self.cycle)
            # R on both sides
            if hi(d.m_axi_rvalid) and hi(d.m_axi_rready):
                rid = int(d.m_axi_rid.value)
                if not self.mem_first.get(rid):
                    self.r_mem.append(rid)
                self.mem_first[rid] = not hi(d.m_axi_rlast)
            if hi(d.s_axi_rvalid) and hi(d.s_axi_rready):
                rid = int(d.s_axi_rid.value)
                if any(i != rid and mid for i, mid in self.r_mid.items()):
                    self.r_interleaved += 1
                if not self.r_mid.get(rid):
                    self.r_dut.append(rid)
                    lat = self.cycle - self.ar_time[rid].pop(0)
                    self.min_latency = lat if self.min_latency is None else min(self.min_latency, lat)
                self.r_mid[rid] = not hi(d.s_axi_rlast)
            if hi(d.m_axi_bvalid) and hi(d.m_axi_bready):
                self.b_mem.append(int(d.m_axi_bid.value))
            if hi(d.s_axi_bvalid) and hi(d.s_axi_bready):
                self.b_dut.append(int(d.s_axi_bid.value))


    def b_the_cycle_after(self) -> int:
        """B responses first offered the cycle after their write completed (B k answers write k:
        the memory and the shim keep writes in AW order)."""
        # (a write whose AW or last W is still missing is not complete: zip stops at the shorter list)
        done = [max(a, w) for a, w in zip(self.aw_cycle, self.wend_cycle, strict=False)]
        return sum(1 for k, rise in enumerate(self.b_rise) if k < len(done) and rise == done[k] + 1)


async def _traffic(dut, mode: str, seed: int = 5) -> tuple[Observer, dict]:
    dut.rst.value = 0
    dut.mode.value = mode_bits(mode)
    dut.seed.value = seed
    quiet_bus_logs(dut, ("s_axi", "m_axi"))
    master = AxiMaster(AxiBus.from_prefix(dut, "s_axi"), dut.clk, dut.rst)
    memory = AxiRam(AxiBus.from_prefix(dut, "m_axi"), dut.clk, dut.rst, size=1 << 16)
    master.write_if.aw_channel.set_pause_generator(itertools.cycle([1, 1, 0]))   # W often leads AW
    await start_clock_and_reset(dut.clk, dut.rst)
    obs = Observer(dut)
    obs.memory = memory                    # the models live as long as the observer
    cocotb.start_soon(obs.run())
    rng = random.Random(seed)

    async def stream(axi_id: int):
        base = 0x1000 * (axi_id + 1)
        blobs = []
        for k in range(6):
            n = rng.choice([4, 12, 40, 64, 100])
            data = bytes(rng.randrange(256) for _ in range(n))
            await master.write(base + 0x100 * k, data, awid=axi_id)
            blobs.append((base + 0x100 * k, data))
        got = [cocotb.start_soon(master.read(a, len(b), arid=axi_id)) for a, b in blobs]
        for (a, b), task in zip(blobs, got, strict=True):
            resp = await task
            assert bytes(resp.data) == b, f"{mode}: ID {axi_id} read at {a:#x} returned other bytes"

    tasks = [cocotb.start_soon(stream(i)) for i in range(4)]
    for t in tasks:
        await t
    for _ in range(4):
        await RisingEdge(dut.clk)
    counts = {name: int(getattr(dut, name).value) for name in COUNTERS}
    dut._log.info("%s: observer aw_early %d w_early %d interleaved %d stall %d (longest %d) min latency %s; "
                  "shim %s", mode, obs.aw_early, obs.w_early, obs.r_interleaved, obs.stall_cycles,
                  obs.longest_stall, obs.min_latency, counts)
    return obs, counts


@cocotb.test()
async def test_none_is_plain(dut):
    """Mode none: responses in memory order, no interleave, no stall; W does lead AW and AW is taken
    before W (so the observations of the other modes can fail)."""
    obs, c = await _traffic(dut, "none")
    assert obs.r_dut == obs.r_mem and obs.b_dut == obs.b_mem
    assert obs.r_interleaved == 0 and obs.stall_cycles == 0
    assert obs.aw_early > 0 and obs.w_early > 0, "the traffic never took AW before W, or W before AW"
    assert (c["cnt_aw_early"], c["cnt_w_early"]) == (obs.aw_early, obs.w_early), c
    assert c["cnt_r_reorder"] == c["cnt_r_interleave"] == c["cnt_b_reorder"] == c["cnt_stall"] == 0, c
    assert obs.b_the_cycle_after() < len(obs.b_dut), "the memory itself answers every B the cycle after"
    assert c["cnt_b_next"] == 0, c


@cocotb.test()
async def test_aw_wait_w(dut):
    """AWREADY only after WVALID of the burst."""
    obs, c = await _traffic(dut, "aw_wait_w")
    assert obs.aw_early == 0 == c["cnt_aw_early"] and c["cnt_aw_held"] > 0, c


@cocotb.test()
async def test_w_wait_aw(dut):
    """WREADY only after AWVALID of the burst."""
    obs, c = await _traffic(dut, "w_wait_aw")
    assert obs.w_early == 0 == c["cnt_w_early"] and c["cnt_w_held"] > 0, c


@cocotb.test()
async def test_reorder(dut):
    """R bursts and B responses leave in another ID order than the memory's; bursts stay whole."""
    obs, c = await _traffic(dut, "reorder")
    assert obs.r_dut != obs.r_mem and sorted(obs.r_dut) == sorted(obs.r_mem), "R never reordered"
    assert obs.b_dut != obs.b_mem, "B never reordered"
    assert obs.r_interleaved == 0 == c["cnt_r_interleave"]
    assert c["cnt_r_reorder"] > 0 and c["cnt_b_reorder"] > 0, c


@cocotb.test()
async def test_interleave(dut):
    """R beats of different IDs interleaved."""
    obs, c = await _traffic(dut, "interleave")
    assert obs.r_interleaved > 0 and c["cnt_r_interleave"] > 0, c


@cocotb.test()
async def test_stall(dut):
    """Random stalls of 1..64 cycles on AW, W and AR while the memory is ready."""
    obs, c = await _traffic(dut, "stall")
    assert obs.stall_cycles > 0 and c["cnt_stall"] > 0, c
    assert obs.longest_stall <= 64, f"a stall of {obs.longest_stall} cycles"


@cocotb.test()
async def test_latency(dut):
    """Every first R beat at least 128 cycles after its AR."""
    obs, c = await _traffic(dut, "latency")
    assert obs.min_latency is not None and obs.min_latency >= 128, obs.min_latency
    assert c["r_min_delay"] >= 128, c


@cocotb.test()
async def test_all(dut):
    """Every behaviour at once: the data still arrives intact."""
    obs, c = await _traffic(dut, "all")
    assert obs.aw_early == 0 and obs.w_early == 0 and obs.r_interleaved > 0, c


@cocotb.test()
async def test_b_next(dut):
    """Every B the cycle after its write completed, with the write's AWID and OKAY, and R interleaved;
    the data still reads back (each stream reads only after its writes were answered)."""
    obs, c = await _traffic(dut, "b_next")
    writes = len(obs.aw_ids)
    assert writes == len(obs.wend_cycle) == len(obs.b_dut) > 0, (writes, len(obs.b_dut))
    assert obs.b_dut == obs.aw_ids, "B not in AW order or with another ID"
    assert obs.b_the_cycle_after() == writes == c["cnt_b_next"], (obs.b_the_cycle_after(), writes, c)
    assert obs.r_interleaved > 0 and c["cnt_r_interleave"] > 0, c
