"""ddi_umem_lock(9F), ddi_umem_unlock(9F), ddi_umem_iosetup(9F), freerbuf(9F), biodone(9F).

Also ddi_umem_alloc(9F) / ddi_umem_free(9F), so that kernel-memory cookies exist (devmap_umem_setup
takes them; ddi_umem_iosetup accepts KMEM_NON_PAGEABLE and rejects pageable/trash cookies).

Man-page contract by default; ``DDI(illumos=True)`` reproduces the illumos quirks of reference
section 16 (each one is an ``if self.illumos`` next to the sentence it departs from).

Model choices where the man page is silent (documented in docs/model_machine.md):
* ddi_umem_lock outside user context, or with no current process -> EINVAL.
* ddi_umem_lock with len == 0 -> EINVAL in man mode (no page to lock); illumos accepts it.
* ddi_umem_iosetup with DDI_UMEM_SLEEP from interrupt context -> NULL in both modes.
* A bad cookie/buf given to a void function (ddi_umem_unlock, freerbuf, biodone) is ignored and
  recorded in ``ddi.ignored_calls``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .constants import (
    B_BUSY,
    B_DONE,
    B_PHYS,
    B_READ,
    B_SHADOW,
    B_WRITE,
    DDI_UMEM_NOSLEEP,
    DDI_UMEM_PAGEABLE,
    DDI_UMEM_SLEEP,
    DDI_UMEM_TRASH,
    DDI_UMEMLOCK_READ,
    DDI_UMEMLOCK_WRITE,
    EACCES,
    EAGAIN,
    EFAULT,
    EINVAL,
    ENOMEM,
    KMEM_NON_PAGEABLE,
    KMEM_PAGEABLE,
    PROT_READ,
    PROT_WRITE,
    UMEM_LOCKED,
    UMEM_TRASH,
)
from .structs import buf_t

_U64 = (1 << 64) - 1


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


@dataclass(eq=False)
class ddi_umem_cookie:  # noqa: N801 - C name (struct ddi_umem_cookie)
    """The ddi_umem_cookie_t a driver holds: what was locked (or allocated) and for whom."""

    type: int                        # UMEM_LOCKED, KMEM_NON_PAGEABLE, KMEM_PAGEABLE, UMEM_TRASH
    size: int                        # bytes
    cvaddr: int                      # base virtual address
    procp: object = None             # owning Process (None: kernel memory)
    as_: object = None               # the address space cvaddr lives in
    pparray: np.ndarray | None = None  # physical address of each page (locked cookies)
    lock_flags: int = 0              # DDI_UMEMLOCK_READ / _WRITE as given (0 for kernel memory)
    live: bool = True                # False once unlocked/freed (or the unlock is queued)
    unlock_pending: bool = False     # unlocked from interrupt context, not yet executed
    blocks_fork_exec: bool = False
    frames: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64), repr=False)
    number: int = 0                  # the machine's count of cookies made: names it in reports
    locked_by: object = field(default=None, repr=False)   # the DDI (driver) that locked it

    @property
    def name(self) -> str:
        """How reports name the cookie: ``ddi_umem_cookie_t #N``."""
        return f"ddi_umem_cookie_t #{self.number}"

    @property
    def base(self) -> int:
        return self.cvaddr

    @property
    def owner(self):
        return self.procp


