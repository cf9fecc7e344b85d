"""The driver's path through pyddi_model for sgdma (no simulator import: usable and testable alone).

A disk write (MM2S) or read (S2MM) of a user buffer goes exactly as an illumos driver's strategy
routine would take it (docs/environment.md draws the flow):

    ddi_umem_lock -> ddi_umem_iosetup -> ddi_dma_alloc_handle (attr from the capability registers)
    -> ddi_dma_buf_bind_handle (DDI_DMA_PARTIAL) -> for each window: ddi_dma_getwin, cookies,
    descriptors (one packet per chunk of at most sgllen cookies), [hardware], ddi_dma_sync
    -> ddi_dma_unbind_handle -> ddi_dma_free_handle -> freerbuf -> ddi_umem_unlock

The hardware part (tail pointer, interrupt, status) is done by tb/env/ddi.py between
:meth:`IoRequest.window` and :meth:`IoRequest.window_done`. Everything here works on the Machine's
physical memory, which is the memory the DUT sees through the env's bridge.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field

from pyddi_model import (
    B_READ,
    B_WRITE,
    DDI,
    DDI_DMA_CONSISTENT,
    DDI_DMA_MAPPED,
    DDI_DMA_PARTIAL,
    DDI_DMA_PARTIAL_MAP,
    DDI_DMA_RDWR,
    DDI_DMA_READ,
    DDI_DMA_SLEEP,
    DDI_DMA_SYNC_FORCPU,
    DDI_DMA_SYNC_FORDEV,
    DDI_DMA_WRITE,
    DDI_SUCCESS,
    DDI_UMEM_SLEEP,
    DDI_UMEMLOCK_READ,
    DDI_UMEMLOCK_WRITE,
    Machine,
    ddi_dma_attr_t,
)
from pyddi_model.constants import B_DONE, B_ERROR
from pyddi_model.dma import rc_name
from tb.dut_adapter import DescStatus, RingLayout

DEV_BSIZE = 512  # disk block: USER word = block number of the packet's first byte
MM2S, S2MM = "MM2S", "S2MM"


class DriverError(AssertionError):
    """A DDI call returned something the driver path cannot continue from (names the call)."""


EIO = errno.EIO  # what illumos block drivers report for a failed transfer (sd, blkdev: bioerror(bp, EIO))
CLEANUP_STEPS = ("unbind", "free_handle", "biodone", "freerbuf", "unlock")


def bioerror(bp, error: int) -> None:
    """bioerror(9F): "If error is non-zero, bioerror() sets the B_ERROR flag in the b_flags field
    and error in the b_error field ... If error is 0, the error indication is cleared" (the man page).
    """
    if error:
        bp.b_flags |= B_ERROR
    else:
        bp.b_flags &= ~B_ERROR
    bp.b_error = error


@dataclass(frozen=True)
class BufOutcome:
    """What the caller of the strategy routine sees after biowait (read before freerbuf)."""

    done: bool          # B_DONE (biodone was called)
    error: bool         # B_ERROR
    b_error: int        # errno, 0 on success
    b_resid: int        # bytes not transferred


# ---------------------------------------------------------------------------------------------
# capabilities -> ddi_dma_attr
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Caps:
    """What the DMA can do (sgdma: its capability registers CAP0..CAP2, read by tb/sgdma_adapter.py)."""

    data_bytes: int
    addr_width: int
    len_width: int
    align_log2: int
    max_burst_len: int
    max_outstanding: int
    seg_log2: int
    sgl_max: int
    hide_entries: int = 0

    @property
    def max_length(self) -> int:
        """Largest descriptor LENGTH: 2**LEN_WIDTH - 1."""
        return (1 << self.len_width) - 1


HIDE_PAGE = 4096   # the hide unit's page (sgdma_hide PAGE_LOG2 = 12 at the top)


def attr_from_caps(caps: Caps, granular: int = 1, **override: int) -> ddi_dma_attr_t:
    """The ddi_dma_attr a driver declares for this sgdma, derived from the capability registers.

    ddi_dma_attr(9S): addr_hi "the highest address the DMA engine can access" (2**ADDR_WIDTH-1);
    count_max "the maximum transfer count ... minus one" (LENGTH <= 2**LEN_WIDTH-1, so 2**LEN_WIDTH-2),
    rounded down so that count_max + 1 is a multiple of the alignment: a buf bind splits a contiguous
    run every count_max + 1 bytes and ignores dma_attr_align, so the next cookie would otherwise start
    misaligned (refused with MISALIGN when ALIGN_LOG2 > 0);
    seg "the segment boundary ... minus one" (2**SEG_LOG2-1); sgllen "the maximum number of entries
    in the scatter/gather list" (SGL_MAX descriptors per packet). With a hide unit (CAP2.HIDE_ENTRIES
    > 0) a descriptor may span at most HIDE_ENTRIES 4 KiB pages (more is refused with LEN_RANGE),
    so seg is also at most 2**floor(log2(HIDE_ENTRIES)) pages minus one: a cookie inside such an
    aligned block spans at most that many pages. ``override`` replaces fields by
    their short name (``sgllen=...``), used to force a deliberately wrong attr past a limit.
    """
    u64 = (1 << 64) - 1
    seg = min((1 << caps.seg_log2) - 1, u64)
    if caps.hide_entries:
        seg = min(seg, (HIDE_PAGE << (caps.hide_entries.bit_length() - 1)) - 1)
    attr = ddi_dma_attr_t(
        dma_attr_addr_lo=0,
        dma_attr_addr_hi=min((1 << caps.addr_width) - 1, u64),
        dma_attr_count_max=(caps.max_length & -(1 << caps.align_log2)) - 1,
        dma_attr_align=1 << caps.align_log2,
        dma_attr_burstsizes=caps.data_bytes,
        dma_attr_minxfer=1,
        dma_attr_maxxfer=0xFFFFFFFF,
        dma_attr_seg=seg,
        dma_attr_sgllen=caps.sgl_max,
        dma_attr_granular=granular,
        dma_attr_flags=0,
    )
    for name, value in override.items():
        setattr(attr, f"dma_attr_{name}", value)
    return attr


# ---------------------------------------------------------------------------------------------
# descriptor ring in kernel memory
# ---------------------------------------------------------------------------------------------
class DescriptorRing:
    """Descriptor slots in kernel memory (what ddi_dma_mem_alloc would give: pinned pages inside
    the device's address range), bound with ddi_dma_addr_bind_handle for their bus addresses.

    Slots are linked in a circle by NEXT; the CPU writes them through the kernel address space
    (Machine.kas) and syncs FORDEV; status is read after ddi_dma_sync FORCPU.
    """

    def __init__(self, ddi: DDI, attr: ddi_dma_attr_t, nslots: int, layout: RingLayout):
        m = ddi.machine
        self.ddi, self.machine, self.nslots, self.layout = ddi, m, nslots, layout
        slot = layout.slot_bytes
        self.size = nslots * slot
        hi = min(attr.dma_attr_addr_hi, m.phys_bytes - 1)
        self.kaddr = m.kas.mmap(self.size, hi=hi, pinned=True)
        # descriptor fetches are short reads, not bounded by the LENGTH field: only the address
        # range, the segment lines and the alignment of the device apply to the ring
        ring_attr = ddi_dma_attr_t(
            dma_attr_addr_hi=attr.dma_attr_addr_hi,
            dma_attr_count_max=0xFFFFFFFF,
            dma_attr_seg=attr.dma_attr_seg,
            dma_attr_align=max(layout.align, slot),
            dma_attr_sgllen=-1,
        )
        rc, self.handle = ddi.ddi_dma_alloc_handle(None, ring_attr, DDI_DMA_SLEEP, None)
        _expect(rc == DDI_SUCCESS, "ring ddi_dma_alloc_handle", rc)
        rc, cookie, ccount = ddi.ddi_dma_addr_bind_handle(
            self.handle, None, self.kaddr, self.size, DDI_DMA_RDWR | DDI_DMA_CONSISTENT, DDI_DMA_SLEEP, None
        )
        _expect(rc == DDI_DMA_MAPPED, "ring ddi_dma_addr_bind_handle", rc)
        cookies = [cookie] + [ddi.ddi_dma_nextcookie(self.handle) for _ in range(ccount - 1)]
        self.cookies = [(c.dmac_laddress, c.dmac_size) for c in cookies]
        self.paddrs: list[int] = []
        base = 0
        for addr, size in self.cookies:  # slot i is object offset i*slot; a slot never straddles cookies
            assert base % slot == 0 and size % slot == 0, self.cookies
            self.paddrs += [addr + off for off in range(0, size, slot)]
            base += size
        assert len(self.paddrs) == nslots and all(p % layout.align == 0 for p in self.paddrs)
        self.next_slot = 0
        for i in range(nslots):  # every slot linked and STATUS 0 (not complete)
            self.write(i, layout.descriptor())

    def paddr(self, slot: int) -> int:
        return self.paddrs[slot % self.nslots]

    def write(self, slot: int, desc) -> None:
        desc.next = self.paddr(slot + 1)
        self.machine.kas.write(self.kaddr + slot * self.layout.slot_bytes, self.layout.encode(desc))

    def sync_for_device(self) -> None:
        _sync(self.ddi, self.handle, 0, 0, DDI_DMA_SYNC_FORDEV, "ring")

    def read(self, slot: int):
        n = self.layout.slot_bytes
        return self.layout.decode(self.machine.kas.read(self.kaddr + slot * n, n))

    def status(self, slot: int) -> DescStatus:
        lay = self.layout
        return lay.status(self.machine.kas.read(self.kaddr + slot * lay.slot_bytes + lay.status_offset,
                                                lay.status_bytes))

    def sync_for_cpu(self) -> None:
        _sync(self.ddi, self.handle, 0, 0, DDI_DMA_SYNC_FORCPU, "ring")

    def alloc(self, n: int) -> list[int]:
        """The next n slots (circular); the caller writes them before handing them over."""
        assert n <= self.nslots, f"{n} descriptors do not fit a ring of {self.nslots}"
        slots = [(self.next_slot + i) % self.nslots for i in range(n)]
        self.next_slot = (self.next_slot + n) % self.nslots
        return slots

    def status_ranges(self, slots) -> list[tuple[int, int]]:
        """Bus ranges the engine may write for these slots: their STATUS words."""
        lay = self.layout
        return [(self.paddr(s) + lay.status_offset, lay.status_bytes) for s in slots]

    def release(self) -> None:
        self.ddi.ddi_dma_unbind_handle(self.handle)
        self.ddi.ddi_dma_free_handle(self.handle)
        self.machine.kas.munmap(self.kaddr, (self.size + self.machine.pageoffset) & ~self.machine.pageoffset)


def _sync(ddi: DDI, handle, off: int, length: int, kind: int, what: str) -> None:
    rc = ddi.ddi_dma_sync(handle, off, length, kind)
    name = "FORDEV" if kind == DDI_DMA_SYNC_FORDEV else "FORCPU"
    if rc != DDI_SUCCESS:
        raise DriverError(f"ddi_dma_sync({what}, {off}, {length}, {name}) failed: {rc}")


def _expect(ok: bool, call: str, rc) -> None:
    if not ok:
        name = rc_name(rc) if isinstance(rc, int) else repr(rc)
        raise DriverError(f"{call} failed: {name}")


# ---------------------------------------------------------------------------------------------
# one I/O request (a buf) through the DDI
# ---------------------------------------------------------------------------------------------
@dataclass
class Packet:
    """One descriptor packet (SOF..EOF): cookies of a window chunk and the ring slots used."""

    window: int
    index: int  # packet number inside the request
    obj_off: int  # object offset of the packet's first byte
    cookies: list[tuple[int, int]]  # (bus address, size)
    slots: list[int] = field(default_factory=list)
    user: int = 0

    @property
    def length(self) -> int:
        return sum(s for _, s in self.cookies)


@dataclass
class Window:
    index: int
    off: int
    length: int
    cookies: list[tuple[int, int]]
    packets: list[Packet] = field(default_factory=list)


class IoRequest:
    """A disk transfer of [va+off, va+off+length) of a process's buffer, as the driver runs it.

    direction MM2S = disk write (UMEMLOCK_READ, B_WRITE, DDI_DMA_WRITE);
    direction S2MM = disk read (UMEMLOCK_WRITE, B_READ, DDI_DMA_READ).
    """

    def __init__(
        self,
        ddi: DDI,
        proc,
        va: int,
        npages: int,
        off: int,
        length: int,
        direction: str,
        attr: ddi_dma_attr_t,
        blkno: int = 0,
        partial: bool = True,
        ucookie=None,
    ):
        """``ucookie``: a ddi_umem_lock cookie the caller holds over [va, ...) (several bufs on one
        lock); the request then neither locks nor unlocks."""
        m = ddi.machine
        self.ddi, self.machine, self.proc = ddi, m, proc
        self.va, self.npages, self.off, self.length = va, npages, off, length
        self.direction, self.attr, self.blkno = direction, attr, blkno
        self.windows: list[Window] = []
        self.packets: list[Packet] = []
        self.cur: Window | None = None
        self.outcome: BufOutcome | None = None
        self._violations_before = len(ddi.dma_violations)
        write = direction == MM2S
        lock_flag = DDI_UMEMLOCK_READ if write else DDI_UMEMLOCK_WRITE
        self.owns_lock = ucookie is None
        if self.owns_lock:
            rc, ucookie = ddi.ddi_umem_lock(va, npages * m.pagesize, lock_flag)
            _expect(rc == 0, "ddi_umem_lock", rc)
        self.ucookie = ucookie
        self.bp = ddi.ddi_umem_iosetup(
            ucookie, va - ucookie.cvaddr + off, length, B_WRITE if write else B_READ, 0, blkno, None,
            DDI_UMEM_SLEEP,
        )
        _expect(self.bp is not None, "ddi_umem_iosetup", "NULL")
        rc, self.handle = ddi.ddi_dma_alloc_handle(None, attr, DDI_DMA_SLEEP, None)
        _expect(rc == DDI_SUCCESS, "ddi_dma_alloc_handle", rc)
        flags = (DDI_DMA_WRITE if write else DDI_DMA_READ) | (DDI_DMA_PARTIAL if partial else 0)
        rc, cookie, ccount = ddi.ddi_dma_buf_bind_handle(self.handle, self.bp, flags, DDI_DMA_SLEEP, None)
        _expect(rc in (DDI_DMA_MAPPED, DDI_DMA_PARTIAL_MAP), "ddi_dma_buf_bind_handle", rc)
        self.bind_rc = rc
        if rc == DDI_DMA_PARTIAL_MAP:
            rc2, self.nwin = ddi.ddi_dma_numwin(self.handle)
            _expect(rc2 == DDI_SUCCESS, "ddi_dma_numwin", rc2)
        else:
            self.nwin = 1
        self._first = (cookie, ccount)
        self.bounced = int(self.handle.plan.nbounced)

    # ---- windows
    def window(self, w: int) -> Window:
        """Make window w current (ddi_dma_getwin for a partial bind) and return its cookies."""
        if w > 0:
            rc, off, length, cookie, ccount = self.ddi.ddi_dma_getwin(self.handle, w)
            _expect(rc == DDI_SUCCESS, f"ddi_dma_getwin({w})", rc)
        else:
            # window 0 is current after the bind: its cookies are the bind's (no getwin needed)
            off = 0
            length = int(self.handle.plan.win_len[0]) if self.bind_rc == DDI_DMA_PARTIAL_MAP else self.length
            cookie, ccount = self._first
        cookies = [cookie] + [self.ddi.ddi_dma_nextcookie(self.handle) for _ in range(ccount - 1)]
        win = Window(w, off, length, [(c.dmac_laddress, c.dmac_size) for c in cookies])
        assert sum(s for _, s in win.cookies) == length, "window length != sum of its cookies"
        if self.direction == MM2S:
            # "DDI_DMA_SYNC_FORDEV: after the CPU writes, before the device reads"
            _sync(self.ddi, self.handle, off, length, DDI_DMA_SYNC_FORDEV, f"window {w}")
        self.windows.append(win)
        self.cur = win
        return win

    def build_packets(
        self,
        win: Window,
        ring: DescriptorRing,
        sgl_max: int,
        *,
        ioc_every_packet: bool = True,
    ) -> list[tuple[int, object]]:
        """Cookies of a window -> descriptors in ring slots (one packet per chunk of <= sgl_max cookies)."""
        out = []
        obj = win.off
        for start in range(0, len(win.cookies), sgl_max):
            chunk = win.cookies[start : start + sgl_max]
            pk = Packet(
                win.index,
                len(self.packets),
                obj,
                chunk,
                ring.alloc(len(chunk)),
                user=(self.blkno + obj // DEV_BSIZE) & 0xFFFFFFFF,
            )
            for i, ((addr, size), slot) in enumerate(zip(chunk, pk.slots, strict=True)):
                d = ring.layout.descriptor(
                    addr=addr,
                    length=size,
                    sof=i == 0,
                    eof=i == len(chunk) - 1,
                    ioc=(i == len(chunk) - 1) and ioc_every_packet,
                    user=pk.user,
                )
                ring.write(slot, d)
                out.append((slot, d))
            obj += pk.length
            win.packets.append(pk)
            self.packets.append(pk)
        ring.sync_for_device()
        return out

    def window_done(self, win: Window) -> None:
        """After the hardware finished a window: a disk read syncs it for the CPU."""
        if self.direction == S2MM:
            # "DDI_DMA_SYNC_FORCPU: after the device writes, before the CPU reads"
            _sync(self.ddi, self.handle, win.off, win.length, DDI_DMA_SYNC_FORCPU, f"window {win.index}")

    # ---- expectations
    def user_bytes(self, obj_off: int, n: int) -> bytes:
        """The CPU view of the buffer (object offset)."""
        return self.proc.as_.read(self.va + self.off + obj_off, n)

    def cookie_total(self) -> int:
        return sum(len(w.cookies) for w in self.windows)

    def finish(self, error: int = 0, resid: int = 0, forget: str | None = None) -> BufOutcome:
        """unbind (syncs a bounced READ window back), free handle, biodone, freerbuf, unlock.

        A failed request (``error``, e.g. EIO, and ``resid`` bytes not transferred) goes the same way
        after bioerror(bp, error) and b_resid, as an illumos block driver's interrupt routine does.
        ``forget`` names one step of CLEANUP_STEPS to leave out: a broken driver, for the negative
        controls of the cleanup checks (tb/env/ddi_errors.py).
        """
        if forget is not None and forget not in CLEANUP_STEPS:
            raise ValueError(f"forget={forget!r}: not one of {CLEANUP_STEPS}")
        bp = self.bp
        if error:
            bioerror(bp, error)
        bp.b_resid = resid
        if forget != "unbind":
            _expect(self.ddi.ddi_dma_unbind_handle(self.handle) == DDI_SUCCESS, "ddi_dma_unbind_handle", -1)
        if forget != "free_handle":
            self.ddi.ddi_dma_free_handle(self.handle)
        if forget != "biodone":
            self.ddi.biodone(bp)
        self.outcome = BufOutcome(done=bool(bp.b_flags & B_DONE), error=bool(bp.b_flags & B_ERROR),
                                  b_error=bp.b_error, b_resid=bp.b_resid)
        if forget != "freerbuf":
            self.ddi.freerbuf(bp)
        if forget != "unlock" and self.owns_lock:
            self.ddi.ddi_umem_unlock(self.ucookie)
        return self.outcome

    def leaks(self) -> list[str]:
        """What this request still holds after finish: each entry names the resource (empty: clean)."""
        out = list(self.ddi.dma_violations[self._violations_before:])  # e.g. freed while bound
        h = self.handle
        if h.bound:
            out.append(f"DMA handle {h.id} still bound")
        if not h.freed:
            out.append(f"DMA handle {h.id} not freed")
        if self.ddi.buf_is_live(self.bp):
            out.append("buf from ddi_umem_iosetup not freed (freerbuf)")
        if self.owns_lock and self.ucookie.live:
            out.append(f"{self.npages} pages at va {self.va:#x} still locked (ddi_umem_unlock)")
        if self.outcome is None or not self.outcome.done:
            out.append("biodone not called (B_DONE clear)")
        m = self.machine
        paddrs = self.proc.as_.page_paddrs(self.va, self.npages).tolist()
        pinned = [p for p in paddrs if m.is_pinned(p)]
        if pinned and self.owns_lock and not self.ucookie.live:
            out.append(f"{len(pinned)} user pages still pinned after unlock (first {pinned[0]:#x})")
        hidden = [p for p in paddrs if m.is_hidden(p)]
        if hidden:
            out.append(f"{len(hidden)} user pages still hidden (first {hidden[0]:#x})")
        return out


def new_machine(seed: int, contiguity: float = 0.3, illumos: bool = False,
                phys_bytes: int = 1 << 36) -> tuple[Machine, DDI]:
    """A machine (64 GiB of physical memory by default, most of it above 4 GiB) and its DDI (man-page
    semantics, or illumos's where they differ)."""
    m = Machine(seed=seed, contiguity=contiguity, phys_bytes=phys_bytes)
    return m, DDI(m, illumos=illumos, curproc=m.new_process())


def user_buffer(
    ddi: DDI,
    nbytes: int,
    off: int = 0,
    *,
    contiguity: float | None = None,
    lo: int = 0,
    hi: int | None = None,
    frames=None,
) -> tuple[int, int]:
    """mmap a user buffer of the current process holding off+nbytes bytes; returns (va, npages)."""
    m = ddi.machine
    npages = (off + nbytes + m.pageoffset) >> m.pageshift
    va = ddi.curproc.as_.mmap(npages * m.pagesize, contiguity=contiguity, lo=lo, hi=hi, frames=frames)
    return va, npages
