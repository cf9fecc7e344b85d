"""Handle life cycle, bind front ends and return codes (section 17 items 10, 12-14, 17)."""
import numpy as np
import pytest
from dma_util import all_windows, attr, bind_frames, cookies_now, handle, kbuf, new_ddi

from pyddi_model import (
    B_BUSY,
    B_PAGEIO,
    B_PHYS,
    B_READ,
    B_REMAPPED,
    B_SHADOW,
    DDI_DMA_BADATTR,
    DDI_DMA_INUSE,
    DDI_DMA_MAPPED,
    DDI_DMA_NOMAPPING,
    DDI_DMA_PARTIAL,
    DDI_DMA_READ,
    DDI_DMA_SLEEP,
    DDI_DMA_TOOBIG,
    DDI_DMA_WRITE,
    DDI_FAILURE,
    DDI_SUCCESS,
    DDI_UMEM_SLEEP,
    DDI_UMEMLOCK_WRITE,
    buf_t,
    ddi_dma_attr_t,
)
from pyddi_model.dma import check_attr, rc_name

P = 4096
MODES = pytest.mark.parametrize("illumos", [False, True], ids=["man", "illumos"])


# ------------------------------------------------------------------------ alloc / free
@MODES
def test_alloc_null_attr_is_badattr(illumos):
    """ddi_dma_alloc_handle(9F): attr NULL -> DDI_DMA_BADATTR (section 1)."""
    assert new_ddi(illumos).ddi_dma_alloc_handle(None, None, DDI_DMA_SLEEP, None) == (DDI_DMA_BADATTR, None)


@pytest.mark.parametrize("field,value", [
    ("sgllen", 0), ("addr_hi", 0), ("granular", 0), ("maxxfer", 0), ("version", 7),
    ("maxxfer", 0x100),   # with granular 0x200: "maxxfer rounded down to a granular multiple" = 0
])
def test_man_mode_rejects_invalid_attr_illumos_production_does_not(field, value):
    """ddi_dma_attr(9S): sgllen 0 is reserved, addr_hi <= addr_lo is an empty range, granular 0 and
    maxxfer 0 admit no transfer, version "should be set to DMA_ATTR_V0". Production illumos x86
    runs no attribute check (its checks are DEBUG-only)."""
    a = attr(**{field: value, "granular": 0x200} if field == "maxxfer" and value else {field: value})
    if field == "addr_hi":
        a.dma_attr_addr_lo = 0x1000
    rc, h = new_ddi(False).ddi_dma_alloc_handle(None, a, DDI_DMA_SLEEP, None)
    assert (rc, h) == (DDI_DMA_BADATTR, None)
    assert check_attr(a, P, False) is not None
    rc, h = new_ddi(True).ddi_dma_alloc_handle(None, a, DDI_DMA_SLEEP, None)
    assert rc == DDI_SUCCESS and h is not None


@MODES
def test_attr_fields_must_fit_their_c_types(illumos):
    """Negative or > 64-bit unsigned fields, non-integers: BADATTR in both modes (not representable)."""
    ddi = new_ddi(illumos)
    for bad in (attr(count_max=-1), attr(seg=1 << 64), attr(granular="x"), attr(sgllen=1 << 40)):
        assert ddi.ddi_dma_alloc_handle(None, bad, DDI_DMA_SLEEP, None) == (DDI_DMA_BADATTR, None)


def test_default_attr_is_valid_in_man_mode():
    assert check_attr(ddi_dma_attr_t(), P, False) is None


@MODES
def test_free_handle_makes_it_unusable(illumos):
    """ddi_dma_free_handle(9F): the handle is gone; later calls get their failure code."""
    ddi = new_ddi(illumos)
    h = handle(ddi, attr())
    ddi.ddi_dma_free_handle(h)
    va = kbuf(ddi, [0x10])
    assert ddi.ddi_dma_addr_bind_handle(h, None, va, 10, DDI_DMA_WRITE, DDI_DMA_SLEEP, None)[0] == \
        DDI_DMA_BADATTR
    assert ddi.ddi_dma_unbind_handle(h) == DDI_FAILURE
    ddi.ddi_dma_free_handle(h)          # twice: ignored


