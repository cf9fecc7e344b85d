"""The simulated machine: physical memory, a frame allocator, address spaces and processes.

Everything the DDI entry points act on lives here:

* physical memory of ``phys_bytes`` bytes in frames of ``pagesize`` bytes (4096 by default,
  8192 works), stored sparsely (a numpy page per written frame; unwritten memory reads 0);
* a seeded frame allocator that scatters a mapping over physical memory with a controllable
  contiguity, optionally bounded to a physical address range (default: all memory, most of which
  lies above 4 GiB with the default 64 GiB);
* address spaces (:class:`AddressSpace`) with ``mmap`` (protections, holes between mappings,
  explicit frame placement for reproducible cases), ``munmap``, ``mprotect`` and vectorised
  translation (:meth:`AddressSpace.page_paddrs`);
* the kernel address space ``Machine.kas`` and user processes (:class:`Process`) with a
  locked-memory limit, ``fork()``, ``exec()``, ``open()``/``close()`` of a device and ``exit()``;
* driver bugs the model can see (:class:`DriverBug` in ``Machine.driver_bugs``): pages a driver
  still holds locked after the application has closed the device or exited;
* per-frame state used by the DDI model: reference counts, pin counts (ddi_umem_lock and kernel
  memory pin pages) and the AIX page state of xmemdma (hide count, modified bit, read-only
  storage key, pager I/O, waiting processes);
* fault injection (:class:`FaultInjector`) for transient shortages, and the processor-cache hook
  (``Machine.cache_hook``, see :mod:`pyddi_model.xmem`).

Platform options (keyword-only, also plain attributes): ``arch`` ("x86" or "sparc": devmap cache
attributes), ``pat_supported`` (x86 write-combining; without it UC_WR_COMBINE becomes UNCACHED) and
``cache_consistent`` (AIX platform whose DMA is cache coherent: xmemdma does no hide/unhide).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from .constants import EAGAIN, EBADF, PROT_EXEC, PROT_READ, PROT_USER, PROT_WRITE
from .xmem import RecordingCacheHook

USER_BASE = 0x0000_0000_1000_0000     # first address mmap hands out in a process
USER_LIMIT = 1 << 47                   # end of a process's address space (exclusive)
KERNEL_BASE = 0x7FFF_0000_0000_0000   # kernel heap (kept below 2**63 so int64 never overflows)
KERNEL_LIMIT = 1 << 63

PROT_MASK = PROT_READ | PROT_WRITE | PROT_EXEC | PROT_USER

# Names the model's entry points consult; arming any other name is a test bug (typo).
KNOWN_FAULTS = {
    "umem_lock_eagain",   # ddi_umem_lock -> EAGAIN (transient shortage)
    "buf_alloc",          # ddi_umem_iosetup(DDI_UMEM_NOSLEEP) -> NULL; SLEEP waits it out
    "dma_handle_alloc",   # ddi_dma_alloc_handle -> NORESOURCES
    "dma_resources",      # ddi_dma_*_bind_handle -> NORESOURCES
    "copybuf_alloc",      # copy (bounce) buffer allocation -> NORESOURCES
    "umem_alloc",         # ddi_umem_alloc(DDI_UMEM_NOSLEEP) -> NULL
}


class AddressError(ValueError):
    """A CPU-side access (AddressSpace.read/write) touched an unmapped page."""


# xmemdma64 (AIX), the rule AddressSpace.read/write hold processor accesses to.
HIDDEN_PAGE_RULE = ("xmemdma64: \"The page is made not valid during DMA operations so that it is not "
                    "addressable with any virtual address.\"")


class PageHiddenError(AddressError):
    """A processor access (AddressSpace.read/write) touched a page hidden by xmemdma64.

    ``vaddr`` is the first byte of the access inside the hidden page, ``paddr`` that page's
    physical address, ``count`` its outstanding hides.
    """

    def __init__(self, vaddr: int, paddr: int, count: int):
        self.vaddr, self.paddr, self.count = vaddr, paddr, count
        super().__init__(f"processor access at {vaddr:#x} refused: its page {paddr:#x} is hidden for "
                         f"DMA ({count} hide(s) outstanding); {HIDDEN_PAGE_RULE}")


# ddi_umem_lock(9F), the rule Process.close/exit hold drivers to.
UMEM_CLOSE_RULE = ("ddi_umem_lock(9F): \"The device driver must ensure that the physical pages have "
                   "been unlocked after the application has called close(2).\"")


@dataclass(frozen=True)
class DriverBug:
    """A rule of the man pages that a driver broke, found by the model (``Machine.driver_bugs``).

    ``kind`` names the rule ("umem_lock_leak"); ``cookie`` is the driver's handle on what leaked
    (a ddi_umem_cookie_t); ``pages`` the physical page addresses concerned; ``message`` one line
    that names the cookie and quotes the man page.
    """

    kind: str
    message: str
    pid: int
    cookie: object = None
    pages: tuple = ()


class DriverBugError(AssertionError):
    """Raised by :meth:`Machine.check_driver_bugs` when the model recorded a driver bug."""


@dataclass(eq=False)
class OpenFile:
    """An open(2) descriptor of a device: the DDI its driver calls and the driver's close(9E)."""

    fd: int
    driver: object                                 # the DDI the device's driver calls
    close: Callable[["Process"], object] | None    # close(9E), called with the process


