"""The simulated machine: frames, address spaces, processes, fault injection, page state."""
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyddi_model import EAGAIN, PROT_READ, PROT_WRITE, Machine
from pyddi_model.machine import AddressError, FaultInjector

SMALL = 1 << 24   # 16 MiB machines for property tests: collisions are frequent, bounds tight


# ----------------------------------------------------------------------------- construction
@pytest.mark.parametrize("pagesize", [4096, 8192])
def test_pagesize_fields(pagesize):
    m = Machine(pagesize=pagesize)
    assert m.pagesize == pagesize
    assert 1 << m.pageshift == pagesize
    assert m.pageoffset == pagesize - 1


@pytest.mark.parametrize("kwargs", [
    {"pagesize": 3000}, {"pagesize": 0}, {"pagesize": "4096"},
    {"phys_bytes": 4096}, {"phys_bytes": 10000}, {"contiguity": 1.5}, {"contiguity": -0.1},
    {"arch": "mips"},
])
def test_bad_machine_parameters_rejected(kwargs):
    with pytest.raises(ValueError):
        Machine(**kwargs)


def test_default_memory_extends_above_4gib():
    m = Machine(seed=5)
    frames = m.alloc_frames(1000)
    assert (frames << m.pageshift).max() > 0xFFFFFFFF


# ------------------------------------------------------------------------------ allocator
def test_same_seed_same_frames_different_seed_different_frames():
    a = Machine(seed=7).alloc_frames(64, contiguity=0.3)
    b = Machine(seed=7).alloc_frames(64, contiguity=0.3)
    c = Machine(seed=8).alloc_frames(64, contiguity=0.3)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_contiguity_one_gives_one_run_and_zero_scatters():
    m = Machine(seed=3)
    run = m.alloc_frames(50, contiguity=1.0)
    assert np.all(np.diff(run) == 1)
    scattered = m.alloc_frames(50, contiguity=0.0)
    assert np.count_nonzero(np.diff(scattered) == 1) <= 1


def test_contiguity_is_a_probability():
    m = Machine(seed=11)
    frames = m.alloc_frames(20001, contiguity=0.5)
    follows = np.count_nonzero(np.diff(frames) == 1) / 20000
    assert 0.45 < follows < 0.55


def test_lo_hi_bound_the_physical_range():
    m = Machine(seed=2)
    frames = m.alloc_frames(300, lo=0x1000_0000, hi=0xFFFF_FFFF)
    pa = frames << m.pageshift
    assert pa.min() >= 0x1000_0000
    assert (pa + m.pagesize - 1).max() <= 0xFFFF_FFFF


def test_hi_not_on_a_page_boundary_excludes_the_partial_frame():
    m = Machine(phys_bytes=SMALL, seed=2)
    assert m.alloc_frames(1, lo=0x5000, hi=0x6FFE).tolist() == [5]   # frame 6 is partial
    with pytest.raises(MemoryError):
        m.alloc_frames(1, lo=0x5000, hi=0x6FFE)


def test_exhausted_range_raises_memory_error_and_leaks_nothing():
    m = Machine(phys_bytes=64 * 4096, seed=1)
    before = m._refcnt.sum()
    with pytest.raises(MemoryError):
        m.alloc_frames(64)               # frame 0 is reserved: only 63 exist
    assert m._refcnt.sum() == before
    frames = m.alloc_frames(63, contiguity=0.5)
    assert sorted(frames.tolist()) == list(range(1, 64))


def test_frame_zero_is_never_allocated():
    m = Machine(phys_bytes=32 * 4096, seed=9)
    assert 0 not in m.alloc_frames(31).tolist()


def test_free_frames_makes_them_reusable_and_zeroed():
    m = Machine(phys_bytes=8 * 4096, seed=1)
    frames = m.alloc_frames(7)
    m.write_phys(int(frames[0]) << 12, b"\xAA" * 16)
    m.free_frames(frames)
    again = m.alloc_frames(7)
    assert sorted(again.tolist()) == sorted(frames.tolist())
    assert m.read_phys(int(frames[0]) << 12, 16) == bytes(16)


def test_double_free_is_refused():
    m = Machine(seed=1)
    frames = m.alloc_frames(2)
    m.free_frames(frames)
    with pytest.raises(ValueError):
        m.free_frames(frames)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 200), c=st.floats(0, 1), seed=st.integers(0, 2**32 - 1),
       lo_page=st.integers(1, 2000), span_pages=st.integers(250, 2000))
