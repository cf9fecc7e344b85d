"""DMA handles, binds, windows, cookies, sync and resource callbacks (ddi_dma_*(9F)).

Cookies and windows are computed by :mod:`pyddi_model.cookies` (pure numpy functions); this mixin
adds the handle life cycle, the translation of a buf or an address range into page physical
addresses (reference section 2), copy (bounce) buffers with real data movement through
``Machine.read_phys``/``write_phys``, ``ddi_dma_sync`` and the callback list (section 10).

Default behaviour is the man-page contract; ``DDI(illumos=True)`` reproduces the production
illumos x86 differences of reference section 16. Model choices for bad input (no man page gives a
code) are listed in docs/model_dma.md; no Python exception escapes an entry point for bad input.
"""
from __future__ import annotations

import itertools

import numpy as np

from .constants import (
    B_PAGEIO,
    B_REMAPPED,
    B_SHADOW,
    DDI_DMA_BADATTR,
    DDI_DMA_CALLBACK_RUNOUT,
    DDI_DMA_DONTWAIT,
    DDI_DMA_INUSE,
    DDI_DMA_MAPPED,
    DDI_DMA_NOMAPPING,
    DDI_DMA_NORESOURCES,
    DDI_DMA_PARTIAL,
    DDI_DMA_PARTIAL_MAP,
    DDI_DMA_READ,
    DDI_DMA_SLEEP,
    DDI_DMA_SYNC_FORCPU,
    DDI_DMA_SYNC_FORDEV,
    DDI_DMA_SYNC_FORKERNEL,
    DDI_DMA_TOOBIG,
    DDI_DMA_WRITE,
    DDI_FAILURE,
    DDI_SUCCESS,
    DMA_ATTR_V0,
)
from .cookies import (
    U32_MAX,
    U64_MAX,
    BindPlan,
    Limits,
    bounce_mask,
    copybuf_pages_needed,
    npages_for,
    page_pieces,
    plan_bind,
)
from .structs import ddi_dma_attr_t, ddi_dma_cookie_t

ATTR_FIELDS = ("dma_attr_version", "dma_attr_addr_lo", "dma_attr_addr_hi", "dma_attr_count_max",
               "dma_attr_align", "dma_attr_burstsizes", "dma_attr_minxfer", "dma_attr_maxxfer",
               "dma_attr_seg", "dma_attr_sgllen", "dma_attr_granular", "dma_attr_flags")
UNSIGNED_FIELDS = tuple(f for f in ATTR_FIELDS if f != "dma_attr_sgllen")

RC_NAMES = {
    DDI_DMA_MAPPED: "DDI_DMA_MAPPED", DDI_DMA_PARTIAL_MAP: "DDI_DMA_PARTIAL_MAP",
    DDI_DMA_NORESOURCES: "DDI_DMA_NORESOURCES", DDI_DMA_NOMAPPING: "DDI_DMA_NOMAPPING",
    DDI_DMA_TOOBIG: "DDI_DMA_TOOBIG", DDI_DMA_BADATTR: "DDI_DMA_BADATTR",
    DDI_DMA_INUSE: "DDI_DMA_INUSE",
}


def rc_name(rc: int) -> str:
    """Symbolic name of a bind / alloc return code."""
    return RC_NAMES.get(rc, str(rc))


def _is_int(v) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool)


