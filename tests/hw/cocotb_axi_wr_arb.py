"""sgdma_axi_wr_arb alone (launcher: tests/hw/test_axi_arb.py), checked against the rules in its header
(hdl/sgdma_axi_wr_arb.v): AW round robin among the valid ports, a grant held while the granted AW waits
for AWREADY, port i uses AWID i; W taken from the port whose AW was offered first (AW order, recorded
in the first cycle an AW is offered, not at its handshake), so W never waits for AWREADY and a W burst
may run ahead of its AW handshake; B routed by BID, BREADY passed through.

Inputs are driven after the falling edge and the outputs read in that cycle's ReadOnly phase, so a
handshake is what the next rising edge sees (the same on Icarus and Verilator)."""
from __future__ import annotations

import random
from collections import deque

import cocotb
from cocotb.triggers import FallingEdge, ReadOnly

from tb.env.base import tie_idle
from tb.reset import start_clock_and_reset
from tests.hw.cocotb_axi_arb import PORTS, RoundRobinCheck, _bits, check_routing_by_id

# per-port AW fields (name, bits per port, random bits drawn): AWLEN below 4 beats, so that enough
# bursts end for the W order to matter
FIELDS = (("awaddr", None, None), ("awlen", 8, 2), ("awsize", 3, 3), ("awburst", 2, 2), ("awlock", 1, 1),
          ("awcache", 4, 4), ("awprot", 3, 3))


# every input the tests do not drive yet, held at 0 through reset
IDLE_INPUTS = ("s_axi_awvalid", "s_axi_wvalid", "m_axi_awready", "m_axi_wready", "m_axi_bvalid", "m_axi_bid",
               "m_axi_bresp", "s_axi_bready")


class WriteRequesters:
    """Three write masters. Each offers one AW at a time (VALID and payload held to the handshake) and,
    from the cycle after its AW is first offered, that burst's W beats (WVALID and payload held to
    each handshake, random gaps otherwise)."""

    def __init__(self, dut, rng: random.Random):
        self.dut, self.rng = dut, rng
        self.addr_bits = len(dut.m_axi_awaddr)
        self.id_bits = len(dut.m_axi_awid)
        self.data_bits = len(dut.m_axi_wdata)
        self.strb_bits = len(dut.m_axi_wstrb)
        self.aw: list[dict | None] = [None] * PORTS
        self.bursts: list[deque] = [deque() for _ in range(PORTS)]   # beats left of each burst, in order
        self.w: list[dict | None] = [None] * PORTS                     # the W beat on offer

    def new_aw(self) -> dict:
        return {n: self.rng.getrandbits(r or self.addr_bits) for n, _, r in FIELDS}

    def drive(self, w_rate: float) -> None:
        d, rng = self.dut, self.rng
        for p in range(PORTS):
            if self.w[p] is None and self.bursts[p] and rng.random() < w_rate:
                self.bursts[p][0] -= 1
                self.w[p] = {"wdata": rng.getrandbits(self.data_bits),
                             "wstrb": rng.getrandbits(self.strb_bits),
                             "wlast": int(self.bursts[p][0] == 0)}
        d.s_axi_awvalid.value = sum(1 << p for p in range(PORTS) if self.aw[p])
        d.s_axi_awid.value = sum(p << (p * self.id_bits) for p in range(PORTS))
        for name, w, _ in FIELDS:
            w = w or self.addr_bits
            # an idle port's payload is noise: the arbiter must not pass it on
            vals = [self.aw[p][name] if self.aw[p] else rng.getrandbits(w) for p in range(PORTS)]
            getattr(d, f"s_axi_{name}").value = sum(v << (p * w) for p, v in enumerate(vals))
        d.s_axi_wvalid.value = sum(1 << p for p in range(PORTS) if self.w[p])
        for name, w in (("wdata", self.data_bits), ("wstrb", self.strb_bits), ("wlast", 1)):
            vals = [self.w[p][name] if self.w[p] else rng.getrandbits(w) for p in range(PORTS)]
            getattr(d, f"s_axi_{name}").value = sum(v << (p * w) for p, v in enumerate(vals))


