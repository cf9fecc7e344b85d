"""ddi_umem_iosetup(9F), freerbuf(9F), biodone(9F).

Each test names the man-page sentence it checks; reference section 17 item 19 is covered in full.
"""
import numpy as np
import pytest
from idutil import stable_id

from pyddi_model import (
    B_BUSY,
    B_DONE,
    B_PHYS,
    B_READ,
    B_SHADOW,
    B_WRITE,
    DDI,
    DDI_UMEM_NOSLEEP,
    DDI_UMEM_PAGEABLE,
    DDI_UMEM_SLEEP,
    DDI_UMEM_TRASH,
    DDI_UMEMLOCK_READ,
    DDI_UMEMLOCK_WRITE,
    Machine,
)

PG = 4096
R, W = DDI_UMEMLOCK_READ, DDI_UMEMLOCK_WRITE
SLEEP, NOSLEEP = DDI_UMEM_SLEEP, DDI_UMEM_NOSLEEP


def locked(ddi, proc, npages=8, flags=R, prefix_pages=0):
    """Lock an npages buffer (after ``prefix_pages`` mapped but unlocked pages)."""
    va = proc.as_.mmap((prefix_pages + npages) * PG, contiguity=0.0) + prefix_pages * PG
    rc, cookie = ddi.ddi_umem_lock(va, npages * PG, flags)
    assert rc == 0
    return va, cookie


def iosetup(ddi, cookie, off, length, direction=B_WRITE, sleep=SLEEP, iodone=None):
    return ddi.ddi_umem_iosetup(cookie, off, length, direction, 0x1234, 77, iodone, sleep)


# --------------------------------------------------------------------------- buf fields
def test_buf_fields_as_illumos_fills_them(ddi, proc):
    """'returns a pointer to a buf(9S) structure corresponding to the memory cookie'; 'The blkno
    parameter ... will be assigned to the b_blkno field'; fields per reference section 13."""
    va, cookie = locked(ddi, proc)

    def done(bp):
        return 0

    bp = ddi.ddi_umem_iosetup(cookie, 2 * PG, 3 * PG, B_WRITE, 0x1234, 77, done, SLEEP)
    assert bp.b_flags == B_BUSY | B_PHYS | B_WRITE | B_SHADOW
    assert bp.b_addr == va + 2 * PG
    assert bp.b_bcount == 3 * PG
    assert bp.b_blkno == 77 and bp.b_lblkno == 77
    assert bp.b_edev == 0x1234
    assert bp.b_iodone is done
    assert bp.b_proc is proc
    assert bp.b_resid == 0 and bp.b_error == 0
    assert bp.b_shadow.tolist() == cookie.pparray[2:].tolist()
    assert bp.b_shadow[0] == proc.as_.page_paddrs(bp.b_addr, 1)[0]
    assert bp.cookie is cookie


def test_unaligned_off_keeps_offset_in_b_addr_and_rounds_shadow_down(any_ddi, proc):
    """off not page aligned: b_addr = base + off, b_shadow = page array + floor(off/PAGESIZE)."""
    va, cookie = locked(any_ddi, proc)
    bp = iosetup(any_ddi, cookie, 0x1800, 0x2000)
    assert bp.b_addr == va + 0x1800
    assert bp.b_shadow[0] == cookie.pparray[1]
    assert bp.b_shadow.tolist() == cookie.pparray[1:].tolist()


def test_shadow_with_8k_pages():
    m = Machine(pagesize=8192, seed=4)
    p = m.new_process()
    ddi = DDI(m, curproc=p)
    va = p.as_.mmap(4 * 8192)
    rc, cookie = ddi.ddi_umem_lock(va, 4 * 8192, R)
    bp = ddi.ddi_umem_iosetup(cookie, 0x1800, 0x4000, B_WRITE, 0, 0, None, SLEEP)
    assert bp.b_addr == va + 0x1800
    assert bp.b_shadow[0] == cookie.pparray[0]        # 0x1800 is still in the first 8 KiB page
    bp = ddi.ddi_umem_iosetup(cookie, 0x3000, 0x4000, B_WRITE, 0, 0, None, SLEEP)
    assert bp.b_shadow[0] == cookie.pparray[1]        # 0x3000 is in the second one