def check_attr(attr, pagesize: int, illumos: bool) -> str | None:
    """Why ``attr`` is refused by ddi_dma_alloc_handle (None = accepted).

    Both modes: the fields must be integers that fit their C types (the model cannot represent
    anything else). Man-page mode also rejects what ddi_dma_attr(9S) makes invalid; production
    illumos x86 runs no attribute check at all (its checks are DEBUG-only, section 1).
    """
    if not isinstance(attr, ddi_dma_attr_t):
        return "attr is not a ddi_dma_attr_t"
    for f in ATTR_FIELDS:
        v = getattr(attr, f, None)
        if not _is_int(v):
            return f"{f} is not an integer"
        lo, hi = (-(1 << 31), (1 << 31) - 1) if f == "dma_attr_sgllen" else (0, U64_MAX)
        if not lo <= int(v) <= hi:
            return f"{f} out of range for its C type"
    if illumos:
        return None
    a = attr
    if a.dma_attr_version != DMA_ATTR_V0:
        return "dma_attr_version: 'It should be set to DMA_ATTR_V0'"
    if a.dma_attr_addr_hi <= a.dma_attr_addr_lo:
        return "dma_attr_addr_hi must be above dma_attr_addr_lo (inclusive range)"
    if a.dma_attr_sgllen == 0:
        return "dma_attr_sgllen 0 is reserved ('< 0 unlimited, 1 no s/g, > 1 entries')"
    if a.dma_attr_granular == 0:
        return "dma_attr_granular 0: transfers must be multiples of the granularity"
    if a.dma_attr_maxxfer == 0:
        return "dma_attr_maxxfer 0: no byte could ever be transferred"
    if a.dma_attr_granular > 1 and a.dma_attr_maxxfer < a.dma_attr_granular:
        return "dma_attr_maxxfer is smaller than one dma_attr_granular unit"
    return None


class DmaHandle:
    """ddi_dma_handle_t: attributes, callback and the state of the current binding."""

    _ids = itertools.count(1)

    def __init__(self, dip, attr: ddi_dma_attr_t, limits: Limits):
        self.id = next(DmaHandle._ids)
        self.dip = dip
        self.attr = ddi_dma_attr_t(**{f: int(getattr(attr, f)) for f in ATTR_FIELDS})
        self.limits = limits
        self.freed = False
        self._clear()

    def _clear(self):
        self.bound = False
        self.plan: BindPlan | None = None
        self.flags = 0
        self.bind_rc = None
        self.cur_win = -1
        self.cursor = 0
        self.copy_frames = np.zeros(0, dtype=np.int64)
        self.fast_path = False

    # convenient read-only views for tests and the CLI
    @property
    def nwin(self) -> int:
        return self.plan.nwin if self.plan is not None else 0

    def window_cookies(self, win: int | None = None) -> list[tuple[int, int]]:
        """(address, size) of every cookie of window ``win`` (default: the current one)."""
        if self.plan is None:
            return []
        w = self.cur_win if win is None else win
        if not 0 <= w < self.plan.nwin:
            return []
        return self.plan.window(w).as_tuples()

    def __repr__(self) -> str:
        state = "freed" if self.freed else ("bound" if self.bound else "unbound")
        return f"<DmaHandle {self.id} {state}>"


def _same_pair(entry, func, arg) -> bool:
    """C compares the (func, arg) pointers; the model compares the function by identity and the
    argument by identity or equality."""
    if entry.func is not func:
        return False
    if entry.arg is arg:
        return True
    try:
        return bool(entry.arg == arg)
    except Exception:  # noqa: BLE001 - arrays and odd objects: not the same pair
        return False


class _Callback:
    __slots__ = ("func", "arg", "count")

    def __init__(self, func, arg, count):
        self.func, self.arg, self.count = func, arg, count


