"""CoherentDdiEnv: the DDI flow on a machine whose processor cache is not snooped by DMA.

    env = await make_coherent_env(dut, seed)                  # sgdma with the hide unit (HIDE_ENTRIES > 0)
    req = await env.coherent_request(MM2S, nbytes, 0, blkno, attr="CACHED")  # devmap_umem_setup, CPU stores
    await env.run(req)                                         # windows; then what the CPU sees is checked
    await env.check_idle()                                     # every page open, HIDE_STATUS.USED 0

The platform (docs/environment.md, "Coherency"): a tb/cpu_cache.CpuCache (write-back, dirty lines)
in front of the hide unit's CPU gate answers its maintenance port (tb/cpu_cache.MaintenancePort); its
write-backs go to memory on their own path. What the CPU does goes through it:
  user buffer     the process maps its buffer with the cache attribute the driver chose in
                  devmap_umem_setup (IOMEM_DATA_CACHED / UC_WR_COMBINE / UNCACHED, illumos semantics);
                  a disk write's data is stored through that mapping (CACHED: dirty lines, memory
                  stale; WRCOMB: the write-combining buffer; UNCACHED: through the gate), a disk read's
                  buffer is read before (CACHED: clean lines that will be stale) and after the
                  transfer. The descriptor's CONTROL.CACHE follows the mapping (dhp.cache_maintenance),
                  so the hide unit hides each descriptor's pages and does xmemdma64's first-hide flush
                  (CLEAN_INVALIDATE / WC_FLUSH / none). ddi_dma_sync on these handles has nothing
                  left to do on this platform: the hide unit is the coherency mechanism for them.
  descriptor ring kernel memory in the cache, not hidden (the engine fetches descriptors and writes
                  STATUS outside the hide unit): ddi_dma_sync(FORDEV) writes the ring's dirty lines
                  back, ddi_dma_sync(FORCPU) invalidates them (`CachedRing`).
Checks, each at the first wrong byte, with its cause named (CoherencyError):
  device reads    every DUT read of a descriptor must return what the CPU wrote, and of a disk write's
                  cookie what the CPU saw at the hand-over; a difference is explained from the cache's
                  state, the maintenance log and the CPU's stores on the gate: a dirty ring line
                  (missing FORDEV), a dirty data line or WC bytes of a page hidden without maintenance
                  (the hide unit's maintenance off), a CPU store that passed the gate while its page
                  was hidden (not stalled);
  CPU reads       a clean cache line that differs from memory is stale: reading it fails, naming the
                  ring (missing FORCPU) or the data page (no invalidate at its hide);
  after a request what the CPU reads of the whole mapping (the object and the bytes around it).
The hide table is rebuilt from the unit's trace (tb/hide_shadow.HideShadow, each count checked).
"""
from __future__ import annotations

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge

from pyddi_model import IOMEM_DATA_CACHED, IOMEM_DATA_UC_WR_COMBINE, IOMEM_DATA_UNCACHED, PROT_ALL
from pyddi_model.devmap import dev_info, devmap_handle
from tb.cpu_cache import AxiMasterBus, CpuCache, MaintenancePort
from tb.ddi_driver import MM2S, S2MM, DescriptorRing, IoRequest
from tb.env.ddi import DdiEnv
from tb.env.ddi_errors import ErrorPath
from tb.hide_shadow import HideShadow
from tb.machine_memory import CheckError, MachineAxiMemory
from tb.patterns import src_random
from tb.sgdma_desc import CACHE

PAGE = 4096
ATTRS = {"CACHED": IOMEM_DATA_CACHED, "WRCOMB": IOMEM_DATA_UC_WR_COMBINE, "UNCACHED": IOMEM_DATA_UNCACHED}
DESC_CACHE = {"clean_invalidate": CACHE["CACHED"], "wc_flush": CACHE["WRCOMB"], "none": CACHE["UNCACHED"]}
OMISSIONS = ("ring FORDEV", "ring FORCPU")     # driver steps a negative control may leave out


class CoherencyError(CheckError):
    """An access saw bytes other than the coherent ones; the message names the byte and the cause.
    The subclasses are the causes the checks can name (a negative control expects its own)."""


