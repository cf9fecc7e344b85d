"""sgdma's DUT adapter: what an environment needs to know about the controller's software interface.

Registers by name (tb/sgdma_regs.py), the capability registers as tb/ddi_driver.Caps, starting and
extending a descriptor chain, SR and its W1C acknowledge, the channel soft reset, the interrupt
lines. Used by the DDI environment (tb/env.py) and the register-level one (tb/sgdma_env.py);
another DMA needs another adapter with the same methods.
"""
from __future__ import annotations

from tb import coverage as fcov
from tb.ddi_driver import MM2S, S2MM, Caps
from tb.sgdma_regs import SgdmaRegs, pack


class SgdmaAdapter:
    """sgdma-specific knowledge: ports, registers, capabilities, interrupt lines."""

    CHANNELS = (MM2S, S2MM)

    def __init__(self, dut, axil):
        """`axil`: a cocotbext-axi AxiLiteMaster on the register port."""
        self.dut = dut
        self.regs = SgdmaRegs(axil)
        self.irq = {MM2S: dut.irq_mm2s, S2MM: dut.irq_s2mm}

    async def caps(self) -> Caps:
        r = self.regs
        cap2 = await r.read_fields(None, "CAP2")
        caps = Caps.from_fields(await r.read_fields(None, "CAP0"), await r.read_fields(None, "CAP1"), cap2)
        fcov.configure({"DATA_WIDTH": caps.data_bytes * 8, "SG_PORT": cap2["SG_PORT"],
                        "HIDE_ENTRIES": caps.hide_entries, "SGL_MAX": caps.sgl_max})
        return caps

    async def start_chain(self, ch: str, first: int, tail: int, cr: dict) -> None:
        await self.regs.write64(ch, "CURDESC", first)
        await self.regs.write(ch, "CR", pack("CR", RS=1, **cr))
        await self.regs.write64(ch, "TAILDESC", tail)

    async def set_tail(self, ch: str, tail: int) -> None:
        await self.regs.write64(ch, "TAILDESC", tail)

    async def sr(self, ch: str) -> dict[str, int]:
        sr = await self.regs.read_fields(ch, "SR")
        fcov.sample_sr(ch, sr)
        return sr

    async def ack(self, ch: str, **bits: int) -> None:
        await self.regs.write(ch, "SR", pack("SR", **bits))

    async def soft_reset(self, ch: str) -> None:
        await self.regs.write(ch, "CR", pack("CR", RESET=1))
        while (await self.regs.read_fields(ch, "CR"))["RESET"]:
            pass
