"""Processor accesses to a page hidden by xmemdma64 are refused or wait, never silently served.

xmemdma64: "The page is made not valid during DMA operations so that it is not addressable with any
virtual address. It prevents any process from reading or loading any part of the page into the cache
during the DMA operation." and, on the last unhide, "Any processes that is waiting on the page are
readied." Each refusal test checks the same access is served before the hide and after the last
unhide (the negative control: the refusal comes from the hide, not from the access).
"""
import pytest

from pyddi_model import (
    DDI,
    DDI_UMEMLOCK_WRITE,
    XMEM_HIDE,
    XMEM_UNHIDE,
    Machine,
    PageHiddenError,
)
from pyddi_model.machine import AddressError

PG = 4096


@pytest.fixture
def region(ddi, proc):
    """A locked 3-page user buffer holding known bytes, and a cross-memory descriptor for it."""
    va = proc.as_.mmap(3 * PG, contiguity=0.0)
    proc.as_.write(va, bytes(range(256)) * (3 * PG // 256))
    rc, cookie = ddi.ddi_umem_lock(va, 3 * PG, DDI_UMEMLOCK_WRITE)
    assert rc == 0
    return va, cookie, ddi.xmem_attach(va, 3 * PG)


def test_load_and_store_to_a_hidden_page_are_refused(ddi, machine, proc, region):
    """While page 1 is hidden: a load or store touching it raises PageHiddenError naming the page and
    the rule, a store writes nothing (not even its bytes on the valid page); page 0 and 2 stay
    accessible. Before the hide and after the unhide the same accesses are served."""
    va, cookie, dp = region
    page1 = int(cookie.pparray[1])
    before = proc.as_.read(va + PG - 8, 16)           # served: nothing hidden yet
    assert ddi.xmemdma64(dp, PG, XMEM_HIDE) == page1
    with pytest.raises(PageHiddenError, match="not addressable with any virtual address") as e:
        proc.as_.read(va + PG - 8, 16)                 # straddles pages 0 and 1
    assert (e.value.vaddr, e.value.paddr, e.value.count) == (va + PG, page1, 1)
    assert f"{page1:#x}" in str(e.value)
    assert isinstance(e.value, AddressError)
    with pytest.raises(PageHiddenError):
        proc.as_.write(va + PG - 8, b"\xff" * 16)
    assert machine.read_phys(int(cookie.pparray[0]) + PG - 8, 8) == before[:8]   # nothing written
    assert proc.as_.read(va + PG - 8, 8) == before[:8]                            # page 0 served
    proc.as_.write(va + 2 * PG, b"ok")                                            # page 2 served
    assert ddi.xmemdma64(dp, PG, XMEM_UNHIDE) == page1
    assert proc.as_.read(va + PG - 8, 16) == before   # valid again: served, unchanged


def test_nested_hides_refuse_until_the_last_unhide(ddi, proc, region):
    """Hides nest: after two hides and one unhide the page is still not addressable."""
    va, _cookie, dp = region
    ddi.xmemdma64(dp, 0, XMEM_HIDE)
    ddi.xmemdma64(dp, 0, XMEM_HIDE)
    ddi.xmemdma64(dp, 0, XMEM_UNHIDE)
    with pytest.raises(PageHiddenError, match=r"1 hide\(s\) outstanding"):
        proc.as_.read(va, 1)
    ddi.xmemdma64(dp, 0, XMEM_UNHIDE)
    assert proc.as_.read(va, 1) == b"\x00"


def test_no_virtual_address_reaches_a_hidden_page(ddi, machine, proc, region):
    """"not addressable with any virtual address": another process's mapping of the same frame and
    the kernel's are refused as well; a frame that is not hidden, in the same mapping, is served."""
    va, cookie, dp = region
    frame = int(cookie.pparray[2]) // PG
    other = machine.new_process()
    alias = other.as_.mmap(2 * PG, frames=[frame, int(cookie.pparray[0]) // PG])
    kalias = machine.kas.mmap(PG, frames=[frame])
    ddi.xmemdma64(dp, 2 * PG, XMEM_HIDE)
    for as_, addr in ((other.as_, alias), (machine.kas, kalias), (proc.as_, va + 2 * PG)):
        with pytest.raises(PageHiddenError):
            as_.read(addr + 100, 4)
    assert other.as_.read(alias + PG, 4) == proc.as_.read(va, 4)
    ddi.xmemdma64(dp, 2 * PG, XMEM_UNHIDE)
    assert other.as_.read(alias + 100, 4) == machine.kas.read(kalias + 100, 4)


def test_a_waiting_load_is_served_after_the_last_unhide(ddi, machine, proc, region):
    """read_when_valid waits on the hidden page (a page waiter), is not served while the device
    writes the page, and is readied by the last unhide with the device's bytes."""
    va, cookie, dp = region
    page0 = int(cookie.pparray[0])
    got = []
    ddi.xmemdma64(dp, 0, XMEM_HIDE)
    assert proc.as_.read_when_valid(va + 4, 4, got.append) is False
    assert got == [] and machine.page_waiters(page0) == 1
    machine.write_phys(page0 + 4, b"DMA!")           # the device writes the hidden page
    assert got == []
    ddi.xmemdma64(dp, 0, XMEM_UNHIDE)
    assert got == [b"DMA!"] and machine.page_waiters(page0) == 0


def test_a_waiting_store_lands_only_after_the_unhide(ddi, machine, proc, region):
    """write_when_valid over two hidden pages: nothing is stored while either is hidden; it waits on
    one, then on the other, and lands whole after the last unhide of both."""
    va, cookie, dp = region
    p0, p1 = int(cookie.pparray[0]), int(cookie.pparray[1])
    ddi.xmemdma64(dp, 0, XMEM_HIDE)
    ddi.xmemdma64(dp, PG, XMEM_HIDE)
    done = []
    assert proc.as_.write_when_valid(va + PG - 2, b"CPU!", lambda _r: done.append(1)) is False
    ddi.xmemdma64(dp, 0, XMEM_UNHIDE)                # page 0 valid, page 1 still hidden
    assert done == [] and machine.read_phys(p0 + PG - 2, 2) != b"CP"
    assert machine.page_waiters(p1) == 1
    ddi.xmemdma64(dp, PG, XMEM_UNHIDE)
    assert done == [1] and proc.as_.read(va + PG - 2, 4) == b"CPU!"
    assert machine.read_phys(p1, 2) == b"U!"


def test_a_served_wait_calls_done_at_once(proc):
    """Negative control of the waiting accesses: nothing hidden, served at once."""
    va = proc.as_.mmap(PG)
    got = []
    assert proc.as_.write_when_valid(va, b"now") is True
    assert proc.as_.read_when_valid(va, 3, got.append) is True and got == [b"now"]


def test_cache_consistent_machines_do_not_hide():
    """On a cache-consistent platform xmemdma does no hide ("no hide/unhide"): accesses are served."""
    m = Machine(seed=3, cache_consistent=True)
    p = m.new_process()
    ddi = DDI(m, curproc=p)
    va = p.as_.mmap(PG)
    ddi.ddi_umem_lock(va, PG, DDI_UMEMLOCK_WRITE)
    ddi.xmemdma64(ddi.xmem_attach(va, PG), 0, XMEM_HIDE)
    assert p.as_.read(va, 2) == b"\0\0"


def test_hidden_pages_lists_outstanding_hides(ddi, region):
    """Machine.hidden_pages: the pages with a hide outstanding (nested hides once), empty again after
    the last unhide (what DdiEnv.check_driver_exit reports as a leaked hide)."""
    _va, cookie, dp = region
    m = ddi.machine
    assert m.hidden_pages() == []
    ddi.xmemdma64(dp, 2 * PG, XMEM_HIDE)
    ddi.xmemdma64(dp, 0, XMEM_HIDE)
    ddi.xmemdma64(dp, 0, XMEM_HIDE)
    assert m.hidden_pages() == sorted([int(cookie.pparray[0]), int(cookie.pparray[2])])
    ddi.xmemdma64(dp, 0, XMEM_UNHIDE)
    ddi.xmemdma64(dp, 0, XMEM_UNHIDE)
    ddi.xmemdma64(dp, 2 * PG, XMEM_UNHIDE)
    assert m.hidden_pages() == []