class FaultInjector:
    """Transient shortages that a test arms and the model consumes.

    ``arm(name, times)`` makes the next ``times`` calls of ``take(name)`` return True; each True is
    one failed allocation at the point of the model that consults ``name``.
    """

    def __init__(self):
        self._armed: dict[str, int] = {}
        self.taken: dict[str, int] = {}   # how many times each fault actually fired

    def arm(self, name: str, times: int = 1) -> None:
        if name not in KNOWN_FAULTS:
            raise ValueError(f"unknown fault {name!r}; known: {sorted(KNOWN_FAULTS)}")
        if not isinstance(times, int) or times < 0:
            raise ValueError("times must be an int >= 0")
        self._armed[name] = self._armed.get(name, 0) + times

    def disarm(self, name: str | None = None) -> None:
        if name is None:
            self._armed.clear()
        else:
            self._armed.pop(name, None)

    def pending(self, name: str) -> int:
        return self._armed.get(name, 0)

    def take(self, name: str) -> bool:
        left = self._armed.get(name, 0)
        if left <= 0:
            return False
        self._armed[name] = left - 1
        self.taken[name] = self.taken.get(name, 0) + 1
        return True


@dataclass
class Mapping:
    """One contiguous run of virtual pages with one protection."""

    vpn: int                 # first virtual page number
    frames: np.ndarray       # int64 frame number of each page
    prot: int
    pinned: bool             # its frames hold a pin (kernel memory)

    @property
    def npages(self) -> int:
        return len(self.frames)

    @property
    def end(self) -> int:    # first vpn after the mapping
        return self.vpn + len(self.frames)


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


