"""Processor cache model and processor driver for the hide unit (sgdma_hide) tests.

:class:`CpuCache` is a write-back, write-allocate, set-associative cache with LRU replacement and
dirty lines. It sits in front of the hide unit's CPU gate: line fills and uncached accesses go
over ``bus`` (an AXI master on ``s_axi_cpu_*``, through the gate); write-backs (evictions and
maintenance cleans) go over ``writeback``, the cache's own path to memory. Write-backs must not
wait at the gate: they carry data older than the hide, so if one were held until the unhide it
would land on top of what the device wrote (docs/sgdma_hide.md, "Write-backs").

The cache answers the hide unit's maintenance port (:class:`MaintenancePort`): CLEAN writes the
page's dirty lines back, CLEAN_INVALIDATE also drops them, WC_FLUSH drains the write-combining
buffer. It also implements the pyddi_model xmemdma64 cache hook (``flush_invalidate``,
``page_valid``), so the same object can stand behind the model and behind the hardware, and the
two sequences of operations can be compared (``ops``).

State is observable: :meth:`line_state`, :meth:`dirty_lines`, :meth:`cached_lines`, counters.
The cache core is plain Python; only :class:`MaintenancePort` touches cocotb.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from tb import coverage as fcov

OP_CLEAN = 0
OP_CLEAN_INVALIDATE = 1
OP_WC_FLUSH = 2
OP_NAMES = {OP_CLEAN: "CLEAN", OP_CLEAN_INVALIDATE: "CLEAN_INVALIDATE", OP_WC_FLUSH: "WC_FLUSH"}


def pages_of(addr: int, length: int, pagesize: int = 4096) -> list[int]:
    """Page base addresses a buffer spans (none for a zero length)."""
    if length == 0:
        return []
    return list(range(addr - addr % pagesize, addr + length, pagesize))


def pattern(seed: int, n: int) -> bytes:
    """n seeded random bytes (buffer contents of the hide tests)."""
    rnd = random.Random(seed)
    return bytes(rnd.getrandbits(8) for _ in range(n))


def mismatches(expected: bytes, got: bytes) -> int:
    """Number of differing bytes (a length difference counts as mismatches too)."""
    n = sum(1 for a, b in zip(expected, got, strict=False) if a != b)
    return n + abs(len(expected) - len(got))


class AxiMasterBus:
    """The cache's ``bus`` over a cocotbext-axi AxiMaster (on the CPU gate's slave side)."""

    def __init__(self, master):
        self.master = master

    async def read(self, addr: int, n: int) -> bytes:
        return bytes((await self.master.read(addr, n)).data)

    async def write(self, addr: int, data: bytes) -> None:
        await self.master.write(addr, data)


@dataclass
class _Line:
    tag: int
    data: bytearray
    dirty: bool = False


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    evictions: int = 0
    writebacks: int = 0          # lines written back (evictions and cleans)
    fill_retries: int = 0        # fills dropped because the page was invalidated meanwhile
    ops: dict = field(default_factory=dict)


class CpuCache:
    """Write-back cache: ``size`` bytes, ``line`` bytes per line, ``ways`` ways, LRU.

    ``bus``: object with ``async read(addr, n) -> bytes`` and ``async write(addr, data)`` (the
    processor's requests, through the gate). ``writeback``: ``writeback(addr, data)``, synchronous,
    the cache's write-back path to memory.
    """

    def __init__(self, size: int = 4096, line: int = 64, ways: int = 2, *, bus=None,
                 writeback=None, pagesize: int = 4096):
        if line <= 0 or line & (line - 1) or ways <= 0 or size % (line * ways):
            raise ValueError(f"cache geometry size={size} line={line} ways={ways} is not valid")
        self.size, self.line, self.ways, self.pagesize = size, line, ways, pagesize
        self.nsets = size // (line * ways)
        self.bus, self.writeback = bus, writeback
        self.sets: list[list[_Line]] = [[] for _ in range(self.nsets)]   # MRU first
        self.wc_buffer: dict[int, int] = {}   # write-combining buffer: byte address -> value
        self._page_gen: dict[int, int] = {}   # page -> invalidations so far (fill races)
        self.ops: list[tuple] = []            # maintenance / hook operations, in order
        self.stats = CacheStats()

    # ------------------------------------------------------------ observation
    def _split(self, addr: int) -> tuple[int, int]:
        lineno = addr // self.line
        return lineno % self.nsets, lineno // self.nsets

    def _find(self, addr: int) -> _Line | None:
        idx, tag = self._split(addr)
        for ln in self.sets[idx]:
            if ln.tag == tag:
                return ln
        return None

    def _line_addr(self, idx: int, ln: _Line) -> int:
        return (ln.tag * self.nsets + idx) * self.line

    def coherent_view(self, addr: int, memory: bytes) -> bytes:
        """What the processor reads at addr, given memory's bytes there: the write-combining buffer
        first, then a valid cache line, else memory."""
        out = bytearray(memory)
        for i in range(len(out)):
            a = addr + i
            if a in self.wc_buffer:
                out[i] = self.wc_buffer[a]
                continue
            valid, _, data = self.line_state(a)
            if valid:
                out[i] = data[a % self.line]
        return bytes(out)

    def line_state(self, addr: int) -> tuple[bool, bool, bytes | None]:
        """(valid, dirty, data) of the line holding ``addr``."""
        ln = self._find(addr)
        return (False, False, None) if ln is None else (True, ln.dirty, bytes(ln.data))

    def cached_lines(self, page: int | None = None) -> list[int]:
        """Addresses of the valid lines (of one page when ``page`` is given)."""
        out = [self._line_addr(i, ln) for i, s in enumerate(self.sets) for ln in s]
        if page is not None:
            out = [a for a in out if page <= a < page + self.pagesize]
        return sorted(out)

    def dirty_lines(self, page: int | None = None) -> list[int]:
        out = [self._line_addr(i, ln) for i, s in enumerate(self.sets) for ln in s if ln.dirty]
        if page is not None:
            out = [a for a in out if page <= a < page + self.pagesize]
        return sorted(out)

    # ------------------------------------------------------------ test set-up
    def preload(self, addr: int, data: bytes, dirty: bool = True) -> None:
        """Place ``data`` in the cache without bus traffic (whole lines; evicts as needed).

        dirty=True: as if the processor wrote it (memory not updated). dirty=False: a clean copy,
        e.g. stale lines that an S2MM transfer must invalidate.
        """
        if addr % self.line or len(data) % self.line:
            raise ValueError("preload needs whole lines")
        for off in range(0, len(data), self.line):
            a = addr + off
            ln = self._find(a)
            if ln is None:
                ln = self._install(a, bytearray(self.line))
            ln.data[:] = data[off:off + self.line]
            ln.dirty = dirty

    # ------------------------------------------------------------ internals
    def _install(self, addr: int, data: bytearray) -> _Line:
        idx, tag = self._split(addr)
        s = self.sets[idx]
        if len(s) >= self.ways:
            victim = s.pop()
            self.stats.evictions += 1
            if victim.dirty:
                self._write_back(self._line_addr(idx, victim), victim.data)
        ln = _Line(tag, data)
        s.insert(0, ln)
        return ln

    def _touch(self, addr: int, ln: _Line) -> None:
        idx, _ = self._split(addr)
        s = self.sets[idx]
        s.remove(ln)
        s.insert(0, ln)

    def _write_back(self, addr: int, data) -> None:
        self.stats.writebacks += 1
        if self.writeback is None:
            raise RuntimeError("cache has no write-back path")
        self.writeback(addr, bytes(data))

    def _page(self, addr: int) -> int:
        return addr - addr % self.pagesize

    async def _line_for(self, addr: int) -> _Line:
        """The line holding ``addr``, filled over the bus on a miss (through the gate)."""
        while True:
            ln = self._find(addr)
            if ln is not None:
                self.stats.hits += 1
                self._touch(addr, ln)
                return ln
            self.stats.misses += 1
            base = addr - addr % self.line
            gen = self._page_gen.get(self._page(base), 0)
            data = bytearray(await self.bus.read(base, self.line))
            if self._page_gen.get(self._page(base), 0) != gen:
                # the page was invalidated while the fill was in flight: the data may predate
                # the device's writes, so drop it and fetch again (stalls at the gate if hidden)
                self.stats.fill_retries += 1
                continue
            if self._find(addr) is None:
                return self._install(base, data)

    # ------------------------------------------------------------ processor accesses
    async def read(self, addr: int, n: int) -> bytes:
        """Cached read (any alignment and length)."""
        out = bytearray()
        while n > 0:
            chunk = min(n, self.line - addr % self.line)
            ln = await self._line_for(addr)
            off = addr % self.line
            out += ln.data[off:off + chunk]
            addr, n = addr + chunk, n - chunk
        return bytes(out)

    async def write(self, addr: int, data: bytes) -> None:
        """Cached write (write-allocate, the line becomes dirty)."""
        pos = 0
        while pos < len(data):
            chunk = min(len(data) - pos, self.line - addr % self.line)
            ln = await self._line_for(addr)
            off = addr % self.line
            ln.data[off:off + chunk] = data[pos:pos + chunk]
            ln.dirty = True
            addr, pos = addr + chunk, pos + chunk

    async def read_uncached(self, addr: int, n: int) -> bytes:
        """Uncached read: straight to the gate (IOMEM_DATA_UNCACHED mapping)."""
        return bytes(await self.bus.read(addr, n))

    async def write_uncached(self, addr: int, data: bytes) -> None:
        await self.bus.write(addr, bytes(data))

    def write_combine(self, addr: int, data: bytes) -> None:
        """Write-combining store (IOMEM_DATA_UC_WR_COMBINE): held in the WC buffer until a flush."""
        for i, b in enumerate(data):
            self.wc_buffer[addr + i] = b

    # ------------------------------------------------------------ maintenance
    def _lines_of(self, page: int, size: int):
        for idx, s in enumerate(self.sets):
            for ln in list(s):
                a = self._line_addr(idx, ln)
                if page <= a < page + size:
                    yield idx, s, ln, a

    def clean(self, page: int, size: int | None = None) -> int:
        """Write back the page's dirty lines (they stay valid). Returns lines written."""
        size = size or self.pagesize
        n = 0
        for _, _, ln, a in self._lines_of(page, size):
            if ln.dirty:
                self._write_back(a, ln.data)
                ln.dirty = False
                n += 1
        return n

    def clean_invalidate(self, page: int, size: int | None = None) -> int:
        """Write back the page's dirty lines and drop all its lines. Returns lines written."""
        size = size or self.pagesize
        n = 0
        for _, s, ln, a in self._lines_of(page, size):
            if ln.dirty:
                self._write_back(a, ln.data)
                n += 1
            s.remove(ln)
        for p in range(page, page + size, self.pagesize):
            self._page_gen[p] = self._page_gen.get(p, 0) + 1
        return n

    def wc_flush(self, page: int, size: int | None = None) -> int:
        """Drain the write-combining buffer's bytes of the page to memory. Returns bytes written."""
        size = size or self.pagesize
        addrs = sorted(a for a in self.wc_buffer if page <= a < page + size)
        for a in addrs:
            self.writeback(a, bytes([self.wc_buffer.pop(a)]))
        return len(addrs)

    def maintain(self, op: int, page: int) -> int:
        """Apply one maintenance-port request; returns the amount of data written back."""
        self.ops.append((OP_NAMES[op], page))
        self.stats.ops[op] = self.stats.ops.get(op, 0) + 1
        if op == OP_CLEAN:
            return self.clean(page)
        if op == OP_CLEAN_INVALIDATE:
            return self.clean_invalidate(page)
        if op == OP_WC_FLUSH:
            return self.wc_flush(page)
        raise ValueError(f"maintenance op {op} is not defined")

    # ------------------------------------------------------------ pyddi_model CacheHook
    def flush_invalidate(self, paddr_page: int, size: int) -> None:
        """xmemdma64 first hide: "flushing the cache and making the page invalid"."""
        self.ops.append(("flush_invalidate", paddr_page))
        self.clean_invalidate(paddr_page, size)

    def page_valid(self, paddr_page: int, modified: bool) -> None:
        """xmemdma64 last unhide: the page is valid again (nothing to do in the cache)."""
        self.ops.append(("page_valid", paddr_page, bool(modified)))


class MaintenancePort:
    """cocotb responder for sgdma_hide's maintenance port, backed by a :class:`CpuCache`.

    Takes a request (``m_maint_req_*``, ready after ``ready_delay()`` cycles), applies it to the
    cache at the handshake, and signals completion (``s_maint_done_*``) after
    ``base_latency + cycles_per_line * lines_written`` cycles (a write-back costs bus time).
    ``log`` holds (op name, page address, handshake cycle, done cycle).
    """

    def __init__(self, dut, cache: CpuCache, *, base_latency: int = 4, cycles_per_line: int = 8,
                 ready_delay=None):
        import cocotb
        self.dut, self.cache = dut, cache
        self.base_latency, self.cycles_per_line = base_latency, cycles_per_line
        self.ready_delay = ready_delay or (lambda: 0)
        self.log: list[tuple[str, int, int, int]] = []
        self.cycle = 0
        dut.m_maint_req_ready.value = 0
        dut.s_maint_done_valid.value = 0
        cocotb.start_soon(self._count())
        cocotb.start_soon(self._run())

    async def _count(self):
        from cocotb.triggers import RisingEdge
        while True:
            await RisingEdge(self.dut.clk)
            self.cycle += 1

    async def _run(self):
        from cocotb.triggers import ClockCycles, RisingEdge
        dut = self.dut
        while True:
            delay = self.ready_delay()
            if delay:
                await ClockCycles(dut.clk, delay)
            dut.m_maint_req_ready.value = 1
            while True:
                await RisingEdge(dut.clk)
                if int(dut.m_maint_req_valid.value):
                    break
            dut.m_maint_req_ready.value = 0
            op, page, start = int(dut.m_maint_req_op.value), int(dut.m_maint_req_addr.value), self.cycle
            written = self.cache.maintain(op, page)
            lines = written if op != OP_WC_FLUSH else (written + self.cache.line - 1) // self.cache.line
            fcov.sample_maintenance(OP_NAMES[op], lines)
            await ClockCycles(dut.clk, self.base_latency + self.cycles_per_line * lines)
            dut.s_maint_done_valid.value = 1
            while True:
                await RisingEdge(dut.clk)
                if int(dut.s_maint_done_ready.value):
                    break
            dut.s_maint_done_valid.value = 0
            self.log.append((OP_NAMES[op], page, start, self.cycle))
