"""Resource callbacks: SLEEP, DONTWAIT, (func, arg) with RUNOUT / DONE (section 10, item 16)."""
import pytest
from dma_util import attr, handle, kbuf, new_ddi

from pyddi_model import (
    DDI_DMA_CALLBACK_DONE,
    DDI_DMA_CALLBACK_RUNOUT,
    DDI_DMA_DONTWAIT,
    DDI_DMA_MAPPED,
    DDI_DMA_NORESOURCES,
    DDI_DMA_SLEEP,
    DDI_DMA_WRITE,
    DDI_SUCCESS,
)

MODES = pytest.mark.parametrize("illumos", [False, True], ids=["man", "illumos"])


class Recorder:
    """A driver callback returning scripted results and recording its context."""

    def __init__(self, ddi, results=()):
        self.ddi = ddi
        self.results = list(results)
        self.calls = []

    def __call__(self, arg):
        self.calls.append((arg, self.ddi.context))
        return self.results.pop(0) if self.results else DDI_DMA_CALLBACK_DONE


def short_bind(ddi, cb, arg, fault="dma_resources"):
    ddi.machine.faults.arm(fault)
    h = handle(ddi, attr())
    va = kbuf(ddi, [0x10])
    return ddi.ddi_dma_addr_bind_handle(h, None, va, 64, DDI_DMA_WRITE, cb, arg), h


def release_something(ddi):
    """An unbind elsewhere: the nexus runs the callback list after it."""
    h = handle(ddi, attr())
    ddi.ddi_dma_addr_bind_handle(h, None, kbuf(ddi, [0x40]), 8, DDI_DMA_WRITE, DDI_DMA_SLEEP, None)
    assert ddi.ddi_dma_unbind_handle(h) == DDI_SUCCESS


@MODES
def test_dontwait_is_never_queued(illumos):
    """"DDI_DMA_DONTWAIT: Do not wait until resources are available and do not schedule a callback"."""
    ddi = new_ddi(illumos)
    (rc, c, n), h = short_bind(ddi, DDI_DMA_DONTWAIT, None)
    assert (rc, c, n) == (DDI_DMA_NORESOURCES, None, 0)
    assert ddi.dma_callbacks == []


@MODES
def test_sleep_waits_out_a_shortage(illumos):
    """"DDI_DMA_SLEEP: Wait until resources are available": the injected shortage is consumed and
    the call succeeds; nothing is queued."""
    ddi = new_ddi(illumos)
    (rc, c, n), h = short_bind(ddi, DDI_DMA_SLEEP, None)
    assert rc == DDI_DMA_MAPPED
    assert ddi.machine.faults.taken["dma_resources"] == 1
    assert ddi.dma_callbacks == []


@pytest.mark.parametrize("illumos,expected", [(False, DDI_DMA_NORESOURCES), (True, DDI_DMA_MAPPED)],
                         ids=["man", "illumos"])
def test_sleep_from_interrupt_context(illumos, expected):
    """CONTEXT: "except when callback is set to DDI_DMA_SLEEP, in which case it can be called from
    user or kernel context only": man mode refuses it (NORESOURCES), illumos does not check; both
    record the violation."""
    ddi = new_ddi(illumos)
    h = handle(ddi, attr())
    va = kbuf(ddi, [0x10])
    with ddi.in_context("interrupt"):
        rc, _, _ = ddi.ddi_dma_addr_bind_handle(h, None, va, 8, DDI_DMA_WRITE, DDI_DMA_SLEEP, None)
    assert rc == expected
    assert ddi.dma_violations


