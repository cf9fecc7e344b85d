"""Cookie and window rules of a bind, one test per rule (reference sections 3-4, 17 items 1-7, 11, 12).

Buffers sit on chosen frames so every expected address is exact. Frame 0x10 = physical 0x10000.
"""
import numpy as np
import pytest
from dma_util import all_windows, attr, bind_frames, cookies_now, handle, kbuf, new_ddi

from pyddi_model import (
    DDI_DMA_BADATTR,
    DDI_DMA_DONTWAIT,
    DDI_DMA_MAPPED,
    DDI_DMA_NOMAPPING,
    DDI_DMA_PARTIAL,
    DDI_DMA_PARTIAL_MAP,
    DDI_DMA_TOOBIG,
    DDI_DMA_WRITE,
    DDI_SUCCESS,
)
from pyddi_model.cookies import Limits, make_cookies, plan_bind, reference_cookies

P = 4096
MODES = pytest.mark.parametrize("illumos", [False, True], ids=["man", "illumos"])


def scattered(n, start=0x10, gap=2):
    return [start + gap * i for i in range(n)]


# ---------------------------------------------------------------- merging and splitting
@MODES
def test_adjacent_pages_merge_into_one_cookie(illumos):
    """ddi_dma_cookie(9S): a cookie is one physically contiguous piece - adjacent pages merge."""
    ddi = new_ddi(illumos)
    rc, c, n, h = bind_frames(ddi, attr(), [0x10, 0x11, 0x12, 0x20])
    assert rc == DDI_DMA_MAPPED
    assert cookies_now(ddi, c, n, h) == [(0x10000, 0x3000), (0x20000, 0x1000)]


@MODES
def test_item2_seg_line_splits_exactly(illumos):
    """17.2: "no cookie crosses a multiple of seg+1": seg 0xFFFF splits at the 64 KiB line."""
    ddi = new_ddi(illumos)
    rc, c, n, h = bind_frames(ddi, attr(seg=0xFFFF), [0xE, 0xF, 0x10, 0x11])
    assert rc == DDI_DMA_MAPPED
    assert cookies_now(ddi, c, n, h) == [(0xE000, 0x2000), (0x10000, 0x2000)]


def test_seg_line_inside_a_page_splits_at_the_byte_in_man_mode():
    """Man mode splits at byte granularity; illumos never splits a page (seg tested at page starts)."""
    ddi = new_ddi(False)
    rc, c, n, h = bind_frames(ddi, attr(seg=0x7FF), [0x10])
    assert cookies_now(ddi, c, n, h) == [(0x10000, 0x800), (0x10800, 0x800)]
    ddi = new_ddi(True)
    rc, c, n, h = bind_frames(ddi, attr(seg=0x7FF), [0x10])
    assert cookies_now(ddi, c, n, h) == [(0x10000, 0x1000)]


@pytest.mark.parametrize("illumos,expected", [(False, [0x800] * 4), (True, [0x1000] * 2)],
                         ids=["man", "illumos"])
def test_item3_count_max_below_a_page(illumos, expected):
    """17.3: count_max 0x7FF. Man: "cookie size <= count_max + 1" honoured; illumos production
    keeps page-sized cookies larger than count_max + 1 (DEBUG would have said BADATTR)."""
    ddi = new_ddi(illumos)
    rc, c, n, h = bind_frames(ddi, attr(count_max=0x7FF), [0x10, 0x11])
    assert rc == DDI_DMA_MAPPED
    assert [s for _, s in cookies_now(ddi, c, n, h)] == expected


