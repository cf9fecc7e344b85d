"""The DDI entry points of one simulated machine, gathered in one object.

``ddi = DDI(machine)`` gives the driver's view: ``ddi.ddi_umem_lock(...)``,
``ddi.ddi_dma_buf_bind_handle(...)``, ``ddi.xmemdma64(...)`` and so on, each with its C name and
argument order; C out-parameters become return values.

``illumos=False`` (the default) follows the man pages; ``illumos=True`` reproduces the illumos x86
implementation's documented differences (reference section 16). Every such difference is one
``if self.illumos`` in the code, next to the man-page sentence it departs from.
"""
from __future__ import annotations

from contextlib import contextmanager

from .devmap import DevmapMixin
from .dma import DmaMixin
from .machine import Machine
from .umem import UmemMixin
from .xmem import XmemMixin

CONTEXTS = ("user", "kernel", "interrupt")


class DDI(UmemMixin, DmaMixin, DevmapMixin, XmemMixin):
    """All modelled entry points, bound to one :class:`Machine`."""

    def __init__(self, machine: Machine | None = None, *, illumos: bool = False, curproc=None):
        self.machine = machine if machine is not None else Machine()
        self.illumos = illumos
        self.context = "user"
        # The process on whose behalf the driver runs (ddi_umem_lock locks *its* pages).
        self.curproc = curproc
        for base in type(self).__mro__[1:]:
            init = base.__dict__.get("_init_state")
            if init is not None:
                init(self)

    @contextmanager
    def in_context(self, context: str):
        """Run the enclosed calls from ``context`` ("user", "kernel" or "interrupt")."""
        if context not in CONTEXTS:
            raise ValueError(f"context must be one of {CONTEXTS}")
        saved, self.context = self.context, context
        try:
            yield self
        finally:
            self.context = saved
            if saved != "interrupt" and hasattr(self, "_run_deferred"):
                self._run_deferred()