class AddressSpace:
    """A virtual address space: the kernel's (``Machine.kas``) or a process's (``Process.as_``)."""

    def __init__(self, machine: "Machine", *, kernel: bool, owner: "Process | None" = None):
        self.machine = machine
        self.is_kernel = kernel
        self.owner = owner
        self.base = KERNEL_BASE if kernel else USER_BASE
        self.limit = KERNEL_LIMIT if kernel else USER_LIMIT
        self._maps: list[Mapping] = []      # sorted by vpn, never overlapping
        self._starts: list[int] = []        # vpn of each mapping, for bisect
        self._next_vpn = self.base >> machine.pageshift

    # ----------------------------------------------------------------- mapping management
    def mmap(self, length: int, prot: int = PROT_READ | PROT_WRITE, addr: int | None = None,
             frames: Iterable[int] | None = None, contiguity: float | None = None,
             lo: int = 0, hi: int | None = None, pinned: bool | None = None) -> int:
        """Map ``length`` bytes (rounded up to pages) and return the page-aligned address.

        ``addr`` places the mapping (page aligned, must not overlap another mapping); otherwise the
        next free address is used, leaving an unmapped one-page hole after the previous mapping.
        ``frames`` places the pages on the given frame numbers (one per page, may be shared with
        other mappings); otherwise frames come from :meth:`Machine.alloc_frames` with
        ``contiguity``, ``lo`` and ``hi``. ``pinned`` defaults to True for the kernel (kernel
        memory is never paged) and False for processes.
        """
        m = self.machine
        if not _is_int(length) or length <= 0:
            raise ValueError("mmap length must be a positive int")
        if not _is_int(prot) or prot & ~PROT_MASK:
            raise ValueError(f"bad protection {prot!r}")
        npages = (int(length) + m.pageoffset) >> m.pageshift
        if addr is None:
            vpn = self._next_vpn
        else:
            if not _is_int(addr) or addr & m.pageoffset:
                raise ValueError("mmap addr must be page aligned")
            vpn = int(addr) >> m.pageshift
        if vpn < (self.base >> m.pageshift) or (vpn + npages) << m.pageshift > self.limit:
            raise ValueError("mapping outside the address space")
        if self._overlaps(vpn, vpn + npages):
            raise ValueError("mapping overlaps an existing mapping")
        if frames is not None:
            frame_arr = np.asarray(list(frames) if not isinstance(frames, np.ndarray) else frames,
                                   dtype=np.int64)
            if frame_arr.ndim != 1 or len(frame_arr) != npages:
                raise ValueError(f"frames must list exactly {npages} frame numbers")
            m.hold_frames(frame_arr)
        else:
            frame_arr = m.alloc_frames(npages, contiguity=contiguity, lo=lo, hi=hi)
        if pinned is None:
            pinned = self.is_kernel
        if pinned:
            m.pin_frames(frame_arr)
        self._insert(Mapping(vpn, frame_arr, int(prot), bool(pinned)))
        if addr is None:
            self._next_vpn = vpn + npages + 1   # +1: an unmapped hole between mappings
        return vpn << m.pageshift

    def munmap(self, addr: int, length: int) -> None:
        """Unmap every page of [addr, addr+length) (unmapped pages in the range are ignored).

        Frames are released; a frame locked by ddi_umem_lock stays allocated until unlocked.
        """
        m = self.machine
        if not _is_int(addr) or addr & m.pageoffset or not _is_int(length) or length <= 0:
            raise ValueError("munmap needs a page-aligned addr and a positive length")
        v0 = int(addr) >> m.pageshift
        v1 = (int(addr) + int(length) + m.pageoffset) >> m.pageshift
        for mp, lo, hi in self._split_range(v0, v1):
            gone = mp.frames[lo - mp.vpn:hi - mp.vpn]
            if mp.pinned:
                m.unpin_frames(gone)
            m.free_frames(gone)
            self._remove(mp)

    def mprotect(self, addr: int, length: int, prot: int) -> None:
        """Change the protection of [addr, addr+length); every page must be mapped."""
        m = self.machine
        if not _is_int(addr) or addr & m.pageoffset or not _is_int(length) or length <= 0:
            raise ValueError("mprotect needs a page-aligned addr and a positive length")
        if not _is_int(prot) or prot & ~PROT_MASK:
            raise ValueError(f"bad protection {prot!r}")
        if not self.is_mapped(addr, length):
            raise AddressError("mprotect on an unmapped range")
        v0 = int(addr) >> m.pageshift
        v1 = (int(addr) + int(length) + m.pageoffset) >> m.pageshift
        for mp, _lo, _hi in self._split_range(v0, v1):
            mp.prot = int(prot)

    # ---------------------------------------------------------------------- queries
    def mappings(self) -> list[tuple[int, int, int]]:
        """(vaddr, length, prot) of every mapping, in address order."""
        s = self.machine.pageshift
        return [(mp.vpn << s, mp.npages << s, mp.prot) for mp in self._maps]

    def prot_of(self, vaddr: int) -> int | None:
        """Protection of the page holding ``vaddr``, or None if it is unmapped."""
        mp = self._find(vaddr)
        return None if mp is None else mp.prot

    def is_mapped(self, vaddr: int, length: int) -> bool:
        """True when every page touched by [vaddr, vaddr+length) is mapped (length > 0)."""
        return self.range_prot(vaddr, length) is not None

    def range_prot(self, vaddr: int, length: int) -> int | None:
        """AND of the protections of every page of [vaddr, vaddr+length); None if any hole.

        Works on the mapping list, never on per-page arrays, so a huge bogus length is cheap.
        """
        m = self.machine
        if not _is_int(vaddr) or not _is_int(length) or vaddr < 0 or length <= 0:
            return None
        v0 = int(vaddr) >> m.pageshift
        v1 = (int(vaddr) + int(length) + m.pageoffset) >> m.pageshift
        prot = PROT_MASK
        expect = v0
        for mp in self._overlapping(v0, v1):
            if mp.vpn > expect:
                return None
            prot &= mp.prot
            expect = mp.end
            if expect >= v1:
                return prot
        return None

    def page_paddrs(self, vaddr: int, npages: int) -> np.ndarray:
        """Physical address of each of ``npages`` pages from the page holding ``vaddr``; -1 = hole.

        Vectorised per mapping: a 1 GiB buffer (262144 pages of 4 KiB) translates in milliseconds.
        """
        m = self.machine
        if not _is_int(vaddr) or not _is_int(npages) or vaddr < 0 or npages < 0:
            raise ValueError("page_paddrs needs vaddr >= 0 and npages >= 0")
        if npages > (1 << 32):
            raise ValueError("page_paddrs: npages too large")
        out = np.full(int(npages), -1, dtype=np.int64)
        v0 = int(vaddr) >> m.pageshift
        v1 = v0 + int(npages)
        for mp in self._overlapping(v0, v1):
            lo, hi = max(v0, mp.vpn), min(v1, mp.end)
            out[lo - v0:hi - v0] = mp.frames[lo - mp.vpn:hi - mp.vpn] << m.pageshift
        return out

    def vtop(self, vaddr: int) -> int:
        """Physical address of the byte at ``vaddr``, or -1 if its page is unmapped."""
        p = int(self.page_paddrs(vaddr, 1)[0])
        return -1 if p < 0 else p | (int(vaddr) & self.machine.pageoffset)

    # ------------------------------------------------------------- CPU-side access
    def read(self, vaddr: int, n: int) -> bytes:
        """A processor load of ``n`` bytes (protections not applied, as a loader's or debugger's).

        A hole raises :class:`AddressError`. A page hidden by xmemdma64 raises
        :class:`PageHiddenError` and nothing is read: "The page is made not valid during DMA
        operations so that it is not addressable with any virtual address. It prevents any process
        from reading or loading any part of the page into the cache during the DMA operation."
        (:meth:`read_when_valid` waits instead; ``Machine.read_phys`` is the device's view.)
        """
        return b"".join(self.machine.read_phys(pa, ln) for pa, ln in self._chunks(vaddr, n))

    def write(self, vaddr: int, data: bytes) -> None:
        """A processor store of ``data`` (protections not applied, as a loader's or debugger's).

        Refused like :meth:`read` (holes, hidden pages: nothing is written); :meth:`write_when_valid`
        waits instead.
        """
        view = memoryview(bytes(data))
        pos = 0
        for pa, ln in self._chunks(vaddr, len(view)):
            self.machine.write_phys(pa, view[pos:pos + ln])
            pos += ln

    def read_when_valid(self, vaddr: int, n: int, done: Callable[[bytes], object]) -> bool:
        """A processor load that waits on a hidden page instead of being refused.

        Served at once when no page of the range is hidden: ``done(data)`` is called and True
        returned. Otherwise the process waits on the hidden page (``Machine.add_page_waiter``) and
        False is returned; xmemdma64's last unhide "Any processes that is waiting on the page are
        readied" retries the load (which may wait again on another hidden page of the range).
        """
        return self._when_valid(lambda: self.read(vaddr, n), done)

    def write_when_valid(self, vaddr: int, data: bytes,
                         done: Callable[[None], object] | None = None) -> bool:
        """A processor store that waits on a hidden page (as :meth:`read_when_valid`); nothing is
        written before every page of the range is valid. ``done(None)`` follows the store."""
        data = bytes(data)
        return self._when_valid(lambda: self.write(vaddr, data), done or (lambda _r: None))

    def _when_valid(self, access: Callable[[], object], done: Callable[[object], object]) -> bool:
        try:
            result = access()
        except PageHiddenError as hidden:
            self.machine.add_page_waiter(hidden.paddr, lambda _page: self._when_valid(access, done))
            return False
        done(result)
        return True

    def _chunks(self, vaddr: int, n: int):
        m = self.machine
        if not _is_int(vaddr) or not _is_int(n) or vaddr < 0 or n < 0:
            raise ValueError("bad address or length")
        if n == 0:
            return []
        first = int(vaddr) >> m.pageshift
        last = (int(vaddr) + int(n) - 1) >> m.pageshift
        paddrs = self.page_paddrs(int(vaddr), last - first + 1)
        if (paddrs < 0).any():
            raise AddressError(f"access to unmapped memory in [{vaddr:#x}, {vaddr + n:#x})")
        if m._hide:                      # xmemdma64: a hidden page has no valid virtual address
            for i, pa in enumerate(paddrs.tolist()):
                count = m._hide.get(pa >> m.pageshift, 0)
                if count:
                    va = max(int(vaddr), (first + i) << m.pageshift)
                    raise PageHiddenError(va, pa, count)
        chunks = []
        pos, left = int(vaddr), int(n)
        for pa in paddrs:
            in_page = pos & m.pageoffset
            ln = min(left, m.pagesize - in_page)
            chunks.append((int(pa) + in_page, ln))
            pos += ln
            left -= ln
        return chunks

    # ------------------------------------------------------------------- internals
    def _find(self, vaddr) -> Mapping | None:
        if not _is_int(vaddr) or vaddr < 0:
            return None
        vpn = int(vaddr) >> self.machine.pageshift
        i = bisect.bisect_right(self._starts, vpn) - 1
        if i >= 0 and self._maps[i].vpn <= vpn < self._maps[i].end:
            return self._maps[i]
        return None

    def _overlapping(self, v0: int, v1: int):
        i = max(bisect.bisect_right(self._starts, v0) - 1, 0)
        while i < len(self._maps) and self._maps[i].vpn < v1:
            if self._maps[i].end > v0:
                yield self._maps[i]
            i += 1

    def _overlaps(self, v0: int, v1: int) -> bool:
        return next(self._overlapping(v0, v1), None) is not None

    def _insert(self, mp: Mapping) -> None:
        i = bisect.bisect_left(self._starts, mp.vpn)
        self._starts.insert(i, mp.vpn)
        self._maps.insert(i, mp)

    def _remove(self, mp: Mapping) -> None:
        i = self._maps.index(mp)
        del self._maps[i]
        del self._starts[i]

    def _split_range(self, v0: int, v1: int) -> list[tuple[Mapping, int, int]]:
        """Split mappings at v0 and v1; return the (mapping, lo, hi) pieces inside [v0, v1)."""
        for cut in (v0, v1):
            for mp in list(self._overlapping(cut, cut + 1)):
                if mp.vpn < cut < mp.end:
                    k = cut - mp.vpn
                    self._remove(mp)
                    self._insert(Mapping(mp.vpn, mp.frames[:k].copy(), mp.prot, mp.pinned))
                    self._insert(Mapping(cut, mp.frames[k:].copy(), mp.prot, mp.pinned))
        return [(mp, mp.vpn, mp.end) for mp in list(self._overlapping(v0, v1))]