def test_kernel_cookie_buf_has_no_shadow_and_no_proc(any_ddi, machine):
    """KMEM_NON_PAGEABLE (ddi_umem_alloc) cookies: no page array -> no B_SHADOW, b_proc NULL."""
    kaddr, cookie = any_ddi.ddi_umem_alloc(4 * PG, DDI_UMEM_SLEEP)
    bp = iosetup(any_ddi, cookie, PG, PG, direction=B_READ)
    assert bp.b_flags == B_BUSY | B_PHYS | B_READ
    assert bp.b_shadow is None and bp.b_proc is None and bp.b_addr == kaddr + PG


@pytest.mark.parametrize("flag", [DDI_UMEM_PAGEABLE, DDI_UMEM_TRASH])
def test_pageable_or_trash_cookie_is_null(any_ddi, flag):
    """Only locked (UMEM_LOCKED) and non-pageable kernel cookies can do I/O."""
    kaddr, cookie = any_ddi.ddi_umem_alloc(4 * PG, flag)
    assert iosetup(any_ddi, cookie, 0, PG) is None


def test_overlapping_bufs_on_one_cookie(any_ddi, proc):
    """'Drivers can setup multiple buffer structures simultaneously active using the same memory
    cookie. The buf(9S) structures can span all or part of the region ... and can overlap'."""
    va, cookie = locked(any_ddi, proc)
    a = iosetup(any_ddi, cookie, 0, 8 * PG)
    b = iosetup(any_ddi, cookie, 3 * PG, 2 * PG)
    c = iosetup(any_ddi, cookie, 3 * PG + 1, 100)
    assert a is not b and b is not c
    assert all(any_ddi.buf_is_live(x) for x in (a, b, c))
    assert a.b_shadow[3] == b.b_shadow[0] == c.b_shadow[0]


# ---------------------------------------------------------------------- offset / length
def test_off_plus_len_equal_to_size_ok_and_one_more_null(any_ddi, proc):
    """'len ... Length of the I/O request' within the cookie: off+len == size ok, size+1 NULL."""
    va, cookie = locked(any_ddi, proc, npages=4)
    assert iosetup(any_ddi, cookie, PG, 3 * PG) is not None
    assert iosetup(any_ddi, cookie, 0, 4 * PG) is not None
    assert iosetup(any_ddi, cookie, PG, 3 * PG + 1) is None
    assert iosetup(any_ddi, cookie, 0, 4 * PG + 1) is None
    assert iosetup(any_ddi, cookie, 4 * PG, 1) is None


def test_zero_length_buf_accepted(any_ddi, proc):
    """The man page sets no lower bound on len: a zero-length buf is created (bind decides)."""
    va, cookie = locked(any_ddi, proc, npages=2)
    bp = iosetup(any_ddi, cookie, 2 * PG, 0)
    assert bp is not None and bp.b_bcount == 0


def test_negative_off_null_in_man_mode(ddi, proc):
    """'The off parameter specifies the offset from the start of the cookie' -> never negative."""
    va, cookie = locked(ddi, proc, npages=4, prefix_pages=2)
    assert iosetup(ddi, cookie, -PG, 2 * PG) is None
    assert iosetup(ddi, cookie, -1, 1) is None


def test_negative_off_wraps_in_illumos_mode(ddi_illumos, proc, machine):
    """illumos checks (off + len) > size in unsigned arithmetic: off = -PAGESIZE with
    len = 2 pages passes, and the buf starts one page BEFORE the locked range (unlocked)."""
    va, cookie = locked(ddi_illumos, proc, npages=4, prefix_pages=2)
    bp = iosetup(ddi_illumos, cookie, -PG, 2 * PG)
    assert bp is not None
    assert bp.b_addr == va - PG
    assert bp.b_shadow[0] == proc.as_.page_paddrs(va - PG, 1)[0]
    assert not machine.is_pinned(int(bp.b_shadow[0]))          # the hazard the quirk opens
    assert bp.b_shadow[1:].tolist() == cookie.pparray.tolist()
    # a negative off whose unsigned sum does not wrap back below size is still refused
    assert iosetup(ddi_illumos, cookie, -3 * PG, 2 * PG) is None
    assert iosetup(ddi_illumos, cookie, -PG, 6 * PG) is None   # len > size
    # off is an off_t: a value no off_t can hold is refused rather than wrapped
    assert iosetup(ddi_illumos, cookie, 2**64 - PG, 2 * PG) is None
    assert iosetup(ddi_illumos, cookie, -(2**64) - PG, 2 * PG) is None