@pytest.mark.parametrize("illumos,count_max,offset,expected", [
    (False, 0x2FFF, 0, [0x3000, 0x3000]),
    (True, 0x2FFF, 0, [0x2000, 0x2000, 0x2000]),          # early close: maxseg - PAGESIZE
    (False, 0x1FFF, 0, [0x2000, 0x2000, 0x2000]),
    (True, 0x1FFF, 0, [0x2000, 0x2000, 0x2000]),
    (False, 0x2FFF, 0x800, [0x3000, 0x2800]),
    (True, 0x2FFF, 0x800, [0x2800, 0x2000, 0x1000]),      # the offset changes the cap
], ids=["man-3p", "illumos-3p", "man-2p", "illumos-2p", "man-3p-off", "illumos-3p-off"])
def test_item4_maxseg_and_early_close(illumos, count_max, offset, expected):
    """17.4: maxseg 3 pages on 6 contiguous pages: illumos 3 x 0x2000 (section 3.3 quirk), man
    2 x 0x3000 ("cookies up to maxseg"); maxseg 2 pages gives 0x2000 cookies in both."""
    ddi = new_ddi(illumos)
    rc, c, n, h = bind_frames(ddi, attr(count_max=count_max), list(range(0x10, 0x16)), offset)
    assert rc == DDI_DMA_MAPPED
    got = cookies_now(ddi, c, n, h)
    assert [s for _, s in got] == expected
    assert got[0][0] == 0x10000 + offset


@MODES
def test_item11_unaligned_start_and_partial_last_page(illumos):
    """17.11: start offset 0x800: the first cookie is 0x800 bytes, merged with the next page when
    adjacent; the last page may be partial."""
    ddi = new_ddi(illumos)
    rc, c, n, h = bind_frames(ddi, attr(), [0x10, 0x20, 0x21], 0x800, 0x800 + 0x1000 + 0x100)
    assert rc == DDI_DMA_MAPPED
    assert cookies_now(ddi, c, n, h) == [(0x10800, 0x800), (0x20000, 0x1100)]
    rc, c, n, h = bind_frames(ddi, attr(), [0x30, 0x31], 0x800, 0x900)
    assert cookies_now(ddi, c, n, h) == [(0x30800, 0x900)]


@MODES
def test_item12_negative_sgllen_is_unlimited(illumos):
    """17.12 / ddi_dma_attr(9S): "sgllen < 0: unlimited"."""
    ddi = new_ddi(illumos)
    rc, c, n, h = bind_frames(ddi, attr(sgllen=-1), scattered(300))
    assert (rc, n) == (DDI_DMA_MAPPED, 300)


def test_item12_sgllen_zero():
    """17.12: sgllen 0 is reserved: man BADATTR at alloc; illumos production accepts the handle and
    the model then refuses every bind (TOOBIG, or NOMAPPING with PARTIAL) instead of looping."""
    rc, h = new_ddi(False).ddi_dma_alloc_handle(None, attr(sgllen=0), DDI_DMA_DONTWAIT, None)
    assert (rc, h) == (DDI_DMA_BADATTR, None)
    ddi = new_ddi(True)
    rc, _, _, h = bind_frames(ddi, attr(sgllen=0), [0x10])
    assert rc == DDI_DMA_TOOBIG
    rc, _, _, h = bind_frames(ddi, attr(sgllen=0), [0x10], flags=DDI_DMA_WRITE | DDI_DMA_PARTIAL)
    assert rc == DDI_DMA_NOMAPPING


# ---------------------------------------------------------------------------- windows
@MODES
def test_item1_sgllen1_two_discontiguous_pages(illumos):
    """17.1: sgllen 1 ("no scatter/gather"), two discontiguous pages: TOOBIG without
    DDI_DMA_PARTIAL; with it 2 windows of 1 cookie (no divide by zero in the model)."""
    ddi = new_ddi(illumos)
    rc, _, _, _ = bind_frames(ddi, attr(sgllen=1), [0x10, 0x20])
    assert rc == DDI_DMA_TOOBIG
    rc, c, n, h = bind_frames(ddi, attr(sgllen=1), [0x10, 0x20], flags=DDI_DMA_WRITE | DDI_DMA_PARTIAL)
    assert (rc, n) == (DDI_DMA_PARTIAL_MAP, 1)
    assert all_windows(ddi, h) == [(0, 0x1000, [(0x10000, 0x1000)]),
                                   (0x1000, 0x1000, [(0x20000, 0x1000)])]


