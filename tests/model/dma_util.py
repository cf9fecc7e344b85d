"""Helpers shared by the DMA model tests (test_dma_*.py): place buffers on chosen frames, bind
them, and walk every window and cookie the way a driver does (getwin + nextcookie)."""
from __future__ import annotations

from pyddi_model import (
    DDI,
    DDI_DMA_DONTWAIT,
    DDI_DMA_WRITE,
    DDI_SUCCESS,
    Machine,
    ddi_dma_attr_t,
)

ALL64 = (1 << 64) - 1


def new_ddi(illumos: bool = False, pagesize: int = 4096, seed: int = 5, **kw) -> DDI:
    return DDI(Machine(pagesize=pagesize, seed=seed, **kw), illumos=illumos)


def attr(**kw) -> ddi_dma_attr_t:
    """A permissive attribute (whole 64-bit range) with the given fields overridden."""
    base = dict(dma_attr_addr_hi=ALL64, dma_attr_count_max=0xFFFFFFFF, dma_attr_seg=0xFFFFFFFF)
    base.update({("dma_attr_" + k if not k.startswith("dma_attr_") else k): v for k, v in kw.items()})
    return ddi_dma_attr_t(**base)


def kbuf(ddi: DDI, frames, data: bytes | None = None) -> int:
    """A kernel buffer on the given frame numbers; returns its virtual address."""
    m = ddi.machine
    va = m.kas.mmap(len(frames) * m.pagesize, frames=list(frames))
    if data is not None:
        m.kas.write(va, data)
    return va


def handle(ddi: DDI, a: ddi_dma_attr_t):
    rc, h = ddi.ddi_dma_alloc_handle(None, a, DDI_DMA_DONTWAIT, None)
    assert rc == DDI_SUCCESS, rc
    return h


def bind_frames(ddi: DDI, a, frames, offset=0, size=None, flags=DDI_DMA_WRITE):
    """Bind [offset, offset+size) of a kernel buffer on ``frames``: (rc, cookie, count, handle)."""
    m = ddi.machine
    va = kbuf(ddi, frames)
    if size is None:
        size = len(frames) * m.pagesize - offset
    h = handle(ddi, a)
    rc, c, n = ddi.ddi_dma_addr_bind_handle(h, None, va + offset, size, flags, DDI_DMA_DONTWAIT, None)
    return rc, c, n, h


def cookies_now(ddi: DDI, first, count, h):
    """The current window's cookies as a driver reads them: first + nextcookie count-1 times."""
    out = [(first.dmac_laddress, first.dmac_size)] if count else []
    for _ in range(count - 1):
        c = ddi.ddi_dma_nextcookie(h)
        out.append((c.dmac_laddress, c.dmac_size))
    return out


def all_windows(ddi: DDI, h):
    """[(offset, length, [(addr, size), ...]), ...] for every window, via ddi_dma_getwin."""
    out = []
    w = 0
    while True:
        rc, off, ln, c, n = ddi.ddi_dma_getwin(h, w)
        if rc != DDI_SUCCESS:
            return out
        out.append((off, ln, cookies_now(ddi, c, n, h)))
        w += 1
