"""sgdma's DUT adapters (tb/dut_adapter.py): the only place the environments' flow meets sgdma's
registers (tb/sgdma_regs.py, names from hdl/sgdma_map.json) and descriptor format (tb/sgdma_desc.py).

SgdmaAdapter        what a driver does: interrupt lines, SR with its W1C acknowledge, CR.RS and the
                    interrupt policy written with every hand-over, 32-byte ring slots.
PolledSgdmaAdapter  deliberately different, to prove the environments depend on the interface only:
                    no interrupt (events found by polling SR), the chain extended by TAILDESC alone,
                    64-byte ring slots (the engine follows NEXT, so the layout is software's choice).
"""
from __future__ import annotations

from cocotb.triggers import ClockCycles, RisingEdge

from tb import coverage as fcov
from tb.ddi_driver import MM2S, S2MM, Caps
from tb.dut_adapter import Capabilities, ChannelStatus, DescStatus, DutAdapter, IrqPolicy, RingLayout
from tb.sgdma_desc import (
    CACHE,
    DESC_ALIGN,
    DESC_BYTES,
    ERR,
    ERR_NAME,
    STATUS_OFFSET,
    Descriptor,
    status_fields,
)
from tb.sgdma_regs import SgdmaRegs, pack

SR_EVENTS = ("IOC_IRQ", "DLY_IRQ", "ERR_IRQ")


class SgdmaLayout(RingLayout):
    """sgdma descriptors (tb/sgdma_desc.Descriptor) in slots of `slot_bytes` (a multiple of 32)."""

    def __init__(self, slot_bytes: int = DESC_BYTES, cache: int = CACHE["CACHED"]):
        if slot_bytes % DESC_BYTES:
            raise ValueError(f"slot_bytes {slot_bytes} is not a multiple of {DESC_BYTES}")
        self.slot_bytes = slot_bytes
        self.align = DESC_ALIGN
        self.status_offset = STATUS_OFFSET
        self.status_bytes = 4
        self.cache = cache

    def descriptor(self, *, addr=0, length=0, sof=False, eof=False, ioc=False, user=0) -> Descriptor:
        return Descriptor(addr=addr, length=length, sof=sof, eof=eof, ioc=ioc, cache=self.cache, user=user)

    def encode(self, desc: Descriptor) -> bytes:
        return desc.encode() + bytes(self.slot_bytes - DESC_BYTES)

    def decode(self, raw: bytes) -> Descriptor:
        return Descriptor.decode(bytes(raw[:DESC_BYTES]))

    def status(self, raw: bytes) -> DescStatus:
        st = status_fields(int.from_bytes(raw, "little"))
        return DescStatus(complete=bool(st["CMPLT"]), error=st["ERRCODE"] if st["ERR"] else 0,
                          xferred=st["XFERRED"], rx_sof=bool(st["RXSOF"]), rx_eof=bool(st["RXEOF"]))


