"""devmap_umem_setup(9F) / devmap_devmem_setup(9F).

Each test names the man-page sentence it checks; reference section 17 item 20 is covered in full.
"""
import numpy as np
import pytest
from idutil import stable_id

from pyddi_model import (
    DDI,
    DDI_UMEM_PAGEABLE,
    DDI_UMEM_SLEEP,
    DDI_UMEMLOCK_WRITE,
    DEVMAP_ALLOW_REMAP,
    DEVMAP_MAPPING_INVALID,
    DEVMAP_USE_PAGESIZE,
    IOMEM_DATA_CACHED,
    IOMEM_DATA_UC_WR_COMBINE,
    IOMEM_DATA_UNCACHED,
    PROT_ALL,
    PROT_EXEC,
    PROT_READ,
    PROT_USER,
    PROT_WRITE,
    Machine,
    ddi_device_acc_attr_t,
    devmap_callback_ctl,
)
from pyddi_model.devmap import dev_info, devmap_handle

PG = 4096
REG_PADDR = 0xF000_0000
DIP = dev_info(regs=[(REG_PADDR, 16 * PG), (0xE000_0000, 2 * PG), (0xD000_0800, 4 * PG)])
RW = PROT_READ | PROT_WRITE


@pytest.fixture
def kmem(any_ddi):
    """A 4-page ddi_umem_alloc cookie (what devmap_umem_setup's man page expects)."""
    return any_ddi.ddi_umem_alloc(4 * PG, DDI_UMEM_SLEEP)


def umem(ddi, cookie, koff=0, length=PG, maxprot=PROT_ALL, flags=0, dhp=None, cb=None):
    return ddi.devmap_umem_setup(dhp or devmap_handle(), DIP, cb, cookie, koff, length,
                                 maxprot, flags, None)


def devmem(ddi, rnumber=0, roff=0, length=PG, maxprot=PROT_ALL, flags=0, dhp=None, cb=None,
           acc=None, dip=DIP):
    return ddi.devmap_devmem_setup(dhp or devmap_handle(), dip, cb, rnumber, roff, length,
                                   maxprot, flags, acc)


# ------------------------------------------------------------------------ devmem basics
def test_devmem_records_pages_maxprot_and_default_cached(any_ddi):
    """'devmap_devmem_setup() is used for device memory to map in the register set given by
    rnumber and the offset into the register address space given by roff.'"""
    dhp = devmap_handle()
    assert devmem(any_ddi, rnumber=0, roff=2 * PG, length=3 * PG, dhp=dhp) == 0
    assert dhp.setup_done and dhp.kind == "devmem" and dhp.rnumber == 0
    assert dhp.paddrs.tolist() == [REG_PADDR + 2 * PG, REG_PADDR + 3 * PG, REG_PADDR + 4 * PG]
    assert dhp.cache_attr == IOMEM_DATA_CACHED
    assert dhp.maxprot == PROT_ALL
    assert dhp.cache_maintenance == "clean_invalidate"


@pytest.mark.parametrize("rnumber", [3, -1, 99])
def test_devmem_bad_rnumber_fails(any_ddi, rnumber):
    """'rnumber: Index number to the register address space set.' (no such set -> -1)."""
    assert devmem(any_ddi, rnumber=rnumber) == -1


def test_devmem_range_beyond_register_set_fails(any_ddi):
    """'The range to be affected is defined by len and roff' within the register set."""
    assert devmem(any_ddi, rnumber=1, roff=PG, length=PG) == 0
    assert devmem(any_ddi, rnumber=1, roff=PG, length=2 * PG) == -1


def test_devmem_unaligned_register_set_fails_in_man_mode(ddi):
    """'must be a physical contiguous memory and page aligned' (register set at 0x...800)."""
    assert devmem(ddi, rnumber=2) == -1