class MissingForDevSyncError(CoherencyError):
    """The device read memory behind the driver's dirty ring line: no ddi_dma_sync(FORDEV)."""


class MissingForCpuSyncError(CoherencyError):
    """The driver read a stale line of the ring: no ddi_dma_sync(FORCPU)."""


class MaintenanceOffError(CoherencyError):
    """A hidden page got no first-hide maintenance: dirty lines / WC bytes not written back, or
    stale lines not invalidated."""


class StoreNotStalledError(CoherencyError):
    """A CPU store passed the gate while its page was hidden for the DMA."""


async def _fail(exc: Exception) -> None:
    raise exc


class CheckedMemory(MachineAxiMemory):
    """The DDI memory bridge with every DUT read handed to `check(address, data)` first."""

    def __init__(self, *args, check, **kw):
        self.check = check
        super().__init__(*args, **kw)

    async def target_read(self, address: int, length: int) -> bytes:
        data = await super().target_read(address, length)
        self.check(address, data)
        return data


class CachedRing(DescriptorRing):
    """The descriptor ring in cached kernel memory (module docstring): the CPU writes and reads slots
    through the cache; FORDEV cleans the ring's lines, FORCPU invalidates them."""

    def __init__(self, env: CoherentDdiEnv, ddi, attr, nslots: int, layout):
        self.env = env
        super().__init__(ddi, attr, nslots, layout)

    def write(self, slot: int, desc) -> None:
        desc.next = self.paddr(slot + 1)
        self.env.cpu_store(self.paddr(slot), self.layout.encode(desc))

    def read(self, slot: int):
        n = self.layout.slot_bytes
        return self.layout.decode(self.env.cpu_load(self.paddr(slot), n, f"descriptor slot {slot}"))

    def status(self, slot: int):
        lay = self.layout
        addr = self.paddr(slot) + lay.status_offset
        return lay.status(self.env.cpu_load(addr, lay.status_bytes, f"STATUS of slot {slot}"))

    def sync_for_device(self) -> None:
        super().sync_for_device()
        if "ring FORDEV" not in self.env.omit:
            for addr, size in self.cookies:
                self.env.cache.clean(addr, size)

    def sync_for_cpu(self) -> None:
        super().sync_for_cpu()
        if "ring FORCPU" not in self.env.omit:
            for addr, size in self.cookies:
                self.env.cache.clean_invalidate(addr, size)

    def holds(self, addr: int) -> bool:
        return any(a <= addr < a + n for a, n in self.cookies)


