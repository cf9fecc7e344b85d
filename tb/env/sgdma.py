"""The register-level sgdma environment: software's view of the controller, for the top-level tests.

    env = SgdmaEnv(dut, params)                 # agents built with reset low (the Icarus X trap)
    await env.start()                           # clock and reset in the safe order (tb/reset.py)
    descs, data = env.mm2s_packet([301])        # guarded source buffers + their descriptors
    addrs = env.alloc_desc(len(descs)); env.write_chain(addrs, descs)
    await env.run_chain("MM2S", addrs[0], addrs[-1])
    frame = await env.recv_frame(); await env.wait_sr("MM2S", "IDLE")
    env.expect_status(addrs[0], 301); env.check_guards()

A layer on tb/env/base.BaseEnv (ports, agents, pacing, burst log, watchdog) for tests of sgdma's own
registers and descriptor format: unlike the DDI layer it names them (tb/sgdma_regs.py over the
adapter's `regs`, tb/sgdma_desc.py), which is what these tests are about. It adds buffers with guard
bytes (`alloc`, tb/axi_memory.GuardRegions), descriptor chains, SR waits and the channel controls.
Every wait is bounded in cycles (`timeout_cycles`) and fails with the channel's state.
"""
from __future__ import annotations

import cocotb  # noqa: F401  (cocotb.RANDOM_SEED through BaseEnv)
from cocotbext.axi import AxiStreamFrame

from tb.env.base import BaseEnv, params_from_environment
from tb.patterns import src_pattern, stream_pattern
from tb.sgdma_desc import CACHE, DESC_BYTES, ERR, ERR_NAME, STATUS_OFFSET, Descriptor, status_fields
from tb.sgdma_regs import pack

__all__ = ["DST_FILL", "GUARD", "ID_DATA", "ID_MM2S", "ID_S2MM", "SgdmaEnv", "frame_tuser",
           "params_from_environment", "src_pattern", "stream_pattern"]

ID_DATA, ID_MM2S, ID_S2MM = 0, 1, 2       # AXI IDs: data movers, MM2S and S2MM descriptor engines
DST_FILL = 0x3C                           # destination buffers before the transfer (bit 7 clear)
GUARD = 64                                # guard bytes each side of every buffer



def frame_tuser(frame: AxiStreamFrame) -> set[int]:
    return set(frame.tuser) if isinstance(frame.tuser, list) else {frame.tuser}