def test_free_of_bound_handle_unbinds_and_is_recorded():
    ddi = new_ddi()
    rc, _, _, h = bind_frames(ddi, attr(addr_hi=0xFFFFF), [0x200])        # bounced: copy buffer
    assert rc == DDI_DMA_MAPPED and h.copy_frames.shape[0] == 1
    frame = int(h.copy_frames[0])
    ddi.ddi_dma_free_handle(h)
    assert ddi.machine.frame_refcount(frame) == 0
    assert any("bound handle" in v for v in ddi.dma_violations)


# ------------------------------------------------------------------------- return codes
@MODES
def test_item13_bind_a_bound_handle(illumos):
    """17.13: "DDI_DMA_INUSE: Another I/O transaction is using the DMA handle" (man); production
    illumos does not detect the rebind and maps the new object."""
    ddi = new_ddi(illumos)
    rc, _, _, h = bind_frames(ddi, attr(), [0x10])
    va = kbuf(ddi, [0x20])
    rc, c, n = ddi.ddi_dma_addr_bind_handle(h, None, va, P, DDI_DMA_WRITE, DDI_DMA_SLEEP, None)
    if illumos:
        assert (rc, c.dmac_laddress) == (DDI_DMA_MAPPED, 0x20000)
    else:
        assert (rc, c, n) == (DDI_DMA_INUSE, None, 0)
        assert h.window_cookies() == [(0x10000, P)]      # first binding untouched


@MODES
def test_item13_unbind_twice(illumos):
    """17.13: unbinding an unbound handle: man DDI_FAILURE, illumos not detected (DDI_SUCCESS)."""
    ddi = new_ddi(illumos)
    rc, _, _, h = bind_frames(ddi, attr(), [0x10])
    assert ddi.ddi_dma_unbind_handle(h) == DDI_SUCCESS
    assert ddi.ddi_dma_unbind_handle(h) == (DDI_SUCCESS if illumos else DDI_FAILURE)


@MODES
def test_item13_nextcookie_past_the_end_returns_none(illumos):
    """17.13: nextcookie "must be called exactly count-1 times"; the count-th call returns None in
    the model (illumos panics); on an unbound handle (count 0) too."""
    ddi = new_ddi(illumos)
    rc, c, n, h = bind_frames(ddi, attr(), [0x10, 0x20, 0x30])
    assert n == 3
    got = [ddi.ddi_dma_nextcookie(h) for _ in range(3)]
    assert [x.dmac_laddress for x in got[:2]] == [0x20000, 0x30000]
    assert got[2] is None
    assert ddi.ddi_dma_ncookies(h) == 3
    ddi.ddi_dma_unbind_handle(h)
    assert ddi.ddi_dma_nextcookie(h) is None and ddi.ddi_dma_ncookies(h) == 0


@MODES
def test_item10_addr_bind_zero_length_is_nomapping(illumos):
    """17.10 / section 2: ddi_dma_addr_bind_handle "len == 0 -> DDI_DMA_NOMAPPING (first check)"."""
    ddi = new_ddi(illumos)
    h = handle(ddi, attr())
    assert ddi.ddi_dma_addr_bind_handle(h, None, kbuf(ddi, [0x10]), 0, DDI_DMA_WRITE,
                                        DDI_DMA_SLEEP, None) == (DDI_DMA_NOMAPPING, None, 0)


def _buf(ddi, frames, off, count, flags=B_BUSY | B_PHYS | B_READ):
    va = kbuf(ddi, frames)
    return buf_t(b_flags=flags, b_addr=va + off, b_bcount=count, b_proc=None)


@pytest.mark.parametrize("illumos,expected", [(False, DDI_DMA_NOMAPPING), (True, DDI_DMA_MAPPED)],
                         ids=["man", "illumos"])
def test_item10_buf_bind_zero_bcount(illumos, expected):
    """17.10: b_bcount 0: illumos MAPPED with 0 cookies (no zero-length check); the model's man
    mode answers NOMAPPING (the object cannot be reached)."""
    ddi = new_ddi(illumos)
    h = handle(ddi, attr())
    rc, c, n = ddi.ddi_dma_buf_bind_handle(h, _buf(ddi, [0x10], 0, 0), DDI_DMA_READ, DDI_DMA_SLEEP, None)
    assert (rc, c, n) == (expected, None, 0)
    if illumos:
        assert ddi.ddi_dma_nextcookie(h) is None and ddi.ddi_dma_unbind_handle(h) == DDI_SUCCESS