# ------------------------------------------------------------------------ cache attributes
@pytest.mark.parametrize("flags,attr", [
    (0, IOMEM_DATA_CACHED),
    (IOMEM_DATA_CACHED, IOMEM_DATA_CACHED),
    (IOMEM_DATA_UC_WR_COMBINE, IOMEM_DATA_UC_WR_COMBINE),
    (IOMEM_DATA_UNCACHED, IOMEM_DATA_UNCACHED),
])
def test_cache_attribute_zero_or_one_bit(ddi, flags, attr):
    """'IOMEM_DATA_CACHED ... is the default attribute that is used if no cache attributes are
    specified.' One attribute is recorded as given."""
    dhp = devmap_handle()
    assert devmem(ddi, flags=flags, dhp=dhp) == 0
    assert dhp.cache_attr == attr


@pytest.mark.parametrize("flags", [
    IOMEM_DATA_CACHED | IOMEM_DATA_UNCACHED,
    IOMEM_DATA_CACHED | IOMEM_DATA_UC_WR_COMBINE,
    IOMEM_DATA_UC_WR_COMBINE | IOMEM_DATA_UNCACHED,
    0x70000,
])
def test_two_cache_attributes_fail(ddi, flags):
    """'The cache attributes are mutually exclusive. Any combination of the values leads to a
    failure.'"""
    dhp = devmap_handle()
    assert devmem(ddi, flags=flags, dhp=dhp) == -1
    assert not dhp.setup_done


def test_unknown_cache_attribute_bit_fails(ddi):
    """0x80000 is inside the attribute mask but names no attribute -> -1."""
    assert devmem(ddi, flags=0x80000) == -1


def test_devmem_illumos_does_not_validate_cache_bits(ddi_illumos):
    """illumos devmap_devmem_setup does not validate IOMEM_DATA_* (two bits are recorded)."""
    dhp = devmap_handle()
    two = IOMEM_DATA_CACHED | IOMEM_DATA_UNCACHED
    assert devmem(ddi_illumos, flags=two, dhp=dhp) == 0
    assert dhp.cache_attr == two


@pytest.mark.parametrize("attr", [IOMEM_DATA_UC_WR_COMBINE, IOMEM_DATA_UNCACHED])
def test_sparc_only_cached_is_accepted(attr):
    """'On the SPARC architecture, only IOMEM_DATA_CACHED is meaningful. Others lead to a
    failure.'"""
    ddi = DDI(Machine(pagesize=8192, arch="sparc"))
    assert ddi.devmap_devmem_setup(devmap_handle(), DIP, None, 0, 0, 8192, PROT_ALL, attr,
                                   None) == -1
    assert ddi.devmap_devmem_setup(devmap_handle(), DIP, None, 0, 0, 8192, PROT_ALL,
                                   IOMEM_DATA_CACHED, None) == 0


def test_write_combine_without_support_becomes_uncached():
    """'If IOMEM_DATA_UC_WR_COMBINE is specified but not supported, IOMEM_DATA_UNCACHED is used
    instead.'"""
    ddi = DDI(Machine(pat_supported=False))
    dhp = devmap_handle()
    assert devmem(ddi, flags=IOMEM_DATA_UC_WR_COMBINE, dhp=dhp) == 0
    assert dhp.cache_attr == IOMEM_DATA_UNCACHED
    assert dhp.cache_maintenance == "none"


def test_cache_maintenance_per_attribute(ddi):
    """The testbench's view: UNCACHED skips hide maintenance, UC_WR_COMBINE flushes WC."""
    got = {}
    for attr in (IOMEM_DATA_CACHED, IOMEM_DATA_UC_WR_COMBINE, IOMEM_DATA_UNCACHED):
        dhp = devmap_handle()
        assert devmem(ddi, flags=attr, dhp=dhp) == 0
        got[attr] = dhp.cache_maintenance
    assert got == {IOMEM_DATA_CACHED: "clean_invalidate", IOMEM_DATA_UC_WR_COMBINE: "wc_flush",
                   IOMEM_DATA_UNCACHED: "none"}