# --------------------------------------------------------------------------- direction
@pytest.mark.parametrize("direction", [B_READ | B_WRITE, 0, 1, 0x200, -B_READ])
def test_direction_must_be_exactly_b_read_or_b_write(any_ddi, proc, direction):
    """'Must be set to B_READ for reads from the device or B_WRITE for writes to the device.'"""
    va, cookie = locked(any_ddi, proc)
    assert iosetup(any_ddi, cookie, 0, PG, direction=direction) is None


@pytest.mark.parametrize("lock_flags,good,bad", [(R, B_WRITE, B_READ), (W, B_READ, B_WRITE)])
def test_direction_compatible_with_lock_flags_man(ddi, proc, lock_flags, good, bad):
    """'The direction must be compatible with the flags used to create the memory cookie ...
    if ddi_umem_lock() is called with ... DDI_UMEMLOCK_READ, the direction parameter in
    ddi_umem_iosetup() should be set to B_WRITE.'"""
    va, cookie = locked(ddi, proc, flags=lock_flags)
    assert iosetup(ddi, cookie, 0, PG, direction=good).b_flags & (B_READ | B_WRITE) == good
    assert iosetup(ddi, cookie, 0, PG, direction=bad) is None


@pytest.mark.parametrize("lock_flags,bad", [(R, B_READ), (W, B_WRITE)])
def test_direction_mismatch_accepted_in_illumos_mode(ddi_illumos, proc, lock_flags, bad):
    """illumos does not check the direction against the lock flags."""
    va, cookie = locked(ddi_illumos, proc, flags=lock_flags)
    assert iosetup(ddi_illumos, cookie, 0, PG, direction=bad) is not None


# ----------------------------------------------------------------------- sleep / context
@pytest.mark.parametrize("sleepflag", [2, -1, 0x10])
def test_bad_sleepflag_null(any_ddi, proc, sleepflag):
    """'Possible flags are DDI_UMEM_SLEEP ... or DDI_UMEM_NOSLEEP'."""
    va, cookie = locked(any_ddi, proc)
    assert iosetup(any_ddi, cookie, 0, PG, sleep=sleepflag) is None


def test_nosleep_fails_under_shortage(any_ddi, proc, machine):
    """'DDI_UMEM_NOSLEEP allocations do not sleep but may fail (return NULL) if memory is
    currently not available.'"""
    va, cookie = locked(any_ddi, proc)
    machine.faults.arm("buf_alloc")
    assert iosetup(any_ddi, cookie, 0, PG, sleep=NOSLEEP) is None
    assert iosetup(any_ddi, cookie, 0, PG, sleep=NOSLEEP) is not None


def test_sleep_succeeds_under_shortage(any_ddi, proc, machine):
    """'DDI_UMEM_SLEEP allocations may sleep but are guaranteed to succeed.'"""
    va, cookie = locked(any_ddi, proc)
    machine.faults.arm("buf_alloc", times=3)
    for _ in range(3):
        assert iosetup(any_ddi, cookie, 0, PG, sleep=SLEEP) is not None
    assert any_ddi.umem_iosetup_sleeps == 3


def test_sleep_from_interrupt_context_null_nosleep_ok(any_ddi, proc):
    """'can be called from any context only if flag is set to DDI_UMEM_NOSLEEP. If
    DDI_UMEM_SLEEP is set, ddi_umem_iosetup(9F) can be called from user and kernel context only.'"""
    va, cookie = locked(any_ddi, proc)
    with any_ddi.in_context("interrupt"):
        assert iosetup(any_ddi, cookie, 0, PG, sleep=SLEEP) is None
        assert iosetup(any_ddi, cookie, 0, PG, sleep=NOSLEEP) is not None
    with any_ddi.in_context("kernel"):
        assert iosetup(any_ddi, cookie, 0, PG, sleep=SLEEP) is not None


