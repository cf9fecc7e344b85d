"""The DDI structures, with their C field names.

Each is a plain dataclass: a driver fills them in as it would the C structure, and the model
reads the same field names the man pages use (ddi_dma_attr(9S), ddi_dma_cookie(9S), buf(9S),
ddi_device_acc_attr(9S), devmap_callback_ctl(9S), AIX struct xmem).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .constants import DMA_ATTR_V0


@dataclass
class ddi_dma_attr_t:  # noqa: N801 - C name
    """ddi_dma_attr(9S): the DMA engine's limits, as the driver declares them."""

    dma_attr_version: int = DMA_ATTR_V0
    dma_attr_addr_lo: int = 0                     # lowest reachable bus address (inclusive)
    dma_attr_addr_hi: int = 0xFFFFFFFF            # highest reachable bus address (inclusive)
    dma_attr_count_max: int = 0xFFFFFFFF          # cookie size <= count_max + 1
    dma_attr_align: int = 1                       # allocated memory only
    dma_attr_burstsizes: int = 0x7F
    dma_attr_minxfer: int = 1
    dma_attr_maxxfer: int = 0xFFFFFFFF            # bytes per transfer (window)
    dma_attr_seg: int = 0xFFFFFFFF                # no cookie crosses a multiple of seg + 1
    dma_attr_sgllen: int = -1                     # <0 unlimited, 1 no scatter/gather
    dma_attr_granular: int = 1                    # transfers are multiples of this
    dma_attr_flags: int = 0


@dataclass
class ddi_dma_cookie_t:  # noqa: N801 - C name
    """ddi_dma_cookie(9S): one physically contiguous piece of a bound object."""

    dmac_laddress: int = 0
    dmac_size: int = 0
    dmac_type: int = 0

    @property
    def dmac_address(self) -> int:
        """The 32-bit view of dmac_laddress that 32-bit drivers read."""
        return self.dmac_laddress & 0xFFFFFFFF


@dataclass
class buf_t:  # noqa: N801 - C name
    """buf(9S): the system buffer header that ddi_umem_iosetup(9F) returns."""

    b_flags: int = 0
    b_addr: int = 0                    # b_un.b_addr
    b_bcount: int = 0
    b_blkno: int = 0
    b_lblkno: int = 0
    b_iodone: Optional[Callable[["buf_t"], Any]] = None
    b_resid: int = 0
    b_error: int = 0
    b_edev: int = 0
    b_proc: Any = None                 # owning Process; None = kernel
    b_shadow: Any = None               # numpy array of page physical addresses, or None
    b_pages: Any = None                # page list for B_PAGEIO
    b_private: Any = None
    av_forw: Any = None
    av_back: Any = None
    cookie: Any = field(default=None, repr=False)  # the ddi_umem cookie it was set up from


@dataclass
class ddi_device_acc_attr_t:  # noqa: N801 - C name
    """ddi_device_acc_attr(9S)."""

    devacc_attr_version: int = 0
    devacc_attr_endian_flags: int = 0
    devacc_attr_dataorder: int = 0
    devacc_attr_access: int = 0


@dataclass
class devmap_callback_ctl:  # noqa: N801 - C name
    """devmap_callback_ctl(9S): driver entry points for user events on a mapping."""

    devmap_rev: int = 0
    devmap_map: Optional[Callable[..., Any]] = None
    devmap_access: Optional[Callable[..., Any]] = None
    devmap_dup: Optional[Callable[..., Any]] = None
    devmap_unmap: Optional[Callable[..., Any]] = None