# ------------------------------------------------------------------------------ umem flags
@pytest.mark.parametrize("flags", [IOMEM_DATA_UNCACHED, DEVMAP_USE_PAGESIZE, 0x100])
def test_umem_nonzero_flags_fail_in_man_mode(ddi, flags):
    """devmap_umem_setup flags: 'Must be set to 0.'"""
    kaddr, cookie = ddi.ddi_umem_alloc(4 * PG, DDI_UMEM_SLEEP)
    assert umem(ddi, cookie, flags=flags) == -1
    assert umem(ddi, cookie, flags=0) == 0


@pytest.mark.parametrize("flags,attr", [
    (IOMEM_DATA_UNCACHED, IOMEM_DATA_UNCACHED),
    (IOMEM_DATA_UC_WR_COMBINE | DEVMAP_USE_PAGESIZE, IOMEM_DATA_UC_WR_COMBINE),
    (0, IOMEM_DATA_CACHED),
])
def test_umem_flags_accepted_in_illumos_mode(ddi_illumos, flags, attr):
    """illumos devmap_umem_setup accepts DEVMAP_* bits and IOMEM_DATA_* attributes."""
    kaddr, cookie = ddi_illumos.ddi_umem_alloc(4 * PG, DDI_UMEM_SLEEP)
    dhp = devmap_handle()
    assert umem(ddi_illumos, cookie, flags=flags, dhp=dhp) == 0
    assert dhp.cache_attr == attr


@pytest.mark.parametrize("flags", [IOMEM_DATA_CACHED | IOMEM_DATA_UNCACHED, 0x80000])
def test_umem_illumos_still_checks_the_cache_attribute(ddi_illumos, flags):
    """umem_setup (illumos) validates the cache attribute: two bits or 0x80000 -> -1."""
    kaddr, cookie = ddi_illumos.ddi_umem_alloc(4 * PG, DDI_UMEM_SLEEP)
    assert umem(ddi_illumos, cookie, flags=flags) == -1


# --------------------------------------------------------------------------- umem ranges
def test_umem_null_cookie_fails(any_ddi):
    """'If cookie is NULL, devmap_umem_setup() returns -1.'"""
    assert umem(any_ddi, None) == -1


def test_umem_records_the_cookie_pages(any_ddi, kmem, machine):
    """'Drivers use devmap_umem_setup() for kernel memory to map in the kernel memory described
    by cookie and the offset into the kernel memory space given by koff.'"""
    kaddr, cookie = kmem
    dhp = devmap_handle()
    assert umem(any_ddi, cookie, koff=PG, length=2 * PG, dhp=dhp) == 0
    assert dhp.kind == "umem" and dhp.cookie is cookie
    assert dhp.paddrs.tolist() == machine.kas.page_paddrs(kaddr + PG, 2).tolist()


def test_umem_with_a_ddi_umem_lock_cookie(any_ddi, proc):
    """The cookie type is not checked: a ddi_umem_lock cookie maps its locked pages."""
    va = proc.as_.mmap(4 * PG)
    rc, cookie = any_ddi.ddi_umem_lock(va, 4 * PG, DDI_UMEMLOCK_WRITE)
    dhp = devmap_handle()
    assert umem(any_ddi, cookie, koff=2 * PG, length=2 * PG, dhp=dhp) == 0
    assert dhp.paddrs.tolist() == cookie.pparray[2:].tolist()


def test_umem_range_within_cookie(any_ddi, kmem):
    """'The range from koff to koff + len must be within the limits of the kernel memory'."""
    kaddr, cookie = kmem
    assert umem(any_ddi, cookie, koff=PG, length=3 * PG) == 0          # off + len == size
    assert umem(any_ddi, cookie, koff=PG, length=4 * PG) == -1
    assert umem(any_ddi, cookie, koff=4 * PG, length=PG) == -1


def test_umem_freed_or_pageable_cookie(any_ddi):
    kaddr, cookie = any_ddi.ddi_umem_alloc(PG, DDI_UMEM_PAGEABLE)
    assert umem(any_ddi, cookie) == 0                 # type not checked
    any_ddi.ddi_umem_free(cookie)
    assert umem(any_ddi, cookie) == -1                # but a freed cookie is gone


