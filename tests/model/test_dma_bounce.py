"""Copy (bounce) buffers and ddi_dma_sync (section 17 items 8, 9, 15; sections 4, 7, 8)."""
import pytest
from dma_util import all_windows, attr, cookies_now, handle, kbuf, new_ddi

from pyddi_model import (
    DDI_DMA_DONTWAIT,
    DDI_DMA_MAPPED,
    DDI_DMA_NOMAPPING,
    DDI_DMA_NORESOURCES,
    DDI_DMA_PARTIAL,
    DDI_DMA_PARTIAL_MAP,
    DDI_DMA_READ,
    DDI_DMA_SYNC_FORCPU,
    DDI_DMA_SYNC_FORDEV,
    DDI_DMA_SYNC_FORKERNEL,
    DDI_DMA_TOOBIG,
    DDI_DMA_WRITE,
    DDI_FAILURE,
    DDI_SUCCESS,
)

P = 4096
MODES = pytest.mark.parametrize("illumos", [False, True], ids=["man", "illumos"])
HIGH = 0x100000          # frame of physical 4 GiB: above a 32-bit addr_hi


def pattern(n, seed=1):
    return bytes((i * 7 + seed) & 0xFF for i in range(n))


def bind(ddi, a, va, size, flags):
    h = handle(ddi, a)
    rc, c, n = ddi.ddi_dma_addr_bind_handle(h, None, va, size, flags, DDI_DMA_DONTWAIT, None)
    return rc, c, n, h


# --------------------------------------------------------------------------- bouncing
@pytest.mark.parametrize("illumos,bounced", [(False, False), (True, True)], ids=["man", "illumos"])
def test_item8_page_ending_at_addr_hi(illumos, bounced):
    """17.8: addr_hi 0xFFFFFFFF and a page at 0xFFFFF000: inside the inclusive range (man), bounced
    by illumos, which compares the exclusive end with addr_hi (section 3.1)."""
    ddi = new_ddi(illumos)
    va = kbuf(ddi, [0xFFFFF])
    rc, c, n, h = bind(ddi, attr(addr_hi=0xFFFFFFFF), va, P, DDI_DMA_WRITE)
    assert rc == DDI_DMA_MAPPED
    assert (c.dmac_laddress != 0xFFFFF000) == bounced
    assert c.dmac_laddress + c.dmac_size - 1 <= 0xFFFFFFFF


@MODES
def test_item8_pages_outside_addr_lo_hi_use_copy_pages_inside(illumos):
    """17.8: pages above addr_hi and below addr_lo get cookies on copy-buffer pages inside the
    range, at the same in-page offset, one cookie each (never merged)."""
    ddi = new_ddi(illumos)
    lo, hi = 0x100000, 0xFFFFFFFF
    va = kbuf(ddi, [0x10, 0x11, 0x200, HIGH, HIGH + 1])
    rc, c, n, h = bind(ddi, attr(addr_lo=lo, addr_hi=hi), va + 0x80, 5 * P - 0x100, DDI_DMA_WRITE)
    assert rc == DDI_DMA_MAPPED
    got = cookies_now(ddi, c, n, h)
    assert got[2] == (0x200000, P)                      # the one reachable page
    assert len(got) == 5
    for addr, size in got:
        assert lo <= addr and addr + size - 1 <= hi
    assert got[0][0] & (P - 1) == 0x80
    assert h.copy_frames.shape[0] == 4


@MODES
def test_item8_write_bind_copies_to_device_at_bind_then_needs_fordev(illumos):
    """Section 4: "if the first window uses the copy buffer and DDI_DMA_WRITE is set, an implicit
    FORDEV sync of window 0 is done"; a later CPU store reaches the device only after
    ddi_dma_sync(FORDEV) ("after the CPU writes, before the device reads")."""
    ddi = new_ddi(illumos)
    m = ddi.machine
    data = pattern(2 * P)
    va = kbuf(ddi, [HIGH, HIGH + 5], data)
    rc, c, n, h = bind(ddi, attr(addr_hi=0xFFFFFFFF), va, 2 * P, DDI_DMA_WRITE)
    cks = cookies_now(ddi, c, n, h)
    device_view = b"".join(m.read_phys(a, s) for a, s in cks)
    assert device_view == data
    m.kas.write(va, b"\xAA" * 16)
    assert m.read_phys(cks[0][0], 16) == data[:16]            # stale until FORDEV
    assert ddi.ddi_dma_sync(h, 0, 0, DDI_DMA_SYNC_FORDEV) == DDI_SUCCESS
    assert m.read_phys(cks[0][0], 16) == b"\xAA" * 16