@MODES
def test_item1_sgllen1_needing_a_trim_is_nomapping(illumos):
    """17.1: granular 512, first cookie 0x900 (offset 0x700): a window of one cookie cannot be
    trimmed to a granular multiple -> DDI_DMA_NOMAPPING."""
    ddi = new_ddi(illumos)
    rc, _, _, h = bind_frames(ddi, attr(sgllen=1, granular=512), [0x10, 0x20], 0x700,
                              flags=DDI_DMA_WRITE | DDI_DMA_PARTIAL)
    assert rc == DDI_DMA_NOMAPPING
    assert not h.bound


@MODES
def test_item5_granular_trim_moves_tail_to_next_window(illumos):
    """17.5 / ddi_dma_attr(9S) granular: "the sum of the sizes for a subgroup of segments is a
    multiple of the device granularity": the tail trimmed off window k opens window k+1; getwin
    back to k restores the trimmed size; the windows add up to the object."""
    ddi = new_ddi(illumos)
    size = 10 * P - 0x234
    rc, c, n, h = bind_frames(ddi, attr(sgllen=4, granular=512), scattered(10), 0x234, size,
                              flags=DDI_DMA_WRITE | DDI_DMA_PARTIAL)
    assert rc == DDI_DMA_PARTIAL_MAP
    wins = all_windows(ddi, h)
    w0, w1 = wins[0], wins[1]
    assert w0[1] == 0xDCC + 0x3000 - 0x1CC and w0[1] % 512 == 0
    last0 = w0[2][-1]
    assert last0 == (0x16000, 0x1000 - 0x1CC)
    assert w1[2][0] == (0x16000 + 0x1000 - 0x1CC, 0x1CC)      # the trimmed tail
    assert all(len(w[2]) <= 4 for w in wins)
    assert all(w[1] % 512 == 0 for w in wins[:-1])
    assert sum(w[1] for w in wins) == size
    offs = [w[0] for w in wins]
    assert offs == list(np.cumsum([0] + [w[1] for w in wins[:-1]]))
    rc, off, ln, c, n = ddi.ddi_dma_getwin(h, 0)
    assert cookies_now(ddi, c, n, h)[-1] == last0


def test_item6_non_power_of_two_granular():
    """17.6: granular 3 (production only): windows are cut to multiples of 3."""
    ddi = new_ddi(True)
    rc, c, n, h = bind_frames(ddi, attr(sgllen=2, granular=3), scattered(7),
                              flags=DDI_DMA_WRITE | DDI_DMA_PARTIAL)
    assert rc == DDI_DMA_PARTIAL_MAP
    wins = all_windows(ddi, h)
    assert all(w[1] % 3 == 0 for w in wins[:-1])
    assert sum(w[1] for w in wins) == 7 * P


def test_item6_trim_larger_than_last_cookie_is_nomapping():
    """17.6: a trim larger than the window's last cookie is unhandled by illumos (DEBUG assertion);
    the model answers DDI_DMA_NOMAPPING instead of corrupting cookies."""
    ddi = new_ddi(False)
    rc, _, _, h = bind_frames(ddi, attr(sgllen=2, granular=0x1000, count_max=0xFF), [0x10, 0x20],
                              flags=DDI_DMA_WRITE | DDI_DMA_PARTIAL)
    assert rc == DDI_DMA_NOMAPPING and not h.bound


@MODES
def test_item7_maxxfer_cut_splits_a_cookie(illumos):
    """17.7: "maxxfer: max bytes per transfer/window", rounded down to a granular multiple
    (0x2A80 -> 0x2A00); a cookie crossing the cut is split across two windows."""
    ddi = new_ddi(illumos)
    rc, c, n, h = bind_frames(ddi, attr(maxxfer=0x2A80, granular=0x200), scattered(8),
                              flags=DDI_DMA_WRITE | DDI_DMA_PARTIAL)
    assert rc == DDI_DMA_PARTIAL_MAP
    wins = all_windows(ddi, h)
    assert [w[1] for w in wins] == [0x2A00, 0x2A00, 0x2A00, 0x200]
    assert wins[0][2] == [(0x10000, 0x1000), (0x12000, 0x1000), (0x14000, 0xA00)]
    assert wins[1][2][0] == (0x14A00, 0x600)