class SgdmaEnv(BaseEnv):
    """sgdma (or tb/hdl/harness/sgdma_tb.v) with memory, registers and streams; see the module docstring."""

    def __init__(self, dut, params: dict | None = None, *, seed: int | None = None,
                 mem_size: int | None = None, desc_base: int = 0x0100_0000, buf_base: int = 0x0200_0000,
                 cpu_port: bool = False, timeout_cycles: int = 20000, quiet: bool = True,
                 hostile: str | None = None):
        super().__init__(dut, params, seed=seed, mem_size=mem_size, cpu_port=cpu_port, quiet=quiet,
                         hostile=hostile)
        self.seg_log2 = self.params.get("SEG_LOG2", 32)
        self.timeout_cycles = timeout_cycles * self.slowdown
        self.regs = self.hw.regs
        self.desc_next = desc_base
        self.buf_next = buf_base
        self.chain_channel: dict[int, str] = {}   # descriptor address -> channel (watchdog messages)

    # ---- buffers (guards from tb/axi_memory.GuardRegions)
    def alloc(self, length: int, align: int = 64, offset: int = 0, fill: bytes | None = None,
              fill_byte: int = DST_FILL) -> int:
        """A buffer with GUARD guard bytes each side, filled with `fill` (default: fill_byte). A buffer
        stays inside one 2**SEG_LOG2 segment, as a driver honouring dma_attr_seg places it (limit tests
        place crossing buffers by hand)."""
        start = (self.buf_next + GUARD + align - 1) // align * align + offset
        seg = 1 << self.seg_log2
        if length and start // seg != (start + length - 1) // seg:
            start = (start + length - 1) // seg * seg + GUARD + offset
        self.buf_next = start + length + GUARD
        self.mem.guards.add_guard(f"buffer {start:#x}+{length} (before)", start - GUARD, GUARD)
        self.mem.guards.add_guard(f"buffer {start:#x}+{length} (after)", start + length, GUARD)
        self.mem.write(start, fill if fill is not None else bytes([fill_byte]) * length)
        return start

    def check_guards(self) -> None:
        """Every guard byte unchanged (raises tb.axi_memory.GuardError naming the first one)."""
        self.mem.guards.check_guards()

    # ---- descriptors
    def alloc_desc(self, n: int) -> list[int]:
        """n descriptor addresses, one free slot between neighbours (a stray write shows)."""
        addrs = [self.desc_next + i * DESC_BYTES * 2 for i in range(n)]
        self.desc_next += n * DESC_BYTES * 2 + 0x100
        return addrs

    def write_chain(self, addrs: list[int], descs: list[Descriptor], last_next: int | None = None) -> None:
        """Link descs[i] at addrs[i] to addrs[i+1] (the last to last_next, default: itself + 2 slots)."""
        for i, (a, d) in enumerate(zip(addrs, descs, strict=True)):
            if i + 1 < len(addrs):
                d.next = addrs[i + 1]
            elif last_next is not None:
                d.next = last_next
            else:
                d.next = a + 2 * DESC_BYTES
            self.mem.write(a, d.encode())

    def status(self, desc_addr: int) -> dict[str, int]:
        return status_fields(int.from_bytes(self.mem.read(desc_addr + STATUS_OFFSET, 4), "little"))

    def expect_status(self, desc_addr: int, xferred: int, errcode: int = 0, **flags: int) -> None:
        st = self.status(desc_addr)
        want = {"CMPLT": 1, "ERR": int(errcode != 0), "ERRCODE": errcode, "XFERRED": xferred, **flags}
        got = {k: st[k] for k in want}
        assert got == want, f"descriptor {desc_addr:#x} STATUS {got}, expected {want} " \
                            f"(ERRCODE {ERR_NAME.get(st['ERRCODE'])})"

    def expect_untouched(self, desc_addr: int) -> None:
        st = self.status(desc_addr)
        assert st["CMPLT"] == 0 and st["ERRCODE"] == 0, f"descriptor {desc_addr:#x} was written: {st}"

    async def wait_cmplt(self, addrs: list[int], timeout: int = 100000) -> list[dict]:
        """Poll the descriptors' STATUS until each has CMPLT; returns their STATUS fields."""
        def first_open():
            return next((a for a in addrs if not self.status(a)["CMPLT"]), None)

        await self.wait_until(lambda: first_open() is None, timeout,
                              f"descriptors {[hex(a) for a in addrs]} complete",
                              self.channel_of(addrs[0]) if addrs else None)
        return [self.status(a) for a in addrs]

    def channel_of(self, desc_addr: int) -> str | None:
        """The channel a descriptor was handed to (for the watchdog's message), if known."""
        return self.chain_channel.get(desc_addr)

    # ---- transfers
    def mm2s_packet(self, lengths: list[int], user: int = 0, ioc: bool = False, offset: int = 0):
        """Source buffers + descriptors for one packet; returns (descs, expected bytes)."""
        descs, data = [], b""
        for i, n in enumerate(lengths):
            a = self.alloc(n, offset=offset)
            payload = src_pattern(a, n)
            self.mem.write(a, payload)
            data += payload
            descs.append(Descriptor(addr=a, length=n, sof=i == 0, eof=i == len(lengths) - 1, ioc=ioc,
                                    user=user, cache=CACHE["CACHED"]))
        return descs, data

    def s2mm_packet(self, lengths: list[int], ioc: bool = False, offset: int = 0) -> list[Descriptor]:
        """Destination buffers (DST_FILL) + descriptors for one packet."""
        descs = []
        for i, n in enumerate(lengths):
            a = self.alloc(n, offset=offset)
            descs.append(Descriptor(addr=a, length=n, sof=i == 0, eof=i == len(lengths) - 1, ioc=ioc))
        return descs

    async def recv_frame(self, timeout: int | None = None) -> AxiStreamFrame:
        await self.wait_until(lambda: not self.sink.empty(), timeout or self.timeout_cycles, "an MM2S frame",
                              "MM2S")
        return self.sink.recv_nowait()

    # ---- channel control
    async def run_chain(self, ch: str, first: int, tail: int, cr_extra: dict | None = None) -> None:
        """CURDESC while halted, RS=1, then TAILDESC (HI then LO: the LO write starts the engine)."""
        for a in (first, tail):
            self.chain_channel[a] = ch
        await self.hw.write_chain_regs(ch, first, tail, pack("CR", RS=1, **(cr_extra or {})))

    async def write_tail(self, ch: str, tail: int) -> None:
        self.chain_channel[tail] = ch
        await self.regs.write64(ch, "TAILDESC", tail)

    async def sr(self, ch: str) -> dict[str, int]:
        return await self.hw.sr(ch)

    async def wait_sr(self, ch: str, field: str, value: int = 1,
                      timeout: int | None = None) -> dict[str, int]:
        async def reached():
            sr = await self.sr(ch)
            return sr if sr[field] == value else None

        return await self.wait_until(reached, timeout or self.timeout_cycles, f"{ch}: SR.{field} == {value}",
                                     ch, poll=8)

    async def stop(self, ch: str) -> None:
        """RS=0 and wait for HALTED (CURDESC is writable again)."""
        await self.regs.write(ch, "CR", 0)
        await self.wait_sr(ch, "HALTED")

    async def soft_reset(self, ch: str) -> None:
        """CR.RESET, wait for it to clear; the channel must then be halted without an error."""
        await self.regs.write(ch, "CR", pack("CR", RESET=1))

        async def cleared():
            return not (await self.regs.read_fields(ch, "CR"))["RESET"]

        await self.wait_until(cleared, 20000, f"{ch}: soft reset complete (CR.RESET clear)", ch, poll=0)
        sr = await self.sr(ch)
        assert sr["HALTED"] == 1 and sr["ERR"] == 0 and sr["ERRCODE"] == 0, f"{ch} after soft reset: {sr}"

    async def expect_curdesc_refused(self, ch: str, addr: int) -> None:
        """Start `ch` at a misaligned descriptor address: DESC_ALIGN before any fetch, then soft reset."""
        since = self.now_ns()
        await self.run_chain(ch, addr, addr)
        await self.expect_halt_error(ch, ERR["DESC_ALIGN"], addr)
        assert not self.bursts("AR", since), f"{ch}: a descriptor was fetched from a misaligned pointer"
        await self.soft_reset(ch)

    async def expect_halt_error(self, ch: str, code: int, errdesc: int) -> None:
        sr = await self.wait_sr(ch, "HALTED")
        assert sr["ERR"] == 1 and sr["ERRCODE"] == code, \
            f"{ch}: SR {sr}, expected ERRCODE {ERR_NAME[code]} ({code})"
        got = await self.regs.read64(ch, "ERRDESC")
        assert got == errdesc, f"{ch}: ERRDESC {got:#x}, expected {errdesc:#x}"
