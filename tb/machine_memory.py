"""MachineAxiMemory: the AXI4 slave of the DDI environment, whose bytes are pyddi_model's physical memory.

tb/axi_memory.AxiMemory (backpressure, latency, error injection, burst log, guards) with
`backing=` the Machine (read_phys / write_phys), so user pages locked by ddi_umem_lock, cookies above
4 GiB, copy buffers and the descriptor rings are the same bytes the DUT reads and writes.

Every DUT write is checked on its beat against ``allowed`` (start, end, what): the ranges the driver
handed to the hardware (S2MM cookies of the current window, STATUS words of the descriptors in
flight). A write anywhere else is recorded and fails the test at that beat, naming the address.
"""
from __future__ import annotations

import cocotb

from tb.axi_memory import AxiMemory, GuardRegions


class CheckError(AssertionError):
    """A beat, status or memory check failed (the message names the object)."""


async def _fail(msg: str) -> None:
    raise CheckError(msg)


class PhysicalMemory:
    """A Machine's physical memory as a byte store (read(addr, n), write(addr, data))."""

    def __init__(self, machine):
        self.machine = machine

    def read(self, addr: int, length: int) -> bytes:
        return self.machine.read_phys(addr, length)

    def write(self, addr: int, data) -> None:
        self.machine.write_phys(addr, bytes(data))


class MachineAxiMemory(AxiMemory):
    """AxiMemory over a Machine's physical memory, every write checked on its beat (module docstring)."""

    def __init__(self, bus, clock, reset, machine, log, **kw):
        self.machine = machine
        self.log = log
        self.allowed: list[tuple[int, int, str]] = []
        self.violations: list[str] = []
        self.bytes_written = 0
        super().__init__(bus, clock, reset, backing=PhysicalMemory(machine), **kw)
        self.guards = GuardRegions(self, guard=kw.get("guard", 64))

    async def target_write(self, address: int, data: bytes) -> None:
        end = address + len(data)
        for lo, hi, _what in self.allowed:
            if lo <= address and end <= hi:
                break
        else:
            msg = (
                f"stray write: the DUT wrote {len(data)} bytes at {address:#x} "
                f"({bytes(data)[:16].hex()}) outside the buffers handed to it "
                f"{[(hex(a), hex(b), w) for a, b, w in self.allowed[:4]]}"
            )
            self.violations.append(msg)
            self.log.error(msg)
            cocotb.start_soon(_fail(msg))  # fail the test now, at this beat
            raise CheckError(msg)  # and answer SLVERR: the write is not performed
        self.bytes_written += len(data)
        self.machine.write_phys(address, bytes(data))