@pytest.mark.parametrize("illumos", [False, True], ids=["man", "illumos"])
def test_item10_bcount_over_4g(illumos):
    """17.10: "size = b_bcount truncated to 32 bits": illumos binds 4 GiB + 0x1000 as 0x1000 bytes;
    man mode answers "DDI_DMA_TOOBIG: A request of this size can never be satisfied"."""
    ddi = new_ddi(illumos)
    h = handle(ddi, attr())
    rc, c, n = ddi.ddi_dma_buf_bind_handle(h, _buf(ddi, [0x10], 0, (1 << 32) + 0x1000), DDI_DMA_READ,
                                           DDI_DMA_SLEEP, None)
    if illumos:
        assert (rc, c.dmac_size, n) == (DDI_DMA_MAPPED, 0x1000, 1)
    else:
        assert (rc, n) == (DDI_DMA_TOOBIG, 0)


@MODES
def test_unmapped_page_is_nomapping(illumos):
    """"DDI_DMA_NOMAPPING: The object cannot be reached": a hole in the address range."""
    ddi = new_ddi(illumos)
    va = kbuf(ddi, [0x10])                  # the next mapping starts after a one-page hole
    h = handle(ddi, attr())
    rc, c, n = ddi.ddi_dma_addr_bind_handle(h, None, va, 2 * P, DDI_DMA_WRITE, DDI_DMA_SLEEP, None)
    assert (rc, c, n) == (DDI_DMA_NOMAPPING, None, 0) and not h.bound


# ----------------------------------------------------------------------- numwin / getwin
@pytest.mark.parametrize("illumos,numwin,getwin0", [(False, (DDI_SUCCESS, 1), DDI_SUCCESS),
                                                    (True, (DDI_FAILURE, 0), DDI_FAILURE)],
                         ids=["man", "illumos"])
def test_item14_numwin_getwin_after_mapped_with_partial(illumos, numwin, getwin0):
    """17.14: numwin after a MAPPED bind that passed DDI_DMA_PARTIAL: man "returns the number of
    DMA windows ... if partial resource allocation was permitted" = 1; illumos fails (only
    PARTIAL_MAP counts). getwin(0) after a fast-path MAPPED bind fails on illumos (0 windows)."""
    ddi = new_ddi(illumos)
    rc, c, n, h = bind_frames(ddi, attr(), [0x10, 0x20], flags=DDI_DMA_WRITE | DDI_DMA_PARTIAL)
    assert rc == DDI_DMA_MAPPED
    assert ddi.ddi_dma_numwin(h) == numwin
    assert ddi.ddi_dma_getwin(h, 0)[0] == getwin0


@MODES
def test_item14_numwin_without_partial_flag_fails(illumos):
    ddi = new_ddi(illumos)
    rc, c, n, h = bind_frames(ddi, attr(), [0x10])
    assert ddi.ddi_dma_numwin(h) == (DDI_FAILURE, 0)


@MODES
def test_item14_getwin_out_of_range(illumos):
    """ddi_dma_getwin(9F): "DDI_FAILURE: win is not a valid window index" (nwin, -1, garbage)."""
    ddi = new_ddi(illumos)
    rc, c, n, h = bind_frames(ddi, attr(sgllen=1), [0x10, 0x20, 0x30], flags=DDI_DMA_WRITE | DDI_DMA_PARTIAL)
    assert ddi.ddi_dma_numwin(h) == (DDI_SUCCESS, 3)
    for bad in (3, -1, "1", None, 1.0):
        assert ddi.ddi_dma_getwin(h, bad) == (DDI_FAILURE, 0, 0, None, 0)
    rc, off, ln, c, n = ddi.ddi_dma_getwin(h, 2)
    assert (rc, off, ln, c.dmac_laddress, n) == (DDI_SUCCESS, 2 * P, P, 0x30000, 1)
    rc, off, ln, c, n = ddi.ddi_dma_getwin(h, 2)    # re-activating the current window is allowed
    assert rc == DDI_SUCCESS


def test_slow_path_mapped_has_one_window_on_illumos():
    """Section 6: a slow-path MAPPED bind (bounce buffer fits) has 1 window and getwin(0) works."""
    ddi = new_ddi(True)
    rc, c, n, h = bind_frames(ddi, attr(addr_hi=0xFFFFF), [0x200])
    assert rc == DDI_DMA_MAPPED
    assert ddi.ddi_dma_getwin(h, 0)[0] == DDI_SUCCESS