def test_property_alloc_frames_distinct_free_and_in_bounds(n, c, seed, lo_page, span_pages):
    m = Machine(phys_bytes=SMALL, seed=seed)
    first = m.alloc_frames(n // 2, contiguity=c)       # occupy some memory first
    lo = lo_page * 4096
    hi = (lo_page + span_pages) * 4096 - 1
    frames = m.alloc_frames(n, contiguity=c, lo=lo, hi=hi)
    assert len(frames) == n
    assert len(set(frames.tolist())) == n
    assert not set(frames.tolist()) & set(first.tolist())
    pa = frames << m.pageshift
    assert n == 0 or (pa.min() >= lo and (pa + m.pagesize - 1).max() <= hi)
    assert all(m.frame_refcount(f) == 1 for f in frames.tolist())


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 300), seed=st.integers(0, 2**32 - 1))
def test_property_full_contiguity_is_one_run(n, seed):
    frames = Machine(phys_bytes=SMALL, seed=seed).alloc_frames(n, contiguity=1.0)
    assert np.all(np.diff(frames) == 1)


# ------------------------------------------------------------------------- address spaces
def test_mmap_is_page_aligned_and_leaves_holes(proc, machine):
    a = proc.as_.mmap(3 * 4096)
    b = proc.as_.mmap(100)
    assert a % 4096 == 0 and b % 4096 == 0
    assert b == a + 4 * 4096                        # one-page hole between mappings
    assert proc.as_.prot_of(a + 3 * 4096) is None
    assert proc.as_.page_paddrs(a + 3 * 4096, 1)[0] == -1
    assert not proc.as_.is_mapped(a, 5 * 4096)


def test_mmap_frames_places_pages_exactly(proc, machine):
    va = proc.as_.mmap(3 * 4096, frames=[0x100000, 0x100001, 0x7])
    assert proc.as_.page_paddrs(va, 3).tolist() == [0x100000 << 12, 0x100001 << 12, 0x7 << 12]


def test_mmap_frames_wrong_count_or_outside_memory_rejected(proc):
    with pytest.raises(ValueError):
        proc.as_.mmap(2 * 4096, frames=[5])
    with pytest.raises(ValueError):
        proc.as_.mmap(4096, frames=[1 << 40])


def test_mmap_addr_fixed_and_overlap_rejected(proc):
    va = proc.as_.mmap(4096, addr=0x4000_0000)
    assert va == 0x4000_0000
    with pytest.raises(ValueError):
        proc.as_.mmap(4096, addr=0x4000_0000)
    with pytest.raises(ValueError):
        proc.as_.mmap(4096, addr=0x4000_0001)


@pytest.mark.parametrize("length", [0, -4096, None, "x"])
def test_mmap_bad_length_rejected(proc, length):
    with pytest.raises(ValueError):
        proc.as_.mmap(length)


def test_page_paddrs_consistent_with_frames_across_mappings(proc, machine):
    a = proc.as_.mmap(2 * 4096, frames=[10, 11], addr=0x2000_0000)
    proc.as_.mmap(2 * 4096, frames=[30, 20], addr=0x2000_3000)
    got = proc.as_.page_paddrs(a + 0x123, 6)
    assert got.tolist() == [10 << 12, 11 << 12, -1, 30 << 12, 20 << 12, -1]


def test_munmap_middle_splits_and_frees(proc, machine):
    va = proc.as_.mmap(4 * 4096, frames=[40, 41, 42, 43])
    proc.as_.munmap(va + 4096, 2 * 4096)
    assert proc.as_.page_paddrs(va, 4).tolist() == [40 << 12, -1, -1, 43 << 12]
    assert machine.frame_refcount(41) == 0 and machine.frame_refcount(40) == 1


def test_mprotect_changes_part_of_a_mapping(proc):
    va = proc.as_.mmap(3 * 4096)
    proc.as_.mprotect(va + 4096, 4096, PROT_READ)
    assert [proc.as_.prot_of(va + i * 4096) for i in range(3)] == [
        PROT_READ | PROT_WRITE, PROT_READ, PROT_READ | PROT_WRITE]
    assert proc.as_.range_prot(va, 3 * 4096) == PROT_READ


def test_read_write_round_trip_across_scattered_pages(proc):
    va = proc.as_.mmap(3 * 4096, contiguity=0.0)
    data = bytes(range(256)) * 40
    proc.as_.write(va + 100, data)
    assert proc.as_.read(va + 100, len(data)) == data
    assert proc.as_.read(va, 100) == bytes(100)


def test_read_of_a_hole_raises_address_error(proc):
    va = proc.as_.mmap(4096)
    with pytest.raises(AddressError):
        proc.as_.read(va + 4000, 200)


@settings(max_examples=40, deadline=None)
@given(off=st.integers(0, 3 * 4096), data=st.binary(min_size=0, max_size=5000),
       c=st.floats(0, 1), seed=st.integers(0, 1000))
def test_property_read_write_round_trip(off, data, c, seed):
    m = Machine(phys_bytes=SMALL, seed=seed)
    asp = m.new_process().as_
    va = asp.mmap(5 * 4096, contiguity=c)
    asp.write(va + off, data)
    assert asp.read(va + off, len(data)) == data
    # and physically: each byte sits at its page's frame + in-page offset
    if data:
        pa = asp.vtop(va + off)
        first = min(len(data), 4096 - (off % 4096))
        assert m.read_phys(pa, first) == data[:first]


