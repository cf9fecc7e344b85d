"""ddi_umem_lock(9F) / ddi_umem_unlock(9F) (and ddi_umem_alloc for kernel cookies).

Each test names the man-page sentence it checks; reference section 17 item 18 is covered in full.
"""
import numpy as np
import pytest
from idutil import stable_id

from pyddi_model import (
    DDI,
    DDI_UMEM_NOSLEEP,
    DDI_UMEM_PAGEABLE,
    DDI_UMEM_SLEEP,
    DDI_UMEM_TRASH,
    DDI_UMEMLOCK_READ,
    DDI_UMEMLOCK_WRITE,
    EACCES,
    EAGAIN,
    EFAULT,
    EINVAL,
    ENOMEM,
    KMEM_NON_PAGEABLE,
    KMEM_PAGEABLE,
    PROT_NONE,
    PROT_READ,
    UMEM_LOCKED,
    UMEM_TRASH,
    Machine,
)

PG = 4096
R, W = DDI_UMEMLOCK_READ, DDI_UMEMLOCK_WRITE


@pytest.fixture
def buf8(proc):
    """An 8-page read-write user buffer."""
    return proc.as_.mmap(8 * PG)


# ------------------------------------------------------------------------------ success
def test_lock_fills_cookie_type_size_base_owner_pages(ddi, proc, machine, buf8):
    """'locks down the physical pages ... and fills in a cookie representing the locked pages'."""
    rc, cookie = ddi.ddi_umem_lock(buf8 + PG, 4 * PG, R)
    assert rc == 0
    assert cookie.type == UMEM_LOCKED
    assert cookie.size == 4 * PG
    assert cookie.cvaddr == buf8 + PG
    assert cookie.procp is proc
    assert cookie.pparray.tolist() == proc.as_.page_paddrs(buf8 + PG, 4).tolist()
    assert all(machine.is_pinned(int(p)) for p in cookie.pparray)
    assert not machine.is_pinned(int(proc.as_.page_paddrs(buf8, 1)[0]))
    assert proc.locked_bytes == 4 * PG


@pytest.mark.parametrize("flags", [R, W])
def test_lock_read_or_write_of_read_write_mapping(any_ddi, buf8, flags):
    """'Set flags to DDI_UMEMLOCK_READ ... Set flags to DDI_UMEMLOCK_WRITE'."""
    rc, cookie = any_ddi.ddi_umem_lock(buf8, PG, flags)
    assert rc == 0 and cookie.lock_flags == flags


def test_lock_with_8k_pages():
    """'the mapping performed in terms of the system page size' (SPARC: 8192)."""
    m = Machine(pagesize=8192, seed=3)
    p = m.new_process()
    ddi = DDI(m, curproc=p)
    va = p.as_.mmap(3 * 8192)
    assert ddi.ddi_umem_lock(va + 4096, 8192, R)[0] == EINVAL      # 4 KiB aligned is not enough
    rc, cookie = ddi.ddi_umem_lock(va, 2 * 8192, R)
    assert rc == 0 and len(cookie.pparray) == 2 and (cookie.pparray % 8192 == 0).all()


# -------------------------------------------------------------------------- EINVAL: flags
@pytest.mark.parametrize("flags", [0, 4, 8, 0x10, R | 4, -1])
def test_flags_other_than_read_or_write_einval(any_ddi, buf8, flags):
    """'You must choose one (and only one) of these values.' (flags 0, 4, 8, extra bits)."""
    rc, cookie = any_ddi.ddi_umem_lock(buf8, PG, flags)
    assert (rc, cookie) == (EINVAL, None)


def test_read_and_write_both_einval_in_man_mode(ddi, buf8):
    """'You must choose one (and only one) of these values.' -> READ|WRITE is EINVAL."""
    assert ddi.ddi_umem_lock(buf8, PG, R | W) == (EINVAL, None)


def test_read_and_write_both_is_write_in_illumos_mode(ddi_illumos, proc, buf8):
    """illumos accepts READ|WRITE and locks for write: a read-only mapping then gives EACCES."""
    rc, cookie = ddi_illumos.ddi_umem_lock(buf8, PG, R | W)
    assert rc == 0 and cookie is not None
    ro = proc.as_.mmap(PG, PROT_READ)
    assert ddi_illumos.ddi_umem_lock(ro, PG, R | W)[0] == EACCES