class CoherentDdiEnv(ErrorPath, DdiEnv):
    """DdiEnv (with the error path) on the non-snooped platform of the module docstring."""

    def __init__(self, dut, seed: int, *, cache_bytes: int = 32768, ring_slots: int = 64, **kw):
        super().__init__(dut, seed, ring_slots=ring_slots, illumos=True, cpu_port=True, **kw)
        if not self.params.get("HIDE_ENTRIES"):
            raise ValueError("CoherentDdiEnv needs sgdma with the hide unit (HIDE_ENTRIES > 0)")
        self.cache = CpuCache(cache_bytes, 64, 4, bus=AxiMasterBus(self.cpu_master), writeback=self.mem.write)
        self.hide_errors: list[str] = []
        self.table = HideShadow(dut.dut.g_hide_seam.u_hide, self.hide_errors)
        self.omit: set[str] = set()           # driver steps left out (negative controls)
        self.coherency_errors: list[str] = []
        self._device_expect: dict[str, list[tuple[int, bytes]]] = {MM2S: [], S2MM: []}
        self._handover_ns = {MM2S: 0.0, S2MM: 0.0}
        self.maint = None

    # ---- parts
    memory_class = CheckedMemory

    def memory_options(self) -> dict:
        return {"check": self.check_device_read}

    def ring_class(self, ddi, attr, nslots: int, layout) -> CachedRing:
        return CachedRing(self, ddi, attr, nslots, layout)

    async def start(self) -> None:
        # the test hooks are variables the reset does not touch: a previous test may have set them
        self.skip_maintenance(False)
        self.dut.dut.g_hide_seam.test_gate_open.value = 0
        await super().start()
        self.maint = MaintenancePort(self.dut, self.cache, ready_delay=lambda: self.rng.randint(0, 3))
        cocotb.start_soon(self._trace())

    async def _trace(self) -> None:
        """The hide table from the unit's trace: wakes on trace events only."""
        unit = self.table.unit
        while True:
            if not int(unit.trace_valid.value):
                await RisingEdge(unit.trace_valid)
            await RisingEdge(self.dut.clk)
            self.table.sample(self.cycle)

    def skip_maintenance(self, on: bool) -> None:
        """Test-only switch of the hide unit (SGDMA_TEST_HOOKS): hide pages, send no maintenance."""
        self.dut.dut.g_hide_seam.test_skip_maint.value = int(on)

    # ---- the CPU's accesses to kernel memory (the ring: never hidden, so a line fill is modelled
    # without a bus cycle)
    def cpu_store(self, addr: int, data: bytes) -> None:
        line, pos = self.cache.line, 0
        while pos < len(data):
            a = addr + pos
            base = a - a % line
            n = min(len(data) - pos, base + line - a)
            valid, _dirty, cur = self.cache.line_state(base)
            buf = bytearray(cur if valid else self.machine.read_phys(base, line))
            buf[a - base:a - base + n] = data[pos:pos + n]
            self.cache.preload(base, bytes(buf), dirty=True)
            pos += n

    def cpu_load(self, addr: int, n: int, what: str) -> bytes:
        self.check_cpu_read(addr, n, what)
        line, out = self.cache.line, bytearray()
        for a in range(addr - addr % line, addr + n, line):
            valid, _dirty, cur = self.cache.line_state(a)
            if not valid:
                cur = self.machine.read_phys(a, line)
                self.cache.preload(a, cur, dirty=False)
            out += cur
        first = addr - (addr - addr % line)
        return bytes(out[first:first + n])

    # ---- the user process's accesses to its buffer, through the mapping's cache attribute
    def _pages(self, req: IoRequest, off: int, n: int):
        """(physical address, mapping offset, length) pieces of mapping bytes [off, off+n)."""
        while n > 0:
            k = min(n, PAGE - off % PAGE)
            yield req.paddrs[off // PAGE] + off % PAGE, off, k
            off, n = off + k, n - k

    async def process_write(self, req: IoRequest, off: int, data: bytes) -> None:
        for pa, o, k in self._pages(req, off, len(data)):
            chunk = data[o - off:o - off + k]
            if req.attr_name == "CACHED":
                await self.cache.write(pa, chunk)
            elif req.attr_name == "WRCOMB":
                self.cache.write_combine(pa, chunk)
            else:
                await self.cache.write_uncached(pa, chunk)

    async def process_read(self, req: IoRequest, off: int, n: int) -> bytes:
        out = bytearray()
        for pa, _o, k in self._pages(req, off, n):
            if req.attr_name == "CACHED":
                self.check_cpu_read(pa, k, f"{req.direction} user buffer")
                out += await self.cache.read(pa, k)
            else:
                out += await self.cache.read_uncached(pa, k)
        return bytes(out)

    # ---- requests
    async def coherent_request(self, direction: str, nbytes: int, off: int, blkno: int,
                               cache: str = "CACHED", **kw) -> IoRequest:
        """A request whose user mapping the driver set up with devmap_umem_setup(IOMEM_DATA_<cache>);
        a disk write's data then stored through it, a disk read's buffer read through it first."""
        req = self._request(direction, nbytes, off, blkno, **kw)
        req.dhp = devmap_handle()
        mapping = req.npages * PAGE
        rc = self.ddi.devmap_umem_setup(req.dhp, dev_info(), None, req.ucookie, 0, mapping, PROT_ALL,
                                        ATTRS[cache], None)
        if rc != 0:
            raise CheckError(f"devmap_umem_setup(IOMEM_DATA_{cache}) failed")
        req.attr_name = cache
        req.desc_cache = DESC_CACHE[req.dhp.cache_maintenance]
        req.paddrs = [int(p) for p in req.proc.as_.page_paddrs(req.va, req.npages)]
        if direction == MM2S:
            data = src_random(self.rng.randrange(1 << 30), mapping)
            await self.process_write(req, 0, data)
            req.mapping_before = data          # the CPU's view; memory is stale for CACHED / WRCOMB
        else:
            await self.process_read(req, 0, mapping)   # CACHED: clean lines the device will make stale
        return req

    def source_bytes(self, req: IoRequest, obj_off: int, n: int) -> bytes:
        view = getattr(req, "attr_name", None)
        if view is None:
            return super().source_bytes(req, obj_off, n)
        start = req.off + obj_off
        return req.mapping_before[start:start + n]

    async def run_window(self, req: IoRequest, w: int):
        self.hw.layout.cache = getattr(req, "desc_cache", CACHE["CACHED"])   # read by build_packets
        return await super().run_window(req, w)

    async def _faulty_window(self, req: IoRequest, fault) -> int:
        self.hw.layout.cache = getattr(req, "desc_cache", CACHE["CACHED"])
        return await super()._faulty_window(req, fault)

    def _window_scoreboard(self, req: IoRequest, win) -> None:
        super()._window_scoreboard(req, win)
        self._handover_ns[req.direction] = self.now_ns()
        if req.direction == MM2S:
            pos, expect = win.off, []
            for addr, size in win.cookies:
                expect.append((addr, self.source_bytes(req, pos, size)))
                pos += size
            self._device_expect[MM2S] = expect

    async def run(self, req: IoRequest) -> None:
        await super().run(req)
        await self.check_cpu_view(req)

    # ---- checks
    def _report(self, exc: CoherencyError, synchronous: bool) -> None:
        """Fail the test with the first wrong byte (later ones of the same burst are not news)."""
        if self.coherency_errors and not synchronous:
            return
        self.coherency_errors.append(str(exc))
        self.log.error("%s", exc)
        if synchronous:
            raise exc
        cocotb.start_soon(_fail(exc))

    def _ring_of(self, addr: int):
        return next((ch for ch, r in self.rings.items() if r.holds(addr)), None)

    def check_device_read(self, address: int, data: bytes) -> None:
        """A DUT read: a descriptor must read as the CPU wrote it, a disk write's cookie as the CPU
        saw it at the hand-over."""
        if not self.rings:
            return
        if self._ring_of(address) is not None:
            want = self.cache.coherent_view(address, self.machine.read_phys(address, len(data)))
            self._compare_device(address, data, want, "descriptor fetch")
            return
        for addr, exp in self._device_expect[MM2S]:
            lo, hi = max(addr, address), min(addr + len(exp), address + len(data))
            if lo < hi:
                self._compare_device(lo, data[lo - address:hi - address], exp[lo - addr:hi - addr],
                                     "MM2S data read")

    def _compare_device(self, addr: int, got: bytes, want: bytes, what: str) -> None:
        if got == want:
            return
        i = next(k for k in range(len(got)) if got[k] != want[k])
        a = addr + i
        kind, cause = self.device_stale_cause(a)
        self._report(kind(f"{what} at {a:#x}: the device reads {got[i]:#04x}, the CPU's byte is "
                          f"{want[i]:#04x}: {cause}"), synchronous=False)

    def device_stale_cause(self, addr: int) -> tuple[type, str]:
        """Why memory at addr is not what the CPU sees: (the CoherencyError subclass, the text)."""
        page = addr - addr % PAGE
        valid, dirty, _ = self.cache.line_state(addr)
        ring = self._ring_of(addr)
        hidden = self.table.hidden(page)
        maint = [op for op, p, *_ in self.maint.log if p == page]
        if addr in self.cache.wc_buffer:
            return MaintenanceOffError, (
                f"the CPU's write-combined store is still in the WC buffer: page {page:#x} was hidden "
                f"without WC_FLUSH (maintenance requests for it: {maint or 'none'}; the hide unit's "
                f"maintenance is off)")
        if valid and dirty:
            if ring is not None:
                return MissingForDevSyncError, (
                    f"the driver's write is still in a dirty cache line of the {ring} descriptor ring: "
                    f"missing ddi_dma_sync(FORDEV) of the ring")
            return MaintenanceOffError, (
                f"the CPU's store is still in a dirty cache line: page {page:#x} "
                f"({'hidden' if hidden else 'open'}) got no CLEAN_INVALIDATE (maintenance requests "
                f"for it: {maint or 'none'}; the hide unit's maintenance is off)")
        since = min(self._handover_ns.values())
        stores = [b for b in self.cpu_mem.bursts if b.channel == "AW" and b.touches(addr, 1)
                  and b.time_ns > since and self._hidden_at(page, int(b.time_ns // self.PERIOD_NS))]
        if stores:
            return StoreNotStalledError, (
                f"a CPU store to page {page:#x} passed the gate at {stores[0].time_ns:.0f} ns while the "
                f"page was hidden for the DMA: the store was not stalled")
        return CoherencyError, "no cause found in the cache, the maintenance log or the CPU's stores"

    def _hidden_at(self, page: int, cycle: int) -> bool:
        """Whether the page was hidden at that clock cycle (from the unit's trace)."""
        count = 0
        for c, _kind, p, cnt, _mod in self.table.trace:
            if c > cycle:
                break
            if p == page:
                count = cnt
        return count > 0

    def check_cpu_read(self, addr: int, n: int, what: str) -> None:
        """A clean valid line that differs from memory is stale: the CPU must not read it."""
        line = self.cache.line
        for base in range(addr - addr % line, addr + n, line):
            valid, dirty, cur = self.cache.line_state(base)
            if not valid or dirty:
                continue
            mem = self.machine.read_phys(base, line)
            lo, hi = max(addr, base) - base, min(addr + n, base + line) - base
            if cur[lo:hi] == mem[lo:hi]:
                continue
            i = next(k for k in range(lo, hi) if cur[k] != mem[k])
            a = base + i
            ring = self._ring_of(a)
            page = a - a % PAGE
            if ring is not None:
                kind, cause = MissingForCpuSyncError, (
                    f"the {ring} ring's line was not invalidated: missing ddi_dma_sync(FORCPU) of the "
                    f"ring before the driver read it")
            else:
                maint = [op for op, p, *_ in self.maint.log if p == page]
                kind, cause = MaintenanceOffError, (
                    f"page {page:#x}'s line survived the DMA: no CLEAN_INVALIDATE at its hide "
                    f"(maintenance requests for it: {maint or 'none'}; the hide unit's maintenance is off)")
            self._report(kind(
                f"{what} at {a:#x}: the CPU reads a stale cache line ({cur[i]:#04x}, memory has "
                f"{mem[i]:#04x}): {cause}"), synchronous=True)
            return

    async def check_cpu_view(self, req: IoRequest) -> None:
        """What the CPU reads of the whole mapping after the request: a disk write leaves it as the
        CPU wrote it; a disk read has the disk's bytes in the object and the old bytes around it."""
        if getattr(req, "attr_name", None) is None:
            return
        mapping = req.npages * PAGE
        seen = await self.process_read(req, 0, mapping)
        before = req.mapping_before
        want = before
        if req.direction == S2MM:
            lo, hi = req.off, req.off + req.length
            want = before[:lo] + self.disk_bytes(req, 0, req.length) + before[hi:]
        if seen != want:
            i = next(k for k in range(mapping) if seen[k] != want[k])
            pa = req.paddrs[i // PAGE] + i % PAGE
            kind, cause = self.device_stale_cause(pa)
            self._report(kind(
                f"{req.direction} ({req.attr_name}) mapping byte {i} (physical {pa:#x}): the CPU reads "
                f"{seen[i]:#04x}, expected {want[i]:#04x}: {cause}"), synchronous=True)

    async def check_idle(self) -> None:
        """Every page open (shadow table and HIDE_STATUS.USED), the trace's counts consistent."""
        await ClockCycles(self.dut.clk, 10)
        if self.hide_errors:
            raise CheckError("hide trace: " + "; ".join(self.hide_errors[:5]))
        open_ = {hex(p): c for p, c in self.table.count.items() if c}
        used = (await self.hw.regs.read_fields(None, "HIDE_STATUS"))["USED"]
        if open_ or used:
            raise CheckError(f"pages still hidden: {open_}, HIDE_STATUS.USED {used}")


async def make_coherent_env(dut, seed: int, **kw) -> CoherentDdiEnv:
    env = CoherentDdiEnv(dut, seed, **kw)
    await env.start()
    return env