@settings(max_examples=30, deadline=None)
@given(npages=st.integers(1, 64), c=st.floats(0, 1), seed=st.integers(0, 1000),
       start=st.integers(0, 70), count=st.integers(0, 80))
def test_property_page_paddrs_matches_frames(npages, c, seed, start, count):
    m = Machine(phys_bytes=SMALL, seed=seed)
    asp = m.new_process().as_
    va = asp.mmap(npages * 4096, contiguity=c)
    got = asp.page_paddrs(va + start * 4096, count)
    for i, p in enumerate(got.tolist()):
        page = start + i
        if page < npages:
            assert p >= 0 and p % 4096 == 0 and m.is_allocated(p)
            assert asp.vtop(va + page * 4096 + 5) == p + 5
        else:
            assert p == -1


def test_one_gib_buffer_maps_and_translates_fast():
    m = Machine(seed=1)
    asp = m.new_process().as_
    t0 = time.perf_counter()
    va = asp.mmap(1 << 30, contiguity=0.0)
    t1 = time.perf_counter()
    pa = asp.page_paddrs(va, 262144)
    t2 = time.perf_counter()
    assert (pa >= 0).all() and len(np.unique(pa)) == 262144
    assert t2 - t1 < 0.05, "translation must be vectorised"
    assert t1 - t0 < 2.0


def test_kernel_address_space_is_separate_and_pinned(machine):
    kva = machine.kas.mmap(4096)
    assert machine.kas.is_kernel
    assert kva >= 0x7FFF_0000_0000_0000
    assert machine.is_pinned(int(machine.kas.page_paddrs(kva, 1)[0]))
    machine.kas.munmap(kva, 4096)


# ------------------------------------------------------------------------------ processes
def test_processes_have_distinct_pids_and_limits(machine):
    a = machine.new_process()
    b = machine.new_process(locked_limit=8192)
    assert a.pid != b.pid
    assert a.locked_limit is None and b.locked_limit == 8192
    assert Machine(locked_limit=4096).new_process().locked_limit == 4096


def test_fork_copies_mappings_and_exec_empties(proc):
    va = proc.as_.mmap(2 * 4096)
    proc.as_.write(va, b"parent")
    assert proc.fork() == 0
    child = proc.children[-1]
    assert child.as_.read(va, 6) == b"parent"
    assert child.as_.page_paddrs(va, 1)[0] != proc.as_.page_paddrs(va, 1)[0]
    assert proc.exec() == 0
    assert proc.as_.mappings() == []


def test_fork_exec_refused_while_blocked(proc):
    proc.fork_exec_blockers = 1
    assert proc.fork() == EAGAIN
    assert proc.exec() == EAGAIN


# ------------------------------------------------------------------------ fault injector
def test_fault_injector_fires_exactly_armed_times():
    f = FaultInjector()
    assert not f.take("buf_alloc")
    f.arm("buf_alloc", times=2)
    assert [f.take("buf_alloc") for _ in range(3)] == [True, True, False]
    assert f.taken["buf_alloc"] == 2


def test_fault_injector_rejects_unknown_names_and_disarms():
    f = FaultInjector()
    with pytest.raises(ValueError):
        f.arm("buf_aloc")
    f.arm("dma_resources", 5)
    f.disarm("dma_resources")
    assert not f.take("dma_resources")


# --------------------------------------------------------------------- physical memory
def test_phys_read_write_across_page_boundary_and_bounds(machine):
    machine.write_phys(0x2FFE, b"abcd")
    assert machine.read_phys(0x2FFE, 4) == b"abcd"
    assert machine.read_phys(0x1000_0000, 8) == bytes(8)
    with pytest.raises(ValueError):
        machine.read_phys(machine.phys_bytes - 2, 4)
    with pytest.raises(ValueError):
        machine.write_phys(-1, b"x")


def test_explicit_frames_across_the_4gib_line(proc):
    """Reproducible address-range case (reference 17 item 8): a page ending at 4 GiB and the
    page just above it."""
    va = proc.as_.mmap(2 * 4096, frames=[0xFFFFF, 0x100000])
    assert proc.as_.page_paddrs(va, 2).tolist() == [0xFFFFF000, 0x1_0000_0000]
    assert proc.as_.vtop(va + 0x1FFF) == 0x1_0000_0FFF


def test_shared_frames_are_counted_and_survive_one_unmap(machine):
    a, b = machine.new_process(), machine.new_process()
    va = a.as_.mmap(4096, frames=[77])
    vb = b.as_.mmap(2 * 4096, frames=[77, 77])
    assert machine.frame_refcount(77) == 3
    a.as_.write(va, b"shared")
    assert b.as_.read(vb + 4096, 6) == b"shared"
    a.as_.munmap(va, 4096)
    assert machine.frame_refcount(77) == 2 and b.as_.read(vb, 6) == b"shared"
    b.as_.munmap(vb, 2 * 4096)
    assert machine.frame_refcount(77) == 0 and machine.read_phys(77 << 12, 6) == bytes(6)
