"""The hide table of sgdma_hide rebuilt from its trace port, for the hide tests' checkers.

The unit reports every table operation on trace_valid / trace_unhide / trace_addr / trace_count /
trace_modified. HideShadow replays them: the hide count of every page (each reported count must equal
the replayed one; a mismatch or a count below zero is recorded in `errors`, as is trace_modified on
an event that is not a page's last unhide), the ordered list of
events and the unhide events per page. Sampled from the test's own per-cycle monitor (`sample`), so
the trace costs no extra wake-up.
"""
from __future__ import annotations

from tb import coverage as fcov


class HideShadow:
    """Shadow hide table over `unit` (a handle with the trace_* signals); errors go to `errors`."""

    def __init__(self, unit, errors: list[str]):
        self.unit = unit
        self.errors = errors
        self.count: dict[int, int] = {}       # page -> hide count
        self.trace: list[tuple] = []          # (cycle, 'hide'/'unhide', page, count, modified)
        self.unhides: dict[int, int] = {}     # page -> unhide events seen

    def sample(self, cycle: int) -> None:
        """Call at every rising edge: apply the trace event of this edge, if any, checking its count."""
        u = self.unit
        if not int(u.trace_valid.value):
            return
        unhide = int(u.trace_unhide.value)
        page, count = int(u.trace_addr.value), int(u.trace_count.value)
        old = self.count.get(page, 0)
        new = old - 1 if unhide else old + 1
        if new < 0 or new != count:
            self.errors.append(f"trace count of {page:#x}: {count}, expected {new}")
        modified = int(u.trace_modified.value)
        # hdl/sgdma_hide.v: trace_modified marks the last unhide of a page the device wrote, so a hide,
        # or an unhide that leaves the page hidden, never carries it
        if modified and (not unhide or count != 0):
            what = f"unhide to count {count}" if unhide else "hide"
            self.errors.append(f"trace of {page:#x}: modified on a {what}")
        self.count[page] = max(new, 0)
        self.trace.append((cycle, "unhide" if unhide else "hide", page, count, modified))
        if unhide:
            self.unhides[page] = self.unhides.get(page, 0) + 1
        fcov.sample_hide(bool(unhide), count, modified)

    def hidden(self, page: int) -> bool:
        return self.count.get(page, 0) > 0