# ------------------------------------------------------------------------------ alignment
@pytest.mark.parametrize("off,length", [(0x800, PG), (0, 0x1800), (0x10, 0x10)])
def test_unaligned_offset_or_length_fails_in_man_mode(ddi, off, length):
    """'The range from roff to roff + len must be ... page aligned.' / 'The range from koff to
    koff + len ... must be page aligned.'"""
    kaddr, cookie = ddi.ddi_umem_alloc(4 * PG, DDI_UMEM_SLEEP)
    assert devmem(ddi, roff=off, length=length) == -1
    assert umem(ddi, cookie, koff=off, length=length) == -1


def test_unaligned_offset_and_length_rounded_in_illumos_mode(ddi_illumos):
    """illumos rounds the offset down and the length up to whole pages."""
    dhp = devmap_handle()
    assert devmem(ddi_illumos, roff=PG + 0x800, length=0x1000, dhp=dhp) == 0
    assert (dhp.offset, dhp.length) == (PG, 2 * PG)
    assert dhp.paddrs.tolist() == [REG_PADDR + PG, REG_PADDR + 2 * PG]
    kaddr, cookie = ddi_illumos.ddi_umem_alloc(4 * PG, DDI_UMEM_SLEEP)
    dhp = devmap_handle()
    assert umem(ddi_illumos, cookie, koff=0x10, length=0x10, dhp=dhp) == 0
    assert (dhp.offset, dhp.length) == (0, PG)


def test_zero_length_fails(any_ddi, kmem):
    """Model choice: a mapping of 0 bytes is refused in both functions."""
    assert devmem(any_ddi, length=0) == -1
    assert umem(any_ddi, kmem[1], length=0) == -1


# ----------------------------------------------------------------------- common rules
def test_second_setup_on_the_same_handle_fails(any_ddi, kmem):
    """A handle describes one mapping: setting it up again -> -1, first setup unchanged."""
    dhp = devmap_handle()
    assert devmem(any_ddi, flags=IOMEM_DATA_UNCACHED, dhp=dhp) == 0
    assert devmem(any_ddi, dhp=dhp) == -1
    assert umem(any_ddi, kmem[1], dhp=dhp) == -1
    assert dhp.kind == "devmem" and dhp.cache_attr == IOMEM_DATA_UNCACHED


def test_maxprot_missing_a_requested_prot_fails(any_ddi):
    """'The maximum protection allowed for the mapping is specified in maxprot.': mmap asked for
    read+write, maxprot read-only -> -1."""
    assert devmem(any_ddi, maxprot=PROT_READ, dhp=devmap_handle(dh_prot=RW)) == -1
    assert devmem(any_ddi, maxprot=PROT_READ, dhp=devmap_handle(dh_prot=PROT_READ)) == 0


def test_effective_maxprot_is_limited_by_the_segment(any_ddi):
    dhp = devmap_handle(dh_prot=PROT_READ, dh_orig_maxprot=PROT_READ | PROT_USER)
    assert devmem(any_ddi, maxprot=PROT_ALL, dhp=dhp) == 0
    assert dhp.maxprot == PROT_READ | PROT_USER
    assert not dhp.maxprot & (PROT_WRITE | PROT_EXEC)
    dhp = devmap_handle(dh_prot=RW, dh_orig_maxprot=PROT_READ)
    assert devmem(any_ddi, dhp=dhp) == -1


def test_mapping_invalid_needs_allow_remap(any_ddi):
    """DEVMAP_MAPPING_INVALID without DEVMAP_ALLOW_REMAP -> -1; with it the flags are kept."""
    assert devmem(any_ddi, flags=DEVMAP_MAPPING_INVALID) == -1
    dhp = devmap_handle()
    assert devmem(any_ddi, flags=DEVMAP_MAPPING_INVALID | DEVMAP_ALLOW_REMAP, dhp=dhp) == 0
    assert dhp.flags == DEVMAP_MAPPING_INVALID | DEVMAP_ALLOW_REMAP