class Process:
    """A user process: an address space, a locked-memory limit and the pages locked for it.

    ``locked_limit`` (bytes, None = unlimited) models the project/zone max-locked-memory resource
    control that ddi_umem_lock charges (ENOMEM when exceeded).
    """

    def __init__(self, machine: "Machine", pid: int, locked_limit: int | None):
        self.machine = machine
        self.pid = pid
        self.as_ = AddressSpace(machine, kernel=False, owner=self)
        self.locked_bytes = 0
        self.locked_limit = locked_limit
        self.locks: list = []            # live ddi_umem_lock cookies owned by this process
        self.fork_exec_blockers = 0      # locks that forbid fork/exec (man-page mode)
        self.children: list[Process] = []
        self.execs = 0
        self.files: dict[int, OpenFile] = {}   # open device descriptors
        self._next_fd = 3                      # 0..2: stdin, stdout, stderr
        self.exited = False

    # ------------------------------------------------- devices: open(2), close(2), exit(2)
    def open(self, driver, close: Callable[["Process"], object] | None = None) -> int:
        """open(2) of a device: return a new descriptor (>= 3).

        ``driver`` is the DDI through which the device's driver locks this process's pages
        (cookies from its ``ddi_umem_lock`` are the ones :meth:`close` checks); ``close`` is the
        driver's close(9E) routine, called as ``close(process)`` when the process closes its last
        descriptor of the device. A process that has exited cannot open (ValueError).
        """
        if self.exited:
            raise ValueError(f"pid {self.pid} has exited: it cannot open(2)")
        if close is not None and not callable(close):
            raise ValueError("close must be the driver's close(9E) routine (a callable) or None")
        fd = self._next_fd
        self._next_fd += 1
        self.files[fd] = OpenFile(fd, driver, close)
        return fd

    def close(self, fd) -> int:
        """close(2): 0, or EBADF when ``fd`` is not an open descriptor of this process.

        On the process's last descriptor of the device, the driver's close(9E) runs; afterwards
        every page the driver still holds locked for this process is a driver bug:
        ddi_umem_lock(9F): "The device driver must ensure that the physical pages have been
        unlocked after the application has called close(2)." Each leaked cookie is recorded once
        in ``machine.driver_bugs`` (naming the cookie); the pages stay locked, as they would on a
        real system. An unlock queued from interrupt context counts as done (the man page: it
        "can defer unlocking of the pages to a later time"). close(2) itself succeeds.
        """
        if not _is_int(fd) or int(fd) not in self.files:
            return EBADF
        f = self.files.pop(int(fd))
        if any(other.driver is f.driver for other in self.files.values()):
            return 0                       # not the last close of the device: close(9E) waits
        if f.close is not None:
            f.close(self)
        self.machine.report_umem_leaks(self, f"close(2) of fd {f.fd}", driver=f.driver)
        return 0

    def exit(self) -> None:
        """exit(2): close every descriptor, report pages still locked, empty the address space.

        exit closes every open descriptor (each device's close(9E) runs, as in :meth:`close`);
        then any page still locked for the process, by any driver (also one the process never
        opened through the model), is a driver bug under the same ddi_umem_lock(9F) sentence as
        :meth:`close`. The address space is unmapped; leaked locked frames stay allocated.
        """
        if self.exited:
            raise ValueError(f"pid {self.pid} has already exited")
        for fd in sorted(self.files):
            self.close(fd)
        self.machine.report_umem_leaks(self, "exit(2)")
        for va, length, _prot in self.as_.mappings():
            self.as_.munmap(va, length)
        self.exited = True

    def fork(self) -> int:
        """fork(2): 0 on success (child appended to ``children``), EAGAIN while pages are locked.

        ddi_umem_lock(9F): "The process is not allowed to exec(2) or fork(2) while its physical
        pages are locked down by the device driver." The model reports EAGAIN (resource
        temporarily unavailable: retry after the driver unlocks). The child gets a private copy of
        every mapping (same layout and protections, new frames, same contents).
        """
        if self.fork_exec_blockers:
            return EAGAIN
        child = self.machine.new_process(locked_limit=self.locked_limit)
        m = self.machine
        for mp in self.as_._maps:
            va = mp.vpn << m.pageshift
            child.as_.mmap(mp.npages << m.pageshift, mp.prot, addr=va)
            child_frames = child.as_._find(va).frames
            # Copy only pages that hold data: never-written pages read as zeros anyway.
            for i, frame in enumerate(mp.frames.tolist()):
                page = m._pages.get(frame)
                if page is not None:
                    m._pages[int(child_frames[i])] = page.copy()
        child.as_._next_vpn = self.as_._next_vpn
        self.children.append(child)
        return 0

    def exec(self) -> int:
        """exec(2): 0 on success (address space emptied), EAGAIN while pages are locked.

        Same man-page sentence as :meth:`fork`; EAGAIN is the model's documented choice.
        """
        if self.fork_exec_blockers:
            return EAGAIN
        for va, length, _prot in self.as_.mappings():
            self.as_.munmap(va, length)
        self.as_._next_vpn = USER_BASE >> self.machine.pageshift
        self.execs += 1
        return 0


