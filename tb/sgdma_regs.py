"""A small register driver for sgdma over cocotbext-axi's AxiLiteMaster, by name from hdl/sgdma_map.json.

    regs = SgdmaRegs(axil)
    await regs.write("MM2S", "CR", regs.cr(RS=1, IOC_IRQ_EN=1))
    sr = regs.fields("SR", await regs.read("MM2S", "SR"))   # {"HALTED": 0, "IDLE": 1, ...}
"""
from __future__ import annotations

from cocotbext.axi.constants import AxiResp

from tb import coverage as fcov
from tb.sgdma_desc import MAP

CHANNEL_BASE: dict[str, int] = {c["name"]: c["base"] for c in MAP["channels"]}
CHANNEL_REGS: dict[str, dict] = {r["name"]: r for r in MAP["channel_regs"]}
GLOBAL_REGS: dict[str, dict] = {r["name"]: r for r in MAP["global_regs"]}


def _fields_of(reg: dict) -> dict[str, tuple[int, int]]:
    return {f["name"]: (f["lsb"], f["width"]) for f in reg.get("fields", [])}


def reg_addr(channel: str | None, name: str) -> int:
    """Byte address of a channel register (channel "MM2S"/"S2MM") or a global one (channel None)."""
    if channel is None:
        return GLOBAL_REGS[name]["offset"]
    return CHANNEL_BASE[channel] + CHANNEL_REGS[name]["offset"]


def reg_fields(name: str) -> dict[str, tuple[int, int]]:
    reg = CHANNEL_REGS.get(name) or GLOBAL_REGS[name]
    return _fields_of(reg)


def pack(name: str, **values: int) -> int:
    """Register value from named fields; a value too wide for its field raises ValueError."""
    fields = reg_fields(name)
    word = 0
    for field, value in values.items():
        lsb, width = fields[field]
        if not 0 <= int(value) < (1 << width):
            raise ValueError(f"{name}.{field}={value} does not fit {width} bits")
        word |= int(value) << lsb
    return word


def unpack(name: str, word: int) -> dict[str, int]:
    return {f: (word >> lsb) & ((1 << w) - 1) for f, (lsb, w) in reg_fields(name).items()}


class SgdmaRegs:
    """Named access to sgdma registers through an AxiLiteMaster."""

    def __init__(self, axil):
        self.axil = axil

    async def read(self, channel: str | None, name: str) -> int:
        resp = await self.axil.read(reg_addr(channel, name), 4)
        if resp.resp != AxiResp.OKAY:
            raise RuntimeError(f"read of {channel}.{name} answered {resp.resp!r}")
        return int.from_bytes(resp.data, "little")

    async def write(self, channel: str | None, name: str, value: int) -> None:
        if name == "CR":
            fcov.sample_cr_write(channel, unpack("CR", value))
        resp = await self.axil.write(reg_addr(channel, name), int(value).to_bytes(4, "little"))
        if resp.resp != AxiResp.OKAY:
            raise RuntimeError(f"write of {channel}.{name} answered {resp.resp!r}")

    async def read_fields(self, channel: str | None, name: str) -> dict[str, int]:
        return unpack(name, await self.read(channel, name))

    async def read64(self, channel: str, name: str) -> int:
        lo = await self.read(channel, f"{name}_LO")
        hi = await self.read(channel, f"{name}_HI")
        return lo | hi << 32

    async def write64(self, channel: str, name: str, value: int) -> None:
        """HI first: writing TAILDESC_LO is what starts the engine."""
        await self.write(channel, f"{name}_HI", value >> 32)
        await self.write(channel, f"{name}_LO", value & 0xFFFFFFFF)
