"""WriteWatch: when a master decided each write, and when it took each error response.

    watch = WriteWatch(dut, "dut_m_axi_sg", lambda: env.cycle)    # sgdma_tb: the DUT side of a port
    watch.start()
    ...
    watch.offers           # [(cycle, AWADDR)]: the first edge at which each AW was seen valid
    watch.error_responses  # [(cycle, BID, BRESP)]: the edges of B handshakes with BRESP != OKAY

It watches the DUT side of an AXI master port (in tb/hdl/harness/sgdma_tb.v the `dut_<port>_*` wires
before the hostile shim, so a shim that holds responses back does not move the times) and wakes only
while AWVALID or BVALID is high. An AW counts from its first valid edge, not its handshake: a slave may
hold AWREADY low, and what the master decided is when it raised AWVALID.
"""
from __future__ import annotations

import cocotb
from cocotb.triggers import RisingEdge

RESP_OKAY = 0


class WriteWatch:
    def __init__(self, dut, prefix: str, cycle):
        self.clk = dut.clk
        self.aw = {n: getattr(dut, f"{prefix}_aw{n}") for n in ("valid", "ready", "addr")}
        self.b = {n: getattr(dut, f"{prefix}_b{n}") for n in ("valid", "ready", "id", "resp")}
        self.cycle = cycle
        self.offers: list[tuple[int, int]] = []
        self.error_responses: list[tuple[int, int, int]] = []
        self._tasks = []

    def start(self) -> None:
        self._tasks = [cocotb.start_soon(self._watch_aw()), cocotb.start_soon(self._watch_b())]

    def stop(self) -> None:
        for t in self._tasks:
            t.cancel()
        self._tasks = []

    @staticmethod
    def _high(sig) -> bool:
        return sig.value.is_resolvable and int(sig.value) == 1

    async def _watch_aw(self) -> None:
        valid, ready = self.aw["valid"], self.aw["ready"]
        while True:
            if not self._high(valid):
                await RisingEdge(valid)
            await RisingEdge(self.clk)
            if not self._high(valid):
                continue
            self.offers.append((self.cycle(), int(self.aw["addr"].value)))
            while not self._high(ready):            # the same AW until its handshake
                await RisingEdge(self.clk)

    async def _watch_b(self) -> None:
        valid, ready = self.b["valid"], self.b["ready"]
        while True:
            if not self._high(valid):
                await RisingEdge(valid)
            await RisingEdge(self.clk)
            resp = int(self.b["resp"].value) if self._high(valid) and self._high(ready) else RESP_OKAY
            if resp != RESP_OKAY:
                self.error_responses.append((self.cycle(), int(self.b["id"].value), resp))
