"""Cookie and window generation for a DMA bind, as pure functions over page physical addresses.

Nothing here needs a :class:`~pyddi_model.machine.Machine` or a DDI object: the input is the
physical address of every page of the object (``page_paddrs``, one int64 per page, the first
being the page that holds the object's first byte), the start offset inside that first page, the
object size and a :class:`Limits` built from a ``ddi_dma_attr_t``. The output is a
:class:`BindPlan`: the bind result code, the cookies and the windows.

Rules (ddi_dma_buf_bind_handle(9F), ddi_dma_attr(9S), docs/model_dma.md):

* "dma_attr_addr_lo / dma_attr_addr_hi: inclusive reachable range" - a page piece outside it is
  bounced through a copy buffer page that lies inside it; a bounced piece never merges with a
  neighbour.
* "no cookie crosses a multiple of dma_attr_seg + 1", "cookie size <= count_max + 1" and
  "maxxfer bytes per transfer": cookies are at most ``maxseg = min(seg+1, maxxfer', count_max+1)``
  (maxxfer' = maxxfer rounded down to a granular multiple).
* Man-page mode (default) merges physically adjacent pages greedily up to ``maxseg`` and splits at
  byte granularity at seg lines.  illumos mode reproduces rootnex: pages are never split, the seg
  test is ``(p & seg) == 0`` at page starts, the early-close quirk caps cookies at
  ``maxseg - PAGESIZE`` (section 3.3) and ``addr_hi`` is compared with the exclusive end of a page
  (a page ending exactly at ``addr_hi + 1`` is bounced).
* Windows (section 4): a window holds at most ``sgllen`` cookies, at most ``maxxfer'`` bytes and
  at most the copy buffer's pages; ``granular`` trimming moves the tail of a window's last cookie
  into the next window.

Everything per page is numpy (adjacency with ``np.diff``, seg lines and ``maxseg`` splits with
repeat/cumulative sums), so a 1 GiB object of 262144 scattered pages binds in milliseconds.
Window building is vectorised when no trim or cut other than the sgllen grouping is needed, and
otherwise runs the section-4 algorithm cookie by cookie.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .constants import (
    DDI_DMA_MAPPED,
    DDI_DMA_NOMAPPING,
    DDI_DMA_PARTIAL_MAP,
    DDI_DMA_TOOBIG,
    MAX_COPYBUF_SIZE,
)

# Addresses and sizes live in int64 arrays; attribute values beyond this (all-ones 64-bit masks)
# are clamped to it, which is far above any modelled physical address.
HUGE = 1 << 62
U32_MAX = 0xFFFFFFFF
U64_MAX = (1 << 64) - 1


def _sat_plus_one(value: int) -> int:
    """value + 1 on a 64-bit unsigned field, saturating instead of wrapping (illumos maxseg)."""
    return min(value + 1, U64_MAX)


@dataclass(frozen=True)
class Limits:
    """The ddi_dma_attr(9S) fields that shape cookies and windows, plus the page size and mode."""

    addr_lo: int = 0
    addr_hi: int = U32_MAX
    count_max: int = U32_MAX
    seg: int = U32_MAX
    maxxfer: int = U32_MAX
    sgllen: int = -1
    granular: int = 1
    pagesize: int = 4096
    illumos: bool = False
    max_copybuf: int = MAX_COPYBUF_SIZE

    @classmethod
    def from_attr(cls, attr, pagesize: int = 4096, illumos: bool = False) -> "Limits":
        return cls(
            addr_lo=int(attr.dma_attr_addr_lo), addr_hi=int(attr.dma_attr_addr_hi),
            count_max=int(attr.dma_attr_count_max), seg=int(attr.dma_attr_seg),
            maxxfer=int(attr.dma_attr_maxxfer), sgllen=int(attr.dma_attr_sgllen),
            granular=int(attr.dma_attr_granular), pagesize=int(pagesize), illumos=bool(illumos))

    @property
    def trims(self) -> bool:
        """Whether granular trimming can apply (granular 0 and 1 mean "any size")."""
        return self.granular > 1

    @property
    def maxxfer_eff(self) -> int:
        """maxxfer rounded *down* to a multiple of granular (section 1, derived values)."""
        m = self.maxxfer & U64_MAX
        if self.trims:
            m -= m % self.granular
        return m

    @property
    def sgl_cap(self) -> int:
        """Cookies per window: sgllen, with a negative value meaning unlimited."""
        return HUGE if self.sgllen < 0 else self.sgllen

    @property
    def maxseg(self) -> int:
        """Largest cookie: min(seg+1, maxxfer', count_max+1)."""
        m = min(_sat_plus_one(self.seg & U64_MAX), self.maxxfer_eff,
                _sat_plus_one(self.count_max & U64_MAX))
        if self.illumos and (m == 0 or m > U32_MAX):
            m = U32_MAX   # rootnex: "if result is 0 or > 0xFFFFFFFF it becomes 0xFFFFFFFF"
        return max(1, min(m, HUGE))

    @property
    def seg_line(self) -> int:
        """Man mode: the seg lines are the multiples of seg + 1."""
        return min(_sat_plus_one(self.seg & U64_MAX), HUGE)

    @property
    def copybuf_pages(self) -> int:
        return max(1, self.max_copybuf // self.pagesize)


@dataclass
class Cookies:
    """Parallel int64 arrays, one entry per cookie, in object order.

    ``addr``/``size``: the bus address and length the device sees; ``off``: offset of the cookie's
    first byte in the object; ``orig``: physical address of the caller's bytes (== addr unless
    bounced); ``cb``: copy-buffer page index used by a bounced cookie, -1 otherwise.
    """

    addr: np.ndarray
    size: np.ndarray
    off: np.ndarray
    orig: np.ndarray
    cb: np.ndarray

    def __len__(self) -> int:
        return int(self.addr.shape[0])

    @classmethod
    def empty(cls) -> "Cookies":
        z = np.zeros(0, dtype=np.int64)
        return cls(z, z.copy(), z.copy(), z.copy(), z.copy())

    def take(self, sel) -> "Cookies":
        return Cookies(self.addr[sel], self.size[sel], self.off[sel], self.orig[sel], self.cb[sel])

    def as_tuples(self) -> list[tuple[int, int]]:
        return list(zip(self.addr.tolist(), self.size.tolist(), strict=True))


@dataclass
class BindPlan:
    """Result of :func:`plan_bind`.

    ``rc`` is the bind return code. On success ``cookies`` is the object's cookie list (before
    window cuts), ``wcookies`` the concatenated cookies of every window (cuts and trims applied),
    and window ``w`` is ``win_off[w]``, ``win_len[w]`` bytes, cookies ``wcookies[win_first[w]:
    win_first[w] + win_count[w]]``.
    """

    rc: int
    size: int = 0
    cookies: Cookies = field(default_factory=Cookies.empty)
    wcookies: Cookies = field(default_factory=Cookies.empty)
    win_off: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    win_len: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    win_first: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    win_count: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    nbounced: int = 0
    partial_required: bool = False
    reason: str = ""

    @property
    def nwin(self) -> int:
        return int(self.win_off.shape[0])

    def window(self, w: int) -> Cookies:
        first = int(self.win_first[w])
        return self.wcookies.take(slice(first, first + int(self.win_count[w])))


# ------------------------------------------------------------------------------------------
# pages -> pieces
# ------------------------------------------------------------------------------------------

def npages_for(offset: int, size: int, pagesize: int) -> int:
    """Pages spanned by ``size`` bytes starting ``offset`` bytes into the first page."""
    if size <= 0:
        return 0
    return (offset + size + pagesize - 1) // pagesize


def page_pieces(page_paddrs: np.ndarray, offset: int, size: int, pagesize: int):
    """Physical start and byte count of the object's part of each page.

    The first page holds ``min(size, PAGESIZE - offset)`` bytes, then full pages, the last page
    may be partial (section 3).
    """
    n = npages_for(offset, size, pagesize)
    base = np.asarray(page_paddrs, dtype=np.int64)[:n]
    sizes = np.full(n, pagesize, dtype=np.int64)
    if n:
        sizes[0] = min(size, pagesize - offset)
        if n > 1:
            sizes[-1] = offset + size - (n - 1) * pagesize
    phys = base.copy()
    if n:
        phys[0] += offset
    return base, phys, sizes


def bounce_mask(phys: np.ndarray, sizes: np.ndarray, lim: Limits) -> np.ndarray:
    """Pieces the device cannot reach directly and that need a copy-buffer page.

    Man page: outside the inclusive range ``addr_lo..addr_hi``. illumos compares the exclusive end
    with the inclusive ``addr_hi`` (``p + s > addr_hi``): a page ending exactly at ``addr_hi + 1``
    is bounced too (section 3.1, conservative off-by-one).
    """
    hi = min(lim.addr_hi & U64_MAX, HUGE)
    if lim.illumos:
        return (phys < lim.addr_lo) | (phys + sizes > hi)
    return (phys < lim.addr_lo) | (phys + sizes - 1 > hi)


def default_copy_pages(n: int, lim: Limits) -> np.ndarray:
    """Placeholder copy-buffer pages for machine-less use: consecutive pages from addr_lo up."""
    p = lim.pagesize
    first = -(-lim.addr_lo // p) * p
    return first + p * np.arange(n, dtype=np.int64)


def copybuf_pages_needed(nbounced: int, lim: Limits) -> int:
    """Copy buffer = min(bounced pages x PAGESIZE, max copy buffer) (section 4)."""
    return min(nbounced, lim.copybuf_pages)


# ------------------------------------------------------------------------------------------
# cookies
# ------------------------------------------------------------------------------------------

def _expand(counts: np.ndarray):
    """For groups of ``counts`` items: (group index, index within group) of every item."""
    counts = counts.astype(np.int64)
    total = int(counts.sum())
    group = np.repeat(np.arange(counts.shape[0], dtype=np.int64), counts)
    starts = np.cumsum(counts) - counts
    within = np.arange(total, dtype=np.int64) - np.repeat(starts, counts)
    return group, within


def _split_runs(start: np.ndarray, length: np.ndarray, line: int, maxseg: int):
    """Split contiguous byte runs at multiples of ``line``, then into chunks of <= ``maxseg``.

    Returns (group, start, length) of the pieces; group = index of the run each comes from.
    """
    first_line = start // line
    last_line = (start + length - 1) // line
    g1, j = _expand(last_line - first_line + 1)
    edge = (first_line[g1] + j) * line
    pstart = np.where(j == 0, start[g1], edge)
    pend = np.minimum(edge + line, start[g1] + length[g1])
    plen = pend - pstart
    g2, k = _expand(-(-plen // maxseg))
    cstart = pstart[g2] + k * maxseg
    clen = np.minimum(maxseg, plen[g2] - k * maxseg)
    return g1[g2], cstart, clen


def _illumos_run_pages(first_size: np.ndarray, maxseg: int, pagesize: int):
    """Pages in the first cookie of a run whose first page has ``first_size`` bytes, followed by
    full pages, and whether that cookie is closed early (section 3.2-3.3).

    rootnex appends a page while ``cookie + s <= maxseg`` and, after appending, closes the cookie
    when ``cookie + s == maxseg``. So after t appends the cookie is first + t*P; it stops at
    t = (maxseg-first)//P, or one earlier when that division is exact and leaves >= 2 appends.
    """
    room = maxseg - first_size
    q = np.where(room >= 0, room // pagesize, 0)
    exact = (room >= 0) & (room % pagesize == 0) & (q >= 2)
    appends = np.where(exact, q - 1, q)
    return 1 + appends, exact


def _illumos_cookies(base, phys, sizes, bounced, bus, lim: Limits):
    """rootnex cookie generation, vectorised per run of pages that may share a cookie."""
    n = phys.shape[0]
    P = lim.pagesize
    maxseg = lim.maxseg
    seg = lim.seg & U64_MAX
    new = np.ones(n, dtype=bool)
    if n > 1:
        adjacent = np.diff(base) == P
        seg_start = (phys[1:] & min(seg, HUGE)) == 0 if seg < HUGE else (phys[1:] == 0)
        new[1:] = ~adjacent | bounced[1:] | bounced[:-1] | seg_start
    # The object's partial last page joins the cookie before it by its own test (below), so the
    # runs are formed on full-size pages only.
    tail_partial = n > 1 and sizes[-1] < P and not new[-1]
    m = n - 1 if tail_partial else n
    rs = np.flatnonzero(new[:m])
    rl = np.diff(np.append(rs, m))
    first_size = sizes[rs]
    n1, closed1 = _illumos_run_pages(first_size, maxseg, P)
    n1 = np.minimum(n1, rl)
    K_arr, kclosed = _illumos_run_pages(np.array([P], dtype=np.int64), maxseg, P)
    K, kclosed = int(K_arr[0]), bool(kclosed[0])
    rest = rl - n1
    nchunks = -(-rest // K)
    per_run = 1 + nchunks
    grp, idx = _expand(per_run)
    # page index where each cookie starts and the number of pages it holds
    cstart_page = rs[grp] + np.where(idx == 0, 0, n1[grp] + (idx - 1) * K)
    cpages = np.where(idx == 0, n1[grp], np.minimum(K, rest[grp] - (idx - 1) * K))
    csize = np.where(idx == 0, first_size[grp] + (cpages - 1) * P, cpages * P)
    closed = np.where(idx == 0, closed1[grp] & (n1[grp] == _illumos_run_pages(first_size, maxseg, P)[0][grp]),
                      kclosed & (cpages == K))
    caddr = bus[cstart_page]
    cfirst = cstart_page
    if tail_partial:
        s_last = int(sizes[-1])
        last_open = caddr.shape[0] > 0 and not bool(closed[-1])
        if last_open and int(csize[-1]) + s_last <= maxseg and int(cstart_page[-1] + cpages[-1]) == n - 1:
            csize = csize.copy()
            csize[-1] += s_last
        else:
            caddr = np.append(caddr, bus[-1])
            csize = np.append(csize, s_last)
            cfirst = np.append(cfirst, n - 1)
    return cfirst, caddr, csize


def make_cookies(page_paddrs, offset: int, size: int, lim: Limits, copy_pages=None):
    """Cookies of an object (section 3). Returns (Cookies, nbounced).

    ``copy_pages``: physical addresses of the copy-buffer pages (bounced piece j uses page
    ``j mod len(copy_pages)``, at the piece's own in-page offset); None = placeholders.
    """
    P = lim.pagesize
    base, phys, sizes = page_pieces(page_paddrs, offset, size, P)
    n = phys.shape[0]
    if n == 0:
        return Cookies.empty(), 0
    bounced = bounce_mask(phys, sizes, lim)
    bidx = np.flatnonzero(bounced)
    nb = int(bidx.shape[0])
    cb = np.full(n, -1, dtype=np.int64)
    bus = phys.copy()
    if nb:
        if copy_pages is None:
            copy_pages = default_copy_pages(copybuf_pages_needed(nb, lim), lim)
        copy_pages = np.asarray(copy_pages, dtype=np.int64)
        cbi = np.arange(nb, dtype=np.int64) % copy_pages.shape[0]
        cb[bidx] = cbi
        bus[bidx] = copy_pages[cbi] + (phys[bidx] & (P - 1))
    poff = np.cumsum(sizes) - sizes          # object offset of each piece
    if lim.illumos:
        pidx, caddr, csize = _illumos_cookies(base, phys, sizes, bounced, bus, lim)
        coff = poff[pidx]
        corig = phys[pidx]
        ccb = cb[pidx]
    else:
        new = np.ones(n, dtype=bool)
        if n > 1:
            new[1:] = (np.diff(base) != P) | bounced[1:] | bounced[:-1]
        rs = np.flatnonzero(new)
        rlen = np.add.reduceat(sizes, rs)
        grp, caddr, csize = _split_runs(bus[rs], rlen, lim.seg_line, lim.maxseg)
        delta = caddr - bus[rs][grp]
        coff = poff[rs][grp] + delta
        corig = phys[rs][grp] + delta
        ccb = cb[rs][grp]
    return Cookies(caddr.astype(np.int64), csize.astype(np.int64), coff.astype(np.int64),
                   corig.astype(np.int64), ccb.astype(np.int64)), nb


# ------------------------------------------------------------------------------------------
# windows
# ------------------------------------------------------------------------------------------

class _WindowError(Exception):
    def __init__(self, rc: int, reason: str):
        super().__init__(reason)
        self.rc = rc
        self.reason = reason


def _windows_by_group(ck: Cookies, cap: int):
    """Vectorised windows: consecutive groups of ``cap`` cookies, nothing cut or trimmed."""
    n = len(ck)
    first = np.arange(0, n, cap, dtype=np.int64) if n else np.zeros(1, dtype=np.int64)
    count = np.minimum(cap, n - first)
    if n:
        wlen = np.add.reduceat(ck.size, first)
        woff = ck.off[first]
    else:
        wlen = np.zeros(1, dtype=np.int64)
        woff = np.zeros(1, dtype=np.int64)
    return ck, woff, wlen, first, count


def _windows_loop(ck: Cookies, lim: Limits, ncopy: int, trim_required: bool):
    """Section 4 window building, cookie by cookie (used when cuts or trims are needed)."""
    cap = lim.sgl_cap
    maxxfer = lim.maxxfer_eff
    gran = lim.granular
    if maxxfer <= 0:
        raise _WindowError(DDI_DMA_TOOBIG, "effective maxxfer is 0 (maxxfer < granular)")
    if cap <= 0:
        raise _WindowError(DDI_DMA_NOMAPPING, "sgllen 0 admits no cookie in a window")
    out_a: list[int] = []
    out_s: list[int] = []
    out_o: list[int] = []
    out_r: list[int] = []
    out_c: list[int] = []
    woff: list[int] = []
    wlen: list[int] = []
    wfirst: list[int] = []
    wcount: list[int] = []
    # current window
    w_first = 0
    w_size = 0
    w_n = 0
    w_cbused = 0
    w_cblast = -1

    def close():
        nonlocal w_first, w_size, w_n, w_cbused, w_cblast
        if w_n:
            woff.append(out_o[w_first])
            wlen.append(w_size)
            wfirst.append(w_first)
            wcount.append(w_n)
        w_first = len(out_a)
        w_size = 0
        w_n = 0
        w_cbused = 0
        w_cblast = -1

    def append(a, s, o, r, c):
        nonlocal w_size, w_n, w_cbused, w_cblast
        out_a.append(a)
        out_s.append(s)
        out_o.append(o)
        out_r.append(r)
        out_c.append(c)
        w_size += s
        w_n += 1
        if c >= 0 and c != w_cblast:
            w_cbused += 1
            w_cblast = c

    for a, s, o, r, c in zip(ck.addr.tolist(), ck.size.tolist(), ck.off.tolist(),
                             ck.orig.tolist(), ck.cb.tolist(), strict=True):
        while True:
            copybuf_full = c >= 0 and c != w_cblast and w_cbused >= ncopy
            if copybuf_full or w_n >= cap:
                if not trim_required or w_size % gran == 0:
                    close()
                    continue
                if cap == 1:
                    raise _WindowError(DDI_DMA_NOMAPPING,
                                "sgllen 1 and a window that is not a multiple of granular")
                trim = w_size % gran
                if trim >= out_s[-1]:
                    raise _WindowError(DDI_DMA_NOMAPPING,
                                "granular trim larger than the window's last cookie")
                keep = out_s[-1] - trim
                ta, to, tr, tc = out_a[-1] + keep, out_o[-1] + keep, out_r[-1] + keep, out_c[-1]
                out_s[-1] = keep
                w_size -= trim
                close()
                append(ta, trim, to, tr, tc)
                continue
            if w_size + s > maxxfer:
                excess = w_size + s - maxxfer
                if excess < s:
                    head = s - excess
                    append(a, head, o, r, c)
                    a, o, r, s = a + head, o + head, r + head, excess
                close()
                continue
            append(a, s, o, r, c)
            break
    close()
    wc = Cookies(*(np.asarray(x, dtype=np.int64) for x in (out_a, out_s, out_o, out_r, out_c)))
    return (wc, np.asarray(woff, dtype=np.int64), np.asarray(wlen, dtype=np.int64),
            np.asarray(wfirst, dtype=np.int64), np.asarray(wcount, dtype=np.int64))


def build_windows(ck: Cookies, size: int, nbounced: int, lim: Limits, partial: bool) -> BindPlan:
    """Section 4: decide whether windows are needed and build them."""
    ncopy = copybuf_pages_needed(nbounced, lim)
    maxxfer = lim.maxxfer_eff
    cap = lim.sgl_cap
    partial_required = ncopy < nbounced or size > maxxfer or len(ck) > cap
    plan = BindPlan(rc=DDI_DMA_MAPPED, size=size, cookies=ck, nbounced=nbounced,
                    partial_required=partial_required)
    if partial_required and not partial:
        plan.rc = DDI_DMA_TOOBIG
        plan.reason = ("needs %s but DDI_DMA_PARTIAL not set" %
                       ("a bigger copy buffer" if ncopy < nbounced else
                        "more than maxxfer bytes" if size > maxxfer else "more than sgllen cookies"))
        return plan
    trim_required = partial_required and lim.trims
    try:
        if not partial_required:
            parts = _windows_by_group(ck, max(len(ck), 1))
        elif ncopy >= nbounced and size <= maxxfer and cap > 0 and _group_cuts_granular(ck, cap, lim):
            parts = _windows_by_group(ck, cap)
        else:
            parts = _windows_loop(ck, lim, ncopy, trim_required)
    except _WindowError as f:
        plan.rc = f.rc
        plan.reason = f.reason
        return plan
    plan.wcookies, plan.win_off, plan.win_len, plan.win_first, plan.win_count = parts
    plan.rc = DDI_DMA_PARTIAL_MAP if plan.nwin > 1 else DDI_DMA_MAPPED
    return plan


def _group_cuts_granular(ck: Cookies, cap: int, lim: Limits) -> bool:
    """True when every sgllen-group boundary already falls on a granular multiple (no trims)."""
    if not lim.trims or len(ck) <= cap:
        return True
    cuts = ck.off[cap::cap]
    return bool(np.all(cuts % lim.granular == 0))


def plan_bind(page_paddrs, offset: int, size: int, lim: Limits, *, partial: bool = False,
              copy_pages=None) -> BindPlan:
    """Cookies and windows of an object: the whole of a bind except resource allocation.

    ``page_paddrs``: physical address of each page (>= npages_for(offset, size)); -1 = unmapped.
    """
    if size <= 0:
        return BindPlan(rc=DDI_DMA_MAPPED, size=0)
    n = npages_for(offset, size, lim.pagesize)
    pages = np.asarray(page_paddrs, dtype=np.int64)
    if pages.shape[0] < n:
        return BindPlan(rc=DDI_DMA_NOMAPPING, size=size, reason="object extends past its pages")
    if n and int(pages[:n].min()) < 0:
        return BindPlan(rc=DDI_DMA_NOMAPPING, size=size, reason="object has unmapped pages")
    ck, nb = make_cookies(pages, offset, size, lim, copy_pages)
    return build_windows(ck, size, nb, lim, partial)


# ------------------------------------------------------------------------------------------
# reference implementations (per page, plain Python) used as test oracles
# ------------------------------------------------------------------------------------------

def reference_cookies(page_paddrs, offset: int, size: int, lim: Limits, copy_pages=None):
    """Per-page, per-byte-run loop with the same rules as :func:`make_cookies`: (addr, size) list."""
    P = lim.pagesize
    base, phys, sizes = page_pieces(page_paddrs, offset, size, P)
    bounced = bounce_mask(phys, sizes, lim).tolist()
    base, phys, sizes = base.tolist(), phys.tolist(), sizes.tolist()
    nb = sum(bounced)
    if nb and copy_pages is None:
        copy_pages = default_copy_pages(copybuf_pages_needed(nb, lim), lim)
    copy_pages = [] if copy_pages is None else [int(x) for x in copy_pages]
    maxseg = lim.maxseg
    out: list[list[int]] = []
    j = 0
    if lim.illumos:
        seg = lim.seg & U64_MAX
        closed = True
        for i in range(len(phys)):
            p, s = phys[i], sizes[i]
            if bounced[i]:
                out.append([copy_pages[j % len(copy_pages)] + (p & (P - 1)), s])
                j += 1
                closed = True
                continue
            start_new = (closed or i == 0 or bounced[i - 1] or base[i - 1] + P != base[i]
                         or (p & seg) == 0 or out[-1][1] + s > maxseg)
            if start_new:
                out.append([p, s])
                closed = False
            else:
                out[-1][1] += s
                if out[-1][1] + s == maxseg:
                    closed = True
        return [tuple(c) for c in out]
    line = lim.seg_line
    runs: list[list[int]] = []
    for i in range(len(phys)):
        if bounced[i]:
            runs.append([copy_pages[j % len(copy_pages)] + (phys[i] & (P - 1)), sizes[i]])
            j += 1
            continue
        if i and not bounced[i - 1] and base[i - 1] + P == base[i]:
            runs[-1][1] += sizes[i]
        else:
            runs.append([phys[i], sizes[i]])
    for a, s in runs:
        while s:
            room = min(maxseg, (a // line + 1) * line - a, s)
            out.append([a, room])
            a += room
            s -= room
    return [tuple(c) for c in out]