class DmaMixin:
    """ddi_dma_* entry points (ddi_dma_alloc_handle(9F) ... ddi_dma_sync(9F))."""

    def _init_state(self):
        self.dma_callbacks: list[_Callback] = []   # the nexus callback list (section 10)
        self.dma_violations: list[str] = []       # man-page contract violations seen (not errors)
        self._dma_running_callbacks = False

    # --------------------------------------------------------------------------- helpers
    def _dma_limits(self, attr) -> Limits:
        return Limits.from_attr(attr, pagesize=self.machine.pagesize, illumos=self.illumos)

    def _dma_callback_ok(self, callback) -> bool:
        return callback in (DDI_DMA_DONTWAIT, DDI_DMA_SLEEP) or callable(callback)

    def _dma_sleep_forbidden(self, callback) -> bool:
        """Man page CONTEXT: "except when callback is set to DDI_DMA_SLEEP, in which case it can be
        called from user or kernel context only"."""
        if callback is DDI_DMA_SLEEP or (_is_int(callback) and callback == DDI_DMA_SLEEP):
            if self.context == "interrupt":
                self.dma_violations.append("DDI_DMA_SLEEP from interrupt context")
                return not self.illumos
        return False

    def _dma_shortage(self, name: str, callback, arg) -> bool:
        """Consume an injected shortage; True means the call fails with NORESOURCES.

        DDI_DMA_SLEEP "wait[s] until resources are available": the shortage is waited out.
        DDI_DMA_DONTWAIT: "do not schedule a callback". A function: (func, arg) is queued.
        """
        if not self.machine.faults.take(name):
            return False
        if _is_int(callback) and callback == DDI_DMA_SLEEP:
            return False
        self._dma_queue_callback(callback, arg)
        return True

    def _dma_queue_callback(self, callback, arg) -> None:
        """Section 10: append (func, arg), or count a duplicate pair once more."""
        if not callable(callback):
            return
        for cb in self.dma_callbacks:
            if _same_pair(cb, callback, arg):
                cb.count += 1
                return
        self.dma_callbacks.append(_Callback(callback, arg, 1))

    def _dma_run_callbacks(self) -> None:
        """Run the callback list from a soft interrupt after an unbind or free (section 10).

        The pending invocations are counted at the start; each entry is called up to its count
        while it returns DDI_DMA_CALLBACK_DONE; on RUNOUT it is re-queued with its remaining count
        and not retried in this run.
        """
        if self._dma_running_callbacks or not self.dma_callbacks:
            return
        self._dma_running_callbacks = True
        try:
            with self.in_context("interrupt"):
                budget = sum(cb.count for cb in self.dma_callbacks)
                while budget > 0 and self.dma_callbacks:
                    cb = self.dma_callbacks.pop(0)
                    while cb.count > 0 and budget > 0:
                        budget -= 1
                        rc = cb.func(cb.arg)
                        if rc == DDI_DMA_CALLBACK_RUNOUT:
                            self._dma_requeue(cb)
                            break
                        cb.count -= 1
        finally:
            self._dma_running_callbacks = False

    def _dma_requeue(self, cb: _Callback) -> None:
        for other in self.dma_callbacks:
            if _same_pair(other, cb.func, cb.arg):
                other.count += cb.count
                return
        self.dma_callbacks.append(cb)

    def _dma_handle_ok(self, handle) -> bool:
        return isinstance(handle, DmaHandle) and not handle.freed

    # ----------------------------------------------------------------- handle life cycle
    def ddi_dma_alloc_handle(self, dip, attr, callback, arg):
        """ddi_dma_alloc_handle(9F) -> (rc, handle).

        "DDI_DMA_BADATTR: The attributes specified in attr are invalid" (attr NULL included);
        "DDI_DMA_NORESOURCES: No resources available" (injected "dma_handle_alloc"; the callback
        is queued unless DDI_DMA_DONTWAIT).
        """
        if attr is None:
            return DDI_DMA_BADATTR, None
        why = check_attr(attr, self.machine.pagesize, self.illumos)
        if why is not None:
            return DDI_DMA_BADATTR, None
        if not self._dma_callback_ok(callback):
            return DDI_DMA_BADATTR, None
        if self._dma_sleep_forbidden(callback):
            return DDI_DMA_NORESOURCES, None
        if self._dma_shortage("dma_handle_alloc", callback, arg):
            return DDI_DMA_NORESOURCES, None
        return DDI_SUCCESS, DmaHandle(dip, attr, self._dma_limits(attr))

    def ddi_dma_free_handle(self, handle) -> None:
        """ddi_dma_free_handle(9F): the handle must be unbound; the callback list then runs.

        A bound handle is unbound first (recorded in ``dma_violations``); a freed or foreign handle
        is ignored.
        """
        if not self._dma_handle_ok(handle):
            return
        if handle.bound:
            self.dma_violations.append(f"ddi_dma_free_handle on bound handle {handle.id}")
            self._dma_release(handle)
        handle.freed = True
        self._dma_run_callbacks()

    # ------------------------------------------------------------------------- binds
    def ddi_dma_buf_bind_handle(self, handle, bp, flags, callback, arg):
        """ddi_dma_buf_bind_handle(9F) -> (rc, first cookie, cookie count).

        The object is derived from the buf as illumos sunddi.c does (reference section 2):
        size = b_bcount truncated to 32 bits; B_PAGEIO -> page list b_pages; B_SHADOW -> b_shadow
        (index 0 = page holding b_addr); else b_addr translated in b_proc's address space (kernel
        if b_proc is None, is the kernel's, or B_REMAPPED).
        """
        pre = self._dma_bind_prologue(handle, flags, callback)
        if pre is not None:
            return pre
        try:
            bflags = int(bp.b_flags)
            bcount = int(bp.b_bcount)
            baddr = int(bp.b_addr)
        except (AttributeError, TypeError, ValueError):
            return DDI_DMA_NOMAPPING, None, 0
        if bcount < 0 or baddr < 0:
            return DDI_DMA_NOMAPPING, None, 0
        if bcount > U32_MAX and not self.illumos:
            # "DDI_DMA_TOOBIG: A request of this size can never be satisfied": the object size
            # field is 32 bits; illumos silently truncates instead.
            return DDI_DMA_TOOBIG, None, 0
        size = bcount & U32_MAX
        if size == 0 and not self.illumos:
            # Model choice (section 17.10): a zero-byte object cannot be reached; illumos returns
            # MAPPED with no cookie.
            return DDI_DMA_NOMAPPING, None, 0
        P = self.machine.pagesize
        offset = baddr & (P - 1)
        n = npages_for(offset, size, P)
        if bflags & B_PAGEIO or (bflags & B_SHADOW and bp.b_shadow is not None):
            src = bp.b_pages if bflags & B_PAGEIO else bp.b_shadow
            try:
                pages = np.asarray(src, dtype=np.int64).reshape(-1)
            except (TypeError, ValueError, OverflowError):
                return DDI_DMA_NOMAPPING, None, 0
            if pages.shape[0] < n:
                return DDI_DMA_NOMAPPING, None, 0
            pages = pages[:n]
        else:
            as_ = self._dma_buf_as(bp, bflags)
            if as_ is None:
                return DDI_DMA_NOMAPPING, None, 0
            pages = self._dma_translate(as_, baddr, n)
            if pages is None:
                return DDI_DMA_NOMAPPING, None, 0
        return self._dma_bind(handle, pages, offset, size, flags, callback, arg)

    def ddi_dma_addr_bind_handle(self, handle, as_, addr, len, flags, callback, arg):  # noqa: A002
        """ddi_dma_addr_bind_handle(9F) -> (rc, first cookie, cookie count).

        ``as_`` None = kernel address space. len 0 -> DDI_DMA_NOMAPPING (first check, both modes).
        """
        if _is_int(len) and len == 0 and self._dma_handle_ok(handle):
            return DDI_DMA_NOMAPPING, None, 0
        pre = self._dma_bind_prologue(handle, flags, callback)
        if pre is not None:
            return pre
        if not _is_int(addr) or not _is_int(len) or addr < 0 or len < 0:
            return DDI_DMA_NOMAPPING, None, 0
        if len > U32_MAX and not self.illumos:
            return DDI_DMA_TOOBIG, None, 0
        size = int(len) & U32_MAX
        if size == 0 and not self.illumos:
            return DDI_DMA_NOMAPPING, None, 0
        space = self.machine.kas if as_ is None else as_
        if not hasattr(space, "page_paddrs"):
            return DDI_DMA_NOMAPPING, None, 0
        P = self.machine.pagesize
        offset = int(addr) & (P - 1)
        pages = self._dma_translate(space, int(addr), npages_for(offset, size, P))
        if pages is None:
            return DDI_DMA_NOMAPPING, None, 0
        return self._dma_bind(handle, pages, offset, size, flags, callback, arg)

    def _dma_buf_as(self, bp, bflags):
        proc = getattr(bp, "b_proc", None)
        if proc is None or bflags & B_REMAPPED:
            return self.machine.kas
        space = getattr(proc, "as_", None)
        return space if hasattr(space, "page_paddrs") else None

    def _dma_translate(self, space, vaddr: int, npages: int):
        try:
            pages = space.page_paddrs(vaddr, npages)
        except (ValueError, TypeError, OverflowError):
            return None
        if npages and int(pages.min()) < 0:
            return None          # "DDI_DMA_NOMAPPING: The object cannot be reached"
        return pages

    def _dma_bind_prologue(self, handle, flags, callback):
        """Checks shared by both binds, in rootnex order; None = go on."""
        if not self._dma_handle_ok(handle):
            return DDI_DMA_BADATTR, None, 0       # model: no valid handle, so no valid attributes
        if not _is_int(flags) or not self._dma_callback_ok(callback):
            return DDI_DMA_NOMAPPING, None, 0
        if handle.bound:
            if not self.illumos:
                # "DDI_DMA_INUSE: Another I/O transaction is using the DMA handle."
                return DDI_DMA_INUSE, None, 0
            # Production illumos does not detect the rebind: the old binding is simply replaced.
            self.dma_violations.append(f"rebind of bound handle {handle.id}")
            self._dma_release(handle)
        if self._dma_sleep_forbidden(callback):
            return DDI_DMA_NORESOURCES, None, 0
        return None

    def _dma_bind(self, handle: DmaHandle, pages, offset, size, flags, callback, arg):
        lim = handle.limits
        flags = int(flags)
        if self._dma_shortage("dma_resources", callback, arg):
            return DDI_DMA_NORESOURCES, None, 0
        # Copy buffer: min(bounced pages x PAGESIZE, max copy buffer), allocated inside
        # addr_lo..addr_hi (section 4); allocated before the window decision as rootnex does.
        copy_frames = np.zeros(0, dtype=np.int64)
        copy_pages = None
        _, phys, sizes = page_pieces(pages, offset, size, lim.pagesize)
        nb = int(bounce_mask(phys, sizes, lim).sum())
        if nb:
            ncopy = copybuf_pages_needed(nb, lim)
            got = self._dma_alloc_copybuf(ncopy, lim, callback, arg)
            if isinstance(got, int):
                return got, None, 0
            copy_frames = got
            copy_pages = copy_frames << self.machine.pageshift
        plan = plan_bind(pages, offset, size, lim, partial=bool(flags & DDI_DMA_PARTIAL),
                         copy_pages=copy_pages)
        if plan.rc not in (DDI_DMA_MAPPED, DDI_DMA_PARTIAL_MAP):
            if copy_frames.shape[0]:
                self.machine.free_frames(copy_frames)
            return plan.rc, None, 0
        handle.bound = True
        handle.plan = plan
        handle.flags = flags
        handle.bind_rc = plan.rc
        handle.copy_frames = copy_frames
        handle.fast_path = not plan.partial_required and plan.nbounced == 0
        self._dma_activate(handle, 0)
        return plan.rc, self._dma_cookie_at(handle, 0), self.ddi_dma_ncookies(handle)

    def _dma_alloc_copybuf(self, ncopy: int, lim: Limits, callback, arg):
        m = self.machine
        lo = lim.addr_lo
        hi = min(lim.addr_hi, m.phys_bytes - 1)
        first = -(-lo // m.pagesize)
        whole = ((hi + 1) // m.pagesize) - first if hi >= lo else 0
        if whole < ncopy:
            return DDI_DMA_NOMAPPING       # addr_lo..addr_hi can never hold the copy buffer
        if self._dma_shortage("copybuf_alloc", callback, arg):
            return DDI_DMA_NORESOURCES
        try:
            return m.alloc_frames(ncopy, lo=lo, hi=hi)
        except MemoryError:
            self._dma_queue_callback(callback, arg)
            return DDI_DMA_NORESOURCES
        except ValueError:
            return DDI_DMA_NOMAPPING

    # -------------------------------------------------------------------- windows
    def _dma_window_bounced(self, handle: DmaHandle, w: int) -> bool:
        if handle.plan is None or not 0 <= w < handle.plan.nwin or not handle.plan.nbounced:
            return False
        return bool((handle.plan.window(w).cb >= 0).any())

    def _dma_activate(self, handle: DmaHandle, w: int) -> None:
        """Make window ``w`` current; implicit FORDEV of a copy-buffer window for WRITE binds."""
        handle.cur_win = w
        handle.cursor = 1
        if handle.flags & DDI_DMA_WRITE and self._dma_window_bounced(handle, w):
            self._dma_copy(handle, w, 0, 1 << 62, to_device=True)

    def _dma_copy(self, handle: DmaHandle, w: int, lo: int, hi: int, *, to_device: bool) -> None:
        """Copy between the caller's pages and the copy buffer for bounced cookies of window ``w``
        overlapping object bytes [lo, hi)."""
        ck = handle.plan.window(w)
        m = self.machine
        for i in np.flatnonzero(ck.cb >= 0).tolist():
            off, size = int(ck.off[i]), int(ck.size[i])
            s0, s1 = max(lo, off), min(hi, off + size)
            if s1 <= s0:
                continue
            orig = int(ck.orig[i]) + s0 - off
            bus = int(ck.addr[i]) + s0 - off
            if to_device:
                m.write_phys(bus, m.read_phys(orig, s1 - s0))
            else:
                m.write_phys(orig, m.read_phys(bus, s1 - s0))

    def _dma_cookie_at(self, handle: DmaHandle, i: int):
        if handle.plan is None or handle.cur_win < 0:
            return None
        plan = handle.plan
        w = handle.cur_win
        if w >= plan.nwin or not 0 <= i < int(plan.win_count[w]):
            return None
        j = int(plan.win_first[w]) + i
        return ddi_dma_cookie_t(dmac_laddress=int(plan.wcookies.addr[j]),
                                dmac_size=int(plan.wcookies.size[j]), dmac_type=0)

    def ddi_dma_nextcookie(self, handle):
        """ddi_dma_nextcookie(9F): the next cookie of the current window.

        "called exactly count-1 times after a bind or getwin"; past the end the model returns
        None (illumos panics), as it does for an unbound or foreign handle.
        """
        if not self._dma_handle_ok(handle) or not handle.bound:
            return None
        c = self._dma_cookie_at(handle, handle.cursor)
        if c is not None:
            handle.cursor += 1
        return c

    def ddi_dma_ncookies(self, handle) -> int:
        """ddi_dma_ncookies(9F): cookies of the current window (0 when unbound)."""
        if not self._dma_handle_ok(handle) or not handle.bound or handle.plan.nwin == 0:
            return 0
        return int(handle.plan.win_count[handle.cur_win])

    def ddi_dma_numwin(self, handle):
        """ddi_dma_numwin(9F) -> (rc, nwin).

        Man: "returns the number of DMA windows ... if partial resource allocation was permitted"
        (bound with DDI_DMA_PARTIAL), else DDI_FAILURE. illumos: DDI_FAILURE unless the last bind
        returned DDI_DMA_PARTIAL_MAP.
        """
        if not self._dma_handle_ok(handle) or not handle.bound:
            return DDI_FAILURE, 0
        if self.illumos:
            ok = handle.bind_rc == DDI_DMA_PARTIAL_MAP
        else:
            ok = bool(handle.flags & DDI_DMA_PARTIAL)
        return (DDI_SUCCESS, handle.plan.nwin) if ok else (DDI_FAILURE, 0)

    def ddi_dma_getwin(self, handle, win):
        """ddi_dma_getwin(9F) -> (rc, offset, length, first cookie, cookie count).

        "DDI_FAILURE: win is not a valid window index". Leaving a copy-buffer window of a READ
        bind syncs it FORCPU; entering one of a WRITE bind syncs it FORDEV. illumos: a fast-path
        MAPPED bind records no window, so getwin(0) fails there.
        """
        fail = (DDI_FAILURE, 0, 0, None, 0)
        if not self._dma_handle_ok(handle) or not handle.bound or not _is_int(win):
            return fail
        nwin = 0 if (self.illumos and handle.fast_path) else handle.plan.nwin
        if not 0 <= win < nwin:
            return fail
        old = handle.cur_win
        if handle.flags & DDI_DMA_READ and self._dma_window_bounced(handle, old):
            self._dma_copy(handle, old, 0, 1 << 62, to_device=False)
        self._dma_activate(handle, int(win))
        plan = handle.plan
        return (DDI_SUCCESS, int(plan.win_off[win]), int(plan.win_len[win]),
                self._dma_cookie_at(handle, 0), int(plan.win_count[win]))

    # ------------------------------------------------------------------------ sync
    def ddi_dma_sync(self, handle, off, length, type):  # noqa: A002 - C name
        """ddi_dma_sync(9F) -> DDI_SUCCESS / DDI_FAILURE.

        FORDEV "after the CPU writes, before the device reads": caller's bytes -> copy buffer.
        FORCPU "after the device writes, before the CPU reads" and FORKERNEL (same, a hint):
        copy buffer -> caller's bytes. Man: off/len are object offsets, "len 0 = to end",
        out-of-range -> DDI_FAILURE. illumos: a handle without bounced pages returns
        DDI_SUCCESS at once with no checking; otherwise off 0 means "current window start",
        len 0 "window size", nothing validated.
        """
        if not self._dma_handle_ok(handle) or not handle.bound:
            return DDI_FAILURE
        if not (_is_int(off) and _is_int(length) and _is_int(type)):
            return DDI_FAILURE
        plan = handle.plan
        if self.illumos:
            if plan.nbounced == 0 or plan.nwin == 0:
                return DDI_SUCCESS
            w = handle.cur_win
            wstart, wlen = int(plan.win_off[w]), int(plan.win_len[w])
            lo = wstart if off == 0 else int(off)
            hi = lo + (wlen if length == 0 else int(length))
            self._dma_copy(handle, w, lo, hi, to_device=(type == DDI_DMA_SYNC_FORDEV))
            return DDI_SUCCESS
        if type not in (DDI_DMA_SYNC_FORDEV, DDI_DMA_SYNC_FORCPU, DDI_DMA_SYNC_FORKERNEL):
            return DDI_FAILURE
        if off < 0 or length < 0 or off >= plan.size or off + length > plan.size:
            return DDI_FAILURE
        hi = plan.size if length == 0 else off + length
        if plan.nbounced and plan.nwin:
            self._dma_copy(handle, handle.cur_win, int(off), int(hi),
                           to_device=(type == DDI_DMA_SYNC_FORDEV))
        return DDI_SUCCESS

    # ---------------------------------------------------------------------- unbind
    def _dma_release(self, handle: DmaHandle) -> None:
        if handle.flags & DDI_DMA_READ and self._dma_window_bounced(handle, handle.cur_win):
            self._dma_copy(handle, handle.cur_win, 0, 1 << 62, to_device=False)
        if handle.copy_frames.shape[0]:
            self.machine.free_frames(handle.copy_frames)
        handle._clear()

    def ddi_dma_unbind_handle(self, handle):
        """ddi_dma_unbind_handle(9F): "frees all DMA resources"; a READ bind's copy-buffer window
        is synced FORCPU first; then the callback list runs. Man: DDI_FAILURE for a handle that is
        not bound; illumos does not detect it (DDI_SUCCESS).
        """
        if not self._dma_handle_ok(handle):
            return DDI_FAILURE
        if not handle.bound:
            return DDI_SUCCESS if self.illumos else DDI_FAILURE
        self._dma_release(handle)
        self._dma_run_callbacks()
        return DDI_SUCCESS
