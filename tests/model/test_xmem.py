"""AIX xmemdma64 / xmemdma: hide and unhide pages around DMA.

Each test names the AIX documentation sentence it checks; reference section 17 item 21 is
covered in full.
"""
import numpy as np
import pytest
from idutil import stable_id

from pyddi_model import (
    DDI,
    DDI_UMEMLOCK_READ,
    PROT_NONE,
    PROT_READ,
    XMEM_ACC_CHK,
    XMEM_DR_SAFE,
    XMEM_FAIL,
    XMEM_HIDE,
    XMEM_NOACC,
    XMEM_RDONLY,
    XMEM_UNHIDE,
    XMEM_WRITE_ONLY,
    Machine,
)
from pyddi_model.xmem import RecordingCacheHook, xmem

PG = 4096


@pytest.fixture
def region(ddi, proc):
    """A locked (pinned) 4-page user buffer and a cross-memory descriptor for it."""
    va = proc.as_.mmap(4 * PG, contiguity=0.0)
    rc, cookie = ddi.ddi_umem_lock(va, 4 * PG, DDI_UMEMLOCK_READ)
    assert rc == 0
    return va, cookie, ddi.xmem_attach(va, 4 * PG)


def ops(machine):
    return machine.cache_hook.ops


# ------------------------------------------------------------------------- hide / unhide
def test_hide_returns_the_real_address(ddi, machine, region):
    """'On successful completion, the xmemdma64 service returns the real address corresponding
    to the xaddr' (frame + in-page offset; xaddr = offset in the region)."""
    va, cookie, dp = region
    real = ddi.xmemdma64(dp, PG + 0x123, XMEM_HIDE)
    assert real == int(cookie.pparray[1]) + 0x123
    assert real == dp.as_.vtop(va + PG + 0x123)


def test_hide_three_times_flushes_once_unhide_three_times_validates_once(ddi, machine, region):
    """'If the flag parameter indicates XMEM_HIDE ... and it is the first hide for the page, ...
    flushing the cache and making the page invalid. When the XMEM_UNHIDE bit is set and it is
    the last unhide for the page, ... The page is made valid.'"""
    va, cookie, dp = region
    page = int(cookie.pparray[0])
    for n in (1, 2, 3):
        assert ddi.xmemdma64(dp, 0x10, XMEM_HIDE) == page + 0x10
        assert machine.hide_count(page) == n and machine.is_hidden(page + 0xFFF)
    assert ops(machine) == [("flush_invalidate", page, PG)]
    for n in (2, 1):
        assert ddi.xmemdma64(dp, 0x10, XMEM_UNHIDE) == page + 0x10
        assert machine.hide_count(page) == n
    assert ops(machine) == [("flush_invalidate", page, PG)]
    assert not machine.is_modified(page)
    assert ddi.xmemdma64(dp, 0x10, XMEM_UNHIDE) == page + 0x10
    assert machine.hide_count(page) == 0 and not machine.is_hidden(page)
    assert ops(machine) == [("flush_invalidate", page, PG), ("page_valid", page, True)]
    assert machine.is_modified(page)


def test_hide_counts_are_per_page(ddi, machine, region):
    va, cookie, dp = region
    ddi.xmemdma64(dp, 0, XMEM_HIDE)
    ddi.xmemdma64(dp, 2 * PG + 5, XMEM_HIDE)
    assert [machine.hide_count(int(p)) for p in cookie.pparray] == [1, 0, 1, 0]
    assert [o[1] for o in ops(machine)] == [int(cookie.pparray[0]), int(cookie.pparray[2])]


def test_unhide_with_count_zero_is_tolerated(ddi, machine, region):
    """Model choice: an unhide without a hide changes nothing and returns the real address."""
    va, cookie, dp = region
    page = int(cookie.pparray[3])
    assert ddi.xmemdma64(dp, 3 * PG + 8, XMEM_UNHIDE) == page + 8
    assert machine.hide_count(page) == 0
    assert ops(machine) == [] and not machine.is_modified(page)


def test_custom_cache_hook_receives_the_calls(ddi, machine, region):
    """The testbench plugs its processor-cache model in through machine.cache_hook."""
    class Hook(RecordingCacheHook):
        pass

    machine.cache_hook = Hook()
    va, cookie, dp = region
    ddi.xmemdma64(dp, 0, XMEM_HIDE)
    ddi.xmemdma64(dp, 0, XMEM_UNHIDE)
    assert [o[0] for o in machine.cache_hook.ops] == ["flush_invalidate", "page_valid"]