# ------------------------------------------------------------------------ buf -> object
def test_item17_buf_shadow_pageio_phys_remapped():
    """17.17 / section 2: B_SHADOW takes pages from b_shadow, B_PAGEIO from b_pages (offset =
    b_addr & PAGEOFFSET), B_PHYS translates b_addr in b_proc's space, B_REMAPPED in the kernel's."""
    ddi = new_ddi()
    m = ddi.machine
    proc = m.new_process()
    uva = proc.as_.mmap(2 * P, frames=[0x50, 0x60])
    kva = m.kas.mmap(2 * P, frames=[0x70, 0x80])
    shadow = np.array([0x90000, 0xA0000], dtype=np.int64)
    cases = [
        (buf_t(b_flags=B_BUSY | B_PHYS | B_SHADOW, b_addr=uva + 0x10, b_bcount=P, b_proc=proc,
               b_shadow=shadow), [(0x90010, P - 0x10), (0xA0000, 0x10)]),
        (buf_t(b_flags=B_BUSY | B_PAGEIO, b_addr=0x123, b_bcount=P, b_pages=[0xB0000, 0xC0000]),
         [(0xB0123, P - 0x123), (0xC0000, 0x123)]),
        (buf_t(b_flags=B_BUSY | B_PHYS, b_addr=uva, b_bcount=2 * P, b_proc=proc),
         [(0x50000, P), (0x60000, P)]),
        (buf_t(b_flags=B_BUSY | B_PHYS | B_REMAPPED, b_addr=kva, b_bcount=2 * P, b_proc=proc),
         [(0x70000, P), (0x80000, P)]),
        (buf_t(b_flags=B_BUSY, b_addr=kva, b_bcount=P, b_proc=None), [(0x70000, P)]),
    ]
    for bp, expected in cases:
        h = handle(ddi, attr())
        rc, c, n = ddi.ddi_dma_buf_bind_handle(h, bp, DDI_DMA_READ, DDI_DMA_SLEEP, None)
        assert rc == DDI_DMA_MAPPED, bp
        assert cookies_now(ddi, c, n, h) == expected


def test_buf_from_umem_iosetup_binds_its_locked_pages():
    """The driver flow: ddi_umem_lock -> ddi_umem_iosetup -> ddi_dma_buf_bind_handle: cookies are
    the locked pages' physical addresses from the buf's shadow list."""
    ddi = new_ddi()
    proc = ddi.machine.new_process()
    ddi.curproc = proc
    va = proc.as_.mmap(4 * P, frames=[0x10, 0x11, 0x30, 0x31])
    rc, ck = ddi.ddi_umem_lock(va, 4 * P, DDI_UMEMLOCK_WRITE)
    assert rc == 0
    bp = ddi.ddi_umem_iosetup(ck, 0x1800, 0x2000, B_READ, 0, 0, None, DDI_UMEM_SLEEP)
    h = handle(ddi, attr())
    rc, c, n = ddi.ddi_dma_buf_bind_handle(h, bp, DDI_DMA_READ, DDI_DMA_SLEEP, None)
    assert rc == DDI_DMA_MAPPED
    assert cookies_now(ddi, c, n, h) == [(0x11800, 0x800), (0x30000, 0x1800)]


def test_buf_shadow_too_short_is_nomapping():
    ddi = new_ddi()
    h = handle(ddi, attr())
    bp = buf_t(b_flags=B_SHADOW, b_addr=0, b_bcount=2 * P, b_shadow=np.array([0x10000]))
    assert ddi.ddi_dma_buf_bind_handle(h, bp, DDI_DMA_READ, DDI_DMA_SLEEP, None)[0] == DDI_DMA_NOMAPPING