class UmemMixin:
    """ddi_umem_* entry points and the buf helpers, for :class:`pyddi_model.ddi.DDI`."""

    def _init_state(self):
        self._deferred_unlocks: list[ddi_umem_cookie] = []
        self._live_bufs: dict[int, buf_t] = {}
        self.ignored_calls: list[str] = []   # void entry points given bad input
        self.umem_iosetup_sleeps = 0          # DDI_UMEM_SLEEP calls that waited out a shortage

    # ----------------------------------------------------------------- ddi_umem_lock
    def ddi_umem_lock(self, addr, len, flags):  # noqa: A002 - C parameter name
        """ddi_umem_lock(9F): lock [addr, addr+len) of the current process; return (errno, cookie).

        "The ddi_umem_lock() function locks down the physical pages ... that correspond to the
        current process' virtual address range [addr, addr + size) and fills in a cookie".
        Returns (0, cookie) or (errno, None) with errno one of EFAULT, EACCES, ENOMEM, EAGAIN,
        EINVAL.
        """
        # "can only be called from user context" (model: EINVAL otherwise, no process too).
        if self.context != "user" or self.curproc is None or self.curproc.exited:
            return EINVAL, None
        if not (_is_int(addr) and _is_int(len) and _is_int(flags)):
            return EINVAL, None
        addr, length, flags = int(addr), int(len), int(flags)
        # "You must choose one (and only one) of these values." (illumos: READ|WRITE = WRITE.)
        if flags & ~(DDI_UMEMLOCK_READ | DDI_UMEMLOCK_WRITE) or not flags:
            return EINVAL, None
        if flags == DDI_UMEMLOCK_READ | DDI_UMEMLOCK_WRITE and not self.illumos:
            return EINVAL, None
        lock_write = bool(flags & DDI_UMEMLOCK_WRITE)
        m = self.machine
        # "The virtual address and length specified must be at a page boundary".
        if addr < 0 or length < 0 or addr & m.pageoffset or length & m.pageoffset:
            return EINVAL, None
        if length == 0 and not self.illumos:
            return EINVAL, None     # model choice: an empty range locks nothing
        proc = self.curproc
        # Project/zone max-locked-memory: the full length is charged per call, before locking.
        if proc.locked_limit is not None and proc.locked_bytes + length > proc.locked_limit:
            return ENOMEM, None
        as_ = proc.as_
        npages = length >> m.pageshift
        if length:
            if addr + length > as_.limit:
                return EFAULT, None
            prot = as_.range_prot(addr, length)
            if prot is None:
                return EFAULT, None          # part of the range is not mapped
            need = PROT_WRITE if lock_write else PROT_READ
            if not prot & need:
                return EACCES, None          # e.g. a write lock of a read-only mapping
        if m.faults.take("umem_lock_eagain"):
            return EAGAIN, None              # transient shortage (test-injected)
        paddrs = as_.page_paddrs(addr, npages)
        frames = paddrs >> m.pageshift
        m.pin_frames(frames)
        proc.locked_bytes += length
        m.umem_cookies_made += 1
        cookie = ddi_umem_cookie(
            type=UMEM_LOCKED, size=length, cvaddr=addr, procp=proc, as_=as_, pparray=paddrs,
            lock_flags=flags, frames=frames, number=m.umem_cookies_made, locked_by=self,
            # "The process is not allowed to exec(2) or fork(2) while its physical pages are
            # locked down" - enforced in man mode only (illumos does not enforce it).
            blocks_fork_exec=not self.illumos)
        proc.locks.append(cookie)
        if cookie.blocks_fork_exec:
            proc.fork_exec_blockers += 1
        return 0, cookie

    def ddi_umem_unlock(self, cookie) -> None:
        """ddi_umem_unlock(9F): unlock the pages of a ddi_umem_lock cookie.

        Callable "from user, kernel, and interrupt contexts". From interrupt context the unlock
        is deferred ("can defer unlocking of the pages to a later time") and runs when the
        driver leaves interrupt context (``_run_deferred``). The cookie is dead at once.
        """
        if not isinstance(cookie, ddi_umem_cookie) or cookie.type != UMEM_LOCKED:
            self.ignored_calls.append("ddi_umem_unlock: not a ddi_umem_lock cookie")
            return
        if not cookie.live:
            self.ignored_calls.append("ddi_umem_unlock: cookie already unlocked")
            return
        cookie.live = False
        if self.context == "interrupt":
            cookie.unlock_pending = True
            self._deferred_unlocks.append(cookie)
        else:
            self._do_unlock(cookie)

    def _do_unlock(self, cookie: ddi_umem_cookie) -> None:
        cookie.unlock_pending = False
        self.machine.unpin_frames(cookie.frames)
        proc = cookie.procp
        proc.locked_bytes -= cookie.size
        if cookie in proc.locks:
            proc.locks.remove(cookie)
        if cookie.blocks_fork_exec:
            proc.fork_exec_blockers -= 1

    def _run_deferred(self) -> None:
        """Execute the unlocks queued from interrupt context (called on leaving it)."""
        while self._deferred_unlocks:
            self._do_unlock(self._deferred_unlocks.pop(0))

    def umem_deferred_unlocks(self) -> int:
        """How many interrupt-context unlocks are still queued."""
        return len(self._deferred_unlocks)

    # ------------------------------------------------------- ddi_umem_alloc / free
    def ddi_umem_alloc(self, size, flag):
        """ddi_umem_alloc(9F): page-aligned zeroed kernel memory; return (kaddr, cookie).

        (None, None) on failure: size <= 0, unknown flag bits, NOSLEEP under the injected
        "umem_alloc" shortage, or SLEEP from interrupt context.
        """
        if not (_is_int(size) and _is_int(flag)) or size <= 0:
            return None, None
        size, flag = int(size), int(flag)
        if flag & ~(DDI_UMEM_NOSLEEP | DDI_UMEM_PAGEABLE | DDI_UMEM_TRASH):
            return None, None
        nosleep = bool(flag & DDI_UMEM_NOSLEEP)
        if not nosleep and self.context == "interrupt":
            return None, None
        m = self.machine
        if m.faults.take("umem_alloc") and nosleep:
            return None, None
        if flag & DDI_UMEM_TRASH:
            ctype = UMEM_TRASH
        elif flag & DDI_UMEM_PAGEABLE:
            ctype = KMEM_PAGEABLE
        else:
            ctype = KMEM_NON_PAGEABLE
        rounded = (size + m.pageoffset) & ~m.pageoffset
        if rounded > m.phys_bytes:
            return None, None
        try:
            kaddr = m.kas.mmap(rounded, PROT_READ | PROT_WRITE, pinned=ctype == KMEM_NON_PAGEABLE)
        except (MemoryError, ValueError):
            return None, None
        cookie = ddi_umem_cookie(type=ctype, size=rounded, cvaddr=kaddr, procp=None, as_=m.kas)
        return kaddr, cookie

    def ddi_umem_free(self, cookie) -> None:
        """ddi_umem_free(9F): release memory from ddi_umem_alloc."""
        if (not isinstance(cookie, ddi_umem_cookie) or cookie.type == UMEM_LOCKED
                or not cookie.live):
            self.ignored_calls.append("ddi_umem_free: not a live ddi_umem_alloc cookie")
            return
        cookie.live = False
        self.machine.kas.munmap(cookie.cvaddr, cookie.size)

    # ---------------------------------------------------------- ddi_umem_iosetup
    def ddi_umem_iosetup(self, cookie, off, len, direction, dev, blkno, iodone,  # noqa: A002
                         sleepflag):
        """ddi_umem_iosetup(9F): a buf(9S) for [off, off+len) of a locked cookie, or None (NULL).

        "The ddi_umem_iosetup(9F) function returns a pointer to the initialized buffer header,
        or NULL if no space is available." Fields as illumos fills them (reference section 13):
        b_flags = B_BUSY|B_PHYS|direction (+B_SHADOW with a page array), b_addr = base + off,
        b_shadow = page array + floor(off / PAGESIZE), b_proc = cookie owner.
        """
        if not isinstance(cookie, ddi_umem_cookie) or not cookie.live:
            return None
        # Pageable and trash ddi_umem_alloc cookies cannot be used for I/O.
        if cookie.type not in (UMEM_LOCKED, KMEM_NON_PAGEABLE):
            return None
        if not all(_is_int(v) for v in (off, len, direction, dev, blkno, sleepflag)):
            return None
        if iodone is not None and not callable(iodone):
            return None
        off, length, direction, sleepflag = int(off), int(len), int(direction), int(sleepflag)
        # "The direction parameter must be set to either B_READ or B_WRITE".
        if direction not in (B_READ, B_WRITE):
            return None
        if sleepflag not in (DDI_UMEM_SLEEP, DDI_UMEM_NOSLEEP):
            return None
        if length < 0 or length > cookie.size:
            return None
        if not -(1 << 63) <= off < 1 << 63:
            return None                      # not representable in the C off_t
        if self.illumos:
            # illumos compares (off + len) > size in unsigned arithmetic: a negative off wraps.
            if ((off & _U64) + length) & _U64 > cookie.size:
                return None
        elif off < 0 or off + length > cookie.size:
            return None
        # "The direction must be compatible with the flags used to create the memory cookie ...
        # if ddi_umem_lock() is called with the flags parameter set to DDI_UMEMLOCK_READ, the
        # direction parameter in ddi_umem_iosetup() should be set to B_WRITE." (not in illumos)
        if not self.illumos and cookie.type == UMEM_LOCKED:
            wanted = B_WRITE if cookie.lock_flags == DDI_UMEMLOCK_READ else B_READ
            if direction != wanted:
                return None
        # "If DDI_UMEM_SLEEP is set, ddi_umem_iosetup(9F) can be called from user and kernel
        # context only."
        if sleepflag == DDI_UMEM_SLEEP and self.context == "interrupt":
            return None
        if cookie.cvaddr + off < 0:
            return None                      # illumos wrap below address 0: nothing to map
        if self.machine.faults.take("buf_alloc"):
            # "DDI_UMEM_NOSLEEP allocations do not sleep but may fail (return NULL)";
            # "DDI_UMEM_SLEEP allocations may sleep but are guaranteed to succeed."
            if sleepflag == DDI_UMEM_NOSLEEP:
                return None
            self.umem_iosetup_sleeps += 1
        b_addr = cookie.cvaddr + off
        shadow = None
        if cookie.pparray is not None:
            shadow = self._shadow_for(cookie, off)
        bp = buf_t(
            b_flags=B_BUSY | B_PHYS | direction | (B_SHADOW if shadow is not None else 0),
            b_addr=b_addr, b_bcount=length, b_blkno=int(blkno), b_lblkno=int(blkno),
            b_iodone=iodone, b_resid=0, b_error=0, b_edev=int(dev), b_proc=cookie.procp,
            b_shadow=shadow, cookie=cookie)
        self._live_bufs[id(bp)] = bp
        return bp

    def _shadow_for(self, cookie: ddi_umem_cookie, off: int) -> np.ndarray:
        m = self.machine
        if off >= 0:
            return cookie.pparray[off >> m.pageshift:]
        # illumos wrap (negative off): C would index before the page array. The model puts the
        # current translation of the pages before the cookie there (they are NOT locked).
        first = (cookie.cvaddr + off) >> m.pageshift
        before = (cookie.cvaddr >> m.pageshift) - first
        return np.concatenate((cookie.as_.page_paddrs(first << m.pageshift, before),
                               cookie.pparray))

    def buf_is_live(self, bp) -> bool:
        """True for a buf returned by ddi_umem_iosetup and not yet given to freerbuf."""
        return id(bp) in self._live_bufs and self._live_bufs[id(bp)] is bp

    def freerbuf(self, bp) -> None:
        """freerbuf(9F): free a buf from ddi_umem_iosetup; the buf is invalid afterwards.

        "After the I/O has completed and the buffer structure is no longer needed, the driver
        calls freerbuf(9F) to free the buffer structure." The model clears the buf so that a
        use after free binds nothing.
        """
        if not self.buf_is_live(bp):
            self.ignored_calls.append("freerbuf: not a live ddi_umem_iosetup buf")
            return
        del self._live_bufs[id(bp)]
        bp.b_flags = 0
        bp.b_addr = 0
        bp.b_bcount = 0
        bp.b_shadow = None
        bp.b_proc = None
        bp.b_iodone = None
        bp.cookie = None
        bp._freed = True

    def biodone(self, bp) -> None:
        """biodone(9F): mark the I/O complete (B_DONE) and call the buf's b_iodone routine.

        illumos (bio.c) calls b_iodone *instead of* setting B_DONE when one is set. An
        exception raised by the driver's own b_iodone propagates (it is a driver bug).
        """
        if not isinstance(bp, buf_t) or getattr(bp, "_freed", False):
            self.ignored_calls.append("biodone: not a buf (or a freed one)")
            return
        iodone = bp.b_iodone
        if self.illumos and iodone is not None:
            iodone(bp)
            return
        bp.b_flags |= B_DONE
        if iodone is not None:
            iodone(bp)