# ------------------------------------------------------------------ modified bit, waiters
def test_read_only_storage_key_leaves_modified_bit_clear(ddi, machine, region):
    """'The modified bit for the page is set unless the page has a read-only storage key.'"""
    va, cookie, dp = region
    page = int(cookie.pparray[0])
    machine.set_readonly_storage_key(page)
    ddi.xmemdma64(dp, 0, XMEM_HIDE)
    ddi.xmemdma64(dp, 0, XMEM_UNHIDE)
    assert not machine.is_modified(page)
    assert ops(machine)[-1] == ("page_valid", page, False)


def test_waiters_readied_on_last_unhide_only(ddi, machine, region):
    """'Any processes that is waiting on the page are readied.' (on the last unhide)"""
    va, cookie, dp = region
    page = int(cookie.pparray[1])
    woken = []
    ddi.xmemdma64(dp, PG, XMEM_HIDE)
    ddi.xmemdma64(dp, PG, XMEM_HIDE)
    machine.add_page_waiter(page + 0x40, woken.append)
    machine.add_page_waiter(page, woken.append)
    ddi.xmemdma64(dp, PG, XMEM_UNHIDE)
    assert woken == [] and machine.page_waiters(page) == 2
    ddi.xmemdma64(dp, PG, XMEM_UNHIDE)
    assert woken == [page, page] and machine.page_waiters(page) == 0


def test_pager_io_page_no_wakeups_no_modified_bit(ddi, machine, region):
    """'If the page is not in pager I/O state:' waiters are readied and the modified bit set;
    in pager I/O neither happens (the page is still made valid)."""
    va, cookie, dp = region
    page = int(cookie.pparray[2])
    machine.set_pager_io(page)
    woken = []
    machine.add_page_waiter(page, woken.append)
    ddi.xmemdma64(dp, 2 * PG, XMEM_HIDE)
    ddi.xmemdma64(dp, 2 * PG, XMEM_UNHIDE)
    assert woken == [] and not machine.is_modified(page)
    assert machine.hide_count(page) == 0
    assert ops(machine)[-1] == ("page_valid", page, False)


def test_pager_io_page_need_not_be_pinned(ddi, proc, machine):
    """'The page that is specified must be in memory and must be pinned' - or in pager I/O."""
    va = proc.as_.mmap(PG)
    page = int(proc.as_.page_paddrs(va, 1)[0])
    dp = ddi.xmem_attach(va, PG)
    assert ddi.xmemdma64(dp, 0, XMEM_HIDE) == XMEM_FAIL
    machine.set_pager_io(page)
    assert ddi.xmemdma64(dp, 0, XMEM_HIDE) == page


# ------------------------------------------------------------------------- access checks
def test_acc_chk_read_only_page_needs_write_only(ddi, proc, machine):
    """'If the XMEM_ACC_CHK bit is set, then the xmemdma64 kernel service also verifies access
    permissions to the page. If the page access is read-only, then the XMEM_WRITE_ONLY bit must
    be set in the flag parameter.'"""
    va = proc.as_.mmap(PG, PROT_READ)
    rc, cookie = ddi.ddi_umem_lock(va, PG, DDI_UMEMLOCK_READ)
    dp = ddi.xmem_attach(va, PG)
    page = int(cookie.pparray[0])
    assert ddi.xmemdma64(dp, 0, XMEM_ACC_CHK) == XMEM_FAIL
    assert machine.hide_count(page) == 0 and ops(machine) == []          # no state change
    assert ddi.xmemdma64(dp, 0, XMEM_ACC_CHK | XMEM_WRITE_ONLY) == page
    assert machine.hide_count(page) == 1
    assert ddi.xmemdma64(dp, 0, XMEM_HIDE) == page                      # no check asked


def test_acc_chk_read_only_descriptor(ddi, region):
    va, cookie, _ = region
    dp = ddi.xmem_attach(va, 4 * PG, access=XMEM_RDONLY)
    assert ddi.xmemdma64(dp, 0, XMEM_ACC_CHK) == XMEM_FAIL
    assert ddi.xmemdma64(dp, 0, XMEM_ACC_CHK | XMEM_WRITE_ONLY) == int(cookie.pparray[0])