@MODES
def test_maxxfer_without_partial_is_toobig(illumos):
    """Section 4: partial_required without DDI_DMA_PARTIAL -> DDI_DMA_TOOBIG."""
    ddi = new_ddi(illumos)
    rc, _, _, h = bind_frames(ddi, attr(maxxfer=0x1000), [0x10, 0x11])
    assert rc == DDI_DMA_TOOBIG and not h.bound


@MODES
def test_partial_flag_may_still_map_everything(illumos):
    """"Even when DDI_DMA_PARTIAL is set, the system may decide to allocate resources for the
    entire object ... in which case DDI_DMA_MAPPED is returned."""
    ddi = new_ddi(illumos)
    rc, c, n, h = bind_frames(ddi, attr(sgllen=8), scattered(3), flags=DDI_DMA_WRITE | DDI_DMA_PARTIAL)
    assert (rc, n) == (DDI_DMA_MAPPED, 3)


@MODES
def test_sgllen_groups_without_trim_are_exact_groups(illumos):
    """Notes of ddi_dma_buf_bind_handle(9F): each window holds at most sgllen cookies."""
    ddi = new_ddi(illumos)
    rc, c, n, h = bind_frames(ddi, attr(sgllen=17), scattered(100), flags=DDI_DMA_WRITE | DDI_DMA_PARTIAL)
    assert (rc, n) == (DDI_DMA_PARTIAL_MAP, 17)
    wins = all_windows(ddi, h)
    assert [len(w[2]) for w in wins] == [17] * 5 + [15]
    assert [a for w in wins for a, _ in w[2]] == [f * P for f in scattered(100)]


def test_8k_pages():
    """SPARC page size 8192 works: pages and the early close follow PAGESIZE."""
    ddi = new_ddi(True, pagesize=8192)
    rc, c, n, h = bind_frames(ddi, attr(count_max=0x5FFF), list(range(0x10, 0x16)))
    assert [s for _, s in cookies_now(ddi, c, n, h)] == [0x4000, 0x4000, 0x4000]


# ------------------------------------------------------------------ pure functions
def test_pure_functions_need_no_machine():
    """cookies.plan_bind works on a bare array of page addresses."""
    pages = np.array([0x10000, 0x11000, 0x30000], dtype=np.int64)
    plan = plan_bind(pages, 0x100, 3 * P - 0x200, Limits())
    assert plan.rc == DDI_DMA_MAPPED
    assert plan.cookies.as_tuples() == [(0x10100, 0x1F00), (0x30000, 0xF00)]
    assert plan.nwin == 1 and int(plan.win_len[0]) == 3 * P - 0x200


def test_pure_unmapped_page_is_nomapping():
    pages = np.array([0x10000, -1], dtype=np.int64)
    assert plan_bind(pages, 0, 2 * P, Limits()).rc == DDI_DMA_NOMAPPING


def test_vectorised_matches_reference_loop_on_a_large_case():
    """The numpy cookie generator equals the per-page reference loop (both modes)."""
    rng = np.random.default_rng(3)
    frames = np.cumsum(np.where(rng.random(5000) < 0.5, 1, rng.integers(2, 50, 5000)))
    pages = frames.astype(np.int64) * P
    for illumos in (False, True):
        lim = Limits(count_max=0x2FFF, seg=0xFFFF, illumos=illumos)
        ck, _ = make_cookies(pages, 0x345, 5000 * P - 0x400, lim)
        assert ck.as_tuples() == reference_cookies(pages, 0x345, 5000 * P - 0x400, lim)


def test_handle_helper_binds_kernel_buffer():
    ddi = new_ddi()
    va = kbuf(ddi, [0x40])
    h = handle(ddi, attr())
    rc, c, n = ddi.ddi_dma_addr_bind_handle(h, None, va, 10, DDI_DMA_WRITE, DDI_DMA_DONTWAIT, None)
    assert (rc, c.dmac_laddress, c.dmac_size, n) == (DDI_DMA_MAPPED, 0x40000, 10, 1)
    assert ddi.ddi_dma_unbind_handle(h) == DDI_SUCCESS