# --------------------------------------------------------------------------- all codes
def test_every_bind_return_code_is_reachable():
    """Every code of ddi_dma_buf_bind_handle(9F) RETURN VALUES, plus BADATTR of alloc."""
    seen = set()
    ddi = new_ddi()
    seen.add(bind_frames(ddi, attr(), [0x10])[0])                                    # MAPPED
    seen.add(bind_frames(ddi, attr(sgllen=1), [0x20, 0x30],
                         flags=DDI_DMA_WRITE | DDI_DMA_PARTIAL)[0])                   # PARTIAL_MAP
    rc, _, _, h = bind_frames(ddi, attr(), [0x40])
    seen.add(ddi.ddi_dma_addr_bind_handle(h, None, kbuf(ddi, [0x41]), 8, DDI_DMA_WRITE,
                                          DDI_DMA_SLEEP, None)[0])                   # INUSE
    ddi.machine.faults.arm("dma_resources")
    seen.add(bind_frames(ddi, attr(), [0x50])[0])                                    # NORESOURCES
    seen.add(bind_frames(ddi, attr(sgllen=1, granular=512), [0x60, 0x70], 0x700,
                         flags=DDI_DMA_WRITE | DDI_DMA_PARTIAL)[0])                   # NOMAPPING
    seen.add(bind_frames(ddi, attr(sgllen=1), [0x80, 0x90])[0])                      # TOOBIG
    seen.add(ddi.ddi_dma_alloc_handle(None, None, DDI_DMA_SLEEP, None)[0])           # BADATTR
    names = {rc_name(rc) for rc in seen}
    assert names == {"DDI_DMA_MAPPED", "DDI_DMA_PARTIAL_MAP", "DDI_DMA_INUSE", "DDI_DMA_NORESOURCES",
                     "DDI_DMA_NOMAPPING", "DDI_DMA_TOOBIG", "DDI_DMA_BADATTR"}


# ----------------------------------------------------------------------------- garbage
GARBAGE = [None, -1, 0, 1 << 70, "x", 1.5, object(), [1, 2], np.int64(-5), b"\x00", {"a": 1}]


@MODES
def test_garbage_never_raises(illumos):
    """No Python exception escapes an entry point for bad input: each answers its failure code."""
    ddi = new_ddi(illumos)
    good_h = handle(ddi, attr())
    va = kbuf(ddi, [0x10])
    bound_h = handle(ddi, attr(sgllen=1))
    ddi.ddi_dma_addr_bind_handle(bound_h, None, kbuf(ddi, [0x20, 0x30]), 2 * P,
                                 DDI_DMA_READ | DDI_DMA_PARTIAL, DDI_DMA_SLEEP, None)
    for g in GARBAGE:
        rc, h = ddi.ddi_dma_alloc_handle(g, g, g, g)
        assert rc == DDI_DMA_BADATTR and h is None
        assert ddi.ddi_dma_alloc_handle(None, attr(), g, g)[0] in (DDI_SUCCESS, DDI_DMA_BADATTR)
        for h in (g, good_h):
            assert ddi.ddi_dma_buf_bind_handle(h, g, g, g, g)[0] < 0
            rc, _, n = ddi.ddi_dma_buf_bind_handle(h, buf_t(b_flags=g, b_addr=g, b_bcount=g),
                                                   DDI_DMA_READ, DDI_DMA_SLEEP, None)
            assert rc < 0 or (illumos and rc == DDI_DMA_MAPPED and n == 0)   # 17.10 truncation
            ddi.ddi_dma_unbind_handle(good_h)
            assert ddi.ddi_dma_addr_bind_handle(h, g, va, 16, DDI_DMA_READ, DDI_DMA_SLEEP, None)[0] < 0 \
                or h is good_h
            ddi.ddi_dma_unbind_handle(good_h)
            assert ddi.ddi_dma_addr_bind_handle(h, None, g, g, g, g, g)[0] < 0
            assert ddi.ddi_dma_addr_bind_handle(h, None, va, 16, g, DDI_DMA_SLEEP, None)[0] in (
                DDI_DMA_MAPPED, DDI_DMA_NOMAPPING, DDI_DMA_BADATTR)
            ddi.ddi_dma_unbind_handle(good_h)
        for h in (g, bound_h):
            ddi.ddi_dma_nextcookie(g)
            assert ddi.ddi_dma_ncookies(g) == 0
            assert ddi.ddi_dma_numwin(g) == (DDI_FAILURE, 0)
            rc = ddi.ddi_dma_getwin(h, g)[0]
            assert rc == DDI_FAILURE or (h is bound_h and isinstance(g, int) and g == 0)
            assert ddi.ddi_dma_sync(h, g, g, g) in (DDI_SUCCESS, DDI_FAILURE)
            assert ddi.ddi_dma_sync(h, 0, 0, g) in (DDI_SUCCESS, DDI_FAILURE)
            assert ddi.ddi_dma_sync(g, 0, 0, 0) == DDI_FAILURE
            assert ddi.ddi_dma_unbind_handle(g) == DDI_FAILURE
            ddi.ddi_dma_free_handle(g)
    assert all_windows(ddi, bound_h)[0][2] == [(0x20000, P)]