# ---------------------------------------------------------------------- EINVAL: alignment
@pytest.mark.parametrize("delta_addr,length", [(1, PG), (0x800, PG), (0, PG + 1), (0, 0x800)])
def test_unaligned_addr_or_len_einval(any_ddi, buf8, delta_addr, length):
    """'The virtual address and length specified must be at a page boundary'."""
    assert any_ddi.ddi_umem_lock(buf8 + delta_addr, length, R) == (EINVAL, None)


def test_zero_length_einval_in_man_mode(ddi, buf8):
    """Model choice (the man page is silent): an empty range has no page to lock -> EINVAL."""
    assert ddi.ddi_umem_lock(buf8, 0, R) == (EINVAL, None)


def test_zero_length_accepted_in_illumos_mode(ddi_illumos, proc, buf8):
    """illumos does not reject len == 0: an empty cookie, nothing locked or charged."""
    rc, cookie = ddi_illumos.ddi_umem_lock(buf8, 0, R)
    assert rc == 0 and cookie.size == 0 and len(cookie.pparray) == 0
    assert proc.locked_bytes == 0
    ddi_illumos.ddi_umem_unlock(cookie)
    assert proc.locked_bytes == 0


# ------------------------------------------------------------------------------- EFAULT
def test_unmapped_range_efault(any_ddi, proc):
    """EFAULT: the range is not mapped in the current process."""
    assert any_ddi.ddi_umem_lock(0x7000_0000_0000, PG, R) == (EFAULT, None)


def test_range_spanning_a_hole_efault_and_locks_nothing(any_ddi, proc, machine):
    """EFAULT when one page of [addr, addr + size) is a hole; no page stays locked."""
    a = proc.as_.mmap(2 * PG)
    proc.as_.mmap(2 * PG)                 # after a one-page hole
    assert any_ddi.ddi_umem_lock(a, 5 * PG, R) == (EFAULT, None)
    assert proc.locked_bytes == 0
    assert not machine.is_pinned(int(proc.as_.page_paddrs(a, 1)[0]))


def test_range_beyond_the_address_space_efault(any_ddi, buf8):
    """A huge length is EFAULT, computed without building a per-page array."""
    assert any_ddi.ddi_umem_lock(buf8, 1 << 60, R) == (EFAULT, None)


# ------------------------------------------------------------------------------- EACCES
def test_write_lock_of_read_only_mapping_eacces(any_ddi, proc):
    """EACCES: DDI_UMEMLOCK_WRITE ('memory pages will be written') on a read-only mapping."""
    ro = proc.as_.mmap(2 * PG, PROT_READ)
    assert any_ddi.ddi_umem_lock(ro, 2 * PG, W) == (EACCES, None)
    assert any_ddi.ddi_umem_lock(ro, 2 * PG, R)[0] == 0       # reading it is fine


def test_write_lock_with_one_read_only_page_eacces(any_ddi, proc, buf8):
    proc.as_.mprotect(buf8 + 3 * PG, PG, PROT_READ)
    assert any_ddi.ddi_umem_lock(buf8, 8 * PG, W) == (EACCES, None)
    assert proc.locked_bytes == 0


def test_read_lock_of_prot_none_eacces(any_ddi, proc):
    none = proc.as_.mmap(PG, PROT_NONE)
    assert any_ddi.ddi_umem_lock(none, PG, R) == (EACCES, None)


# ------------------------------------------------------------------------------- ENOMEM
def test_locked_memory_limit_enomem(machine):
    """ENOMEM: the locked-memory limit would be exceeded (checked before locking)."""
    p = machine.new_process(locked_limit=4 * PG)
    ddi = DDI(machine, curproc=p)
    va = p.as_.mmap(8 * PG)
    assert ddi.ddi_umem_lock(va, 4 * PG, R)[0] == 0          # exactly at the limit: fine
    assert ddi.ddi_umem_lock(va + 4 * PG, PG, R) == (ENOMEM, None)
    assert p.locked_bytes == 4 * PG


def test_overlapping_locks_are_charged_in_full(machine):
    """Each call is charged its full length, even when the pages are already locked."""
    p = machine.new_process(locked_limit=3 * PG)
    ddi = DDI(machine, curproc=p)
    va = p.as_.mmap(2 * PG)
    rc, c1 = ddi.ddi_umem_lock(va, 2 * PG, R)
    assert rc == 0
    assert ddi.ddi_umem_lock(va, 2 * PG, R) == (ENOMEM, None)
    ddi.ddi_umem_unlock(c1)
    rc, c2 = ddi.ddi_umem_lock(va, PG, R)
    rc3, c3 = ddi.ddi_umem_lock(va, 2 * PG, R)
    assert rc == 0 and rc3 == 0 and p.locked_bytes == 3 * PG