class Machine:
    """Physical memory, frame allocator, kernel address space, processes, page state."""

    def __init__(self, pagesize: int = 4096, phys_bytes: int = 1 << 36, seed: int = 0,
                 contiguity: float = 0.0, locked_limit: int | None = None, *,
                 arch: str = "x86", pat_supported: bool = True, cache_consistent: bool = False):
        if not _is_int(pagesize) or pagesize < 512 or pagesize & (pagesize - 1):
            raise ValueError("pagesize must be a power of two >= 512")
        if not _is_int(phys_bytes) or phys_bytes < 2 * pagesize or phys_bytes % pagesize:
            raise ValueError("phys_bytes must be a multiple of pagesize holding at least 2 frames")
        _check_contiguity(contiguity)
        if arch not in ("x86", "sparc"):
            raise ValueError("arch must be 'x86' or 'sparc'")
        self.pagesize = int(pagesize)
        self.pageshift = self.pagesize.bit_length() - 1
        self.pageoffset = self.pagesize - 1
        self.phys_bytes = int(phys_bytes)
        self.nframes = self.phys_bytes >> self.pageshift
        self.seed = seed
        self.contiguity = float(contiguity)
        self.locked_limit = locked_limit
        self.arch = arch
        self.pat_supported = pat_supported
        self.cache_consistent = cache_consistent
        self.rng = np.random.default_rng(seed)
        self.faults = FaultInjector()
        self.cache_hook = RecordingCacheHook()
        # np.zeros of this size is lazily backed by the OS: untouched frames cost nothing.
        self._refcnt = np.zeros(self.nframes, dtype=np.int32)
        self._pincnt = np.zeros(self.nframes, dtype=np.int32)
        self._refcnt[0] = 1            # frame 0 is reserved (never handed out by the allocator)
        self._pages: dict[int, np.ndarray] = {}
        # AIX page state (xmemdma): sparse, keyed by frame number.
        self._hide: dict[int, int] = {}
        self._modified: set[int] = set()
        self._ro_storage_key: set[int] = set()
        self._pager_io: set[int] = set()
        self._waiters: dict[int, list[Callable[[int], object]]] = {}
        self._dr_nonremovable: set[int] = set()
        self._next_pid = 100
        self.processes: list[Process] = []
        self.driver_bugs: list[DriverBug] = []
        self._reported_cookies: set[int] = set()   # id() of cookies already reported as leaked
        self.umem_cookies_made = 0                 # numbers ddi_umem cookies (#1, #2, ...)
        self.kas = AddressSpace(self, kernel=True)

    # ------------------------------------------------------------------ processes
    def new_process(self, locked_limit: int | None = None) -> Process:
        """A new process; ``locked_limit`` defaults to the machine's ``locked_limit``."""
        if locked_limit is None:
            locked_limit = self.locked_limit
        proc = Process(self, self._next_pid, locked_limit)
        self._next_pid += 1
        self.processes.append(proc)
        return proc

    # --------------------------------------------------------------- driver bugs
    def report_umem_leaks(self, proc: Process, event: str, driver=None) -> list[DriverBug]:
        """Record every live ddi_umem_lock cookie of ``proc`` (of ``driver`` only, when given) as a
        driver bug after ``event``; each cookie is reported once. Returns the new records."""
        new = []
        for cookie in list(proc.locks):
            if not cookie.live or id(cookie) in self._reported_cookies:
                continue
            if driver is not None and getattr(cookie, "locked_by", None) is not driver:
                continue
            self._reported_cookies.add(id(cookie))
            pages = tuple(int(p) for p in cookie.pparray) if cookie.pparray is not None else ()
            first = f", first page {pages[0]:#x}" if pages else ""
            msg = (f"driver bug: {cookie.name} (locked {cookie.size} bytes = {len(pages)} pages at "
                   f"{cookie.cvaddr:#x} of pid {proc.pid}{first}) is still locked after {event}; "
                   f"{UMEM_CLOSE_RULE}")
            new.append(DriverBug("umem_lock_leak", msg, proc.pid, cookie, pages))
        self.driver_bugs += new
        return new

    def check_driver_bugs(self) -> None:
        """Raise :class:`DriverBugError` listing every recorded driver bug (none: return)."""
        if self.driver_bugs:
            raise DriverBugError("\n".join(b.message for b in self.driver_bugs))

    # ------------------------------------------------------------------- frames
    def alloc_frames(self, n: int, *, contiguity: float | None = None, lo: int = 0,
                     hi: int | None = None) -> np.ndarray:
        """Allocate ``n`` free frames; return their frame numbers (int64) in mapping order.

        ``contiguity`` (default: the machine's) is the probability that each frame directly follows
        the previous one; runs are placed at seeded random positions. ``lo``/``hi`` bound the
        physical address range [lo, hi] (inclusive; hi None = end of memory): every returned frame
        lies entirely inside it. Raises MemoryError when not enough free frames exist there.
        """
        if not _is_int(n) or n < 0:
            raise ValueError("n must be an int >= 0")
        c = self.contiguity if contiguity is None else contiguity
        _check_contiguity(c)
        lo_f, hi_f = self._frame_bounds(lo, hi)
        n = int(n)
        if n == 0:
            return np.empty(0, dtype=np.int64)
        span = hi_f - lo_f + 1
        if n > span:
            raise MemoryError(f"{n} frames requested, the range holds {span}")
        follow = self.rng.random(n - 1) < c
        starts_idx = np.flatnonzero(np.concatenate(([True], ~follow)))
        lens = np.diff(np.append(starts_idx, n))
        result = np.empty(n, dtype=np.int64)
        placed_runs = np.zeros(len(starts_idx), dtype=bool)
        claimed: list[np.ndarray] = []
        pending = np.flatnonzero(lens <= span)
        for _attempt in range(12):
            if len(pending) == 0:
                break
            plens = lens[pending]
            starts = lo_f + (self.rng.random(len(pending)) * (span - plens + 1)).astype(np.int64)
            offs = np.arange(int(plens.sum()), dtype=np.int64) - np.repeat(np.cumsum(plens) - plens, plens)
            frames = np.repeat(starts, plens) + offs
            run_of = np.repeat(np.arange(len(pending)), plens)
            bad = self._refcnt[frames] != 0
            _uniq, inverse, counts = np.unique(frames, return_inverse=True, return_counts=True)
            bad |= counts[inverse] > 1
            bad_runs = np.zeros(len(pending), dtype=bool)
            bad_runs[run_of[bad]] = True
            good = ~bad_runs[run_of]
            self._refcnt[frames[good]] += 1
            claimed.append(frames[good])
            slots = np.repeat(starts_idx[pending], plens) + offs
            result[slots[good]] = frames[good]
            placed_runs[pending[~bad_runs]] = True
            pending = pending[bad_runs]
        # Runs still unplaced (memory nearly full in [lo, hi], or a run longer than the range)
        # fall back to any free frames of the range, scattered.
        missing_slots = ~np.repeat(placed_runs, lens)
        missing = int(missing_slots.sum())
        if missing:
            free = lo_f + np.flatnonzero(self._refcnt[lo_f:hi_f + 1] == 0)
            if len(free) < missing:
                for arr in claimed:
                    self._refcnt[arr] -= 1
                raise MemoryError(f"only {len(free)} free frames in the range, {missing} needed")
            pick = self.rng.choice(free, size=missing, replace=False)
            self._refcnt[pick] += 1
            result[missing_slots] = pick
        return result

    def hold_frames(self, frames) -> None:
        """Take a reference on explicit frames (mmap(frames=...)): they may be shared."""
        arr = np.asarray(frames, dtype=np.int64)
        if len(arr) and (arr.min() < 0 or arr.max() >= self.nframes):
            raise ValueError("frame number outside physical memory")
        _bump(self._refcnt, arr, 1)

    def free_frames(self, frames) -> None:
        """Drop one reference on each frame; a frame with no reference left is free (reads 0)."""
        arr = np.asarray(frames, dtype=np.int64)
        if len(arr) == 0:
            return
        if arr.min() < 0 or arr.max() >= self.nframes:
            raise ValueError("frame number outside physical memory")
        _bump(self._refcnt, arr, -1)
        if (self._refcnt[arr] < 0).any():
            _bump(self._refcnt, arr, 1)
            raise ValueError("freeing a frame that is not allocated")
        for f in arr[self._refcnt[arr] == 0]:
            self._pages.pop(int(f), None)

    def pin_frames(self, frames) -> None:
        """Pin frames (ddi_umem_lock, kernel memory): a pin also holds a reference."""
        arr = np.asarray(frames, dtype=np.int64)
        _bump(self._pincnt, arr, 1)
        _bump(self._refcnt, arr, 1)

    def unpin_frames(self, frames) -> None:
        arr = np.asarray(frames, dtype=np.int64)
        _bump(self._pincnt, arr, -1)
        self.free_frames(arr)

    def frames_are_free(self, first: int, n: int) -> bool:
        """True when the ``n`` frames from frame ``first`` exist and nobody holds any of them."""
        if not (_is_int(first) and _is_int(n)) or first < 0 or n < 0 or first + n > self.nframes:
            return False
        return not self._refcnt[int(first):int(first) + int(n)].any()

    def frame_refcount(self, frame: int) -> int:
        return int(self._refcnt[int(frame)])

    def is_pinned(self, paddr: int) -> bool:
        f = self._frame_of(paddr)
        return f is not None and self._pincnt[f] > 0

    def is_allocated(self, paddr: int) -> bool:
        f = self._frame_of(paddr)
        return f is not None and self._refcnt[f] > 0

    def _frame_bounds(self, lo, hi) -> tuple[int, int]:
        if not _is_int(lo) or lo < 0 or (hi is not None and (not _is_int(hi) or hi < lo)):
            raise ValueError("need 0 <= lo <= hi")
        lo_f = (int(lo) + self.pageoffset) >> self.pageshift
        top = self.phys_bytes - 1 if hi is None else min(int(hi), self.phys_bytes - 1)
        hi_f = ((top + 1) >> self.pageshift) - 1
        if hi_f < lo_f:
            raise MemoryError("no whole frame inside [lo, hi]")
        return lo_f, hi_f

    def _frame_of(self, paddr) -> int | None:
        if not _is_int(paddr) or paddr < 0 or paddr >= self.phys_bytes:
            return None
        return int(paddr) >> self.pageshift

    # ----------------------------------------------------------- physical memory
    def read_phys(self, paddr: int, n: int) -> bytes:
        """Read ``n`` bytes of physical memory (never-written memory reads as zeros)."""
        self._check_phys(paddr, n)
        out = bytearray(int(n))
        pos, done = int(paddr), 0
        while done < n:
            f, in_page = pos >> self.pageshift, pos & self.pageoffset
            ln = min(int(n) - done, self.pagesize - in_page)
            page = self._pages.get(f)
            if page is not None:
                out[done:done + ln] = page[in_page:in_page + ln].tobytes()
            pos += ln
            done += ln
        return bytes(out)

    def write_phys(self, paddr: int, data) -> None:
        """Write bytes to physical memory."""
        view = memoryview(bytes(data))
        self._check_phys(paddr, len(view))
        pos, done, n = int(paddr), 0, len(view)
        while done < n:
            f, in_page = pos >> self.pageshift, pos & self.pageoffset
            ln = min(n - done, self.pagesize - in_page)
            page = self._pages.get(f)
            if page is None:
                page = self._pages[f] = np.zeros(self.pagesize, dtype=np.uint8)
            page[in_page:in_page + ln] = np.frombuffer(view[done:done + ln], dtype=np.uint8)
            pos += ln
            done += ln

    def _check_phys(self, paddr, n) -> None:
        if not _is_int(paddr) or not _is_int(n) or paddr < 0 or n < 0 or paddr + n > self.phys_bytes:
            raise ValueError(f"physical range outside memory: {paddr!r}+{n!r}")

    # ------------------------------------------------------- AIX page state (xmem)
    def hide_count(self, paddr: int) -> int:
        """How many xmemdma hides are outstanding on the page holding ``paddr``."""
        f = self._frame_of(paddr)
        return 0 if f is None else self._hide.get(f, 0)

    def is_hidden(self, paddr: int) -> bool:
        return self.hide_count(paddr) > 0

    def hidden_pages(self) -> list[int]:
        """Physical addresses of every page with an xmemdma hide outstanding, in address order."""
        return sorted(f << self.pageshift for f, n in self._hide.items() if n > 0)

    def is_modified(self, paddr: int) -> bool:
        """The page's modified (changed) bit, as set by the last unhide."""
        f = self._frame_of(paddr)
        return f is not None and f in self._modified

    def clear_modified(self, paddr: int) -> None:
        f = self._frame_of(paddr)
        if f is not None:
            self._modified.discard(f)

    def set_readonly_storage_key(self, paddr: int, readonly: bool = True) -> None:
        """Give the page a read-only storage key (the last unhide then leaves it unmodified)."""
        self._set_flag(self._ro_storage_key, paddr, readonly)

    def set_pager_io(self, paddr: int, in_pager_io: bool = True) -> None:
        """Put the page in (or out of) pager I/O state (no wake-ups, no modified bit on unhide)."""
        self._set_flag(self._pager_io, paddr, in_pager_io)

    def in_pager_io(self, paddr: int) -> bool:
        f = self._frame_of(paddr)
        return f is not None and f in self._pager_io

    def add_page_waiter(self, paddr: int, ready: Callable[[int], object]) -> None:
        """A process waits on the page; ``ready(paddr_page)`` is called when it is readied."""
        f = self._frame_of(paddr)
        if f is None:
            raise ValueError("address outside physical memory")
        self._waiters.setdefault(f, []).append(ready)

    def page_waiters(self, paddr: int) -> int:
        f = self._frame_of(paddr)
        return 0 if f is None else len(self._waiters.get(f, []))

    def is_dr_removable(self, paddr: int) -> bool:
        """False once a hide without XMEM_DR_SAFE marked the page non-removable (DLPAR)."""
        f = self._frame_of(paddr)
        return f is not None and f not in self._dr_nonremovable

    def _set_flag(self, flagset: set, paddr, on: bool) -> None:
        f = self._frame_of(paddr)
        if f is None:
            raise ValueError("address outside physical memory")
        if on:
            flagset.add(f)
        else:
            flagset.discard(f)


def _bump(counts: np.ndarray, frames: np.ndarray, delta: int) -> None:
    """counts[frames] += delta, counting repeated frames (much faster than np.add.at)."""
    if len(frames) == 0:
        return
    uniq, times = np.unique(frames, return_counts=True)
    counts[uniq] += (times * delta).astype(counts.dtype)


def _check_contiguity(c) -> None:
    if not isinstance(c, (int, float, np.floating)) or isinstance(c, bool) or not 0.0 <= c <= 1.0:
        raise ValueError("contiguity must be a number in [0, 1]")
