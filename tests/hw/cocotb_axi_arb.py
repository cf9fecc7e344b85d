"""sgdma_axi_rd_arb alone (launcher: tests/hw/test_axi_arb.py), checked against the rules in its header
(hdl/sgdma_axi_rd_arb.v): AR round robin among the valid ports, one AR per cycle, a grant held while
the granted AR waits for ARREADY; port i uses ARID i; R routed by RID, RREADY passed through.

Inputs are driven after the falling edge and the outputs read in that cycle's ReadOnly phase, so a
handshake is what the next rising edge sees (the same on Icarus and Verilator)."""
from __future__ import annotations

import random

import cocotb
from cocotb.triggers import FallingEdge, ReadOnly

from tb.env.base import tie_idle
from tb.reset import start_clock_and_reset

PORTS = 3
# per-port AR fields (name, bits): each requester offers its own random value of each
FIELDS = (("araddr", None), ("arlen", 8), ("arsize", 3), ("arburst", 2), ("arlock", 1), ("arcache", 4),
          ("arprot", 3))


def rr_next(last: int | None, valid: list[bool]) -> list[int]:
    """Ports the round robin may grant: the first valid one after `last` (the port granted last), in
    the order last+1, last+2, last. Before any grant the header fixes no start: any valid port."""
    if last is None:
        return [p for p in range(PORTS) if valid[p]]
    for k in range(1, PORTS + 1):
        p = (last + k) % PORTS
        if valid[p]:
            return [p]
    return []


def _bits(sig) -> int:
    return int(sig.value)


# every input the tests do not drive yet, held at 0 through reset
IDLE_INPUTS = ("s_axi_arvalid", "m_axi_arready", "m_axi_rvalid", "m_axi_rid", "m_axi_rdata", "m_axi_rresp",
               "m_axi_rlast", "s_axi_rready")


class Requesters:
    """Three AR masters: each offers one AR at a time and holds VALID and payload to the handshake."""

    def __init__(self, dut, rng: random.Random):
        self.dut, self.rng = dut, rng
        self.addr_bits = len(dut.m_axi_araddr)
        self.id_bits = len(dut.m_axi_arid)
        self.offer: list[dict | None] = [None] * PORTS

    def new_ar(self) -> dict:
        return {n: self.rng.getrandbits(w or self.addr_bits) for n, w in FIELDS}

    def drive(self) -> None:
        d = self.dut
        d.s_axi_arvalid.value = sum(1 << p for p in range(PORTS) if self.offer[p])
        d.s_axi_arid.value = sum(p << (p * self.id_bits) for p in range(PORTS))
        for name, w in FIELDS:
            w = w or self.addr_bits
            # an idle port's payload is noise: the arbiter must not pass it on
            vals = [self.offer[p][name] if self.offer[p] else self.rng.getrandbits(w) for p in range(PORTS)]
            getattr(d, f"s_axi_{name}").value = sum(v << (p * w) for p, v in enumerate(vals))


class RoundRobinCheck:
    """An arbiter's address channel `ch` ("ar" or "aw"), checked once per cycle (in ReadOnly) against
    the rules in the arbiters' headers: VALID out iff a port requests, the granted port is the one the
    round robin names (or the one held since its request was offered), the request out is that port's
    payload (`fields`), READY goes back to it alone. Keeps the grants and the contention counts."""

    def __init__(self, dut, ch: str, fields: tuple[str, ...]):
        self.dut, self.ch, self.fields = dut, ch, fields
        self.last: int | None = None     # port of the last handshake
        self.held: int | None = None     # port whose request was offered and not yet accepted
        self.grants: list[int] = []
        self.contended = 0               # new grants with two or more ports requesting
        self.not_lowest = 0              # ... where round robin passes over a lower-numbered requester

    def check(self, offers: list[dict | None], ready: bool, phase: str) -> tuple[int | None, bool]:
        """offers[p]: port p's request (None: not requesting); ready: the slave's READY this cycle.
        Returns the port on the bus (None: none) and whether this is its request's first cycle there;
        with `ready` the handshake is recorded."""
        d, ch = self.dut, self.ch
        valid = [o is not None for o in offers]
        got_valid = _bits(getattr(d, f"m_axi_{ch}valid"))
        assert got_valid == int(any(valid)), f"{phase}: {ch.upper()}VALID {got_valid} with requests {valid}"
        if not got_valid:
            return None, False
        g = _bits(getattr(d, f"m_axi_{ch}id"))
        first = self.held is None
        allowed = rr_next(self.last, valid) if first else [self.held]
        if first and sum(valid) > 1:
            self.contended += 1
            self.not_lowest += allowed[0] != valid.index(True) if self.last is not None else 0
        assert g in allowed, (f"{phase}: granted port {g}, expected {allowed} (last granted {self.last}, "
                              f"held {self.held}, requests {valid})")
        for name in self.fields:
            got, want = _bits(getattr(d, f"m_axi_{name}")), offers[g][name]
            assert got == want, f"{phase}: m_axi_{name} {got:#x}, port {g} offers {want:#x}"
        readies = _bits(getattr(d, f"s_axi_{ch}ready"))
        for p in range(PORTS):
            if valid[p]:
                assert (readies >> p) & 1 == int(p == g and ready), \
                    f"{phase}: s_axi_{ch}ready {readies:03b}, port {g} granted, READY {int(ready)}"
        if ready:
            self.grants.append(g)
            self.last, self.held = g, None
        else:
            self.held = g
        return g, first