# ------------------------------------------------------------------------------- EAGAIN
def test_transient_shortage_eagain_then_success(any_ddi, machine, proc, buf8):
    """EAGAIN: a transient shortage (injected); the retry succeeds and nothing leaked."""
    machine.faults.arm("umem_lock_eagain")
    assert any_ddi.ddi_umem_lock(buf8, PG, R) == (EAGAIN, None)
    assert proc.locked_bytes == 0
    assert any_ddi.ddi_umem_lock(buf8, PG, R)[0] == 0


# ------------------------------------------------------------------------------ context
@pytest.mark.parametrize("context", ["kernel", "interrupt"])
def test_lock_outside_user_context_einval(any_ddi, buf8, context):
    """'The ddi_umem_lock() function can only be called from user context' (model: EINVAL)."""
    with any_ddi.in_context(context):
        assert any_ddi.ddi_umem_lock(buf8, PG, R) == (EINVAL, None)


def test_lock_without_a_current_process_einval(machine):
    assert DDI(machine).ddi_umem_lock(0x1000_0000, PG, R) == (EINVAL, None)


# ------------------------------------------------------------------------------- unlock
def test_unlock_releases_pages_and_charge(ddi, proc, machine, buf8):
    """'To unlock the locked pages, the drivers call ddi_umem_unlock(9F) with the cookie'."""
    rc, cookie = ddi.ddi_umem_lock(buf8, 2 * PG, W)
    page = int(cookie.pparray[0])
    ddi.ddi_umem_unlock(cookie)
    assert proc.locked_bytes == 0
    assert not machine.is_pinned(page)
    assert proc.locks == []


@pytest.mark.parametrize("context", ["user", "kernel"])
def test_unlock_from_user_and_kernel_context_is_immediate(ddi, proc, buf8, context):
    """'ddi_umem_unlock() from user, kernel, and interrupt contexts'."""
    rc, cookie = ddi.ddi_umem_lock(buf8, PG, R)
    with ddi.in_context(context):
        ddi.ddi_umem_unlock(cookie)
        assert proc.locked_bytes == 0


def test_unlock_from_interrupt_is_deferred_until_leaving(ddi, proc, machine, buf8):
    """'The ddi_umem_unlock() function can defer unlocking of the pages to a later time'."""
    rc, cookie = ddi.ddi_umem_lock(buf8, 2 * PG, R)
    page = int(cookie.pparray[0])
    with ddi.in_context("interrupt"):
        ddi.ddi_umem_unlock(cookie)
        assert cookie.unlock_pending and ddi.umem_deferred_unlocks() == 1
        assert proc.locked_bytes == 2 * PG and machine.is_pinned(page)
    assert ddi.umem_deferred_unlocks() == 0
    assert proc.locked_bytes == 0 and not machine.is_pinned(page)
    assert not cookie.unlock_pending


def test_nested_interrupt_context_defers_until_the_outermost_exit(ddi, proc, buf8):
    rc, cookie = ddi.ddi_umem_lock(buf8, PG, R)
    with ddi.in_context("interrupt"):
        with ddi.in_context("interrupt"):
            ddi.ddi_umem_unlock(cookie)
        assert proc.locked_bytes == PG          # still inside an interrupt
    assert proc.locked_bytes == 0


def test_double_unlock_and_garbage_cookie_are_ignored(ddi, proc, buf8):
    """A dead cookie ('Cookie freed; reuse invalid') does not unlock anything twice."""
    rc, c1 = ddi.ddi_umem_lock(buf8, PG, R)
    rc, c2 = ddi.ddi_umem_lock(buf8, PG, R)
    ddi.ddi_umem_unlock(c1)
    ddi.ddi_umem_unlock(c1)
    assert proc.locked_bytes == PG
    for junk in (None, 0, "cookie", object()):
        ddi.ddi_umem_unlock(junk)
    assert len(ddi.ignored_calls) == 5


