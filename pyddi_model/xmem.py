"""AIX cross-memory DMA: xmemdma64 / xmemdma (hide / unhide a page), and the cache hook.

"The xmemdma64 kernel service is provided for machines that have processor-memory caches, but
that do not perform DMA I/O through the cache." A driver hides each page before DMA and unhides
it afterwards. Page state (hide count, modified bit, read-only storage key, pager I/O, waiting
processes) lives on the :class:`~pyddi_model.machine.Machine` so that the testbench can compare
the hardware hide unit against it (``machine.hide_count(paddr)``, ``is_hidden``, ``is_modified``).

The processor cache is reached through ``machine.cache_hook`` (a :class:`CacheHook`):
``flush_invalidate`` on the first hide of a page, ``page_valid`` on its last unhide.

Platform: ``machine.cache_consistent = True`` models a cache-consistent machine ("no hide/unhide,
no flush; mainly address translation"): hide = optional access check + modified bit, unhide
returns 0.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .constants import (
    PROT_READ,
    PROT_WRITE,
    XMEM_ACC_CHK,
    XMEM_DR_SAFE,
    XMEM_FAIL,
    XMEM_NOACC,
    XMEM_RDONLY,
    XMEM_RDWR,
    XMEM_UNHIDE,
    XMEM_WRITE_ONLY,
)

# Kinds of cross-memory descriptor (model values: aspace_id of struct xmem).
XMEM_INVAL = -1     # detached / never attached
XMEM_GLOBAL = -2    # the kernel: xaddr is a kernel address
XMEM_PROC = 0       # a process region: xaddr is an offset into [base, base + length)

_XMEM_FLAGS = XMEM_UNHIDE | XMEM_ACC_CHK | XMEM_WRITE_ONLY | XMEM_DR_SAFE


class CacheHook(Protocol):
    """What xmemdma asks of the processor cache (the testbench plugs its cache model in here)."""

    def flush_invalidate(self, paddr_page: int, size: int) -> None:
        """First hide of a page: write back its dirty lines and invalidate them."""

    def page_valid(self, paddr_page: int, modified: bool) -> None:
        """Last unhide of a page: the page is valid again; ``modified`` = its modified bit."""


class RecordingCacheHook:
    """Default hook: records every call in ``ops`` as (name, paddr_page, arg) tuples."""

    def __init__(self):
        self.ops: list[tuple[str, int, object]] = []

    def flush_invalidate(self, paddr_page: int, size: int) -> None:
        self.ops.append(("flush_invalidate", paddr_page, size))

    def page_valid(self, paddr_page: int, modified: bool) -> None:
        self.ops.append(("page_valid", paddr_page, modified))


@dataclass(eq=False)
class xmem:  # noqa: N801 - C name (struct xmem)
    """A cross-memory descriptor: the kernel, or a region of a process, with an access right.

    ``access`` (XMEM_RDWR, XMEM_RDONLY or XMEM_NOACC) is the right the descriptor grants; the
    page's own protection can only reduce it.
    """

    aspace_id: int = XMEM_INVAL
    as_: object = None            # AddressSpace
    base: int = 0                 # region start (XMEM_PROC)
    length: int = 0               # region length (XMEM_PROC)
    access: int = XMEM_RDWR


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


class XmemMixin:
    """xmemdma64 / xmemdma and descriptor helpers, for :class:`pyddi_model.ddi.DDI`."""

    # ---------------------------------------------------------------- descriptors
    def xmem_kernel(self, access: int = XMEM_RDWR) -> xmem:
        """Descriptor for the kernel address space (xaddr = kernel address)."""
        return xmem(aspace_id=XMEM_GLOBAL, as_=self.machine.kas, access=access)

    def xmem_attach(self, addr: int, count: int, proc=None, access: int = XMEM_RDWR):
        """Descriptor for [addr, addr+count) of ``proc`` (default: the current process).

        Returns None when the arguments are not a valid region (like xmattach failing).
        """
        proc = self.curproc if proc is None else proc
        if (proc is None or not _is_int(addr) or not _is_int(count) or addr < 0 or count <= 0
                or access not in (XMEM_RDWR, XMEM_RDONLY, XMEM_NOACC)):
            return None
        return xmem(aspace_id=XMEM_PROC, as_=proc.as_, base=int(addr), length=int(count),
                    access=access)

    def xmem_detach(self, dp) -> None:
        """Invalidate a descriptor (xmdetach): later xmemdma calls on it return XMEM_FAIL."""
        if isinstance(dp, xmem):
            dp.aspace_id = XMEM_INVAL

    # ------------------------------------------------------------------ xmemdma
    def xmemdma64(self, dp, xaddr, flags) -> int:
        """xmemdma64: hide (XMEM_UNHIDE clear) or unhide the page holding xaddr.

        "On successful completion, the xmemdma64 service returns the real address corresponding
        to the xaddr and xp parameters." Otherwise XMEM_FAIL: "The descriptor was invalid", "The
        page that is specified by the xaddr or xp parameter is invalid", "Access is not allowed
        to the page." An unhide of a page with no hide outstanding is tolerated (no state change,
        real address returned). Callable from process or interrupt environment.
        """
        return self._xmemdma(dp, xaddr, flags, real_bits=64)

    def xmemdma(self, dp, xaddr, flags) -> int:
        """xmemdma: as xmemdma64 with a 32-bit real address.

        Model choice: a page whose real address does not fit in 32 bits gives XMEM_FAIL with no
        state change (a truncated address would send the DMA to the wrong page).
        """
        return self._xmemdma(dp, xaddr, flags, real_bits=32)

    def _xmemdma(self, dp, xaddr, flags, *, real_bits: int) -> int:
        m = self.machine
        if not _is_int(flags) or flags & ~_XMEM_FLAGS or flags < 0 or not _is_int(xaddr):
            return XMEM_FAIL
        flags, xaddr = int(flags), int(xaddr)
        # "The descriptor was invalid."
        if not isinstance(dp, xmem) or dp.as_ is None:
            return XMEM_FAIL
        if dp.aspace_id == XMEM_GLOBAL:
            vaddr = xaddr
        elif dp.aspace_id == XMEM_PROC:
            # "Otherwise, the xaddr parameter specifies the offset in the region".
            if not 0 <= xaddr < dp.length:
                return XMEM_FAIL
            vaddr = dp.base + xaddr
        else:
            return XMEM_FAIL
        if vaddr < 0:
            return XMEM_FAIL
        prot = dp.as_.prot_of(vaddr)
        if prot is None:
            return XMEM_FAIL                       # the page is invalid (not mapped)
        page = int(dp.as_.page_paddrs(vaddr, 1)[0])
        # "The page that is specified must be in memory and must be pinned." (or in pager I/O)
        if not (m.is_pinned(page) or m.in_pager_io(page)):
            return XMEM_FAIL
        real = page | (vaddr & m.pageoffset)
        if real >= 1 << real_bits:
            return XMEM_FAIL
        unhide = bool(flags & XMEM_UNHIDE)
        access = self._xmem_access(dp, prot)
        if m.cache_consistent:
            if unhide:
                return 0                           # unhide does nothing on these platforms
            if flags & XMEM_ACC_CHK and not self._access_ok(access, flags):
                return XMEM_FAIL
            if access == XMEM_RDWR and not m.in_pager_io(page):
                m._modified.add(page >> m.pageshift)
            return real
        frame = page >> m.pageshift
        if not unhide:
            # "If the XMEM_ACC_CHK bit is set, then the xmemdma64 kernel service also verifies
            # access permissions to the page." (failure changes nothing)
            if flags & XMEM_ACC_CHK and not self._access_ok(access, flags):
                return XMEM_FAIL
            count = m._hide.get(frame, 0)
            if count == 0:
                # "it is the first hide for the page ... flushing the cache and making the page
                # invalid."
                m.cache_hook.flush_invalidate(page, m.pagesize)
            m._hide[frame] = count + 1
            if not flags & XMEM_DR_SAFE:
                m._dr_nonremovable.add(frame)
            return real
        count = m._hide.get(frame, 0)
        if count == 0:
            return real                            # unhide without a hide: tolerated
        if count > 1:
            m._hide[frame] = count - 1
            return real
        # "When the XMEM_UNHIDE bit is set and it is the last unhide for the page": the page is
        # made valid; if not in pager I/O, waiters are readied and the modified bit is set
        # "unless the page has a read-only storage key".
        del m._hide[frame]
        if frame not in m._pager_io:
            for ready in m._waiters.pop(frame, []):
                ready(page)
            if frame not in m._ro_storage_key:
                m._modified.add(frame)
        m.cache_hook.page_valid(page, frame in m._modified)
        return real

    @staticmethod
    def _xmem_access(dp: xmem, prot: int) -> int:
        """The access the descriptor grants to a page with protection ``prot``."""
        if dp.access == XMEM_RDWR and prot & PROT_WRITE:
            return XMEM_RDWR
        if dp.access in (XMEM_RDWR, XMEM_RDONLY) and prot & (PROT_READ | PROT_WRITE):
            return XMEM_RDONLY
        return XMEM_NOACC

    @staticmethod
    def _access_ok(access: int, flags: int) -> bool:
        """"If the page access is read-only, then the XMEM_WRITE_ONLY bit must be set"."""
        if access == XMEM_RDWR:
            return True
        if access == XMEM_RDONLY:
            return bool(flags & XMEM_WRITE_ONLY)
        return False