def test_acc_chk_no_access_fails_even_with_write_only(ddi, proc, machine, region):
    """'Access is not allowed to the page.' -> XMEM_FAIL."""
    va, cookie, _ = region
    dp = ddi.xmem_attach(va, 4 * PG, access=XMEM_NOACC)
    assert ddi.xmemdma64(dp, 0, XMEM_ACC_CHK | XMEM_WRITE_ONLY) == XMEM_FAIL
    proc.as_.mprotect(va, PG, PROT_NONE)
    dp = ddi.xmem_attach(va, 4 * PG)
    assert ddi.xmemdma64(dp, 0, XMEM_ACC_CHK | XMEM_WRITE_ONLY) == XMEM_FAIL
    assert machine.hide_count(int(cookie.pparray[0])) == 0


def test_unhide_does_no_access_check(ddi, proc, region):
    va, cookie, dp = region
    assert ddi.xmemdma64(dp, 0, XMEM_HIDE) > 0
    proc.as_.mprotect(va, PG, PROT_NONE)
    assert ddi.xmemdma64(dp, 0, XMEM_UNHIDE | XMEM_ACC_CHK) == int(cookie.pparray[0])


# ------------------------------------------------------------------------ XMEM_FAIL cases
def test_invalid_descriptor_fails(ddi, region):
    """'The descriptor was invalid.'"""
    va, cookie, dp = region
    assert ddi.xmemdma64(None, 0, XMEM_HIDE) == XMEM_FAIL
    assert ddi.xmemdma64(xmem(), 0, XMEM_HIDE) == XMEM_FAIL
    assert ddi.xmemdma64(xmem(aspace_id=7, as_=dp.as_), 0, XMEM_HIDE) == XMEM_FAIL
    ddi.xmem_detach(dp)
    assert ddi.xmemdma64(dp, 0, XMEM_HIDE) == XMEM_FAIL


def test_xaddr_outside_the_region_fails(ddi, region):
    """'The page that is specified by the xaddr or xp parameter is invalid.'"""
    va, cookie, dp = region
    assert ddi.xmemdma64(dp, 4 * PG, XMEM_HIDE) == XMEM_FAIL
    assert ddi.xmemdma64(dp, -1, XMEM_HIDE) == XMEM_FAIL


def test_unmapped_page_fails(ddi, proc):
    va = proc.as_.mmap(PG)
    dp = ddi.xmem_attach(va, 2 * PG)                    # second page is the hole after it
    assert ddi.xmemdma64(dp, PG, XMEM_HIDE) == XMEM_FAIL


def test_unpinned_page_fails(ddi, proc, machine):
    """'The page that is specified must be in memory and must be pinned.'"""
    va = proc.as_.mmap(PG)
    dp = ddi.xmem_attach(va, PG)
    assert ddi.xmemdma64(dp, 0, XMEM_HIDE) == XMEM_FAIL
    rc, cookie = ddi.ddi_umem_lock(va, PG, DDI_UMEMLOCK_READ)
    assert ddi.xmemdma64(dp, 0, XMEM_HIDE) == int(cookie.pparray[0])
    assert ddi.xmemdma64(dp, 0, XMEM_UNHIDE) == int(cookie.pparray[0])
    ddi.ddi_umem_unlock(cookie)
    assert ddi.xmemdma64(dp, 0, XMEM_HIDE) == XMEM_FAIL


def test_kernel_descriptor_uses_kernel_addresses(ddi, machine):
    """'If the cross-memory descriptor is for the kernel, the xaddr parameter specifies a
    kernel address.'"""
    kaddr, cookie = ddi.ddi_umem_alloc(2 * PG, 0)
    dp = ddi.xmem_kernel()
    page = int(machine.kas.page_paddrs(kaddr + PG, 1)[0])
    assert ddi.xmemdma64(dp, kaddr + PG + 7, XMEM_HIDE) == page + 7
    assert ddi.xmemdma64(dp, 0x1000, XMEM_HIDE) == XMEM_FAIL


@pytest.mark.parametrize("context", ["user", "kernel", "interrupt"])
def test_callable_from_process_or_interrupt(ddi, region, context):
    """'The xmemdma64 kernel service can be called from either the process or interrupt
    environment.'"""
    va, cookie, dp = region
    with ddi.in_context(context):
        assert ddi.xmemdma64(dp, 0, XMEM_HIDE) == int(cookie.pparray[0])