@pytest.mark.parametrize("how", ["sync", "sync_forkernel", "unbind"])
@MODES
def test_item8_read_bind_device_writes_visible_after_forcpu_or_unbind(illumos, how):
    """Section 7 model: "with bouncing, device writes land in the copy buffer, invisible to the
    caller until FORCPU sync, getwin away (READ) or unbind (READ)". FORKERNEL acts as FORCPU."""
    ddi = new_ddi(illumos)
    m = ddi.machine
    va = kbuf(ddi, [HIGH + 9], bytes(P))
    rc, c, n, h = bind(ddi, attr(addr_hi=0xFFFFFFFF), va, P, DDI_DMA_READ)
    m.write_phys(c.dmac_laddress + 8, b"device!")            # the device writes its cookie
    assert m.kas.read(va + 8, 7) == bytes(7)
    if how == "unbind":
        assert ddi.ddi_dma_unbind_handle(h) == DDI_SUCCESS
    else:
        kind = DDI_DMA_SYNC_FORCPU if how == "sync" else DDI_DMA_SYNC_FORKERNEL
        assert ddi.ddi_dma_sync(h, 0, 0, kind) == DDI_SUCCESS
    assert m.kas.read(va + 8, 7) == b"device!"


@MODES
def test_write_only_bind_unbind_does_not_copy_back(illumos):
    """Unbind syncs FORCPU only for READ binds: device-side garbage never reaches a WRITE buffer."""
    ddi = new_ddi(illumos)
    m = ddi.machine
    va = kbuf(ddi, [HIGH + 3], b"\x11" * P)
    rc, c, n, h = bind(ddi, attr(addr_hi=0xFFFFFFFF), va, P, DDI_DMA_WRITE)
    m.write_phys(c.dmac_laddress, b"\x99" * 4)
    ddi.ddi_dma_unbind_handle(h)
    assert m.kas.read(va, 4) == b"\x11" * 4


@MODES
def test_copy_buffer_is_freed_at_unbind(illumos):
    ddi = new_ddi(illumos)
    va = kbuf(ddi, [HIGH + 20, HIGH + 40])
    rc, c, n, h = bind(ddi, attr(addr_hi=0xFFFFFFFF), va, 2 * P, DDI_DMA_READ)
    frames = h.copy_frames.tolist()
    assert len(frames) == 2 and all(ddi.machine.frame_refcount(f) == 1 for f in frames)
    ddi.ddi_dma_unbind_handle(h)
    assert all(ddi.machine.frame_refcount(f) == 0 for f in frames)


# ------------------------------------------------------------------ copy buffer limit
@MODES
def test_item9_more_than_max_copy_buffer(illumos):
    """17.9: 258 bounced pages need more than the 0x101000-byte copy buffer (257 pages): TOOBIG
    without DDI_DMA_PARTIAL; with it two windows, window 1 reusing copy page 0; the getwin away
    from a READ window copies the device's data back (FORCPU), the next window is fresh."""
    ddi = new_ddi(illumos)
    m = ddi.machine
    frames = [HIGH + 2 * i for i in range(258)]
    va = kbuf(ddi, frames, bytes(258 * P))
    a = attr(addr_hi=0xFFFFFFFF)
    assert bind(ddi, a, va, 258 * P, DDI_DMA_READ)[0] == DDI_DMA_TOOBIG
    rc, c, n, h = bind(ddi, a, va, 258 * P, DDI_DMA_READ | DDI_DMA_PARTIAL)
    assert (rc, n) == (DDI_DMA_PARTIAL_MAP, 257)
    assert h.copy_frames.shape[0] == 257
    m.write_phys(c.dmac_laddress, b"win0")
    rc, off, ln, c1, n1 = ddi.ddi_dma_getwin(h, 1)
    assert (rc, off, ln, n1) == (DDI_SUCCESS, 257 * P, P, 1)
    assert c1.dmac_laddress == c.dmac_laddress                  # copy page reused
    assert m.kas.read(va, 4) == b"win0"
    assert ddi.ddi_dma_numwin(h) == (DDI_SUCCESS, 2)


@MODES
def test_copybuf_boundary_with_granular_trim(illumos):
    """Section 4 "copybuf boundary": a window cut where the copy buffer is exhausted is trimmed to
    a granular multiple like an sgllen cut; the windows still add up to the object."""
    ddi = new_ddi(illumos)
    frames = [HIGH + 2 * i for i in range(260)]
    va = kbuf(ddi, frames)
    size = 260 * P - 0x300
    rc, c, n, h = bind(ddi, attr(addr_hi=0xFFFFFFFF, granular=0x400), va + 0x100, size,
                       DDI_DMA_WRITE | DDI_DMA_PARTIAL)
    assert rc == DDI_DMA_PARTIAL_MAP
    wins = all_windows(ddi, h)
    assert sum(w[1] for w in wins) == size
    assert all(w[1] % 0x400 == 0 for w in wins[:-1])
    # the trimmed tail of the last page of window 0 keeps its copy page in window 1
    assert wins[1][2][0][0] == wins[0][2][-1][0] + wins[0][2][-1][1]


@MODES
def test_copybuf_alloc_shortage_is_noresources(illumos):
    """Section 4: copy-buffer "Allocation failure -> NORESOURCES"."""
    ddi = new_ddi(illumos)
    ddi.machine.faults.arm("copybuf_alloc")
    va = kbuf(ddi, [HIGH])
    rc, c, n, h = bind(ddi, attr(addr_hi=0xFFFFFFFF), va, P, DDI_DMA_WRITE)
    assert (rc, c, n) == (DDI_DMA_NORESOURCES, None, 0) and not h.bound