def test_unlocked_cookie_null(any_ddi, proc):
    """'The kernel memory cookie allocated by ddi_umem_lock(9F)': a released one is invalid,
    even while its deferred unlock is still queued."""
    va, cookie = locked(any_ddi, proc)
    with any_ddi.in_context("interrupt"):
        any_ddi.ddi_umem_unlock(cookie)
        assert iosetup(any_ddi, cookie, 0, PG, sleep=NOSLEEP) is None
    assert iosetup(any_ddi, cookie, 0, PG) is None


# ---------------------------------------------------------------------- freerbuf/biodone
def test_freerbuf_invalidates_the_buf(any_ddi, proc):
    """'the driver calls freerbuf(9F) to free the buffer structure.'"""
    va, cookie = locked(any_ddi, proc)
    bp = iosetup(any_ddi, cookie, 0, PG)
    any_ddi.freerbuf(bp)
    assert not any_ddi.buf_is_live(bp)
    assert bp.b_flags == 0 and bp.b_shadow is None and bp.b_bcount == 0 and bp.cookie is None
    any_ddi.freerbuf(bp)                                   # double free: ignored, recorded
    assert any_ddi.ignored_calls == ["freerbuf: not a live ddi_umem_iosetup buf"]


def test_biodone_sets_b_done_and_calls_iodone_man(ddi, proc):
    """biodone(9F) sets B_DONE; 'The iodone parameter enables the driver to identify a specific
    biodone(9F) routine to be called by the driver when the I/O is complete.'"""
    va, cookie = locked(ddi, proc)
    seen = []
    bp = iosetup(ddi, cookie, 0, PG, iodone=lambda b: seen.append(b.b_flags))
    ddi.biodone(bp)
    assert bp.b_flags & B_DONE
    assert seen == [bp.b_flags]                 # B_DONE already set when iodone runs


def test_biodone_with_iodone_leaves_b_done_to_it_illumos(ddi_illumos, proc):
    """illumos bio.c: with b_iodone set, biodone calls it instead of setting B_DONE."""
    va, cookie = locked(ddi_illumos, proc)
    seen = []
    bp = iosetup(ddi_illumos, cookie, 0, PG, iodone=seen.append)
    ddi_illumos.biodone(bp)
    assert seen == [bp] and not bp.b_flags & B_DONE
    plain = iosetup(ddi_illumos, cookie, 0, PG)
    ddi_illumos.biodone(plain)
    assert plain.b_flags & B_DONE


def test_biodone_on_freed_buf_ignored(any_ddi, proc):
    va, cookie = locked(any_ddi, proc)
    calls = []
    bp = iosetup(any_ddi, cookie, 0, PG, iodone=calls.append)
    any_ddi.freerbuf(bp)
    any_ddi.biodone(bp)
    assert calls == [] and not bp.b_flags & B_DONE


# ------------------------------------------------------------------------------ garbage
GARBAGE = [None, -1, 1 << 70, -(1 << 70), 2**64 - 1, 3.5, "0", b"", [], {}, object(), True,
           np.int64(-5)]


@pytest.mark.parametrize("junk", GARBAGE, ids=stable_id)
def test_garbage_to_iosetup_returns_null_or_buf_never_raises(any_ddi, proc, junk):
    """Bad input gets its documented return code: NULL (None), never an exception."""
    va, cookie = locked(any_ddi, proc)
    good = [cookie, 0, PG, B_WRITE, 0, 0, None, SLEEP]
    for i in range(len(good)):
        args = list(good)
        args[i] = junk
        bp = any_ddi.ddi_umem_iosetup(*args)
        assert bp is None or bp.b_bcount <= cookie.size


@pytest.mark.parametrize("junk", GARBAGE, ids=stable_id)
def test_garbage_to_freerbuf_biodone_never_raises(any_ddi, junk):
    any_ddi.freerbuf(junk)
    any_ddi.biodone(junk)
    assert len(any_ddi.ignored_calls) == 2