@cocotb.test()
async def test_aw_round_robin_and_w_order(dut):
    """Two phases: every port requesting whenever it has fewer than four bursts open, then random AW
    requests; AWREADY in runs of stalls, WREADY random. Each cycle: AWVALID out iff a port
    requests (the W-order FIFO never fills here: at most three bursts are open), the granted port is
    the one the round robin names (or the one held since its AW was offered), the AW out is that
    port's payload and AWREADY goes back to it alone; W out is the beat of the port whose AW was
    offered earliest among the bursts not yet ended, WREADY goes back to that port alone."""
    rng = random.Random(cocotb.RANDOM_SEED)
    req = WriteRequesters(dut, rng)
    tie_idle(dut, IDLE_INPUTS)
    await start_clock_and_reset(dut.clk, dut.rst)

    w_order: deque[int] = deque()  # ports of the AWs offered whose W burst has not ended, in offer order
    rr = RoundRobinCheck(dut, "aw", tuple(name for name, _, _ in FIELDS))
    w_beats = w_ahead = w_blocked = 0
    aw_stall = 0
    for phase, cycles, w_rate in (("saturated", 600, 0.9), ("random", 1500, 0.6)):
        for _ in range(cycles):
            await FallingEdge(dut.clk)
            for p in range(PORTS):
                # at most four bursts per port whose W is not all out, so the FIFO (WFIFO_DEPTH 16)
                # never limits the AW channel here
                if req.aw[p] is None and len(req.bursts[p]) < 4 and \
                        (phase == "saturated" or rng.random() < 0.35):
                    req.aw[p] = req.new_aw()
            req.drive(w_rate)
            # AWREADY stalls in runs (W then runs ahead of the AW handshake), WREADY at random
            aw_stall = aw_stall - 1 if aw_stall else (rng.randrange(1, 8) if rng.random() < 0.15 else 0)
            aw_ready, w_ready = not aw_stall and rng.random() < 0.8, rng.random() < 0.7
            dut.m_axi_awready.value = int(aw_ready)
            dut.m_axi_wready.value = int(w_ready)
            await ReadOnly()

            # ---- W: the head of the offer order, whatever the other ports offer ----
            head = w_order[0] if w_order else None
            wvalid, sready = _bits(dut.m_axi_wvalid), _bits(dut.s_axi_wready)
            assert wvalid == int(head is not None and req.w[head] is not None), \
                f"{phase}: WVALID {wvalid}, W order {list(w_order)}, offered {[w is not None for w in req.w]}"
            assert sready == ((int(w_ready) << head) if head is not None else 0), \
                f"{phase}: s_axi_wready {sready:03b}, W order head {head}, WREADY {int(w_ready)}"
            if wvalid:
                for name in ("wdata", "wstrb", "wlast"):
                    got, want = _bits(getattr(dut, f"m_axi_{name}")), req.w[head][name]
                    assert got == want, f"{phase}: m_axi_{name} {got:#x}, port {head} offers {want:#x}"
            w_blocked += sum(1 for p in range(PORTS) if p != head and req.w[p] is not None)

            # ---- AW ----
            g, first = rr.check(req.aw, aw_ready, phase)
            if g is not None and first:
                # first cycle on the bus: the AW takes its place in the W order, and its port may
                # send W from the next cycle
                w_order.append(g)
                req.bursts[g].append(req.aw[g]["awlen"] + 1)

            # ---- the edge: handshakes ----
            if wvalid and w_ready:
                w_beats += 1
                w_ahead += rr.held == head     # a beat of a burst whose AW still waits for AWREADY
                if req.w[head]["wlast"]:
                    w_order.popleft()
                    req.bursts[head].popleft()
                req.w[head] = None
            if g is not None and aw_ready:
                req.aw[g] = None
    counts = [rr.grants.count(p) for p in range(PORTS)]
    contended, not_lowest = rr.contended, rr.not_lowest
    dut._log.info("AW grants per port %s, contended decisions %d (%d past a lower port); W beats %d "
                  "(%d ahead of their AW), port-cycles a W beat waited behind another port's burst %d",
                  counts, contended, not_lowest, w_beats, w_ahead, w_blocked)
    # the test's premise: contention on AW where round robin differs from a fixed priority, W beats
    # ahead of their AW, and W held back by the order
    assert contended > 50 and not_lowest > 20 and w_ahead > 30 and w_blocked > 500, \
        (contended, not_lowest, w_ahead, w_blocked)


@cocotb.test()
async def test_b_routed_by_id(dut):
    """BVALID goes to the port named by BID (no port while BVALID is low, whatever BID holds), BREADY is
    that port's BREADY, the payload reaches every port unchanged."""
    tie_idle(dut, IDLE_INPUTS)
    await start_clock_and_reset(dut.clk, dut.rst)
    await check_routing_by_id(dut, random.Random(cocotb.RANDOM_SEED + 1), "b", ("resp",))
