"""Property tests (hypothesis) of cookie and window generation over random attributes and layouts.

For every accepted bind: cookies respect every limit (address range, count_max + 1, seg lines,
maxseg), cover the object's bytes exactly once and in order, windows add up to the object, no
window holds more than sgllen cookies or more than maxxfer' bytes, windows cut by a trim are
granular multiples, a window never uses one copy page for two different pages. The default run is
modest; the ``slow`` variants run many more examples.
"""
import numpy as np
import pytest
from dma_util import all_windows, attr, handle, new_ddi
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyddi_model import (
    DDI_DMA_DONTWAIT,
    DDI_DMA_MAPPED,
    DDI_DMA_NOMAPPING,
    DDI_DMA_PARTIAL,
    DDI_DMA_PARTIAL_MAP,
    DDI_DMA_TOOBIG,
    DDI_DMA_WRITE,
    DDI_SUCCESS,
)
from pyddi_model.cookies import Limits, copybuf_pages_needed, plan_bind, reference_cookies

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def layouts(draw, max_pages=40):
    """(pagesize, page physical addresses, offset, size): runs of adjacent frames, some of them
    below 1 MiB or above 4 GiB so that addr_lo/addr_hi bounce some pages."""
    pagesize = draw(st.sampled_from([4096, 8192]))
    n = draw(st.integers(1, max_pages))
    frames = []
    f = draw(st.integers(1, 1 << 21))
    for _ in range(n):
        if draw(st.booleans()):
            f += 1
        else:
            f = draw(st.one_of(st.integers(1, 255), st.integers(256, (1 << 19) - 1),
                               st.integers(1 << 19, 1 << 21)))
        frames.append(f)
    offset = draw(st.integers(0, pagesize - 1))
    size = draw(st.integers(1, n * pagesize - offset))
    return pagesize, np.array(frames, dtype=np.int64) * pagesize, offset, size


@st.composite
def limits(draw, pagesize, illumos):
    segs = [0xFFFFFFFF, 0xFFFF, 0x3FFF, (1 << 64) - 1, 2 * pagesize - 1]
    if not illumos:
        segs += [0x7FF, 0x17FF]           # lines inside pages: man mode splits bytes
    granular = draw(st.sampled_from([1, 1, 2, 512, 3] if illumos else [1, 1, 2, 512]))
    return Limits(
        addr_lo=draw(st.sampled_from([0, 0x100000])),
        addr_hi=draw(st.sampled_from([(1 << 64) - 1, 0xFFFFFFFF, (1 << 36) - 1])),
        count_max=draw(st.sampled_from([0xFFFFFFFF, 0xFFFF, 0x2FFF, 0x1FFF, 3 * pagesize - 1]
                                       + ([0x7FF, 0x2800] if not illumos else []))),
        seg=draw(st.sampled_from(segs)),
        maxxfer=draw(st.sampled_from([0xFFFFFFFF, 0x10000, 0x5000, 0x2A80])),
        sgllen=draw(st.sampled_from([-1, 1, 2, 3, 4, 17])),
        granular=granular, pagesize=pagesize, illumos=illumos,
        max_copybuf=draw(st.sampled_from([0x101000, 4 * pagesize])))