def test_mapping_invalid_umem_illumos(ddi_illumos):
    kaddr, cookie = ddi_illumos.ddi_umem_alloc(PG, DDI_UMEM_SLEEP)
    assert umem(ddi_illumos, cookie, flags=DEVMAP_MAPPING_INVALID) == -1
    assert umem(ddi_illumos, cookie, flags=DEVMAP_MAPPING_INVALID | DEVMAP_ALLOW_REMAP) == 0


def test_callbacks_are_copied(any_ddi, kmem):
    """'The system copies the data pointed to by callbackops to a system private memory. This
    allows the driver to free the data after returning'."""
    def on_map(*a):
        return 0

    cb = devmap_callback_ctl(devmap_rev=1, devmap_map=on_map)
    for setup in (lambda d: devmem(any_ddi, dhp=d, cb=cb),
                  lambda d: umem(any_ddi, kmem[1], dhp=d, cb=cb)):
        dhp = devmap_handle()
        assert setup(dhp) == 0
        cb.devmap_map = None
        cb.devmap_rev = 9
        assert dhp.callbackops is not cb
        assert dhp.callbackops.devmap_map is on_map and dhp.callbackops.devmap_rev == 1
        cb.devmap_map, cb.devmap_rev = on_map, 1


def test_null_callbackops_allowed(any_ddi):
    """'Device drivers may specify NULL to callbackops'."""
    dhp = devmap_handle()
    assert devmem(any_ddi, dhp=dhp, cb=None) == 0 and dhp.callbackops is None


def test_access_attributes_copied(any_ddi):
    acc = ddi_device_acc_attr_t(devacc_attr_endian_flags=1)
    dhp = devmap_handle()
    assert devmem(any_ddi, acc=acc, dhp=dhp) == 0
    acc.devacc_attr_endian_flags = 2
    assert dhp.accattr.devacc_attr_endian_flags == 1


@pytest.mark.parametrize("context", ["user", "kernel", "interrupt"])
def test_callable_from_every_context(any_ddi, context):
    """'devmap_devmem_setup() and devmap_umem_setup() can be called from user, kernel, and
    interrupt context.'"""
    kaddr, cookie = any_ddi.ddi_umem_alloc(PG, DDI_UMEM_SLEEP)
    with any_ddi.in_context(context):
        assert devmem(any_ddi) == 0
        assert umem(any_ddi, cookie) == 0


# ------------------------------------------------------------------------------ garbage
GARBAGE = [None, -1, 1 << 70, 2**64 - 1, 3.5, "x", b"", [], object(), True, np.int64(-1),
           devmap_handle(setup_done=True)]


@pytest.mark.parametrize("junk", GARBAGE, ids=stable_id)
def test_garbage_anywhere_returns_minus_one_or_zero_never_raises(any_ddi, junk):
    """Bad input gets its documented return code (-1), never an exception."""
    kaddr, cookie = any_ddi.ddi_umem_alloc(PG, DDI_UMEM_SLEEP)
    good_umem = [None, DIP, None, cookie, 0, PG, PROT_ALL, 0, None]
    good_dev = [None, DIP, None, 0, 0, PG, PROT_ALL, 0, None]
    for good, fn in ((good_umem, any_ddi.devmap_umem_setup),
                     (good_dev, any_ddi.devmap_devmem_setup)):
        for i in range(len(good)):
            args = list(good)
            args[0] = devmap_handle()
            args[i] = junk
            assert fn(*args) in (0, -1)
    assert any_ddi.devmap_devmem_setup(devmap_handle(), dev_info(regs=[junk]), None, 0, 0, PG,
                                       PROT_ALL, 0, None) == -1
    assert any_ddi.devmap_devmem_setup(devmap_handle(), dev_info(regs=junk), None, 0, 0, PG,
                                       PROT_ALL, 0, None) == -1