@MODES
def test_function_queued_then_run_in_interrupt_context_after_unbind(illumos):
    """"this value is assumed to be the address of a function to call at a later time when
    resources may become available ... passed arg ... The callback function is called in interrupt
    context." It is not called synchronously, only after an unbind/free."""
    ddi = new_ddi(illumos)
    cb = Recorder(ddi)
    (rc, _, _), h = short_bind(ddi, cb, "arg1")
    assert rc == DDI_DMA_NORESOURCES and cb.calls == []
    assert [(e.func, e.arg, e.count) for e in ddi.dma_callbacks] == [(cb, "arg1", 1)]
    release_something(ddi)
    assert cb.calls == [("arg1", "interrupt")]
    assert ddi.dma_callbacks == []          # DONE removes it
    assert ddi.context == "user"


@MODES
def test_alloc_handle_shortage_queues_and_free_handle_runs(illumos):
    """ddi_dma_alloc_handle NORESOURCES queues the callback too; ddi_dma_free_handle runs the list."""
    ddi = new_ddi(illumos)
    cb = Recorder(ddi)
    ddi.machine.faults.arm("dma_handle_alloc")
    assert ddi.ddi_dma_alloc_handle(None, attr(), cb, 7) == (DDI_DMA_NORESOURCES, None)
    h = handle(ddi, attr())
    ddi.ddi_dma_free_handle(h)
    assert cb.calls == [(7, "interrupt")]


@MODES
def test_item16_duplicate_pair_counts_twice(illumos):
    """17.16: the same (func, arg) twice -> one entry with count 2, called twice in one run."""
    ddi = new_ddi(illumos)
    cb = Recorder(ddi)
    short_bind(ddi, cb, "a")
    short_bind(ddi, cb, "a")
    short_bind(ddi, cb, "b")
    assert [(e.arg, e.count) for e in ddi.dma_callbacks] == [("a", 2), ("b", 1)]
    release_something(ddi)
    assert [a for a, _ in cb.calls] == ["a", "a", "b"]


@MODES
def test_item16_runout_requeues_and_is_not_retried_in_the_same_run(illumos):
    """"DDI_DMA_CALLBACK_RUNOUT indicates that the callback function attempted to allocate DMA
    resources but failed to do so. In this case the callback function is put back on a list to be
    called again later." DONE "indicates either a successful allocation ... or that the driver no
    longer wishes to retry"."""
    ddi = new_ddi(illumos)
    cb = Recorder(ddi, [DDI_DMA_CALLBACK_RUNOUT, DDI_DMA_CALLBACK_DONE])
    short_bind(ddi, cb, "x")
    release_something(ddi)
    assert len(cb.calls) == 1
    assert [(e.arg, e.count) for e in ddi.dma_callbacks] == [("x", 1)]
    release_something(ddi)
    assert len(cb.calls) == 2 and ddi.dma_callbacks == []


@MODES
def test_callback_retrying_a_failing_bind_is_registered_again(illumos):
    """Section 10: "A callback that retries a bind which fails again is re-registered by that
    failing bind too (counts add up)"."""
    ddi = new_ddi(illumos)
    va = kbuf(ddi, [0x50])
    h = handle(ddi, attr())

    def retry(arg):
        ddi.machine.faults.arm("dma_resources")
        rc, _, _ = ddi.ddi_dma_addr_bind_handle(h, None, va, 8, DDI_DMA_WRITE, retry, arg)
        return DDI_DMA_CALLBACK_DONE if rc == DDI_DMA_MAPPED else DDI_DMA_CALLBACK_RUNOUT

    ddi.machine.faults.arm("dma_resources")
    assert ddi.ddi_dma_addr_bind_handle(h, None, va, 8, DDI_DMA_WRITE, retry, 1)[0] == DDI_DMA_NORESOURCES
    release_something(ddi)
    assert [(e.arg, e.count) for e in ddi.dma_callbacks] == [(1, 2)]


def test_dontwait_alloc_shortage_not_queued():
    ddi = new_ddi()
    ddi.machine.faults.arm("dma_handle_alloc")
    assert ddi.ddi_dma_alloc_handle(None, attr(), DDI_DMA_DONTWAIT, None) == (DDI_DMA_NORESOURCES, None)
    assert ddi.dma_callbacks == []