def test_dr_safe(ddi, machine, region):
    """XMEM_DR_SAFE: without it the page is marked non-removable (DLPAR)."""
    va, cookie, dp = region
    ddi.xmemdma64(dp, 0, XMEM_HIDE | XMEM_DR_SAFE)
    assert machine.is_dr_removable(int(cookie.pparray[0]))
    ddi.xmemdma64(dp, PG, XMEM_HIDE)
    assert not machine.is_dr_removable(int(cookie.pparray[1]))


# --------------------------------------------------------------------------- 32-bit variant
def test_xmemdma_32bit_fails_above_4gib_and_works_below():
    """Model choice: xmemdma cannot return a real address above 4 GiB -> XMEM_FAIL, no state."""
    m = Machine(seed=2)
    p = m.new_process()
    ddi = DDI(m, curproc=p)
    va = p.as_.mmap(2 * PG, frames=[0x100000, 0x1234])      # 4 GiB and 0x1234000
    rc, cookie = ddi.ddi_umem_lock(va, 2 * PG, DDI_UMEMLOCK_READ)
    dp = ddi.xmem_attach(va, 2 * PG)
    assert ddi.xmemdma(dp, 0x10, XMEM_HIDE) == XMEM_FAIL
    assert m.hide_count(0x100000 << 12) == 0
    assert ddi.xmemdma64(dp, 0x10, XMEM_HIDE) == (0x100000 << 12) + 0x10
    assert ddi.xmemdma(dp, PG + 0x10, XMEM_HIDE) == 0x1234010


# -------------------------------------------------------------------- cache-consistent
def test_cache_consistent_platform_no_hide_unhide_returns_zero():
    """Cache-consistent platforms: 'no hide/unhide, no flush; mainly address translation':
    hide = access check + modified bit + real address; unhide returns 0."""
    m = Machine(seed=3, cache_consistent=True)
    p = m.new_process()
    ddi = DDI(m, curproc=p)
    va = p.as_.mmap(2 * PG)
    rc, cookie = ddi.ddi_umem_lock(va, 2 * PG, DDI_UMEMLOCK_READ)
    dp = ddi.xmem_attach(va, 2 * PG)
    page = int(cookie.pparray[0])
    assert ddi.xmemdma64(dp, 5, XMEM_HIDE) == page + 5
    assert m.hide_count(page) == 0 and m.cache_hook.ops == []
    assert m.is_modified(page)
    assert ddi.xmemdma64(dp, 5, XMEM_UNHIDE) == 0
    ro = ddi.xmem_attach(va, 2 * PG, access=XMEM_RDONLY)
    assert ddi.xmemdma64(ro, PG, XMEM_ACC_CHK) == XMEM_FAIL
    assert ddi.xmemdma64(ro, PG, XMEM_ACC_CHK | XMEM_WRITE_ONLY) == int(cookie.pparray[1])
    assert not m.is_modified(int(cookie.pparray[1]))          # read-only access: not modified


# ------------------------------------------------------------------------------ garbage
GARBAGE = [None, -1, 1 << 70, 2**64 - 1, 3.5, "0", b"", [], object(), True, np.int64(-2),
           0x10, XMEM_UNHIDE | 0x100]


@pytest.mark.parametrize("junk", GARBAGE, ids=stable_id)
def test_garbage_returns_xmem_fail_never_raises(any_ddi, proc, junk):
    """Bad input gets its documented return code (XMEM_FAIL)."""
    va = proc.as_.mmap(PG)
    any_ddi.ddi_umem_lock(va, PG, DDI_UMEMLOCK_READ)
    dp = any_ddi.xmem_attach(va, PG)
    valid_offset = type(junk) is int and 0 <= junk < PG
    for fn, bits in ((any_ddi.xmemdma64, 64), (any_ddi.xmemdma, 32)):
        assert fn(junk, 0, XMEM_HIDE) == XMEM_FAIL
        assert fn(dp, 0, junk) == XMEM_FAIL
        got = fn(dp, junk, XMEM_HIDE)
        if valid_offset:
            real = dp.as_.vtop(va + junk)
            assert got == (real if real < 1 << bits else XMEM_FAIL)
        else:
            assert got == XMEM_FAIL
    assert any_ddi.xmem_attach(junk, PG) is None or (type(junk) is int and junk >= 0)
    assert any_ddi.xmem_attach(va, junk) is None or (type(junk) is int and junk > 0)
    any_ddi.xmem_detach(junk)
