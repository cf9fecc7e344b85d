"""tb/hide_shadow.HideShadow without a simulator: a legal trace leaves no error and rebuilds the
counts; a wrong count, an unhide of an open page and `modified` on an event other than a page's last
unhide are each reported (negative controls)."""
from __future__ import annotations

from types import SimpleNamespace

from tb.hide_shadow import HideShadow


class FakeUnit:
    """The trace_* signals of sgdma_hide as objects with a .value."""

    def __init__(self):
        for name in ("trace_valid", "trace_unhide", "trace_addr", "trace_count", "trace_modified"):
            setattr(self, name, SimpleNamespace(value=0))

    def event(self, unhide: int, page: int, count: int, modified: int = 0) -> None:
        self.trace_valid.value, self.trace_unhide.value = 1, unhide
        self.trace_addr.value, self.trace_count.value, self.trace_modified.value = page, count, modified


def replay(events):
    unit, errors = FakeUnit(), []
    shadow = HideShadow(unit, errors)
    shadow.sample(0)                    # no event: nothing recorded
    for cycle, ev in enumerate(events, start=1):
        unit.event(*ev)
        shadow.sample(cycle)
    return shadow, errors


def test_legal_trace():
    shadow, errors = replay([(0, 0x1000, 1), (0, 0x1000, 2), (0, 0x2000, 1), (1, 0x1000, 1),
                             (1, 0x1000, 0, 1)])
    assert errors == []
    assert shadow.count == {0x1000: 0, 0x2000: 1}
    assert shadow.hidden(0x2000) and not shadow.hidden(0x1000)
    assert shadow.unhides == {0x1000: 2}
    assert shadow.trace[0] == (1, "hide", 0x1000, 1, 0) and shadow.trace[-1] == (5, "unhide", 0x1000, 0, 1)


def test_wrong_count_is_reported():
    _, errors = replay([(0, 0x1000, 1), (0, 0x1000, 3)])
    assert errors == ["trace count of 0x1000: 3, expected 2"]


def test_unhide_of_open_page_is_reported():
    shadow, errors = replay([(1, 0x3000, 0)])
    assert errors == ["trace count of 0x3000: 0, expected -1"]
    assert shadow.count[0x3000] == 0


def test_modified_only_on_a_last_unhide():
    """trace_modified on a hide, or on an unhide that leaves the page hidden, is reported; on the last
    unhide it is legal (test_legal_trace)."""
    _, errors = replay([(0, 0x1000, 1, 1), (0, 0x1000, 2), (1, 0x1000, 1, 1), (1, 0x1000, 0, 1)])
    assert errors == ["trace of 0x1000: modified on a hide",
                      "trace of 0x1000: modified on a unhide to count 1"]
