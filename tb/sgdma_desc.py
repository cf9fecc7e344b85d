"""sgdma descriptors: encode and decode the 32-byte in-memory layout described by hdl/sgdma_map.json.

Every offset and bit position comes from the JSON (the single source of truth shared with the RTL),
so a layout change there reaches the testbench without edits here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tb import coverage as fcov

MAP_PATH = Path(__file__).resolve().parent.parent / "hdl" / "sgdma_map.json"
MAP = json.loads(MAP_PATH.read_text())

DESC = MAP["descriptor"]
DESC_BYTES: int = DESC["bytes"]
DESC_ALIGN: int = DESC["align"]
WORD_OFFSET: dict[str, int] = {w["name"]: w["offset"] for w in DESC["words"]}
CONTROL_FIELDS: dict[str, tuple[int, int]] = {f["name"]: (f["lsb"], f["width"]) for f in DESC["control"]}
STATUS_FIELDS: dict[str, tuple[int, int]] = {f["name"]: (f["lsb"], f["width"]) for f in DESC["status"]}
ERR: dict[str, int] = {e["name"]: e["value"] for e in MAP["errors"]}
ERR_NAME: dict[int, str] = {v: k for k, v in ERR.items()}
CACHE: dict[str, int] = {c["name"]: c["value"] for c in MAP["cache_attr"]}
STATUS_OFFSET: int = WORD_OFFSET["STATUS"]


def pack_fields(fields: dict[str, tuple[int, int]], **values: int) -> int:
    """Compose a word from named fields; a value that does not fit its field raises ValueError."""
    word = 0
    for name, value in values.items():
        lsb, width = fields[name]
        if not 0 <= int(value) < (1 << width):
            raise ValueError(f"{name}={value} does not fit {width} bits")
        word |= int(value) << lsb
    return word


def unpack_fields(fields: dict[str, tuple[int, int]], word: int) -> dict[str, int]:
    return {name: (word >> lsb) & ((1 << width) - 1) for name, (lsb, width) in fields.items()}


@dataclass
class Descriptor:
    """One descriptor as software writes it (STATUS is 0 when handed to the hardware)."""

    next: int = 0
    addr: int = 0
    length: int = 0
    sof: bool = False
    eof: bool = False
    ioc: bool = False
    cache: int = 0
    user: int = 0
    status: int = 0

    def control(self) -> int:
        return pack_fields(CONTROL_FIELDS, SOF=int(self.sof), EOF=int(self.eof), IOC=int(self.ioc),
                           CACHE=self.cache)

    def encode(self) -> bytes:
        fcov.sample_descriptor(self.addr, self.length, self.control())   # handed to hardware
        words = {
            "NEXT_LO": self.next & 0xFFFFFFFF, "NEXT_HI": self.next >> 32,
            "ADDR_LO": self.addr & 0xFFFFFFFF, "ADDR_HI": self.addr >> 32,
            "LENGTH": self.length, "CONTROL": self.control(), "USER": self.user, "STATUS": self.status,
        }
        out = bytearray(DESC_BYTES)
        for name, value in words.items():
            off = WORD_OFFSET[name]
            out[off:off + 4] = int(value).to_bytes(4, "little")
        return bytes(out)

    @classmethod
    def decode(cls, raw: bytes) -> Descriptor:
        if len(raw) != DESC_BYTES:
            raise ValueError(f"a descriptor is {DESC_BYTES} bytes, got {len(raw)}")

        def word(name: str) -> int:
            off = WORD_OFFSET[name]
            return int.from_bytes(raw[off:off + 4], "little")

        ctrl = unpack_fields(CONTROL_FIELDS, word("CONTROL"))
        return cls(next=word("NEXT_LO") | word("NEXT_HI") << 32, addr=word("ADDR_LO") | word("ADDR_HI") << 32,
                   length=word("LENGTH"), sof=bool(ctrl["SOF"]), eof=bool(ctrl["EOF"]), ioc=bool(ctrl["IOC"]),
                   cache=ctrl["CACHE"], user=word("USER"), status=word("STATUS"))


def status_fields(word: int) -> dict[str, int]:
    """STATUS word -> {XFERRED, ERRCODE, RXEOF, RXSOF, ERR, CMPLT}."""
    return unpack_fields(STATUS_FIELDS, word)


def status_word(**fields: int) -> int:
    return pack_fields(STATUS_FIELDS, **fields)