def phys_of(pages, offset, pagesize, x):
    """Physical address of object byte(s) ``x``."""
    y = offset + x
    return pages[y // pagesize] + y % pagesize


def check_plan(pages, offset, size, lim: Limits, plan):
    P = lim.pagesize
    assert plan.rc in (DDI_DMA_MAPPED, DDI_DMA_PARTIAL_MAP, DDI_DMA_NOMAPPING, DDI_DMA_TOOBIG)
    ck = plan.cookies
    # object cookies == the per-page reference loop
    assert ck.as_tuples() == reference_cookies(pages, offset, size, lim)
    if plan.rc == DDI_DMA_TOOBIG:
        assert plan.partial_required
        return
    if plan.rc == DDI_DMA_NOMAPPING:
        assert lim.trims or lim.sgllen == 0
        return
    nonadj = np.concatenate(([0], np.cumsum(np.diff(pages) != P)))
    for c in (ck, plan.wcookies):
        # bytes exactly once and in order, each cookie physically contiguous in the caller's pages
        assert (c.size > 0).all()
        if c is ck:
            assert np.array_equal(c.off, np.cumsum(c.size) - c.size) and int(c.size.sum()) == size
        assert np.array_equal(c.orig, phys_of(pages, offset, P, c.off))
        k0, k1 = (offset + c.off) // P, (offset + c.off + c.size - 1) // P
        assert (nonadj[k1] - nonadj[k0] == 0).all()
        bounced = c.cb >= 0
        assert np.array_equal(c.addr[~bounced], c.orig[~bounced])
        assert (c.addr[bounced] % P == c.orig[bounced] % P).all()
        assert (k0[bounced] == k1[bounced]).all()            # one page per bounced cookie
        # limits: address range; maxseg / count_max / seg lines (illumos: pages never split)
        assert (c.addr >= lim.addr_lo).all()
        assert (c.addr + c.size - 1 <= min(lim.addr_hi, 1 << 62)).all()
        if not lim.illumos:
            assert (c.size <= lim.maxseg).all()
            assert (c.size <= lim.count_max + 1).all()
            line = lim.seg_line
            assert (c.addr // line == (c.addr + c.size - 1) // line).all()
        else:
            assert (c.size <= max(lim.maxseg, P)).all()
    # windows
    wc = plan.wcookies
    assert plan.nwin >= 1 and int(plan.win_len.sum()) == size
    assert np.array_equal(plan.win_off, np.cumsum(plan.win_len) - plan.win_len)
    assert np.array_equal(wc.off, np.cumsum(wc.size) - wc.size)      # windows tile the object
    assert (plan.rc == DDI_DMA_PARTIAL_MAP) == (plan.nwin > 1)
    assert (plan.win_count <= lim.sgl_cap).all()
    assert (plan.win_len <= lim.maxxfer_eff).all() or plan.nwin == 1
    ncopy = copybuf_pages_needed(plan.nbounced, lim)
    for w in range(plan.nwin):
        c = plan.window(w)
        assert int(c.size.sum()) == int(plan.win_len[w])
        b = c.cb >= 0
        if b.any():
            used = {}
            for cb, pg in zip(c.cb[b].tolist(), ((offset + c.off[b]) // P).tolist(), strict=True):
                assert used.setdefault(cb, pg) == pg          # one copy page, one caller page
            assert len(used) <= ncopy
    if plan.partial_required and lim.trims:
        # A window ends on a granular multiple unless it is the last, or it was cut at maxxfer'
        # (itself a granular multiple) - so every window but the last is a multiple.
        assert (plan.win_len[:-1] % lim.granular == 0).all()


def test_checker_fires_on_corrupted_plans():
    """Negative control: check_plan rejects a cookie past addr_hi, an over-long window, a lost byte."""
    pages = np.array([0x10000, 0x20000, 0x30000], dtype=np.int64)
    lim = Limits(sgllen=2, addr_hi=0xFFFFFFFF)
    for corrupt in ("addr", "count", "size"):
        plan = plan_bind(pages, 0, 3 * 4096, lim, partial=True)
        check_plan(pages, 0, 3 * 4096, lim, plan)
        if corrupt == "addr":
            plan.wcookies.addr[0] = 0xFFFFF800
        elif corrupt == "count":
            plan.win_count[0] = 3
        else:
            plan.win_len[-1] -= 1
        with pytest.raises(AssertionError):
            check_plan(pages, 0, 3 * 4096, lim, plan)


@st.composite
def cases(draw, max_pages=40):
    pagesize, pages, offset, size = draw(layouts(max_pages))
    illumos = draw(st.booleans())
    return pages, offset, size, draw(limits(pagesize, illumos))


@FAST
@given(cases())
def test_plan_properties(case):
    pages, offset, size, lim = case
    plan = plan_bind(pages, offset, size, lim, partial=True)
    check_plan(pages, offset, size, lim, plan)
    nopartial = plan_bind(pages, offset, size, lim, partial=False)
    assert nopartial.rc == (DDI_DMA_TOOBIG if plan.partial_required else plan.rc)


@pytest.mark.slow
@SLOW
@given(cases(max_pages=300))
def test_plan_properties_many(case):
    pages, offset, size, lim = case
    check_plan(pages, offset, size, lim, plan_bind(pages, offset, size, lim, partial=True))


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_device_sees_the_buffer_bytes_in_cookie_order(data):
    """End to end through the DDI: the bytes at the cookies of every window, read in order, are
    the buffer's bytes (bounced pieces through the copy buffer after the implicit FORDEV)."""
    illumos = data.draw(st.booleans())
    ddi = new_ddi(illumos, seed=data.draw(st.integers(0, 1000)))
    m = ddi.machine
    P = m.pagesize
    n = data.draw(st.integers(1, 12))
    frames = data.draw(st.lists(st.one_of(st.integers(0x100, 0x200), st.integers(0x100000, 0x100100)),
                                min_size=n, max_size=n, unique=True))
    va = m.kas.mmap(n * P, frames=frames)
    offset = data.draw(st.integers(0, P - 1))
    size = data.draw(st.integers(1, n * P - offset))
    payload = bytes(data.draw(st.binary(min_size=size, max_size=size)))
    m.kas.write(va + offset, payload)
    a = attr(addr_hi=0xFFFFFFFF, sgllen=data.draw(st.sampled_from([-1, 1, 2, 5])),
             granular=data.draw(st.sampled_from([1, 4])),
             count_max=data.draw(st.sampled_from([0xFFFF, 0x1FFF])))
    h = handle(ddi, a)
    rc, c, cnt = ddi.ddi_dma_addr_bind_handle(h, None, va + offset, size, DDI_DMA_WRITE | DDI_DMA_PARTIAL,
                                              DDI_DMA_DONTWAIT, None)
    if rc == DDI_DMA_NOMAPPING:
        return
    assert rc in (DDI_DMA_MAPPED, DDI_DMA_PARTIAL_MAP)
    wins = all_windows(ddi, h)
    if not wins:                              # illumos fast path: no window to getwin
        assert illumos and rc == DDI_DMA_MAPPED
        wins = [(0, size, h.window_cookies())]
    seen = b"".join(m.read_phys(addr, sz) for _, _, cks in wins for addr, sz in cks)
    assert seen == payload
    for addr, sz in (x for _, _, cks in wins for x in cks):
        assert addr + sz - 1 <= 0xFFFFFFFF
    assert ddi.ddi_dma_unbind_handle(h) == DDI_SUCCESS
