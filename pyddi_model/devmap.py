"""devmap_umem_setup(9F) / devmap_devmem_setup(9F): export memory to a user mapping.

The devmap handle (:class:`devmap_handle`, the ``devmap_cookie_t dhp`` of the C interface)
records what the driver set up: kind, physical pages, effective maxprot, cache attribute, the
copied callbacks. The testbench reads ``dhp.cache_attr`` (or ``dhp.cache_maintenance``) to decide
hide-unit maintenance: UNCACHED skips it, UC_WR_COMBINE asks for a write-combine flush.

A device's register sets come from the dip: ``dev_info(regs=[(paddr, size), ...])``; rnumber
indexes that list.

Both functions return 0 on success and -1 on any error ("-1 An error occurred").
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

from .constants import (
    DEVMAP_ALLOW_REMAP,
    DEVMAP_MAPPING_INVALID,
    DEVMAP_USE_PAGESIZE,
    IOMEM_DATA_CACHED,
    IOMEM_DATA_MASK,
    IOMEM_DATA_UC_WR_COMBINE,
    IOMEM_DATA_UNCACHED,
    PROT_ALL,
    PROT_READ,
    PROT_WRITE,
)
from .structs import ddi_device_acc_attr_t, devmap_callback_ctl
from .umem import ddi_umem_cookie

DEVMAP_FLAGS = DEVMAP_MAPPING_INVALID | DEVMAP_ALLOW_REMAP | DEVMAP_USE_PAGESIZE
FAIL = -1


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


@dataclass
class dev_info:  # noqa: N801 - C name (dev_info_t)
    """A device node: its name and register sets (rnumber -> (physical address, size))."""

    name: str = "sgdma"
    regs: list[tuple[int, int]] = field(default_factory=list)


@dataclass(eq=False)
class devmap_handle:  # noqa: N801 - the devmap_cookie_t the framework passes to devmap(9E)
    """The mapping handle: the mmap(2) request (``dh_prot``, ``dh_orig_maxprot``) that the
    framework filled in, and what devmap_*_setup recorded."""

    dh_prot: int = PROT_READ | PROT_WRITE   # protection the user asked for in mmap(2)
    dh_orig_maxprot: int = PROT_ALL         # maximum protection of the mmap(2) segment
    # recorded by a successful setup
    setup_done: bool = False
    kind: str | None = None                 # "umem" or "devmem"
    maxprot: int = 0                        # effective: maxprot & dh_orig_maxprot
    cache_attr: int = 0                     # one IOMEM_DATA_* value
    flags: int = 0                          # DEVMAP_* bits kept
    offset: int = 0                         # koff / roff (page rounded in illumos mode)
    length: int = 0
    paddrs: np.ndarray | None = None        # physical address of each page of the mapping
    callbackops: devmap_callback_ctl | None = None   # the framework's private copy
    accattr: ddi_device_acc_attr_t | None = None
    cookie: object = None
    rnumber: int | None = None

    @property
    def cache_maintenance(self) -> str:
        """What the hide unit must do for this mapping's pages.

        "clean_invalidate" for CACHED, "wc_flush" for UC_WR_COMBINE (writes may sit in a
        write-combining buffer), "none" for UNCACHED (the CPU never caches the data).
        """
        if self.cache_attr == IOMEM_DATA_UNCACHED:
            return "none"
        if self.cache_attr == IOMEM_DATA_UC_WR_COMBINE:
            return "wc_flush"
        return "clean_invalidate"


class DevmapMixin:
    """devmap_umem_setup / devmap_devmem_setup, for :class:`pyddi_model.ddi.DDI`."""

    def devmap_umem_setup(self, dhp, dip, callbackops, cookie, koff, len, maxprot,  # noqa: A002
                          flags, accattrp) -> int:
        """devmap_umem_setup(9F): map [koff, koff+len) of a kernel memory cookie; 0 or -1.

        "If cookie is NULL, devmap_umem_setup() returns -1." "The range from koff to koff + len
        must be within the limits of the kernel memory described by koff + len and must be page
        aligned." flags: "Must be set to 0." (illumos: DEVMAP_* and IOMEM_DATA_* accepted,
        unaligned koff/len rounded to pages.) The cookie type is not checked (ddi_umem_lock
        cookies work too).
        """
        if cookie is None:
            return FAIL
        if not isinstance(cookie, ddi_umem_cookie) or not cookie.live:
            return FAIL
        if not self._devmap_args_ok(dhp, callbackops, koff, len, maxprot, flags, accattrp):
            return FAIL
        koff, length, flags = int(koff), int(len), int(flags)
        if koff + length > cookie.size:
            return FAIL
        if self.illumos:
            cache_attr = self._devmap_cache_attr(flags)
            if cache_attr is None:
                return FAIL
        else:
            if flags != 0:
                return FAIL
            cache_attr = IOMEM_DATA_CACHED
        span = self._devmap_span(koff, length)
        if span is None:
            return FAIL
        off, rlen = span
        if off + rlen > cookie.size:
            return FAIL
        if not self._devmap_common_ok(dhp, maxprot, flags):
            return FAIL
        m = self.machine
        npages = rlen >> m.pageshift
        if cookie.pparray is not None:
            paddrs = cookie.pparray[off >> m.pageshift:(off >> m.pageshift) + npages].copy()
        else:
            paddrs = cookie.as_.page_paddrs(cookie.cvaddr + off, npages)
        self._devmap_record(dhp, "umem", callbackops, accattrp, maxprot, cache_attr, flags, off,
                            rlen, paddrs)
        dhp.cookie = cookie
        return 0

    def devmap_devmem_setup(self, dhp, dip, callbackops, rnumber, roff, len, maxprot,  # noqa: A002
                            flags, accattrp) -> int:
        """devmap_devmem_setup(9F): map [roff, roff+len) of register set ``rnumber``; 0 or -1.

        "The range from roff to roff + len must be a physical contiguous memory and page
        aligned." flags "Used to determine the cache attribute": "The cache attributes are
        mutually exclusive. Any combination of the values leads to a failure. On the SPARC
        architecture, only IOMEM_DATA_CACHED is meaningful. Others lead to a failure."
        (illumos: offsets rounded to pages, IOMEM_DATA_* bits not validated here.)
        """
        if not isinstance(dip, dev_info) or not _is_int(rnumber):
            return FAIL
        if not self._devmap_args_ok(dhp, callbackops, roff, len, maxprot, flags, accattrp):
            return FAIL
        roff, length, flags, rnumber = int(roff), int(len), int(flags), int(rnumber)
        if not 0 <= rnumber < _seq_len(dip.regs):
            return FAIL
        reg = dip.regs[rnumber]
        if not (isinstance(reg, tuple) and _seq_len(reg) == 2 and _is_int(reg[0])
                and _is_int(reg[1])):
            return FAIL
        reg_paddr, reg_size = int(reg[0]), int(reg[1])
        if roff + length > reg_size:
            return FAIL
        if self.illumos:
            flags &= DEVMAP_FLAGS | IOMEM_DATA_MASK
            cache_attr = (flags & IOMEM_DATA_MASK) or IOMEM_DATA_CACHED   # not validated
        else:
            if flags & ~(DEVMAP_FLAGS | IOMEM_DATA_MASK):
                return FAIL
            cache_attr = self._devmap_cache_attr(flags)
            if cache_attr is None:
                return FAIL
            if reg_paddr & self.machine.pageoffset:
                return FAIL
        span = self._devmap_span(roff, length)
        if span is None:
            return FAIL
        off, rlen = span
        if not self._devmap_common_ok(dhp, maxprot, flags):
            return FAIL
        m = self.machine
        base = (reg_paddr + off) & ~m.pageoffset
        paddrs = base + (np.arange(rlen >> m.pageshift, dtype=np.int64) << m.pageshift)
        self._devmap_record(dhp, "devmem", callbackops, accattrp, maxprot, cache_attr, flags, off,
                            rlen, paddrs)
        dhp.rnumber = rnumber
        return 0

    # ------------------------------------------------------------------ helpers
    def _devmap_args_ok(self, dhp, callbackops, off, length, maxprot, flags, accattrp) -> bool:
        if not isinstance(dhp, devmap_handle):
            return False
        # "Device drivers may specify NULL to callbackops".
        if callbackops is not None and not isinstance(callbackops, devmap_callback_ctl):
            return False
        if accattrp is not None and not isinstance(accattrp, ddi_device_acc_attr_t):
            return False
        if not all(_is_int(v) for v in (off, length, maxprot, flags)):
            return False
        # Model choice: an empty mapping (len 0) is refused, as are negative values.
        return off >= 0 and length > 0 and maxprot >= 0 and flags >= 0

    def _devmap_span(self, off: int, length: int) -> tuple[int, int] | None:
        """Man: off and len must be page aligned (else None). illumos: rounded to pages."""
        m = self.machine
        if not self.illumos:
            if off & m.pageoffset or length & m.pageoffset:
                return None
            return off, length
        start = off & ~m.pageoffset
        end = (off + length + m.pageoffset) & ~m.pageoffset
        return start, end - start

    def _devmap_cache_attr(self, flags: int) -> int | None:
        """The cache attribute of ``flags``, or None when it must fail.

        "IOMEM_DATA_CACHED ... This is the default attribute that is used if no cache attributes
        are specified." "If IOMEM_DATA_UC_WR_COMBINE is specified but not supported,
        IOMEM_DATA_UNCACHED is used instead."
        """
        attr = flags & IOMEM_DATA_MASK
        if attr == 0:
            return IOMEM_DATA_CACHED
        if attr & (attr - 1):
            return None                        # more than one bit: mutually exclusive
        m = self.machine
        if m.arch == "sparc":
            return attr if attr == IOMEM_DATA_CACHED else None
        if attr not in (IOMEM_DATA_CACHED, IOMEM_DATA_UC_WR_COMBINE, IOMEM_DATA_UNCACHED):
            return None                        # 0x80000: no such attribute
        if attr == IOMEM_DATA_UC_WR_COMBINE and not m.pat_supported:
            return IOMEM_DATA_UNCACHED
        return attr

    def _devmap_common_ok(self, dhp: devmap_handle, maxprot: int, flags: int) -> bool:
        if dhp.setup_done:
            return False                       # the handle is already set up
        # The protection mmap(2) asked for must be allowed by both maxprots.
        if dhp.dh_prot & dhp.dh_orig_maxprot & maxprot != dhp.dh_prot:
            return False
        if flags & DEVMAP_MAPPING_INVALID and not flags & DEVMAP_ALLOW_REMAP:
            return False
        return True

    def _devmap_record(self, dhp, kind, callbackops, accattrp, maxprot, cache_attr, flags, off,
                       length, paddrs) -> None:
        dhp.setup_done = True
        dhp.kind = kind
        dhp.maxprot = int(maxprot) & dhp.dh_orig_maxprot
        dhp.cache_attr = cache_attr
        dhp.flags = flags & DEVMAP_FLAGS
        dhp.offset = off
        dhp.length = length
        dhp.paddrs = paddrs
        # "The framework will copy the structure to the system private memory."
        dhp.callbackops = copy.copy(callbackops)
        dhp.accattr = copy.copy(accattrp)


def _seq_len(obj) -> int:
    """len() of a sequence (the entry points shadow ``len`` with the C parameter name)."""
    try:
        return obj.__len__()
    except (AttributeError, TypeError):
        return -1