@cocotb.test()
async def test_ar_round_robin(dut):
    """Two phases: every port always requesting (the grants must rotate 0,1,2 strictly), then random
    requests; ARREADY random with stalls throughout. Each cycle: ARVALID out iff a port requests, the
    granted port is the one the round robin names (or the one held since its AR was offered), the AR
    out is that port's payload, ARREADY goes back to it alone."""
    rng = random.Random(cocotb.RANDOM_SEED)
    req = Requesters(dut, rng)
    tie_idle(dut, IDLE_INPUTS)
    await start_clock_and_reset(dut.clk, dut.rst)

    rr = RoundRobinCheck(dut, "ar", tuple(name for name, _ in FIELDS))
    for phase, cycles in (("saturated", 300), ("random", 1500)):
        start = len(rr.grants)
        for _ in range(cycles):
            await FallingEdge(dut.clk)
            for p in range(PORTS):
                if req.offer[p] is None and (phase == "saturated" or rng.random() < 0.35):
                    req.offer[p] = req.new_ar()
            req.drive()
            ready = rng.random() < 0.6
            dut.m_axi_arready.value = int(ready)
            await ReadOnly()
            g, _ = rr.check(req.offer, ready, phase)
            if g is not None and ready:
                req.offer[g] = None
        if phase == "saturated":
            seq = rr.grants[start:]
            assert len(seq) > 100, f"only {len(seq)} grants"
            rotation = all(b == (a + 1) % PORTS for a, b in zip(seq, seq[1:], strict=False))
            assert rotation, f"not a rotation: {seq[:30]}"
    counts = [rr.grants.count(p) for p in range(PORTS)]
    contended, not_lowest = rr.contended, rr.not_lowest
    dut._log.info("grants per port %s, contended decisions %d (%d past a lower port)", counts, contended,
                  not_lowest)
    # the test's premise: enough contention that a grant order other than round robin shows
    assert contended > 200 and not_lowest > 50, (contended, not_lowest)


async def check_routing_by_id(dut, rng: random.Random, ch: str, payload: tuple[str, ...]) -> None:
    """The response channel `ch` ("r" or "b") of an arbiter: its VALID goes to the port the ID names (no
    port while VALID is low, whatever the ID holds), READY is that port's READY, the ID and `payload`
    fields reach every port unchanged. Every ID x READY case must be seen."""
    def sig(side: str, name: str):
        return getattr(dut, f"{side}_axi_{ch}{name}")

    id_bits = len(sig("m", "id"))
    seen = set()
    for _ in range(300):
        await FallingEdge(dut.clk)
        valid = rng.random() < 0.7
        # an ID > 2 only while VALID is low (with it high, SGDMA_ASSERTIONS stops the run)
        port = rng.randrange(PORTS) if valid else rng.getrandbits(id_bits)
        ready = rng.getrandbits(PORTS)
        values = {name: rng.getrandbits(len(sig("m", name))) for name in payload}
        sig("m", "valid").value = int(valid)
        sig("m", "id").value = port
        for name, v in values.items():
            sig("m", name).value = v
        sig("s", "ready").value = ready
        await ReadOnly()
        want_valid = (1 << port) if valid else 0
        want_ready = int(valid and (ready >> port) & 1)
        got_valid, got_ready = _bits(sig("s", "valid")), _bits(sig("m", "ready"))
        assert got_valid == want_valid, f"s_axi_{ch}valid {got_valid:03b}, ID {port}"
        assert got_ready == want_ready, f"m_axi_{ch}ready {got_ready}, ID {port}, s_axi_{ch}ready {ready:03b}"
        got = {name: _bits(sig("s", name)) for name in ("id", *payload)}
        assert got == {"id": port, **values}, f"{ch.upper()} payload {got}"
        if valid:
            seen.add((port, want_ready))
    assert len(seen) == 2 * PORTS, f"{ch.upper()}ID x {ch.upper()}READY cases not all seen: {sorted(seen)}"


@cocotb.test()
async def test_r_routed_by_id(dut):
    """RVALID goes to the port named by RID (no port while RVALID is low, whatever RID holds), RREADY
    is that port's RREADY, the payload reaches every port unchanged."""
    tie_idle(dut, IDLE_INPUTS)
    await start_clock_and_reset(dut.clk, dut.rst)
    await check_routing_by_id(dut, random.Random(cocotb.RANDOM_SEED + 1), "r", ("data", "resp", "last"))
