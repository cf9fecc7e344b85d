"""close(2) and exit(2) of a process hold drivers to ddi_umem_lock(9F):

"The device driver must ensure that the physical pages have been unlocked after the application has
called close(2)." Pages a driver still holds locked after the device's close (or the process's exit)
are reported in ``machine.driver_bugs``, naming the ddi_umem_cookie_t that leaked them. Each leak test
has its negative control: the same sequence with the unlock done reports nothing.
"""
import pytest

from pyddi_model import (
    DDI,
    DDI_UMEMLOCK_READ,
    DDI_UMEMLOCK_WRITE,
    EBADF,
    EINVAL,
    DriverBugError,
)

PG = 4096


def _lock(ddi, proc, npages=3, flags=DDI_UMEMLOCK_READ):
    va = proc.as_.mmap(npages * PG)
    rc, cookie = ddi.ddi_umem_lock(va, npages * PG, flags)
    assert rc == 0
    return va, cookie


def test_close_with_pages_locked_is_a_driver_bug_naming_the_cookie(machine, proc, any_ddi):
    """A driver whose close(9E) forgets the unlock: close(2) succeeds, the leak is reported once, with
    the cookie's name, its pages and the man page's sentence; the pages stay locked. The rule holds in
    both modes (illumos enforces nothing, but the man page binds the driver)."""
    ddi = any_ddi
    fd = proc.open(ddi)
    _lock(ddi, proc)
    _va, cookie = _lock(ddi, proc)
    ddi.ddi_umem_unlock(proc.locks[0])            # the first lock is released: not a leak
    assert proc.close(fd) == 0
    assert len(machine.driver_bugs) == 1
    bug = machine.driver_bugs[0]
    assert bug.kind == "umem_lock_leak" and bug.cookie is cookie and bug.pid == proc.pid
    assert bug.pages == tuple(int(p) for p in cookie.pparray)
    assert cookie.name in bug.message and "ddi_umem_cookie_t #2" in bug.message
    assert "close(2)" in bug.message
    assert "must ensure that the physical pages have been unlocked" in bug.message
    assert all(machine.is_pinned(p) for p in bug.pages)   # still locked: the leak is real
    with pytest.raises(DriverBugError, match="ddi_umem_cookie_t #2"):
        machine.check_driver_bugs()


def test_close_after_unlock_reports_nothing(machine, proc, any_ddi):
    """Negative control: the same driver unlocking in close(9E) leaves no driver bug."""
    ddi = any_ddi
    fd = proc.open(ddi, close=lambda p: [ddi.ddi_umem_unlock(c) for c in list(p.locks)])
    _lock(ddi, proc)
    _lock(ddi, proc, flags=DDI_UMEMLOCK_WRITE)
    assert proc.close(fd) == 0
    assert machine.driver_bugs == [] and proc.locks == [] and proc.locked_bytes == 0
    machine.check_driver_bugs()


def test_close9e_runs_on_the_last_close_only(machine, proc, ddi):
    """Two descriptors of one device: the first close(2) neither calls close(9E) nor checks; the last
    does both."""
    calls = []
    fd1 = proc.open(ddi, close=calls.append)
    fd2 = proc.open(ddi, close=calls.append)
    _lock(ddi, proc)
    assert proc.close(fd1) == 0 and calls == [] and machine.driver_bugs == []
    assert proc.close(fd2) == 0 and calls == [proc] and len(machine.driver_bugs) == 1


def test_unlock_deferred_from_interrupt_counts_as_done(machine, proc, ddi):
    """"ddi_umem_unlock() ... can defer unlocking of the pages to a later time": an unlock issued from
    interrupt context and still queued at close is the driver's duty done."""
    fd = proc.open(ddi)
    _va, cookie = _lock(ddi, proc)
    ddi.context = "interrupt"                      # still inside the interrupt handler at close(2)
    ddi.ddi_umem_unlock(cookie)
    assert ddi.umem_deferred_unlocks() == 1
    assert proc.close(fd) == 0 and machine.driver_bugs == []


def test_close_checks_only_the_closed_drivers_locks(machine, proc, ddi):
    """Two drivers: closing one device reports only that driver's cookies; the other's locks are its
    own business until its device is closed."""
    other = DDI(machine, curproc=proc)
    fd_a, fd_b = proc.open(ddi), proc.open(other)
    _va, mine = _lock(ddi, proc)
    _va, theirs = _lock(other, proc)
    proc.close(fd_a)
    assert [b.cookie for b in machine.driver_bugs] == [mine]
    other.ddi_umem_unlock(theirs)
    proc.close(fd_b)
    assert [b.cookie for b in machine.driver_bugs] == [mine]


def test_exit_closes_everything_and_reports_every_leak_once(machine, proc, ddi):
    """exit(2) closes each device (close(9E) runs), then reports pages still locked by any driver, even
    one never opened through the model; a cookie already reported at close is not reported again.
    The address space is gone; the leaked frames stay allocated and pinned."""
    calls = []
    fd = proc.open(ddi, close=calls.append)
    _va, at_close = _lock(ddi, proc)
    proc.close(fd)
    stray = DDI(machine, curproc=proc)             # a driver the model never saw opened
    _va, at_exit = _lock(stray, proc, npages=2)
    proc.open(ddi, close=calls.append)
    proc.exit()
    assert calls == [proc, proc]
    assert [b.cookie for b in machine.driver_bugs] == [at_close, at_exit]
    assert "exit(2)" in machine.driver_bugs[1].message
    assert proc.exited and proc.as_.mappings() == [] and proc.files == {}
    assert all(machine.is_pinned(p) for p in at_exit.pparray)


def test_exit_after_unlocks_reports_nothing(machine, proc, ddi):
    """Negative control of exit: every lock released before, so nothing is reported and every frame
    of the process is free again."""
    fd = proc.open(ddi)
    va, cookie = _lock(ddi, proc)
    frames = [int(p) for p in cookie.pparray]
    ddi.ddi_umem_unlock(cookie)
    proc.exit()
    assert machine.driver_bugs == [] and fd not in proc.files
    assert not any(machine.is_allocated(p) for p in frames)


def test_close_bad_descriptor_and_exited_process(machine, proc, ddi):
    """close(2) of a descriptor that is not open is EBADF (twice, never opened, garbage); an exited
    process can neither open, exit again, nor lock pages (ddi_umem_lock: EINVAL, no user context)."""
    fd = proc.open(ddi)
    assert proc.close(fd) == 0
    for bad in (fd, 99, -1, None, "3", 3.0, True):
        assert proc.close(bad) == EBADF
    va = proc.as_.mmap(PG)
    proc.exit()
    with pytest.raises(ValueError, match="exited"):
        proc.open(ddi)
    with pytest.raises(ValueError, match="already exited"):
        proc.exit()
    assert ddi.ddi_umem_lock(va, PG, DDI_UMEMLOCK_READ) == (EINVAL, None)
    with pytest.raises(ValueError, match="close"):
        machine.new_process().open(ddi, close=42)