def test_munmap_of_locked_pages_keeps_the_frames_until_unlock(ddi, proc, machine, buf8):
    rc, cookie = ddi.ddi_umem_lock(buf8, PG, R)
    frame = int(cookie.frames[0])
    proc.as_.munmap(buf8, 8 * PG)
    assert machine.frame_refcount(frame) == 1
    ddi.ddi_umem_unlock(cookie)
    assert machine.frame_refcount(frame) == 0


# ----------------------------------------------------------------------------- fork/exec
def test_fork_and_exec_refused_while_locked_man_mode(ddi, proc, buf8):
    """'The process is not allowed to exec(2) or fork(2) while its physical pages are locked
    down by the device driver.' (model: EAGAIN until the unlock)."""
    rc, cookie = ddi.ddi_umem_lock(buf8, PG, R)
    assert proc.fork() == EAGAIN
    assert proc.exec() == EAGAIN
    ddi.ddi_umem_unlock(cookie)
    assert proc.fork() == 0
    assert proc.exec() == 0


def test_fork_and_exec_not_enforced_in_illumos_mode(ddi_illumos, proc, buf8):
    """illumos does not enforce the fork/exec rule."""
    rc, cookie = ddi_illumos.ddi_umem_lock(buf8, PG, R)
    assert proc.fork() == 0


def test_fork_allowed_again_only_after_deferred_unlock_runs(ddi, proc, buf8):
    rc, cookie = ddi.ddi_umem_lock(buf8, PG, R)
    with ddi.in_context("interrupt"):
        ddi.ddi_umem_unlock(cookie)
        assert proc.fork() == EAGAIN
    assert proc.fork() == 0


# ----------------------------------------------------------------------- ddi_umem_alloc
@pytest.mark.parametrize("flag,ctype", [(DDI_UMEM_SLEEP, KMEM_NON_PAGEABLE),
                                        (DDI_UMEM_PAGEABLE, KMEM_PAGEABLE),
                                        (DDI_UMEM_TRASH, UMEM_TRASH)])
def test_umem_alloc_cookie_types(ddi, machine, flag, ctype):
    kaddr, cookie = ddi.ddi_umem_alloc(5000, flag)
    assert cookie.type == ctype and cookie.size == 2 * PG and cookie.procp is None
    assert kaddr % PG == 0 and machine.kas.is_mapped(kaddr, 2 * PG)
    pinned = machine.is_pinned(int(machine.kas.page_paddrs(kaddr, 1)[0]))
    assert pinned == (ctype == KMEM_NON_PAGEABLE)
    ddi.ddi_umem_free(cookie)
    assert not machine.kas.is_mapped(kaddr, PG)


def test_umem_alloc_nosleep_shortage_and_bad_args(ddi, machine):
    machine.faults.arm("umem_alloc")
    assert ddi.ddi_umem_alloc(PG, DDI_UMEM_NOSLEEP) == (None, None)
    assert ddi.ddi_umem_alloc(0, DDI_UMEM_SLEEP) == (None, None)
    assert ddi.ddi_umem_alloc(PG, 0x40) == (None, None)
    with ddi.in_context("interrupt"):
        assert ddi.ddi_umem_alloc(PG, DDI_UMEM_SLEEP) == (None, None)
        assert ddi.ddi_umem_alloc(PG, DDI_UMEM_NOSLEEP)[1] is not None


# ---------------------------------------------------------------------------- garbage
GARBAGE = [None, -1, -4096, 1 << 70, 2**64 - 4096, 3.5, "0x1000", b"x", [], object(), True,
           np.int64(-1)]


@pytest.mark.parametrize("junk", GARBAGE, ids=stable_id)
def test_garbage_to_lock_returns_an_errno_never_raises(any_ddi, buf8, junk):
    """Bad input gets its documented return code (an errno from the man page's list)."""
    for args in ((junk, PG, R), (buf8, junk, R), (buf8, PG, junk)):
        rc, cookie = any_ddi.ddi_umem_lock(*args)
        assert rc in (EFAULT, EACCES, ENOMEM, EAGAIN, EINVAL) or (rc == 0 and cookie is not None)
        if rc:
            assert cookie is None


@pytest.mark.parametrize("junk", GARBAGE, ids=stable_id)
def test_garbage_to_unlock_alloc_free_never_raises(any_ddi, junk):
    any_ddi.ddi_umem_unlock(junk)
    any_ddi.ddi_umem_free(junk)
    assert any_ddi.ddi_umem_alloc(junk, DDI_UMEM_SLEEP) == (None, None)
    assert any_ddi.ddi_umem_alloc(PG, junk) == (None, None)