class SgdmaAdapter(DutAdapter):
    """sgdma driven as its driver does (module docstring)."""

    CHANNELS = (MM2S, S2MM)
    capabilities = Capabilities(interrupts=True)

    def __init__(self, dut, axil):
        """`axil`: a cocotbext-axi AxiLiteMaster on the register port."""
        self.dut = dut
        self.regs = SgdmaRegs(axil)
        self.irq = {MM2S: dut.irq_mm2s, S2MM: dut.irq_s2mm}
        self.layout = SgdmaLayout()

    async def caps(self) -> Caps:
        r = self.regs
        cap0, cap1, cap2 = [await r.read_fields(None, name) for name in ("CAP0", "CAP1", "CAP2")]
        caps = Caps(data_bytes=cap0["DATA_BYTES"], addr_width=cap0["ADDR_WIDTH"],
                    len_width=cap0["LEN_WIDTH"], align_log2=cap0["ALIGN_LOG2"],
                    max_burst_len=cap1["MAX_BURST_LEN"], max_outstanding=cap1["MAX_OUTSTANDING"],
                    seg_log2=cap1["SEG_LOG2"], sgl_max=cap2["SGL_MAX"], hide_entries=cap2["HIDE_ENTRIES"])
        fcov.configure({"DATA_WIDTH": caps.data_bytes * 8, "SG_PORT": cap2["SG_PORT"],
                        "HIDE_ENTRIES": caps.hide_entries, "SGL_MAX": caps.sgl_max})
        return caps

    def control(self, irq: IrqPolicy) -> int:
        return pack("CR", RS=1, IOC_IRQ_EN=1, ERR_IRQ_EN=1, DLY_IRQ_EN=int(irq.delay > 0),
                    IRQ_THRESHOLD=min(irq.threshold, 255), IRQ_DELAY=irq.delay)

    async def write_chain_regs(self, ch: str, first: int, tail: int, cr: int) -> None:
        """CURDESC while halted, CR, then TAILDESC (HI then LO: the LO write starts the engine)."""
        await self.regs.write64(ch, "CURDESC", first)
        await self.regs.write(ch, "CR", cr)
        await self.regs.write64(ch, "TAILDESC", tail)

    async def start_chain(self, ch: str, first: int, tail: int, irq: IrqPolicy) -> None:
        await self.write_chain_regs(ch, first, tail, self.control(irq))

    async def extend_chain(self, ch: str, tail: int, irq: IrqPolicy) -> None:
        await self.regs.write(ch, "CR", self.control(irq))
        await self.regs.write64(ch, "TAILDESC", tail)

    async def sr(self, ch: str) -> dict[str, int]:
        sr = await self.regs.read_fields(ch, "SR")
        fcov.sample_sr(ch, sr)
        return sr

    async def status(self, ch: str) -> ChannelStatus:
        sr = await self.sr(ch)
        return ChannelStatus(halted=bool(sr["HALTED"]), idle=bool(sr["IDLE"]),
                             error=sr["ERRCODE"] if sr["ERR"] else 0, done=bool(sr["IOC_IRQ"]),
                             delayed=bool(sr["DLY_IRQ"]), failed=bool(sr["ERR_IRQ"]), raw=sr)

    async def wait_event(self, ch: str) -> None:
        if not self.irq[ch].value:
            await RisingEdge(self.irq[ch])

    async def ack(self, ch: str, status: ChannelStatus) -> None:
        bits = {k: 1 for k in SR_EVENTS if status.raw.get(k)}
        if bits:
            await self.regs.write(ch, "SR", pack("SR", **bits))

    async def error_descriptor(self, ch: str) -> int:
        return await self.regs.read64(ch, "ERRDESC")

    async def reset_channel(self, ch: str) -> None:
        await self.regs.write(ch, "CR", pack("CR", RESET=1))
        while (await self.regs.read_fields(ch, "CR"))["RESET"]:
            pass

    async def abort(self, ch: str) -> None:
        """CR.RS=0 (docs/sgdma.md, "Abort and soft reset"): not an error; SR.HALTED once drained."""
        await self.regs.write(ch, "CR", 0)

    # ---- sgdma extras (not part of DutAdapter): the performance counters, for tb/demo.py
    async def start_counters(self, ch: str) -> None:
        await self.regs.write(ch, "PERF_CTRL", 1)

    async def counters(self, ch: str) -> dict[str, int]:
        """Data beats, busy cycles and stall cycles since start_counters."""
        return {k: await self.regs.read(ch, f"PERF_{k.upper()}") for k in ("beats", "busy", "stall")}

    def error_code(self, name: str) -> int:
        return ERR[name]

    def error_name(self, code: int) -> str:
        return ERR_NAME.get(code, f"code {code}")

    async def describe(self, ch: str) -> str:
        sr = await self.sr(ch)
        cur = await self.regs.read64(ch, "CURDESC")
        tail = await self.regs.read64(ch, "TAILDESC")
        return (f"{ch}: SR {sr} (ERRCODE {self.error_name(sr['ERRCODE'])}), CURDESC {cur:#x}, "
                f"TAILDESC {tail:#x}")


class PolledSgdmaAdapter(SgdmaAdapter):
    """sgdma without interrupts, extended by TAILDESC alone, in 64-byte ring slots (module docstring)."""

    capabilities = Capabilities(interrupts=False)
    POLL_CYCLES = 32

    def __init__(self, dut, axil):
        super().__init__(dut, axil)
        self.layout = SgdmaLayout(slot_bytes=2 * DESC_BYTES)

    def control(self, irq: IrqPolicy) -> int:
        return pack("CR", RS=1)

    async def extend_chain(self, ch: str, tail: int, irq: IrqPolicy) -> None:
        await self.regs.write64(ch, "TAILDESC", tail)

    async def status(self, ch: str) -> ChannelStatus:
        """No interrupt events: the channel has something to report when it is idle or stopped."""
        sr = await self.sr(ch)
        return ChannelStatus(halted=bool(sr["HALTED"]), idle=bool(sr["IDLE"]),
                             error=sr["ERRCODE"] if sr["ERR"] else 0, done=bool(sr["IDLE"]),
                             failed=bool(sr["ERR"]), raw=sr)

    async def wait_event(self, ch: str) -> None:
        await ClockCycles(self.dut.clk, self.POLL_CYCLES)
        while True:
            sr = await self.sr(ch)
            if sr["IDLE"] or sr["HALTED"] or sr["ERR"]:
                return
            await ClockCycles(self.dut.clk, self.POLL_CYCLES)

    async def ack(self, ch: str, status: ChannelStatus) -> None:
        """Nothing to acknowledge: no event bit is enabled."""