@MODES
def test_range_that_cannot_hold_a_copy_page_is_nomapping(illumos):
    """addr_lo..addr_hi holding no whole page: the object "cannot be reached by the device"."""
    ddi = new_ddi(illumos)
    va = kbuf(ddi, [HIGH])
    rc, c, n, h = bind(ddi, attr(addr_lo=0x1000, addr_hi=0x17FF), va, P, DDI_DMA_WRITE)
    assert rc == DDI_DMA_NOMAPPING


# ------------------------------------------------------------------------------ sync
@pytest.mark.parametrize("illumos,expected", [(False, DDI_FAILURE), (True, DDI_SUCCESS)],
                         ids=["man", "illumos"])
def test_item15_bogus_offsets_on_unbounced_handle(illumos, expected):
    """17.15: man "Out-of-range -> DDI_FAILURE"; illumos marks handles without bounced pages
    no-sync and returns DDI_SUCCESS with no argument checking."""
    ddi = new_ddi(illumos)
    va = kbuf(ddi, [0x10])
    rc, c, n, h = bind(ddi, attr(), va, P, DDI_DMA_WRITE)
    for off, ln, kind in ((P, 0, 0), (-1, 0, 0), (0, P + 1, 0), (0, 0, 9), (0, -5, 1)):
        assert ddi.ddi_dma_sync(h, off, ln, kind) == expected
    assert ddi.ddi_dma_sync(h, 0, 0, DDI_DMA_SYNC_FORDEV) == DDI_SUCCESS
    assert ddi.ddi_dma_sync(h, 0x100, 0x10, DDI_DMA_SYNC_FORCPU) == DDI_SUCCESS


@pytest.mark.parametrize("illumos,copied", [(False, False), (True, True)], ids=["man", "illumos"])
def test_item15_off_zero_means_window_start_on_illumos(illumos, copied):
    """17.15: on window 2, ddi_dma_sync(off=0, len=window size, FORCPU): illumos reads off 0 as
    "current window start" and copies window 2; man reads object bytes [0, len), which lie in
    window 0, so nothing of window 2 is copied."""
    ddi = new_ddi(illumos)
    m = ddi.machine
    va = kbuf(ddi, [HIGH + 2 * i for i in range(3)], bytes(3 * P))
    rc, c, n, h = bind(ddi, attr(addr_hi=0xFFFFFFFF, sgllen=1), va, 3 * P, DDI_DMA_READ | DDI_DMA_PARTIAL)
    rc, off, ln, c2, n2 = ddi.ddi_dma_getwin(h, 2)
    assert (rc, off, ln) == (DDI_SUCCESS, 2 * P, P)
    m.write_phys(c2.dmac_laddress, b"w2")
    assert ddi.ddi_dma_sync(h, 0, P, DDI_DMA_SYNC_FORCPU) == DDI_SUCCESS
    assert (m.kas.read(va + 2 * P, 2) == b"w2") == copied
    # man mode addresses window 2 by its object offset
    assert ddi.ddi_dma_sync(h, 2 * P, 0, DDI_DMA_SYNC_FORCPU) == DDI_SUCCESS
    assert m.kas.read(va + 2 * P, 2) == b"w2"


@MODES
def test_item15_fordev_on_read_only_bind_is_accepted(illumos):
    """17.15: FORDEV on a READ-only bind fails only in DEBUG kernels; both modes accept it."""
    ddi = new_ddi(illumos)
    va = kbuf(ddi, [HIGH])
    rc, c, n, h = bind(ddi, attr(addr_hi=0xFFFFFFFF), va, P, DDI_DMA_READ)
    assert ddi.ddi_dma_sync(h, 0, 0, DDI_DMA_SYNC_FORDEV) == DDI_SUCCESS


@MODES
def test_sync_partial_range_copies_only_that_range(illumos):
    """ddi_dma_sync(9F) off/len select the bytes: a FORCPU of 4 bytes copies exactly 4 bytes."""
    ddi = new_ddi(illumos)
    m = ddi.machine
    va = kbuf(ddi, [HIGH + 1], bytes(P))
    rc, c, n, h = bind(ddi, attr(addr_hi=0xFFFFFFFF), va, P, DDI_DMA_READ)
    m.write_phys(c.dmac_laddress + 0x100, b"ABCDEFGH")
    assert ddi.ddi_dma_sync(h, 0x102, 4, DDI_DMA_SYNC_FORCPU) == DDI_SUCCESS
    assert m.kas.read(va + 0x100, 8) == b"\0\0CDEF\0\0"


def test_sync_on_unbound_handle_fails():
    ddi = new_ddi()
    h = handle(ddi, attr())
    assert ddi.ddi_dma_sync(h, 0, 0, DDI_DMA_SYNC_FORCPU) == DDI_FAILURE
