"""HideTopEnv: the register-level environment with the hide unit's CPU gate attached.

tb/env/sgdma.SgdmaEnv with `cpu_port=True` (an AxiMemory on m_axi_cpu over the same bytes, an AxiMaster
on s_axi_cpu), a tb/cpu_cache.CpuCache in front of the gate answering the maintenance port, and the
checkers on the hide unit's trace: a shadow hide table rebuilt from it (each count checked); every
data burst of the DMA master (AXI ID 0) touches only hidden pages; every maintenance request names a
page hidden at that moment; at the end every page is open and the HIDE_* registers equal the events
observed. Used by tests/hw/cocotb_hide_top.py.
"""
from __future__ import annotations

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge
from cocotbext.axi import AxiStreamFrame

from tb.cpu_cache import AxiMasterBus, CpuCache, MaintenancePort, pages_of
from tb.env.sgdma import ID_DATA, SgdmaEnv, params_from_environment
from tb.hide_shadow import HideShadow
from tb.sgdma_desc import CACHE, Descriptor

MEM_SIZE = 1 << 22
DESC_BASE = 0x0001_0000
CACHED = CACHE["CACHED"]


class HideTopEnv(SgdmaEnv):
    """tb/env/sgdma.SgdmaEnv with the CPU gate attached (cpu_mem, cpu_master), a CpuCache in front of
    it answering the maintenance port, and this file's checkers on the hide unit's trace."""

    def __init__(self, dut, params: dict | None = None):
        super().__init__(dut, params_from_environment() if params is None else params, mem_size=MEM_SIZE,
                         desc_base=DESC_BASE, cpu_port=True, timeout_cycles=50000)
        self.hide = dut.dut.g_hide_seam.u_hide
        self.seam = dut.dut.g_hide_seam
        self.cache = CpuCache(16384, 64, 4, bus=AxiMasterBus(self.cpu_master), writeback=self.mem.write)
        self.errors: list[str] = []
        self.table = HideShadow(self.hide, self.errors)   # the hide table rebuilt from the trace
        self.trace = self.table.trace          # (cycle, 'hide'/'unhide', page, count, modified)
        self.shadow = self.table.count         # page -> hide count
        self.mods: list[tuple[int, int]] = []  # (cycle, page) of hide_mod_valid pulses
        self.maint_reqs: list[tuple[int, int, int]] = []   # (cycle, op, page) at the handshake
        self.mm2s_releases: list[tuple[int, int, int]] = []  # (cycle, addr, len) to the mover
        self.maint = None

    async def start(self):
        await super().start()
        # built after the reset: the maintenance port samples the DUT's valid every cycle
        self.maint = MaintenancePort(self.dut, self.cache,
                                     ready_delay=lambda: self.rng.randint(0, 3))
        cocotb.start_soon(self._monitor())

    def skip_maintenance(self, on: bool) -> None:
        """Test-only switch: hide pages but send no maintenance request (negative controls)."""
        self.seam.test_skip_maint.value = int(on)

    # ------------------------------------------------------------------ monitor and checkers
    async def _monitor(self):
        d, h = self.dut, self.hide
        while True:
            await RisingEdge(d.clk)
            cycle = self.cycle
            self.table.sample(cycle)
            if int(d.hide_mod_valid.value):
                self.mods.append((cycle, int(d.hide_mod_addr.value)))
            if int(d.m_maint_req_valid.value) and int(d.m_maint_req_ready.value):
                page = int(d.m_maint_req_addr.value)
                self.maint_reqs.append((cycle, int(d.m_maint_req_op.value), page))
                if self.shadow.get(page, 0) < 1:
                    self.errors.append(f"maintenance request for open page {page:#x}")
            if int(h.m_mm2s_cmd_valid.value) and int(h.m_mm2s_cmd_ready.value):
                self.mm2s_releases.append((cycle, int(h.m_mm2s_cmd_addr.value),
                                           int(h.m_mm2s_cmd_len.value)))
            # every data burst of the DMA master touches hidden pages only
            for kind in ("ar", "aw"):
                if int(getattr(d, f"m_axi_{kind}valid").value) and \
                        int(getattr(d, f"m_axi_{kind}ready").value) and \
                        int(getattr(d, f"m_axi_{kind}id").value) == ID_DATA:
                    addr = int(getattr(d, f"m_axi_{kind}addr").value)
                    n = (int(getattr(d, f"m_axi_{kind}len").value) + 1) << \
                        int(getattr(d, f"m_axi_{kind}size").value)
                    for p in pages_of(addr, n):
                        if self.shadow.get(p, 0) < 1:
                            self.errors.append(f"data {kind.upper()} {addr:#x}+{n} on open page {p:#x}")

    async def check_final(self):
        """No checker error, every page open, HIDE_* registers equal the events seen."""
        await ClockCycles(self.dut.clk, 10)
        assert not self.errors, "\n".join(self.errors[:20])
        assert all(v == 0 for v in self.shadow.values()), \
            {hex(k): v for k, v in self.shadow.items() if v}
        st = await self.regs.read_fields(None, "HIDE_STATUS")
        assert st["USED"] == 0, st
        hides = sum(1 for t in self.trace if t[1] == "hide")
        assert await self.regs.read(None, "HIDE_HIDES") == hides
        assert await self.regs.read(None, "HIDE_MAINT") == len(self.maint_reqs)
        assert await self.regs.read(None, "HIDE_MODIFIED") == len(self.mods)
        assert len(self.maint.log) == len(self.maint_reqs)
        for chk in ("axi", "axil", "mm2s", "s2mm", "cpu"):
            assert int(getattr(self.dut, f"chk_{chk}_error_count").value) == 0, f"{chk} checker fired"

    # ------------------------------------------------------------------ processor view
    def coherent_view(self, addr: int, n: int) -> bytes:
        """What the processor sees (tb/cpu_cache.CpuCache.coherent_view over memory)."""
        return self.cache.coherent_view(addr, self.mem.read(addr, n))

    # ------------------------------------------------------------------ descriptors and channels
    def chain(self, bufs: list[tuple[int, int]], cache: int = CACHED, packet: bool = True) -> list[int]:
        """Write a descriptor chain for bufs [(addr, len)]; one packet (SOF first, EOF last) or,
        packet=False, one packet per descriptor. Returns the descriptor addresses."""
        last = len(bufs) - 1
        descs = [Descriptor(addr=a, length=n, sof=i == 0 or not packet, eof=i == last or not packet,
                            cache=cache, user=i) for i, (a, n) in enumerate(bufs)]
        addrs = self.alloc_desc(len(descs))
        self.write_chain(addrs, descs)
        return addrs

    async def start_chain(self, ch: str, addrs: list[int]) -> None:
        """Halt the channel if needed, then CURDESC, RS=1, TAILDESC."""
        if not (await self.sr(ch))["HALTED"]:
            await self.stop(ch)
        await self.run_chain(ch, addrs[0], addrs[-1])

    async def mm2s(self, bufs, cache=CACHED) -> bytes:
        """Send bufs as one MM2S packet; returns the stream bytes (statuses checked)."""
        addrs = self.chain(bufs, cache)
        await self.start_chain("MM2S", addrs)
        frame = await self.recv_frame()
        sts = await self.wait_cmplt(addrs)
        for (a, n), st in zip(bufs, sts, strict=True):
            assert st["ERR"] == 0 and st["XFERRED"] == n, f"MM2S {a:#x}+{n}: status {st}"
        return bytes(frame.tdata)

    async def s2mm(self, bufs, payload: bytes, cache=CACHED) -> list[dict]:
        addrs = self.chain(bufs, cache)
        await self.start_chain("S2MM", addrs)
        await self.source.send(AxiStreamFrame(payload))
        return await self.wait_cmplt(addrs)


async def make_hide_top_env(dut) -> HideTopEnv:
    env = HideTopEnv(dut)
    await env.start()
    return env
